"""Requests are checked against botocore's model with messages that name the module option."""

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline import FORM

CHECKER = RequestChecker()


def baseline(**overrides):
    request = {"Name": "AmazonLinux2AllPatchesBaseline", "OperatingSystem": "AMAZON_LINUX_2"}
    request.update(overrides)
    return request


def test_a_valid_request_has_no_problems():
    assert CHECKER.problems("CreatePatchBaseline", baseline(RejectedPatches=["system-release.*"])) == []


@pytest.mark.parametrize(
    "overrides, expected",
    [
        (
            {"OperatingSystem": "AMAZON_LINUX_3"},
            "operating_system: 'AMAZON_LINUX_3' is not one of WINDOWS, AMAZON_LINUX",
        ),
        ({"Name": "ab"}, "name: 'ab' must have 3 to 128 characters, got 2"),
        ({"Name": "has space"}, "name: 'has space' does not match the pattern"),
        ({"Description": "x" * 1025}, "description: '" + "x" * 1025 + "' must have 1 to 1024 characters, got 1025"),
        ({"RejectedPatches": ["p"] * 51}, "rejected_patches: must have 0 to 50 items, got 51"),
        (
            {
                "ApprovalRules": {
                    "PatchRules": [
                        {
                            "PatchFilterGroup": {"PatchFilters": [{"Key": "SEVERITY", "Values": ["Critical"]}]},
                            "ApproveAfterDays": 361,
                        }
                    ]
                }
            },
            "approval_rules[0].approve_after_days: 361 is outside the allowed range 0 to 360",
        ),
        (
            {
                "ApprovalRules": {
                    "PatchRules": [{"PatchFilterGroup": {"PatchFilters": [{"Key": "NOPE", "Values": ["x"]}]}}]
                }
            },
            "approval_rules[0].patch_filters[0].key: 'NOPE' is not one of",
        ),
    ],
)
def test_a_broken_constraint_names_the_option_and_what_is_allowed(overrides, expected):
    problems = FORM.problems(CHECKER, "CreatePatchBaseline", FORM.from_api(baseline(**overrides)))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_required_members_and_unicode_patterns():
    problems = CHECKER.problems(
        "RegisterPatchBaselineForPatchGroup",
        {"BaselineId": "pb-0123456789abcdef0", "PatchGroup": "Windows Server 2016 Base"},
    )
    assert problems == []
    problems = CHECKER.problems(
        "RegisterPatchBaselineForPatchGroup", {"BaselineId": "pb-0123456789abcdef0", "PatchGroup": "bad\tgroup"}
    )
    assert problems and problems[0].startswith("patch_group: 'bad\tgroup' does not match")
    assert CHECKER.problems("RegisterPatchBaselineForPatchGroup", {"PatchGroup": "g"}) == ["baseline_id is required"]
