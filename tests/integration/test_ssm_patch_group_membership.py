"""ssm_patch_group_membership: fleet tagging in batches, idempotent, check mode, absent, hybrid nodes."""

import json
import urllib.request
import uuid

from tests.helpers.ansible_run import run_module
from tests.helpers.instances import launch_instances


def launch(local_aws, count, name):
    return launch_instances(local_aws.client("ec2"), count, {"Name": name})


def patch_group_of(local_aws, instance_ids, key="Patch Group"):
    reservations = local_aws.client("ec2").describe_instances(InstanceIds=instance_ids)["Reservations"]
    return {
        instance["InstanceId"]: {t["Key"]: t["Value"] for t in instance.get("Tags", [])}.get(key)
        for reservation in reservations
        for instance in reservation["Instances"]
    }


def test_filters_choose_the_fleet_and_one_call_tags_it(local_aws):
    name = f"WebServer-Prd-{uuid.uuid4().hex[:6]}"
    ids = launch(local_aws, 5, name)
    other = launch(local_aws, 1, f"other-{name}")
    args = {"patch_group": "WebServer-Prd", "filters": {"tag:Name": name}}

    mark = local_aws.mark()
    checked = run_module(local_aws, "ssm_patch_group_membership", args, check=True, diff=True)
    assert checked["changed"] and checked["changed_ids"] == ids
    assert checked["diff"]["after"]["members"] == ids and checked["diff"]["before"]["members"] == []
    assert local_aws.mutating(mark) == []

    mark = local_aws.mark()
    result = run_module(local_aws, "ssm_patch_group_membership", args)
    assert result["changed"] and result["instance_ids"] == ids
    create_tags = [e for e in local_aws.mutating(mark) if e["operation"] == "CreateTags"]
    assert len(create_tags) == 1
    assert set(patch_group_of(local_aws, ids).values()) == {"WebServer-Prd"}
    assert patch_group_of(local_aws, other) == {other[0]: None}

    mark = local_aws.mark()
    again = run_module(local_aws, "ssm_patch_group_membership", args)
    assert not again["changed"] and local_aws.mutating(mark) == []


def test_metadata_friendly_key_ids_and_absent(local_aws):
    ids = launch(local_aws, 2, f"Patch Manager Demo {uuid.uuid4().hex[:6]}")
    args = {
        "patch_group": "Windows Server 2016 Base",
        "tag_key": "PatchGroup",
        "instance_ids": ids + ["i-00000000000000000"],
    }
    result = run_module(local_aws, "ssm_patch_group_membership", args)
    assert result["changed"] and result["missing_ids"] == ["i-00000000000000000"]
    assert set(patch_group_of(local_aws, ids, "PatchGroup").values()) == {"Windows Server 2016 Base"}

    removed = run_module(local_aws, "ssm_patch_group_membership", dict(args, state="absent"))
    assert removed["changed"] and removed["changed_ids"] == ids
    assert set(patch_group_of(local_aws, ids, "PatchGroup").values()) == {None}


def test_hybrid_managed_nodes_are_tagged_through_ssm(local_aws):
    with urllib.request.urlopen(f"{local_aws.url}/_patchmodel/seed-nodes?count=1", data=b"") as answer:
        node = json.loads(answer.read())["InstanceIds"][0]
    unregistered = "mi-0000000000000dead"
    args = {"patch_group": "OnPrem", "managed_node_ids": [node, unregistered]}
    result = run_module(local_aws, "ssm_patch_group_membership", args)
    assert result["changed_ids"] == [node] and result["missing_ids"] == [unregistered]
    tags = local_aws.client("ssm").list_tags_for_resource(ResourceType="ManagedInstance", ResourceId=node)["TagList"]
    assert tags == [{"Key": "Patch Group", "Value": "OnPrem"}]
    assert not run_module(local_aws, "ssm_patch_group_membership", args)["changed"]


def test_bad_ids_fail_before_any_call(local_aws):
    mark = local_aws.mark()
    result = run_module(
        local_aws,
        "ssm_patch_group_membership",
        {"patch_group": "g", "instance_ids": ["web-1"], "managed_node_ids": ["i-123"]},
    )
    assert result["failed"]
    assert "instance_ids: 'web-1' is not an EC2 instance id" in result["msg"]
    assert "managed_node_ids: 'i-123' is not a hybrid managed node id" in result["msg"]
    assert local_aws.requests(mark) == []
