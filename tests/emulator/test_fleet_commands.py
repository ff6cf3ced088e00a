"""Run Command on the local endpoint: SendCommand, ListCommands, ListCommandInvocations, GetCommandInvocation and
CancelCommand, with AWS-RunPatchBaseline, AWS-RunPatchBaselineWithHooks and other documents."""

import datetime
import json

import pytest

from tests.emulator.fleet_endpoint import InProcessEndpoint, all_pages, failure, unique

TERMINAL = ("Success", "Failed", "TimedOut", "Cancelled")


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    endpoint = InProcessEndpoint(tmp_path_factory.mktemp("fleet-commands"))
    yield endpoint
    endpoint.stop()


@pytest.fixture
def ssm(fleet):
    return fleet.client("ssm")


def wait_for(ssm, command_id, attempts=10):
    """Poll the command until it is terminal, as a playbook would (bounded)."""
    for _ in range(attempts):
        command = ssm.list_commands(CommandId=command_id)["Commands"][0]
        if command["Status"] in TERMINAL:
            return command
    raise AssertionError(f"command {command_id} did not finish")


def send(ssm, **params):
    return ssm.send_command(**params)["Command"]


def scan(ssm, node_ids, **extra):
    params = {"DocumentName": "AWS-RunPatchBaseline", "Parameters": {"Operation": ["Scan"]}}
    params.update(extra)
    if "Targets" not in extra:
        params["InstanceIds"] = node_ids
    return ssm.send_command(**params)["Command"]


def test_a_command_is_pending_when_sent_and_terminal_on_the_next_read(fleet, ssm):
    nodes = fleet.seed_nodes(2, [unique()])
    sent = scan(ssm, nodes, Comment="weekly scan", TimeoutSeconds=600)
    assert sent["Status"] == "Pending"
    assert (sent["TargetCount"], sent["CompletedCount"]) == (2, 0)
    assert sent["ExpiresAfter"] - sent["RequestedDateTime"] == datetime.timedelta(seconds=600)
    command = wait_for(ssm, sent["CommandId"])
    assert (command["Status"], command["StatusDetails"]) == ("Success", "Success")
    assert (command["CompletedCount"], command["ErrorCount"], command["DeliveryTimedOutCount"]) == (2, 0, 0)
    assert command["Comment"] == "weekly scan"
    assert command["DocumentVersion"] == "$DEFAULT"
    assert (command["MaxConcurrency"], command["MaxErrors"]) == ("50", "0")


def test_optional_settings_are_echoed(fleet, ssm):
    node = fleet.seed_nodes(1)[0]
    settings = {
        "OutputS3BucketName": "patch-logs",
        "OutputS3KeyPrefix": "scans",
        "OutputS3Region": "us-east-1",
        "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "/patch", "CloudWatchOutputEnabled": True},
        "NotificationConfig": {
            "NotificationArn": "arn:aws:sns:us-east-1:123456789012:patching",
            "NotificationEvents": ["Failed"],
            "NotificationType": "Command",
        },
        "ServiceRoleArn": "arn:aws:iam::123456789012:role/notify",
        "MaxConcurrency": "10%",
        "MaxErrors": "1",
    }
    sent = scan(ssm, [node], **settings)
    command = ssm.list_commands(CommandId=sent["CommandId"])["Commands"][0]
    for key, value in settings.items():
        assert command["ServiceRole" if key == "ServiceRoleArn" else key] == value
    invocation = ssm.list_command_invocations(CommandId=sent["CommandId"], Details=True)["CommandInvocations"][0]
    assert invocation["StandardOutputUrl"].startswith("https://s3.us-east-1.amazonaws.com/patch-logs/scans/")
    plugin = [p for p in invocation["CommandPlugins"] if p["Name"] == "PatchLinux"][0]
    assert (plugin["OutputS3BucketName"], plugin["OutputS3KeyPrefix"]) == ("patch-logs", "scans")


def test_targets_by_tag_reach_every_node_of_the_patch_group(fleet, ssm):
    group = unique()
    nodes = fleet.seed_nodes(5, [group, unique()])
    sent = scan(ssm, None, Targets=[{"Key": "tag:Patch Group", "Values": [group]}])
    assert sent["InstanceIds"] == [] and sent["TargetCount"] == 3
    invoked = all_pages(ssm.list_command_invocations, "CommandInvocations", CommandId=sent["CommandId"])
    assert {i["InstanceId"] for i in invoked} == set(nodes[0::2])


