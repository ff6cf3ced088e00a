"""Patch filters and patch lists are checked per operating system before any call reaches AWS."""

import botocore.session
import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.patch_filters import (
    OPERATING_SYSTEMS,
    SEARCH_ONLY_KEYS,
    allowed_values,
    filter_keys_for,
    validate_patch_filters,
    validate_patch_list,
)

SSM_MODEL = botocore.session.get_session().get_service_model("ssm")
RULE = "approval_rules[0].patch_filters"
GLOBAL = "global_filters"
YUM_KEYS = ("PRODUCT", "CLASSIFICATION", "SEVERITY", "PATCH_ID")
APT_KEYS = ("PRODUCT", "SECTION", "PRIORITY", "PATCH_ID")
WINDOWS_KEYS = ("PATCH_SET", "PRODUCT_FAMILY", "PRODUCT", "CLASSIFICATION", "MSRC_SEVERITY", "PATCH_ID")


def f(key, *values):
    return {"key": key, "values": list(values)}


def test_every_operating_system_botocore_knows_is_covered():
    assert set(OPERATING_SYSTEMS) == set(SSM_MODEL.shape_for("OperatingSystem").enum)


def test_every_botocore_filter_key_is_either_a_baseline_key_or_a_search_key():
    baseline_keys = {key for system in OPERATING_SYSTEMS for key in filter_keys_for(system)}
    assert baseline_keys.isdisjoint(SEARCH_ONLY_KEYS)
    assert baseline_keys | set(SEARCH_ONLY_KEYS) == set(SSM_MODEL.shape_for("PatchFilterKey").enum)


@pytest.mark.parametrize(
    "operating_system, keys",
    [
        ("WINDOWS", WINDOWS_KEYS),
        ("AMAZON_LINUX", YUM_KEYS),
        ("AMAZON_LINUX_2", YUM_KEYS),
        ("AMAZON_LINUX_2022", YUM_KEYS),
        ("AMAZON_LINUX_2023", YUM_KEYS),
        ("REDHAT_ENTERPRISE_LINUX", YUM_KEYS),
        ("CENTOS", YUM_KEYS),
        ("ORACLE_LINUX", YUM_KEYS),
        ("ROCKY_LINUX", YUM_KEYS),
        ("ALMA_LINUX", YUM_KEYS),
        ("SUSE", YUM_KEYS),
        ("UBUNTU", APT_KEYS),
        ("DEBIAN", APT_KEYS),
        ("RASPBIAN", APT_KEYS),
        ("MACOS", ("PRODUCT", "CLASSIFICATION", "PATCH_ID")),
    ],
)
@pytest.mark.parametrize("context", ["approval_rule", "global_filter"])
def test_filter_keys_per_operating_system(operating_system, keys, context):
    assert filter_keys_for(operating_system, context) == keys


@pytest.mark.parametrize(
    "operating_system, context, message",
    [
        ("AMAZON_LINUX_3", "approval_rule", "unknown operating system 'AMAZON_LINUX_3'; expected one of WINDOWS"),
        ("WINDOWS", "patch_rule", "unknown context 'patch_rule'; expected one of approval_rule, global_filter"),
    ],
)
def test_filter_keys_for_rejects_unknown_arguments(operating_system, context, message):
    with pytest.raises(ValueError, match=message):
        filter_keys_for(operating_system, context)


def test_closed_and_open_value_lists():
    assert allowed_values("WINDOWS", "PATCH_SET") == ("OS", "APPLICATION")
    assert allowed_values("UBUNTU", "PRIORITY") == ("Required", "Important", "Standard", "Optional", "Extra")
    assert allowed_values("AMAZON_LINUX_2", "PRODUCT") is None
    assert allowed_values("UBUNTU", "SEVERITY") is None


def test_al2_seed_all_products_classifications_and_severities_pass():
    # seeds/al2-hooks-patching-model.md: Product All, Classification All, Severity All.
    filters = [f("PRODUCT", "*"), f("CLASSIFICATION", "*"), f("SEVERITY", "*")]
    assert validate_patch_filters("AMAZON_LINUX_2", filters, RULE) == []
    assert validate_patch_list("AMAZON_LINUX_2", ["system-release.*"], "rejected_patches") == []


