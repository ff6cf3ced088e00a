"""ssm_window_task against the local endpoint: real ansible runs, asserted on results and the request log."""

from tests.integration.window_parts_support import (
    ROLE_ARN,
    create_window,
    no_traceback,
    operations,
    play,
    task,
    unique,
    webserver_target,
    webserver_task,
)

MODULE = "ssm_window_task"
HIDDEN = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
CHANGED = HIDDEN + " (changed)"


def register_target(ssm, window_id, name="WebServer-Prd"):
    return ssm.register_target_with_maintenance_window(
        WindowId=window_id,
        ResourceType="INSTANCE",
        Name=name,
        Targets=[{"Key": "tag:Patch Group", "Values": ["WebServer-Prd"]}],
    )["WindowTargetId"]


def window_with_target(ssm):
    window = unique("Patch-WebServer-Prd")
    window_id = create_window(ssm, window)
    return window, window_id, register_target(ssm, window_id)


def stored_tasks(ssm, window_id):
    summaries = ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]
    return [ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=t["WindowTaskId"]) for t in summaries]


def test_seed_task_check_create_rerun_then_absent(local_aws, ssm, tmp_path):
    window, window_id, target_id = window_with_target(ssm)
    options = webserver_task(window)
    # The same task spelled differently: parameters as lists, rate control as numbers, the window by id.
    respelled = {**options, "window": window_id, "max_concurrency": 1, "max_errors": 1}
    respelled["run_command"] = {
        **options["run_command"],
        "parameters": {key: [value] for key, value in options["run_command"]["parameters"].items()},
    }
    absent = {"window": window, "name": "PatchWebServerPrd", "state": "absent"}
    mark = local_aws.mark()
    results = play(
        local_aws,
        tmp_path,
        [
            task(MODULE, options, check_mode=True, diff=True),
            task(MODULE, options),
            task(MODULE, options, check_mode=True),
            task(MODULE, respelled),
            task(MODULE, absent, check_mode=True, diff=True),
            task(MODULE, absent),
            task(MODULE, absent),
        ],
    )
    assert [result["changed"] for result in results] == [True, True, False, False, True, True, False], results
    preview, created = results[0]["window_task"], results[1]["window_task"]
    assert results[0]["diff"] == {"before": {}, "after": preview}
    # A task check mode would register has no id, so no ARN yet.
    assert "arn" not in preview and created["arn"].endswith(f":windowtask/{created['window_task_id']}")
    assert preview == {**{key: value for key, value in created.items() if key != "arn"}, "window_task_id": None}
    assert created["targets"] == [{"key": "WindowTargetIds", "values": [target_id]}]
    assert created["window_targets"] == ["WebServer-Prd"] and created["window_id"] == window_id
    # AWS marks the parameters and the description sensitive: masked, the names visible; the real values below.
    assert created["run_command"]["parameters"] == dict.fromkeys(options["run_command"]["parameters"], HIDDEN)
    assert created["description"] == HIDDEN
    assert created["run_command"]["cloudwatch_output_config"] == {
        "log_group_name": "patching/webserver/prd",
        "enabled": True,
    }
    assert results[3]["window_task"] == created
    assert results[4]["diff"] == {"before": {key: value for key, value in created.items() if key != "arn"}, "after": {}}

    calls = local_aws.mutating(mark)
    assert operations(calls) == ["RegisterTaskWithMaintenanceWindow", "DeregisterTaskFromMaintenanceWindow"]
    sent = calls[0]["parameters"]
    assert sent["ClientToken"] and sent["TaskType"] == "RUN_COMMAND" and sent["CutoffBehavior"] == "CANCEL_TASK"
    run_command = sent["TaskInvocationParameters"]["RunCommand"]
    assert run_command["Parameters"]["PreInstallHookDocName"] == ["Pre-patch-WebServer-Document"]
    assert run_command["Parameters"]["Operation"] == ["Install"] and sent["Description"] == options["description"]
    assert run_command["NotificationConfig"]["NotificationType"] == "Invocation"
    assert stored_tasks(ssm, window_id) == []


