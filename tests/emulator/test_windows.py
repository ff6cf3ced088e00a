"""Maintenance windows, their targets and tasks on the local endpoint, driven with plain boto3."""

import datetime
import re
import uuid

import botocore.exceptions
import pytest

from tests.helpers.output_shapes import output_problems

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
INSTANCE_TARGETS = [{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}]
FULL_RUN_COMMAND = {
    "RunCommand": {
        "Comment": "Install patches",
        "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "/patching/run", "CloudWatchOutputEnabled": True},
        "DocumentHash": "a" * 64,
        "DocumentHashType": "Sha256",
        "DocumentVersion": "$DEFAULT",
        "NotificationConfig": {
            "NotificationArn": "arn:aws:sns:us-east-1:123456789012:patching",
            "NotificationEvents": ["Failed", "TimedOut"],
            "NotificationType": "Command",
        },
        "OutputS3BucketName": "patch-logs",
        "OutputS3KeyPrefix": "runs/",
        "Parameters": {"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"], "Snapshot": ["a", "b"]},
        "ServiceRoleArn": "arn:aws:iam::123456789012:role/notify",
        "TimeoutSeconds": 600,
    }
}


def unique(prefix="mw"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def new_window(ssm, **settings):
    params = {"Name": unique(), "Schedule": "cron(0 2 ? * SUN *)", "Duration": 3, "Cutoff": 1}
    params["AllowUnassociatedTargets"] = False
    params.update(settings)
    return ssm.create_maintenance_window(**params)["WindowId"]


def new_target(ssm, window_id, **settings):
    params = {"WindowId": window_id, "ResourceType": "INSTANCE", "Targets": INSTANCE_TARGETS}
    params.update(settings)
    return ssm.register_target_with_maintenance_window(**params)["WindowTargetId"]


def new_task(ssm, window_id, target_id, **settings):
    params = {
        "WindowId": window_id,
        "Targets": [{"Key": "WindowTargetIds", "Values": [target_id]}],
        "TaskArn": "AWS-RunPatchBaseline",
        "TaskType": "RUN_COMMAND",
        "MaxConcurrency": "2",
        "MaxErrors": "1",
        "Priority": 1,
    }
    params.update(settings)
    return ssm.register_task_with_maintenance_window(**params)["WindowTaskId"]


def failure(call, **params):
    with pytest.raises(botocore.exceptions.ClientError) as error:
        call(**params)
    return error.value.response["Error"]


def all_pages(call, list_key, **params):
    items, token = [], None
    while True:
        page = call(**params, **({"NextToken": token} if token else {}))
        items.extend(page[list_key])
        token = page.get("NextToken")
        if not token:
            return items


# --- windows -------------------------------------------------------------------------------------


def test_create_and_get_window_round_trip_every_field(ssm):
    name = unique()
    window_id = ssm.create_maintenance_window(
        Name=name,
        Description="Sunday patching",
        StartDate="2030-01-01T00:00:00Z",
        EndDate="2031-01-01T00:00:00Z",
        Schedule="cron(30 23 ? * TUE#3 *)",
        ScheduleTimezone="Europe/Berlin",
        ScheduleOffset=2,
        Duration=4,
        Cutoff=1,
        AllowUnassociatedTargets=True,
        Tags=[{"Key": "Team", "Value": "ops"}],
    )["WindowId"]
    window = ssm.get_maintenance_window(WindowId=window_id)
    assert re.fullmatch(r"mw-[0-9a-f]{17}", window_id)
    fields = {k: v for k, v in window.items() if k not in ("ResponseMetadata", "CreatedDate", "ModifiedDate")}
    assert fields == {
        "WindowId": window_id,
        "Name": name,
        "Description": "Sunday patching",
        "StartDate": "2030-01-01T00:00:00Z",
        "EndDate": "2031-01-01T00:00:00Z",
        "Schedule": "cron(30 23 ? * TUE#3 *)",
        "ScheduleTimezone": "Europe/Berlin",
        "ScheduleOffset": 2,
        "Duration": 4,
        "Cutoff": 1,
        "AllowUnassociatedTargets": True,
        "Enabled": True,
    }
    assert isinstance(window["CreatedDate"], datetime.datetime)
    assert isinstance(window["ModifiedDate"], datetime.datetime)
    tags = ssm.list_tags_for_resource(ResourceType="MaintenanceWindow", ResourceId=window_id)["TagList"]
    assert tags == [{"Key": "Team", "Value": "ops"}]


def test_get_unknown_window_is_does_not_exist(ssm):
    error = failure(ssm.get_maintenance_window, WindowId="mw-0123456789abcdef0")
    assert error["Code"] == "DoesNotExistException"
    assert error["Message"] == "Maintenance window mw-0123456789abcdef0 does not exist"


@pytest.mark.parametrize(("duration", "cutoff"), [(3, 3), (2, 5), (1, 1)])
def test_cutoff_not_below_duration_is_rejected(ssm, duration, cutoff):
    error = failure(
        ssm.create_maintenance_window,
        Name=unique(),
        Schedule="rate(7 days)",
        Duration=duration,
        Cutoff=cutoff,
        AllowUnassociatedTargets=False,
    )
    assert error["Code"] == "ValidationException"
    assert error["Message"].startswith(f"Cutoff was {cutoff} but must be smaller than")


def test_cutoff_one_hour_below_duration_is_accepted(ssm):
    window_id = new_window(ssm, Duration=2, Cutoff=1)
    assert ssm.get_maintenance_window(WindowId=window_id)["Cutoff"] == 1


@pytest.mark.parametrize(
    "schedule",
    [
        "cron(0 2 * * *)",
        "cron(0 2 * * SUN *)",
        "cron(0 2 ? * ? *)",
        "cron(61 2 ? * SUN *)",
        "cron(0 2 ? * FUNDAY *)",
        "rate(1 days)",
        "rate(5 hour)",
        "rate(0 hours)",
        "rate(2 weeks)",
        "at(2030-13-01T00:00:00)",
        "at(2030-01-01 00:00)",
        "every sunday",
    ],
)
def test_invalid_schedules_are_rejected(ssm, schedule):
    error = failure(
        ssm.create_maintenance_window,
        Name=unique(),
        Schedule=schedule,
        Duration=2,
        Cutoff=0,
        AllowUnassociatedTargets=False,
    )
    assert error["Code"] == "ValidationException"
    assert schedule in error["Message"]


@pytest.mark.parametrize(
    "schedule",
    [
        "cron(0 2 ? * SUN *)",
        "cron(30 23 ? * TUE#3 *)",
        "cron(0 2 L * ? *)",
        "cron(15 10 ? * 6L *)",
        "cron(0/15 8-17 ? * MON-FRI *)",
        "cron(0 2 15W JAN,JUL ? 2030)",
        "cron(0 0 2 ? * * *)",
        "rate(1 hour)",
        "rate(30 minutes)",
        "rate(7 days)",
        "at(2030-07-07T13:15:30)",
    ],
)
def test_aws_dialect_schedules_are_accepted(ssm, schedule):
    window_id = new_window(ssm, Schedule=schedule, Duration=2, Cutoff=0)
    assert ssm.get_maintenance_window(WindowId=window_id)["Schedule"] == schedule


def test_schedule_offset_needs_a_cron_schedule(ssm):
    error = failure(
        ssm.create_maintenance_window,
        Name=unique(),
        Schedule="rate(7 days)",
        ScheduleOffset=2,
        Duration=2,
        Cutoff=0,
        AllowUnassociatedTargets=False,
    )
    assert error["Code"] == "ValidationException" and "ScheduleOffset" in error["Message"]


def test_start_date_must_precede_end_date(ssm):
    params = {"Name": unique(), "Schedule": "rate(1 day)", "Duration": 2, "Cutoff": 0}
    params.update(AllowUnassociatedTargets=False, StartDate="2031-01-01T00:00:00Z", EndDate="2030-01-01T00:00:00Z")
    error = failure(ssm.create_maintenance_window, **params)
    assert error["Code"] == "ValidationException" and "StartDate" in error["Message"]


def test_time_zone_must_be_an_iana_name(ssm):
    error = failure(
        ssm.create_maintenance_window,
        Name=unique(),
        Schedule="rate(1 day)",
        ScheduleTimezone="Mars/Olympus_Mons",
        Duration=2,
        Cutoff=0,
        AllowUnassociatedTargets=False,
    )
    assert error["Code"] == "ValidationException" and "Mars/Olympus_Mons" in error["Message"]


def test_duration_above_the_model_maximum_is_refused_by_the_endpoint(ssm):
    error = failure(
        ssm.create_maintenance_window,
        Name=unique(),
        Schedule="rate(1 day)",
        Duration=25,
        Cutoff=0,
        AllowUnassociatedTargets=False,
    )
    assert error["Code"] == "ValidationException"
    assert "Value '25' at 'duration' failed to satisfy constraint" in error["Message"] and "24" in error["Message"]


def test_client_token_retry_returns_the_same_window_and_a_changed_retry_is_refused(ssm):
    token, name = unique("token"), unique()
    params = {"Name": name, "Schedule": "rate(1 day)", "Duration": 2, "Cutoff": 0}
    params.update(AllowUnassociatedTargets=False, ClientToken=token)
    first = ssm.create_maintenance_window(**params)["WindowId"]
    assert ssm.create_maintenance_window(**params)["WindowId"] == first
    error = failure(ssm.create_maintenance_window, **{**params, "Duration": 3})
    assert error["Code"] == "IdempotentParameterMismatch"
    found = ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [name]}])["WindowIdentities"]
    assert [w["WindowId"] for w in found] == [first]


