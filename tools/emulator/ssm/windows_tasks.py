"""Maintenance window tasks: Register/Deregister/Get/Update/DescribeMaintenanceWindowTasks."""

from .common import idempotent, matches_filters, new_uuid, page_result
from .errors import does_not_exist, validation_error
from .registry import operation
from .windows_store import (
    DEFAULT_PAGE,
    check_filter_keys,
    merged,
    pick,
    require_for_replace,
    task_or_error,
    window_or_error,
)

UPDATABLE = (
    "Targets",
    "TaskArn",
    "ServiceRoleArn",
    # AWS: RegisterTaskWithMaintenanceWindow.TaskParameters — deprecated, still stored
    "TaskParameters",
    "TaskInvocationParameters",
    "Priority",
    "MaxConcurrency",
    "MaxErrors",
    # AWS: RegisterTaskWithMaintenanceWindow.LoggingInfo — deprecated, still stored
    "LoggingInfo",
    "Name",
    "Description",
    "CutoffBehavior",
    "AlarmConfiguration",
)
# AWS: RegisterTaskWithMaintenanceWindow.CutoffBehavior
DEFAULTS = {"CutoffBehavior": "CONTINUE_TASK"}  # the default the API reference names
DETAIL_FIELDS = ("WindowId", "WindowTaskId", "TaskType") + UPDATABLE
UPDATE_FIELDS = ("WindowId", "WindowTaskId") + UPDATABLE
SUMMARY_FIELDS = (
    "WindowId",
    "WindowTaskId",
    "TaskArn",
    "Type",
    "Targets",
    "TaskParameters",
    "Priority",
    "LoggingInfo",
    "ServiceRoleArn",
    "MaxConcurrency",
    "MaxErrors",
    "Name",
    "Description",
    "CutoffBehavior",
    "AlarmConfiguration",
)
FILTER_GETTERS = {
    "WindowTaskId": lambda task: task["WindowTaskId"],
    "TaskArn": lambda task: task["TaskArn"],
    "Priority": lambda task: task.get("Priority"),
    "TaskType": lambda task: task["TaskType"],
}
# AWS reports this placeholder for tasks without targets, which cannot take either value.
TARGETLESS_PLACEHOLDER = "1"


def _check_window_target_ids(state, window_id, targets):
    registered = state.window_targets.get(window_id, {})
    for target in targets:
        if target["Key"] != "WindowTargetIds":
            continue
        for target_id in target["Values"]:
            if target_id not in registered:
                raise does_not_exist(f"Maintenance window target {target_id} does not exist")


def checked_task(state, window_id, task, sent):
    """Apply AWS's rules on targets and MaxConcurrency/MaxErrors to the task as it will be stored;
    `sent` is the request, since only values the caller sent can be refused."""
    targets = task.get("Targets") or []
    if not targets:
        # AWS: RegisterTaskWithMaintenanceWindow.Targets
        if task["TaskType"] == "RUN_COMMAND":
            raise validation_error("One or more targets must be specified for maintenance window Run Command tasks.")
        # AWS: RegisterTaskWithMaintenanceWindow.MaxConcurrency
        # AWS: RegisterTaskWithMaintenanceWindow.MaxErrors
        refused = [name for name in ("MaxErrors", "MaxConcurrency") if sent.get(name) is not None]
        if refused:
            raise validation_error(
                " ".join(f"Maintenance window tasks without targets do not support {name} values." for name in refused)
            )
        for name in ("Targets", "MaxConcurrency", "MaxErrors"):
            task.pop(name, None)
        return task
    _check_window_target_ids(state, window_id, targets)
    missing = [name for name in ("MaxConcurrency", "MaxErrors") if task.get(name) is None]
    if missing:
        raise validation_error(
            " ".join(f"{name} is required for maintenance window tasks with targets." for name in missing)
        )
    return task


def _shown(task, fields):
    result = pick(task, fields)
    result.setdefault("TaskParameters", {})
    if not task.get("Targets"):
        # AWS: GetMaintenanceWindowTaskResult.MaxConcurrency
        # AWS: GetMaintenanceWindowTaskResult.MaxErrors
        result.update(MaxConcurrency=TARGETLESS_PLACEHOLDER, MaxErrors=TARGETLESS_PLACEHOLDER)
    return result


@operation("RegisterTaskWithMaintenanceWindow")
def register_task_with_maintenance_window(state, params):
    window_id = params["WindowId"]
    window_or_error(state, window_id)

    def create():
        task = dict(DEFAULTS)
        task.update(pick(params, ("TaskType",) + UPDATABLE))
        checked_task(state, window_id, task, params)
        task_id = new_uuid()
        task.update(WindowId=window_id, WindowTaskId=task_id)
        state.window_tasks.setdefault(window_id, {})[task_id] = task
        return {"WindowTaskId": task_id}

    return idempotent(state, "RegisterTaskWithMaintenanceWindow", params, create)


@operation("GetMaintenanceWindowTask")
def get_maintenance_window_task(state, params):
    window_or_error(state, params["WindowId"])
    task = task_or_error(state, params["WindowId"], params["WindowTaskId"])
    return _shown(task, DETAIL_FIELDS)


@operation("UpdateMaintenanceWindowTask")
def update_maintenance_window_task(state, params):
    window_id, task_id = params["WindowId"], params["WindowTaskId"]
    window_or_error(state, window_id)
    current = task_or_error(state, window_id, task_id)
    # AWS: UpdateMaintenanceWindowTask.Replace
    replace = bool(params.get("Replace"))
    if replace:
        require_for_replace(params, ("TaskArn",))
    # TaskInvocationParameters is one value: sending it replaces the whole structure, as AWS documents.
    # AWS: UpdateMaintenanceWindowTask.TaskInvocationParameters
    updated = merged(current, params, UPDATABLE, replace, defaults=DEFAULTS)
    # AWS: shape:UpdateMaintenanceWindowTask.TaskType
    updated.update(WindowId=window_id, WindowTaskId=task_id, TaskType=current["TaskType"])
    checked_task(state, window_id, updated, params)
    state.window_tasks[window_id][task_id] = updated
    return _shown(updated, UPDATE_FIELDS)


@operation("DeregisterTaskFromMaintenanceWindow")
def deregister_task_from_maintenance_window(state, params):
    window_id, task_id = params["WindowId"], params["WindowTaskId"]
    window_or_error(state, window_id)
    task_or_error(state, window_id, task_id)
    del state.window_tasks[window_id][task_id]
    return {"WindowId": window_id, "WindowTaskId": task_id}


@operation("DescribeMaintenanceWindowTasks")
def describe_maintenance_window_tasks(state, params):
    window_id = params["WindowId"]
    window_or_error(state, window_id)
    check_filter_keys(params.get("Filters"), tuple(FILTER_GETTERS))
    found = [
        _shown(dict(task, Type=task["TaskType"]), SUMMARY_FIELDS)
        for task in state.window_tasks.get(window_id, {}).values()
        if matches_filters(task, params.get("Filters"), FILTER_GETTERS)
    ]
    return page_result({}, "Tasks", found, params, DEFAULT_PAGE)