def test_windows_seed_security_updates_for_server_2016_pass():
    # seeds/windows-patch-manager-demo.md: WindowsServer2016, SecurityUpdates, Critical and Important.
    filters = [f("PRODUCT", "WindowsServer2016"), f("CLASSIFICATION", "SecurityUpdates")]
    filters.append(f("MSRC_SEVERITY", "Critical", "Important"))
    assert validate_patch_filters("WINDOWS", filters, RULE) == []


@pytest.mark.parametrize(
    "operating_system, filters",
    [
        ("WINDOWS", [f("PATCH_SET", "APPLICATION"), f("PRODUCT_FAMILY", "Office"), f("PRODUCT", "Office 2016")]),
        ("WINDOWS", [f("PATCH_SET", "OS"), f("PATCH_ID", "KB4516046")]),
        ("AMAZON_LINUX", [f("CLASSIFICATION", "Security"), f("SEVERITY", "Critical", "Important")]),
        ("AMAZON_LINUX_2022", [f("PRODUCT", "AmazonLinux2022"), f("CLASSIFICATION", "Bugfix")]),
        ("AMAZON_LINUX_2023", [f("CLASSIFICATION", "Security", "Enhancement"), f("SEVERITY", "Medium", "Low")]),
        ("REDHAT_ENTERPRISE_LINUX", [f("PRODUCT", "RedhatEnterpriseLinux8.6"), f("SEVERITY", "Moderate")]),
        ("CENTOS", [f("PRODUCT", "*"), f("CLASSIFICATION", "Newpackage", "Recommended")]),
        ("ORACLE_LINUX", [f("CLASSIFICATION", "Security"), f("SEVERITY", "Important", "Moderate")]),
        ("ROCKY_LINUX", [f("CLASSIFICATION", "Security"), f("SEVERITY", "Critical")]),
        ("ALMA_LINUX", [f("CLASSIFICATION", "Bugfix"), f("SEVERITY", "*")]),
        ("SUSE", [f("CLASSIFICATION", "Security", "Yast"), f("SEVERITY", "Critical", "Moderate")]),
        ("UBUNTU", [f("PRODUCT", "Ubuntu22.04"), f("SECTION", "*"), f("PRIORITY", "Required", "Important")]),
        ("DEBIAN", [f("SECTION", "libs", "admin"), f("PRIORITY", "Required", "Standard", "Optional", "Extra")]),
        ("RASPBIAN", [f("PRODUCT", "*"), f("PRIORITY", "Important")]),
        ("MACOS", [f("PRODUCT", "*"), f("CLASSIFICATION", "softwareupdate", "brew cask")]),
    ],
)
def test_valid_filter_groups_pass(operating_system, filters):
    assert validate_patch_filters(operating_system, filters, RULE) == []
    assert validate_patch_filters(operating_system, filters, GLOBAL) == []


