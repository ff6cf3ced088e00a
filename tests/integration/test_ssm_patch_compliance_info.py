"""patchmodel.ssm.ssm_patch_compliance_info against the local endpoint: per-node states and per-group summaries
equal what the API reports, ids are read 50 a call, every call is paginated, and nothing is ever written."""

from tests.emulator.fleet_endpoint import all_pages
from tests.helpers.ansible_run import run_module
from tests.integration.compliance_support import build_fleet, patches_in, seed_nodes, truth, unique

MODULE = "ssm_patch_compliance_info"


def operations(entries, name):
    return [entry for entry in entries if entry["operation"] == name]


def test_patch_groups_report_every_node_status_summary_and_the_worst_nodes_patches(local_aws):
    fleet = build_fleet(local_aws)
    ssm = local_aws.client("ssm")
    mark = local_aws.mark()
    result = run_module(
        local_aws,
        MODULE,
        {"patch_groups": fleet.groups, "include_unreported": True, "patch_details": {"worst": 3}},
    )
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is False
    requests = local_aws.requests(mark)
    assert local_aws.mutating(mark) == []

    counts, nodes = truth(ssm, fleet.groups, {fleet.scanned: fleet.unreported_ids})
    shown = {
        node["instance_id"]: (
            node["patch_group"],
            node["status"],
            node["missing_count"],
            node["failed_count"],
            node["installed_pending_reboot_count"],
        )
        for node in result["instances"]
    }
    assert shown == nodes
    # Every status occurs, so the checks below compare something in each.
    assert {status for _group, status, *_rest in nodes.values()} == {
        "failed",
        "non_compliant",
        "pending_reboot",
        "unreported",
        "compliant",
    }
    groups = {group["patch_group"]: group for group in result["patch_groups"]}
    assert sorted(groups) == sorted(fleet.groups)
    for name, expected in counts.items():
        assert {key: groups[name][key] for key in expected} == expected
        aws = ssm.describe_patch_group_state(PatchGroup=name)
        assert groups[name]["instances"] - groups[name]["unreported"] == aws["Instances"]
        assert groups[name]["failed"] == aws["InstancesWithFailedPatches"]
        assert groups[name]["pending_reboot"] == aws["InstancesWithInstalledPendingRebootPatches"]
    assert result["summary"]["instances"] == len(nodes)
    assert result["summary"]["unreported"] == len(fleet.unreported_ids)

    # Worst first: failed nodes, then non-compliant ones, ..., compliant ones last.
    ranks = ["failed", "non_compliant", "pending_reboot", "unreported", "compliant"]
    order = [ranks.index(node["status"]) for node in result["instances"]]
    assert order == sorted(order)

    detailed = [node for node in result["instances"] if "patches" in node]
    assert [node["instance_id"] for node in detailed] == [node["instance_id"] for node in result["instances"][:3]]
    for node in detailed:
        listed = {(patch["kb_id"], patch["state"]) for patch in node["patches"]}
        assert listed == patches_in(ssm, node["instance_id"])
        assert len(listed) == node["missing_count"] + node["failed_count"]
    assert len(operations(requests, "DescribeInstancePatches")) == 3
    for_group = operations(requests, "DescribeInstancePatchStatesForPatchGroup")
    assert sorted(entry["parameters"]["PatchGroup"] for entry in for_group) == sorted(fleet.groups)


