# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Patch baselines in AWS: lookups by name or id, and their registrations (patch groups, default).

Every call is retried (aws_retry=True); the registration helpers make no call in check mode but still
read, so check mode reports what a real run would do, moved patch groups included.
"""

from __future__ import annotations

from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline import (
    FORM,
    RESOURCE_TYPE,
    is_aws_owned,
    same_baseline,
    to_result,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.reads import Reads
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import (
    exactly_one,
    get_or_none,
    paginate,
    write_once,
)


def describe_baselines(client, name_prefix=None, operating_system=None, owner=None):
    """Identities (id, name, operating system, default flag) of the baselines matching the filters."""
    filters = []
    if name_prefix:
        filters.append({"Key": "NAME_PREFIX", "Values": [name_prefix]})
    if operating_system:
        filters.append({"Key": "OPERATING_SYSTEM", "Values": [operating_system]})
    if owner and owner != "All":
        filters.append({"Key": "OWNER", "Values": [owner]})
    return paginate(client, "describe_patch_baselines", "BaselineIdentities", Filters=filters)


def baseline_identities(reads, name):
    """Identities of the baselines whose names start with `name`: by AWS's filter, or, for custom baselines, from
    the run's one listing of the account's own."""
    if not reads.listing or is_aws_owned(name=name):
        return describe_baselines(reads.client, name_prefix=name)
    return reads.once(("baselines",), lambda: describe_baselines(reads.client, owner="Self"))


def find_by_name(module, client, name, reads=None):
    """The identity of the one baseline called `name`, None if there is none; fails when several are."""
    identities = baseline_identities(reads or Reads(client), name)
    matches = [found for found in identities if found.get("BaselineName") == name]
    return exactly_one(module, matches, "patch baseline", name, "BaselineId")


def get_baseline(client, baseline_id):
    """GetPatchBaseline's answer (patch groups included), or None when the baseline does not exist."""
    response = get_or_none(client, "get_patch_baseline", BaselineId=baseline_id)
    if response is not None:
        response.pop("ResponseMetadata", None)
        # AWS-owned baselines are addressed by ARN; keep the id we asked with rather than a bare pb- id.
        response["BaselineId"] = baseline_id  # AWS: GetPatchBaseline.BaselineId
    return response


def default_baseline_id(client, operating_system):
    return client.get_default_patch_baseline(aws_retry=True, OperatingSystem=operating_system).get("BaselineId")


def default_for(reads, operating_system):
    """The id of the default baseline of an operating system, read once per run until a default is registered."""
    return reads.once(("default", operating_system), lambda: default_baseline_id(reads.client, operating_system))


def read_tags(reads, baseline_id):
    """Tags of a custom baseline; AWS-owned baselines live in AWS's account and carry none of ours."""
    if is_aws_owned(baseline_id):
        return {}
    return reads.tags(RESOURCE_TYPE, baseline_id)


def baseline_result(client, baseline, is_default=None, reads=None):
    """A GetPatchBaseline answer as the modules return it: registrations and tags read (`reads`: those of the run;
    none: fresh reads)."""
    reads = reads or Reads(client)
    baseline_id, operating_system = baseline["BaselineId"], baseline["OperatingSystem"]
    if is_default is None:
        is_default = same_baseline(default_for(reads, operating_system), baseline_id)
    return to_result(
        FORM.from_api(baseline),
        baseline_id=baseline_id,
        patch_groups=baseline.get("PatchGroups") or [],
        default_baseline=is_default,
        tags=read_tags(reads, baseline_id),
        api=baseline,
    )


def patch_group_holder(client, patch_group, operating_system):
    """Identity of the baseline of `operating_system` that `patch_group` is registered with, or None."""
    mappings = paginate(
        client, "describe_patch_groups", "Mappings", Filters=[{"Key": "NAME_PREFIX", "Values": [patch_group]}]
    )
    for mapping in mappings:
        identity = mapping.get("BaselineIdentity") or {}
        if mapping.get("PatchGroup") == patch_group and identity.get("OperatingSystem") == operating_system:
            return identity
    return None


