"""The ARN of every resource in the modules' results, against the local endpoint: for the caller's account and the
partition of the region, from one sts:GetCallerIdentity per module run."""

import json
import urllib.request

from tests.emulator.accounts_support import new_account_id
from tests.helpers.ansible_run import run_module
from tests.helpers.instances import launch_instances
from tests.integration.compliance_support import seed_nodes
from tests.integration.patch_baseline_support import al2_seed
from tests.integration.window_parts_support import unique, webserver_target, webserver_task

ACCOUNT = "123456789012"  # the local endpoint's default account, which the test keys belong to
WINDOW = {"schedule": "rate(7 days)", "duration": 2, "cutoff": 1, "allow_unassociated_targets": False}


def region_env(region):
    return {"AWS_REGION": region, "AWS_DEFAULT_REGION": region}


def caller_identity_calls(local_aws, mark):
    return [entry for entry in local_aws.requests(mark) if entry["operation"] == "GetCallerIdentity"]


def test_created_window_target_and_task_return_their_arns_from_one_identity_call_each(local_aws):
    ssm = local_aws.client("ssm")
    name = unique("Arn-Window")
    mark = local_aws.mark()
    preview = run_module(local_aws, "ssm_maintenance_window", dict(WINDOW, name=name), check=True)
    assert preview["changed"] is True and "arn" not in preview["window"]  # nothing created: no id, no ARN
    assert caller_identity_calls(local_aws, mark) == []

    mark = local_aws.mark()
    window = run_module(local_aws, "ssm_maintenance_window", dict(WINDOW, name=name))["window"]
    [found] = ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [name]}])["WindowIdentities"]
    assert window["arn"] == f"arn:aws:ssm:us-east-1:{ACCOUNT}:maintenancewindow/{found['WindowId']}"
    assert len(caller_identity_calls(local_aws, mark)) == 1

    mark = local_aws.mark()
    target = run_module(local_aws, "ssm_window_target", webserver_target(name))["window_target"]
    [registered] = ssm.describe_maintenance_window_targets(WindowId=found["WindowId"])["Targets"]
    assert target["arn"] == f"arn:aws:ssm:us-east-1:{ACCOUNT}:windowtarget/{registered['WindowTargetId']}"
    assert len(caller_identity_calls(local_aws, mark)) == 1

    mark = local_aws.mark()
    task = run_module(local_aws, "ssm_window_task", webserver_task(name))["window_task"]
    [summary] = ssm.describe_maintenance_window_tasks(WindowId=found["WindowId"])["Tasks"]
    assert task["arn"] == f"arn:aws:ssm:us-east-1:{ACCOUNT}:windowtask/{summary['WindowTaskId']}"
    assert len(caller_identity_calls(local_aws, mark)) == 1

    # The info module names the same three, in one identity call for all of them.
    mark = local_aws.mark()
    [info] = run_module(local_aws, "ssm_maintenance_window_info", {"name": name})["windows"]
    assert (info["arn"], info["targets"][0]["arn"], info["tasks"][0]["arn"]) == (
        window["arn"],
        target["arn"],
        task["arn"],
    )
    assert len(caller_identity_calls(local_aws, mark)) == 1

    gone = run_module(local_aws, "ssm_window_task", {"window": name, "name": "PatchWebServerPrd", "state": "absent"})
    assert gone["changed"] is True and gone["window_task"] == {}  # deleted: nothing left to name


def test_a_window_in_a_china_region_is_in_the_aws_cn_partition(local_aws):
    name = unique("Arn-China")
    result = run_module(
        local_aws, "ssm_maintenance_window", dict(WINDOW, name=name), extra_env=region_env("cn-north-1")
    )
    ssm = local_aws.client("ssm", region="cn-north-1")
    [found] = ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [name]}])["WindowIdentities"]
    assert result["window"]["arn"] == f"arn:aws-cn:ssm:cn-north-1:{ACCOUNT}:maintenancewindow/{found['WindowId']}"


