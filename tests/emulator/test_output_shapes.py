"""Every response the SSM backend produces validates against botocore's output shape."""

import uuid

import yaml

from tests.emulator.fleet_endpoint import InProcessEndpoint
from tests.helpers.endpoint import LocalEndpoint
from tests.helpers.output_shapes import output_problems
from tools.emulator.ssm.registry import OPERATIONS
from tools.emulator.ssm.service import SSMService  # noqa: F401  (registers every operation)

HOOK = {
    "schemaVersion": "2.2",
    "description": "Pre-patch Web Server Document",
    "parameters": {},
    "mainSteps": [
        {
            "action": "aws:runShellScript",
            "name": "configureServer",
            "inputs": {"runCommand": ["sudo systemctl status httpd"]},
        }
    ],
}


def tour_baselines(ssm, suffix):
    baseline = ssm.create_patch_baseline(
        Name=f"AmazonLinux2AllPatchesBaseline-{suffix}",
        OperatingSystem="AMAZON_LINUX_2",
        Description="Amazon Linux2 All Patches Baseline",
        RejectedPatches=["system-release.*"],
        RejectedPatchesAction="BLOCK",
        Tags=[{"Key": "team", "Value": "a"}],
        ApprovalRules={
            "PatchRules": [
                {
                    "PatchFilterGroup": {
                        "PatchFilters": [
                            {"Key": "PRODUCT", "Values": ["*"]},
                            {"Key": "CLASSIFICATION", "Values": ["*"]},
                            {"Key": "SEVERITY", "Values": ["*"]},
                        ]
                    },
                    "ApproveAfterDays": 0,
                    "ComplianceLevel": "UNSPECIFIED",
                    "EnableNonSecurity": True,
                }
            ]
        },
    )["BaselineId"]
    ssm.get_patch_baseline(BaselineId=baseline)
    ssm.update_patch_baseline(BaselineId=baseline, Description="changed", Replace=False)
    ssm.describe_patch_baselines(MaxResults=5)
    ssm.describe_available_patches(Filters=[{"Key": "PRODUCT", "Values": ["AmazonLinux2"]}], MaxResults=5)
    windows_default = ssm.get_default_patch_baseline(OperatingSystem="WINDOWS")["BaselineId"]
    ssm.describe_effective_patches_for_patch_baseline(BaselineId=windows_default, MaxResults=5)
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline, PatchGroup=f"WebServer-Prd-{suffix}")
    ssm.describe_patch_groups()
    ssm.get_patch_baseline_for_patch_group(PatchGroup=f"WebServer-Prd-{suffix}", OperatingSystem="AMAZON_LINUX_2")
    default = ssm.get_default_patch_baseline(OperatingSystem="AMAZON_LINUX_2")["BaselineId"]
    ssm.register_default_patch_baseline(BaselineId=baseline)
    ssm.register_default_patch_baseline(BaselineId=default)
    ssm.add_tags_to_resource(ResourceType="PatchBaseline", ResourceId=baseline, Tags=[{"Key": "k", "Value": "v"}])
    ssm.list_tags_for_resource(ResourceType="PatchBaseline", ResourceId=baseline)
    ssm.remove_tags_from_resource(ResourceType="PatchBaseline", ResourceId=baseline, TagKeys=["k"])
    ssm.deregister_patch_baseline_for_patch_group(BaselineId=baseline, PatchGroup=f"WebServer-Prd-{suffix}")
    ssm.delete_patch_baseline(BaselineId=baseline)


