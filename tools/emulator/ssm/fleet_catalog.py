"""A deterministic simulated patch catalog per operating system, and each node's inventory of it.

Each operating system gets 48 patches whose names, classifications, severities and release dates come from a
random generator seeded with the operating system, so every run sees the same catalog. Release dates spread over
the year before the catalog's anchor day (the day the region was first patched), a few of them inside the last
week so that approve-after-days rules leave recent patches unapproved.

A node's starting inventory (which patches apply to it, which it already has) comes from a hash of its id; what
Install changes is kept as overrides in state.extra["node_patches"] (node id -> patch id -> (code, installed
time)), so 10,000 nodes cost only what was installed on them.
"""

import datetime
import functools
import hashlib
import random
from typing import NamedTuple

from .common import now
from .fleet_nodes import area

PATCHES_PER_SYSTEM = 48  # at most 64: a node's starting inventory is one byte per patch of a hash
RECENT_PATCHES = 4  # released within the last week
APPLICABLE_SHARE = 0.92  # of the catalog that applies to a node (the rest: packages it does not have)
INSTALLED_SHARE = 0.58  # of the catalog a node starts with installed

AMAZON = ("AMAZON_LINUX", "AMAZON_LINUX_2", "AMAZON_LINUX_2022", "AMAZON_LINUX_2023")
REDHAT_LIKE = ("REDHAT_ENTERPRISE_LINUX", "CENTOS", "ORACLE_LINUX", "ROCKY_LINUX", "ALMA_LINUX")
DEBIAN_LIKE = ("UBUNTU", "DEBIAN", "RASPBIAN")
WINDOWS_SECURITY = ("SecurityUpdates", "CriticalUpdates")

_RELEASE_SUFFIX = {
    "AMAZON_LINUX": "amzn1",
    "AMAZON_LINUX_2": "amzn2",
    "AMAZON_LINUX_2022": "amzn2022",
    "AMAZON_LINUX_2023": "amzn2023",
    "REDHAT_ENTERPRISE_LINUX": "el8",
    "CENTOS": "el7",
    "ORACLE_LINUX": "el8",
    "ROCKY_LINUX": "el8",
    "ALMA_LINUX": "el8_8",
    "SUSE": "150400",
}
_PACKAGES = (
    "kernel", "openssl-libs", "glibc", "curl", "libcurl", "python3", "systemd", "bash", "sudo", "openssh-server",
    "nss", "krb5-libs", "tzdata", "vim-minimal", "rpm", "ca-certificates", "libxml2", "expat", "zlib", "sqlite",
    "git", "httpd", "nginx", "polkit", "dbus", "grub2", "microcode_ctl", "libgcrypt", "gnupg2", "libssh2",
    "perl", "less", "file", "binutils", "gcc", "cpio", "tar", "unzip", "xz-libs", "libtiff", "libpng",
    "freetype", "cups-libs", "samba-client", "bind-libs", "dhclient", "ntp", "chrony", "rsync", "wget",
)  # fmt: skip
_SECTIONS = ("libs", "admin", "net", "utils", "python", "web", "kernel", "devel")
_WINDOWS_KINDS = {
    "SecurityUpdates": "Cumulative Security Update",
    "CriticalUpdates": "Critical Update",
    "Updates": "Update",
    "UpdateRollups": "Update Rollup",
    "DefinitionUpdates": "Security Intelligence Update",
    "ServicePacks": "Servicing Stack Update",
    "Drivers": "Driver Update",
    "FeaturePacks": "Feature Pack",
    "Tools": "Tools Update",
}


class Patch(NamedTuple):
    patch_id: str  # the KBId: a KB number on Windows, name.arch on yum/zypper systems, a package elsewhere
    title: str
    classification: str
    severity: str
    released: datetime.date
    security: bool
    cve_ids: str
    names: tuple  # what ApprovedPatches/RejectedPatches entries may name (the id, package, full version)
    attributes: dict  # patch filter key -> value; PRODUCT, when absent, is the node's product


