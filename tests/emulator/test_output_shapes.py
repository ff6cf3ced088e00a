"""Every response the SSM backend produces validates against botocore's output shape."""

import uuid

import yaml

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
    )
    ssm.describe_document(Name=name)
    ssm.get_document(Name=name)
    changed = dict(HOOK, description="Pre-patch Web Server Document v2")
    ssm.update_document(Name=name, Content=yaml.safe_dump(changed), DocumentFormat="YAML", DocumentVersion="$LATEST")
    ssm.update_document_default_version(Name=name, DocumentVersion="2")
    ssm.list_document_versions(Name=name)
    ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}])
    ssm.describe_document(Name="AWS-RunPatchBaselineWithHooks")
    ssm.get_document(Name="AWS-RunPatchBaseline")
    ssm.delete_document(Name=name)


def test_every_response_matches_botocores_output_shape(tmp_path):
    endpoint = LocalEndpoint(tmp_path)
    try:
        ssm = endpoint.client("ssm")
        suffix = uuid.uuid4().hex[:8]
        tour_baselines(ssm, suffix)
        tour_windows(ssm, suffix)
        tour_documents(ssm, suffix)
        answered = [entry for entry in endpoint.requests() if entry["service"] == "ssm" and entry["status"] == 200]
        problems = [problem for entry in answered for problem in output_problems(entry["operation"], entry["response"])]
        assert problems == []
        assert set(OPERATIONS) - {entry["operation"] for entry in answered} == set()
    finally:
        endpoint.stop()
