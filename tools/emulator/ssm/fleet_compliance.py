"""Patch compliance of managed nodes: DescribeInstancePatchStates (+ForPatchGroup), DescribeInstancePatches and
DescribePatchGroupState, read from the records fleet_patching.py keeps. A node never scanned has no patch state."""

from .common import page_result
from .errors import SSMError
from .fleet_nodes import find_node
from .fleet_patching import node_rows, public_state
from .registry import operation

MAX_RESULTS = 100  # the model's maximum; the API reference names no default page size
EPOCH = 0  # InstalledTime of a patch that is not installed, as AWS reports it (1970-01-01)

# The InstancePatchStateFilter keys the API reference lists.
STATE_FILTER_KEYS = (
    "InstalledCount",
    "InstalledOtherCount",
    "InstalledPendingRebootCount",
    "InstalledRejectedCount",
    "MissingCount",
    "FailedCount",
    "UnreportedNotApplicableCount",
    "NotApplicableCount",
)
_COMPARISONS = {
    "Equal": lambda actual, wanted: actual == wanted,
    "NotEqual": lambda actual, wanted: actual != wanted,
    "LessThan": lambda actual, wanted: actual < wanted,
    "GreaterThan": lambda actual, wanted: actual > wanted,
}


def _states(state):
    return state.extra.get("patch_states", {})


def _group_members(state, group):
    return state.extra.get("patch_group_members", {}).get(group, {})


@operation("DescribeInstancePatchStates")
def describe_instance_patch_states(state, params):
    # botocore's model caps InstanceIds at 50, which validation.py enforces before this runs.
    records = _states(state)
    found = [public_state(records[i]) for i in dict.fromkeys(params["InstanceIds"]) if i in records]
    return page_result({}, "InstancePatchStates", found, params, MAX_RESULTS)


def _state_filter(flt):
    if flt["Key"] not in STATE_FILTER_KEYS:
        raise SSMError("InvalidFilter", f"The filter key {flt['Key']} isn't valid. Valid keys: {STATE_FILTER_KEYS}.")
    value = flt["Values"][0]
    if not value.isdigit():
        raise SSMError("InvalidFilter", f"The filter value {value} isn't valid: it must be an integer of 0 or more.")
    compare = _COMPARISONS[flt["Type"]]
    return lambda record: compare(record.get(flt["Key"], 0), int(value))


@operation("DescribeInstancePatchStatesForPatchGroup")
def describe_instance_patch_states_for_patch_group(state, params):
    tests = [_state_filter(flt) for flt in params.get("Filters") or []]
    records = _states(state)
    found = [records[i] for i in _group_members(state, params["PatchGroup"])]
    selected = [public_state(record) for record in found if all(test(record) for test in tests)]
    return page_result({}, "InstancePatchStates", selected, params, MAX_RESULTS)


def _normalised_state(text):
    return text.upper().replace("_", "")


_PATCH_FILTERS = {
    "Classification": lambda patch, _state, values: patch.classification in values,
    "KBId": lambda patch, _state, values: patch.patch_id in values,
    "Severity": lambda patch, _state, values: patch.severity in values,
    # Sample values in the API reference are Installed, InstalledOther, ...; the enum spelling works too.
    "State": lambda _patch, state, values: _normalised_state(state) in {_normalised_state(v) for v in values},
}


@operation("DescribeInstancePatches")
def describe_instance_patches(state, params):
    node = find_node(state, params["InstanceId"])
    if node is None:
        raise SSMError("InvalidInstanceId", f"Instance Id {params['InstanceId']} is not a managed node.")
    filters = params.get("Filters") or []
    for flt in filters:
        if flt.get("Key") not in _PATCH_FILTERS:
            raise SSMError("InvalidFilter", f"The filter key {flt.get('Key')} isn't valid for DescribeInstancePatches.")
    record = _states(state).get(node["InstanceId"])
    rows = node_rows(state, record, node) if record else []
    patches = []
    for patch, patch_state, installed_at in rows:
        if all(_PATCH_FILTERS[flt["Key"]](patch, patch_state, flt.get("Values") or []) for flt in filters):
            entry = {
                "Title": patch.title,
                "KBId": patch.patch_id,
                "Classification": patch.classification,
                "Severity": patch.severity,
                "State": patch_state,
                "InstalledTime": installed_at or EPOCH,
            }
            if patch.cve_ids:
                entry["CVEIds"] = patch.cve_ids
            patches.append(entry)
    return page_result({}, "Patches", patches, params, MAX_RESULTS)


# DescribePatchGroupState field -> the per-node count whose being above zero puts a node in it.
_GROUP_COUNTS = {
    "InstancesWithInstalledPatches": "InstalledCount",
    "InstancesWithInstalledOtherPatches": "InstalledOtherCount",
    "InstancesWithInstalledPendingRebootPatches": "InstalledPendingRebootCount",
    "InstancesWithInstalledRejectedPatches": "InstalledRejectedCount",
    "InstancesWithMissingPatches": "MissingCount",
    "InstancesWithFailedPatches": "FailedCount",
    "InstancesWithNotApplicablePatches": "NotApplicableCount",
    "InstancesWithUnreportedNotApplicablePatches": "UnreportedNotApplicableCount",
    "InstancesWithCriticalNonCompliantPatches": "CriticalNonCompliantCount",
    "InstancesWithSecurityNonCompliantPatches": "SecurityNonCompliantCount",
    "InstancesWithOtherNonCompliantPatches": "OtherNonCompliantCount",
    "InstancesWithAvailableSecurityUpdates": "AvailableSecurityUpdateCount",
}


@operation("DescribePatchGroupState")
def describe_patch_group_state(state, params):
    records = _states(state)
    members = [records[i] for i in _group_members(state, params["PatchGroup"])]
    result = {"Instances": len(members)}
    for field, count in _GROUP_COUNTS.items():
        result[field] = sum(1 for record in members if record.get(count, 0) > 0)
    return result
