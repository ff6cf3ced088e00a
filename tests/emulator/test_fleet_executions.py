"""Maintenance window executions on the local endpoint: a window run now through the test path, then
DescribeMaintenanceWindowExecutions/-Tasks/-TaskInvocations and the matching Get operations."""

import datetime
import json

import pytest

from tests.emulator.fleet_endpoint import InProcessEndpoint, all_pages, failure, unique

MISSING_EXECUTION = "01234567-89ab-cdef-0123-456789abcdef"


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    endpoint = InProcessEndpoint(tmp_path_factory.mktemp("fleet-executions"))
    yield endpoint
    endpoint.stop()


@pytest.fixture
def ssm(fleet):
    return fleet.client("ssm")


def patching_window(ssm, group, operation="Install", tasks=None, owner="Team A"):
    """A window whose target is a patch group, with an AWS-RunPatchBaseline task (or the given tasks)."""
    window_id = ssm.create_maintenance_window(
        Name=unique("mw"), Schedule="cron(0 2 ? * SUN *)", Duration=3, Cutoff=1, AllowUnassociatedTargets=False
    )["WindowId"]
    target_id = ssm.register_target_with_maintenance_window(
        WindowId=window_id,
        ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Patch Group", "Values": [group]}],
        OwnerInformation=owner,
    )["WindowTargetId"]
    for task in tasks or [{"TaskArn": "AWS-RunPatchBaseline", "Parameters": {"Operation": [operation]}}]:
        ssm.register_task_with_maintenance_window(
            WindowId=window_id,
            Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
            TaskArn=task["TaskArn"],
            TaskType="RUN_COMMAND",
            MaxConcurrency="2",
            MaxErrors=task.get("MaxErrors", "0"),
            Priority=task.get("Priority", 1),
            TaskInvocationParameters={"RunCommand": {"Parameters": task["Parameters"], "TimeoutSeconds": 600}},
        )
    return window_id, target_id


def test_running_a_window_patches_its_targets_and_records_the_execution(fleet, ssm):
    group = unique()
    nodes = fleet.seed_nodes(3, [group], scan=True)
    outsider = fleet.seed_nodes(1, [unique()], scan=True)[0]
    window_id, target_id = patching_window(ssm, group)
    execution_id = fleet.run_window(window_id)

    executions = ssm.describe_maintenance_window_executions(WindowId=window_id)["WindowExecutions"]
    assert [(e["WindowExecutionId"], e["WindowId"], e["Status"]) for e in executions] == [
        (execution_id, window_id, "SUCCESS")
    ]
    execution = ssm.get_maintenance_window_execution(WindowExecutionId=execution_id)
    assert execution["Status"] == "SUCCESS" and len(execution["TaskIds"]) == 1
    assert execution["StartTime"] <= execution["EndTime"]

    task_id = execution["TaskIds"][0]
    tasks = ssm.describe_maintenance_window_execution_tasks(WindowExecutionId=execution_id)
    assert [
        (t["TaskExecutionId"], t["TaskArn"], t["TaskType"], t["Status"]) for t in tasks["WindowExecutionTaskIdentities"]
    ] == [(task_id, "AWS-RunPatchBaseline", "RUN_COMMAND", "SUCCESS")]
    task = ssm.get_maintenance_window_execution_task(WindowExecutionId=execution_id, TaskId=task_id)
    assert (task["Type"], task["MaxConcurrency"], task["MaxErrors"], task["Priority"]) == ("RUN_COMMAND", "2", "0", 1)
    assert task["TaskParameters"] == [{"Operation": {"Values": ["Install"]}}]

    invocations = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=execution_id, TaskId=task_id
    )["WindowExecutionTaskInvocationIdentities"]
    assert len(invocations) == 3
    assert {(i["Status"], i["WindowTargetId"], i["OwnerInformation"]) for i in invocations} == {
        ("SUCCESS", target_id, "Team A")
    }
    commanded = set()
    for invocation in invocations:
        shown = json.loads(invocation["Parameters"])
        assert shown["documentName"] == "AWS-RunPatchBaseline" and shown["parameters"] == {"Operation": ["Install"]}
        node = shown["instanceIds"][0]
        result = ssm.get_command_invocation(CommandId=invocation["ExecutionId"], InstanceId=node)
        assert result["Status"] == "Success"
        commanded.add(node)
    assert commanded == set(nodes)

    patched = ssm.describe_instance_patch_states(InstanceIds=nodes + [outsider])["InstancePatchStates"]
    by_node = {state["InstanceId"]: state for state in patched}
    assert all((by_node[n]["Operation"], by_node[n]["MissingCount"]) == ("Install", 0) for n in nodes)
    assert by_node[outsider]["Operation"] == "Scan"

    one = ssm.get_maintenance_window_execution_task_invocation(
        WindowExecutionId=execution_id, TaskId=task_id, InvocationId=invocations[0]["InvocationId"]
    )
    assert one["ExecutionId"] == invocations[0]["ExecutionId"]