def test_update_without_replace_keeps_fields_not_sent(ssm):
    window_id = new_window(ssm, Description="keep me", ScheduleTimezone="UTC", ScheduleOffset=1)
    answer = ssm.update_maintenance_window(WindowId=window_id, Duration=5, Enabled=False)
    window = ssm.get_maintenance_window(WindowId=window_id)
    assert (window["Duration"], window["Enabled"], window["Description"]) == (5, False, "keep me")
    assert (window["ScheduleTimezone"], window["ScheduleOffset"]) == ("UTC", 1)
    assert answer["Duration"] == 5 and answer["Description"] == "keep me" and "CreatedDate" not in answer


def test_update_with_replace_resets_optional_fields_not_sent(ssm):
    window_id = new_window(
        ssm, Description="gone", ScheduleTimezone="UTC", ScheduleOffset=1, StartDate="2030-01-01T00:00:00Z"
    )
    ssm.update_maintenance_window(WindowId=window_id, Enabled=False)
    name = unique()
    ssm.update_maintenance_window(
        WindowId=window_id,
        Name=name,
        Schedule="rate(1 day)",
        Duration=2,
        Cutoff=0,
        AllowUnassociatedTargets=True,
        Replace=True,
    )
    window = ssm.get_maintenance_window(WindowId=window_id)
    for field in ("Description", "ScheduleTimezone", "ScheduleOffset", "StartDate"):
        assert field not in window
    assert (window["Name"], window["Schedule"], window["AllowUnassociatedTargets"]) == (name, "rate(1 day)", True)
    assert window["Enabled"] is True


