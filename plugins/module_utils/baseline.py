# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Patch baselines: the field table, and the normalised form derived from it (from AWS or from module options,
compared, sent, returned). The resource the driver runs is baseline_resource.Baseline.

The form is the module's option shape in snake_case (approval rules carry `patch_filters` directly).
AWS fills defaults it was not sent (compliance UNSPECIFIED, non-security off, ALLOW_AS_DEPENDENCY), so
both sides get them before comparing; lists AWS treats as sets are compared as sets, approval rules in order.
"""

from __future__ import annotations

from ansible_collections.patchmodel.ssm.plugins.module_utils.fields import (
    SEND_ALWAYS,
    SEND_UNLESS_DEFAULT,
    STRINGS,
    Field,
    Filled,
    Form,
    Records,
    Wrapped,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.patch_filters import OPERATING_SYSTEMS

RESOURCE_TYPE = "PatchBaseline"
AWS_NAME_PREFIX = "AWS-"
COMPLIANCE_LEVELS = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED"]
# AWS documents approval delays as unsupported here; a delay of 0 means the same as none.
NO_APPROVAL_DELAY = ("DEBIAN", "UBUNTU")  # AWS: PatchRule.ApproveAfterDays


class BaselineForm(Form):
    """The table, with the comparison that depends on the operating system: where approval delays are not
    supported (NO_APPROVAL_DELAY), a rule's delay of 0 is the same as none (fact PatchRule.ApproveAfterDays)."""

    def canonical(self, form):
        form = self.with_defaults(form)
        if form["operating_system"] in NO_APPROVAL_DELAY:
            rules = [
                dict(rule, approve_after_days=None) if rule.get("approve_after_days") == 0 else rule
                for rule in form["approval_rules"]
            ]
            form = dict(form, approval_rules=rules)
        return super().canonical(form)


def _defaulted(option, api, filled, **spec):
    """A field AWS fills with `filled` when it is not sent: requests leave it out at that value."""
    return Field(option, api, filled=filled, send=SEND_UNLESS_DEFAULT, **spec)


# A filter group takes each key once, and AWS keeps its filters and their values as sets.
PATCH_FILTERS = Wrapped(
    "PatchFilters",
    Records(
        Field("key", "Key", send=SEND_ALWAYS, required=True, no_log=False),
        Field("values", "Values", STRINGS, send=SEND_ALWAYS, required=True),
        ordered=False,
    ),
)
# UpdatePatchBaseline with Replace=true sets what it is not sent to null, so the request always carries the whole
# baseline; fields at AWS's default are left out, as both calls then apply it.  # AWS: UpdatePatchBaseline.Replace
FORM = BaselineForm(
    Field("name", "Name"),
    # UpdatePatchBaseline takes no OperatingSystem: it is chosen once, at creation.
    # AWS: shape:UpdatePatchBaseline.OperatingSystem, CreatePatchBaseline.OperatingSystem
    Field("operating_system", "OperatingSystem", update=False, choices=list(OPERATING_SYSTEMS)),
    Field("description", "Description", clear=""),
    Field(
        "approval_rules",
        "ApprovalRules",
        Wrapped(
            "PatchRules",
            Records(
                Field("patch_filters", "PatchFilterGroup", PATCH_FILTERS, send=SEND_ALWAYS, required=True),
                Field("approve_after_days", "ApproveAfterDays", type="int"),
                Field("approve_until_date", "ApproveUntilDate"),
                Field(
                    "compliance_level",
                    "ComplianceLevel",
                    filled=Filled("UNSPECIFIED", "guide:patch-rule-compliance-level-unspecified"),
                    send=SEND_ALWAYS,
                    choices=COMPLIANCE_LEVELS,
                    default="UNSPECIFIED",
                ),
                _defaulted(
                    "enable_non_security",
                    "EnableNonSecurity",
                    Filled(False, "PatchRule.EnableNonSecurity"),
                    type="bool",
                    default=False,
                ),
            ),
        ),
        blank=[],
        mutually_exclusive=[("approve_after_days", "approve_until_date")],
    ),
    Field("global_filters", "GlobalFilters", PATCH_FILTERS, blank=[]),
    Field("approved_patches", "ApprovedPatches", STRINGS, blank=[]),
    _defaulted(
        "approved_patches_compliance_level",
        "ApprovedPatchesComplianceLevel",
        Filled("UNSPECIFIED", "CreatePatchBaseline.ApprovedPatchesComplianceLevel"),
        choices=COMPLIANCE_LEVELS,
    ),
    _defaulted(
        "approved_patches_enable_non_security",
        "ApprovedPatchesEnableNonSecurity",
        Filled(False, "CreatePatchBaseline.ApprovedPatchesEnableNonSecurity"),
        type="bool",
    ),
    Field("rejected_patches", "RejectedPatches", STRINGS, blank=[]),
    _defaulted(
        "rejected_patches_action",
        "RejectedPatchesAction",
        Filled("ALLOW_AS_DEPENDENCY", "CreatePatchBaseline.RejectedPatchesAction"),
        choices=["ALLOW_AS_DEPENDENCY", "BLOCK"],
    ),
    Field(
        "sources",
        "Sources",
        Records(
            Field("name", "Name", send=SEND_ALWAYS, required=True),
            Field("products", "Products", STRINGS, send=SEND_ALWAYS, required=True),
            Field("configuration", "Configuration", sensitive=True, send=SEND_ALWAYS, required=True),
            ordered=False,
        ),
        blank=[],
    ),
    Field(
        "available_security_updates_compliance_status",
        "AvailableSecurityUpdatesComplianceStatus",
        choices=["COMPLIANT", "NON_COMPLIANT"],
    ),
)


def is_aws_owned(baseline_id=None, name=None):
    """AWS-owned (predefined) baselines are addressed by ARN and named AWS-…; they cannot be changed."""
    return bool(baseline_id and baseline_id.startswith("arn:")) or bool(name and name.startswith(AWS_NAME_PREFIX))


def same_baseline(first_id, second_id):
    """AWS answers with an ARN or a bare pb- id for the same AWS-owned baseline: compare the id part."""
    if not first_id or not second_id:
        return False
    return first_id.rsplit("/", 1)[-1] == second_id.rsplit("/", 1)[-1]


# --- results


def _timestamp(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def to_result(form, baseline_id=None, patch_groups=(), default_baseline=False, tags=None, api=None):
    """The baseline as the modules return it: the form plus identity, registrations, tags and dates."""
    result = {"baseline_id": baseline_id, **FORM.with_defaults(form)}
    result["patch_groups"] = sorted(patch_groups)
    result["default_baseline"] = bool(default_baseline)
    result["tags"] = dict(tags or {})
    result["owner"] = "AWS" if is_aws_owned(baseline_id, form.get("name")) else "Self"
    api = api or {}
    result["created_date"] = _timestamp(api.get("CreatedDate"))
    result["modified_date"] = _timestamp(api.get("ModifiedDate"))
    return result


def diff_view(result):
    """What --diff shows: the result without timestamps (churn); the module masks source configurations."""
    if not result:
        return {}
    return {key: value for key, value in result.items() if key not in ("created_date", "modified_date")}
