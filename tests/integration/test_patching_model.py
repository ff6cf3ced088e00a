"""The patching model playbook end to end: both seed models converge with the seed's values, rerun without a
change, preview on an empty account without a change, and tear down only what they own."""

import pathlib
import uuid

import botocore.exceptions
import pytest
import yaml

from tests.helpers.ansible_run import REPO, run_playbook
from tests.helpers.instances import launch_instances as launch_ec2
from tests.integration.estate_support import inventory_host_stats

PLAYBOOK = REPO / "playbooks" / "patching_model.yml"
TEARDOWN = REPO / "playbooks" / "teardown.yml"
ROLE_PLAYBOOK = pathlib.Path(__file__).parent / "playbooks" / "model_role.yml"
ACCOUNT = "123456789012"
OWNER_TAG = "patchmodel:model"


def load_model(name):
    return yaml.safe_load((REPO / "playbooks" / "vars" / name).read_text())


def launch_instances(endpoint, name, count=1):
    return launch_ec2(endpoint.client("ec2"), count, {"Name": name})


def instance_tags(endpoint, instance_id):
    reservations = endpoint.client("ec2").describe_instances(InstanceIds=[instance_id])["Reservations"]
    return {tag["Key"]: tag["Value"] for tag in reservations[0]["Instances"][0].get("Tags", [])}


def apply(endpoint, playbook, model, **options):
    rc, results, stats, output = run_playbook(endpoint, playbook, extra_vars=model, **options)
    assert rc == 0, output[-6000:]
    return results, stats["localhost"], output


def baselines_named(ssm, name):
    identities = ssm.describe_patch_baselines(Filters=[{"Key": "NAME_PREFIX", "Values": [name]}])["BaselineIdentities"]
    return [ssm.get_patch_baseline(BaselineId=i["BaselineId"]) for i in identities if i["BaselineName"] == name]


def windows_named(ssm, name):
    return ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [name]}])["WindowIdentities"]


def owner_tags(ssm, resource_type, resource_id):
    tags = ssm.list_tags_for_resource(ResourceType=resource_type, ResourceId=resource_id)["TagList"]
    return {tag["Key"]: tag["Value"] for tag in tags}


def the_window(ssm, name):
    (identity,) = windows_named(ssm, name)
    window_id = identity["WindowId"]
    window = ssm.get_maintenance_window(WindowId=window_id)
    (target,) = ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]
    (summary,) = ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]
    task = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=summary["WindowTaskId"])
    return window, target, task


