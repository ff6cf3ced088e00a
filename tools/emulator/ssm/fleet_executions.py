"""Maintenance window executions as the API shows them: DescribeMaintenanceWindowExecutions/-Tasks/
-TaskInvocations and GetMaintenanceWindowExecution/-Task/-TaskInvocation, over what fleet_window_runs.py records."""

import datetime

from .common import matches_filters, page_result
from .errors import does_not_exist, validation_error
from .fleet_nodes import area
from .fleet_window_runs import executions
from .registry import operation
from .windows_store import DEFAULT_PAGE


def _public(record):
    return {key: value for key, value in record.items() if not key.startswith("_")}


def _execution(state, execution_id):
    execution = executions(state).get(execution_id)
    if execution is None:
        raise does_not_exist(f"Maintenance window execution {execution_id} does not exist")
    return execution


def _task(state, execution_id, task_id):
    task = _execution(state, execution_id)["_tasks"].get(task_id)
    if task is None:
        raise does_not_exist(f"Maintenance window execution task {task_id} does not exist")
    return task


def _moment(text):
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise validation_error(f"Filter value {text} is not an ISO 8601 date and time.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _time_filters(filters):
    tests = []
    for flt in filters or []:
        key, values = flt.get("Key"), flt.get("Values") or []
        if key not in ("ExecutedBefore", "ExecutedAfter"):
            raise validation_error(
                f"Filter key {key} is not valid. Valid filter keys are: ExecutedBefore, ExecutedAfter."
            )
        for moment in (_moment(value) for value in values):
            if key == "ExecutedBefore":
                tests.append(lambda execution, m=moment: execution["StartTime"] <= m)
            else:
                tests.append(lambda execution, m=moment: execution["StartTime"] >= m)
    return tests


def _status_filters(filters):
    for flt in filters or []:
        if flt.get("Key") != "STATUS":
            raise validation_error(f"Filter key {flt.get('Key')} is not valid. Valid filter keys are: STATUS.")
    return filters or []


@operation("DescribeMaintenanceWindowExecutions")
def describe_maintenance_window_executions(state, params):
    # The model names no error for an unknown window: it simply has no executions.
    tests = _time_filters(params.get("Filters"))
    ids = area(state, "window_execution_ids").get(params["WindowId"], [])
    found = [executions(state)[i] for i in reversed(ids)]
    shown = [_public(e) for e in found if all(test(e) for test in tests)]
    return page_result({}, "WindowExecutions", shown, params, DEFAULT_PAGE)


@operation("GetMaintenanceWindowExecution")
def get_maintenance_window_execution(state, params):
    execution = _execution(state, params["WindowExecutionId"])
    result = _public(execution)
    result.pop("WindowId")
    result["TaskIds"] = list(execution["_tasks"])
    return result


_TASK_IDENTITY = ("WindowExecutionId", "TaskExecutionId", "Status", "StatusDetails", "StartTime", "EndTime", "TaskArn")


@operation("DescribeMaintenanceWindowExecutionTasks")
def describe_maintenance_window_execution_tasks(state, params):
    execution = _execution(state, params["WindowExecutionId"])
    filters = _status_filters(params.get("Filters"))
    found = []
    for task in execution["_tasks"].values():
        if matches_filters(task, filters, {"STATUS": lambda record: record["Status"]}):
            identity = {field: task[field] for field in _TASK_IDENTITY if task.get(field) is not None}
            identity["TaskType"] = task["Type"]
            if task.get("AlarmConfiguration"):
                identity["AlarmConfiguration"] = task["AlarmConfiguration"]
            found.append(identity)
    return page_result({}, "WindowExecutionTaskIdentities", found, params, DEFAULT_PAGE)


@operation("GetMaintenanceWindowExecutionTask")
def get_maintenance_window_execution_task(state, params):
    return _public(_task(state, params["WindowExecutionId"], params["TaskId"]))


@operation("DescribeMaintenanceWindowExecutionTaskInvocations")
def describe_maintenance_window_execution_task_invocations(state, params):
    task = _task(state, params["WindowExecutionId"], params["TaskId"])
    filters = _status_filters(params.get("Filters"))
    found = [
        dict(invocation)
        for invocation in task["_invocations"].values()
        if matches_filters(invocation, filters, {"STATUS": lambda record: record["Status"]})
    ]
    return page_result({}, "WindowExecutionTaskInvocationIdentities", found, params, DEFAULT_PAGE)


@operation("GetMaintenanceWindowExecutionTaskInvocation")
def get_maintenance_window_execution_task_invocation(state, params):
    task = _task(state, params["WindowExecutionId"], params["TaskId"])
    invocation = task["_invocations"].get(params["InvocationId"])
    if invocation is None:
        raise does_not_exist(f"Maintenance window execution task invocation {params['InvocationId']} does not exist")
    return dict(invocation)