def tour_windows(ssm, suffix):
    window = ssm.create_maintenance_window(
        Name=f"Patch-WebServer-Prd-{suffix}",
        Schedule="cron(0 21 ? * WED#1 *)",
        ScheduleTimezone="US/Central",
        StartDate="2022-07-06T20:00:00-05:00",
        Duration=2,
        Cutoff=1,
        AllowUnassociatedTargets=False,
        Tags=[{"Key": "team", "Value": "a"}],
    )["WindowId"]
    ssm.get_maintenance_window(WindowId=window)
    ssm.update_maintenance_window(WindowId=window, Description="Patching Maintenance Window")
    ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [f"Patch-WebServer-Prd-{suffix}"]}])
    target = ssm.register_target_with_maintenance_window(
        WindowId=window,
        ResourceType="INSTANCE",
        Name="WebServer-Prd",
        Targets=[{"Key": "tag:Patch Group", "Values": ["WebServer-Prd"]}],
        OwnerInformation="The A-Engineering Team",
    )["WindowTargetId"]
    ssm.update_maintenance_window_target(WindowId=window, WindowTargetId=target, Description="The target")
    ssm.describe_maintenance_window_targets(WindowId=window)
    task = ssm.register_task_with_maintenance_window(
        WindowId=window,
        TaskArn="AWS-RunPatchBaselineWithHooks",
        TaskType="RUN_COMMAND",
        Name="PatchWebServerPrd",
        Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
        MaxConcurrency="1",
        MaxErrors="1",
        Priority=1,
        CutoffBehavior="CANCEL_TASK",
        TaskInvocationParameters={
            "RunCommand": {
                "Parameters": {"Operation": ["Install"]},
                "TimeoutSeconds": 600,
                "CloudWatchOutputConfig": {"CloudWatchOutputEnabled": True},
            }
        },
    )["WindowTaskId"]
    ssm.get_maintenance_window_task(WindowId=window, WindowTaskId=task)
    ssm.update_maintenance_window_task(WindowId=window, WindowTaskId=task, Priority=2)
    ssm.describe_maintenance_window_tasks(WindowId=window)
    ssm.list_tags_for_resource(ResourceType="MaintenanceWindow", ResourceId=window)
    ssm.deregister_task_from_maintenance_window(WindowId=window, WindowTaskId=task)
    ssm.deregister_target_from_maintenance_window(WindowId=window, WindowTargetId=target)
    ssm.delete_maintenance_window(WindowId=window)


def tour_documents(ssm, suffix):
    name = f"Pre-patch-WebServer-Document-{suffix}"
    ssm.create_document(
        Name=name,
        Content=yaml.safe_dump(HOOK),
        DocumentFormat="YAML",
        DocumentType="Command",
        Tags=[{"Key": "team", "Value": "a"}],
        Attachments=[{"Key": "S3FileUrl", "Values": ["s3://hooks-bucket/check.sh"], "Name": "check.sh"}],
    )
    ssm.describe_document(Name=name)
    ssm.get_document(Name=name)
    changed = dict(HOOK, description="Pre-patch Web Server Document v2")
    ssm.update_document(Name=name, Content=yaml.safe_dump(changed), DocumentFormat="YAML", DocumentVersion="$LATEST")
    ssm.update_document_default_version(Name=name, DocumentVersion="2")
    ssm.list_document_versions(Name=name)
    ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToAdd=["111122223333", "All"])
    ssm.describe_document_permission(Name=name, PermissionType="Share")
    ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToRemove=["111122223333", "All"])
    ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}])
    ssm.describe_document(Name="AWS-RunPatchBaselineWithHooks")
    ssm.get_document(Name="AWS-RunPatchBaseline")
    ssm.delete_document(Name=name)