def test_instance_ids_are_read_fifty_a_call_and_group_pages_are_followed(local_aws):
    group = unique("Big")
    node_ids = seed_nodes(local_aws, 120, group)
    never_seen = ["mi-0aaaaaaaaaaaaaaaa", "mi-0bbbbbbbbbbbbbbbb"]
    mark = local_aws.mark()
    by_ids = run_module(local_aws, MODULE, {"instance_ids": node_ids + never_seen})
    assert not by_ids.get("failed"), by_ids.get("msg")
    calls = operations(local_aws.requests(mark), "DescribeInstancePatchStates")
    assert [len(entry["parameters"]["InstanceIds"]) for entry in calls] == [50, 50, 22]
    assert {node["instance_id"] for node in by_ids["instances"]} == set(node_ids + never_seen)
    unreported = [node for node in by_ids["instances"] if node["status"] == "unreported"]
    assert sorted(node["instance_id"] for node in unreported) == never_seen
    assert all(node["compliance_status"] is None for node in unreported)
    assert by_ids["summary"]["instances"] == 122

    mark = local_aws.mark()
    by_group = run_module(local_aws, MODULE, {"patch_groups": [group]}, check=True)
    pages = operations(local_aws.requests(mark), "DescribeInstancePatchStatesForPatchGroup")
    assert len(pages) == 2 and "NextToken" in pages[1]["parameters"]
    assert by_group["patch_groups"][0]["instances"] == 120
    states = all_pages(
        local_aws.client("ssm").describe_instance_patch_states, "InstancePatchStates", InstanceIds=node_ids[:50]
    )
    expected = {state["InstanceId"]: state["MissingCount"] for state in states}
    shown = {node["instance_id"]: node["missing_count"] for node in by_group["instances"]}
    assert {node_id: shown[node_id] for node_id in expected} == expected


def test_ec2_filters_choose_instances_and_name_their_patch_group_even_unscanned(local_aws):
    ec2, ssm = local_aws.client("ec2"), local_aws.client("ssm")
    name, group = unique("Patch Manager Demo"), unique("Windows Server 2016 Base")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    launched = ec2.run_instances(
        ImageId=image,
        MinCount=2,
        MaxCount=2,
        InstanceType="t3.micro",
        TagSpecifications=[
            {
                "ResourceType": "instance",
                "Tags": [{"Key": "Name", "Value": name}, {"Key": "Patch Group", "Value": group}],
            }
        ],
    )
    scanned, unscanned = sorted(instance["InstanceId"] for instance in launched["Instances"])
    ssm.send_command(InstanceIds=[scanned], DocumentName="AWS-RunPatchBaseline", Parameters={"Operation": ["Scan"]})
    mark = local_aws.mark()
    result = run_module(
        local_aws,
        MODULE,
        {"filters": {"tag:Name": name}, "patch_details": {"instance_ids": [scanned], "states": []}},
    )
    assert not result.get("failed"), result.get("msg")
    assert len(operations(local_aws.requests(mark), "DescribeInstances")) == 1
    nodes = {node["instance_id"]: node for node in result["instances"]}
    assert sorted(nodes) == [scanned, unscanned]
    assert nodes[scanned]["patch_group"] == group and nodes[scanned]["operation"] == "Scan"
    assert nodes[unscanned]["status"] == "unreported" and nodes[unscanned]["patch_group"] == group
    # Every state, installed ones included, as DescribeInstancePatches lists them.
    listed = {(patch["kb_id"], patch["state"]) for patch in nodes[scanned]["patches"]}
    assert listed == patches_in(ssm, scanned, states=())
    assert any(state == "INSTALLED" for _kb, state in listed)
    assert "patches" not in nodes[unscanned]


def test_bad_options_fail_before_any_call_naming_the_option(local_aws):
    mark = local_aws.mark()
    nothing = run_module(local_aws, MODULE, {})
    assert nothing["failed"] and "patch_groups, instance_ids or filters" in nothing["msg"]
    bad = run_module(
        local_aws,
        MODULE,
        {"patch_groups": ["Web#Servers"], "instance_ids": ["server-01"], "patch_details": {"worst": -1}},
    )
    assert bad["failed"]
    assert any(problem.startswith("patch_groups[0]:") for problem in bad["problems"]), bad["problems"]
    assert any(problem.startswith("instance_ids[0]:") for problem in bad["problems"]), bad["problems"]
    assert any(problem.startswith("patch_details.worst:") for problem in bad["problems"]), bad["problems"]
    state = run_module(
        local_aws, MODULE, {"instance_ids": ["i-0123456789abcdef0"], "patch_details": {"states": ["LOST"]}}
    )
    assert state["failed"] and "MISSING" in state["msg"]
    assert "Traceback" not in str(bad) + str(nothing) + str(state)
    assert local_aws.requests(mark) == []