def assert_webserver_model_exists(endpoint, instance_id):
    ssm, iam = endpoint.client("ssm"), endpoint.client("iam")
    (baseline,) = baselines_named(ssm, "AmazonLinux2AllPatchesBaseline")
    assert baseline["Description"] == "Amazon Linux2 All Patches Baseline"
    assert baseline["OperatingSystem"] == "AMAZON_LINUX_2"
    (rule,) = baseline["ApprovalRules"]["PatchRules"]
    assert rule["PatchFilterGroup"]["PatchFilters"] == [
        {"Key": "PRODUCT", "Values": ["*"]},
        {"Key": "CLASSIFICATION", "Values": ["*"]},
        {"Key": "SEVERITY", "Values": ["*"]},
    ]
    assert (rule["ApproveAfterDays"], rule["ComplianceLevel"], rule["EnableNonSecurity"]) == (0, "UNSPECIFIED", True)
    assert baseline["RejectedPatches"] == ["system-release.*"]
    assert baseline["RejectedPatchesAction"] == "BLOCK"
    assert baseline["PatchGroups"] == ["WebServer-Prd"]
    assert owner_tags(ssm, "PatchBaseline", baseline["BaselineId"])[OWNER_TAG] == "webserver-prd"

    commands = {
        "Pre-patch-WebServer-Document": ("Pre-patch", ["sudo systemctl status httpd"]),
        "Post-install-WebServer-Document": ("Post-install", ["sudo systemctl stop httpd"]),
        "Post-reboot-WebServer-Document": (
            "Post-reboot",
            ["sudo systemctl start httpd", "sudo systemctl status httpd"],
        ),
    }
    for name, (stage, run_command) in commands.items():
        document = ssm.get_document(Name=name, DocumentFormat="YAML")
        assert (document["DocumentType"], document["DocumentFormat"]) == ("Command", "YAML")
        assert yaml.safe_load(document["Content"]) == {
            "schemaVersion": "2.2",
            "description": f"{stage} Web Server Document",
            "parameters": {},
            "mainSteps": [
                {"action": "aws:runShellScript", "name": "configureServer", "inputs": {"runCommand": run_command}}
            ],
        }
        assert owner_tags(ssm, "Document", name)[OWNER_TAG] == "webserver-prd"

    window, target, task = the_window(ssm, "Patch-WebServer-Prd")
    assert window["Description"] == "Patching Maintenance Window for Patching WebServer in production"
    assert (window["Schedule"], window["ScheduleTimezone"]) == ("cron(0 21 ? * WED#1 *)", "US/Central")
    assert (window["Duration"], window["Cutoff"], window["AllowUnassociatedTargets"]) == (2, 1, False)
    assert window["StartDate"].startswith("2022-07-06T20:00")
    assert "EndDate" not in window and "ScheduleOffset" not in window
    assert owner_tags(ssm, "MaintenanceWindow", window["WindowId"])[OWNER_TAG] == "webserver-prd"
    assert target["Name"] == "WebServer-Prd"
    assert target["Description"] == "The target is the Web Server in production"
    assert target["OwnerInformation"] == "The A-Engineering Team"
    assert target["ResourceType"] == "INSTANCE"
    assert target["Targets"] == [{"Key": "tag:Patch Group", "Values": ["WebServer-Prd"]}]

    role_arn = f"arn:aws:iam::{ACCOUNT}:role/maintenance-window-role"
    assert task["Name"] == "PatchWebServerPrd"
    assert task["Description"] == "Run Command Task for patching Patching Web Server in production"
    assert (task["TaskType"], task["TaskArn"]) == ("RUN_COMMAND", "AWS-RunPatchBaselineWithHooks")
    assert task["Targets"] == [{"Key": "WindowTargetIds", "Values": [target["WindowTargetId"]]}]
    assert (task["Priority"], task["MaxConcurrency"], task["MaxErrors"]) == (1, "1", "1")
    assert (task["CutoffBehavior"], task["ServiceRoleArn"]) == ("CANCEL_TASK", role_arn)
    run_command = task["TaskInvocationParameters"]["RunCommand"]
    assert run_command["Parameters"] == {
        "Operation": ["Install"],
        "RebootOption": ["RebootIfNeeded"],
        "PreInstallHookDocName": ["Pre-patch-WebServer-Document"],
        "PostInstallHookDocName": ["Post-install-WebServer-Document"],
        "OnExitHookDocName": ["Post-reboot-WebServer-Document"],
    }
    assert (run_command["DocumentVersion"], run_command["TimeoutSeconds"]) == ("$DEFAULT", 600)
    assert (run_command["OutputS3BucketName"], run_command["OutputS3KeyPrefix"]) == (
        "patching-webserver",
        "patching/webserver/prd",
    )
    assert run_command["CloudWatchOutputConfig"] == {
        "CloudWatchLogGroupName": "patching/webserver/prd",
        "CloudWatchOutputEnabled": True,
    }
    topic_arn = f"arn:aws:sns:us-east-1:{ACCOUNT}:patching-webserver-prd"
    assert run_command["NotificationConfig"] == {
        "NotificationArn": topic_arn,
        "NotificationEvents": ["All"],
        "NotificationType": "Invocation",
    }
    assert run_command["ServiceRoleArn"] == role_arn

    policies = iam.list_attached_role_policies(RoleName="maintenance-window-role")["AttachedPolicies"]
    assert [policy["PolicyName"] for policy in policies] == ["maintenance-window-policy"]
    policy = iam.get_policy(PolicyArn=policies[0]["PolicyArn"])["Policy"]
    assert policy["Description"] == "The policy allows Systems manager to run maintenance window tasks"
    inline = iam.list_role_policies(RoleName="WebServer-Prd-Instance-Role")["PolicyNames"]
    assert sorted(inline) == ["CloudWatch-Logs-Instance-Profile", "S3-Put-Instance-Profile"]
    topics = endpoint.client("sns").list_topics()["Topics"]
    assert {"TopicArn": topic_arn} in topics
    groups = endpoint.client("logs").describe_log_groups(logGroupNamePrefix="patching/webserver/prd")["logGroups"]
    assert [group["logGroupName"] for group in groups] == ["patching/webserver/prd"]

    assert instance_tags(endpoint, instance_id)["Patch Group"] == "WebServer-Prd"


def assert_webserver_model_gone(endpoint, instance_id):
    ssm, iam = endpoint.client("ssm"), endpoint.client("iam")
    assert baselines_named(ssm, "AmazonLinux2AllPatchesBaseline") == []
    names = [
        d["Name"] for d in ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}])["DocumentIdentifiers"]
    ]
    assert not [name for name in names if "WebServer-Document" in name]
    for role in ("maintenance-window-role", "WebServer-Prd-Instance-Role"):
        with pytest.raises(botocore.exceptions.ClientError, match="NoSuchEntity"):
            iam.get_role(RoleName=role)
    assert not [
        p for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == "maintenance-window-policy"
    ]
    assert not [t for t in endpoint.client("sns").list_topics()["Topics"] if "patching-webserver-prd" in t["TopicArn"]]
    assert endpoint.client("logs").describe_log_groups(logGroupNamePrefix="patching/webserver")["logGroups"] == []
    assert "Patch Group" not in instance_tags(endpoint, instance_id)
    assert instance_tags(endpoint, instance_id)["Name"] == "WebServer-Prd"


