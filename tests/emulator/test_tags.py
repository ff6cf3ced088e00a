"""Add/List/RemoveTagsForResource on the local endpoint for every SSM resource type the project tags."""

import json
import urllib.request
import uuid

import botocore.exceptions
import pytest

HOOK = json.dumps(
    {
        "schemaVersion": "2.2",
        "description": "Tagging test document",
        "mainSteps": [{"action": "aws:runShellScript", "name": "noop", "inputs": {"runCommand": ["true"]}}],
    }
)


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def new_document(ssm):
    name = unique("tagged-doc")
    ssm.create_document(Name=name, Content=HOOK)
    return name


def new_baseline(ssm):
    return ssm.create_patch_baseline(Name=unique("tagged-baseline"), OperatingSystem="AMAZON_LINUX_2")["BaselineId"]


def new_window(ssm):
    return ssm.create_maintenance_window(
        Name=unique("tagged-window"),
        Schedule="cron(0 2 ? * SUN *)",
        Duration=2,
        Cutoff=1,
        AllowUnassociatedTargets=False,
    )["WindowId"]


def new_managed_instance(ssm):
    """A registered hybrid node, through the endpoint's test-only seeding path."""
    with urllib.request.urlopen(f"{ssm.meta.endpoint_url}/_patchmodel/seed-nodes?count=1", data=b"") as answer:
        return json.loads(answer.read())["InstanceIds"][0]


RESOURCES = {
    "Document": new_document,
    "PatchBaseline": new_baseline,
    "MaintenanceWindow": new_window,
    "ManagedInstance": new_managed_instance,
}
MISSING = {
    "Document": "no-such-document",
    "PatchBaseline": "pb-0123456789abcdef0",
    "MaintenanceWindow": "mw-0123456789abcdef0",
    "ManagedInstance": "i-0123456789abcdef0",
}


def tags_of(ssm, resource_type, resource_id):
    return ssm.list_tags_for_resource(ResourceType=resource_type, ResourceId=resource_id)["TagList"]


def error_of(call, **params):
    with pytest.raises(botocore.exceptions.ClientError) as error:
        call(**params)
    return error.value.response["Error"]


@pytest.mark.parametrize("resource_type", sorted(RESOURCES))
def test_tags_are_added_overwritten_listed_and_removed(ssm, resource_type):
    resource_id = RESOURCES[resource_type](ssm)
    add = {"ResourceType": resource_type, "ResourceId": resource_id}
    ssm.add_tags_to_resource(**add, Tags=[{"Key": "team", "Value": "web"}, {"Key": "Patch Group", "Value": "prd"}])
    ssm.add_tags_to_resource(**add, Tags=[{"Key": "team", "Value": "ops"}])
    assert tags_of(ssm, resource_type, resource_id) == [
        {"Key": "Patch Group", "Value": "prd"},
        {"Key": "team", "Value": "ops"},
    ]
    ssm.remove_tags_from_resource(**add, TagKeys=["team", "not-there"])
    assert tags_of(ssm, resource_type, resource_id) == [{"Key": "Patch Group", "Value": "prd"}]


@pytest.mark.parametrize("resource_type", sorted(RESOURCES))
def test_more_than_fifty_tags_are_refused(ssm, resource_type):
    resource_id = RESOURCES[resource_type](ssm)
    add = {"ResourceType": resource_type, "ResourceId": resource_id}
    ssm.add_tags_to_resource(**add, Tags=[{"Key": f"k{index}", "Value": "v"} for index in range(30)])
    error = error_of(
        ssm.add_tags_to_resource, **add, Tags=[{"Key": f"more{index}", "Value": "v"} for index in range(21)]
    )
    assert error["Code"] == "TooManyTagsError"
    assert len(tags_of(ssm, resource_type, resource_id)) == 30
    ssm.add_tags_to_resource(**add, Tags=[{"Key": f"k{index}", "Value": "new"} for index in range(20, 30)])
    ssm.add_tags_to_resource(**add, Tags=[{"Key": f"more{index}", "Value": "v"} for index in range(20)])
    assert len(tags_of(ssm, resource_type, resource_id)) == 50


@pytest.mark.parametrize("key", ["aws:team", "AWS:team"])
def test_reserved_aws_keys_are_refused(ssm, key):
    name = new_document(ssm)
    error = error_of(
        ssm.add_tags_to_resource, ResourceType="Document", ResourceId=name, Tags=[{"Key": key, "Value": "v"}]
    )
    assert error["Code"] == "ValidationException"
    assert tags_of(ssm, "Document", name) == []


def test_reserved_aws_keys_are_refused_on_create(ssm):
    error = error_of(
        ssm.create_document, Name=unique("doc"), Content=HOOK, Tags=[{"Key": "aws:cloudformation", "Value": "x"}]
    )
    assert error["Code"] == "ValidationException"


@pytest.mark.parametrize("resource_type", sorted(MISSING))
def test_unknown_resources_are_invalid_resource_ids(ssm, resource_type):
    params = {"ResourceType": resource_type, "ResourceId": MISSING[resource_type]}
    assert error_of(ssm.list_tags_for_resource, **params)["Code"] == "InvalidResourceId"
    assert (
        error_of(ssm.add_tags_to_resource, **params, Tags=[{"Key": "k", "Value": "v"}])["Code"] == "InvalidResourceId"
    )
    assert error_of(ssm.remove_tags_from_resource, **params, TagKeys=["k"])["Code"] == "InvalidResourceId"


def test_a_resource_type_outside_the_model_is_refused(ssm):
    error = error_of(ssm.list_tags_for_resource, ResourceType="Instance", ResourceId="i-0123456789abcdef0")
    assert error["Code"] == "ValidationException"
    assert "resourceType" in error["Message"]


def test_tags_given_at_creation_are_listed(ssm):
    name = unique("doc")
    ssm.create_document(Name=name, Content=HOOK, Tags=[{"Key": "team", "Value": "web"}])
    assert tags_of(ssm, "Document", name) == [{"Key": "team", "Value": "web"}]


def test_aws_owned_documents_cannot_be_tagged(ssm):
    error = error_of(
        ssm.add_tags_to_resource,
        ResourceType="Document",
        ResourceId="AWS-RunPatchBaseline",
        Tags=[{"Key": "k", "Value": "v"}],
    )
    assert error["Code"] == "InvalidResourceId"
    assert tags_of(ssm, "Document", "AWS-RunPatchBaseline") == []


def test_tags_stay_with_their_own_resource(ssm):
    first, second = new_document(ssm), new_document(ssm)
    ssm.add_tags_to_resource(ResourceType="Document", ResourceId=first, Tags=[{"Key": "k", "Value": "v"}])
    assert tags_of(ssm, "Document", second) == []