@pytest.mark.parametrize(
    "operating_system, filters, where, expected",
    [
        (
            "WINDOWS",
            [f("PRODUCT", "*"), f("SEVERITY", "Critical")],
            RULE,
            [
                "approval_rules[0].patch_filters[1].key: 'SEVERITY' is not a patch filter key for WINDOWS",
                "(WINDOWS uses MSRC_SEVERITY)",
                "allowed keys for WINDOWS: PATCH_SET, PRODUCT_FAMILY, PRODUCT, CLASSIFICATION, MSRC_SEVERITY, PATCH_ID",
            ],
        ),
        (
            "AMAZON_LINUX_2",
            [f("MSRC_SEVERITY", "Critical")],
            RULE,
            [
                "approval_rules[0].patch_filters[0].key: 'MSRC_SEVERITY' is not a patch filter key for AMAZON_LINUX_2",
                "(AMAZON_LINUX_2 uses SEVERITY)",
                "allowed keys for AMAZON_LINUX_2: PRODUCT, CLASSIFICATION, SEVERITY, PATCH_ID",
            ],
        ),
        (
            "AMAZON_LINUX_2",
            [f("CLASSIFICATION", "Security"), f("PRIORITY", "Required")],
            GLOBAL,
            [
                "global_filters[1].key: 'PRIORITY' is not a patch filter key for AMAZON_LINUX_2",
                "allowed keys for AMAZON_LINUX_2: PRODUCT, CLASSIFICATION, SEVERITY, PATCH_ID",
            ],
        ),
        (
            "AMAZON_LINUX_2",
            [f("CLASSIFICATION", "Securty")],
            RULE,
            [
                "approval_rules[0].patch_filters[0].values[0]: 'Securty' is not a CLASSIFICATION value",
                "(did you mean 'Security'?)",
                "'*' for all, or Security, Bugfix, Enhancement, Recommended, Newpackage",
            ],
        ),
        (
            "WINDOWS",
            [f("CLASSIFICATION", "SecurityUpdates", "Security")],
            RULE,
            [
                "approval_rules[0].patch_filters[0].values[1]: 'Security' is not a CLASSIFICATION value for WINDOWS",
                "CriticalUpdates, DefinitionUpdates, Drivers, FeaturePacks, SecurityUpdates, ServicePacks, Tools",
            ],
        ),
        (
            "WINDOWS",
            [f("MSRC_SEVERITY", "critical")],
            RULE,
            [
                "approval_rules[0].patch_filters[0].values[0]: 'critical' is not a MSRC_SEVERITY value for WINDOWS",
                "(did you mean 'Critical'?)",
                "Critical, Important, Moderate, Low, Unspecified",
            ],
        ),
        (
            "WINDOWS",
            [f("PATCH_SET", "Applications")],
            RULE,
            [
                "patch_filters[0].values[0]: 'Applications'",
                "(did you mean 'APPLICATION'?)",
                "'*' for all, or OS, APPLICATION",
            ],
        ),
        (
            "UBUNTU",
            [f("SEVERITY", "Critical")],
            RULE,
            [
                "approval_rules[0].patch_filters[0].key: 'SEVERITY' is not a patch filter key for UBUNTU",
                "(UBUNTU uses PRIORITY)",
                "allowed keys for UBUNTU: PRODUCT, SECTION, PRIORITY, PATCH_ID",
            ],
        ),
        (
            "DEBIAN",
            [f("PRIORITY", "High")],
            GLOBAL,
            [
                "global_filters[0].values[0]: 'High' is not a PRIORITY value for DEBIAN",
                "Required, Important, Standard, Optional, Extra",
            ],
        ),
        (
            "RASPBIAN",
            [f("CLASSIFICATION", "*")],
            RULE,
            ["patch_filters[0].key: 'CLASSIFICATION' is not a patch filter key for RASPBIAN", "PRODUCT, SECTION"],
        ),
        (
            "SUSE",
            [f("CLASSIFICATION", "Bugfix")],
            RULE,
            [
                "approval_rules[0].patch_filters[0].values[0]: 'Bugfix' is not a CLASSIFICATION value for SUSE",
                "Security, Recommended, Optional, Feature, Document, Yast",
            ],
        ),
        (
            "SUSE",
            [f("SEVERITY", "Medium")],
            RULE,
            [
                "patch_filters[0].values[0]: 'Medium' is not a SEVERITY value for SUSE",
                "Critical, Important, Moderate, Low",
            ],
        ),
        (
            "AMAZON_LINUX_2023",
            [f("SEVERITY", "Critical", "Moderate")],
            RULE,
            [
                "patch_filters[0].values[1]: 'Moderate' is not a SEVERITY value for AMAZON_LINUX_2023",
                "Critical, Important, Medium, Low",
            ],
        ),
        (
            "AMAZON_LINUX",
            [f("CLASSIFICATION", "Security Updates")],
            RULE,
            ["values[0]: 'Security Updates' is not a CLASSIFICATION value for AMAZON_LINUX", "Security, Bugfix"],
        ),
        (
            "AMAZON_LINUX_2022",
            [f("SECTION", "libs")],
            RULE,
            [
                "patch_filters[0].key: 'SECTION' is not a patch filter key for AMAZON_LINUX_2022",
                "PRODUCT, CLASSIFICATION",
            ],
        ),
        (
            "MACOS",
            [f("SEVERITY", "Critical")],
            RULE,
            [
                "approval_rules[0].patch_filters[0].key: 'SEVERITY' is not a patch filter key for MACOS",
                "allowed keys for MACOS: PRODUCT, CLASSIFICATION, PATCH_ID",
            ],
        ),
        (
            "REDHAT_ENTERPRISE_LINUX",
            [f("CLASSIFICATION", "Security"), f("SECTION", "*")],
            RULE,
            ["patch_filters[1].key: 'SECTION' is not a patch filter key for REDHAT_ENTERPRISE_LINUX", "SEVERITY"],
        ),
        (
            "CENTOS",
            [f("SEVERITY", "Urgent")],
            RULE,
            ["values[0]: 'Urgent' is not a SEVERITY value for CENTOS", "Critical, Important, Moderate, Medium, Low"],
        ),
        (
            "ORACLE_LINUX",
            [f("CLASSIFICATION", "Bugfixes")],
            RULE,
            ["values[0]: 'Bugfixes' is not a CLASSIFICATION value", "(did you mean 'Bugfix'?)", "Security, Bugfix"],
        ),
        (
            "ROCKY_LINUX",
            [f("NAME", "kernel")],
            RULE,
            [
                "approval_rules[0].patch_filters[0].key: 'NAME' is not a patch filter key for ROCKY_LINUX",
                "searches DescribeAvailablePatches; baselines cannot filter on it",
                "allowed keys for ROCKY_LINUX: PRODUCT, CLASSIFICATION, SEVERITY, PATCH_ID",
            ],
        ),
        (
            "ALMA_LINUX",
            [f("product", "*")],
            RULE,
            ["patch_filters[0].key: 'product' is not a patch filter key", "(keys are upper case: PRODUCT)"],
        ),
        (
            "AMAZON_LINUX_2",
            [f("PRODUCT", "All")],
            RULE,
            [
                "approval_rules[0].patch_filters[0].values[0]: 'All' is the console's label",
                "the API spells all as '*'",
                "PRODUCT values for AMAZON_LINUX_2: any non-empty value, or '*' for all",
            ],
        ),
        (
            "AMAZON_LINUX_2",
            [f("CLASSIFICATION", "Security"), f("SEVERITY", "*"), f("CLASSIFICATION", "Bugfix")],
            GLOBAL,
            [
                "global_filters[2].key: CLASSIFICATION is repeated (first at global_filters[0])",
                "put all its values in one filter",
            ],
        ),
        (
            "WINDOWS",
            [f("PRODUCT")],
            GLOBAL,
            ["global_filters[0].values: a filter needs at least one value (['*'] matches all)"],
        ),
        (
            "UBUNTU",
            [f("PRIORITY", "Required", " ")],
            RULE,
            ["approval_rules[0].patch_filters[0].values[1]: must not be empty", "Required, Important"],
        ),
        (
            "AMAZON_LINUX_2",
            [f("SEVERITY", "*", "Critical")],
            RULE,
            ["approval_rules[0].patch_filters[0].values: '*' already matches every value"],
        ),
        (
            "WINDOWS",
            [{"values": ["*"]}],
            RULE,
            ["approval_rules[0].patch_filters[0].key: a filter needs a key; allowed keys for WINDOWS: PATCH_SET"],
        ),
        (
            "WINDOWS",
            [{"key": "PRODUCT", "values": "WindowsServer2016"}],
            RULE,
            ["approval_rules[0].patch_filters[0].values: must be a list of strings, got str"],
        ),
    ],
)
def test_invalid_filters_name_the_option_and_what_is_allowed(operating_system, filters, where, expected):
    problems = validate_patch_filters(operating_system, filters, where)
    assert len(problems) == 1, problems
    for fragment in expected:
        assert fragment in problems[0]


