"""Patch baseline option checks made before any write (plugins/module_utils/baseline_validation.py)."""

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline import FORM
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_validation import (
    identity_problems,
    operating_system_problem,
    patch_group_problems,
    semantic_problems,
)

CHECKER = RequestChecker()


def rule(*filters, **settings):
    return {"patch_filters": [{"key": key, "values": list(values)} for key, values in filters], **settings}


AL2_RULE = rule(("PRODUCT", ["*"]), ("CLASSIFICATION", ["*"]), ("SEVERITY", ["*"]), approve_after_days=0)
WINDOWS_RULE = rule(
    ("PRODUCT", ["WindowsServer2016"]),
    ("CLASSIFICATION", ["SecurityUpdates"]),
    ("MSRC_SEVERITY", ["Critical", "Important"]),
    approve_after_days=3,
)


def problems_for(operating_system, **options):
    return semantic_problems(FORM.from_options(options), operating_system)


def test_the_seed_baselines_have_no_problems():
    assert problems_for("AMAZON_LINUX_2", approval_rules=[AL2_RULE], rejected_patches=["system-release.*"]) == []
    assert problems_for("WINDOWS", approval_rules=[WINDOWS_RULE]) == []


@pytest.mark.parametrize(
    "operating_system, options, expected",
    [
        ("AMAZON_LINUX_2", {"approval_rules": [rule(("MSRC_SEVERITY", ["Critical"]), approve_after_days=0)]},
         "approval_rules[0].patch_filters[0].key: 'MSRC_SEVERITY' is not a patch filter key for AMAZON_LINUX_2"),
        ("WINDOWS", {"approval_rules": [rule(("SEVERITY", ["Critical"]), approve_after_days=0)]},
         "approval_rules[0].patch_filters[0].key: 'SEVERITY' is not a patch filter key for WINDOWS"),
        ("AMAZON_LINUX_2", {"approval_rules": [rule(("SEVERITY", ["Severe"]), approve_after_days=0)]},
         "approval_rules[0].patch_filters[0].values[0]: 'Severe' is not a SEVERITY value"),
        ("AMAZON_LINUX_2", {"approval_rules": [rule(("PRODUCT", ["*"]), approve_after_days=1,
                                                    approve_until_date="2024-12-31")]},
         "approval_rules[0]: give approve_after_days or approve_until_date, not both"),
        ("AMAZON_LINUX_2", {"approval_rules": [rule(("PRODUCT", ["*"]))]},
         "approval_rules[0]: needs approve_after_days (0 to 360) or approve_until_date (YYYY-MM-DD)"),
        ("AMAZON_LINUX_2", {"approval_rules": [rule(("PRODUCT", ["*"]), approve_until_date="2024-02-30")]},
         "approval_rules[0].approve_until_date: '2024-02-30' is not a date in the form YYYY-MM-DD"),
        ("AMAZON_LINUX_2", {"approval_rules": [rule(("PRODUCT", ["*"]), approve_until_date="31/12/2024")]},
         "approval_rules[0].approve_until_date: '31/12/2024' is not a date"),
        ("WINDOWS", {"approval_rules": [rule(("PRODUCT", ["*"]), approve_after_days=0, enable_non_security=True)]},
         "approval_rules[0].enable_non_security: applies to Linux managed nodes only"),
        ("WINDOWS", {"sources": [{"name": "repo", "products": ["x"], "configuration": "c"}]},
         "sources: alternative patch sources apply to Linux managed nodes only"),
        ("WINDOWS", {"approved_patches_enable_non_security": True},
         "approved_patches_enable_non_security: applies to Linux managed nodes only"),
        ("AMAZON_LINUX_2", {"available_security_updates_compliance_status": "COMPLIANT"},
         "available_security_updates_compliance_status: applies to WINDOWS baselines only"),
        ("AMAZON_LINUX_2", {"global_filters": [{"key": "PRIORITY", "values": ["Required"]}]},
         "global_filters[0].key: 'PRIORITY' is not a patch filter key for AMAZON_LINUX_2"),
        ("AMAZON_LINUX_2", {"rejected_patches": ["kernel, openssl"]},
         "rejected_patches[0]: 'kernel, openssl' holds several patches"),
        ("AMAZON_LINUX_2", {"sources": [{"name": "repo", "products": ["a"], "configuration": "c"},
                                        {"name": "repo", "products": ["b"], "configuration": "d"}]},
         "sources: the name 'repo' is used by more than one source"),
    ],
)  # fmt: skip
def test_semantic_problems_name_the_option_and_what_is_allowed(operating_system, options, expected):
    problems = problems_for(operating_system, **options)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_ubuntu_and_debian_rules_need_no_approval_delay():
    ubuntu_rule = rule(("PRODUCT", ["*"]), ("SECTION", ["*"]), ("PRIORITY", ["Required", "Important"]))
    assert problems_for("UBUNTU", approval_rules=[ubuntu_rule]) == []
    assert problems_for("DEBIAN", approval_rules=[ubuntu_rule]) == []


