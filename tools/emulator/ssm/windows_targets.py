"""Maintenance window targets: Register/Deregister/Update/DescribeMaintenanceWindowTargets."""

from .common import idempotent, matches_filters, new_uuid, page_result
from .errors import SSMError, validation_error
from .registry import operation
from .windows_store import (
    DEFAULT_PAGE,
    check_filter_keys,
    merged,
    pick,
    require_for_replace,
    target_or_error,
    window_or_error,
)

UPDATABLE = ("Targets", "OwnerInformation", "Name", "Description")
TARGET_FIELDS = ("WindowId", "WindowTargetId", "ResourceType") + UPDATABLE
# The API reference names these three keys for DescribeMaintenanceWindowTargets.
FILTER_GETTERS = {
    "WindowTargetId": lambda target: target["WindowTargetId"],
    "OwnerInformation": lambda target: target.get("OwnerInformation"),
    "Type": lambda target: target["ResourceType"],
}


def check_targets(targets):
    if not targets:
        raise validation_error("Please specify at least one target.")
    for target in targets:
        if not target.get("Key") or not target.get("Values"):
            raise validation_error(
                f"Please specify at least one target.  Filter values can't be null and {target.get('Key')} is."
            )


def referencing_tasks(state, window_id, target_id):
    """Ids of the window's tasks whose Targets name this window target."""
    return [
        task_id
        for task_id, task in state.window_tasks.get(window_id, {}).items()
        if any(t["Key"] == "WindowTargetIds" and target_id in t["Values"] for t in task.get("Targets") or [])
    ]


@operation("RegisterTargetWithMaintenanceWindow")
def register_target_with_maintenance_window(state, params):
    window_id = params["WindowId"]
    window_or_error(state, window_id)

    def create():
        check_targets(params["Targets"])
        target = pick(params, ("ResourceType",) + UPDATABLE)
        target_id = new_uuid()
        target.update(WindowId=window_id, WindowTargetId=target_id)
        state.window_targets.setdefault(window_id, {})[target_id] = target
        return {"WindowTargetId": target_id}

    return idempotent(state, "RegisterTargetWithMaintenanceWindow", params, create)


@operation("DeregisterTargetFromMaintenanceWindow")
def deregister_target_from_maintenance_window(state, params):
    window_id, target_id = params["WindowId"], params["WindowTargetId"]
    window_or_error(state, window_id)
    target_or_error(state, window_id, target_id)
    if params.get("Safe"):
        tasks = referencing_tasks(state, window_id, target_id)
        if tasks:
            raise SSMError(
                "TargetInUseException",
                f"This Target cannot be deregistered because it is still referenced in Task: {tasks[0]}",
            )
    # Without Safe the target goes even when tasks name it; their Targets are left untouched.
    del state.window_targets[window_id][target_id]
    return {"WindowId": window_id, "WindowTargetId": target_id}


@operation("UpdateMaintenanceWindowTarget")
def update_maintenance_window_target(state, params):
    window_id, target_id = params["WindowId"], params["WindowTargetId"]
    window_or_error(state, window_id)
    current = target_or_error(state, window_id, target_id)
    # AWS: UpdateMaintenanceWindowTarget.Replace
    replace = bool(params.get("Replace"))
    if replace:
        require_for_replace(params, ("Targets",))
    updated = merged(current, params, UPDATABLE, replace)
    check_targets(updated.get("Targets"))
    # AWS: shape:UpdateMaintenanceWindowTarget.ResourceType
    updated.update(WindowId=window_id, WindowTargetId=target_id, ResourceType=current["ResourceType"])
    state.window_targets[window_id][target_id] = updated
    return pick(updated, ("WindowId", "WindowTargetId") + UPDATABLE)


@operation("DescribeMaintenanceWindowTargets")
def describe_maintenance_window_targets(state, params):
    window_id = params["WindowId"]
    window_or_error(state, window_id)
    check_filter_keys(params.get("Filters"), tuple(FILTER_GETTERS))
    found = [
        pick(target, TARGET_FIELDS)
        for target in state.window_targets.get(window_id, {}).values()
        if matches_filters(target, params.get("Filters"), FILTER_GETTERS)
    ]
    return page_result({}, "Targets", found, params, DEFAULT_PAGE)
