"""Window task forms: normalising what AWS reports, merging options, building requests and results."""

import copy

from ansible_collections.patchmodel.ssm.plugins.module_utils import window_task as wt
from ansible_collections.patchmodel.ssm.plugins.module_utils.sensitive import MASK, masked, result_paths

TARGET_ID = "e32eecb2-646c-4f4b-8ed1-205fb0123456"
ROLE = "arn:aws:iam::123456789012:role/maintenance-window-role"
# GetMaintenanceWindowTask's answer for the seed task, as AWS reports it.
SEED_TASK = {
    "WindowId": "mw-0123456789abcdef0",
    "WindowTaskId": "4f7ca192-7e9a-40fe-9192-5cb150123456",
    "Name": "PatchWebServerPrd",
    "Description": "Run Command Task for patching Patching Web Server in production",
    "TaskType": "RUN_COMMAND",
    "TaskArn": "AWS-RunPatchBaselineWithHooks",
    "Targets": [{"Key": "WindowTargetIds", "Values": [TARGET_ID]}],
    "Priority": 1,
    "MaxConcurrency": "1",
    "MaxErrors": "1",
    "ServiceRoleArn": ROLE,
    "CutoffBehavior": "CANCEL_TASK",
    "TaskParameters": {},
    "TaskInvocationParameters": {
        "RunCommand": {
            "Parameters": {"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"]},
            "TimeoutSeconds": 600,
            "OutputS3BucketName": "patching-webserver",
            "OutputS3KeyPrefix": "patching/webserver/prd",
            "CloudWatchOutputConfig": {
                "CloudWatchLogGroupName": "patching/webserver/prd",
                "CloudWatchOutputEnabled": True,
            },
            "NotificationConfig": {
                "NotificationArn": "arn:aws:sns:us-east-1:123456789012:patching-webserver-prd",
                "NotificationEvents": ["All"],
                "NotificationType": "Invocation",
            },
            "ServiceRoleArn": ROLE,
        }
    },
}


def options(**overrides):
    """Module options as Ansible hands them over: every option present, None where left out."""
    params = {field: None for field in wt.FORM.options}
    params.update(overrides)
    return wt.FORM.from_options(params)


def run_command(**overrides):
    block = {field.option: None for field in wt.FORM["run_command"].shape.fields}
    block.update(overrides)
    return block


def test_scalar_numbers_and_booleans_equal_the_string_lists_aws_keeps():
    assert wt.PARAMETERS.from_api({"Operation": "Install", "Retries": 3, "Reboot": True, "Ids": ["a", 2]}) == {
        "Operation": ["Install"],
        "Retries": ["3"],
        "Reboot": ["true"],
        "Ids": ["a", "2"],
    }
    current = wt.FORM.from_api(SEED_TASK)
    wanted = options(run_command=run_command(parameters={"Operation": "Install", "RebootOption": ["RebootIfNeeded"]}))
    assert wt.FORM.changed(current, wt.FORM.merge(current, wanted)) == []


def test_parameter_lists_keep_their_order_because_commands_run_in_order():
    current = wt.FORM.from_api(SEED_TASK)
    current["run_command"]["parameters"] = {"commands": ["stop", "start"]}
    wanted = options(run_command=run_command(parameters={"commands": ["start", "stop"]}))
    assert wt.FORM.changed(current, wt.FORM.merge(current, wanted)) == ["run_command"]


def test_options_left_out_keep_the_current_task_and_sub_options_merge():
    current = wt.FORM.from_api(SEED_TASK)
    desired = wt.FORM.merge(current, options(priority=2, run_command=run_command(comment="monthly")))
    assert desired["priority"] == 2 and desired["run_command"]["comment"] == "monthly"
    assert desired["run_command"]["output_s3_bucket_name"] == "patching-webserver"
    assert desired["run_command"]["parameters"] == {"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"]}
    assert wt.FORM.changed(current, desired) == ["priority", "run_command"]


def test_parameters_are_replaced_as_a_whole_and_empty_text_removes_a_field():
    current = wt.FORM.from_api(SEED_TASK)
    desired = wt.FORM.merge(current, options(description="", run_command=run_command(parameters={"Operation": "Scan"})))
    assert desired["run_command"]["parameters"] == {"Operation": ["Scan"]}
    request = wt.FORM.to_request(desired, True)
    assert "Description" not in request
    assert request["TaskInvocationParameters"]["RunCommand"]["Parameters"] == {"Operation": ["Scan"]}