def test_every_problem_in_a_group_is_reported_at_once():
    filters = [f("SEVERITY", "Critical"), f("CLASSIFICATION", "Securty"), f("PRODUCT")]
    problems = validate_patch_filters("WINDOWS", filters, RULE)
    assert [problem.split(":")[0] for problem in problems] == [
        "approval_rules[0].patch_filters[0].key",
        "approval_rules[0].patch_filters[1].values[0]",
        "approval_rules[0].patch_filters[2].values",
    ]


@pytest.mark.parametrize(
    "operating_system, filters, expected",
    [
        ("AMAZON_LINUX_3", [f("PRODUCT", "*")], "global_filters: operating system 'AMAZON_LINUX_3' is not one of"),
        ("WINDOWS", {"key": "PRODUCT"}, "global_filters: must be a list of {key, values} filters, got dict"),
        ("WINDOWS", ["PRODUCT"], "global_filters[0]: must be a mapping with key and values, got str"),
        (
            "WINDOWS",
            [{"key": ["PRODUCT"], "values": ["*"]}],
            "global_filters[0].key: must be a string, got ['PRODUCT']",
        ),
    ],
)
def test_malformed_filter_groups(operating_system, filters, expected):
    problems = validate_patch_filters(operating_system, filters, GLOBAL)
    assert len(problems) == 1, problems
    assert expected in problems[0]


