"""ssm_patch_now's pure logic: the SendCommand request, problems in the options, the bounded wait and results."""

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.patch_command import (
    backoff_delays,
    invocation_result,
    option_problems,
    output_excerpt,
    send_command_request,
    snake_request,
    snapshot_id_for,
    unfinished,
    wait_for_command,
)

SNAPSHOT = "12345699-9405-4f69-bc5e-9315a0123456"


def options(**given):
    """Module options as AnsibleModule hands them over: every option present, defaults filled in."""
    params = {
        "patch_group": None,
        "patch_group_tag_key": "Patch Group",
        "instance_ids": None,
        "document": "AWS-RunPatchBaseline",
        "operation": "Scan",
        "reboot_option": None,
        "snapshot_id": None,
        "use_snapshot": False,
        "install_override_list": None,
        "pre_install_hook_doc_name": None,
        "post_install_hook_doc_name": None,
        "on_exit_hook_doc_name": None,
        "max_concurrency": None,
        "max_errors": None,
        "timeout_seconds": None,
        "comment": None,
        "output_s3_bucket_name": None,
        "output_s3_key_prefix": None,
        "cloudwatch_output_config": None,
        "notification_config": None,
        "service_role_arn": None,
        "wait": True,
        "wait_timeout": 3600,
    }
    params.update(given)
    return params


def problems(**given):
    return option_problems(RequestChecker(), options(**given))


def test_a_patch_group_is_targeted_by_its_tag_and_only_given_settings_are_sent():
    request = send_command_request(options(patch_group="WebServer-Prd", operation="Scan"), None)
    assert request == {
        "DocumentName": "AWS-RunPatchBaseline",
        "Parameters": {"Operation": ["Scan"]},
        "Targets": [{"Key": "tag:Patch Group", "Values": ["WebServer-Prd"]}],
    }
    keyed = send_command_request(options(patch_group="WebServer-Prd", patch_group_tag_key="PatchGroup"), None)
    assert keyed["Targets"] == [{"Key": "tag:PatchGroup", "Values": ["WebServer-Prd"]}]


def test_the_seed_install_with_hooks_becomes_one_request():
    params = options(
        instance_ids=["i-02573cafcf0123456"],
        document="AWS-RunPatchBaselineWithHooks",
        operation="Install",
        reboot_option="RebootIfNeeded",
        pre_install_hook_doc_name="Pre-patch-WebServer-Document",
        post_install_hook_doc_name="Post-install-WebServer-Document",
        on_exit_hook_doc_name="Post-reboot-WebServer-Document",
        max_concurrency="1",
        max_errors="1",
        timeout_seconds=600,
        output_s3_bucket_name="patching-webserver",
        output_s3_key_prefix="patching/webserver/prd",
        cloudwatch_output_config={"log_group_name": "patching/webserver/prd", "enabled": True},
    )
    request = send_command_request(params, SNAPSHOT)
    assert request["InstanceIds"] == ["i-02573cafcf0123456"] and "Targets" not in request
    assert request["Parameters"] == {
        "Operation": ["Install"],
        "RebootOption": ["RebootIfNeeded"],
        "SnapshotId": [SNAPSHOT],
        "PreInstallHookDocName": ["Pre-patch-WebServer-Document"],
        "PostInstallHookDocName": ["Post-install-WebServer-Document"],
        "OnExitHookDocName": ["Post-reboot-WebServer-Document"],
    }
    assert request["CloudWatchOutputConfig"] == {
        "CloudWatchOutputEnabled": True,
        "CloudWatchLogGroupName": "patching/webserver/prd",
    }
    assert (request["MaxConcurrency"], request["MaxErrors"], request["TimeoutSeconds"]) == ("1", "1", 600)
    assert problems(**params) == []
    shown = snake_request(request)
    assert shown["cloudwatch_output_config"] == {"log_group_name": "patching/webserver/prd", "enabled": True}
    assert shown["parameters"]["SnapshotId"] == [SNAPSHOT] and shown["output_s3_bucket_name"] == "patching-webserver"


def test_use_snapshot_makes_a_new_guid_and_a_given_snapshot_is_kept():
    made = snapshot_id_for(options(use_snapshot=True))
    assert len(made) == 36 and made != snapshot_id_for(options(use_snapshot=True))
    assert snapshot_id_for(options(snapshot_id=SNAPSHOT)) == SNAPSHOT
    assert snapshot_id_for(options()) is None


