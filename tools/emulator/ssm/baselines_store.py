"""Shared look-ups over the region's baselines, patch groups and default baselines."""

import copy

from .errors import does_not_exist, validation_error

# AWS: CreatePatchBaseline.OperatingSystem
DEFAULT_OPERATING_SYSTEM = "WINDOWS"  # AWS's default when a request names no operating system

NOT_FOUND = "Patch Baseline to be retrieved does not exist."


def find_baseline(state, baseline_id):
    """The stored baseline; AWS-owned ones are keyed by their ARN, so a bare pb- id does not find them."""
    baseline = state.baselines.get(baseline_id)
    if baseline is None:
        raise does_not_exist(NOT_FOUND)
    return baseline


def public_view(baseline):
    """The baseline as the API shows it: internal `_` markers left out, a copy the caller may change."""
    return {key: copy.deepcopy(value) for key, value in baseline.items() if not key.startswith("_")}


def aws_default_id(state, operating_system):
    for baseline_id, baseline in state.baselines.items():
        if baseline.get("_aws_default") and baseline["OperatingSystem"] == operating_system:
            return baseline_id
    return None


def default_baseline_id(state, operating_system):
    """The registered default for an operating system, or the AWS-owned default until one is registered."""
    return state.default_baselines.get(operating_system) or aws_default_id(state, operating_system)


def is_default(state, baseline):
    return default_baseline_id(state, baseline["OperatingSystem"]) == baseline["BaselineId"]


def patch_groups_of(state, baseline_id):
    return sorted(group for (group, _os), registered in state.patch_groups.items() if registered == baseline_id)


def identity(state, baseline):
    """A PatchBaselineIdentity as DescribePatchBaselines and DescribePatchGroups return it."""
    result = {
        "BaselineId": baseline["BaselineId"],
        "BaselineName": baseline["Name"],
        "OperatingSystem": baseline["OperatingSystem"],
    }
    if baseline.get("Description"):
        result["BaselineDescription"] = baseline["Description"]
    result["DefaultBaseline"] = is_default(state, baseline)
    return result


def checked_filters(filters, known, operation_name):
    """The request's filters, after refusing keys the operation does not support."""
    for flt in filters or []:
        if flt.get("Key") not in known:
            raise validation_error(f"Filter key {flt.get('Key')} is not valid for {operation_name}.")
    return filters or []
