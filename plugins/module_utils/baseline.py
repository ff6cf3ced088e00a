# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Patch baselines in one normalised form: from AWS or from module options, compared, sent, returned.

The form is the module's option shape in snake_case (approval rules carry `patch_filters` directly).
AWS fills defaults it was not sent (compliance UNSPECIFIED, non-security off, ALLOW_AS_DEPENDENCY), so
both sides get them before comparing; lists AWS treats as sets are compared as sets, approval rules in order.
"""

from __future__ import annotations

RESOURCE_TYPE = "PatchBaseline"
AWS_NAME_PREFIX = "AWS-"

# What AWS reports for a field it was not sent.
TOP_LEVEL_DEFAULTS = {
    "description": None,
    "approval_rules": [],
    "global_filters": [],
    "approved_patches": [],
    "approved_patches_compliance_level": "UNSPECIFIED",
    "approved_patches_enable_non_security": False,
    "rejected_patches": [],
    "rejected_patches_action": "ALLOW_AS_DEPENDENCY",
    "sources": [],
    "available_security_updates_compliance_status": None,
}
RULE_DEFAULTS = {"compliance_level": "UNSPECIFIED", "enable_non_security": False}
FIELDS = ("name", "operating_system", *TOP_LEVEL_DEFAULTS)
# AWS documents approval delays as unsupported here; a delay of 0 means the same as none.
NO_APPROVAL_DELAY = ("DEBIAN", "UBUNTU")


def is_aws_owned(baseline_id=None, name=None):
    """AWS-owned (predefined) baselines are addressed by ARN and named AWS-…; they cannot be changed."""
    return bool(baseline_id and baseline_id.startswith("arn:")) or bool(name and name.startswith(AWS_NAME_PREFIX))


def same_baseline(first_id, second_id):
    """AWS answers with an ARN or a bare pb- id for the same AWS-owned baseline: compare the id part."""
    if not first_id or not second_id:
        return False
    return first_id.rsplit("/", 1)[-1] == second_id.rsplit("/", 1)[-1]


# --- AWS -> form


def _filters_from_api(group):
    return [{"key": f["Key"], "values": list(f.get("Values") or [])} for f in (group or {}).get("PatchFilters") or []]


def _rule_from_api(rule):
    return {
        "patch_filters": _filters_from_api(rule.get("PatchFilterGroup")),
        "approve_after_days": rule.get("ApproveAfterDays"),
        "approve_until_date": rule.get("ApproveUntilDate"),
        "compliance_level": rule.get("ComplianceLevel") or RULE_DEFAULTS["compliance_level"],
        "enable_non_security": bool(rule.get("EnableNonSecurity", False)),
    }


def from_api(baseline):
    """The form of a GetPatchBaseline response, AWS's defaults filled in."""
    form = {
        "name": baseline.get("Name"),
        "operating_system": baseline.get("OperatingSystem"),
        "description": baseline.get("Description"),
        "approval_rules": [
            _rule_from_api(rule) for rule in (baseline.get("ApprovalRules") or {}).get("PatchRules") or []
        ],
        "global_filters": _filters_from_api(baseline.get("GlobalFilters")),
        "approved_patches": list(baseline.get("ApprovedPatches") or []),
        "approved_patches_compliance_level": baseline.get("ApprovedPatchesComplianceLevel"),
        "approved_patches_enable_non_security": baseline.get("ApprovedPatchesEnableNonSecurity"),
        "rejected_patches": list(baseline.get("RejectedPatches") or []),
        "rejected_patches_action": baseline.get("RejectedPatchesAction"),
        "sources": [
            {"name": s["Name"], "products": list(s.get("Products") or []), "configuration": s.get("Configuration")}
            for s in baseline.get("Sources") or []
        ],
        "available_security_updates_compliance_status": baseline.get("AvailableSecurityUpdatesComplianceStatus"),
    }
    return with_defaults(form)


# --- options -> form


def _filters_from_options(filters):
    if filters is None:
        return None
    return [{"key": f.get("key"), "values": list(f.get("values") or [])} for f in filters]


def _rule_from_options(rule):
    result = {key: rule.get(key) for key in ("approve_after_days", "approve_until_date")}
    result["patch_filters"] = _filters_from_options(rule.get("patch_filters")) or []
    for key, default in RULE_DEFAULTS.items():
        result[key] = default if rule.get(key) is None else rule[key]
    return result


def from_options(params):
    """The form of the module's options; None where the user left a field alone."""
    form = {field: params.get(field) for field in FIELDS}
    if form["approval_rules"] is not None:
        form["approval_rules"] = [_rule_from_options(rule) for rule in form["approval_rules"]]
    form["global_filters"] = _filters_from_options(form["global_filters"])
    if form["sources"] is not None:
        form["sources"] = [
            {"name": s.get("name"), "products": list(s.get("products") or []), "configuration": s.get("configuration")}
            for s in form["sources"]
        ]
    return form


def with_defaults(form):
    """The form with AWS's value for every field left unset (the baseline as AWS would report it)."""
    result = dict(form)
    for field, default in TOP_LEVEL_DEFAULTS.items():
        if result.get(field) is None:
            result[field] = list(default) if isinstance(default, list) else default
    return result


