"""Node status, AWS compliance status, worst-first order, summaries and drill-down choice
(plugins/module_utils/compliance.py)."""

import datetime

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.compliance import (
    detail_targets,
    group_summaries,
    instance_result,
    is_non_compliant,
    patch_result,
    state_filter,
    status_of,
    summarize,
    unreported_result,
    worst_first,
    worst_patch_first,
)

START = datetime.datetime(2026, 11, 22, 21, 0, 4, tzinfo=datetime.UTC)


def patch_state(instance_id="i-0123456789abcdef0", group="WebServer-Prd", **counts):
    state = {
        "InstanceId": instance_id,
        "PatchGroup": group,
        "BaselineId": "pb-0c10e65780EXAMPLE",
        "InstalledCount": 20,
        "InstalledOtherCount": 10,
        "MissingCount": 0,
        "FailedCount": 0,
        "NotApplicableCount": 3,
        "OperationStartTime": START,
        "OperationEndTime": START + datetime.timedelta(minutes=3),
        "Operation": "Install",
    }
    state.update(counts)
    return state


@pytest.mark.parametrize(
    ("counts", "status", "aws_status"),
    [
        ({}, "compliant", "COMPLIANT"),
        ({"MissingCount": 4, "OtherNonCompliantCount": 4}, "non_compliant", "NON_COMPLIANT"),
        ({"InstalledRejectedCount": 1}, "non_compliant", "NON_COMPLIANT"),
        ({"FailedCount": 1, "MissingCount": 3}, "failed", "NON_COMPLIANT"),
        # AWS: nodes with patches waiting for a reboot are NON_COMPLIANT; the report shows them apart.
        (
            {"InstalledPendingRebootCount": 5, "SecurityNonCompliantCount": 2, "OtherNonCompliantCount": 3},
            "pending_reboot",
            "NON_COMPLIANT",
        ),
        ({"InstalledPendingRebootCount": 2, "MissingCount": 1}, "non_compliant", "NON_COMPLIANT"),
        # An available security update the baseline counts as non-compliant shows only in the categorised counts.
        ({"AvailableSecurityUpdateCount": 1, "SecurityNonCompliantCount": 1}, "non_compliant", "NON_COMPLIANT"),
        (
            {"InstalledPendingRebootCount": 1, "AvailableSecurityUpdateCount": 1, "SecurityNonCompliantCount": 2},
            "non_compliant",
            "NON_COMPLIANT",
        ),
        # Available but not counted as non-compliant by the baseline: still compliant.
        ({"AvailableSecurityUpdateCount": 2}, "compliant", "COMPLIANT"),
    ],
)
def test_status_and_aws_compliance_follow_the_counts(counts, status, aws_status):
    state = patch_state(**counts)
    assert status_of(state) == status
    assert is_non_compliant(state) == (aws_status == "NON_COMPLIANT")
    assert instance_result(state)["compliance_status"] == aws_status


def test_a_node_without_patch_state_is_unreported():
    assert status_of(None) == "unreported"
    result = unreported_result("mi-0123456789abcdef0", "Windows Server 2016 Base")
    assert result["status"] == "unreported"
    assert result["compliance_status"] is None
    assert result["patch_group"] == "Windows Server 2016 Base"
    assert result["missing_count"] == 0 and result["operation"] is None


def test_instance_result_is_snake_case_with_iso_times_and_zero_for_absent_counts():
    result = instance_result(patch_state(MissingCount=2, SnapshotId="9c6f0a4e-56ed-4eb5-9d1c-example"))
    assert result["instance_id"] == "i-0123456789abcdef0"
    assert result["patch_group"] == "WebServer-Prd"
    assert result["snapshot_id"] == "9c6f0a4e-56ed-4eb5-9d1c-example"
    assert result["missing_count"] == 2
    assert result["installed_pending_reboot_count"] == 0  # optional in the API, absent here
    assert result["operation_start_time"] == "2026-11-22T21:00:04+00:00"
    assert result["operation_end_time"] == "2026-11-22T21:03:04+00:00"
    assert "MissingCount" not in result


def test_worst_first_orders_by_status_then_by_how_bad():
    states = [
        patch_state("i-00000000000000001"),
        patch_state("i-00000000000000002", MissingCount=2),
        patch_state("i-00000000000000003", MissingCount=9),
        patch_state("i-00000000000000004", FailedCount=1),
        patch_state("i-00000000000000005", InstalledPendingRebootCount=3),
        patch_state("i-00000000000000006", FailedCount=2),
    ]
    results = [instance_result(state) for state in states] + [unreported_result("i-00000000000000007")]
    ordered = [result["instance_id"][-1] for result in sorted(results, key=worst_first)]
    assert ordered == ["6", "4", "3", "2", "5", "7", "1"]


