"""Managed nodes: running EC2 instances that moto holds, plus hybrid `mi-` nodes seeded for demos and benchmarks.

A node is a dict with the InstanceInformation fields the API shows and internal `_os` (the SSM operating system
value, e.g. AMAZON_LINUX_2) and `_product` (e.g. AmazonLinux2) keys. EC2 nodes are built from moto on each call;
hybrid nodes live in state.extra["managed_nodes"] (id -> node), the dict tags.py checks ManagedInstance ids against.
"""

import hashlib
import re

from ..moto_lock import MOTO_LOCK
from .common import now

AGENT_VERSION = "3.3.987.0"
HYBRID_IAM_ROLE = "SSMServiceRole"
# AWS: guide:patch-group-tag-keys
PATCH_GROUP_TAGS = ("Patch Group", "PatchGroup")  # the tag keys Patch Manager reads, in this order

# operating system -> (PlatformType, PlatformName, PlatformVersion, product as Patch Manager names it)
PLATFORMS = {
    "AMAZON_LINUX": ("Linux", "Amazon Linux AMI", "2018.03", "AmazonLinux2018.03"),
    "AMAZON_LINUX_2": ("Linux", "Amazon Linux", "2", "AmazonLinux2"),
    "AMAZON_LINUX_2022": ("Linux", "Amazon Linux", "2022", "AmazonLinux2022"),
    "AMAZON_LINUX_2023": ("Linux", "Amazon Linux", "2023", "AmazonLinux2023"),
    "REDHAT_ENTERPRISE_LINUX": ("Linux", "Red Hat Enterprise Linux", "8.8", "RedhatEnterpriseLinux8.8"),
    "CENTOS": ("Linux", "CentOS Linux", "7.9.2009", "CentOS7.9"),
    "ORACLE_LINUX": ("Linux", "Oracle Linux Server", "8.7", "OracleLinux8.7"),
    "ROCKY_LINUX": ("Linux", "Rocky Linux", "8.8", "RockyLinux8.8"),
    "ALMA_LINUX": ("Linux", "AlmaLinux", "8.8", "AlmaLinux8.8"),
    "UBUNTU": ("Linux", "Ubuntu", "22.04", "Ubuntu22.04"),
    "DEBIAN": ("Linux", "Debian GNU/Linux", "11", "Debian11"),
    "RASPBIAN": ("Linux", "Raspbian GNU/Linux", "11", "Raspbian11"),
    "SUSE": ("Linux", "SLES", "15.4", "SUSE15.4"),
    "WINDOWS": ("Windows", "Microsoft Windows Server 2019 Datacenter", "10.0.17763", "WindowsServer2019"),
    "MACOS": ("MacOS", "macOS", "13.4", "MacOS13.4"),
}
WINDOWS_BUILDS = {"2003": "5.2.3790", "2008": "6.1.7601", "2012": "6.3.9600", "2016": "10.0.14393"}
WINDOWS_BUILDS.update({"2019": "10.0.17763", "2022": "10.0.20348", "2025": "10.0.26100"})
# AMI name fragments -> operating system, checked in order (the first match wins).
_AMI_NAMES = (
    ("al2023", "AMAZON_LINUX_2023"),
    ("al2022", "AMAZON_LINUX_2022"),
    ("amzn2", "AMAZON_LINUX_2"),
    ("amazon-eks", "AMAZON_LINUX_2"),
    ("amzn", "AMAZON_LINUX"),
    ("amazon linux", "AMAZON_LINUX"),
    ("ubuntu", "UBUNTU"),
    ("debian", "DEBIAN"),
    ("rhel", "REDHAT_ENTERPRISE_LINUX"),
    ("centos", "CENTOS"),
    ("rocky", "ROCKY_LINUX"),
    ("alma", "ALMA_LINUX"),
    ("oracle", "ORACLE_LINUX"),
    ("suse", "SUSE"),
    ("sles", "SUSE"),
)
DEFAULT_OPERATING_SYSTEM = "AMAZON_LINUX_2"  # for an AMI whose name says nothing


def area(state, name):
    """A dict of this area's state in state.extra, created on first use."""
    return state.extra.setdefault(name, {})


def hybrid_nodes(state):
    # Read without creating: tags.py treats every mi- id as existing until nodes are seeded.
    return state.extra.get("managed_nodes") or {}


# --- EC2 instances (moto) ---------------------------------------------------------------------------------------