def tour_fleet(ssm, suffix, fleet):
    """Managed nodes, commands, compliance and window executions; `fleet` seeds nodes and runs windows."""
    group = f"WebServer-Prd-{suffix}"
    ec2 = fleet.client("ec2")
    image = ec2.describe_images(Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*"]}])["Images"][0]["ImageId"]
    instances = ec2.run_instances(
        ImageId=image,
        MinCount=2,
        MaxCount=2,
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Patch Group", "Value": group}]}],
    )["Instances"]
    running, stopped = [instance["InstanceId"] for instance in instances]
    ec2.stop_instances(InstanceIds=[stopped])
    linux, windows = fleet.seed_nodes(2, [group], platform=["AMAZON_LINUX_2", "WINDOWS"])
    failing = fleet.seed_nodes(1, [group], failing=1)[0]
    ssm.describe_instance_information(Filters=[{"Key": "tag:Patch Group", "Values": [group]}], MaxResults=50)
    ssm.describe_instance_information(InstanceInformationFilterList=[{"key": "InstanceIds", "valueSet": [running]}])
    nodes = [running, stopped, linux, windows, failing]
    snapshot = "11111111-2222-3333-4444-555555555555"
    ssm.get_deployable_patch_snapshot_for_instance(InstanceId=linux, SnapshotId=snapshot)
    scan = ssm.send_command(
        DocumentName="AWS-RunPatchBaseline",
        Targets=[{"Key": "tag:Patch Group", "Values": [group]}],
        Parameters={"Operation": ["Scan"], "SnapshotId": [snapshot]},
        OutputS3BucketName="patch-logs",
        OutputS3KeyPrefix="scan",
        CloudWatchOutputConfig={"CloudWatchOutputEnabled": True, "CloudWatchLogGroupName": "/patching"},
        NotificationConfig={"NotificationArn": "arn:aws:sns:us-east-1:123456789012:t", "NotificationType": "Command"},
        ServiceRoleArn="arn:aws:iam::123456789012:role/notify",
        MaxErrors="2",
        Comment="tour",
    )["Command"]["CommandId"]
    install = ssm.send_command(
        DocumentName="AWS-RunPatchBaselineWithHooks",
        InstanceIds=[linux, windows, failing],
        Parameters={"Operation": ["Install"], "RebootOption": ["NoReboot"]},
    )["Command"]["CommandId"]
    ssm.list_commands(Filters=[{"key": "ExecutionStage", "value": "Complete"}])
    ssm.list_command_invocations(CommandId=scan, Details=True)
    ssm.list_command_invocations(CommandId=install, Details=True)
    ssm.get_command_invocation(CommandId=scan, InstanceId=running)
    ssm.get_command_invocation(CommandId=scan, InstanceId=stopped)
    ssm.get_command_invocation(CommandId=install, InstanceId=failing, PluginName="InstallWithNoRebootLinux")
    ssm.cancel_command(CommandId=install)
    ssm.describe_instance_patch_states(InstanceIds=nodes)
    ssm.describe_instance_patch_states_for_patch_group(
        PatchGroup=group, Filters=[{"Key": "MissingCount", "Values": ["0"], "Type": "GreaterThan"}]
    )
    for node in (linux, windows, failing):
        ssm.describe_instance_patches(InstanceId=node, MaxResults=100)
    ssm.describe_patch_group_state(PatchGroup=group)
    window = ssm.create_maintenance_window(
        Name=f"Patch-Fleet-{suffix}", Schedule="rate(7 days)", Duration=2, Cutoff=1, AllowUnassociatedTargets=False
    )["WindowId"]
    target = ssm.register_target_with_maintenance_window(
        WindowId=window,
        ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Patch Group", "Values": [group]}],
        OwnerInformation="Team A",
    )["WindowTargetId"]
    for task_type, task_arn, parameters in (
        ("RUN_COMMAND", "AWS-RunPatchBaseline", {"RunCommand": {"Parameters": {"Operation": ["Install"]}}}),
        ("AUTOMATION", "AWS-RestartEC2Instance", {"Automation": {"Parameters": {"InstanceId": ["{{RESOURCE_ID}}"]}}}),
    ):
        ssm.register_task_with_maintenance_window(
            WindowId=window,
            Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
            TaskArn=task_arn,
            TaskType=task_type,
            MaxConcurrency="5",
            MaxErrors="5",
            TaskInvocationParameters=parameters,
        )
    execution = fleet.run_window(window)
    ssm.describe_maintenance_window_executions(WindowId=window)
    task = ssm.get_maintenance_window_execution(WindowExecutionId=execution)["TaskIds"][0]
    ssm.describe_maintenance_window_execution_tasks(WindowExecutionId=execution)
    ssm.get_maintenance_window_execution_task(WindowExecutionId=execution, TaskId=task)
    invocations = ssm.describe_maintenance_window_execution_task_invocations(WindowExecutionId=execution, TaskId=task)
    invocation = invocations["WindowExecutionTaskInvocationIdentities"][0]["InvocationId"]
    ssm.get_maintenance_window_execution_task_invocation(
        WindowExecutionId=execution, TaskId=task, InvocationId=invocation
    )


def test_every_response_matches_botocores_output_shape(tmp_path):
    endpoint = LocalEndpoint(tmp_path)
    try:
        ssm = endpoint.client("ssm")
        suffix = uuid.uuid4().hex[:8]
        tour_baselines(ssm, suffix)
        tour_windows(ssm, suffix)
        tour_documents(ssm, suffix)
        # Seeding nodes and running a window need the fleet test paths, which this in-process endpoint serves
        # (the subprocess endpoint will once app.py routes them to fleet_hooks).
        fleet = InProcessEndpoint(tmp_path)
        try:
            tour_fleet(fleet.client("ssm"), suffix, fleet)
            logged = endpoint.requests() + fleet.requests()
        finally:
            fleet.stop()
        answered = [entry for entry in logged if entry["service"] == "ssm" and entry["status"] == 200]
        problems = [problem for entry in answered for problem in output_problems(entry["operation"], entry["response"])]
        assert problems == []
        assert set(OPERATIONS) - {entry["operation"] for entry in answered} == set()
    finally:
        endpoint.stop()