def test_summaries_count_nodes_per_status_and_patches_per_group():
    results = [
        instance_result(patch_state("i-00000000000000001", "A")),
        instance_result(patch_state("i-00000000000000002", "A", MissingCount=2)),
        instance_result(patch_state("i-00000000000000003", "B", FailedCount=1)),
        instance_result(patch_state("i-00000000000000004", "B", InstalledPendingRebootCount=4)),
        unreported_result("i-00000000000000005", "B"),
        instance_result(patch_state("i-00000000000000006", "")),
    ]
    summary = summarize(results)
    assert summary["instances"] == 6
    assert (summary["compliant"], summary["non_compliant"], summary["failed"]) == (2, 1, 1)
    assert (summary["pending_reboot"], summary["unreported"]) == (1, 1)
    assert summary["aws_non_compliant"] == 3
    assert summary["compliant_percent"] == 40.0  # of the 5 nodes that reported
    assert summary["patches"]["missing_count"] == 2
    assert summary["patches"]["installed_pending_reboot_count"] == 4
    groups = {group["patch_group"]: group for group in group_summaries(results)}
    assert [group["patch_group"] for group in group_summaries(results)] == ["", "A", "B"]
    assert (groups["A"]["instances"], groups["A"]["compliant"], groups["A"]["non_compliant"]) == (2, 1, 1)
    assert (groups["B"]["failed"], groups["B"]["pending_reboot"], groups["B"]["unreported"]) == (1, 1, 1)
    assert groups["B"]["compliant_percent"] == 0.0


def test_a_group_of_unreported_nodes_has_no_compliance_percentage():
    assert summarize([unreported_result("mi-0123456789abcdef0")])["compliant_percent"] is None


def test_drilldown_takes_named_nodes_then_the_worst_with_patches_in_the_states():
    results = sorted(
        [
            instance_result(patch_state("i-00000000000000001")),
            instance_result(patch_state("i-00000000000000002", MissingCount=2)),
            instance_result(patch_state("i-00000000000000003", FailedCount=1)),
            instance_result(patch_state("i-00000000000000004", InstalledPendingRebootCount=4)),
            instance_result(patch_state("i-00000000000000005", MissingCount=1)),
        ],
        key=worst_first,
    )
    ids = ["i-00000000000000001"]
    # Pending-reboot nodes have no missing or failed patch to list; compliant nodes are never "worst".
    assert detail_targets(results, ids, 5, ["MISSING", "FAILED"]) == [
        "i-00000000000000001",
        "i-00000000000000003",
        "i-00000000000000002",
        "i-00000000000000005",
    ]
    assert detail_targets(results, [], 2, ["MISSING", "FAILED"]) == ["i-00000000000000003", "i-00000000000000002"]
    assert detail_targets(results, [], 9, ["INSTALLED_PENDING_REBOOT"]) == ["i-00000000000000004"]
    assert len(detail_targets(results, [], 9, [])) == 4  # every state: every node that is not compliant
    assert detail_targets(results, ["i-00000000000000002"], 0, ["MISSING"]) == ["i-00000000000000002"]


def test_state_filter_uses_the_spelling_the_api_filter_takes():
    assert state_filter(["MISSING", "FAILED", "INSTALLED_PENDING_REBOOT"]) == [
        {"Key": "State", "Values": ["Missing", "Failed", "InstalledPendingReboot"]}
    ]
    assert state_filter([]) == []


def test_patch_result_drops_the_epoch_of_patches_not_installed_and_splits_cves():
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    missing = patch_result(
        {
            "Title": "2026-11 Cumulative Update for Windows Server 2016 (KB5048671)",
            "KBId": "KB5048671",
            "Classification": "SecurityUpdates",
            "Severity": "Critical",
            "State": "MISSING",
            "InstalledTime": epoch,
            "CVEIds": "CVE-2026-21234,CVE-2026-21235",
        }
    )
    assert missing["installed_time"] is None
    assert missing["cve_ids"] == ["CVE-2026-21234", "CVE-2026-21235"]
    assert missing["kb_id"] == "KB5048671" and missing["state"] == "MISSING"
    installed = patch_result({"KBId": "KB1", "State": "INSTALLED", "InstalledTime": START})
    assert installed["installed_time"] == "2026-11-22T21:00:04+00:00"
    assert installed["cve_ids"] == []


def test_a_nodes_patches_list_the_worst_states_first():
    patches = [
        {"kb_id": "KB3", "state": "INSTALLED"},
        {"kb_id": "KB2", "state": "MISSING"},
        {"kb_id": "KB9", "state": "FAILED"},
        {"kb_id": "KB1", "state": "MISSING"},
        {"kb_id": "KB5", "state": "INSTALLED_PENDING_REBOOT"},
    ]
    ordered = [(patch["state"], patch["kb_id"]) for patch in sorted(patches, key=worst_patch_first)]
    assert ordered == [
        ("FAILED", "KB9"),
        ("MISSING", "KB1"),
        ("MISSING", "KB2"),
        ("INSTALLED_PENDING_REBOOT", "KB5"),
        ("INSTALLED", "KB3"),
    ]