def merge(current, options):
    """Desired state for an update: each option the user set, the current value for every other field.

    UpdatePatchBaseline with Replace resets whatever it is not sent, so unset options must carry the
    current value. An empty description means 'remove it' (AWS rejects empty descriptions).
    """
    result = {field: current.get(field) if options.get(field) is None else options[field] for field in FIELDS}
    if options.get("description") == "":
        result["description"] = None
    return with_defaults(result)


# --- comparison


def _canonical_filters(filters):
    return sorted((f["key"], tuple(sorted(set(f["values"])))) for f in filters or [])


def _canonical_rule(rule, operating_system):
    after_days = rule.get("approve_after_days")
    if operating_system in NO_APPROVAL_DELAY and after_days == 0:
        after_days = None
    return (
        _canonical_filters(rule.get("patch_filters")),
        after_days,
        rule.get("approve_until_date"),
        rule.get("compliance_level") or RULE_DEFAULTS["compliance_level"],
        bool(rule.get("enable_non_security")),
    )


def canonical(form):
    """A comparable value: sets where AWS keeps sets (filter values, patch lists, sources), rules in order."""
    form = with_defaults(form)
    operating_system = form["operating_system"]
    return {
        "name": form["name"],
        "operating_system": operating_system,
        "description": form["description"],
        "approval_rules": [_canonical_rule(rule, operating_system) for rule in form["approval_rules"]],
        "global_filters": _canonical_filters(form["global_filters"]),
        "approved_patches": sorted(set(form["approved_patches"])),
        "approved_patches_compliance_level": form["approved_patches_compliance_level"],
        "approved_patches_enable_non_security": bool(form["approved_patches_enable_non_security"]),
        "rejected_patches": sorted(set(form["rejected_patches"])),
        "rejected_patches_action": form["rejected_patches_action"],
        "sources": sorted((s["name"], tuple(sorted(set(s["products"]))), s["configuration"]) for s in form["sources"]),
        "available_security_updates_compliance_status": form["available_security_updates_compliance_status"],
    }


def changed_fields(current, desired):
    """Names of the fields whose values differ once normalised."""
    before, after = canonical(current), canonical(desired)
    return [field for field in before if before[field] != after[field]]


# --- form -> AWS


def _filters_to_api(filters):
    return {"PatchFilters": [{"Key": f["key"], "Values": list(f["values"])} for f in filters or []]}


def _rule_to_api(rule):
    request = {
        "PatchFilterGroup": _filters_to_api(rule.get("patch_filters")),
        "ComplianceLevel": rule.get("compliance_level") or RULE_DEFAULTS["compliance_level"],
    }
    if rule.get("approve_after_days") is not None:
        request["ApproveAfterDays"] = rule["approve_after_days"]
    if rule.get("approve_until_date") is not None:
        request["ApproveUntilDate"] = rule["approve_until_date"]
    if rule.get("enable_non_security"):
        request["EnableNonSecurity"] = True
    return request


def to_request(form, include_operating_system):
    """CreatePatchBaseline / UpdatePatchBaseline(Replace) parameters for the whole form.

    Fields at AWS's default are left out: both calls then apply that default, and systems where a
    field does not apply (non-security updates, sources on Windows) are never sent it.
    """
    form = with_defaults(form)
    request = {"Name": form["name"]}
    if include_operating_system:
        request["OperatingSystem"] = form["operating_system"]
    if form["description"]:
        request["Description"] = form["description"]
    if form["approval_rules"]:
        request["ApprovalRules"] = {"PatchRules": [_rule_to_api(rule) for rule in form["approval_rules"]]}
    if form["global_filters"]:
        request["GlobalFilters"] = _filters_to_api(form["global_filters"])
    for field, api_name in (("approved_patches", "ApprovedPatches"), ("rejected_patches", "RejectedPatches")):
        if form[field]:
            request[api_name] = list(form[field])
    for field, api_name in (
        ("approved_patches_compliance_level", "ApprovedPatchesComplianceLevel"),
        ("approved_patches_enable_non_security", "ApprovedPatchesEnableNonSecurity"),
        ("rejected_patches_action", "RejectedPatchesAction"),
        ("available_security_updates_compliance_status", "AvailableSecurityUpdatesComplianceStatus"),
    ):
        if form[field] != TOP_LEVEL_DEFAULTS[field]:
            request[api_name] = form[field]
    if form["sources"]:
        request["Sources"] = [
            {"Name": s["name"], "Products": list(s["products"]), "Configuration": s["configuration"]}
            for s in form["sources"]
        ]
    return request


# --- results


def _timestamp(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def to_result(form, baseline_id=None, patch_groups=(), default_baseline=False, tags=None, api=None):
    """The baseline as the modules return it: the form plus identity, registrations, tags and dates."""
    result = {"baseline_id": baseline_id, **with_defaults(form)}
    result["approval_rules"] = [{**RULE_DEFAULTS, **rule} for rule in result["approval_rules"]]
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