def test_update_with_replace_needs_every_field_create_requires(ssm):
    window_id = new_window(ssm)
    error = failure(ssm.update_maintenance_window, WindowId=window_id, Name=unique(), Replace=True)
    assert error["Code"] == "ValidationException"
    assert "'schedule'" in error["Message"] and "'duration'" in error["Message"]


def test_update_checks_the_merged_window(ssm):
    window_id = new_window(ssm, Duration=3, Cutoff=2, ScheduleOffset=2)
    assert failure(ssm.update_maintenance_window, WindowId=window_id, Duration=2)["Code"] == "ValidationException"
    error = failure(ssm.update_maintenance_window, WindowId=window_id, Schedule="rate(1 day)")
    assert error["Code"] == "ValidationException" and "ScheduleOffset" in error["Message"]
    assert ssm.get_maintenance_window(WindowId=window_id)["Duration"] == 3


def test_update_unknown_window_is_does_not_exist(ssm):
    error = failure(ssm.update_maintenance_window, WindowId="mw-0123456789abcdef1", Duration=2)
    assert error["Code"] == "DoesNotExistException"


def test_delete_window_removes_its_targets_tasks_and_tags(ssm):
    window_id = new_window(ssm, Tags=[{"Key": "Team", "Value": "ops"}])
    new_task(ssm, window_id, new_target(ssm, window_id))
    assert ssm.delete_maintenance_window(WindowId=window_id)["WindowId"] == window_id
    assert failure(ssm.get_maintenance_window, WindowId=window_id)["Code"] == "DoesNotExistException"
    assert failure(ssm.describe_maintenance_window_targets, WindowId=window_id)["Code"] == "DoesNotExistException"
    assert failure(ssm.describe_maintenance_window_tasks, WindowId=window_id)["Code"] == "DoesNotExistException"
    error = failure(ssm.list_tags_for_resource, ResourceType="MaintenanceWindow", ResourceId=window_id)
    assert error["Code"] == "InvalidResourceId"


def test_delete_unknown_window_answers_its_id(ssm):
    assert ssm.delete_maintenance_window(WindowId="mw-0123456789abcdef2")["WindowId"] == "mw-0123456789abcdef2"


