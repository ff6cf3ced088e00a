# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Patch compliance of managed nodes: one status per node, worst-first order and per-group summaries.

AWS (API reference, InstancePatchState and DescribePatchGroupState) reports a node NON_COMPLIANT when a patch
is missing, failed to install, is installed but rejected, or is installed and waiting for a reboot; the
Critical/Security/Other non-compliant counts add up every such patch (including available security updates
when the baseline counts them). A report needs finer statuses: `failed`, `non_compliant` (missing or
rejected patches), `pending_reboot` (nothing wrong but the reboot), `compliant`, and `unreported` for nodes
that never sent a patch state.
"""

from __future__ import annotations

import datetime

# Worst first: the order of the report's table and of its chart.
STATUSES = ("failed", "non_compliant", "pending_reboot", "unreported", "compliant")

# InstancePatchState count -> the name this collection returns it under.
COUNT_FIELDS = {
    "InstalledCount": "installed_count",
    "InstalledOtherCount": "installed_other_count",
    "InstalledPendingRebootCount": "installed_pending_reboot_count",
    "InstalledRejectedCount": "installed_rejected_count",
    "MissingCount": "missing_count",
    "FailedCount": "failed_count",
    "NotApplicableCount": "not_applicable_count",
    "UnreportedNotApplicableCount": "unreported_not_applicable_count",
    "AvailableSecurityUpdateCount": "available_security_update_count",
    "CriticalNonCompliantCount": "critical_non_compliant_count",
    "SecurityNonCompliantCount": "security_non_compliant_count",
    "OtherNonCompliantCount": "other_non_compliant_count",
}
OTHER_FIELDS = {
    "InstanceId": "instance_id",
    "PatchGroup": "patch_group",
    "BaselineId": "baseline_id",
    "SnapshotId": "snapshot_id",
    "InstallOverrideList": "install_override_list",
    "Operation": "operation",
    "OperationStartTime": "operation_start_time",
    "OperationEndTime": "operation_end_time",
    "RebootOption": "reboot_option",
    "LastNoRebootInstallOperationTime": "last_no_reboot_install_operation_time",
}
# Patch counts a summary adds up over its nodes.
SUMMED_COUNTS = (
    "installed_count",
    "installed_other_count",
    "installed_pending_reboot_count",
    "installed_rejected_count",
    "missing_count",
    "failed_count",
    "not_applicable_count",
)

# PatchComplianceDataState values (what DescribeInstancePatches returns) -> the spelling its State filter takes.
PATCH_STATES = {
    "INSTALLED": "Installed",
    "INSTALLED_OTHER": "InstalledOther",
    "INSTALLED_PENDING_REBOOT": "InstalledPendingReboot",
    "INSTALLED_REJECTED": "InstalledRejected",
    "MISSING": "Missing",
    "FAILED": "Failed",
    "NOT_APPLICABLE": "NotApplicable",
    "AVAILABLE_SECURITY_UPDATE": "AvailableSecurityUpdate",
}

# Patch states, worst first: the order of a node's patch list.
PATCH_ORDER = (
    "FAILED",
    "MISSING",
    "INSTALLED_REJECTED",
    "INSTALLED_PENDING_REBOOT",
    "AVAILABLE_SECURITY_UPDATE",
    "INSTALLED",
    "INSTALLED_OTHER",
    "NOT_APPLICABLE",
)


def _count(state, field):
    return state.get(field) or 0


def is_non_compliant(state):
    """Whether AWS reports this InstancePatchState as NON_COMPLIANT."""
    direct = sum(
        _count(state, field)
        for field in ("MissingCount", "FailedCount", "InstalledRejectedCount", "InstalledPendingRebootCount")
    )
    return direct > 0 or _categorised_non_compliant(state) > 0


def _categorised_non_compliant(state):
    fields = ("CriticalNonCompliantCount", "SecurityNonCompliantCount", "OtherNonCompliantCount")
    return sum(_count(state, field) for field in fields)


def status_of(state):
    """The report status of a node from its InstancePatchState (API field names); None means unreported."""
    if state is None:
        return "unreported"
    if _count(state, "FailedCount") > 0:
        return "failed"
    if _count(state, "MissingCount") > 0 or _count(state, "InstalledRejectedCount") > 0:
        return "non_compliant"
    pending = _count(state, "InstalledPendingRebootCount")
    # Non-compliant patches beyond the pending ones (e.g. available security updates the baseline counts).
    if _categorised_non_compliant(state) > pending:
        return "non_compliant"
    return "pending_reboot" if pending > 0 else "compliant"


def _iso(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def instance_result(state):
    """A node's patch state in snake_case with its status; times as ISO 8601 text."""
    result = {name: _iso(state.get(field)) for field, name in OTHER_FIELDS.items()}
    result.update({name: _count(state, field) for field, name in COUNT_FIELDS.items()})
    result["compliance_status"] = "NON_COMPLIANT" if is_non_compliant(state) else "COMPLIANT"
    result["status"] = status_of(state)
    return result


