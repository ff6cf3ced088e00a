"""Patch baseline normalisation, comparison, requests and results (plugins/module_utils/baseline.py)."""

import copy
import datetime

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline import (
    FORM,
    diff_view,
    is_aws_owned,
    same_baseline,
    to_result,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.diff import resource_diff
from ansible_collections.patchmodel.ssm.plugins.module_utils.sensitive import MASK, result_paths

AL2_OPTIONS = {
    "name": "AmazonLinux2AllPatchesBaseline",
    "operating_system": "AMAZON_LINUX_2",
    "description": "Amazon Linux2 All Patches Baseline",
    "approval_rules": [
        {
            "patch_filters": [
                {"key": "PRODUCT", "values": ["*"]},
                {"key": "CLASSIFICATION", "values": ["*"]},
                {"key": "SEVERITY", "values": ["*"]},
            ],
            "approve_after_days": 0,
            "approve_until_date": None,
            "compliance_level": "UNSPECIFIED",
            "enable_non_security": True,
        }
    ],
    "rejected_patches": ["system-release.*"],
    "rejected_patches_action": "BLOCK",
}

# What GetPatchBaseline answers for the seed: AWS's defaults filled in, filters in another order.
AL2_FROM_AWS = {
    "BaselineId": "pb-0123456789abcdef0",
    "Name": "AmazonLinux2AllPatchesBaseline",
    "OperatingSystem": "AMAZON_LINUX_2",
    "Description": "Amazon Linux2 All Patches Baseline",
    "GlobalFilters": {"PatchFilters": []},
    "ApprovalRules": {
        "PatchRules": [
            {
                "PatchFilterGroup": {
                    "PatchFilters": [
                        {"Key": "SEVERITY", "Values": ["*"]},
                        {"Key": "PRODUCT", "Values": ["*"]},
                        {"Key": "CLASSIFICATION", "Values": ["*"]},
                    ]
                },
                "ComplianceLevel": "UNSPECIFIED",
                "ApproveAfterDays": 0,
                "EnableNonSecurity": True,
            }
        ]
    },
    "ApprovedPatches": [],
    "ApprovedPatchesComplianceLevel": "UNSPECIFIED",
    "ApprovedPatchesEnableNonSecurity": False,
    "RejectedPatches": ["system-release.*"],
    "RejectedPatchesAction": "BLOCK",
    "Sources": [],
    "PatchGroups": ["WebServer-Prd"],
    "CreatedDate": datetime.datetime(2024, 7, 6, 20, 0, tzinfo=datetime.UTC),
    "ModifiedDate": datetime.datetime(2024, 7, 6, 20, 0, tzinfo=datetime.UTC),
}

WINDOWS_OPTIONS = {
    "name": "WindowsServer2016Baseline",
    "operating_system": "WINDOWS",
    "approval_rules": [
        {
            "patch_filters": [
                {"key": "PRODUCT", "values": ["WindowsServer2016"]},
                {"key": "CLASSIFICATION", "values": ["SecurityUpdates"]},
                {"key": "MSRC_SEVERITY", "values": ["Critical", "Important"]},
            ],
            "approve_after_days": 3,
        }
    ],
}


def options(**overrides):
    return FORM.from_options({**AL2_OPTIONS, **overrides})


def test_seed_options_equal_what_aws_returns_for_them():
    assert FORM.changed(FORM.from_api(AL2_FROM_AWS), FORM.merge(FORM.from_api(AL2_FROM_AWS), options())) == []


def test_options_left_out_take_the_current_value():
    current = FORM.from_api(AL2_FROM_AWS)
    desired = FORM.merge(current, FORM.from_options({"name": "AmazonLinux2AllPatchesBaseline"}))
    assert desired == current


def test_omitted_rule_settings_equal_aws_defaults():
    rule = {"patch_filters": [{"key": "PRODUCT", "values": ["*"]}], "approve_after_days": 7}
    aws_rule = {
        "PatchFilterGroup": {"PatchFilters": [{"Key": "PRODUCT", "Values": ["*"]}]},
        "ApproveAfterDays": 7,
        "ComplianceLevel": "UNSPECIFIED",
        "EnableNonSecurity": False,
    }
    current = FORM.from_api({**AL2_FROM_AWS, "ApprovalRules": {"PatchRules": [aws_rule]}})
    assert FORM.changed(current, FORM.merge(current, options(approval_rules=[rule]))) == []


def test_filter_values_and_patch_lists_compare_as_sets():
    current = FORM.from_api(
        {
            **AL2_FROM_AWS,
            "ApprovedPatches": ["kernel", "openssl"],
            "RejectedPatches": ["system-release.*", "java-1.7*"],
            "GlobalFilters": {"PatchFilters": [{"Key": "SEVERITY", "Values": ["Important", "Critical"]}]},
        }
    )
    desired = FORM.merge(
        current,
        options(
            approved_patches=["openssl", "kernel"],
            rejected_patches=["java-1.7*", "system-release.*"],
            global_filters=[{"key": "SEVERITY", "values": ["Critical", "Important", "Critical"]}],
        ),
    )
    assert FORM.changed(current, desired) == []


def test_approval_rules_compare_in_order():
    first = {"patch_filters": [{"key": "CLASSIFICATION", "values": ["Security"]}], "approve_after_days": 0}
    second = {"patch_filters": [{"key": "CLASSIFICATION", "values": ["Bugfix"]}], "approve_after_days": 7}
    current = FORM.merge(FORM.from_api(AL2_FROM_AWS), options(approval_rules=[first, second]))
    assert FORM.changed(current, FORM.merge(current, options(approval_rules=[second, first]))) == ["approval_rules"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "AmazonLinux2AllPatchesBaseline-v2"),
        ("description", "Amazon Linux 2 baseline, all patches"),
        ("approval_rules", []),
        ("global_filters", [{"key": "PRODUCT", "values": ["AmazonLinux2"]}]),
        ("approved_patches", ["kernel-4.14.*"]),
        ("approved_patches_compliance_level", "HIGH"),
        ("approved_patches_enable_non_security", True),
        ("rejected_patches", []),
        ("rejected_patches_action", "ALLOW_AS_DEPENDENCY"),
        ("sources", [{"name": "My-AL2", "products": ["AmazonLinux2"], "configuration": "[main]"}]),
    ],
)
def test_each_field_alone_is_detected_as_a_change(field, value):
    current = FORM.from_api(AL2_FROM_AWS)
    assert FORM.changed(current, FORM.merge(current, FORM.from_options({field: value}))) == [field]