def test_describe_windows_filters_by_name_and_enabled(ssm):
    enabled_id, disabled_id = new_window(ssm), new_window(ssm)
    ssm.update_maintenance_window(WindowId=disabled_id, Enabled=False)
    disabled_name = ssm.get_maintenance_window(WindowId=disabled_id)["Name"]
    by_name = ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [disabled_name]}])
    assert [w["WindowId"] for w in by_name["WindowIdentities"]] == [disabled_id]
    assert by_name["WindowIdentities"][0]["Enabled"] is False
    disabled = all_pages(
        ssm.describe_maintenance_windows, "WindowIdentities", Filters=[{"Key": "Enabled", "Values": ["false"]}]
    )
    disabled_ids = {w["WindowId"] for w in disabled}
    assert disabled_id in disabled_ids and enabled_id not in disabled_ids


def test_describe_windows_refuses_an_unknown_filter_key(ssm):
    error = failure(ssm.describe_maintenance_windows, Filters=[{"Key": "Owner", "Values": ["me"]}])
    assert error["Code"] == "ValidationException"


def test_describe_windows_pages_with_next_token(ssm):
    created = {new_window(ssm) for _ in range(12)}
    first = ssm.describe_maintenance_windows(MaxResults=10)
    assert len(first["WindowIdentities"]) == 10 and first["NextToken"]
    listed = [w["WindowId"] for w in all_pages(ssm.describe_maintenance_windows, "WindowIdentities", MaxResults=10)]
    assert created <= set(listed) and len(listed) == len(set(listed))


# --- targets -------------------------------------------------------------------------------------


def test_register_target_keeps_owner_information_name_and_description(ssm):
    window_id = new_window(ssm)
    target_id = new_target(
        ssm,
        window_id,
        Targets=[{"Key": "tag:Patch Group", "Values": ["web", "db"]}],
        OwnerInformation="team-web",
        Name="web-servers",
        Description="All web servers",
    )
    assert UUID.fullmatch(target_id)
    [target] = ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]
    assert target == {
        "WindowId": window_id,
        "WindowTargetId": target_id,
        "ResourceType": "INSTANCE",
        "Targets": [{"Key": "tag:Patch Group", "Values": ["web", "db"]}],
        "OwnerInformation": "team-web",
        "Name": "web-servers",
        "Description": "All web servers",
    }


def test_register_target_with_unknown_window_is_does_not_exist(ssm):
    error = failure(
        ssm.register_target_with_maintenance_window,
        WindowId="mw-0123456789abcdef3",
        ResourceType="INSTANCE",
        Targets=INSTANCE_TARGETS,
    )
    assert error["Code"] == "DoesNotExistException"


@pytest.mark.parametrize("targets", [[], [{"Key": "tag:Patch Group", "Values": []}]])
def test_register_target_needs_a_target_with_values(ssm, targets):
    window_id = new_window(ssm)
    error = failure(
        ssm.register_target_with_maintenance_window, WindowId=window_id, ResourceType="INSTANCE", Targets=targets
    )
    assert error["Code"] == "ValidationException" and "at least one target" in error["Message"]


def test_register_target_client_token_is_idempotent(ssm):
    window_id, token = new_window(ssm), unique("token")
    first = new_target(ssm, window_id, ClientToken=token, Name="first")
    assert new_target(ssm, window_id, ClientToken=token, Name="first") == first
    error = failure(
        ssm.register_target_with_maintenance_window,
        WindowId=window_id,
        ResourceType="INSTANCE",
        Targets=INSTANCE_TARGETS,
        ClientToken=token,
        Name="second",
    )
    assert error["Code"] == "IdempotentParameterMismatch"
    assert len(ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]) == 1


def test_safe_deregister_of_a_target_in_use_is_refused(ssm):
    window_id = new_window(ssm)
    target_id = new_target(ssm, window_id)
    task_id = new_task(ssm, window_id, target_id)
    error = failure(
        ssm.deregister_target_from_maintenance_window, WindowId=window_id, WindowTargetId=target_id, Safe=True
    )
    assert error["Code"] == "TargetInUseException" and task_id in error["Message"]
    assert len(ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]) == 1


def test_deregister_without_safe_removes_a_target_in_use(ssm):
    window_id = new_window(ssm)
    target_id = new_target(ssm, window_id)
    task_id = new_task(ssm, window_id, target_id)
    answer = ssm.deregister_target_from_maintenance_window(WindowId=window_id, WindowTargetId=target_id)
    assert (answer["WindowId"], answer["WindowTargetId"]) == (window_id, target_id)
    assert ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"] == []
    assert ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)["WindowTaskId"] == task_id