def test_operating_system_is_required_to_create_and_cannot_change():
    missing = operating_system_problem(None, None, exists=False, name="AmazonLinux2AllPatchesBaseline")
    assert missing.startswith("operating_system is required to create patch baseline 'AmazonLinux2AllPatchesBaseline'")
    assert "WINDOWS" in missing and "AMAZON_LINUX_2023" in missing
    changed = operating_system_problem("WINDOWS", "AMAZON_LINUX_2", exists=True, name="x")
    assert changed.startswith("operating_system: patch baseline 'x' is AMAZON_LINUX_2")
    assert operating_system_problem(None, "AMAZON_LINUX_2", exists=True, name="x") is None
    assert operating_system_problem("AMAZON_LINUX_2", "AMAZON_LINUX_2", exists=True, name="x") is None


def test_botocore_constraints_are_reported_under_option_paths():
    form = FORM.with_defaults(
        FORM.from_options(
            {
                "name": "AmazonLinux2AllPatchesBaseline",
                "operating_system": "AMAZON_LINUX_2",
                "approval_rules": [rule(("PRODUCT", ["x" * 65]), approve_after_days=361)] * 11,
                "global_filters": [{"key": "PRODUCT", "values": [f"p{i}" for i in range(21)]}],
                "approved_patches": [f"pkg{i}" for i in range(51)],
            }
        )
    )
    problems = FORM.problems(CHECKER, "CreatePatchBaseline", form)
    assert "approval_rules: must have 0 to 10 items, got 11" in problems
    assert "approval_rules[0].approve_after_days: 361 is outside the allowed range 0 to 360" in problems
    assert any(p.startswith("approval_rules[0].patch_filters[0].values[0]: ") for p in problems)
    assert "global_filters[0].values: must have 1 to 20 items, got 21" in problems
    assert "approved_patches: must have 0 to 50 items, got 51" in problems


def test_identity_problems_name_name_and_baseline_id():
    assert identity_problems(CHECKER, "AmazonLinux2AllPatchesBaseline", "pb-0123456789abcdef0") == []
    assert identity_problems(CHECKER, "ab", None) == ["name: 'ab' must have 3 to 128 characters, got 2"]
    assert identity_problems(CHECKER, "Web Server", None)[0].startswith("name: 'Web Server' does not match the pattern")
    assert identity_problems(CHECKER, None, "pb-1")[0].startswith("baseline_id: 'pb-1' must have 20 to 128 characters")


def test_patch_group_problems_name_the_item():
    assert patch_group_problems(CHECKER, ["WebServer-Prd", "Windows Server 2016 Base"]) == []
    assert patch_group_problems(CHECKER, ["ok", "Web#Prd"])[0].startswith("patch_groups[1]: 'Web#Prd' does not match")
