"""Patch compliance on the local endpoint: Scan and Install against the simulated catalog, the baseline's rules,
snapshots, and DescribeInstancePatchStates(+ForPatchGroup), DescribeInstancePatches, DescribePatchGroupState."""

import pytest

from tests.emulator.fleet_endpoint import InProcessEndpoint, all_pages, failure, unique
from tests.helpers.output_shapes import output_problems
from tools.emulator.ssm.fleet_nodes import seed_managed_nodes
from tools.emulator.ssm.fleet_patching import scan_nodes
from tools.emulator.ssm.service import SSMService

SNAPSHOT = "11111111-2222-3333-4444-555555555555"


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    endpoint = InProcessEndpoint(tmp_path_factory.mktemp("fleet-compliance"))
    yield endpoint
    endpoint.stop()


@pytest.fixture
def ssm(fleet):
    return fleet.client("ssm")


def patch(ssm, nodes, operation="Scan", **parameters):
    values = {"Operation": [operation], **{k: [v] for k, v in parameters.items()}}
    command = ssm.send_command(DocumentName="AWS-RunPatchBaseline", InstanceIds=nodes, Parameters=values)["Command"]
    return ssm.list_commands(CommandId=command["CommandId"])["Commands"][0]


def states(ssm, nodes):
    found = all_pages(ssm.describe_instance_patch_states, "InstancePatchStates", InstanceIds=nodes)
    return {state["InstanceId"]: state for state in found}


def patches(ssm, node, **params):
    return all_pages(ssm.describe_instance_patches, "Patches", InstanceId=node, **params)


def rule(days=0, **filters):
    patch_filters = [{"Key": key, "Values": values} for key, values in (filters or {"PRODUCT": ["*"]}).items()]
    return {"PatchFilterGroup": {"PatchFilters": patch_filters}, "ApproveAfterDays": days}


def baseline_for(ssm, group, operating_system="AMAZON_LINUX_2", rules=(), **settings):
    baseline_id = ssm.create_patch_baseline(
        Name=unique("baseline"),
        OperatingSystem=operating_system,
        ApprovalRules={"PatchRules": list(rules)},
        **settings,
    )["BaselineId"]
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=group)
    return baseline_id


APPROVED = ("InstalledCount", "InstalledPendingRebootCount", "MissingCount", "FailedCount", "NotApplicableCount")


def approved(state):
    return sum(state[key] for key in APPROVED)


def test_scan_then_install_makes_exactly_the_targeted_nodes_compliant(fleet, ssm):
    group = unique()
    nodes = fleet.seed_nodes(6, [group])
    command = ssm.send_command(
        DocumentName="AWS-RunPatchBaseline",
        Targets=[{"Key": "tag:Patch Group", "Values": [group]}],
        Parameters={"Operation": ["Scan"]},
    )["Command"]
    assert ssm.list_commands(CommandId=command["CommandId"])["Commands"][0]["Status"] == "Success"
    before = states(ssm, nodes)
    assert all(before[n]["MissingCount"] > 0 for n in nodes)
    assert {before[n]["Operation"] for n in nodes} == {"Scan"}
    targeted, others = nodes[:3], nodes[3:]
    assert patch(ssm, targeted, "Install")["Status"] == "Success"
    after = states(ssm, nodes)
    for node in targeted:
        assert (after[node]["Operation"], after[node]["MissingCount"]) == ("Install", 0)
        assert after[node]["InstalledCount"] == before[node]["InstalledCount"] + before[node]["MissingCount"]
        assert after[node]["SecurityNonCompliantCount"] + after[node]["OtherNonCompliantCount"] == 0
    for node in others:
        assert after[node] == before[node]


def test_a_node_never_scanned_has_no_patch_state(fleet, ssm):
    node = fleet.seed_nodes(1)[0]
    assert states(ssm, [node]) == {}
    assert patches(ssm, node) == []
    assert failure(ssm.describe_instance_patches, InstanceId="mi-0123456789abcdef0")["Code"] == "InvalidInstanceId"


def test_patch_states_take_at_most_fifty_ids_and_page(fleet, ssm):
    nodes = fleet.seed_nodes(25, scan=True)
    error = failure(ssm.describe_instance_patch_states, InstanceIds=nodes * 3)
    assert error["Code"] == "ValidationException" and "less than or equal to 50" in error["Message"]
    first = ssm.describe_instance_patch_states(InstanceIds=nodes, MaxResults=10)
    assert len(first["InstancePatchStates"]) == 10 and first["NextToken"]
    every = all_pages(ssm.describe_instance_patch_states, "InstancePatchStates", InstanceIds=nodes, MaxResults=10)
    assert [state["InstanceId"] for state in every] == nodes