def test_every_mutable_field_is_updated_in_place(local_aws, ssm, tmp_path):
    window, window_id, _target_id = window_with_target(ssm)
    second_target = register_target(ssm, window_id, "WebServer-Prd-2")
    play(local_aws, tmp_path, [task(MODULE, webserver_task(window))])
    (before,) = stored_tasks(ssm, window_id)
    task_id = before["WindowTaskId"]
    assert before["TaskInvocationParameters"]["RunCommand"]["Parameters"]["Operation"] == ["Install"]
    changed = {
        "window": window,
        "name": "PatchWebServerPrd",
        "description": "Scan the production web servers",
        "task_arn": "AWS-RunPatchBaseline",
        "window_targets": ["WebServer-Prd", "WebServer-Prd-2"],
        "priority": 2,
        "max_concurrency": "50%",
        "max_errors": "10%",
        "service_role_arn": "arn:aws:iam::123456789012:role/patching-role",
        "cutoff_behavior": "CONTINUE_TASK",
        "alarm_configuration": {"alarms": ["PatchingErrors"], "ignore_poll_alarm_failure": True},
        "run_command": {
            "document_version": "$LATEST",
            "parameters": {"Operation": "Scan"},
            "timeout_seconds": 900,
            "comment": "monthly scan",
            "output_s3_bucket_name": "patching-webserver-scans",
            "output_s3_key_prefix": "scans/prd",
            "cloudwatch_output_config": {"log_group_name": "patching/webserver/scans"},
            "notification_config": {"notification_events": ["Success", "Failed"], "notification_type": "Command"},
            "service_role_arn": "arn:aws:iam::123456789012:role/patching-role",
        },
    }
    renamed = {"window": window, "name": "ScanWebServerPrd", "window_task_id": task_id, "description": ""}
    mark = local_aws.mark()
    results = play(
        local_aws,
        tmp_path,
        [
            task(MODULE, changed, check_mode=True, diff=True),
            task(MODULE, changed, diff=True),
            task(MODULE, changed),
            task(MODULE, renamed),
            task(MODULE, renamed),
        ],
    )
    assert [result["changed"] for result in results] == [True, True, False, True, False], results
    assert results[0]["diff"] == results[1]["diff"]
    # A sensitive value that changes shows so, neither value shown (AWS holds both sides: checked above and below).
    diff = results[0]["diff"]
    assert diff["before"]["run_command"]["parameters"]["Operation"] == HIDDEN
    assert diff["after"]["run_command"]["parameters"] == {"Operation": CHANGED}
    assert (diff["before"]["description"], diff["after"]["description"]) == (HIDDEN, CHANGED)
    after = results[1]["window_task"]
    assert after["window_task_id"] == task_id and after["window_targets"] == ["WebServer-Prd", "WebServer-Prd-2"]
    # Sub-options left out keep their value: the SNS topic stays.
    assert after["run_command"]["notification_config"]["notification_arn"].endswith(":patching-webserver-prd")
    calls = local_aws.mutating(mark)
    assert operations(calls) == ["UpdateMaintenanceWindowTask"] * 2
    assert all(call["parameters"]["Replace"] is True for call in calls)

    (stored,) = stored_tasks(ssm, window_id)
    assert stored["WindowTaskId"] == task_id and stored["Name"] == "ScanWebServerPrd" and "Description" not in stored
    assert stored["Targets"] == [
        {"Key": "WindowTargetIds", "Values": [after["targets"][0]["values"][0], second_target]}
    ]
    assert (stored["TaskArn"], stored["Priority"], stored["MaxConcurrency"], stored["MaxErrors"]) == (
        "AWS-RunPatchBaseline",
        2,
        "50%",
        "10%",
    )
    assert stored["CutoffBehavior"] == "CONTINUE_TASK"
    assert stored["AlarmConfiguration"] == {"Alarms": [{"Name": "PatchingErrors"}], "IgnorePollAlarmFailure": True}
    run_command = stored["TaskInvocationParameters"]["RunCommand"]
    assert run_command["Parameters"] == {"Operation": ["Scan"]} and run_command["TimeoutSeconds"] == 900
    assert run_command["NotificationConfig"]["NotificationEvents"] == ["Success", "Failed"]