def unreported_result(instance_id, patch_group=""):
    """A node chosen for the report that has no patch state (never scanned, or not a managed node)."""
    result = dict.fromkeys(OTHER_FIELDS.values())
    result.update(dict.fromkeys(COUNT_FIELDS.values(), 0))
    result.update(instance_id=instance_id, patch_group=patch_group, compliance_status=None, status="unreported")
    return result


def worst_first(instance):
    """Sort key: status (worst first), then more failed, missing, critical and pending patches, then the id."""
    return (
        STATUSES.index(instance["status"]),
        -instance["failed_count"],
        -instance["missing_count"],
        -instance["installed_rejected_count"],
        -instance["critical_non_compliant_count"],
        -instance["security_non_compliant_count"],
        -instance["installed_pending_reboot_count"],
        instance["instance_id"],
    )


def summarize(instances):
    """Counts of nodes per status and of patches per state over `instances` (results of instance_result)."""
    summary = {"instances": len(instances)}
    summary.update(dict.fromkeys(STATUSES, 0))
    summary["aws_non_compliant"] = 0
    summary["patches"] = dict.fromkeys(SUMMED_COUNTS, 0)
    for instance in instances:
        summary[instance["status"]] += 1
        if instance["compliance_status"] == "NON_COMPLIANT":
            summary["aws_non_compliant"] += 1
        for name in SUMMED_COUNTS:
            summary["patches"][name] += instance[name]
    reported = summary["instances"] - summary["unreported"]
    summary["compliant_percent"] = round(100.0 * summary["compliant"] / reported, 1) if reported else None
    return summary


def group_summaries(instances):
    """One summary per patch group (sorted by name; '' is the group of untagged nodes)."""
    groups = {}
    for instance in instances:
        groups.setdefault(instance["patch_group"] or "", []).append(instance)
    return [dict(patch_group=name, **summarize(members)) for name, members in sorted(groups.items())]


def patch_result(patch):
    """A DescribeInstancePatches entry in snake_case; InstalledTime as ISO 8601, None for a patch not installed."""
    installed = patch.get("InstalledTime")
    if isinstance(installed, datetime.datetime) and installed.timestamp() <= 0:
        installed = None  # AWS reports the epoch for patches that are not installed
    return {
        "title": patch.get("Title"),
        "kb_id": patch.get("KBId"),
        "classification": patch.get("Classification"),
        "severity": patch.get("Severity"),
        "state": patch.get("State"),
        "installed_time": _iso(installed),
        "cve_ids": [cve for cve in (patch.get("CVEIds") or "").split(",") if cve],
    }


# PatchComplianceDataState -> the InstancePatchState count of patches in that state (in this module's names).
STATE_COUNTS = {
    "INSTALLED": "installed_count",
    "INSTALLED_OTHER": "installed_other_count",
    "INSTALLED_PENDING_REBOOT": "installed_pending_reboot_count",
    "INSTALLED_REJECTED": "installed_rejected_count",
    "MISSING": "missing_count",
    "FAILED": "failed_count",
    "NOT_APPLICABLE": "not_applicable_count",
    "AVAILABLE_SECURITY_UPDATE": "available_security_update_count",
}
NOT_COMPLIANT = ("failed", "non_compliant", "pending_reboot")


def worst_patch_first(patch):
    """Sort key of patch_result entries: by state, worst first, then by KB id."""
    state = patch["state"]
    return (PATCH_ORDER.index(state) if state in PATCH_ORDER else len(PATCH_ORDER), patch["kb_id"] or "")


def detail_targets(instances, instance_ids, worst, states):
    """Ids of the nodes whose patch list is read: those named, then the `worst` worst nodes that are not compliant
    and have patches in `states` (any state when empty) - reading the others would list nothing.

    `instances` must already be sorted worst first.
    """
    chosen = list(dict.fromkeys(instance_ids or []))
    counts = [STATE_COUNTS[state] for state in states] if states else list(STATE_COUNTS.values())
    if worst:
        candidates = [
            instance["instance_id"]
            for instance in instances
            if instance["status"] in NOT_COMPLIANT and any(instance[count] > 0 for count in counts)
        ]
        chosen += [instance_id for instance_id in candidates if instance_id not in chosen][:worst]
    return chosen


def state_filter(states):
    """The DescribeInstancePatches Filters selecting patches in `states` (PatchComplianceDataState values)."""
    if not states:
        return []
    return [{"Key": "State", "Values": [PATCH_STATES[state] for state in states]}]