def test_state_record_names_baseline_group_operation_and_times(fleet, ssm):
    group = unique()
    baseline_id = baseline_for(ssm, group, rules=[rule()])
    node = fleet.seed_nodes(1, [group])[0]
    patch(ssm, [node])
    state = states(ssm, [node])[node]
    assert (state["PatchGroup"], state["BaselineId"], state["RebootOption"]) == (group, baseline_id, "RebootIfNeeded")
    assert state["OperationStartTime"] <= state["OperationEndTime"]
    assert state["UnreportedNotApplicableCount"] == 0
    assert "SnapshotId" not in state


def test_no_reboot_install_leaves_patches_pending_until_a_rebooting_install(fleet, ssm):
    node = fleet.seed_nodes(1, scan=True)[0]
    missing = states(ssm, [node])[node]["MissingCount"]
    patch(ssm, [node], "Install", RebootOption="NoReboot")
    pending = states(ssm, [node])[node]
    assert (pending["InstalledPendingRebootCount"], pending["MissingCount"]) == (missing, 0)
    assert pending["RebootOption"] == "NoReboot" and pending["LastNoRebootInstallOperationTime"]
    assert {
        p["State"] for p in patches(ssm, node, Filters=[{"Key": "State", "Values": ["InstalledPendingReboot"]}])
    } == {"INSTALLED_PENDING_REBOOT"}
    patch(ssm, [node], "Install")
    rebooted = states(ssm, [node])[node]
    assert rebooted["InstalledPendingRebootCount"] == 0
    assert rebooted["LastNoRebootInstallOperationTime"] == pending["LastNoRebootInstallOperationTime"]


def test_a_failing_node_reports_a_failed_patch_and_fails_the_command(fleet, ssm):
    node = fleet.seed_nodes(1, scan=True, failing=1)[0]
    command = patch(ssm, [node], "Install")
    assert (command["Status"], command["ErrorCount"]) == ("Failed", 1)
    state = states(ssm, [node])[node]
    assert (state["FailedCount"], state["MissingCount"]) == (1, 0)
    assert [p["State"] for p in patches(ssm, node, Filters=[{"Key": "State", "Values": ["FAILED"]}])] == ["FAILED"]


def test_approve_after_days_and_until_date_decide_what_is_approved(fleet, ssm):
    counts = {}
    for name, rules in {
        "now": [rule(days=0)],
        "late": [rule(days=180)],
        "never": [{"PatchFilterGroup": {"PatchFilters": []}, "ApproveUntilDate": "2000-01-01"}],
    }.items():
        group = unique()
        baseline_for(ssm, group, rules=rules)
        node = fleet.seed_nodes(1, [group])[0]
        patch(ssm, [node])
        counts[name] = states(ssm, [node])[node]
    assert approved(counts["now"]) > approved(counts["late"]) > approved(counts["never"]) == 0
    assert counts["never"]["InstalledOtherCount"] > 0


def test_classification_rules_approve_only_that_classification(fleet, ssm):
    group = unique()
    baseline_for(ssm, group, rules=[rule(CLASSIFICATION=["Security"], SEVERITY=["Critical", "Important"])])
    node = fleet.seed_nodes(1, [group])[0]
    patch(ssm, [node])
    reported = patches(ssm, node, Filters=[{"Key": "State", "Values": ["Missing", "Installed"]}])
    assert reported and {p["Classification"] for p in reported} == {"Security"}
    assert {p["Severity"] for p in reported} <= {"Critical", "Important"}


def test_rejected_patches_block_or_count_as_other(fleet, ssm):
    probe = fleet.seed_nodes(1, scan=True)[0]
    installed = [p["KBId"] for p in patches(ssm, probe, Filters=[{"Key": "State", "Values": ["Installed"]}])]
    missing = [p["KBId"] for p in patches(ssm, probe, Filters=[{"Key": "State", "Values": ["Missing"]}])]
    results = {}
    for action in ("BLOCK", "ALLOW_AS_DEPENDENCY"):
        group = unique()
        baseline_for(
            ssm, group, rules=[rule()], RejectedPatches=[installed[0], missing[0]], RejectedPatchesAction=action
        )
        ssm.add_tags_to_resource(
            ResourceType="ManagedInstance", ResourceId=probe, Tags=[{"Key": "Patch Group", "Value": group}]
        )
        patch(ssm, [probe], "Install")
        results[action] = {p["KBId"]: p["State"] for p in patches(ssm, probe)}
    assert results["BLOCK"][installed[0]] == "INSTALLED_REJECTED"
    assert results["ALLOW_AS_DEPENDENCY"][installed[0]] == "INSTALLED_OTHER"
    assert missing[0] not in results["BLOCK"]  # a rejected patch is never installed, nor reported missing


