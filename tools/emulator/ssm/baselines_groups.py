"""Patch groups (one baseline per operating system each) and the default baseline of each operating system."""

from .baselines_store import (
    DEFAULT_OPERATING_SYSTEM,
    checked_filters,
    default_baseline_id,
    find_baseline,
    identity,
)
from .common import page_result
from .errors import SSMError, invalid_resource_id
from .registry import operation

MAX_RESULTS = 100  # the API reference gives the 1-100 range but no default page size


@operation("RegisterPatchBaselineForPatchGroup")
def register_patch_baseline_for_patch_group(state, params):
    baseline = find_baseline(state, params["BaselineId"])
    group = params["PatchGroup"]
    if baseline.get("_aws_owned"):
        raise invalid_resource_id(f"Patch baseline {baseline['BaselineId']} is owned by AWS and can't be registered.")
    operating_system = baseline["OperatingSystem"]
    # AWS: guide:patch-group-one-baseline-per-os
    if (group, operating_system) in state.patch_groups:
        raise SSMError(
            "AlreadyExistsException",
            f"Patch Group {group} already has a baseline registered for OperatingSystem {operating_system}.",
        )
    state.patch_groups[(group, operating_system)] = baseline["BaselineId"]
    return {"BaselineId": baseline["BaselineId"], "PatchGroup": group}


@operation("DeregisterPatchBaselineForPatchGroup")
def deregister_patch_baseline_for_patch_group(state, params):
    baseline = find_baseline(state, params["BaselineId"])
    group = params["PatchGroup"]
    key = (group, baseline["OperatingSystem"])
    if state.patch_groups.get(key) != baseline["BaselineId"]:
        raise invalid_resource_id(
            f"Patch Group {group} is not registered with patch baseline {baseline['BaselineId']}."
        )
    del state.patch_groups[key]
    return {"BaselineId": baseline["BaselineId"], "PatchGroup": group}


_FILTERS = {
    "NAME_PREFIX": lambda group, _baseline, values: any(group.startswith(value) for value in values),
    "OPERATING_SYSTEM": lambda _group, baseline, values: baseline["OperatingSystem"] in values,
}


@operation("DescribePatchGroups")
def describe_patch_groups(state, params):
    filters = checked_filters(params.get("Filters"), _FILTERS, "DescribePatchGroups")
    mappings = []
    for (group, _os), baseline_id in sorted(state.patch_groups.items()):
        baseline = state.baselines[baseline_id]
        if all(_FILTERS[flt["Key"]](group, baseline, flt.get("Values") or []) for flt in filters):
            mappings.append({"PatchGroup": group, "BaselineIdentity": identity(state, baseline)})
    return page_result({}, "Mappings", mappings, params, MAX_RESULTS)


@operation("GetPatchBaselineForPatchGroup")
def get_patch_baseline_for_patch_group(state, params):
    operating_system = params.get("OperatingSystem") or DEFAULT_OPERATING_SYSTEM
    group = params["PatchGroup"]
    # A group without a baseline for this operating system is patched with the default baseline.
    baseline_id = state.patch_groups.get((group, operating_system)) or default_baseline_id(state, operating_system)
    return {"BaselineId": baseline_id, "PatchGroup": group, "OperatingSystem": operating_system}


@operation("RegisterDefaultPatchBaseline")
def register_default_patch_baseline(state, params):
    baseline = find_baseline(state, params["BaselineId"])
    operating_system = baseline["OperatingSystem"]
    if baseline.get("_aws_default"):
        state.default_baselines.pop(operating_system, None)  # back to the AWS-owned default
    else:
        state.default_baselines[operating_system] = baseline["BaselineId"]
    return {"BaselineId": baseline["BaselineId"]}


@operation("GetDefaultPatchBaseline")
def get_default_patch_baseline(state, params):
    operating_system = params.get("OperatingSystem") or DEFAULT_OPERATING_SYSTEM
    return {"BaselineId": default_baseline_id(state, operating_system), "OperatingSystem": operating_system}