def test_targetless_and_lambda_tasks_compare_without_placeholders_or_secrets(local_aws, ssm, tmp_path):
    window = unique("Patch-WebServer-Prd")
    window_id = create_window(ssm, window)
    automation = {
        "window": window,
        "name": "UpdateAmi",
        "task_arn": "AWS-UpdateLinuxAmi",
        "window_targets": [],
        "automation": {"document_version": "$DEFAULT", "parameters": {"SourceAmiId": "ami-0123456789abcdef0"}},
    }
    function = "arn:aws:lambda:us-east-1:123456789012:function:notify-patching"
    lam = {
        "window": window,
        "name": "NotifyPatching",
        "task_arn": function,
        "lambda": {"payload": '{"token": "s3cret"}'},
    }
    mark = local_aws.mark()
    results = play(
        local_aws,
        tmp_path,
        [
            task(MODULE, automation),
            task(MODULE, automation),
            task(MODULE, lam),
            task(MODULE, lam, diff=True),
            task(MODULE, {**lam, "lambda": {"payload": '{"token": "n3w"}'}}, diff=True),
        ],
    )
    assert [result["changed"] for result in results] == [True, False, True, False, True], results
    made = results[0]["window_task"]
    assert made["task_type"] == "AUTOMATION" and made["targets"] == [] and made["max_concurrency"] is None
    assert results[2]["window_task"]["task_type"] == "LAMBDA"
    assert results[4]["window_task"]["lambda"]["payload"] == HIDDEN
    assert results[3]["diff"]["before"]["lambda"] == results[3]["diff"]["after"]["lambda"]
    assert results[4]["diff"]["before"]["lambda"]["payload"] == HIDDEN
    assert results[4]["diff"]["after"]["lambda"]["payload"] == CHANGED
    assert "s3cret" not in str(results) and "n3w" not in str(results)
    assert operations(local_aws.mutating(mark)) == ["RegisterTaskWithMaintenanceWindow"] * 2 + [
        "UpdateMaintenanceWindowTask"
    ]
    stored = {t["Name"]: t for t in stored_tasks(ssm, window_id)}
    assert stored["UpdateAmi"]["MaxConcurrency"] == "1"  # AWS's placeholder, which the rerun did not count
    assert stored["NotifyPatching"]["TaskInvocationParameters"]["Lambda"]["Payload"] == b'{"token": "n3w"}'


def test_check_mode_plays_before_the_window_and_target_exist(local_aws, ssm, tmp_path):
    window = unique("Patch-WebServer-Prd")
    window_options = {
        "name": window,
        "schedule": "cron(0 21 ? * WED#1 *)",
        "schedule_timezone": "US/Central",
        "duration": 2,
        "cutoff": 1,
        "allow_unassociated_targets": False,
    }
    tasks = [
        task("ssm_maintenance_window", window_options),
        task("ssm_window_target", webserver_target(window)),
        task(MODULE, webserver_task(window)),
    ]
    mark = local_aws.mark()
    results = play(local_aws, tmp_path, tasks, check=True)
    assert all(result["changed"] and not result.get("failed") for result in results), results
    would_be = results[2]["window_task"]
    assert would_be["window_id"] is None and would_be["window_targets"] == ["WebServer-Prd"]
    assert local_aws.mutating(mark) == []
    # Outside check mode the same missing window target is a clear failure, before anything is written.
    window_id = create_window(ssm, window)
    failed = play(local_aws, tmp_path, [task(MODULE, webserver_task(window))])[0]
    assert failed["failed"] and failed["missing_window_targets"] == ["WebServer-Prd"], failed
    assert "no window target named WebServer-Prd is registered" in failed["msg"]
    assert operations(local_aws.mutating(mark)) == ["CreateMaintenanceWindow"] and stored_tasks(ssm, window_id) == []


def test_shared_names_fail_listing_ids_and_type_cannot_change(local_aws, ssm, tmp_path):
    window, window_id, target_id = window_with_target(ssm)
    task_ids = sorted(
        ssm.register_task_with_maintenance_window(
            WindowId=window_id,
            Name="PatchWebServerPrd",
            TaskType="RUN_COMMAND",
            TaskArn="AWS-RunPatchBaseline",
            Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
            MaxConcurrency="1",
            MaxErrors="1",
        )["WindowTaskId"]
        for _attempt in range(2)
    )
    twin_target = register_target(ssm, window_id)
    by_id = {**webserver_task(window), "window_task_id": task_ids[0], "window_targets": [target_id]}
    mark = local_aws.mark()
    results = play(
        local_aws,
        tmp_path,
        [
            task(MODULE, {**webserver_task(window), "window_targets": [target_id]}),
            task(MODULE, {"window": window, "name": "PatchWebServerPrd", "state": "absent"}),
            task(MODULE, {**by_id, "window_targets": ["WebServer-Prd"]}),
            task(MODULE, {**by_id, "task_type": "AUTOMATION", "run_command": None}),
            task(MODULE, by_id),
        ],
    )
    for result in results[:2]:
        assert result["failed"] and result["matching_ids"] == task_ids, result
        assert f"2 maintenance window tasks are named 'PatchWebServerPrd': {', '.join(task_ids)}" in result["msg"]
    assert results[2]["matching_ids"] == sorted([target_id, twin_target])
    assert "2 maintenance window targets are named 'WebServer-Prd'" in results[2]["msg"]
    assert "task_type: the task is RUN_COMMAND, and AWS cannot change a task's type in place" in results[3]["msg"]
    assert results[4]["changed"] and results[4]["window_task"]["window_task_id"] == task_ids[0]
    assert [call["parameters"]["WindowTaskId"] for call in local_aws.mutating(mark)] == [task_ids[0]]


