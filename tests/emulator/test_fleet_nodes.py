"""Managed nodes on the local endpoint: DescribeInstanceInformation over EC2 instances and seeded hybrid nodes."""

import pytest

from tests.emulator.fleet_endpoint import InProcessEndpoint, all_pages, failure, unique
from tests.helpers.output_shapes import output_problems
from tools.emulator.ssm.fleet_nodes import seed_managed_nodes
from tools.emulator.ssm.service import SSMService


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    endpoint = InProcessEndpoint(tmp_path_factory.mktemp("fleet-nodes"))
    yield endpoint
    endpoint.stop()


def launch(ec2, name_pattern, count=1, tags=None):
    image = ec2.describe_images(Filters=[{"Name": "name", "Values": [name_pattern]}])["Images"][0]["ImageId"]
    params = {"ImageId": image, "MinCount": count, "MaxCount": count}
    if tags:
        params["TagSpecifications"] = [
            {"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
        ]
    return [instance["InstanceId"] for instance in ec2.run_instances(**params)["Instances"]]


def nodes_by_id(ssm, ids):
    found = all_pages(
        ssm.describe_instance_information, "InstanceInformationList", Filters=[{"Key": "InstanceIds", "Values": ids}]
    )
    return {node["InstanceId"]: node for node in found}


def test_running_ec2_instances_are_online_managed_nodes_with_their_platform(fleet):
    ec2, ssm = fleet.client("ec2"), fleet.client("ssm")
    linux = launch(ec2, "amzn2-ami-hvm-*")[0]
    windows = launch(ec2, "Windows_Server-2019-*")[0]
    nodes = nodes_by_id(ssm, [linux, windows])
    assert nodes[linux]["PingStatus"] == "Online"
    assert nodes[linux]["ResourceType"] == "EC2Instance"
    assert (nodes[linux]["PlatformType"], nodes[linux]["PlatformName"], nodes[linux]["PlatformVersion"]) == (
        "Linux",
        "Amazon Linux",
        "2",
    )
    assert nodes[windows]["PlatformType"] == "Windows"
    assert nodes[windows]["PlatformName"] == "Microsoft Windows Server 2019 Datacenter"
    private_ip = ec2.describe_instances(InstanceIds=[linux])["Reservations"][0]["Instances"][0]["PrivateIpAddress"]
    assert nodes[linux]["IPAddress"] == private_ip


def test_stopped_instances_lose_connection_and_terminated_ones_disappear(fleet):
    ec2, ssm = fleet.client("ec2"), fleet.client("ssm")
    stopped, terminated = launch(ec2, "al2023-ami-2023*", count=2)
    ec2.stop_instances(InstanceIds=[stopped])
    ec2.terminate_instances(InstanceIds=[terminated])
    nodes = nodes_by_id(ssm, [stopped, terminated])
    assert set(nodes) == {stopped}
    assert nodes[stopped]["PingStatus"] == "ConnectionLost"
    assert nodes[stopped]["PlatformVersion"] == "2023"


def test_seeded_hybrid_nodes_spread_over_patch_groups_and_platforms(fleet):
    groups = [unique(), unique()]
    ids = fleet.seed_nodes(4, groups, platform=["UBUNTU", "WINDOWS"])
    ssm = fleet.client("ssm")
    nodes = nodes_by_id(ssm, ids)
    assert all(node_id.startswith("mi-") and len(node_id) == 20 for node_id in ids)
    assert [nodes[i]["PlatformName"] for i in ids] == ["Ubuntu", "Microsoft Windows Server 2019 Datacenter"] * 2
    assert {nodes[i]["ResourceType"] for i in ids} == {"ManagedInstance"}
    assert all(nodes[i]["IamRole"] and nodes[i]["ActivationId"] and nodes[i]["RegistrationDate"] for i in ids)
    tags = [ssm.list_tags_for_resource(ResourceType="ManagedInstance", ResourceId=i)["TagList"] for i in ids]
    assert tags == [[{"Key": "Patch Group", "Value": groups[n % 2]}] for n in range(4)]


def test_seeding_is_deterministic_per_region():
    first, second = SSMService(), SSMService()
    ids = [seed_managed_nodes(service.backend.region("eu-west-1"), 3, ["a"]) for service in (first, second)]
    assert ids[0] == ids[1]
    assert len(set(ids[0])) == 3
    assert seed_managed_nodes(first.backend.region("eu-west-1"), 1)[0] not in ids[0]


def test_once_nodes_are_seeded_only_registered_mi_ids_take_tags(fleet):
    ssm = fleet.client("ssm")
    node_id = fleet.seed_nodes(1)[0]
    ssm.add_tags_to_resource(ResourceType="ManagedInstance", ResourceId=node_id, Tags=[{"Key": "k", "Value": "v"}])
    error = failure(
        ssm.add_tags_to_resource,
        ResourceType="ManagedInstance",
        ResourceId="mi-0123456789abcdef0",
        Tags=[{"Key": "k", "Value": "v"}],
    )
    assert error["Code"] == "InvalidResourceId"


def test_filters_select_by_tag_platform_ping_and_resource_type(fleet):
    ec2, ssm = fleet.client("ec2"), fleet.client("ssm")
    group = unique()
    hybrid = fleet.seed_nodes(3, [group], platform="WINDOWS")
    instance = launch(ec2, "amzn2-ami-hvm-*", tags={"Patch Group": group})[0]

    def selected(*filters):
        found = all_pages(ssm.describe_instance_information, "InstanceInformationList", Filters=list(filters))
        return {node["InstanceId"] for node in found}

    in_group = {"Key": "tag:Patch Group", "Values": [group]}
    assert selected(in_group) == set(hybrid) | {instance}
    assert selected(in_group, {"Key": "PlatformTypes", "Values": ["Windows"]}) == set(hybrid)
    assert selected(in_group, {"Key": "ResourceType", "Values": ["EC2Instance"]}) == {instance}
    assert selected(in_group, {"Key": "PingStatus", "Values": ["ConnectionLost"]}) == set()
    assert selected({"Key": "InstanceIds", "Values": hybrid[:2]}) == set(hybrid[:2])
    assert set(hybrid) <= selected({"Key": "tag-key", "Values": ["Patch Group"]})
    legacy = ssm.describe_instance_information(
        InstanceInformationFilterList=[{"key": "InstanceIds", "valueSet": [hybrid[0], instance]}]
    )["InstanceInformationList"]
    assert {node["InstanceId"] for node in legacy} == {hybrid[0], instance}


@pytest.mark.parametrize(
    ("filters", "code"),
    [
        ([{"Key": "Colour", "Values": ["blue"]}], "InvalidFilterKey"),
        ([{"Key": "tag:", "Values": ["x"]}], "InvalidFilterKey"),
        (
            [{"Key": "ResourceType", "Values": ["EC2Instance", "ManagedInstance"]}],
            "InvalidInstanceInformationFilterValue",
        ),
        ([{"Key": "ResourceType", "Values": ["Document"]}], "InvalidInstanceInformationFilterValue"),
        ([{"Key": "PingStatus", "Values": ["Asleep"]}], "InvalidInstanceInformationFilterValue"),
    ],
)
def test_bad_filters_are_refused(fleet, filters, code):
    assert failure(fleet.client("ssm").describe_instance_information, Filters=filters)["Code"] == code


def test_tags_are_not_a_legacy_filter_key(fleet):
    ssm = fleet.client("ssm")
    error = failure(
        ssm.describe_instance_information, InstanceInformationFilterList=[{"key": "tag:Name", "valueSet": ["a"]}]
    )
    assert error["Code"] == "ValidationException"  # not in the legacy key enum


def test_pages_follow_next_token_within_the_models_bounds(fleet):
    ssm = fleet.client("ssm")
    group = unique()
    ids = fleet.seed_nodes(12, [group])
    filters = [{"Key": "tag:Patch Group", "Values": [group]}]
    first = ssm.describe_instance_information(Filters=filters, MaxResults=5)
    assert len(first["InstanceInformationList"]) == 5 and first["NextToken"]
    every = all_pages(ssm.describe_instance_information, "InstanceInformationList", Filters=filters, MaxResults=5)
    assert [node["InstanceId"] for node in every] == ids
    unchecked = fleet.client("ssm", parameter_validation=False)  # botocore would refuse it before sending
    assert failure(unchecked.describe_instance_information, MaxResults=4)["Code"] == "ValidationException"
    assert failure(ssm.describe_instance_information, NextToken="garbage")["Code"] == "InvalidNextToken"


def test_ten_thousand_seeded_nodes_page_and_validate(tmp_path):
    service = SSMService()
    state = service.backend.region("us-west-2")
    groups = [f"group-{n:02d}" for n in range(20)]
    ids = seed_managed_nodes(state, 10_000, groups)
    assert len(set(ids)) == 10_000
    status, page = service.handle("us-west-2", "DescribeInstanceInformation", {"MaxResults": 50})
    assert status == 200 and len(page["InstanceInformationList"]) == 50
    assert output_problems("DescribeInstanceInformation", page) == []
    tagged = [i for i in ids if state.tags[("ManagedInstance", i)]["Patch Group"] == "group-07"]
    assert len(tagged) == 500