def aws_default_for(module, client, operating_system):
    """The AWS-owned baseline that is the default for an operating system until a custom one replaces it.

    AWS names exactly one predefined baseline per system '...Default...' (AWS-DefaultPatchBaseline for
    Windows, AWS-AmazonLinux2DefaultPatchBaseline, AWS-DefaultRaspbianPatchBaseline, ...).
    """
    owned = describe_baselines(client, operating_system=operating_system, owner="AWS")
    candidates = [found for found in owned if "Default" in (found.get("BaselineName") or "")]
    if len(candidates) != 1:
        names = ", ".join(sorted(found.get("BaselineName", "?") for found in owned)) or "none"
        module.fail_json(
            msg=f"Cannot tell which AWS-owned baseline is the default for {operating_system} (AWS-owned baselines: "
            f"{names}); register the default you want with default_baseline on that baseline first."
        )
    return candidates[0]


def ensure_patch_groups(module, client, baseline_id, operating_system, current, desired, purge):
    """Register the baseline for `desired` patch groups (None: leave alone); move groups held elsewhere.

    A patch group holds one baseline per operating system, so a group registered with another baseline of
    the same system is deregistered there first. Returns (changed, groups, moved).
    """
    current = list(current or [])
    to_add, to_remove = patch_group_changes(current, desired, purge)
    moved = []
    for group in to_remove:
        if not module.check_mode:
            set_registration(client, baseline_id, group, operating_system, False)
    for group in to_add:
        holder = patch_group_holder(client, group, operating_system)
        if holder and not same_baseline(holder.get("BaselineId"), baseline_id):
            moved.append(
                {
                    "patch_group": group,
                    "from_baseline_id": holder.get("BaselineId"),
                    "from_baseline_name": holder.get("BaselineName"),
                }
            )
            if not module.check_mode:
                set_registration(client, holder["BaselineId"], group, operating_system, False)
        if not module.check_mode:
            set_registration(client, baseline_id, group, operating_system, True)
    groups = [group for group in current if group not in to_remove] + to_add
    return bool(to_add or to_remove), sorted(groups), moved


def patch_group_changes(current, desired, purge):
    """(to add, to remove): the registrations that `desired` patch groups (None: leave alone) ask of `current`."""
    if desired is None:
        return [], []
    desired = list(dict.fromkeys(desired))
    to_remove = [group for group in current if group not in desired] if purge else []
    return [group for group in desired if group not in current], to_remove


def set_registration(client, baseline_id, group, operating_system, registered):
    """Register `group` with the baseline (`registered`) or deregister it. A retry of a write AWS had carried out
    errs (AlreadyExists; InvalidResourceId once the group has left): success when a fresh read confirms it."""
    if registered:
        write, done = client.register_patch_baseline_for_patch_group, "AlreadyExistsException"
    else:
        write, done = client.deregister_patch_baseline_for_patch_group, "InvalidResourceId"

    def confirmed():
        holder = patch_group_holder(client, group, operating_system) or {}
        return same_baseline(holder.get("BaselineId"), baseline_id) == registered

    write_once(write, done, confirmed, BaselineId=baseline_id, PatchGroup=group)


def ensure_default(module, client, baseline_id, operating_system, is_default, desired):
    """Make the baseline the default for its system, or hand that back to AWS's. Returns (changed, is_default)."""
    if desired is None or bool(desired) == bool(is_default):
        return False, bool(is_default)
    target = baseline_id if desired else restore_target(module, client, baseline_id, operating_system)
    if not module.check_mode:
        client.register_default_patch_baseline(aws_retry=True, BaselineId=target)
    return True, bool(desired)


def restore_target(module, client, baseline_id, operating_system):
    """The id (ARN) of AWS's default baseline for the system, which takes over from `baseline_id`."""
    aws_default = aws_default_for(module, client, operating_system)
    if same_baseline(aws_default.get("BaselineId"), baseline_id):
        module.fail_json(
            msg=f"{aws_default.get('BaselineName')} is AWS's own default for {operating_system}; to replace it, "
            "set default_baseline on the baseline that should become the default."
        )
    return aws_default["BaselineId"]