def test_each_rule_setting_alone_is_detected_as_a_change():
    current = FORM.from_api(AL2_FROM_AWS)
    rule = copy.deepcopy(AL2_OPTIONS["approval_rules"][0])
    for key, value in [
        ("approve_after_days", 7),
        ("compliance_level", "CRITICAL"),
        ("enable_non_security", False),
        ("patch_filters", [{"key": "PRODUCT", "values": ["*"]}]),
    ]:
        changed_rule = {**rule, key: value}
        assert FORM.changed(current, FORM.merge(current, options(approval_rules=[changed_rule]))) == ["approval_rules"]


def test_rule_moving_from_days_to_date_is_a_change():
    current = FORM.from_api(AL2_FROM_AWS)
    rule = {**AL2_OPTIONS["approval_rules"][0], "approve_after_days": None, "approve_until_date": "2024-12-31"}
    assert FORM.changed(current, FORM.merge(current, options(approval_rules=[rule]))) == ["approval_rules"]


def test_empty_description_removes_it():
    current = FORM.from_api(AL2_FROM_AWS)
    desired = FORM.merge(current, FORM.from_options({"description": ""}))
    assert desired["description"] is None
    assert "Description" not in FORM.to_request(desired, create=False)


def test_ubuntu_rule_without_delay_equals_a_zero_delay():
    ubuntu = {
        **AL2_FROM_AWS,
        "OperatingSystem": "UBUNTU",
        "ApprovalRules": {
            "PatchRules": [
                {
                    "PatchFilterGroup": {"PatchFilters": [{"Key": "PRIORITY", "Values": ["Required"]}]},
                    "ApproveAfterDays": 0,
                }
            ]
        },
    }
    rule = {"patch_filters": [{"key": "PRIORITY", "values": ["Required"]}]}
    current = FORM.from_api(ubuntu)
    assert FORM.changed(current, FORM.merge(current, FORM.from_options({"approval_rules": [rule]}))) == []


