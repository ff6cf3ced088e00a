"""The simulated Scan and Install of AWS-RunPatchBaseline, patch baseline snapshots, and nodes' patch states.

state.extra["patch_states"] maps a node id to its InstancePatchState record (API fields, plus `_plan`, how the
baseline the operation used treats each catalog patch, so DescribeInstancePatches can list the patches again).
state.extra["patch_group_members"] maps a patch group to the ids of nodes whose last operation reported it, so
patch-group queries never scan the whole fleet. state.extra["patch_snapshots"] maps a SnapshotId to
{(patch group, operating system): frozen baseline, its id and day}.
"""

import copy
import hashlib

from .baselines_store import default_baseline_id
from .common import now
from .errors import SSMError
from .fleet_approval import decide, patch_rows, plan, summary_counts
from .fleet_catalog import (
    FAILED,
    INSTALLED,
    PENDING_REBOOT,
    installed_before,
    node_codes,
    region_catalog,
    set_code,
)
from .fleet_nodes import area, find_node, patch_group_of
from .registry import operation

REBOOT_IF_NEEDED, NO_REBOOT = "RebootIfNeeded", "NoReboot"


def unsupported(node):
    return SSMError(
        "UnsupportedOperatingSystem",
        f"The operating system of managed node {node['InstanceId']} is not supported for patching.",
    )


def baseline_id_for(state, node, group):
    """The baseline a node is patched with: its patch group's for its operating system, else the default."""
    operating_system = node["_os"]
    return state.patch_groups.get((group, operating_system)) or default_baseline_id(state, operating_system)


class PatchRun:
    """What the nodes of one command (or one seeding) share: baselines frozen at its start, their plans."""

    def __init__(self, state):
        self.state = state
        self.day = now().date()
        self._frozen = {}
        self._plans = {}

    def frozen(self, baseline_id):
        if baseline_id not in self._frozen:
            self._frozen[baseline_id] = copy.deepcopy(self.state.baselines[baseline_id])
        return self._frozen[baseline_id]

    def plan(self, baseline, node, day):
        key = (id(baseline), node["_os"], node["_product"], day)
        if key not in self._plans:
            patches = region_catalog(self.state, node["_os"])
            decisions = decide(baseline, node["_os"], node["_product"], day, patches)
            self._plans[key] = plan(baseline, node["_os"], decisions)
        return self._plans[key]


def take_snapshot(state, snapshot_id, node, group, override=None):
    """The snapshot of the baseline this node uses, frozen the first time the SnapshotId is used for its patch
    group and operating system; later operations with the same SnapshotId patch by it unchanged."""
    entries = area(state, "patch_snapshots").setdefault(snapshot_id, {})
    key = (group, node["_os"])
    if key not in entries:
        baseline_id = baseline_id_for(state, node, group)
        if baseline_id is None:
            raise unsupported(node)
        baseline = copy.deepcopy(override if override is not None else state.baselines[baseline_id])
        entries[key] = {"BaselineId": baseline_id, "baseline": baseline, "day": now().date()}
    return entries[key]


def _install(state, node, entries, reboot_option, when):
    """Install the approved patches the node lacks; returns how many were installed."""
    node_id = node["InstanceId"]
    codes, overrides = node_codes(state, node_id, [entry.patch for entry in entries])
    fail_next = bool(node.get("_failing"))  # such a node fails one patch on every Install
    installed = 0
    for entry, code in zip(entries, codes, strict=True):
        if entry.states[code] not in ("MISSING", "FAILED"):
            continue  # not approved, not applicable, or already installed
        if fail_next:
            set_code(state, node_id, entry.patch.patch_id, FAILED, None)
            fail_next = False
            continue
        set_code(
            state, node_id, entry.patch.patch_id, PENDING_REBOOT if reboot_option == NO_REBOOT else INSTALLED, when
        )
        installed += 1
    if reboot_option == REBOOT_IF_NEEDED:
        for patch_id, (code, at) in list(overrides.items()):
            if code == PENDING_REBOOT:  # the reboot completes earlier NoReboot installs
                set_code(state, node_id, patch_id, INSTALLED, at)
    return installed


