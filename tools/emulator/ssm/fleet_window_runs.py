"""Running a maintenance window now: run_window, a test hook (not an AWS API) that does what the window's
schedule would, and records the execution that the MaintenanceWindowExecution* reads of fleet_executions.py show.

A run takes the window's tasks by Priority (lowest first, then in registration order). Each task runs once per
target node (the nodes its window targets, or its own Targets, select); a RUN_COMMAND task sends one command per
node, as Maintenance Windows does, so each invocation's ExecutionId is a CommandId that ListCommandInvocations and
GetCommandInvocation know. Other task types succeed without doing anything.

state.extra["window_executions"] maps a WindowExecutionId to its record (API fields plus `_tasks`: task execution
id -> task record with `_invocations`); state.extra["window_execution_ids"] maps a WindowId to its execution ids.
"""

import json

from .common import new_uuid, now
from .errors import SSMError, validation_error
from .fleet_nodes import area, resolve_targets
from .fleet_patching import PatchRun
from .fleet_send import DEFAULT_TIMEOUT_SECONDS, allowed_errors, send_command
from .windows_store import window_or_error

FAILED_DETAILS = "One or more tasks in the orchestration failed."
_INVOCATION_STATUS = {"Success": "SUCCESS", "Failed": "FAILED", "TimedOut": "TIMED_OUT", "Cancelled": "CANCELLED"}
_RUN_COMMAND_FIELDS = (
    "Comment",
    "TimeoutSeconds",
    "OutputS3BucketName",
    "OutputS3KeyPrefix",
    "CloudWatchOutputConfig",
    "NotificationConfig",
    "DocumentVersion",
    "DocumentHash",
    "DocumentHashType",
)


def executions(state):
    return area(state, "window_executions")


def _task_nodes(state, window_id, task):
    """[(node, window target id, owner information)] the task runs on, each node once."""
    chosen = {}
    direct = []
    for target in task.get("Targets") or []:
        if target["Key"] != "WindowTargetIds":
            direct.append(target)
            continue
        for target_id in target["Values"]:
            window_target = state.window_targets.get(window_id, {}).get(target_id)
            if window_target is None or window_target.get("ResourceType") != "INSTANCE":
                continue  # resource groups select no node here
            for node in resolve_targets(state, window_target["Targets"]):
                chosen.setdefault(node["InstanceId"], (node, target_id, window_target.get("OwnerInformation")))
    if direct:
        for node in resolve_targets(state, direct):
            chosen.setdefault(node["InstanceId"], (node, None, None))
    return list(chosen.values())


def _pseudo_parameters(values, context):
    """Task parameter values with {{RESOURCE_ID}}-style pseudo parameters filled in."""
    result = []
    for value in values:
        for name, replacement in context.items():
            value = value.replace("{{" + name + "}}", replacement or "").replace(
                "{{ " + name + " }}", replacement or ""
            )
        result.append(value)
    return result


def _run_command(state, run, task, node_id, context):
    """Send the task's command to one node; returns (command id, status, details, parameters JSON)."""
    run_command = (task.get("TaskInvocationParameters") or {}).get("RunCommand") or {}
    # AWS: shape:MaintenanceWindowRunCommandParameters.Parameters — lists of strings
    given = run_command.get("Parameters")
    if given is None:  # the legacy TaskParameters form
        given = {name: value.get("Values") or [] for name, value in (task.get("TaskParameters") or {}).items()}
    params = {
        "DocumentName": task["TaskArn"],
        "InstanceIds": [node_id],
        "Parameters": {name: _pseudo_parameters(values, context) for name, values in given.items()},
        "MaxConcurrency": task.get("MaxConcurrency"),
        "MaxErrors": task.get("MaxErrors"),
    }
    params.update({field: run_command[field] for field in _RUN_COMMAND_FIELDS if run_command.get(field) is not None})
    role = run_command.get("ServiceRoleArn") or task.get("ServiceRoleArn")
    if role:
        params["ServiceRoleArn"] = role
    shown = {
        "comment": params.get("Comment", ""),
        "documentName": params["DocumentName"],
        "instanceIds": [node_id],
        "maxConcurrency": params["MaxConcurrency"],
        "maxErrors": params["MaxErrors"],
        "parameters": params["Parameters"],
        "timeoutSeconds": params.get("TimeoutSeconds", DEFAULT_TIMEOUT_SECONDS),
    }
    try:
        command = send_command(state, {k: v for k, v in params.items() if v is not None}, run)
    except SSMError as error:
        return "", "FAILED", error.message[:250], json.dumps(shown)
    invocation = command["_invocations"][node_id]
    return (
        command["CommandId"],
        _INVOCATION_STATUS[invocation["Status"]],
        invocation["StatusDetails"],
        json.dumps(shown),
    )