def test_explicitly_approved_patches_carry_their_compliance_level(fleet, ssm):
    probe = fleet.seed_nodes(1, scan=True)[0]
    missing = [p["KBId"] for p in patches(ssm, probe, Filters=[{"Key": "State", "Values": ["MISSING"]}])]
    group = unique()
    never = {"PatchFilterGroup": {"PatchFilters": []}, "ApproveUntilDate": "2000-01-01"}
    baseline_for(ssm, group, rules=[never], ApprovedPatches=[missing[0]], ApprovedPatchesComplianceLevel="CRITICAL")
    ssm.add_tags_to_resource(
        ResourceType="ManagedInstance", ResourceId=probe, Tags=[{"Key": "Patch Group", "Value": group}]
    )
    patch(ssm, [probe])
    state = states(ssm, [probe])[probe]
    assert (state["MissingCount"], state["CriticalNonCompliantCount"]) == (1, 1)
    assert [p["KBId"] for p in patches(ssm, probe, Filters=[{"Key": "State", "Values": ["Missing"]}])] == [missing[0]]


def test_windows_security_updates_left_unapproved_are_available(fleet, ssm):
    group = unique()
    baseline_for(
        ssm,
        group,
        "WINDOWS",
        rules=[rule(CLASSIFICATION=["CriticalUpdates"])],
        AvailableSecurityUpdatesComplianceStatus="NON_COMPLIANT",
    )
    nodes = fleet.seed_nodes(4, [group], platform="WINDOWS")
    patch(ssm, nodes)
    found = states(ssm, nodes).values()
    assert any(state["AvailableSecurityUpdateCount"] for state in found)
    assert all(state["SecurityNonCompliantCount"] >= state["AvailableSecurityUpdateCount"] for state in found)


def test_a_snapshot_pins_the_baseline_it_was_taken_from(fleet, ssm):
    group = unique()
    baseline_id = baseline_for(ssm, group, rules=[rule()])
    node = fleet.seed_nodes(1, [group])[0]
    snapshot = ssm.get_deployable_patch_snapshot_for_instance(InstanceId=node, SnapshotId=SNAPSHOT)
    assert (snapshot["InstanceId"], snapshot["SnapshotId"], snapshot["Product"]) == (node, SNAPSHOT, "AmazonLinux2")
    assert snapshot["SnapshotDownloadUrl"].startswith("https://")
    ssm.update_patch_baseline(
        BaselineId=baseline_id,
        ApprovalRules={"PatchRules": [{"PatchFilterGroup": {"PatchFilters": []}, "ApproveUntilDate": "2000-01-01"}]},
    )
    patch(ssm, [node], SnapshotId=SNAPSHOT)
    pinned = states(ssm, [node])[node]
    assert pinned["SnapshotId"] == SNAPSHOT and pinned["MissingCount"] > 0
    patch(ssm, [node])
    current = states(ssm, [node])[node]
    assert (approved(current), "SnapshotId" in current) == (0, False)


def test_a_snapshot_is_taken_by_the_first_command_that_names_it(fleet, ssm):
    group = unique()
    baseline_id = baseline_for(ssm, group, rules=[rule()])
    first, second = fleet.seed_nodes(2, [group])
    snapshot_id = "aaaaaaaa-2222-3333-4444-555555555555"
    patch(ssm, [first], SnapshotId=snapshot_id)
    ssm.update_patch_baseline(
        BaselineId=baseline_id,
        ApprovalRules={"PatchRules": [{"PatchFilterGroup": {"PatchFilters": []}, "ApproveUntilDate": "2000-01-01"}]},
    )
    patch(ssm, [second], SnapshotId=snapshot_id)
    assert approved(states(ssm, [second])[second]) > 0


def test_snapshot_for_an_unknown_node_or_other_os_is_refused(fleet, ssm):
    error = failure(
        ssm.get_deployable_patch_snapshot_for_instance, InstanceId="mi-0123456789abcdef0", SnapshotId=SNAPSHOT
    )
    assert error["Code"] == "InvalidInstanceId"
    node = fleet.seed_nodes(1)[0]
    other_os = failure(
        ssm.get_deployable_patch_snapshot_for_instance,
        InstanceId=node,
        SnapshotId=SNAPSHOT,
        BaselineOverride={"OperatingSystem": "WINDOWS"},
    )
    assert other_os["Code"] == "UnsupportedOperatingSystem"


