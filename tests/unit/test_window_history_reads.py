"""Window history: which node an invocation ran on, and the most recent executions whatever the page order."""

from datetime import UTC, datetime

from ansible_collections.patchmodel.ssm.plugins.module_utils.window_history import (
    executions_problems,
    invocation_instance_id,
    recent_executions,
)


def test_the_node_of_a_run_command_invocation_comes_from_its_parameters():
    parameters = '{"documentName":"AWS-RunPatchBaseline","instanceIds":["i-02573cafcf0123456"],"maxErrors":"1"}'
    assert invocation_instance_id(parameters) == "i-02573cafcf0123456"
    assert invocation_instance_id('{"instanceIds":["i-1","i-2"]}') is None
    assert invocation_instance_id('{"FunctionName":"patch-report"}') is None
    assert invocation_instance_id("not json") is None
    assert invocation_instance_id(None) is None


def test_executions_is_bounded():
    assert executions_problems(0) == [] and executions_problems(100) == []
    assert executions_problems(-1) == ["executions: -1 is outside the allowed range 0 to 100"]


class PagedHistory:
    """describe_maintenance_window_executions in pages of two, in no particular order; no tasks."""

    def __init__(self, order):
        self.executions = [
            {"WindowExecutionId": f"e-{n}", "Status": "SUCCESS", "StartTime": datetime(2022, 8, n + 1, tzinfo=UTC)}
            for n in order
        ]
        self.pages_read = 0

    def describe_maintenance_window_executions(self, aws_retry, WindowId, MaxResults, NextToken="0"):
        self.pages_read += 1
        start = int(NextToken)
        page = {"WindowExecutions": self.executions[start : start + 2]}
        if start + 2 < len(self.executions):
            page["NextToken"] = str(start + 2)
        return page

    def describe_maintenance_window_execution_tasks(self, aws_retry, **params):
        return {"WindowExecutionTaskIdentities": []}


def test_the_most_recent_executions_come_first_whatever_page_they_were_on():
    history = PagedHistory([2, 0, 5, 1, 6, 3, 4])
    found = recent_executions(history, "mw-0c50858d01EXAMPLE", 3)
    assert [execution["window_execution_id"] for execution in found] == ["e-6", "e-5", "e-4"]
    assert history.pages_read == 4
    assert found[0]["start_time"] == "2022-08-07T00:00:00+00:00" and found[0]["tasks"] == []
    assert recent_executions(history, "mw-0c50858d01EXAMPLE", 0) == []