def test_targets_matching_no_node_end_the_command_at_once(ssm):
    sent = scan(ssm, None, Targets=[{"Key": "tag:Patch Group", "Values": [unique()]}])
    command = ssm.list_commands(CommandId=sent["CommandId"])["Commands"][0]
    assert (command["TargetCount"], command["Status"], command["StatusDetails"]) == (0, "Failed", "No Instances In Tag")


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"DocumentName": "No-Such-Document", "InstanceIds": ["mi-0123456789abcdef0"]}, "InvalidDocument"),
        ({"DocumentName": "AWS-RunPatchBaseline", "InstanceIds": ["i-0123456789abcdef0"]}, "InvalidInstanceId"),
        ({"DocumentName": "AWS-RunPatchBaseline", "DocumentVersion": "9"}, "InvalidDocumentVersion"),
        ({"DocumentName": "AWS-RunPatchBaseline", "Parameters": {"Operation": ["Reboot"]}}, "InvalidParameters"),
        ({"DocumentName": "AWS-RunPatchBaseline", "Parameters": {"Colour": ["blue"]}}, "InvalidParameters"),
        (
            {"DocumentName": "AWS-RunPatchBaseline", "Parameters": {"Operation": ["Scan", "Install"]}},
            "InvalidParameters",
        ),
        ({"DocumentName": "AWS-RunPatchBaseline", "Parameters": {"SnapshotId": ["not-a-uuid"]}}, "InvalidParameters"),
        ({"DocumentName": "AWS-RunShellScript"}, "InvalidParameters"),  # commands is required
    ],
)
def test_bad_commands_are_refused(fleet, ssm, params, code):
    node = fleet.seed_nodes(1)[0]
    request = {"InstanceIds": [node], "Parameters": {"Operation": ["Scan"]}, **params}
    if request["DocumentName"] == "AWS-RunShellScript":
        request.pop("Parameters")
    assert failure(ssm.send_command, **request)["Code"] == code


def test_duplicate_ids_and_missing_targets_are_refused(fleet, ssm):
    node = fleet.seed_nodes(1)[0]
    duplicate = failure(ssm.send_command, DocumentName="AWS-RunPatchBaseline", InstanceIds=[node, node])
    assert duplicate["Code"] == "DuplicateInstanceId"
    assert failure(ssm.send_command, DocumentName="AWS-RunPatchBaseline")["Code"] == "ValidationException"
    both = failure(
        ssm.send_command,
        DocumentName="AWS-RunPatchBaseline",
        InstanceIds=[node],
        Targets=[{"Key": "InstanceIds", "Values": [node]}],
    )
    assert both["Code"] == "ValidationException"


def test_only_command_documents_can_be_sent(fleet, ssm):
    name = unique("Automation-Doc")
    content = {"schemaVersion": "0.3", "mainSteps": [{"name": "sleep", "action": "aws:sleep", "inputs": {}}]}
    ssm.create_document(Name=name, Content=json.dumps(content), DocumentType="Automation")
    error = failure(ssm.send_command, DocumentName=name, InstanceIds=fleet.seed_nodes(1))
    assert error["Code"] == "InvalidDocument"


def test_get_command_invocation_shows_the_step_that_ran(fleet, ssm):
    node = fleet.seed_nodes(1, [unique()])[0]
    sent = scan(ssm, [node])
    invocation = ssm.get_command_invocation(CommandId=sent["CommandId"], InstanceId=node)
    assert invocation["PluginName"] == "PatchLinux"
    assert (invocation["Status"], invocation["ResponseCode"]) == ("Success", 0)
    assert "Operation type: Scan" in invocation["StandardOutputContent"]
    assert invocation["ExecutionStartDateTime"].endswith("Z")
    skipped = ssm.get_command_invocation(CommandId=sent["CommandId"], InstanceId=node, PluginName="PatchWindows")
    assert skipped["StandardOutputContent"].startswith("Step execution skipped due to unsatisfied preconditions")