def test_create_request_of_the_amazon_linux_seed():
    request = FORM.to_request(FORM.with_defaults(options()), create=True)
    assert request == {
        "Name": "AmazonLinux2AllPatchesBaseline",
        "OperatingSystem": "AMAZON_LINUX_2",
        "Description": "Amazon Linux2 All Patches Baseline",
        "ApprovalRules": {
            "PatchRules": [
                {
                    "PatchFilterGroup": {
                        "PatchFilters": [
                            {"Key": "PRODUCT", "Values": ["*"]},
                            {"Key": "CLASSIFICATION", "Values": ["*"]},
                            {"Key": "SEVERITY", "Values": ["*"]},
                        ]
                    },
                    "ComplianceLevel": "UNSPECIFIED",
                    "ApproveAfterDays": 0,
                    "EnableNonSecurity": True,
                }
            ]
        },
        "RejectedPatches": ["system-release.*"],
        "RejectedPatchesAction": "BLOCK",
    }


def test_windows_request_carries_no_linux_only_fields():
    request = FORM.to_request(FORM.with_defaults(FORM.from_options(WINDOWS_OPTIONS)), create=True)
    rule = request["ApprovalRules"]["PatchRules"][0]
    assert "EnableNonSecurity" not in rule and rule["ApproveAfterDays"] == 3
    assert not {"Sources", "ApprovedPatchesEnableNonSecurity", "RejectedPatchesAction"} & set(request)


def test_update_request_leaves_out_the_operating_system_but_keeps_current_fields():
    current = FORM.from_api(AL2_FROM_AWS)
    request = FORM.to_request(FORM.merge(current, FORM.from_options({"description": "new"})), create=False)
    assert "OperatingSystem" not in request
    assert request["Description"] == "new" and request["RejectedPatchesAction"] == "BLOCK"
    assert request["ApprovalRules"]["PatchRules"][0]["EnableNonSecurity"] is True


def test_aws_owned_baselines_are_known_by_arn_or_name():
    assert is_aws_owned("arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0be8c61cde3be63f3")
    assert is_aws_owned(name="AWS-AmazonLinux2DefaultPatchBaseline")
    assert not is_aws_owned("pb-0123456789abcdef0", "AmazonLinux2AllPatchesBaseline")


def test_an_arn_and_its_bare_id_are_the_same_baseline():
    arn = "arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0be8c61cde3be63f3"
    assert same_baseline(arn, "pb-0be8c61cde3be63f3")
    assert not same_baseline(arn, "pb-0123456789abcdef0")
    assert not same_baseline(None, "pb-0123456789abcdef0")


def test_result_has_identity_registrations_and_iso_dates():
    result = to_result(
        FORM.from_api(AL2_FROM_AWS),
        baseline_id="pb-0123456789abcdef0",
        patch_groups=["b", "WebServer-Prd"],
        default_baseline=True,
        tags={"Team": "web"},
        api=AL2_FROM_AWS,
    )
    assert result["patch_groups"] == ["WebServer-Prd", "b"]
    assert result["default_baseline"] is True and result["owner"] == "Self"
    assert result["created_date"] == "2024-07-06T20:00:00+00:00"
    assert result["approval_rules"][0]["approve_until_date"] is None


def test_diff_view_drops_timestamps_and_the_module_masks_source_configurations():
    form = FORM.with_defaults(
        FORM.from_options(
            {**AL2_OPTIONS, "sources": [{"name": "a-b", "products": ["x"], "configuration": "password=1"}]}
        )
    )
    view = diff_view(to_result(form, baseline_id="pb-0123456789abcdef0", api=AL2_FROM_AWS))
    assert "created_date" not in view and "modified_date" not in view
    # The view keeps the real values, so a diff can tell a changed configuration; masking is the module's output.
    assert view["sources"][0]["configuration"] == "password=1"
    diff = resource_diff(view, view, result_paths("ssm_patch_baseline"))
    assert "password=1" not in str(diff) and diff["after"]["sources"][0]["configuration"] == MASK
    assert diff_view({}) == {}