def test_no_filters_is_no_problem():
    assert validate_patch_filters("WINDOWS", None, GLOBAL) == []
    assert validate_patch_filters("WINDOWS", [], GLOBAL) == []


@pytest.mark.parametrize(
    "operating_system, patches",
    [
        ("WINDOWS", ["KB2032276", "KB2124261", "MS10-048"]),
        ("AMAZON_LINUX_2", ["system-release.*", "ALAS-2018-123", "CVE-2018-1234567", "1234567"]),
        ("AMAZON_LINUX_2023", ["dbus.x86_64:1:1.12.28-1.amzn2023.0.1", "example-pkg-*.abcd.x86_64"]),
        ("REDHAT_ENTERPRISE_LINUX", ["RHSA-2017:0864", "kernel-3.10.0-*.el7.x86_64"]),
        ("SUSE", ["SUSE-SLE-Example-Package-12-2018-*", "example-pkg-2018.11.4-46.17.1.x86_64.rpm"]),
        ("UBUNTU", ["ExamplePkg33"]),
        ("DEBIAN", ["openssl"]),
        ("MACOS", ["XProtectPlistConfigData", "MRTConfigData"]),
        ("CENTOS", []),
        ("ORACLE_LINUX", None),
    ],
)
def test_documented_patch_list_formats_pass(operating_system, patches):
    assert validate_patch_list(operating_system, patches, "approved_patches") == []


@pytest.mark.parametrize(
    "operating_system, patches, expected",
    [
        ("WINDOWS", ["KB2032276,KB2124261"], "approved_patches[0]: 'KB2032276,KB2124261' holds several patches"),
        ("WINDOWS", [" KB2032276"], "approved_patches[0]: ' KB2032276' contains whitespace; WINDOWS patch lists"),
        ("AMAZON_LINUX_2", ["openssl 1.0.2k"], "approved_patches[0]: 'openssl 1.0.2k' contains whitespace"),
        ("MACOS", ["XProtect*"], "approved_patches[0]: 'XProtect*' uses a wildcard, which macOS patch lists do not"),
        ("UBUNTU", ["openssl", ""], "approved_patches[1]: must be a non-empty patch name, got ''; UBUNTU patch"),
        ("ROCKY_LINUX", "kernel", "approved_patches: must be a list of patch names, got str"),
        ("ALMA_LINUX", [42], "approved_patches[0]: must be a non-empty patch name, got 42"),
    ],
)
def test_patch_lists_catch_only_what_aws_formats_rule_out(operating_system, patches, expected):
    problems = validate_patch_list(operating_system, patches, "approved_patches")
    assert len(problems) == 1, problems
    assert expected in problems[0]