def test_a_baseline_in_govcloud_is_in_the_aws_us_gov_partition_and_aws_owned_ones_keep_their_arn(local_aws):
    name = unique("Arn-Baseline")
    env = region_env("us-gov-west-1")
    created = run_module(local_aws, "ssm_patch_baseline", al2_seed(name), extra_env=env)["baseline"]
    assert created["arn"] == f"arn:aws-us-gov:ssm:us-gov-west-1:{ACCOUNT}:patchbaseline/{created['baseline_id']}"
    rerun = run_module(local_aws, "ssm_patch_baseline", al2_seed(name), extra_env=env)
    assert rerun["changed"] is False and rerun["baseline"]["arn"] == created["arn"]

    owned = run_module(
        local_aws, "ssm_patch_baseline_info", {"owner": "AWS", "operating_system": "AMAZON_LINUX_2"}, extra_env=env
    )["baselines"]
    assert owned and all(baseline["arn"] == baseline["baseline_id"] for baseline in owned)
    assert all(baseline["arn"].startswith("arn:aws-us-gov:ssm:us-gov-west-1:") for baseline in owned)


def test_a_section_modules_items_carry_their_arns_from_one_identity_call(local_aws):
    names = [unique("Arn-Section") for _ in range(2)]
    mark = local_aws.mark()
    result = run_module(local_aws, "ssm_patch_baselines", {"baselines": [al2_seed(names[0]), al2_seed(names[1])]})
    assert [entry["action"] for entry in result["resources"]] == ["created", "created"], result
    for entry in result["resources"]:
        assert entry["arn"] == f"arn:aws:ssm:us-east-1:{ACCOUNT}:patchbaseline/{entry['id']}"
        assert entry["baseline"]["arn"] == entry["arn"]
    assert len(caller_identity_calls(local_aws, mark)) == 1


def test_keys_of_an_assumed_role_give_arns_in_the_roles_account(local_aws):
    other = new_account_id()
    role_arn = local_aws.create_account_role(other, "PatchModelDeployer")
    keys = local_aws.credentials_for(role_arn)
    env = {
        "AWS_ACCESS_KEY_ID": keys["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": keys["aws_secret_access_key"],
        "AWS_SESSION_TOKEN": keys["aws_session_token"],
    }
    result = run_module(local_aws, "ssm_maintenance_window", dict(WINDOW, name=unique("Arn-Other")), extra_env=env)
    assert result["window"]["arn"].startswith(f"arn:aws:ssm:us-east-1:{other}:maintenancewindow/mw-")


def test_the_lock_returns_the_arn_of_its_parameter(local_aws):
    model = unique("arn-lock")
    taken = run_module(local_aws, "ssm_model_lock", {"model": model})
    name = taken["lock"]["parameter_name"]
    stored = local_aws.client("ssm").get_parameter(Name=name)["Parameter"]
    assert taken["lock"]["arn"] == stored["ARN"] == f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter{name}"
    # Held by this run: another run's check reads the parameter, and GetParameter answers its ARN.
    mark = local_aws.mark()
    held = run_module(local_aws, "ssm_model_lock", {"model": model}, check=True)
    assert held["holder"]["arn"] == stored["ARN"]
    assert caller_identity_calls(local_aws, mark) == []
    run_module(local_aws, "ssm_model_lock", {"model": model, "state": "absent", "token": taken["lock"]["token"]})


def launch_instance(local_aws):
    (instance_id,) = launch_instances(local_aws.client("ec2"))
    return instance_id


def test_fleet_members_are_named_by_ec2_instance_and_managed_instance_arns(local_aws):
    instance = launch_instance(local_aws)
    with urllib.request.urlopen(f"{local_aws.url}/_patchmodel/seed-nodes?count=1", data=b"") as answer:
        node = json.loads(answer.read())["InstanceIds"][0]
    args = {"patch_group": unique("Arn-Group"), "instance_ids": [instance], "managed_node_ids": [node]}
    result = run_module(local_aws, "ssm_patch_group_membership", args)
    assert result["arns"] == {
        instance: f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/{instance}",
        node: f"arn:aws:ssm:us-east-1:{ACCOUNT}:managed-instance/{node}",
    }


def test_compliance_names_each_node_by_its_arn(local_aws):
    group = unique("Arn-Compliance")
    nodes = seed_nodes(local_aws, 2, group)
    result = run_module(local_aws, "ssm_patch_compliance_info", {"patch_groups": [group]})
    assert {node["instance_id"]: node["arn"] for node in result["instances"]} == {
        node: f"arn:aws:ssm:us-east-1:{ACCOUNT}:managed-instance/{node}" for node in nodes
    }