def seed_with(**changes):
    options = webserver_task("Patch-WebServer-Prd-missing")
    run_command = {**options["run_command"], **changes.pop("run_command", {})}
    merged = {**options, "run_command": run_command, **changes}
    return {key: value for key, value in merged.items() if value is not None}


BAD_INPUTS = [
    (seed_with(max_concurrency="0"), "max_concurrency: '0' must be a number of targets from 1 up"),
    (seed_with(max_errors="101%"), "max_errors: '101%' must be a number of errors from 0 up"),
    (seed_with(priority=-1), "priority: -1 is outside the allowed range at least 0"),
    (seed_with(run_command={"timeout_seconds": 10}), "run_command.timeout_seconds: 10 is outside the allowed range"),
    (seed_with(task_type="AUTOMATION"), "run_command: invocation parameters for RUN_COMMAND tasks"),
    (seed_with(service_role_arn="maintenance-window-role"), "service_role_arn: 'maintenance-window-role' is not"),
    (seed_with(run_command={"output_s3_bucket_name": "Patching_WebServer"}), "run_command.output_s3_bucket_name:"),
    (
        seed_with(run_command={"notification_config": {"notification_events": ["Everything"]}}),
        "run_command.notification_config.notification_events[0]: 'Everything' is not one of",
    ),
    (
        seed_with(run_command={"parameters": {"Operation": {"value": "Install"}}}),
        "run_command.parameters[Operation]: give a value or a list of values",
    ),
    (seed_with(window_targets=[]), "targets: Run Command tasks need targets"),
    (
        seed_with(window_targets=None, targets=[{"key": "tag:Patch Group", "values": ["WebServer-Prd"]}]),
        "targets[0].key: 'tag:Patch Group' is not a valid target key; use one of InstanceIds, WindowTargetIds",
    ),
    (seed_with(cutoff_behavior="STOP"), "cutoff_behavior"),
]


def test_bad_inputs_fail_before_any_call_naming_the_option(local_aws, tmp_path):
    mark = local_aws.mark()
    results = play(local_aws, tmp_path, [task(MODULE, bad) for bad, _expected in BAD_INPUTS])
    for (_bad, expected), result in zip(BAD_INPUTS, results, strict=True):
        assert result.get("failed") and expected in result["msg"], (expected, result.get("msg"))
        assert no_traceback(result)
    assert local_aws.requests(mark) == []


def test_seed_playbook_twice_changes_nothing_the_second_time(local_aws, ssm, tmp_path):
    window = unique("Patch-Windows-Server-2016")
    create_window(ssm, window)
    target = {"window": window, "name": "Windows-Server-2016-Base"}
    target["targets"] = [{"key": "tag:Patch Group", "values": ["Windows Server 2016 Base"]}]
    windows_task = {
        "window": window,
        "name": "Patch-Windows-Server-2016-Base",
        "task_type": "RUN_COMMAND",
        "task_arn": "AWS-RunPatchBaseline",
        "window_targets": ["Windows-Server-2016-Base"],
        "priority": 1,
        "max_concurrency": "100%",
        "max_errors": "1",
        "service_role_arn": ROLE_ARN,
        "run_command": {"parameters": {"Operation": "Install"}},
    }
    tasks = [task("ssm_window_target", target), task(MODULE, windows_task)]
    first = play(local_aws, tmp_path, tasks)
    mark = local_aws.mark()
    second = play(local_aws, tmp_path, tasks)
    assert [result["changed"] for result in first] == [True, True], first
    assert [result["changed"] for result in second] == [False, False], second
    assert second[1]["window_task"]["max_concurrency"] == "100%"
    assert local_aws.mutating(mark) == []