def test_deregister_unknown_target_is_does_not_exist(ssm):
    window_id = new_window(ssm)
    error = failure(ssm.deregister_target_from_maintenance_window, WindowId=window_id, WindowTargetId=str(uuid.uuid4()))
    assert error["Code"] == "DoesNotExistException"


def test_update_target_without_replace_keeps_fields_not_sent(ssm):
    window_id = new_window(ssm)
    target_id = new_target(ssm, window_id, OwnerInformation="owner", Name="name-1", Description="first")
    answer = ssm.update_maintenance_window_target(WindowId=window_id, WindowTargetId=target_id, Name="name-2")
    assert (answer["Name"], answer["OwnerInformation"], answer["Description"]) == ("name-2", "owner", "first")
    assert answer["Targets"] == INSTANCE_TARGETS


def test_update_target_with_replace_resets_fields_not_sent(ssm):
    window_id = new_window(ssm)
    target_id = new_target(ssm, window_id, OwnerInformation="owner", Name="name-1", Description="first")
    new_targets = [{"Key": "InstanceIds", "Values": ["i-0123456789abcdef1", "i-0123456789abcdef2"]}]
    ssm.update_maintenance_window_target(
        WindowId=window_id, WindowTargetId=target_id, Targets=new_targets, Name="name-2", Replace=True
    )
    [target] = ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]
    assert target["Targets"] == new_targets and target["Name"] == "name-2"
    assert "OwnerInformation" not in target and "Description" not in target
    assert target["ResourceType"] == "INSTANCE"


def test_update_target_with_replace_needs_targets(ssm):
    window_id = new_window(ssm)
    target_id = new_target(ssm, window_id)
    error = failure(
        ssm.update_maintenance_window_target, WindowId=window_id, WindowTargetId=target_id, Name="x-y", Replace=True
    )
    assert error["Code"] == "ValidationException" and "'targets'" in error["Message"]


def test_update_unknown_target_is_does_not_exist(ssm):
    window_id = new_window(ssm)
    error = failure(
        ssm.update_maintenance_window_target, WindowId=window_id, WindowTargetId=str(uuid.uuid4()), Name="abc"
    )
    assert error["Code"] == "DoesNotExistException"


def test_describe_targets_filters_and_pages(ssm):
    window_id = new_window(ssm)
    ids = [new_target(ssm, window_id, OwnerInformation=f"owner-{n % 2}") for n in range(12)]
    page = ssm.describe_maintenance_window_targets(WindowId=window_id, MaxResults=10)
    assert len(page["Targets"]) == 10 and page["NextToken"]
    listed = all_pages(ssm.describe_maintenance_window_targets, "Targets", WindowId=window_id, MaxResults=10)
    assert [t["WindowTargetId"] for t in listed] == ids
    by_id = ssm.describe_maintenance_window_targets(
        WindowId=window_id, Filters=[{"Key": "WindowTargetId", "Values": [ids[3]]}]
    )["Targets"]
    assert [t["WindowTargetId"] for t in by_id] == [ids[3]]
    by_owner = all_pages(
        ssm.describe_maintenance_window_targets,
        "Targets",
        WindowId=window_id,
        Filters=[{"Key": "OwnerInformation", "Values": ["owner-1"]}],
    )
    assert [t["WindowTargetId"] for t in by_owner] == ids[1::2]
    by_type = ssm.describe_maintenance_window_targets(
        WindowId=window_id, Filters=[{"Key": "Type", "Values": ["RESOURCE_GROUP"]}]
    )
    assert by_type["Targets"] == []


# --- tasks ---------------------------------------------------------------------------------------


def test_run_command_task_keeps_every_field_and_full_invocation_parameters(ssm):
    window_id = new_window(ssm)
    target_id = new_target(ssm, window_id)
    settings = {
        "Targets": [{"Key": "WindowTargetIds", "Values": [target_id]}],
        "TaskArn": "AWS-RunPatchBaseline",
        "ServiceRoleArn": "arn:aws:iam::123456789012:role/MaintenanceWindows",
        "TaskType": "RUN_COMMAND",
        "TaskInvocationParameters": FULL_RUN_COMMAND,
        "Priority": 3,
        "MaxConcurrency": "10%",
        "MaxErrors": "0",
        "LoggingInfo": {"S3BucketName": "patch-logs", "S3KeyPrefix": "legacy/", "S3Region": "us-east-1"},
        "Name": "install-patches",
        "Description": "Install with reboot",
        "CutoffBehavior": "CANCEL_TASK",
        "AlarmConfiguration": {"IgnorePollAlarmFailure": True, "Alarms": [{"Name": "patching-errors"}]},
    }
    task_id = ssm.register_task_with_maintenance_window(WindowId=window_id, **settings)["WindowTaskId"]
    assert UUID.fullmatch(task_id)
    task = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
    task.pop("ResponseMetadata")
    assert task == {"WindowId": window_id, "WindowTaskId": task_id, "TaskParameters": {}, **settings}