def _weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def _cves(rng, security):
    if not security:
        return ""
    return ",".join(f"CVE-{rng.randint(2022, 2025)}-{rng.randint(1000, 49999)}" for _ in range(rng.randint(1, 3)))


def _ages(rng):
    ages = [rng.randint(1, 6) for _ in range(RECENT_PATCHES)]
    ages += [rng.randint(8, 365) for _ in range(PATCHES_PER_SYSTEM - RECENT_PATCHES)]
    return ages


def _rpm_patch(rng, operating_system, index, package, released):
    classification = _weighted(
        rng, (("Security", 45), ("Bugfix", 35), ("Enhancement", 10), ("Recommended", 5), ("Newpackage", 5))
    )
    security = classification == "Security"
    severity = _weighted(rng, (("Critical", 2), ("Important", 4), ("Medium", 3), ("Low", 1))) if security else "None"
    version = f"{rng.randint(1, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 20)}"
    release = f"{rng.randint(1, 300)}.{_RELEASE_SUFFIX.get(operating_system, 'el8')}"
    arch = "noarch" if package in ("tzdata", "ca-certificates") else "x86_64"
    advisory = "ALAS2" if operating_system in AMAZON else "RHSA"
    patch_id = f"{package}.{arch}"
    return Patch(
        patch_id=patch_id,
        title=f"{package}.{arch}:0:{version}-{release}",
        classification=classification,
        severity=severity,
        released=released,
        security=security,
        cve_ids=_cves(rng, security),
        names=(patch_id, package, f"{package}-{version}-{release}.{arch}"),
        attributes={
            "CLASSIFICATION": classification,
            "SEVERITY": severity,
            "ADVISORY_ID": f"{advisory}-{released.year}-{1000 + index}",
            "ARCH": arch,
            "NAME": package,
            "VERSION": version,
            "RELEASE": release,
            "REPOSITORY": "updates",
        },
    )


def _suse_patch(rng, operating_system, index, package, released):
    patch = _rpm_patch(rng, operating_system, index, package, released)
    classification = _weighted(rng, (("Security", 45), ("Recommended", 35), ("Optional", 10), ("Feature", 10)))
    security = classification == "Security"
    severity = _weighted(rng, (("Critical", 2), ("Important", 4), ("Moderate", 3), ("Low", 1)))
    patch_id = f"SUSE-SLE-Module-Basesystem-15-SP4-{released.year}-{1000 + index}"
    kind = "Security update" if security else "Recommended update"
    attributes = dict(patch.attributes, CLASSIFICATION=classification, SEVERITY=severity)
    return patch._replace(
        patch_id=patch_id,
        title=f"{kind} for {package}",
        classification=classification,
        severity=severity,
        security=security,
        cve_ids=_cves(rng, security),
        names=(patch_id, package),
        attributes=attributes,
    )


def _debian_patch(rng, operating_system, index, package, released):
    security = rng.random() < 0.45
    priority = _weighted(rng, (("Required", 2), ("Important", 3), ("Standard", 3), ("Optional", 4), ("Extra", 1)))
    name = package.replace("-libs", "").replace("openssl", "libssl3")
    suffix = "0ubuntu0.22.04.1" if operating_system == "UBUNTU" else "1+deb11u1"
    version = f"{rng.randint(1, 9)}.{rng.randint(0, 40)}-{suffix}"
    return Patch(
        patch_id=name,
        title=f"{name} {version}",
        classification="Security" if security else "Bugfix",
        severity=priority,
        released=released,
        security=security,
        cve_ids=_cves(rng, security),
        names=(name, f"{name}={version}"),
        attributes={"SECTION": rng.choice(_SECTIONS), "PRIORITY": priority, "NAME": name, "VERSION": version},
    )


