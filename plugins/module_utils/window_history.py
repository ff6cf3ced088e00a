# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run history of a maintenance window: its recent executions, their tasks and each task's invocations.

Read with DescribeMaintenanceWindowExecutions, ...ExecutionTasks and ...ExecutionTaskInvocations, every page,
and returned in snake_case with ISO-8601 times. An invocation's `parameters` is the JSON text AWS reports; for a
Run Command task it names the node the invocation ran on, which is returned as `instance_id`.
"""

from __future__ import annotations

import json
from datetime import datetime

from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import paginate

MAX_EXECUTIONS = 100
# The Describe...Execution* operations take MaxResults from 10 to 100.
PAGE_SIZE = 100
_EXECUTION_FIELDS = {
    "WindowExecutionId": "window_execution_id",
    "Status": "status",
    "StatusDetails": "status_details",
    "StartTime": "start_time",
    "EndTime": "end_time",
}
_TASK_FIELDS = {
    "TaskExecutionId": "task_execution_id",
    "TaskArn": "task_arn",
    "TaskType": "task_type",
    "Status": "status",
    "StatusDetails": "status_details",
    "StartTime": "start_time",
    "EndTime": "end_time",
}
_INVOCATION_FIELDS = {
    "InvocationId": "invocation_id",
    "ExecutionId": "execution_id",
    "TaskType": "task_type",
    "Status": "status",
    "StatusDetails": "status_details",
    "WindowTargetId": "window_target_id",
    "OwnerInformation": "owner_information",
    "Parameters": "parameters",
    "StartTime": "start_time",
    "EndTime": "end_time",
}


def executions_problems(count):
    if count is not None and not 0 <= count <= MAX_EXECUTIONS:
        return [f"executions: {count} is outside the allowed range 0 to {MAX_EXECUTIONS}"]
    return []


def _iso(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _picked(record, fields):
    return {name: _iso(record.get(api_name)) for api_name, name in fields.items()}


def invocation_instance_id(parameters):
    """The node a Run Command invocation ran on, from the parameters AWS reports; None when it names not one."""
    try:
        shown = json.loads(parameters or "")
    except ValueError:
        return None
    ids = shown.get("instanceIds") if isinstance(shown, dict) else None
    return ids[0] if isinstance(ids, list) and len(ids) == 1 else None


def invocation_result(invocation):
    result = _picked(invocation, _INVOCATION_FIELDS)
    result["instance_id"] = invocation_instance_id(invocation.get("Parameters"))
    return result


def _start_of(record):
    start = record.get("StartTime")
    return start.timestamp() if isinstance(start, datetime) else 0


def recent_executions(client, window_id, count):
    """The window's `count` most recent executions, newest first, each with its tasks and their invocations."""
    if not count:
        return []
    # The API reference promises no order: read every page (AWS keeps a window's history for a limited time).
    found = paginate(
        client, "describe_maintenance_window_executions", "WindowExecutions", WindowId=window_id, MaxResults=PAGE_SIZE
    )
    newest = sorted(found, key=_start_of, reverse=True)[:count]
    return [execution_result(client, execution) for execution in newest]


def execution_result(client, execution):
    execution_id = execution["WindowExecutionId"]
    result = _picked(execution, _EXECUTION_FIELDS)
    tasks = paginate(
        client,
        "describe_maintenance_window_execution_tasks",
        "WindowExecutionTaskIdentities",
        WindowExecutionId=execution_id,
        MaxResults=PAGE_SIZE,
    )
    result["tasks"] = [task_result(client, execution_id, task) for task in sorted(tasks, key=_start_of)]
    return result


def task_result(client, execution_id, task):
    result = _picked(task, _TASK_FIELDS)
    invocations = paginate(
        client,
        "describe_maintenance_window_execution_task_invocations",
        "WindowExecutionTaskInvocationIdentities",
        WindowExecutionId=execution_id,
        TaskId=task["TaskExecutionId"],
        MaxResults=PAGE_SIZE,
    )
    result["invocations"] = [invocation_result(invocation) for invocation in sorted(invocations, key=_start_of)]
    return result