def test_lambda_and_step_functions_invocation_parameters_round_trip(ssm):
    window_id = new_window(ssm)
    lambda_id = ssm.register_task_with_maintenance_window(
        WindowId=window_id,
        TaskArn="arn:aws:lambda:us-east-1:123456789012:function:patch-hook",
        TaskType="LAMBDA",
        TaskInvocationParameters={"Lambda": {"ClientContext": "ctx", "Qualifier": "live", "Payload": b'{"a": 1}'}},
    )["WindowTaskId"]
    lambda_task = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=lambda_id)
    assert lambda_task["TaskInvocationParameters"]["Lambda"] == {
        "ClientContext": "ctx",
        "Qualifier": "live",
        "Payload": b'{"a": 1}',
    }
    steps_id = ssm.register_task_with_maintenance_window(
        WindowId=window_id,
        TaskArn="arn:aws:states:us-east-1:123456789012:stateMachine:patch",
        TaskType="STEP_FUNCTIONS",
        TaskInvocationParameters={"StepFunctions": {"Input": '{"window": "{{WINDOW_ID}}"}', "Name": "run-1"}},
    )["WindowTaskId"]
    steps_task = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=steps_id)
    assert steps_task["TaskInvocationParameters"] == {
        "StepFunctions": {"Input": '{"window": "{{WINDOW_ID}}"}', "Name": "run-1"}
    }


def test_targetless_task_reports_placeholder_concurrency_and_errors(ssm):
    window_id = new_window(ssm)
    task_id = ssm.register_task_with_maintenance_window(
        WindowId=window_id,
        TaskArn="AWS-RestartEC2Instance",
        TaskType="AUTOMATION",
        TaskInvocationParameters={"Automation": {"DocumentVersion": "$LATEST", "Parameters": {"A": ["1"]}}},
    )["WindowTaskId"]
    task = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
    assert (task["MaxConcurrency"], task["MaxErrors"]) == ("1", "1")
    assert "Targets" not in task or task["Targets"] == []
    assert task["TaskInvocationParameters"]["Automation"]["Parameters"] == {"A": ["1"]}


def test_targetless_task_refuses_max_concurrency_and_max_errors(ssm):
    window_id = new_window(ssm)
    error = failure(
        ssm.register_task_with_maintenance_window,
        WindowId=window_id,
        TaskArn="AWS-RestartEC2Instance",
        TaskType="AUTOMATION",
        MaxConcurrency="1",
        MaxErrors="1",
    )
    assert error["Code"] == "ValidationException"
    assert "without targets do not support MaxErrors" in error["Message"]
    assert "without targets do not support MaxConcurrency" in error["Message"]


def test_run_command_task_needs_targets(ssm):
    window_id = new_window(ssm)
    error = failure(
        ssm.register_task_with_maintenance_window,
        WindowId=window_id,
        TaskArn="AWS-RunPatchBaseline",
        TaskType="RUN_COMMAND",
    )
    assert error["Code"] == "ValidationException" and "targets" in error["Message"]


@pytest.mark.parametrize("missing", ["MaxConcurrency", "MaxErrors"])
def test_task_with_targets_needs_max_concurrency_and_max_errors(ssm, missing):
    window_id = new_window(ssm)
    params = {
        "WindowId": window_id,
        "Targets": INSTANCE_TARGETS,
        "TaskArn": "AWS-RunPatchBaseline",
        "TaskType": "RUN_COMMAND",
        "MaxConcurrency": "1",
        "MaxErrors": "1",
    }
    del params[missing]
    error = failure(ssm.register_task_with_maintenance_window, **params)
    assert error["Code"] == "ValidationException" and missing in error["Message"]


def test_task_naming_an_unknown_window_target_is_refused(ssm):
    window_id = new_window(ssm)
    other_window_target = new_target(ssm, new_window(ssm))
    error = failure(
        ssm.register_task_with_maintenance_window,
        WindowId=window_id,
        Targets=[{"Key": "WindowTargetIds", "Values": [other_window_target]}],
        TaskArn="AWS-RunPatchBaseline",
        TaskType="RUN_COMMAND",
        MaxConcurrency="1",
        MaxErrors="1",
    )
    assert error["Code"] == "DoesNotExistException" and other_window_target in error["Message"]