def _other_task(state, task, node_id):
    """AUTOMATION, LAMBDA and STEP_FUNCTIONS tasks are recorded as run, without doing anything."""
    kind = task["TaskType"]
    invocation_parameters = (task.get("TaskInvocationParameters") or {}).get(
        {"AUTOMATION": "Automation", "LAMBDA": "Lambda", "STEP_FUNCTIONS": "StepFunctions"}[kind]
    ) or {}
    execution_id = new_uuid()
    if kind == "STEP_FUNCTIONS":
        name = task["TaskArn"].rsplit(":", 1)[-1]
        execution_id = f"arn:aws:states:{state.region}:{state.account}:execution:{name}:{execution_id}"
    shown = dict(invocation_parameters, targets=[node_id] if node_id else [])
    return execution_id, "SUCCESS", "Success", json.dumps(shown, default=str)


def _run_task(state, run, execution, task):
    started = now()
    task_execution_id = new_uuid()
    nodes = _task_nodes(state, execution["WindowId"], task) if task.get("Targets") else [(None, None, None)]
    invocations = {}
    for node, target_id, owner in nodes:
        invocation_id = new_uuid()
        node_id = node["InstanceId"] if node else None
        context = {
            "RESOURCE_ID": node_id,
            "TARGET_ID": node_id,
            "RESOURCE_TYPE": "INSTANCE",
            "TARGET_TYPE": "INSTANCE",
            "WINDOW_ID": execution["WindowId"],
            "WINDOW_EXECUTION_ID": execution["WindowExecutionId"],
            "TASK_EXECUTION_ID": task_execution_id,
            "INVOCATION_ID": invocation_id,
            "WINDOW_TARGET_ID": target_id,
            "OWNER_INFORMATION": owner,
        }
        invoked = now()
        if task["TaskType"] == "RUN_COMMAND":
            execution_id, status, details, parameters = _run_command(state, run, task, node_id, context)
        else:
            execution_id, status, details, parameters = _other_task(state, task, node_id)
        invocation = {
            "WindowExecutionId": execution["WindowExecutionId"],
            "TaskExecutionId": task_execution_id,
            "InvocationId": invocation_id,
            "ExecutionId": execution_id,
            "TaskType": task["TaskType"],
            "Parameters": parameters,
            "Status": status,
            "StatusDetails": details,
            "StartTime": invoked,
            "EndTime": now(),
        }
        if owner:
            invocation["OwnerInformation"] = owner
        if target_id:
            invocation["WindowTargetId"] = target_id
        invocations[invocation_id] = invocation
    failures = sum(1 for invocation in invocations.values() if invocation["Status"] != "SUCCESS")
    limit = allowed_errors(task["MaxErrors"], len(invocations)) if task.get("MaxErrors") else 0
    status = "FAILED" if failures > limit else "SUCCESS"
    record = {
        "WindowExecutionId": execution["WindowExecutionId"],
        "TaskExecutionId": task_execution_id,
        "TaskArn": task["TaskArn"],
        "Type": task["TaskType"],
        "Priority": task.get("Priority", 1),
        "Status": status,
        "StatusDetails": "Success" if status == "SUCCESS" else f"{failures} of {len(invocations)} invocations failed.",
        "StartTime": started,
        "EndTime": now(),
        "_invocations": invocations,
    }
    for field in ("MaxConcurrency", "MaxErrors", "AlarmConfiguration"):
        if task.get(field):
            record[field] = task[field]
    if task.get("ServiceRoleArn"):
        record["ServiceRole"] = task["ServiceRoleArn"]
    run_command = (task.get("TaskInvocationParameters") or {}).get("RunCommand") or {}
    parameters = run_command.get("Parameters") or {
        k: v.get("Values") for k, v in (task.get("TaskParameters") or {}).items()
    }
    if parameters:
        record["TaskParameters"] = [{name: {"Values": values} for name, values in parameters.items()}]
    return record


def run_window(state, window_id):
    """Run a maintenance window now, as if its schedule had come due; returns the WindowExecutionId."""
    window = window_or_error(state, window_id)
    if not window.get("Enabled", True):
        raise validation_error(f"Maintenance window {window_id} is disabled and does not run.")
    execution = {"WindowId": window_id, "WindowExecutionId": new_uuid(), "StartTime": now()}
    tasks = sorted(state.window_tasks.get(window_id, {}).values(), key=lambda task: task.get("Priority", 1))
    run = PatchRun(state)
    execution["_tasks"] = {}
    for task in tasks:
        record = _run_task(state, run, execution, task)
        execution["_tasks"][record["TaskExecutionId"]] = record
    failed = any(record["Status"] != "SUCCESS" for record in execution["_tasks"].values())
    execution.update(Status="FAILED" if failed else "SUCCESS", EndTime=now())
    if failed:
        execution["StatusDetails"] = FAILED_DETAILS
    elif not tasks:
        execution["StatusDetails"] = "No tasks to execute."
    executions(state)[execution["WindowExecutionId"]] = execution
    area(state, "window_execution_ids").setdefault(window_id, []).append(execution["WindowExecutionId"])
    return execution["WindowExecutionId"]
