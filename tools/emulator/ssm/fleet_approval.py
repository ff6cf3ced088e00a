"""Which catalog patches a patch baseline approves, and the state each patch then has on a node.

Follows the Patch Manager user guide ("Patch baseline rules", "Patch compliance state values"): a patch is
approved when it passes every global filter and matches every filter of some approval rule whose
ApproveAfterDays (or ApproveUntilDate) it meets, or when ApprovedPatches names it; RejectedPatches wins over
both. EnableNonSecurity is not modelled: every catalog patch carries an advisory classification.
"""

import datetime
import fnmatch
from typing import NamedTuple

LEVELS = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED")  # most severe first

# Patch state -> the InstancePatchState count it adds to.
COUNTS = {
    "INSTALLED": "InstalledCount",
    "INSTALLED_OTHER": "InstalledOtherCount",
    "INSTALLED_PENDING_REBOOT": "InstalledPendingRebootCount",
    "INSTALLED_REJECTED": "InstalledRejectedCount",
    "MISSING": "MissingCount",
    "FAILED": "FailedCount",
    "NOT_APPLICABLE": "NotApplicableCount",
    "AVAILABLE_SECURITY_UPDATE": "AvailableSecurityUpdateCount",
}
NON_COMPLIANT = ("MISSING", "FAILED", "INSTALLED_PENDING_REBOOT", "INSTALLED_REJECTED")


class Decision(NamedTuple):
    patch: object  # fleet_catalog.Patch
    approved: bool
    rejected: bool
    level: str  # the compliance level a non-compliant patch is reported with


def filter_matches(patch, product, patch_filter):
    key, values = patch_filter["Key"], patch_filter.get("Values") or []
    if "*" in values:
        return True
    actual = patch.attributes.get("PRODUCT", product) if key == "PRODUCT" else patch.attributes.get(key)
    if key == "PATCH_ID":
        actual = patch.patch_id
    if key == "CVE_ID":
        return any(fnmatch.fnmatchcase(cve, value) for cve in patch.cve_ids.split(",") if cve for value in values)
    return actual is not None and any(fnmatch.fnmatchcase(actual, value) for value in values)


def rule_selects(rule, patch, product, windows):
    filters = rule["PatchFilterGroup"]["PatchFilters"]
    # Without a PATCH_SET filter a Windows rule selects operating system patches only.
    if windows and patch.attributes.get("PATCH_SET") == "APPLICATION":
        if not any(patch_filter["Key"] == "PATCH_SET" for patch_filter in filters):
            return False
    return all(filter_matches(patch, product, patch_filter) for patch_filter in filters)


def _released_in_time(rule, patch, day):
    if rule.get("ApproveUntilDate"):
        return patch.released <= datetime.date.fromisoformat(rule["ApproveUntilDate"])
    return patch.released + datetime.timedelta(days=rule.get("ApproveAfterDays") or 0) <= day


def listed_in(patch, entries):
    return any(fnmatch.fnmatchcase(name, entry) for entry in entries for name in patch.names)


def _more_severe(first, second):
    return second if first is None else min(first, second, key=LEVELS.index)


def decide(baseline, operating_system, product, day, patches):
    """One Decision per catalog patch for a baseline, a node's product and the day of the operation."""
    windows = operating_system == "WINDOWS"
    global_filters = (baseline.get("GlobalFilters") or {}).get("PatchFilters") or []
    rules = (baseline.get("ApprovalRules") or {}).get("PatchRules") or []
    approved_names = baseline.get("ApprovedPatches") or []
    rejected_names = baseline.get("RejectedPatches") or []
    decisions = []
    for patch in patches:
        level = None
        if listed_in(patch, approved_names):
            level = baseline.get("ApprovedPatchesComplianceLevel") or "UNSPECIFIED"
        if all(filter_matches(patch, product, patch_filter) for patch_filter in global_filters):
            for rule in rules:
                if rule_selects(rule, patch, product, windows) and _released_in_time(rule, patch, day):
                    level = _more_severe(level, rule.get("ComplianceLevel") or "UNSPECIFIED")
        rejected = listed_in(patch, rejected_names)
        decisions.append(Decision(patch, level is not None and not rejected, rejected, level or "UNSPECIFIED"))
    return decisions


class Entry(NamedTuple):
    """A catalog patch under a baseline: its state for each inventory code, and what that state adds to the counts."""

    patch: object
    level: str
    states: tuple  # inventory code -> patch state, or None when the patch is not reported
    tallies: tuple  # inventory code -> (count field, critical, security, other non-compliant) or None


def _states(decision, windows, block_rejected):
    """The patch state for each inventory code (ABSENT, MISSING, INSTALLED, PENDING_REBOOT, FAILED)."""
    if decision.rejected:
        installed = "INSTALLED_REJECTED" if block_rejected else "INSTALLED_OTHER"  # other: allowed as a dependency
        return (None, None, installed, installed, None)
    if decision.approved:
        return ("NOT_APPLICABLE", "MISSING", "INSTALLED", "INSTALLED_PENDING_REBOOT", "FAILED")
    # AWS: CreatePatchBaseline.AvailableSecurityUpdatesComplianceStatus — Windows only
    available = "AVAILABLE_SECURITY_UPDATE" if windows and decision.patch.security else None
    return (None, available, "INSTALLED_OTHER", "INSTALLED_OTHER", None)


def _tally(state, critical, security, non_compliant):
    if state is None:
        return None
    if state not in non_compliant:
        return (COUNTS[state], 0, 0, 0)
    return (COUNTS[state], critical, security, not critical and not security)


def plan(baseline, operating_system, decisions):
    """The Entry of every catalog patch: evaluating a node is then one lookup per patch."""
    windows = operating_system == "WINDOWS"
    block_rejected = baseline.get("RejectedPatchesAction") == "BLOCK"
    non_compliant = set(NON_COMPLIANT)
    if baseline.get("AvailableSecurityUpdatesComplianceStatus") == "NON_COMPLIANT":
        non_compliant.add("AVAILABLE_SECURITY_UPDATE")
    entries = []
    for decision in decisions:
        states = _states(decision, windows, block_rejected)
        critical, security = decision.level == "CRITICAL", decision.patch.security
        tallies = tuple(_tally(state, critical, security, non_compliant) for state in states)
        entries.append(Entry(decision.patch, decision.level, states, tallies))
    return tuple(entries)


def summary_counts(entries, codes):
    """The InstancePatchState counts of a node whose inventory codes are `codes`."""
    counts = dict.fromkeys(COUNTS.values(), 0)
    critical = security = other = 0
    for entry, code in zip(entries, codes, strict=True):
        tally = entry.tallies[code]
        if tally is not None:
            counts[tally[0]] += 1
            critical += tally[1]
            security += tally[2]
            other += tally[3]
    counts.update(
        UnreportedNotApplicableCount=0,
        CriticalNonCompliantCount=critical,
        SecurityNonCompliantCount=security,
        OtherNonCompliantCount=other,
    )
    return counts


def patch_rows(entries, codes, installed_at):
    """[(patch, state, installed time or None)] for the patches a node reports; installed_at(index, code)."""
    rows = []
    for index, (entry, code) in enumerate(zip(entries, codes, strict=True)):
        state = entry.states[code]
        if state is not None:
            rows.append((entry.patch, state, installed_at(index, code)))
    return rows