def _windows_patch(rng, operating_system, index, package, released):
    application = index >= PATCHES_PER_SYSTEM - 6  # the last few patch Office, not the OS
    classification = _weighted(
        rng,
        (("SecurityUpdates", 40), ("CriticalUpdates", 15), ("Updates", 15), ("UpdateRollups", 10))
        + (("DefinitionUpdates", 8), ("ServicePacks", 4), ("Drivers", 4), ("FeaturePacks", 2), ("Tools", 2)),
    )
    security = classification in WINDOWS_SECURITY
    msrc = (
        _weighted(rng, (("Critical", 3), ("Important", 4), ("Moderate", 2), ("Low", 1))) if security else "Unspecified"
    )
    kb = f"KB50{rng.randint(10000, 49999)}"
    target = "Microsoft Office 2016" if application else "Windows Server for x64-based Systems"
    attributes = {
        "CLASSIFICATION": classification,
        "MSRC_SEVERITY": msrc,
        "PATCH_SET": "APPLICATION" if application else "OS",
        "PRODUCT_FAMILY": "Office" if application else "Windows",
        "PATCH_ID": kb,
    }
    if application:
        attributes["PRODUCT"] = "Office 2016"
    return Patch(
        patch_id=kb,
        title=f"{released:%Y-%m} {_WINDOWS_KINDS[classification]} for {target} ({kb})",
        classification=classification,
        severity=msrc,
        released=released,
        security=security,
        cve_ids=_cves(rng, security),
        names=(kb,),
        attributes=attributes,
    )


def _macos_patch(rng, operating_system, index, package, released):
    patch = _rpm_patch(rng, operating_system, index, package, released)
    name = f"{package.replace('-', '_')}-{patch.attributes['VERSION']}"
    return patch._replace(patch_id=name, title=name, severity="", names=(name, package))


def _builder(operating_system):
    if operating_system == "WINDOWS":
        return _windows_patch
    if operating_system in DEBIAN_LIKE:
        return _debian_patch
    if operating_system == "SUSE":
        return _suse_patch
    if operating_system == "MACOS":
        return _macos_patch
    return _rpm_patch


@functools.cache
def catalog(operating_system, anchor):
    """The patches Patch Manager knows for an operating system, as of the anchor day (a date)."""
    rng = random.Random(f"patch-catalog/{operating_system}")
    build = _builder(operating_system)
    patches = []
    for index, age in enumerate(_ages(rng)):
        package = _PACKAGES[index % len(_PACKAGES)]
        patches.append(build(rng, operating_system, index, package, anchor - datetime.timedelta(days=age)))
    return tuple(patches)


def anchor_day(state):
    """The day the region's catalog is anchored to: fixed at first use, so a run never sees it shift."""
    counters = area(state, "fleet_counters")
    if "catalog_anchor" not in counters:
        counters["catalog_anchor"] = now().date()
    return counters["catalog_anchor"]


def region_catalog(state, operating_system):
    return catalog(operating_system, anchor_day(state))


# What a node holds of a catalog patch. MISSING and ABSENT are the starting states of patches it lacks (applicable
# to it or not); overrides hold INSTALLED, PENDING_REBOOT or FAILED.
ABSENT, MISSING, INSTALLED, PENDING_REBOOT, FAILED = range(5)


def starting_codes(node_id, count):
    """The node's starting code per catalog patch, drawn from a hash of its id (fast for 10,000 nodes)."""
    draws = hashlib.blake2b(f"inventory/{node_id}".encode(), digest_size=64).digest()[:count]
    installed, applicable = INSTALLED_SHARE * 256, APPLICABLE_SHARE * 256
    return [INSTALLED if draw < installed else MISSING if draw < applicable else ABSENT for draw in draws]


def installed_before(patch):
    """When a patch a node starts with was installed: the evening of its release day."""
    return datetime.datetime.combine(patch.released, datetime.time(23), datetime.UTC)


def node_codes(state, node_id, patches):
    """(code per patch, overrides: patch id -> (code, installed time)) of a node now."""
    codes = starting_codes(node_id, len(patches))
    overrides = state.extra.get("node_patches", {}).get(node_id, {})
    if overrides:
        for index, patch in enumerate(patches):
            if patch.patch_id in overrides:
                codes[index] = overrides[patch.patch_id][0]
    return codes, overrides


def set_code(state, node_id, patch_id, code, when):
    area(state, "node_patches").setdefault(node_id, {})[patch_id] = (code, when)