def test_webserver_model_converges_reruns_without_change_and_tears_down_only_what_it_owns(account):
    model = load_model("webserver_prd.yml")
    (instance_id,) = launch_instances(account, "WebServer-Prd")
    (bystander,) = launch_instances(account, "Some-Other-Server")

    apply(account, PLAYBOOK, model)
    assert_webserver_model_exists(account, instance_id)
    assert "Patch Group" not in instance_tags(account, bystander)

    mark = account.mark()
    _, stats, _ = apply(account, PLAYBOOK, model)
    assert stats["changed"] == 0
    assert account.mutating(mark) == []

    # A window of the same name that the model did not create: teardown must leave it and say so.
    ssm = account.client("ssm")
    stranger = ssm.create_maintenance_window(
        Name="Patch-WebServer-Prd", Schedule="rate(1 day)", Duration=2, Cutoff=1, AllowUnassociatedTargets=False
    )["WindowId"]
    _, _, output = apply(account, TEARDOWN, model)
    assert_webserver_model_gone(account, instance_id)
    assert [w["WindowId"] for w in windows_named(ssm, "Patch-WebServer-Prd")] == [stranger]
    assert f"Left alone: maintenance window Patch-WebServer-Prd ({stranger})" in output


def test_windows_model_converges_reruns_without_change_and_tears_down(account):
    model = load_model("windows_2016_base.yml")
    (instance_id,) = launch_instances(account, "Patch Manager Demo")

    apply(account, PLAYBOOK, model)
    ssm = account.client("ssm")
    (baseline,) = baselines_named(ssm, "WindowsServer2016Baseline")
    assert baseline["OperatingSystem"] == "WINDOWS"
    (rule,) = baseline["ApprovalRules"]["PatchRules"]
    assert rule["PatchFilterGroup"]["PatchFilters"] == [
        {"Key": "PRODUCT", "Values": ["WindowsServer2016"]},
        {"Key": "CLASSIFICATION", "Values": ["SecurityUpdates"]},
        {"Key": "MSRC_SEVERITY", "Values": ["Critical", "Important"]},
    ]
    assert rule["ApproveAfterDays"] == 3
    assert baseline["PatchGroups"] == ["Windows Server 2016 Base"]
    window, target, task = the_window(ssm, "Patch-Windows-Server-2016-Base")
    assert (window["Schedule"], window["Duration"], window["Cutoff"]) == ("rate(5 minutes)", 1, 0)
    assert window["AllowUnassociatedTargets"] is False
    assert target["Targets"] == [{"Key": "tag:Patch Group", "Values": ["Windows Server 2016 Base"]}]
    assert (task["TaskType"], task["TaskArn"]) == ("RUN_COMMAND", "AWS-RunPatchBaseline")
    assert task["Targets"] == [{"Key": "WindowTargetIds", "Values": [target["WindowTargetId"]]}]
    assert (task["Priority"], task["MaxConcurrency"], task["MaxErrors"]) == (1, "100%", "1")
    assert "ServiceRoleArn" not in task  # AWS uses the service-linked role, the walkthrough's first choice
    assert task["TaskInvocationParameters"]["RunCommand"]["Parameters"] == {"Operation": ["Install"]}
    assert instance_tags(account, instance_id)["Patch Group"] == "Windows Server 2016 Base"

    mark = account.mark()
    _, stats, _ = apply(account, PLAYBOOK, model)
    assert stats["changed"] == 0
    assert account.mutating(mark) == []

    _, _, output = apply(account, TEARDOWN, model)
    assert baselines_named(ssm, "WindowsServer2016Baseline") == []
    assert windows_named(ssm, "Patch-Windows-Server-2016-Base") == []
    assert "Patch Group" not in instance_tags(account, instance_id)
    assert "No same-named resource was left alone." in output


def test_check_diff_on_an_empty_account_previews_everything_and_changes_nothing(account):
    model = load_model("webserver_prd.yml")
    mark = account.mark()
    results, stats, _ = apply(account, PLAYBOOK, model, check=True, diff=True)

    assert account.mutating(mark) == []
    assert stats["changed"] > 0
    items = [item for result in results for item in result.get("resources") or result.get("results", [result])]
    kinds = ("baseline", "document", "window", "window_target", "window_task")
    previews = {kind: [item[kind]["name"] for item in items if item.get(kind)] for kind in kinds}
    assert previews == {
        "baseline": ["AmazonLinux2AllPatchesBaseline"],
        "document": [
            "Pre-patch-WebServer-Document",
            "Post-install-WebServer-Document",
            "Post-reboot-WebServer-Document",
        ],
        "window": ["Patch-WebServer-Prd"],
        "window_target": ["WebServer-Prd"],
        "window_task": ["PatchWebServerPrd"],
    }
    assert any(item.get("diff", {}).get("after") for item in items if item.get("window"))
    assert account.client("ssm").describe_maintenance_windows()["WindowIdentities"] == []


