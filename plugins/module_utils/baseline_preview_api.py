# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ssm_baseline_preview_info: its options and their checks, the reads (the baseline, DescribeAvailablePatches,
DescribeEffectivePatchesForPatchBaseline) and the result. The evaluation itself is baseline_preview.py."""

from __future__ import annotations

import datetime

from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline import FORM
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_api import find_by_name, get_baseline
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_preview import (
    APPROVED,
    EXPLICIT_APPROVED,
    EXPLICIT_REJECTED,
    PENDING,
    WILDCARD,
    evaluate,
    installed_as_dependency,
    is_windows,
    non_security_notes,
    release_instant,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_validation import (
    identity_problems,
    semantic_problems,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import problem, required, unreported
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import paginate

# The options of a baseline not yet created: ssm_patch_baseline's, for what decides approvals.
DEFINITION = (
    "operating_system",
    "approval_rules",
    "global_filters",
    "approved_patches",
    "approved_patches_compliance_level",
    "approved_patches_enable_non_security",
    "rejected_patches",
    "rejected_patches_action",
)
# AWS: DescribeAvailablePatches — it lists the patches of these systems only
LISTED_SYSTEMS = ("WINDOWS", "AMAZON_LINUX", "AMAZON_LINUX_2")
# AWS: DescribeAvailablePatches.Filters — the keys it searches Windows patches by
WINDOWS_SEARCH_KEYS = ("PATCH_SET", "PRODUCT", "PRODUCT_FAMILY", "MSRC_SEVERITY", "CLASSIFICATION", "PATCH_ID")
MAX_FILTERS = 5  # botocore: PatchOrchestratorFilterList max


def argument_spec():
    spec = {option: FORM[option].argument_spec() for option in DEFINITION}
    spec.update(
        name=dict(type="str"),
        baseline_id=dict(type="str"),
        product=dict(type="str"),
        as_of=dict(type="str"),
    )
    return spec


def parse_as_of(text):
    """The instant the preview is for: an ISO 8601 date (its 00:00 UTC) or date and time (UTC unless it says)."""
    if text is None:
        return datetime.datetime.now(datetime.UTC)
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            return datetime.datetime.combine(day, datetime.time(), datetime.UTC)
        instant = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.tzinfo else instant.replace(tzinfo=datetime.UTC)


def definition_set(params):
    return [option for option in DEFINITION if params.get(option) is not None]


def option_problems(checker, params):
    """Every problem of the options alone, before any call."""
    problems = identity_problems(checker, params["name"], params["baseline_id"])
    existing = params["name"] is not None or params["baseline_id"] is not None
    given = definition_set(params)
    if existing and given:
        problems.append(
            problem(
                given[0],
                f"previews an existing baseline (name or baseline_id) or a definition ({', '.join(DEFINITION)}), "
                f"not both; got {', '.join(given)} with {'name' if params['name'] else 'baseline_id'}",
            )
        )
    elif not existing:
        problems += definition_problems(checker, params)
    if params["as_of"] is not None and parse_as_of(params["as_of"]) is None:
        problems.append(problem("as_of", f"'{params['as_of']}' is not an ISO 8601 date (2025-11-16) or date and time"))
    if params["product"] is not None:
        problems += checker.shape_problems("PatchOrchestratorFilterValue", params["product"], "product")
    return problems


def definition_problems(checker, params):
    operating_system = params["operating_system"]
    if operating_system is None:
        return [
            required(
                "operating_system",
                " to preview a baseline not yet created (or give the name or baseline_id of an existing one)",
            )
        ]
    problems = system_problems(operating_system, params["product"])
    options = FORM.from_options(params)
    problems += semantic_problems(options, operating_system)
    problems += unreported(FORM.problems(checker, "CreatePatchBaseline", FORM.with_defaults(options)), problems)
    return problems


def system_problems(operating_system, product):
    """What DescribeAvailablePatches cannot answer for the operating system (and product)."""
    if operating_system not in LISTED_SYSTEMS:
        return [
            problem(
                "operating_system",
                f"{operating_system}: AWS lists available patches (DescribeAvailablePatches) for "
                f"{', '.join(LISTED_SYSTEMS)} only, so no other system's baseline can be previewed",
            )
        ]
    if product is None and not is_windows(operating_system):
        # AWS: DescribeAvailablePatches.Filters
        return [
            required(
                "product",
                f" for {operating_system} (such as AmazonLinux2 or AmazonLinux2018.03): AWS lists Linux patches for a "
                "PRODUCT only",
            )
        ]
    return []


# --- reads


def existing_baseline(module, client, params):
    """GetPatchBaseline's answer for the baseline named by name or baseline_id; fails when there is none."""
    baseline_id = params["baseline_id"]
    if not baseline_id:
        identity = find_by_name(module, client, params["name"])
        if identity is None:
            module.fail_json(msg=f"No patch baseline is named '{params['name']}'.")
        baseline_id = identity["BaselineId"]
    found = get_baseline(client, baseline_id)
    if found is None:
        module.fail_json(msg=f"No patch baseline has the id {baseline_id}.")
    return found


