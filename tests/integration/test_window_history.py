"""Window history in ssm_maintenance_window_info: after a window runs, its executions with their tasks and each
node's invocation, newest first and only as many as asked."""

import json
import urllib.parse
import urllib.request
import uuid

import yaml

from tests.helpers.ansible_run import run_playbook
from tests.helpers.instances import AMAZON_LINUX_2, launch_instances
from tools.emulator.ssm.fleet_hooks import RUN_WINDOW_PATH

MODULE = "patchmodel.ssm.ssm_maintenance_window_info"


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def run_window_now(local_aws, window_id):
    """Run the window as if its schedule had come due (a test path of the local endpoint, not an AWS API)."""
    query = urllib.parse.urlencode({"region": "us-east-1", "window_id": window_id})
    with urllib.request.urlopen(f"{local_aws.url}{RUN_WINDOW_PATH}?{query}", data=b"", timeout=60) as answer:
        return json.loads(answer.read())["WindowExecutionId"]


def launch(local_aws, count, tags):
    return launch_instances(local_aws.client("ec2"), count, tags, image_name=AMAZON_LINUX_2)


def scan_window(ssm, name, patch_group):
    """The tutorial's window, target and Run Command task, scanning the patch group."""
    window_id = ssm.create_maintenance_window(
        Name=name, Schedule="cron(0 21 ? * WED#1 *)", Duration=2, Cutoff=1, AllowUnassociatedTargets=False
    )["WindowId"]
    target_id = ssm.register_target_with_maintenance_window(
        WindowId=window_id,
        ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Patch Group", "Values": [patch_group]}],
        Name="WebServer-Prd",
        OwnerInformation="The A-Engineering Team",
    )["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id,
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        TaskArn="AWS-RunPatchBaseline",
        TaskType="RUN_COMMAND",
        Priority=1,
        MaxConcurrency="1",
        MaxErrors="1",
        Name="PatchWebServerPrd",
        TaskInvocationParameters={"RunCommand": {"Parameters": {"Operation": ["Scan"]}, "TimeoutSeconds": 600}},
    )
    return window_id, target_id


def read_windows(local_aws, tmp_path, calls):
    tasks = [{"name": f"read {index}", MODULE: args, "ignore_errors": True} for index, args in enumerate(calls)]
    playbook = tmp_path / f"history-{uuid.uuid4().hex[:8]}.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]))
    _returncode, results, _stats, output = run_playbook(local_aws, playbook)
    assert len(results) == len(calls), output[-4000:]
    return results


def test_window_history_shows_executions_with_tasks_and_each_nodes_invocation(local_aws, ssm, tmp_path):
    group = unique("WebServer-Prd")
    nodes = launch(local_aws, 2, {"Patch Group": group})
    window_id, target_id = scan_window(ssm, unique("Patch-WebServer-Prd"), group)
    idle_id, _ = scan_window(ssm, unique("Patch-WebServer-Idle"), group)
    first = run_window_now(local_aws, window_id)
    second = run_window_now(local_aws, window_id)

    mark = local_aws.mark()
    latest, both, idle, plain, too_many, in_clear = read_windows(
        local_aws,
        tmp_path,
        [
            {"window_id": window_id, "executions": 1},
            {"window_id": window_id, "executions": 5},
            {"window_id": idle_id, "executions": 3},
            {"window_id": window_id},
            {"window_id": window_id, "executions": 101},
            {"window_id": window_id, "executions": 1, "include_sensitive": True},
        ],
    )
    assert local_aws.mutating(mark) == []

    [execution] = latest["windows"][0]["executions"]
    assert execution["window_execution_id"] == second
    assert execution["status"] == "SUCCESS" and execution["start_time"] and execution["end_time"]
    [task] = execution["tasks"]
    assert (task["task_arn"], task["task_type"], task["status"]) == ("AWS-RunPatchBaseline", "RUN_COMMAND", "SUCCESS")
    invocations = task["invocations"]
    assert sorted(invocation["instance_id"] for invocation in invocations) == nodes
    for invocation in invocations:
        assert invocation["status"] == "SUCCESS" and invocation["status_details"] == "Success"
        assert invocation["window_target_id"] == target_id
        # AWS marks the owner information and the invocation parameters sensitive: masked unless asked for.
        assert invocation["owner_information"] == invocation["parameters"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
        # The execution id is the command Run Command ran on the node.
        command = ssm.get_command_invocation(CommandId=invocation["execution_id"], InstanceId=invocation["instance_id"])
        assert command["DocumentName"] == "AWS-RunPatchBaseline" and command["Status"] == "Success"

    for invocation in in_clear["windows"][0]["executions"][0]["tasks"][0]["invocations"]:
        assert invocation["owner_information"] == "The A-Engineering Team"
        assert json.loads(invocation["parameters"])["instanceIds"] == [invocation["instance_id"]]

    assert [e["window_execution_id"] for e in both["windows"][0]["executions"]] == [second, first]
    assert idle["windows"][0]["executions"] == []
    assert "executions" not in plain["windows"][0]
    assert too_many["failed"] and "executions: 101 is outside the allowed range 0 to 100" in too_many["msg"]