def test_a_misspelt_model_key_fails_before_any_change_naming_it(local_aws):
    model = load_model("webserver_prd.yml")
    run_command = model["patch_model"]["maintenance_windows"][0]["tasks"][0]["run_command"]
    run_command["timeout_second"] = run_command.pop("timeout_seconds")
    mark = local_aws.mark()

    rc, _, _, output = run_playbook(local_aws, PLAYBOOK, extra_vars=model)

    assert rc != 0
    assert "timeout_second" in output and "Supported parameters include" in output
    assert local_aws.mutating(mark) == []


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"model_role": "patchmodel.ssm.tagging", "tagging_state": "gone"}, "tagging_state"),
        (
            {"model_role": "patchmodel.ssm.patch_baseline", "patch_baseline_baselines": [{"name": "x"}]},
            "operating_system",
        ),
        (
            {"model_role": "patchmodel.ssm.maintenance_window", "maintenance_window_tags": "owner"},
            "maintenance_window_tags",
        ),
    ],
)
def test_a_wrong_role_variable_fails_at_argument_validation_naming_it(local_aws, variables, named):
    mark = local_aws.mark()
    rc, _, _, output = run_playbook(local_aws, ROLE_PLAYBOOK, extra_vars=variables)
    assert rc != 0
    assert "Validating arguments against arg spec" in output and named in output
    assert local_aws.mutating(mark) == []


def test_a_fleet_of_a_thousand_instances_joins_its_patch_group_in_one_task_with_few_calls(local_aws):
    suffix = uuid.uuid4().hex[:8]
    fleet_name = f"fleet-{suffix}"
    launched = launch_instances(local_aws, fleet_name, count=1000)
    model = {
        "patch_model": {
            "name": f"fleet-{suffix}",
            "fleet": [{"patch_group": f"Linux-{suffix}", "tag_key": "PatchGroup", "filters": {"tag:Name": fleet_name}}],
        }
    }
    mark = local_aws.mark()

    _, stats, _ = apply(local_aws, PLAYBOOK, model, tags="fleet")

    assert stats["changed"] == 1
    ec2_calls = [entry["operation"] for entry in local_aws.requests(mark) if entry["service"] == "ec2"]
    assert ec2_calls.count("CreateTags") == 1
    assert len(ec2_calls) <= 5, ec2_calls
    for instance_id in (launched[0], launched[-1]):
        assert instance_tags(local_aws, instance_id)["PatchGroup"] == f"Linux-{suffix}"


def model_keys(node, free_form=("content", "parameters", "filters", "tags", "iam")):
    """Every key of a model, not descending into maps whose keys are the user's own."""
    if isinstance(node, list):
        return {key for value in node for key in model_keys(value)}
    if not isinstance(node, dict):
        return set()
    keys = set(node)
    for key, value in node.items():
        if key not in free_form:
            keys |= model_keys(value)
    return keys


def test_the_model_documentation_names_every_model_key():
    documented = (REPO / "docs" / "model.md").read_text()
    for model in ("webserver_prd.yml", "windows_2016_base.yml"):
        keys = model_keys(load_model(model)["patch_model"])
        assert sorted(key for key in keys if f"`{key}`" not in documented) == [], model


def test_one_run_applies_the_model_to_every_account_and_region_of_the_inventory(account, tmp_path):
    inventory = tmp_path / "inventory.ini"
    inventory.write_text(
        "[patching]\n"
        "prod-us-east-1 ansible_connection=local aws_region=us-east-1\n"
        "prod-eu-west-1 ansible_connection=local aws_region=eu-west-1\n"
    )
    extra_vars = load_model("windows_2016_base.yml") | {"patch_model_hosts": "patching"}

    rc, _, stats, output = run_playbook(
        account, PLAYBOOK, extra_vars=extra_vars, tags="windows", extra_env={"ANSIBLE_INVENTORY": str(inventory)}
    )

    assert rc == 0, output[-6000:]
    assert sorted(inventory_host_stats(stats)) == ["prod-eu-west-1", "prod-us-east-1"]
    for region in ("us-east-1", "eu-west-1"):
        ssm = account.client("ssm", region=region)
        assert [w["Name"] for w in windows_named(ssm, "Patch-Windows-Server-2016-Base")] == [
            "Patch-Windows-Server-2016-Base"
        ]
    assert account.client("ssm", region="us-west-2").describe_maintenance_windows()["WindowIdentities"] == []