def test_instance_patches_filter_and_page(fleet, ssm):
    node = fleet.seed_nodes(1, scan=True)[0]
    every = patches(ssm, node, MaxResults=10)
    first = ssm.describe_instance_patches(InstanceId=node, MaxResults=10)
    assert len(first["Patches"]) == 10 and first["NextToken"]
    assert len(every) == sum(states(ssm, [node])[node][key] for key in (*APPROVED, "InstalledOtherCount"))
    missing = [p for p in every if p["State"] == "MISSING"]
    assert patches(ssm, node, Filters=[{"Key": "State", "Values": ["Missing"]}]) == missing
    assert all(p["InstalledTime"].year == 1970 for p in missing)
    one = every[0]
    by_id = patches(ssm, node, Filters=[{"Key": "KBId", "Values": [one["KBId"]]}])
    assert by_id == [one]
    security = patches(ssm, node, Filters=[{"Key": "Classification", "Values": ["Security"]}])
    assert security and {p["Classification"] for p in security} == {"Security"}
    assert (
        failure(ssm.describe_instance_patches, InstanceId=node, Filters=[{"Key": "Colour", "Values": ["x"]}])["Code"]
        == "InvalidFilter"
    )


def test_patch_group_states_filter_by_counts(fleet, ssm):
    group = unique()
    nodes = fleet.seed_nodes(6, [group], scan=True)
    patch(ssm, nodes[:2], "Install")
    listed = all_pages(ssm.describe_instance_patch_states_for_patch_group, "InstancePatchStates", PatchGroup=group)
    assert {state["InstanceId"] for state in listed} == set(nodes)
    compliant = ssm.describe_instance_patch_states_for_patch_group(
        PatchGroup=group, Filters=[{"Key": "MissingCount", "Values": ["0"], "Type": "Equal"}]
    )["InstancePatchStates"]
    assert {state["InstanceId"] for state in compliant} == set(nodes[:2])
    behind = ssm.describe_instance_patch_states_for_patch_group(
        PatchGroup=group, Filters=[{"Key": "MissingCount", "Values": ["0"], "Type": "GreaterThan"}]
    )["InstancePatchStates"]
    assert {state["InstanceId"] for state in behind} == set(nodes[2:])
    for bad in (
        {"Key": "Colour", "Values": ["0"], "Type": "Equal"},
        {"Key": "MissingCount", "Values": ["x"], "Type": "Equal"},
    ):
        error = failure(ssm.describe_instance_patch_states_for_patch_group, PatchGroup=group, Filters=[bad])
        assert error["Code"] == "InvalidFilter"


def test_patch_group_state_summarises_its_nodes(fleet, ssm):
    group = unique()
    nodes = fleet.seed_nodes(5, [group], scan=True)
    patch(ssm, nodes[:2], "Install", RebootOption="NoReboot")
    summary = ssm.describe_patch_group_state(PatchGroup=group)
    found = states(ssm, nodes).values()
    assert summary["Instances"] == 5
    assert summary["InstancesWithMissingPatches"] == sum(1 for s in found if s["MissingCount"]) == 3
    assert summary["InstancesWithInstalledPendingRebootPatches"] == 2
    assert summary["InstancesWithInstalledPatches"] == sum(1 for s in found if s["InstalledCount"])
    empty = ssm.describe_patch_group_state(PatchGroup=unique())
    assert empty["Instances"] == 0 and empty["InstancesWithMissingPatches"] == 0


def test_a_node_moving_group_leaves_its_old_group(fleet, ssm):
    old, new = unique(), unique()
    node = fleet.seed_nodes(1, [old], scan=True)[0]
    ssm.add_tags_to_resource(
        ResourceType="ManagedInstance", ResourceId=node, Tags=[{"Key": "Patch Group", "Value": new}]
    )
    patch(ssm, [node])
    assert ssm.describe_patch_group_state(PatchGroup=old)["Instances"] == 0
    assert ssm.describe_patch_group_state(PatchGroup=new)["Instances"] == 1


def test_ten_thousand_nodes_in_twenty_groups_report_compliance():
    service = SSMService()
    state = service.backend.region("ap-southeast-2")
    groups = [f"fleet-{n:02d}" for n in range(20)]
    nodes = seed_managed_nodes(state, 10_000, groups, ["AMAZON_LINUX_2", "WINDOWS", "UBUNTU"])
    scan_nodes(state, nodes)
    seen = 0
    for start in range(0, len(nodes), 50):
        status, page = service.handle(
            "ap-southeast-2", "DescribeInstancePatchStates", {"InstanceIds": nodes[start : start + 50]}
        )
        assert status == 200 and "NextToken" not in page
        seen += len(page["InstancePatchStates"])
    assert seen == 10_000
    status, summary = service.handle("ap-southeast-2", "DescribePatchGroupState", {"PatchGroup": "fleet-13"})
    assert summary["Instances"] == 500
    assert output_problems("DescribePatchGroupState", summary) == []