@pytest.mark.parametrize(
    "given, expected",
    [
        ({"max_concurrency": "0"}, "max_concurrency: '0' must be"),
        ({"max_errors": "101%"}, "max_errors: '101%' must be"),
        ({"snapshot_id": "12345699-9405-4f69-bc5e"}, "snapshot_id: '12345699-9405-4f69-bc5e' is not a GUID"),
        ({"post_install_hook_doc_name": "Post"}, "post_install_hook_doc_name: hooks run only with"),
        ({"document": "AWS-RunPatchBaselineWithHooks", "on_exit_hook_doc_name": "a b"}, "'a b' is not an SSM doc"),
        ({"install_override_list": "https://example.com/list.json"}, "install_override_list: 'https://example.com/"),
        (
            {"document": "AWS-RunPatchBaselineWithHooks", "install_override_list": "s3://bucket/list.yaml"},
            "AWS-RunPatchBaselineWithHooks has no InstallOverrideList",
        ),
        ({"instance_ids": ["i-0123456789abcdef0", "i-0123456789abcdef0"]}, "listed more than once"),
        ({"instance_ids": ["web-1"]}, "instance_ids[0]: 'web-1' is not an instance id"),
        ({"instance_ids": []}, "instance_ids: list at least one instance id"),
        ({"patch_group": ""}, "patch_group: name a patch group"),
        ({"wait_timeout": 86401}, "wait_timeout: 86401 is outside the allowed range 1 to 86400"),
        ({"timeout_seconds": 10}, "timeout_seconds: 10 is outside the allowed range 30 to 2592000"),
        ({"comment": "c" * 101}, "comment: "),
        ({"output_s3_bucket_name": "Patching_Logs"}, "output_s3_bucket_name: 'Patching_Logs' is not an S3 bucket"),
        ({"service_role_arn": "maintenance-window-role"}, "service_role_arn: 'maintenance-window-role' is not an IAM"),
        (
            {"notification_config": {"notification_arn": "patching", "notification_type": "Command"}},
            "notification_config.notification_arn: 'patching' is not an SNS topic ARN",
        ),
    ],
)
def test_bad_options_are_named(given, expected):
    base = {"patch_group": "WebServer-Prd"} if "instance_ids" not in given and "patch_group" not in given else {}
    found = problems(**base, **given)
    assert any(expected in problem for problem in found), found


def test_more_than_fifty_instances_is_refused_by_the_api_model():
    ids = [f"i-{index:017x}" for index in range(51)]
    assert any(problem.startswith("instance_ids: must have 0 to 50 items") for problem in problems(instance_ids=ids))


class FakeCommands:
    """list_commands answering a scripted sequence of statuses, with a clock the sleeps advance."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.now = 0.0
        self.sleeps = []

    def list_commands(self, aws_retry, CommandId):
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return {"Commands": [{"CommandId": CommandId, "Status": status}]}

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self):
        return self.now


def test_the_wait_polls_with_growing_delays_until_the_command_finishes():
    fake = FakeCommands(["Pending", "InProgress", "InProgress", "Success"])
    command, finished = wait_for_command(fake, "c-1", 3600, sleep=fake.sleep, clock=fake.clock)
    assert finished and command["Status"] == "Success"
    assert fake.sleeps == [2, 4, 8]


def test_the_wait_gives_up_at_its_timeout_without_sleeping_past_it():
    fake = FakeCommands(["InProgress"])
    command, finished = wait_for_command(fake, "c-1", 45, sleep=fake.sleep, clock=fake.clock)
    assert not finished and command["Status"] == "InProgress"
    assert fake.sleeps == [2, 4, 8, 16, 15]  # the next delay (30) would pass the timeout: it is cut to what is left
    assert list(zip(range(8), backoff_delays(), strict=False)) == list(enumerate([2, 4, 8, 16, 30, 30, 30, 30]))


def test_a_nodes_result_keeps_the_end_of_the_steps_that_ran():
    invocation = {
        "InstanceId": "i-02573cafcf0123456",
        "InstanceName": "",
        "Status": "Success",
        "StatusDetails": "Success",
        "CommandPlugins": [
            {"Name": "PatchWindows", "Status": "Success", "ResponseCode": 0, "Output": "Step execution skipped ..."},
            {"Name": "PatchLinux", "Status": "Success", "ResponseCode": 0, "Output": "x" * 1200 + "\nMissing: 0"},
        ],
    }
    result = invocation_result(invocation)
    assert result["instance_name"] is None
    assert result["output"].endswith("Missing: 0") and len(result["output"]) == 1000
    assert "skipped" not in result["output"]
    assert result["steps"][1] == {"name": "PatchLinux", "status": "Success", "response_code": 0}
    assert output_excerpt([]) == ""


def test_pending_nodes_are_those_not_finished_or_not_started():
    instances = [
        {"instance_id": "i-1", "status": "Success"},
        {"instance_id": "i-2", "status": "InProgress"},
    ]
    assert unfinished(instances, ["i-1", "i-2", "i-3"]) == ["i-2", "i-3"]