def _ec2_backend(state):
    """moto's EC2 backend of the state's account and region, or None while EC2 was never used there (then it has no
    instances)."""
    from moto.backends import get_backend

    # Look before indexing: moto builds backends on first access, which takes a second and holds no instance.
    backends = get_backend("ec2")
    if state.account not in backends or state.region not in backends[state.account].keys():
        return None
    return backends[state.account][state.region]


def _ami_platform(state, backend, instance):
    """(operating system, PlatformName, PlatformVersion, product) for an instance, from its AMI; cached."""
    cache = area(state, "ami_platforms")
    key = (instance.image_id, instance.platform)
    if key not in cache:
        images = backend.describe_images(filters={"image-id": [instance.image_id]}) if instance.image_id else []
        name = (images[0].name or "") if images else ""
        cache[key] = _platform_from_ami(name, instance.platform)
    return cache[key]


def _platform_from_ami(name, platform):
    if (platform or "").lower() == "windows":
        year = re.search(r"(20\d\d)", name)
        year = year.group(1) if year else "2019"
        build = WINDOWS_BUILDS.get(year, WINDOWS_BUILDS["2019"])
        return "WINDOWS", f"Microsoft Windows Server {year} Datacenter", build, f"WindowsServer{year}"
    lowered = name.lower()
    operating_system = next((os for fragment, os in _AMI_NAMES if fragment in lowered), DEFAULT_OPERATING_SYSTEM)
    _type, platform_name, version, product = PLATFORMS[operating_system]
    found = re.search(r"(\d\d\.\d\d)", name) if operating_system == "UBUNTU" else None
    if found:
        version, product = found.group(1), f"Ubuntu{found.group(1)}"
    return operating_system, platform_name, version, product


_EC2_PING = {"running": "Online", "stopping": "ConnectionLost", "stopped": "ConnectionLost"}


def _ec2_node(state, backend, instance):
    ping = _EC2_PING.get(instance.state)
    if ping is None:  # pending, shutting-down, terminated: not (or no longer) a managed node
        return None
    operating_system, platform_name, version, product = _ami_platform(state, backend, instance)
    node = {
        "InstanceId": instance.id,
        "PingStatus": ping,
        "LastPingDateTime": now() if ping == "Online" else instance.launch_time,
        "AgentVersion": AGENT_VERSION,
        "IsLatestVersion": False,
        "PlatformType": PLATFORMS[operating_system][0],
        "PlatformName": platform_name,
        "PlatformVersion": version,
        "ResourceType": "EC2Instance",
        "IPAddress": instance.private_ip,
        "ComputerName": instance.private_dns_name,
        "SourceId": instance.id,
        "SourceType": "AWS::EC2::Instance",
        "_os": operating_system,
        "_product": product,
    }
    return node


def ec2_nodes(state):
    with MOTO_LOCK:
        backend = _ec2_backend(state)
        if backend is None:
            return []
        found = [_ec2_node(state, backend, instance) for instance in backend.all_instances()]
    return [node for node in found if node is not None]


def _ec2_tags(state, instance_id):
    with MOTO_LOCK:
        backend = _ec2_backend(state)
        if backend is None:
            return {}
        return {tag["key"]: tag["value"] for tag in backend.describe_tags(filters={"resource-id": [instance_id]})}


# --- Any node ---------------------------------------------------------------------------------------------------


def all_nodes(state):
    """Every managed node of the region: EC2 instances first, then hybrid nodes in the order they were seeded."""
    return ec2_nodes(state) + list(hybrid_nodes(state).values())


def find_node(state, node_id):
    if node_id.startswith("mi-"):
        return hybrid_nodes(state).get(node_id)
    with MOTO_LOCK:
        backend = _ec2_backend(state)
        instance = backend.get_instance_by_id(node_id) if backend is not None else None
        return _ec2_node(state, backend, instance) if instance is not None else None


def node_tags(state, node):
    if node["ResourceType"] == "EC2Instance":
        return _ec2_tags(state, node["InstanceId"])
    return state.tags.get(("ManagedInstance", node["InstanceId"]), {})


def patch_group_of(state, node, tags=None):
    tags = node_tags(state, node) if tags is None else tags
    return next((tags[key] for key in PATCH_GROUP_TAGS if tags.get(key)), "")


def public_view(node):
    return {key: value for key, value in node.items() if not key.startswith("_") and value is not None}