def test_invocation_errors(fleet, ssm):
    node, other = fleet.seed_nodes(2)
    sent = scan(ssm, [node])
    missing = failure(ssm.get_command_invocation, CommandId=sent["CommandId"], InstanceId=other)
    assert missing["Code"] == "InvocationDoesNotExist"
    unknown = failure(ssm.get_command_invocation, CommandId="0" * 8 + "-0000-0000-0000-" + "0" * 12, InstanceId=node)
    assert unknown["Code"] == "InvalidCommandId"
    plugin = failure(ssm.get_command_invocation, CommandId=sent["CommandId"], InstanceId=node, PluginName="Nope")
    assert plugin["Code"] == "InvalidPluginName"
    assert failure(ssm.list_commands, CommandId="1" * 8 + "-0000-0000-0000-" + "0" * 12)["Code"] == "InvalidCommandId"


def test_with_hooks_runs_its_hooks_and_needs_a_plugin_name(fleet, ssm):
    node = fleet.seed_nodes(1, [unique()])[0]
    sent = send(
        ssm,
        DocumentName="AWS-RunPatchBaselineWithHooks",
        InstanceIds=[node],
        Parameters={"Operation": ["Install"], "PreInstallHookDocName": ["AWS-Noop"]},
    )
    command = wait_for(ssm, sent["CommandId"])
    assert command["Status"] == "Success"
    invocation = ssm.list_command_invocations(CommandId=sent["CommandId"], Details=True)["CommandInvocations"][0]
    ran = [p["Name"] for p in invocation["CommandPlugins"] if not p["Output"].startswith("Step execution skipped")]
    assert ran == [
        "ScanLinux",
        "PreInstallHookLinux",
        "InstallWithNoRebootLinux",
        "PostInstallHookLinux",
        "InstallWithRebootLinux",
        "OnExitHookLinux",
    ]
    error = failure(ssm.get_command_invocation, CommandId=sent["CommandId"], InstanceId=node)
    assert error["Code"] == "InvalidPluginName"
    final = ssm.get_command_invocation(
        CommandId=sent["CommandId"], InstanceId=node, PluginName="InstallWithRebootLinux"
    )
    assert "Missing: 0" in final["StandardOutputContent"]


def test_a_missing_hook_document_fails_the_invocation(fleet, ssm):
    node = fleet.seed_nodes(1)[0]
    sent = send(
        ssm,
        DocumentName="AWS-RunPatchBaselineWithHooks",
        InstanceIds=[node],
        Parameters={"Operation": ["Install"], "PostInstallHookDocName": [unique("Missing-Hook")]},
    )
    command = wait_for(ssm, sent["CommandId"])
    assert (command["Status"], command["ErrorCount"]) == ("Failed", 1)
    hook = ssm.get_command_invocation(CommandId=sent["CommandId"], InstanceId=node, PluginName="PostInstallHookLinux")
    assert hook["Status"] == "Failed" and "does not exist" in hook["StandardOutputContent"]


def test_scan_with_hooks_runs_only_the_scan(fleet, ssm):
    node = fleet.seed_nodes(1)[0]
    sent = send(
        ssm, DocumentName="AWS-RunPatchBaselineWithHooks", InstanceIds=[node], Parameters={"Operation": ["Scan"]}
    )
    plugin = ssm.get_command_invocation(CommandId=sent["CommandId"], InstanceId=node)
    assert plugin["PluginName"] == "ScanLinux"
    state = ssm.describe_instance_patch_states(InstanceIds=[node])["InstancePatchStates"][0]
    assert state["Operation"] == "Scan" and state["MissingCount"] > 0


def test_a_script_document_on_a_windows_node_is_an_invalid_platform(fleet, ssm):
    linux, windows = fleet.seed_nodes(2, platform=["AMAZON_LINUX_2", "WINDOWS"])
    sent = send(
        ssm, DocumentName="AWS-RunShellScript", InstanceIds=[linux, windows], Parameters={"commands": ["uptime"]}
    )
    invocations = {
        i["InstanceId"]: i for i in ssm.list_command_invocations(CommandId=sent["CommandId"])["CommandInvocations"]
    }
    assert (invocations[linux]["Status"], invocations[windows]["StatusDetails"]) == ("Success", "Invalid Platform")
    assert wait_for(ssm, sent["CommandId"])["Status"] == "Failed"  # one error, and MaxErrors is 0


