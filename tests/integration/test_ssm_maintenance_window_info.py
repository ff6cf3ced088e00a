"""ssm_maintenance_window_info against the local endpoint: windows by name, id and filters, with targets and tasks."""

import uuid
from datetime import datetime

import yaml

from tests.helpers.ansible_run import run_playbook

MODULE = "patchmodel.ssm.ssm_maintenance_window_info"
HIDDEN = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
HOOK_PARAMETERS = {
    "Operation": ["Install"],
    "RebootOption": ["RebootIfNeeded"],
    "PreInstallHookDocName": ["Pre-patch-WebServer-Document"],
}


def create_seed_window(ssm, name, enabled=True):
    """Seed 1's window, with its target and its AWS-RunPatchBaselineWithHooks task, as the tutorial registers them."""
    window_id = ssm.create_maintenance_window(
        Name=name,
        Description="Patching Maintenance Window for Patching WebServer in production",
        Schedule="cron(0 21 ? * WED#1 *)",
        ScheduleTimezone="US/Central",
        StartDate="2022-07-06T20:00-05:00",
        Duration=2,
        Cutoff=1,
        AllowUnassociatedTargets=False,
        Tags=[{"Key": "Patch Group", "Value": "WebServer-Prd"}],
    )["WindowId"]
    if not enabled:
        ssm.update_maintenance_window(WindowId=window_id, Enabled=False)
    target_id = ssm.register_target_with_maintenance_window(
        WindowId=window_id,
        ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Patch Group", "Values": ["WebServer-Prd"]}],
        Name="WebServer-Prd",
        Description="The target is the Web Server in production",
        OwnerInformation="The A-Engineering Team",
    )["WindowTargetId"]
    task_id = ssm.register_task_with_maintenance_window(
        WindowId=window_id,
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        TaskArn="AWS-RunPatchBaselineWithHooks",
        TaskType="RUN_COMMAND",
        Priority=1,
        MaxConcurrency="1",
        MaxErrors="1",
        Name="Patch-WebServer-Prd-Install",
        TaskInvocationParameters={"RunCommand": {"Parameters": HOOK_PARAMETERS, "TimeoutSeconds": 600}},
    )["WindowTaskId"]
    return window_id, target_id, task_id


def run_info_tasks(local_aws, tmp_path, calls):
    tasks = [{"name": f"read {index}", MODULE: args, "ignore_errors": True} for index, args in enumerate(calls)]
    playbook = tmp_path / "info.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]))
    _returncode, results, _stats, output = run_playbook(local_aws, playbook, check=True)
    assert len(results) == len(calls), output
    return results


def test_windows_by_name_id_and_filters_with_targets_tasks_and_next_runs(local_aws, ssm, tmp_path):
    name = f"Patch-WebServer-Prd-{uuid.uuid4().hex[:8]}"
    window_id, target_id, task_id = create_seed_window(ssm, name)
    disabled_id = create_seed_window(ssm, name, enabled=False)[0]

    mark = local_aws.mark()
    by_name, by_id, disabled, unknown, bad_filter, in_clear = run_info_tasks(
        local_aws,
        tmp_path,
        [
            {"name": name},
            {"window_id": window_id},
            {"filters": {"Name": name, "Enabled": False}},
            {"name": f"{name}-unknown"},
            {"filters": {"State": "enabled"}},
            {"window_id": window_id, "include_sensitive": True},
        ],
    )
    assert local_aws.mutating(mark) == []

    # Names are not unique: reading by name returns every window with it, always as a list.
    assert sorted(window["window_id"] for window in by_name["windows"]) == sorted([window_id, disabled_id])
    assert by_name["changed"] is False
    [window] = by_id["windows"]
    assert window == next(found for found in by_name["windows"] if found["window_id"] == window_id)
    assert (window["schedule"], window["schedule_timezone"], window["duration"], window["cutoff"]) == (
        "cron(0 21 ? * WED#1 *)",
        "US/Central",
        2,
        1,
    )
    assert window["allow_unassociated_targets"] is False and window["enabled"] is True
    assert window["tags"] == {"Patch Group": "WebServer-Prd"}
    assert "next_execution_time" in window
    assert len(window["next_executions"]) == 3
    for text in window["next_executions"]:
        run = datetime.fromisoformat(text)
        assert (run.strftime("%a %H:%M"), run.day <= 7) == ("Wed 21:00", True)

    [target] = window["targets"]
    assert target["window_target_id"] == target_id
    # AWS marks descriptions, owner information and invocation parameters sensitive: masked by default.
    assert (target["name"], target["owner_information"], target["resource_type"]) == (
        "WebServer-Prd",
        HIDDEN,
        "INSTANCE",
    )
    assert target["description"] == window["description"] == HIDDEN
    assert target["targets"] == [{"key": "tag:Patch Group", "values": ["WebServer-Prd"]}]

    [task] = window["tasks"]
    assert task["window_task_id"] == task_id
    assert (task["task_arn"], task["task_type"], task["priority"]) == (
        "AWS-RunPatchBaselineWithHooks",
        "RUN_COMMAND",
        1,
    )
    assert task["targets"] == [{"key": "WindowTargetIds", "values": [target_id]}]
    run_command = task["task_invocation_parameters"]["run_command"]
    assert run_command["parameters"] == dict.fromkeys(HOOK_PARAMETERS, HIDDEN)
    assert run_command["timeout_seconds"] == 600

    # include_sensitive returns what AWS holds (as registered above), the rest as masked.
    [clear] = in_clear["windows"]
    assert clear["description"] == "Patching Maintenance Window for Patching WebServer in production"
    assert clear["targets"][0]["owner_information"] == "The A-Engineering Team"
    assert clear["targets"][0]["description"] == "The target is the Web Server in production"
    assert clear["tasks"][0]["task_invocation_parameters"]["run_command"]["parameters"] == HOOK_PARAMETERS
    assert {**clear, "description": HIDDEN, "targets": window["targets"], "tasks": window["tasks"]} == window

    assert [window["window_id"] for window in disabled["windows"]] == [disabled_id]
    assert disabled["windows"][0]["enabled"] is False
    assert disabled["windows"][0]["next_executions"] == []  # a disabled window does not run
    assert unknown["windows"] == []
    assert bad_filter.get("failed") is True
    assert "filters: 'State' is not a filter key" in bad_filter["msg"]