def test_what_aws_fills_in_is_no_difference():
    targetless = {
        "Name": "UpdateAmi",
        "TaskType": "AUTOMATION",
        "TaskArn": "AWS-UpdateLinuxAmi",
        "MaxConcurrency": "1",
        "MaxErrors": "1",
        "TaskParameters": {},
        "TaskInvocationParameters": {},
    }
    current = wt.FORM.from_api(targetless)
    assert current["max_concurrency"] is None and current["max_errors"] is None
    assert current["cutoff_behavior"] == "CONTINUE_TASK"
    wanted = options(
        name="UpdateAmi", task_type="AUTOMATION", task_arn="AWS-UpdateLinuxAmi", cutoff_behavior="CONTINUE_TASK"
    )
    assert wt.FORM.changed(current, wt.FORM.merge(current, wanted)) == []


def test_targetless_requests_carry_no_rate_control():
    current = wt.FORM.from_api(SEED_TASK)
    desired = wt.FORM.merge(current, options(targets=[]))
    request = wt.FORM.to_request(desired, True)
    assert "Targets" not in request and "MaxConcurrency" not in request and "MaxErrors" not in request


def test_an_update_sends_back_the_deprecated_fields_it_does_not_manage():
    task = dict(SEED_TASK, LoggingInfo={"S3BucketName": "old-logs", "S3Region": "us-east-1"})
    current = wt.FORM.from_api(task)
    request = wt.FORM.to_request(wt.FORM.merge(current, options(priority=3)), False) | wt.carried_fields(task)
    assert request["LoggingInfo"] == {"S3BucketName": "old-logs", "S3Region": "us-east-1"}
    assert "TaskParameters" not in request  # AWS reported it empty
    assert request["Priority"] == 3 and request["TaskArn"] == "AWS-RunPatchBaselineWithHooks"


def test_the_request_for_the_seed_task_round_trips_through_the_api_shape():
    current = wt.FORM.from_api(SEED_TASK)
    request = wt.FORM.to_request(current, True)
    assert request["TaskInvocationParameters"] == SEED_TASK["TaskInvocationParameters"]
    assert request["Targets"] == SEED_TASK["Targets"]
    assert wt.FORM.changed(current, wt.FORM.from_api(dict(SEED_TASK, **request))) == []


def test_the_lambda_payload_is_sent_as_bytes_and_masked_in_results():
    form = wt.FORM.merge(None, options(task_type="LAMBDA", task_arn="arn:aws:lambda:us-east-1:123456789012:function:f"))
    form["lambda"] = {"client_context": None, "qualifier": "prod", "payload": '{"token": "s3cret"}'}
    request = wt.FORM.to_request(form, True)
    assert request["TaskInvocationParameters"]["Lambda"] == {"Qualifier": "prod", "Payload": b'{"token": "s3cret"}'}
    reported = wt.FORM.from_api(dict(request, TaskInvocationParameters={"Lambda": {"Payload": b'{"token": "s3cret"}'}}))
    assert reported["lambda"]["payload"] == '{"token": "s3cret"}'
    # The result is built in clear (the module compares and diffs real values) and masked on its way out.
    result = wt.to_result(form, "mw-0123456789abcdef0", None)
    assert result["lambda"]["payload"] == '{"token": "s3cret"}'
    assert masked(result, result_paths("ssm_window_task"))["lambda"]["payload"] == MASK
    assert form["lambda"]["payload"] != MASK


def test_the_invocation_block_implies_the_task_type():
    desired = wt.FORM.merge(None, options(task_arn="AWS-RunPatchBaseline", run_command=run_command(comment="x")))
    assert desired["task_type"] == "RUN_COMMAND"


def test_alarm_configuration_is_compared_with_its_default_and_removed_when_empty():
    task = copy.deepcopy(SEED_TASK)
    task["AlarmConfiguration"] = {"Alarms": [{"Name": "PatchingErrors"}]}
    current = wt.FORM.from_api(task)
    assert current["alarm_configuration"] == {"alarms": ["PatchingErrors"], "ignore_poll_alarm_failure": False}
    same = options(alarm_configuration={"alarms": ["PatchingErrors"], "ignore_poll_alarm_failure": False})
    assert wt.FORM.changed(current, wt.FORM.merge(current, same)) == []
    removed = wt.FORM.merge(current, options(alarm_configuration={"alarms": None, "ignore_poll_alarm_failure": False}))
    assert wt.FORM.changed(current, removed) == ["alarm_configuration"]
    assert "AlarmConfiguration" not in wt.FORM.to_request(removed, True)