def test_register_task_with_unknown_window_is_does_not_exist(ssm):
    error = failure(
        ssm.register_task_with_maintenance_window,
        WindowId="mw-0123456789abcdef4",
        TaskArn="AWS-RestartEC2Instance",
        TaskType="AUTOMATION",
    )
    assert error["Code"] == "DoesNotExistException"
    assert error["Message"] == "Maintenance window mw-0123456789abcdef4 does not exist"


def test_register_task_client_token_is_idempotent(ssm):
    window_id, token = new_window(ssm), unique("token")
    target_id = new_target(ssm, window_id)
    first = new_task(ssm, window_id, target_id, ClientToken=token)
    assert new_task(ssm, window_id, target_id, ClientToken=token) == first
    error = failure(
        ssm.register_task_with_maintenance_window,
        WindowId=window_id,
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        TaskArn="AWS-RunPatchBaseline",
        TaskType="RUN_COMMAND",
        MaxConcurrency="5",
        MaxErrors="1",
        Priority=1,
        ClientToken=token,
    )
    assert error["Code"] == "IdempotentParameterMismatch"
    assert len(ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]) == 1


def test_update_task_without_replace_keeps_fields_but_replaces_invocation_parameters_whole(ssm):
    window_id = new_window(ssm)
    target_id = new_target(ssm, window_id)
    task_id = new_task(
        ssm, window_id, target_id, TaskInvocationParameters=FULL_RUN_COMMAND, Name="patch-task", Description="d1"
    )
    answer = ssm.update_maintenance_window_task(
        WindowId=window_id,
        WindowTaskId=task_id,
        Priority=7,
        TaskInvocationParameters={"RunCommand": {"OutputS3BucketName": "other-bucket"}},
    )
    task = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
    assert task["TaskInvocationParameters"] == {"RunCommand": {"OutputS3BucketName": "other-bucket"}}
    assert (task["Priority"], task["Name"], task["Description"], task["MaxConcurrency"]) == (7, "patch-task", "d1", "2")
    assert answer["Priority"] == 7 and answer["Name"] == "patch-task" and "TaskType" not in answer


def test_update_task_with_replace_resets_optional_fields_not_sent(ssm):
    window_id = new_window(ssm)
    target_id = new_target(ssm, window_id)
    task_id = new_task(
        ssm,
        window_id,
        target_id,
        TaskInvocationParameters=FULL_RUN_COMMAND,
        Name="patch-task",
        Description="d1",
        ServiceRoleArn="arn:aws:iam::123456789012:role/MaintenanceWindows",
        CutoffBehavior="CANCEL_TASK",
    )
    ssm.update_maintenance_window_task(
        WindowId=window_id,
        WindowTaskId=task_id,
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        TaskArn="AWS-RunShellScript",
        MaxConcurrency="1",
        MaxErrors="0",
        Replace=True,
    )
    task = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
    for field in ("TaskInvocationParameters", "Name", "Description", "ServiceRoleArn", "Priority"):
        assert field not in task
    assert (task["TaskArn"], task["TaskType"], task["MaxConcurrency"]) == ("AWS-RunShellScript", "RUN_COMMAND", "1")
    assert task["CutoffBehavior"] == "CONTINUE_TASK"


def test_update_task_with_replace_needs_task_arn(ssm):
    window_id = new_window(ssm)
    task_id = new_task(ssm, window_id, new_target(ssm, window_id))
    error = failure(ssm.update_maintenance_window_task, WindowId=window_id, WindowTaskId=task_id, Replace=True)
    assert error["Code"] == "ValidationException" and "'taskArn'" in error["Message"]


def test_update_task_checks_window_target_ids(ssm):
    window_id = new_window(ssm)
    task_id = new_task(ssm, window_id, new_target(ssm, window_id))
    missing = str(uuid.uuid4())
    error = failure(
        ssm.update_maintenance_window_task,
        WindowId=window_id,
        WindowTaskId=task_id,
        Targets=[{"Key": "WindowTargetIds", "Values": [missing]}],
    )
    assert error["Code"] == "DoesNotExistException" and missing in error["Message"]