def search_filters(form, product):
    """DescribeAvailablePatches filters: the product, and on Windows the global filters' exact values (every patch
    the baseline concerns passes them, unless a patch list names it)."""
    filters = [{"Key": "PRODUCT", "Values": [product]}] if product else []
    if is_windows(form["operating_system"]) and not (form["approved_patches"] or form["rejected_patches"]):
        for patch_filter in form["global_filters"]:
            key, values = patch_filter["key"], patch_filter["values"]
            if key in WINDOWS_SEARCH_KEYS and WILDCARD not in values and not (key == "PRODUCT" and product):
                filters.append({"Key": key, "Values": list(values)})
    return filters[:MAX_FILTERS]


def available_patches(client, form, product):
    return paginate(client, "describe_available_patches", "Patches", Filters=search_filters(form, product))


def effective_patches(client, baseline_id):
    # AWS: DescribeEffectivePatchesForPatchBaseline — Windows baselines only
    return paginate(client, "describe_effective_patches_for_patch_baseline", "EffectivePatches", BaselineId=baseline_id)


# --- the result


def _iso(instant):
    return instant.isoformat() if instant is not None else None


def patch_key(patch):
    """How a patch is named in results: its KB number on Windows, its name.arch on Linux."""
    # AWS: Patch.Id — a Windows patch's Id is not its KB number, which patch lists and people use
    if patch.get("KbNumber"):
        return patch["KbNumber"]
    return f"{patch.get('Name')}.{patch.get('Arch')}" if patch.get("Arch") else patch.get("Name") or patch.get("Id")


def patch_entry(patch, decided):
    status, instant, level, decided_by = decided
    return {
        "patch_id": patch_key(patch),
        "id": patch.get("Id"),
        "title": patch.get("Title"),
        "product": patch.get("Product"),
        "classification": patch.get("Classification"),
        "severity": patch.get("MsrcSeverity") or patch.get("Severity"),
        "release_date": _iso(release_instant(patch)),
        "status": status,
        "approval_date": _iso(instant),
        "compliance_level": level,
        "decided_by": decided_by,
    }


def preview(form, patches, as_of):
    """The result's approved, pending and rejected lists (each sorted by release date, newest first)."""
    lists = {"approved": [], "pending": [], "rejected": []}
    where = {APPROVED: "approved", EXPLICIT_APPROVED: "approved", PENDING: "pending", EXPLICIT_REJECTED: "rejected"}
    as_dependency = installed_as_dependency(form)
    for patch, decided in evaluate(form, patches, as_of):
        entry = patch_entry(patch, decided)
        if decided[0] == EXPLICIT_REJECTED:
            entry["installed_as_dependency"] = as_dependency
        lists[where[decided[0]]].append(entry)
    for entries in lists.values():
        entries.sort(key=lambda entry: (entry["release_date"] or "", entry["patch_id"] or ""), reverse=True)
    lists["non_security_updates"] = non_security_notes(form)
    return lists


def _effective_view(status):
    """What is compared of a status: the approval date only where a rule sets it (approved or pending)."""
    date = status.get("approval_date") if status["status"] in (APPROVED, PENDING) else None
    return {"status": status["status"], "approval_date": date, "compliance_level": status["compliance_level"]}


def differences(form, patches, effective, product):
    """Where the local evaluation (as of now) and AWS's effective patches disagree, patch by patch."""
    now = datetime.datetime.now(datetime.UTC)
    local = {}
    for patch, decided in evaluate(form, patches, now):
        entry = patch_entry(patch, decided)
        local[(entry["patch_id"], entry["product"])] = _effective_view(entry)
    remote = {}
    for item in effective:
        patch, status = item.get("Patch") or {}, item.get("PatchStatus") or {}
        if product and patch.get("Product") != product:
            continue
        approval = status.get("ApprovalDate")  # AWS: PatchStatus.ApprovalDate — set for pending patches too
        entry = {
            "status": status.get("DeploymentStatus"),
            "approval_date": _iso(release_instant({"ReleaseDate": approval})) if approval is not None else None,
            "compliance_level": status.get("ComplianceLevel"),
        }
        remote[(patch_key(patch), patch.get("Product"))] = _effective_view(entry)
    found = []
    for key in sorted(set(local) | set(remote), key=lambda pair: (pair[0] or "", pair[1] or "")):
        if local.get(key) != remote.get(key):
            found.append(
                {"patch_id": key[0], "product": key[1], "preview": local.get(key), "effective": remote.get(key)}
            )
    return found