def test_errors_within_max_errors_leave_the_command_incomplete(fleet, ssm):
    nodes = fleet.seed_nodes(10, platform=["AMAZON_LINUX_2"] * 9 + ["WINDOWS"])
    sent = send(
        ssm, DocumentName="AWS-RunShellScript", InstanceIds=nodes, Parameters={"commands": ["uptime"]}, MaxErrors="10%"
    )
    command = wait_for(ssm, sent["CommandId"])
    assert (command["Status"], command["StatusDetails"], command["ErrorCount"]) == ("Success", "Incomplete", 1)


def test_stopped_instances_time_out_on_delivery(fleet, ssm):
    ec2 = fleet.client("ec2")
    image = ec2.describe_images(Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*"]}])["Images"][0]["ImageId"]
    running, stopped = [i["InstanceId"] for i in ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2)["Instances"]]
    ec2.stop_instances(InstanceIds=[stopped])
    sent = scan(ssm, [running, stopped], MaxErrors="1")
    command = wait_for(ssm, sent["CommandId"])
    assert (command["Status"], command["DeliveryTimedOutCount"]) == ("Success", 1)
    assert command["StatusDetails"] == "Incomplete"
    timed_out = ssm.get_command_invocation(CommandId=sent["CommandId"], InstanceId=stopped)
    assert (timed_out["Status"], timed_out["StatusDetails"]) == ("TimedOut", "Delivery Timed Out")
    states = ssm.describe_instance_patch_states(InstanceIds=[running, stopped])["InstancePatchStates"]
    assert [s["InstanceId"] for s in states] == [running]


def test_list_commands_filters_and_pages(fleet, ssm):
    node = fleet.seed_nodes(1)[0]
    first = scan(ssm, [node])["CommandId"]
    second = ssm.send_command(DocumentName="AWS-RunShellScript", InstanceIds=[node], Parameters={"commands": ["true"]})[
        "Command"
    ]["CommandId"]
    mine = all_pages(ssm.list_commands, "Commands", InstanceId=node, MaxResults=1)
    assert [c["CommandId"] for c in mine] == [second, first]  # newest first
    by_document = ssm.list_commands(InstanceId=node, Filters=[{"key": "DocumentName", "value": "AWS-RunShellScript"}])
    assert [c["CommandId"] for c in by_document["Commands"]] == [second]
    complete = ssm.list_commands(InstanceId=node, Filters=[{"key": "ExecutionStage", "value": "Complete"}])
    assert len(complete["Commands"]) == 2
    executing = ssm.list_commands(InstanceId=node, Filters=[{"key": "ExecutionStage", "value": "Executing"}])
    assert executing["Commands"] == []
    later = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ssm.list_commands(InstanceId=node, Filters=[{"key": "InvokedAfter", "value": later}])["Commands"] == []
    success = ssm.list_command_invocations(InstanceId=node, Filters=[{"key": "Status", "value": "Success"}])
    assert len(success["CommandInvocations"]) == 2
    stage = failure(
        ssm.list_command_invocations, InstanceId=node, Filters=[{"key": "ExecutionStage", "value": "Complete"}]
    )
    assert stage["Code"] == "InvalidFilterKey"


def test_invocations_carry_plugins_only_with_details(fleet, ssm):
    node = fleet.seed_nodes(1)[0]
    command_id = scan(ssm, [node])["CommandId"]
    brief = ssm.list_command_invocations(CommandId=command_id)["CommandInvocations"][0]
    detailed = ssm.list_command_invocations(CommandId=command_id, Details=True)["CommandInvocations"][0]
    assert brief["CommandPlugins"] == []
    assert [p["Name"] for p in detailed["CommandPlugins"]] == ["PatchWindows", "PatchLinux", "PatchMacOS"]
    assert "Patch baseline:" in detailed["CommandPlugins"][1]["Output"]


def test_cancelling_a_finished_command_changes_nothing(fleet, ssm):
    node, other = fleet.seed_nodes(2)
    command_id = scan(ssm, [node])["CommandId"]
    ssm.cancel_command(CommandId=command_id)
    assert ssm.list_commands(CommandId=command_id)["Commands"][0]["Status"] == "Success"
    assert failure(ssm.cancel_command, CommandId=command_id, InstanceIds=[other])["Code"] == "InvalidInstanceId"
    assert failure(ssm.cancel_command, CommandId=command_id, InstanceIds=[node, node])["Code"] == "DuplicateInstanceId"
    unknown = failure(ssm.cancel_command, CommandId="2" * 8 + "-0000-0000-0000-" + "0" * 12)
    assert unknown["Code"] == "InvalidCommandId"