def test_get_update_and_deregister_unknown_task_is_does_not_exist(ssm):
    window_id, task_id = new_window(ssm), str(uuid.uuid4())
    assert failure(ssm.get_maintenance_window_task, WindowId=window_id, WindowTaskId=task_id)["Code"] == (
        "DoesNotExistException"
    )
    error = failure(ssm.update_maintenance_window_task, WindowId=window_id, WindowTaskId=task_id, Priority=1)
    assert error["Code"] == "DoesNotExistException"
    error = failure(ssm.deregister_task_from_maintenance_window, WindowId=window_id, WindowTaskId=task_id)
    assert error["Code"] == "DoesNotExistException"


def test_deregister_task_removes_it(ssm):
    window_id = new_window(ssm)
    target_id = new_target(ssm, window_id)
    task_id = new_task(ssm, window_id, target_id)
    answer = ssm.deregister_task_from_maintenance_window(WindowId=window_id, WindowTaskId=task_id)
    assert (answer["WindowId"], answer["WindowTaskId"]) == (window_id, task_id)
    assert ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"] == []
    ssm.deregister_target_from_maintenance_window(WindowId=window_id, WindowTargetId=target_id, Safe=True)


def test_describe_tasks_answers_summaries_and_filters(ssm):
    window_id = new_window(ssm)
    target_id = new_target(ssm, window_id)
    run_id = new_task(ssm, window_id, target_id, TaskInvocationParameters=FULL_RUN_COMMAND, Priority=2)
    automation_id = ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RestartEC2Instance", TaskType="AUTOMATION", Priority=5
    )["WindowTaskId"]
    tasks = {t["WindowTaskId"]: t for t in ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]}
    assert set(tasks) == {run_id, automation_id}
    assert tasks[run_id]["Type"] == "RUN_COMMAND" and "TaskInvocationParameters" not in tasks[run_id]
    assert tasks[automation_id]["MaxConcurrency"] == "1"

    def ids(key, *values):
        filters = [{"Key": key, "Values": list(values)}]
        return [
            t["WindowTaskId"]
            for t in ssm.describe_maintenance_window_tasks(WindowId=window_id, Filters=filters)["Tasks"]
        ]

    assert ids("TaskType", "AUTOMATION") == [automation_id]
    assert ids("Priority", "2") == [run_id]
    assert ids("TaskArn", "AWS-RunPatchBaseline") == [run_id]
    assert ids("WindowTaskId", automation_id, run_id) == [run_id, automation_id]


def test_describe_tasks_pages_with_next_token(ssm):
    window_id = new_window(ssm)
    target_id = new_target(ssm, window_id)
    created = [new_task(ssm, window_id, target_id, Priority=n) for n in range(11)]
    page = ssm.describe_maintenance_window_tasks(WindowId=window_id, MaxResults=10)
    assert len(page["Tasks"]) == 10 and page["NextToken"]
    listed = all_pages(ssm.describe_maintenance_window_tasks, "Tasks", WindowId=window_id, MaxResults=10)
    assert [t["WindowTaskId"] for t in listed] == created


# --- response shapes -----------------------------------------------------------------------------


def test_every_window_response_fits_botocore_output_shapes(local_aws, ssm):
    mark = local_aws.mark()
    window_id = new_window(ssm, Description="shape check", ScheduleTimezone="UTC")
    target_id = new_target(ssm, window_id, OwnerInformation="o", Name="tgt", Description="d")
    run_id = new_task(ssm, window_id, target_id, TaskInvocationParameters=FULL_RUN_COMMAND)
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RestartEC2Instance", TaskType="AUTOMATION"
    )
    ssm.get_maintenance_window(WindowId=window_id)
    ssm.update_maintenance_window(WindowId=window_id, Duration=4)
    ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": ["x"]}], MaxResults=10)
    ssm.describe_maintenance_window_targets(WindowId=window_id)
    ssm.update_maintenance_window_target(WindowId=window_id, WindowTargetId=target_id, Name="tgt-2")
    ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=run_id)
    ssm.update_maintenance_window_task(WindowId=window_id, WindowTaskId=run_id, Priority=4)
    ssm.describe_maintenance_window_tasks(WindowId=window_id)
    ssm.deregister_task_from_maintenance_window(WindowId=window_id, WindowTaskId=run_id)
    ssm.deregister_target_from_maintenance_window(WindowId=window_id, WindowTargetId=target_id)
    ssm.delete_maintenance_window(WindowId=window_id)
    entries = [e for e in local_aws.requests(mark) if e["service"] == "ssm" and e.get("status") == 200]
    assert len(entries) == 15
    for entry in entries:
        assert output_problems(entry["operation"], entry["response"]) == []
