"""The writable fields of a custom patch baseline: their defaults, normalisation and semantic checks.

botocore's model (enforced by validation.py) covers types, enums, lengths and patterns; what is left here
is what the API reference states in prose, e.g. an approval rule needs ApproveAfterDays or ApproveUntilDate.
"""

import copy
import datetime
import re

from .errors import validation_error

# What AWS stores for an optional field the request leaves out (as GetPatchBaseline then shows it).
DEFAULTS = {
    "GlobalFilters": {"PatchFilters": []},
    "ApprovalRules": {"PatchRules": []},
    "ApprovedPatches": [],
    # AWS: CreatePatchBaseline.ApprovedPatchesComplianceLevel
    "ApprovedPatchesComplianceLevel": "UNSPECIFIED",
    # AWS: CreatePatchBaseline.ApprovedPatchesEnableNonSecurity
    "ApprovedPatchesEnableNonSecurity": False,
    "RejectedPatches": [],
    # AWS: CreatePatchBaseline.RejectedPatchesAction
    "RejectedPatchesAction": "ALLOW_AS_DEPENDENCY",
    "Sources": [],
}
# Optional fields that stay absent until given.
WITHOUT_DEFAULT = ("Description", "AvailableSecurityUpdatesComplianceStatus")
WRITABLE = ("Name", *DEFAULTS, *WITHOUT_DEFAULT)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_date(text):
    if not _DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# Approval delays are not supported on these systems, so their rules need neither. # AWS: PatchRule.ApproveAfterDays
NO_APPROVAL_DELAY = ("DEBIAN", "UBUNTU")


def _check_rule(rule, index, operating_system):
    where = f"ApprovalRules.PatchRules.{index + 1}"
    has_days = rule.get("ApproveAfterDays") is not None
    has_date = rule.get("ApproveUntilDate") is not None
    if has_days and has_date:
        raise validation_error(f"{where}: specify either ApproveAfterDays or ApproveUntilDate, not both.")
    # AWS: PatchRule.ApproveUntilDate
    if not has_days and not has_date and operating_system not in NO_APPROVAL_DELAY:
        raise validation_error(f"{where}: a value for either ApproveAfterDays or ApproveUntilDate is required.")
    if has_date:
        text = rule["ApproveUntilDate"]
        if not _is_date(text):
            raise validation_error(f"{where}: ApproveUntilDate {text} is not a date in the format YYYY-MM-DD.")


def _normalised_rules(rule_group, operating_system):
    rules = []
    for index, rule in enumerate(rule_group.get("PatchRules") or []):
        _check_rule(rule, index, operating_system)
        stored = copy.deepcopy(rule)
        # AWS: guide:patch-rule-compliance-level-unspecified
        stored.setdefault("ComplianceLevel", "UNSPECIFIED")
        # AWS: PatchRule.EnableNonSecurity
        stored.setdefault("EnableNonSecurity", False)
        rules.append(stored)
    return {"PatchRules": rules}


def fresh_fields():
    """The optional fields of a baseline created (or replaced) without them."""
    return copy.deepcopy(DEFAULTS)


def apply_fields(baseline, params):
    """Write the writable fields the request carries into the stored baseline."""
    for key in WRITABLE:
        if params.get(key) is None:
            continue
        value = params[key]
        if key == "ApprovalRules":
            baseline[key] = _normalised_rules(value, baseline["OperatingSystem"])
        else:
            baseline[key] = copy.deepcopy(value)
