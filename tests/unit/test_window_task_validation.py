"""ssm_window_task option checks: every bad input is named by its option, before any call."""

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils import window_task as wt
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_task import option_problems
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_task_validation import state_problems

CHECKER = RequestChecker()
ROLE = "arn:aws:iam::123456789012:role/maintenance-window-role"


def params(**overrides):
    """The seed task's options, every other option None as Ansible hands them over."""
    result = {field: None for field in wt.FORM.options}
    result.update(window="Patch-WebServer-Prd", window_task_id=None, window_targets=["WebServer-Prd"], state="present")
    result.update(
        name="PatchWebServerPrd",
        task_type="RUN_COMMAND",
        task_arn="AWS-RunPatchBaselineWithHooks",
        priority=1,
        max_concurrency="1",
        max_errors="1",
        cutoff_behavior="CANCEL_TASK",
        service_role_arn=ROLE,
        run_command=run_command(),
    )
    result.update(overrides)
    return result


def run_command(**overrides):
    block = {field.option: None for field in wt.FORM["run_command"].shape.fields}
    block.update(
        parameters={"Operation": "Install", "RebootOption": "RebootIfNeeded"},
        timeout_seconds=600,
        output_s3_bucket_name="patching-webserver",
        output_s3_key_prefix="patching/webserver/prd",
        cloudwatch_output_config={"log_group_name": "patching/webserver/prd", "enabled": True},
        notification_config={
            "notification_arn": "arn:aws:sns:us-east-1:123456789012:patching-webserver-prd",
            "notification_events": ["All"],
            "notification_type": "Invocation",
        },
        service_role_arn=ROLE,
    )
    block.update(overrides)
    return block


def test_the_seed_task_has_no_problems():
    assert option_problems(CHECKER, params()) == []


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"max_concurrency": "0"}, "max_concurrency: '0' must be a number of targets from 1 up, or a percentage"),
        ({"max_errors": "101%"}, "max_errors: '101%' must be a number of errors from 0 up"),
        ({"priority": -1}, "priority: -1 is outside the allowed range at least 0"),
        ({"name": "Patch Web"}, "name: 'Patch Web' does not match the pattern"),
        (
            {"service_role_arn": "maintenance-window-role"},
            "service_role_arn: 'maintenance-window-role' is not an IAM role ARN",
        ),
        (
            {"task_type": "AUTOMATION"},
            "run_command: invocation parameters for RUN_COMMAND tasks; this task_type is AUTOMATION",
        ),
        (
            {"run_command": run_command(timeout_seconds=10)},
            "run_command.timeout_seconds: 10 is outside the allowed range 30 to 2592000",
        ),
        (
            {"run_command": run_command(comment="x" * 101)},
            "run_command.comment: '" + "x" * 101 + "' must have at most 100 characters, got 101",
        ),
        (
            {"run_command": run_command(output_s3_bucket_name="Patching_WebServer")},
            "run_command.output_s3_bucket_name:",
        ),
        (
            {
                "run_command": run_command(
                    cloudwatch_output_config={"log_group_name": "patching webserver", "enabled": True}
                )
            },
            "run_command.cloudwatch_output_config.log_group_name: 'patching webserver' is not a CloudWatch Logs group",
        ),
        (
            {
                "run_command": run_command(
                    notification_config={
                        "notification_events": ["Everything"],
                        "notification_arn": None,
                        "notification_type": None,
                    }
                )
            },
            "run_command.notification_config.notification_events[0]: 'Everything' is not one of All, InProgress",
        ),
        (
            {"run_command": run_command(parameters={"Operation": {"value": "Install"}})},
            "run_command.parameters[Operation]: give a value or a list of values, not a nested structure",
        ),
        ({"window_targets": ["Web Server"]}, "window_targets[0]: 'Web Server' is not a window target name or id"),
        (
            {"window_targets": None, "targets": [{"key": "tag:Patch Group", "values": ["WebServer-Prd"]}]},
            "targets[0].key:",
        ),
        ({"window_targets": []}, "targets: Run Command tasks need targets"),
        ({"task_arn": "AWS RunPatchBaseline"}, "task_arn: 'AWS RunPatchBaseline' is not an SSM document name"),
        (
            {"alarm_configuration": {"alarms": ["a", "b"], "ignore_poll_alarm_failure": False}},
            "alarm_configuration.alarms: must have 1 to 1 items",
        ),
        ({"window_task_id": "PatchWebServerPrd"}, "window_task_id: 'PatchWebServerPrd' is not a window task id"),
    ],
)
def test_a_bad_option_is_named_with_what_is_allowed(overrides, expected):
    problems = option_problems(CHECKER, params(**overrides))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_each_problem_is_reported_once():
    problems = option_problems(CHECKER, params(max_errors="101%"))
    assert len([problem for problem in problems if problem.startswith("max_errors")]) == 1


def test_a_targetless_task_takes_no_rate_control():
    automation = params(
        task_type="AUTOMATION", task_arn="AWS-UpdateLinuxAmi", run_command=None, window_targets=[], max_errors="1"
    )
    problems = option_problems(CHECKER, automation)
    assert "max_errors: a task without targets takes no max_errors (AWS refuses it)" in problems


def test_the_lambda_payload_size_is_checked_without_showing_it():
    lam = params(task_type="LAMBDA", task_arn="arn:aws:lambda:us-east-1:123456789012:function:f", run_command=None)
    lam["lambda"] = {"client_context": None, "qualifier": None, "payload": "x" * 4097}
    assert "lambda.payload: at most 4096 bytes, got 4097" in option_problems(CHECKER, lam)


def test_rules_that_need_the_current_task():
    current = {"task_type": "RUN_COMMAND", "targets": [{"key": "WindowTargetIds", "values": ["x"]}]}
    options = {"task_type": "AUTOMATION"}
    assert state_problems(options, current, dict(current, max_concurrency="1", max_errors="1"))[0].startswith(
        "task_type: the task is RUN_COMMAND, and AWS cannot change a task's type in place"
    )
    creating = {"task_type": None, "task_arn": None, "targets": current["targets"]}
    assert state_problems({}, None, creating) == [
        "task_type: required to register a task (or give an invocation block)",
        "task_arn: required to register a task",
        "max_concurrency: required for a task with targets",
        "max_errors: required for a task with targets",
    ]
    assert state_problems(
        {}, None, {"task_type": "RUN_COMMAND", "task_arn": "AWS-RunPatchBaseline", "targets": []}
    ) == ["targets: Run Command tasks need targets or window_targets"]
