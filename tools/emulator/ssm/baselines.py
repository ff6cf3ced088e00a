"""SSM patch baselines of the local endpoint: Create/Get/Update/Delete/DescribePatchBaselines.

Patch groups and default baselines are in baselines_groups.py, the AWS-owned baselines in
baselines_predefined.py; importing them here registers their operations and seeder.
"""

from . import baselines_groups, baselines_predefined  # noqa: F401  (they register operations and a seeder)
from .baselines_rules import apply_fields, fresh_fields
from .baselines_store import (
    DEFAULT_OPERATING_SYSTEM,
    checked_filters,
    find_baseline,
    identity,
    is_default,
    patch_groups_of,
    public_view,
)
from .common import idempotent, new_id, now, page_result
from .errors import SSMError, does_not_exist, validation_error
from .registry import operation
from .tags import apply_tags, drop_tags

MAX_RESULTS = 100  # the API reference gives the 1-100 range but no default page size


def _owned_by_aws(baseline):
    return bool(baseline.get("_aws_owned"))


@operation("CreatePatchBaseline")
def create_patch_baseline(state, params):
    def create():
        created = now()
        baseline_id = new_id("pb")
        baseline = {
            "BaselineId": baseline_id,
            "OperatingSystem": params.get("OperatingSystem") or DEFAULT_OPERATING_SYSTEM,
            **fresh_fields(),
            "CreatedDate": created,
            "ModifiedDate": created,
        }
        apply_fields(baseline, params)
        apply_tags(state, "PatchBaseline", baseline_id, params.get("Tags"))
        state.baselines[baseline_id] = baseline
        return {"BaselineId": baseline_id}

    return idempotent(state, "CreatePatchBaseline", params, create)


@operation("GetPatchBaseline")
def get_patch_baseline(state, params):
    baseline = find_baseline(state, params["BaselineId"])
    result = public_view(baseline)
    result["PatchGroups"] = patch_groups_of(state, baseline["BaselineId"])
    return result


@operation("UpdatePatchBaseline")
def update_patch_baseline(state, params):
    baseline = find_baseline(state, params["BaselineId"])
    if _owned_by_aws(baseline):
        # The API model lets UpdatePatchBaseline fail only with DoesNotExistException: AWS-owned baselines
        # belong to an AWS account, not to the caller's.
        raise does_not_exist(f"Patch baseline {baseline['BaselineId']} is owned by AWS and can't be updated.")
    # AWS: UpdatePatchBaseline.Replace
    if params.get("Replace"):
        # Replace: what CreatePatchBaseline requires is required here too; other fields not given are reset.
        if params.get("Name") is None:
            raise validation_error("Name is required when Replace is true.")
        updated = {key: baseline[key] for key in ("BaselineId", "OperatingSystem", "CreatedDate")}
        updated.update(fresh_fields())
    else:
        updated = dict(baseline)
    apply_fields(updated, params)
    updated["ModifiedDate"] = now()
    baseline.clear()
    baseline.update(updated)
    return public_view(baseline)


@operation("DeletePatchBaseline")
def delete_patch_baseline(state, params):
    baseline_id = params["BaselineId"]
    if baseline_id not in state.baselines:
        return {"BaselineId": baseline_id}  # AWS answers success for a baseline that is already gone
    baseline = state.baselines[baseline_id]
    if _owned_by_aws(baseline):
        raise SSMError("ResourceInUseException", f"Patch baseline {baseline_id} is owned by AWS and can't be deleted.")
    groups = patch_groups_of(state, baseline_id)
    if groups:
        raise SSMError("ResourceInUseException", f"PatchBaseline to be deleted is used for Patch Group: {groups[0]}")
    if is_default(state, baseline):
        raise SSMError(
            "ResourceInUseException",
            f"Patch baseline {baseline_id} is the default patch baseline for OperatingSystem "
            f"{baseline['OperatingSystem']} and can't be deleted.",
        )
    del state.baselines[baseline_id]
    drop_tags(state, "PatchBaseline", baseline_id)
    return {"BaselineId": baseline_id}


def _owner_matches(baseline, owners):
    owner = "AWS" if _owned_by_aws(baseline) else "Self"
    return "All" in owners or owner in owners


_FILTERS = {
    "NAME_PREFIX": lambda baseline, values: any(baseline["Name"].startswith(value) for value in values),
    "OWNER": _owner_matches,
    "OPERATING_SYSTEM": lambda baseline, values: baseline["OperatingSystem"] in values,
}


def _selected(baseline, filters):
    return all(_FILTERS[flt["Key"]](baseline, flt.get("Values") or []) for flt in filters)


@operation("DescribePatchBaselines")
def describe_patch_baselines(state, params):
    filters = checked_filters(params.get("Filters"), _FILTERS, "DescribePatchBaselines")
    identities = [identity(state, b) for b in state.baselines.values() if _selected(b, filters)]
    return page_result({}, "BaselineIdentities", identities, params, MAX_RESULTS)