# --- Targets (SendCommand, window targets) ----------------------------------------------------------------------


def _target_matches(node, target, tags_of):
    key, values = target.get("Key", ""), target.get("Values") or []
    if key == "InstanceIds":
        return node["InstanceId"] in values
    if key.startswith("tag:"):
        return tags_of(node).get(key[4:]) in values
    if key == "tag-key":
        return any(value in tags_of(node) for value in values)
    return False  # resource groups are not modelled: they select no node here


def resolve_targets(state, targets):
    """Nodes selected by a Targets list: every entry must match (AND), any value of an entry may (OR)."""
    cache = {}

    def tags_of(node):
        if node["InstanceId"] not in cache:
            cache[node["InstanceId"]] = node_tags(state, node)
        return cache[node["InstanceId"]]

    only_ids = [t for t in targets if t.get("Key") == "InstanceIds"]
    if only_ids and len(only_ids) == len(targets):
        # Direct ids: look them up instead of scanning the fleet.
        wanted = [set(t.get("Values") or []) for t in only_ids]
        ids = [i for i in dict.fromkeys(only_ids[0].get("Values") or []) if all(i in w for w in wanted)]
        return [node for node in (find_node(state, i) for i in ids) if node is not None]
    return [node for node in all_nodes(state) if all(_target_matches(node, t, tags_of) for t in targets)]


# --- Seeding hybrid nodes ---------------------------------------------------------------------------------------


def _hybrid_id(state, sequence):
    # The account is part of the seed: AWS's node ids are unique across accounts, not only within one.
    return "mi-" + hashlib.sha256(f"{state.account}/{state.region}/{sequence}".encode()).hexdigest()[:17]


def _fraction(node_id, salt):
    """A number in [0, 1) fixed by the node id (deterministic choices per node)."""
    return int(hashlib.sha256(f"{salt}/{node_id}".encode()).hexdigest()[:8], 16) / 0x100000000


def seed_managed_nodes(state, count, patch_groups=(), platform=DEFAULT_OPERATING_SYSTEM, failing=0.0):
    """Register `count` hybrid `mi-` nodes (activated on-premises servers), tagged round-robin with the given
    patch groups (untagged when none), on one operating system or cycling through a list of them.

    Ids are derived from the account, the region and a running sequence, so the same seeding gives the same ids.
    A `failing` fraction of nodes (chosen by id) fails to install one patch on every Install. Returns the new ids.
    """
    platforms = [platform] if isinstance(platform, str) else list(platform)
    unknown = [p for p in platforms if p not in PLATFORMS]
    if unknown or not platforms:
        raise ValueError(f"unknown operating system {unknown}; choose from {', '.join(PLATFORMS)}")
    groups = list(patch_groups or [])
    nodes = state.extra.setdefault("managed_nodes", {})
    counters = area(state, "fleet_counters")
    start = counters.get("seeded", 0)
    registered = now()
    created = []
    for offset in range(count):
        sequence = start + offset
        node_id = _hybrid_id(state, sequence)
        operating_system = platforms[offset % len(platforms)]
        platform_type, platform_name, version, product = PLATFORMS[operating_system]
        host = f"node-{sequence + 1:05d}"
        nodes[node_id] = {
            "InstanceId": node_id,
            "PingStatus": "Online",
            "LastPingDateTime": registered,
            "AgentVersion": AGENT_VERSION,
            "IsLatestVersion": False,
            "PlatformType": platform_type,
            "PlatformName": platform_name,
            "PlatformVersion": version,
            "ActivationId": _activation_id(state),
            "IamRole": HYBRID_IAM_ROLE,
            "RegistrationDate": registered,
            "ResourceType": "ManagedInstance",
            "Name": host,
            "IPAddress": f"10.{(sequence >> 16) & 255}.{(sequence >> 8) & 255}.{sequence & 255}",
            "ComputerName": f"{host}.corp.example.com",
            "SourceId": node_id,
            "SourceType": "AWS::SSM::ManagedInstance",
            "_os": operating_system,
            "_product": product,
            "_failing": _fraction(node_id, "failing") < failing,
        }
        if groups:
            state.tags[("ManagedInstance", node_id)] = {"Patch Group": groups[offset % len(groups)]}
        created.append(node_id)
    counters["seeded"] = start + count
    return created


def _activation_id(state):
    raw = hashlib.sha256(f"activation/{state.account}/{state.region}".encode()).hexdigest()
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:32]}"
