# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Problems in patch baseline options, found before any write and named by module option.

botocore's constraints come from the field table (baseline.FORM), filter keys and values from patch_filters.py;
this adds the rules AWS documents only in prose (one approval delay per rule, what applies to which system).
"""

from __future__ import annotations

import datetime

from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline import NO_APPROVAL_DELAY
from ansible_collections.patchmodel.ssm.plugins.module_utils.patch_filters import (
    OPERATING_SYSTEMS,
    validate_patch_filters,
    validate_patch_list,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import problem, required


def identity_problems(checker, name, baseline_id):
    """Problems in name / baseline_id, checked before they are used to look anything up."""
    problems = []
    if name is not None:
        problems += checker.shape_problems(checker.input_member("CreatePatchBaseline", "Name"), name, "name")
    if baseline_id is not None:
        member = checker.input_member("GetPatchBaseline", "BaselineId")
        problems += checker.shape_problems(member, baseline_id, "baseline_id")
    return problems


def patch_group_problems(checker, patch_groups):
    member = checker.input_member("GetPatchBaselineForPatchGroup", "PatchGroup")
    return [
        found
        for index, group in enumerate(patch_groups or [])
        for found in checker.shape_problems(member, group, f"patch_groups[{index}]")
    ]


def operating_system_problem(requested, current_baseline_os, exists, name):
    """The operating system is chosen once, at creation, and never silently."""
    if not exists and requested is None:
        return required(
            "operating_system",
            f" to create patch baseline '{name}' (one of {', '.join(OPERATING_SYSTEMS)}); it is never assumed",
        )
    if exists and requested is not None and requested != current_baseline_os:
        return problem(
            "operating_system",
            f"patch baseline '{name}' is {current_baseline_os} and AWS cannot change a baseline's operating system "
            f"(asked for {requested}); create a baseline with another name, or delete this one first",
        )
    return None


def _is_date(text):
    try:
        return datetime.date.fromisoformat(text).isoformat() == text
    except (TypeError, ValueError):
        return False


def _rule_problems(rule, where, operating_system):
    problems = validate_patch_filters(operating_system, rule["patch_filters"], f"{where}.patch_filters")
    after_days, until_date = rule.get("approve_after_days"), rule.get("approve_until_date")
    if after_days is not None and until_date is not None:
        problems.append(problem(where, "give approve_after_days or approve_until_date, not both"))
    elif after_days is None and until_date is None and operating_system not in NO_APPROVAL_DELAY:
        # AWS: PatchRule.ApproveUntilDate
        problems.append(
            problem(
                where,
                f"needs approve_after_days (0 to 360) or approve_until_date (YYYY-MM-DD); {operating_system} "
                "approval rules require one of them",
            )
        )
    if until_date is not None and not _is_date(until_date):
        problems.append(problem(f"{where}.approve_until_date", f"'{until_date}' is not a date in the form YYYY-MM-DD"))
    if rule.get("enable_non_security") and operating_system == "WINDOWS":
        problems.append(problem(f"{where}.enable_non_security", "applies to Linux managed nodes only, not WINDOWS"))
    return problems


def semantic_problems(options, operating_system):
    """Rules AWS documents in prose, for the options the user set (a form from baseline.from_options)."""
    problems = []
    for index, rule in enumerate(options.get("approval_rules") or []):
        problems += _rule_problems(rule, f"approval_rules[{index}]", operating_system)
    problems += validate_patch_filters(operating_system, options.get("global_filters"), "global_filters")
    for option in ("approved_patches", "rejected_patches"):
        problems += validate_patch_list(operating_system, options.get(option), option)
    if operating_system == "WINDOWS":
        if options.get("sources"):  # AWS: CreatePatchBaseline.Sources
            problems.append(
                problem("sources", "alternative patch sources apply to Linux managed nodes only, not WINDOWS")
            )
        if options.get("approved_patches_enable_non_security"):
            problems.append(
                problem("approved_patches_enable_non_security", "applies to Linux managed nodes only, not WINDOWS")
            )
    elif options.get("available_security_updates_compliance_status") is not None:
        # AWS: CreatePatchBaseline.AvailableSecurityUpdatesComplianceStatus
        problems.append(
            problem(
                "available_security_updates_compliance_status",
                f"applies to WINDOWS baselines only, not {operating_system}",
            )
        )
    names = [source.get("name") for source in options.get("sources") or []]
    for name in sorted({name for name in names if names.count(name) > 1}):
        problems.append(
            problem("sources", f"the name '{name}' is used by more than one source; each source needs its own name")
        )
    return problems