def test_tasks_run_by_priority_and_a_failing_task_fails_the_execution(fleet, ssm):
    group = unique()
    fleet.seed_nodes(2, [group])
    tasks = [
        {"TaskArn": "AWS-RunPatchBaseline", "Parameters": {"Operation": ["Scan"]}, "Priority": 5},
        {"TaskArn": "AWS-RunShellScript", "Parameters": {"commands": ["{{RESOURCE_ID}}"]}, "Priority": 1},
        {
            "TaskArn": "AWS-RunPatchBaselineWithHooks",
            "Parameters": {"PreInstallHookDocName": [unique("Gone")], "Operation": ["Install"]},
            "Priority": 9,
        },
    ]
    window_id, _target = patching_window(ssm, group, tasks=tasks)
    execution_id = fleet.run_window(window_id)
    execution = ssm.get_maintenance_window_execution(WindowExecutionId=execution_id)
    assert execution["Status"] == "FAILED"
    assert execution["StatusDetails"] == "One or more tasks in the orchestration failed."
    identities = all_pages(
        ssm.describe_maintenance_window_execution_tasks, "WindowExecutionTaskIdentities", WindowExecutionId=execution_id
    )
    assert [(t["TaskArn"], t["Status"]) for t in identities] == [
        ("AWS-RunShellScript", "SUCCESS"),
        ("AWS-RunPatchBaseline", "SUCCESS"),
        ("AWS-RunPatchBaselineWithHooks", "FAILED"),
    ]
    failed = ssm.describe_maintenance_window_execution_tasks(
        WindowExecutionId=execution_id, Filters=[{"Key": "STATUS", "Values": ["FAILED"]}]
    )["WindowExecutionTaskIdentities"]
    assert [t["TaskArn"] for t in failed] == ["AWS-RunPatchBaselineWithHooks"]
    shell_task = identities[0]["TaskExecutionId"]
    shell = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=execution_id, TaskId=shell_task
    )["WindowExecutionTaskInvocationIdentities"]
    for invocation in shell:
        shown = json.loads(invocation["Parameters"])
        assert shown["parameters"]["commands"] == shown["instanceIds"]  # {{RESOURCE_ID}} became the node id


def test_a_command_the_window_cannot_send_fails_its_invocation(fleet, ssm):
    group = unique()
    fleet.seed_nodes(1, [group])
    tasks = [{"TaskArn": "AWS-RunPatchBaseline", "Parameters": {"Operation": ["Reboot"]}}]
    window_id, _target = patching_window(ssm, group, tasks=tasks)
    execution_id = fleet.run_window(window_id)
    task_id = ssm.get_maintenance_window_execution(WindowExecutionId=execution_id)["TaskIds"][0]
    invocation = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=execution_id, TaskId=task_id, Filters=[{"Key": "STATUS", "Values": ["FAILED"]}]
    )["WindowExecutionTaskInvocationIdentities"][0]
    assert invocation["ExecutionId"] == "" and "Reboot" in invocation["StatusDetails"]


def test_executions_list_newest_first_and_filter_by_time(fleet, ssm):
    group = unique()
    fleet.seed_nodes(1, [group])
    window_id, _target = patching_window(ssm, group, operation="Scan")
    first, second = fleet.run_window(window_id), fleet.run_window(window_id)
    listed = ssm.describe_maintenance_window_executions(WindowId=window_id)["WindowExecutions"]
    assert [e["WindowExecutionId"] for e in listed] == [second, first]
    later = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    after = ssm.describe_maintenance_window_executions(
        WindowId=window_id, Filters=[{"Key": "ExecutedAfter", "Values": [later]}]
    )
    before = ssm.describe_maintenance_window_executions(
        WindowId=window_id, Filters=[{"Key": "ExecutedBefore", "Values": [later]}]
    )
    assert (len(after["WindowExecutions"]), len(before["WindowExecutions"])) == (0, 2)
    bad = failure(
        ssm.describe_maintenance_window_executions, WindowId=window_id, Filters=[{"Key": "Colour", "Values": ["x"]}]
    )
    assert bad["Code"] == "ValidationException"
    unknown = ssm.describe_maintenance_window_executions(WindowId="mw-0123456789abcdef0")
    assert unknown["WindowExecutions"] == []


def test_unknown_executions_tasks_and_invocations_do_not_exist(fleet, ssm):
    group = unique()
    fleet.seed_nodes(1, [group])
    window_id, _target = patching_window(ssm, group, operation="Scan")
    execution_id = fleet.run_window(window_id)
    task_id = ssm.get_maintenance_window_execution(WindowExecutionId=execution_id)["TaskIds"][0]
    calls = [
        (ssm.get_maintenance_window_execution, {"WindowExecutionId": MISSING_EXECUTION}),
        (ssm.describe_maintenance_window_execution_tasks, {"WindowExecutionId": MISSING_EXECUTION}),
        (ssm.get_maintenance_window_execution_task, {"WindowExecutionId": execution_id, "TaskId": MISSING_EXECUTION}),
        (
            ssm.describe_maintenance_window_execution_task_invocations,
            {"WindowExecutionId": execution_id, "TaskId": MISSING_EXECUTION},
        ),
        (
            ssm.get_maintenance_window_execution_task_invocation,
            {"WindowExecutionId": execution_id, "TaskId": task_id, "InvocationId": MISSING_EXECUTION},
        ),
    ]
    for call, params in calls:
        assert failure(call, **params)["Code"] == "DoesNotExistException"


def test_disabled_or_unknown_windows_do_not_run(fleet, ssm):
    window_id, _target = patching_window(ssm, unique(), operation="Scan")
    ssm.update_maintenance_window(WindowId=window_id, Enabled=False)
    with pytest.raises(RuntimeError, match="disabled"):
        fleet.run_window(window_id)
    with pytest.raises(RuntimeError, match="DoesNotExistException"):
        fleet.run_window("mw-0123456789abcdef0")


def test_a_window_without_tasks_succeeds_with_nothing_to_do(fleet, ssm):
    window_id = ssm.create_maintenance_window(
        Name=unique("mw"), Schedule="rate(7 days)", Duration=2, Cutoff=1, AllowUnassociatedTargets=True
    )["WindowId"]
    execution = ssm.get_maintenance_window_execution(WindowExecutionId=fleet.run_window(window_id))
    assert (execution["Status"], execution["TaskIds"]) == ("SUCCESS", [])