def patch_node(state, run, node, operation_type, reboot_option=REBOOT_IF_NEEDED, snapshot_id="", override_list=""):
    """Scan or Install one node and record its patch state; returns (record, patches installed now)."""
    group = patch_group_of(state, node)
    if snapshot_id:
        snapshot = take_snapshot(state, snapshot_id, node, group)
        baseline_id, baseline, day = snapshot["BaselineId"], snapshot["baseline"], snapshot["day"]
    else:
        baseline_id = baseline_id_for(state, node, group)
        if baseline_id is None:
            raise unsupported(node)
        baseline, day = run.frozen(baseline_id), run.day
    entries = run.plan(baseline, node, day)
    started = now()
    installed = _install(state, node, entries, reboot_option, started) if operation_type == "Install" else 0
    codes, _overrides = node_codes(state, node["InstanceId"], [entry.patch for entry in entries])
    states = area(state, "patch_states")
    previous = states.get(node["InstanceId"]) or {}
    record = {
        "InstanceId": node["InstanceId"],
        "PatchGroup": group,
        "BaselineId": baseline_id,
        **summary_counts(entries, codes),
        "OperationStartTime": started,
        "OperationEndTime": now(),
        "Operation": operation_type,
        "RebootOption": reboot_option,
        "_plan": entries,
    }
    if snapshot_id:
        record["SnapshotId"] = snapshot_id
    if override_list:
        record["InstallOverrideList"] = override_list
    if operation_type == "Install" and reboot_option == NO_REBOOT:
        record["LastNoRebootInstallOperationTime"] = record["OperationEndTime"]
    elif previous.get("LastNoRebootInstallOperationTime"):
        record["LastNoRebootInstallOperationTime"] = previous["LastNoRebootInstallOperationTime"]
    _index(state, node["InstanceId"], previous.get("PatchGroup"), group)
    states[node["InstanceId"]] = record
    return record, installed


def _index(state, node_id, old_group, new_group):
    members = area(state, "patch_group_members")
    if old_group is not None and old_group != new_group:
        members.get(old_group, {}).pop(node_id, None)
    members.setdefault(new_group, {})[node_id] = None


def scan_nodes(state, node_ids):
    """Scan nodes outside any command (used when seeding a fleet that should already report compliance)."""
    run = PatchRun(state)
    for node_id in node_ids:
        patch_node(state, run, find_node(state, node_id), "Scan")


def public_state(record):
    return {key: value for key, value in record.items() if not key.startswith("_")}


def node_rows(state, record, node):
    """[(patch, state, installed time or None)] a node reported at its last operation, from its stored plan."""
    entries = record["_plan"]
    patches = [entry.patch for entry in entries]
    codes, overrides = node_codes(state, node["InstanceId"], patches)

    def installed_at(index, code):
        if code not in (INSTALLED, PENDING_REBOOT):
            return None
        override = overrides.get(patches[index].patch_id)
        return override[1] if override else installed_before(patches[index])

    return patch_rows(entries, codes, installed_at)


def _download_url(state, snapshot_id, node):
    digest = hashlib.sha256(f"{state.region}/{snapshot_id}/{node['_os']}".encode()).hexdigest()
    return (
        f"https://patch-baseline-snapshot-{state.region}.s3.{state.region}.amazonaws.com/{digest}/"
        f"{node['_os']}/{snapshot_id}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=86400"
    )


@operation("GetDeployablePatchSnapshotForInstance")
def get_deployable_patch_snapshot_for_instance(state, params):
    node = find_node(state, params["InstanceId"])
    if node is None:
        # The model names no error for an unknown node; this is the code the other node operations use.
        raise SSMError("InvalidInstanceId", f"Instance Id {params['InstanceId']} is not a managed node.")
    override = params.get("BaselineOverride")
    if override and override.get("OperatingSystem") and override["OperatingSystem"] != node["_os"]:
        raise unsupported(node)
    take_snapshot(state, params["SnapshotId"], node, patch_group_of(state, node), override)
    return {
        "InstanceId": node["InstanceId"],
        "SnapshotId": params["SnapshotId"],
        "SnapshotDownloadUrl": _download_url(state, params["SnapshotId"], node),
        "Product": node["_product"],
    }
