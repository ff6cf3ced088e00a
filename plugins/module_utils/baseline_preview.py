# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which patches a patch baseline approves, evaluated locally from the Patch Manager documentation.

Input: a baseline form (baseline.FORM, AWS's defaults filled) and patches as DescribeAvailablePatches returns them.
Output: one verdict per patch the baseline concerns: APPROVED or PENDING_APPROVAL with the instant of approval,
EXPLICIT_APPROVED or EXPLICIT_REJECTED, and the compliance level. Sources, in the Patch Manager user guide and API
reference: "Patch baseline rules" (PatchRule, PatchFilter), "How security patches are selected", "Package name
formats for approved and rejected patch lists", "Working with patch baselines" (the rejected list overrides).

Nothing here calls AWS; baseline_preview_api.py reads and compares.
"""

from __future__ import annotations

import datetime
import fnmatch

from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline import COMPLIANCE_LEVELS

WILDCARD = "*"
APPROVED, PENDING = "APPROVED", "PENDING_APPROVAL"
EXPLICIT_APPROVED, EXPLICIT_REJECTED = "EXPLICIT_APPROVED", "EXPLICIT_REJECTED"
ONE_DAY = datetime.timedelta(days=1)


def is_windows(operating_system):
    return operating_system == "WINDOWS"


def patch_set(patch):
    """PATCH_SET of a Windows patch: OS for Windows itself, APPLICATION for Microsoft applications (Office, ...).
    The Patch shape has no such member; its ProductFamily tells the two apart."""
    return "OS" if patch.get("ProductFamily") == "Windows" else "APPLICATION"


def property_values(patch, key, windows):
    """The values of a patch property a baseline filter key compares with."""
    if windows:
        by_key = {
            "PATCH_SET": patch_set(patch),
            "PRODUCT": patch.get("Product"),
            "PRODUCT_FAMILY": patch.get("ProductFamily"),
            "CLASSIFICATION": patch.get("Classification"),
            "MSRC_SEVERITY": patch.get("MsrcSeverity"),
            "PATCH_ID": patch.get("KbNumber"),
        }
        return [by_key.get(key)]
    if key == "PATCH_ID":
        return package_names(patch)
    by_key = {"PRODUCT": "Product", "CLASSIFICATION": "Classification", "SEVERITY": "Severity"}
    return [patch.get(by_key.get(key, ""))]


def filter_matches(patch, patch_filter, windows):
    """A filter accepts a patch whose property is one of its values, or every patch with the wildcard.
    (PatchFilter: "The filter values can be exact values for the patch property given as a key, or a wildcard".)"""
    values = patch_filter["values"]
    if WILDCARD in values:
        return True
    return any(value in values for value in property_values(patch, patch_filter["key"], windows) if value)


def rule_selects(rule, patch, windows):
    """A rule selects a patch that passes all of its filters. On Windows a rule without a PATCH_SET filter is taken
    to mean the OS patch set (AWS documents the values OS and APPLICATION, not which one is meant when none is
    given); the comparison with DescribeEffectivePatchesForPatchBaseline reports it if AWS decides otherwise."""
    filters = rule["patch_filters"]
    if windows and not any(patch_filter["key"] == "PATCH_SET" for patch_filter in filters):
        if patch_set(patch) != "OS":
            return False
    return all(filter_matches(patch, patch_filter, windows) for patch_filter in filters)


def approval_instant(rule, released):
    """When a rule approves a patch it selects, or None if it never will.

    ApproveAfterDays: that many days after the release instant (UTC).  # AWS: guide:approve-after-days-instant
    ApproveUntilDate: on release, for patches released up to the end of that day (UTC).
    # AWS: guide:approve-until-date-whole-day
    """
    if rule.get("approve_until_date"):
        until = datetime.datetime.combine(
            datetime.date.fromisoformat(rule["approve_until_date"]), datetime.time(), datetime.UTC
        )
        return released if released < until + ONE_DAY else None
    return released + datetime.timedelta(days=rule.get("approve_after_days") or 0)


# --- approved and rejected patch lists ("Package name formats for approved and rejected patch lists")


def package_names(patch):
    """The yum package name forms a Linux patch answers to (name, name.arch, name-version, ..., epoch forms)."""
    name, arch = patch.get("Name") or "", patch.get("Arch") or ""
    epoch, version, release = str(patch.get("Epoch") or 0), patch.get("Version") or "", patch.get("Release") or ""
    if not name:
        return []
    version_release = f"{version}-{release}"
    return [
        name,
        f"{name}.{arch}",
        f"{name}-{version}",
        f"{name}-{version_release}",
        f"{name}-{version_release}.{arch}",
        version,
        version_release,
        f"{epoch}:{version_release}",
        f"{name}-{epoch}:{version_release}",
        f"{name}-{epoch}:{version_release}.{arch}",
        f"{epoch}:{name}-{version_release}.{arch}",
        f"{name}.{arch}:{epoch}:{version_release}",
    ]


def listed_in(patch, entries, windows, approved_list):
    """Whether a patch list (ApprovedPatches or RejectedPatches) names the patch.

    Windows: Knowledge Base or Security Bulletin ids (KB2032276, MS10-048). Linux (yum): package names in the forms
    above, optionally with a wildcard; the approved list also takes advisory, CVE and Bugzilla ids.
    """
    if not entries:
        return False
    if windows:
        ids = {(patch.get("KbNumber") or "").upper(), (patch.get("MsrcNumber") or "").upper()} - {""}
        return any(entry.upper() in ids for entry in entries)
    names = package_names(patch)
    if any(fnmatch.fnmatchcase(name, entry) for entry in entries for name in names):
        return True
    if approved_list:
        ids = set(patch.get("AdvisoryIds") or []) | set(patch.get("CVEIds") or []) | set(patch.get("BugzillaIds") or [])
        return any(entry in ids for entry in entries)
    return False


# --- evaluation


def most_severe(levels):
    return min(levels, key=COMPLIANCE_LEVELS.index)


def release_instant(patch):
    released = patch.get("ReleaseDate")
    if isinstance(released, (int, float)):
        released = datetime.datetime.fromtimestamp(released, datetime.UTC)
    if released is not None and released.tzinfo is None:
        released = released.replace(tzinfo=datetime.UTC)
    return released


def verdict(form, patch, as_of):
    """(status, approval instant or None, compliance level, what decided it) of one patch, or None when the baseline
    does not concern it (no rule selects it and no list names it)."""
    windows = is_windows(form["operating_system"])
    # AWS: guide:rejected-list-overrides
    if listed_in(patch, form["rejected_patches"], windows, approved_list=False):
        return EXPLICIT_REJECTED, None, "UNSPECIFIED", "rejected_patches"
    levels, approved_by = [], None
    if listed_in(patch, form["approved_patches"], windows, approved_list=True):
        levels.append(form["approved_patches_compliance_level"])
        approved_by = "approved_patches"
    released = release_instant(patch)
    first = None  # (instant, rule index, level) of the rule that approves the patch first
    global_ok = all(filter_matches(patch, patch_filter, windows) for patch_filter in form["global_filters"])
    for index, rule in enumerate(form["approval_rules"] if global_ok and released else []):
        if not rule_selects(rule, patch, windows):
            continue
        instant = approval_instant(rule, released)
        if instant is None:
            continue
        if instant <= as_of:
            levels.append(rule["compliance_level"])  # AWS: PatchRule.ComplianceLevel
        if first is None or instant < first[0]:
            first = (instant, index, rule["compliance_level"])
    if approved_by:
        # Approved several ways, a patch is reported at the most severe of their levels.
        return EXPLICIT_APPROVED, None, most_severe(levels), approved_by
    if first is None:
        return None
    instant, index, level = first
    if instant <= as_of:
        return APPROVED, instant, most_severe(levels), f"approval_rules[{index}]"
    return PENDING, instant, level, f"approval_rules[{index}]"


def evaluate(form, patches, as_of):
    """[(patch, verdict)] of the patches the baseline concerns, as of the instant `as_of` (aware, UTC)."""
    found = []
    for patch in patches:
        decided = verdict(form, patch, as_of)
        if decided is not None:
            found.append((patch, decided))
    return found


def non_security_notes(form):
    """What the listing cannot show: EnableNonSecurity adds packages outside update notices, which no API lists
    before a scan (Linux only).  # AWS: guide:update-notice-packages-security"""
    if is_windows(form["operating_system"]):
        return []
    notes = [
        f"approval_rules[{index}] also approves non-security updates (packages in no update notice), which "
        "DescribeAvailablePatches does not list; a Scan reports them"
        for index, rule in enumerate(form["approval_rules"])
        if rule.get("enable_non_security")
    ]
    if form.get("approved_patches_enable_non_security"):
        notes.append(
            "approved_patches_enable_non_security: the approved patches also take non-security updates of the named "
            "packages, which DescribeAvailablePatches does not list"
        )
    return notes


def installed_as_dependency(form):
    """Whether a rejected patch may still be installed as another package's dependency: ALLOW_AS_DEPENDENCY, on
    Linux only (Windows has no package dependencies).
    # AWS: BaselineOverride.RejectedPatchesAction, UpdatePatchBaseline.RejectedPatchesAction"""
    return form["rejected_patches_action"] == "ALLOW_AS_DEPENDENCY" and not is_windows(form["operating_system"])
