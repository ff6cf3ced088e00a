"""The local evaluation of patch baselines (module_utils/baseline_preview.py) and the preview's options, search
filters and comparison (baseline_preview_api.py), on patches shaped as DescribeAvailablePatches returns them."""

import datetime

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline import FORM
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_preview import (
    evaluate,
    installed_as_dependency,
    non_security_notes,
    verdict,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_preview_api import (
    argument_spec,
    differences,
    option_problems,
    parse_as_of,
    preview,
    search_filters,
)

UTC = datetime.UTC


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def windows_patch(kb, released="2025-11-09T18:00:00", classification="SecurityUpdates", severity="Critical", **extra):
    patch = {
        "Id": f"id-{kb}",
        "KbNumber": kb,
        "MsrcNumber": "",
        "Product": "WindowsServer2016",
        "ProductFamily": "Windows",
        "Classification": classification,
        "MsrcSeverity": severity,
        "ReleaseDate": at(released),
        "Title": f"Update {kb}",
    }
    return dict(patch, **extra)


def linux_patch(name, released="2025-11-09T00:00:00", classification="Security", severity="Important", **extra):
    patch = {
        "Name": name,
        "Arch": "x86_64",
        "Epoch": 0,
        "Version": "1.2.3",
        "Release": "4.amzn2",
        "Product": "AmazonLinux2",
        "Classification": classification,
        "Severity": severity,
        "AdvisoryIds": [f"ALAS2-2025-{len(name)}"],
        "CVEIds": ["CVE-2025-1234"],
        "BugzillaIds": [],
        "ReleaseDate": at(released),
    }
    return dict(patch, **extra)


def rule(days=None, until=None, level="UNSPECIFIED", non_security=False, **filters):
    return {
        "patch_filters": [{"key": key, "values": values} for key, values in (filters or {"PRODUCT": ["*"]}).items()],
        "approve_after_days": days,
        "approve_until_date": until,
        "compliance_level": level,
        "enable_non_security": non_security,
    }


def baseline(operating_system="WINDOWS", rules=(), **settings):
    options = {"operating_system": operating_system, "approval_rules": list(rules), **settings}
    return FORM.with_defaults(FORM.from_options(options))


def status(form, patch, as_of):
    decided = verdict(form, patch, at(as_of))
    return decided and decided[:3]


# --- approval delays


def test_approve_after_days_counts_from_the_release_instant_in_utc():
    form = baseline(rules=[rule(days=7)])
    patch = windows_patch("KB1", released="2025-11-09T18:00:00")
    assert status(form, patch, "2025-11-16T17:59:59") == ("PENDING_APPROVAL", at("2025-11-16T18:00:00"), "UNSPECIFIED")
    assert status(form, patch, "2025-11-16T18:00:00") == ("APPROVED", at("2025-11-16T18:00:00"), "UNSPECIFIED")


def test_approve_until_date_takes_the_whole_day_and_approves_on_release():
    form = baseline(rules=[rule(until="2025-11-16")])
    late_that_day = windows_patch("KB1", released="2025-11-16T23:59:59")
    next_day = windows_patch("KB2", released="2025-11-17T00:00:00")
    assert status(form, late_that_day, "2025-12-01T00:00:00") == ("APPROVED", at("2025-11-16T23:59:59"), "UNSPECIFIED")
    assert verdict(form, next_day, at("2030-01-01T00:00:00")) is None  # never approved: not listed, not pending


def test_the_earliest_rule_decides_the_approval_date():
    form = baseline(rules=[rule(days=10, level="LOW"), rule(days=2, level="HIGH")])
    patch = windows_patch("KB1", released="2025-11-01T00:00:00")
    assert status(form, patch, "2025-11-02T00:00:00") == ("PENDING_APPROVAL", at("2025-11-03T00:00:00"), "HIGH")
    decided = verdict(form, patch, at("2025-11-04T00:00:00"))
    assert decided == ("APPROVED", at("2025-11-03T00:00:00"), "HIGH", "approval_rules[1]")


# --- filters


def test_a_patch_must_match_every_filter_of_a_rule_and_every_global_filter():
    form = baseline(rules=[rule(days=0, CLASSIFICATION=["SecurityUpdates"], MSRC_SEVERITY=["Critical", "Important"])])
    assert status(form, windows_patch("KB1", severity="Important"), "2025-12-01T00:00:00")[0] == "APPROVED"
    assert verdict(form, windows_patch("KB2", severity="Moderate"), at("2025-12-01T00:00:00")) is None
    assert verdict(form, windows_patch("KB3", classification="Updates"), at("2025-12-01T00:00:00")) is None
    fenced = baseline(rules=[rule(days=0)], global_filters=[{"key": "PRODUCT", "values": ["WindowsServer2019"]}])
    assert verdict(fenced, windows_patch("KB1"), at("2025-12-01T00:00:00")) is None


def test_a_windows_rule_without_patch_set_selects_operating_system_patches_only():
    office = windows_patch("KB9", Product="Office 2016", ProductFamily="Office")
    assert verdict(baseline(rules=[rule(days=0)]), office, at("2025-12-01T00:00:00")) is None
    for_apps = baseline(rules=[rule(days=0, PATCH_SET=["APPLICATION"], PRODUCT=["*"])])
    assert status(for_apps, office, "2025-12-01T00:00:00")[0] == "APPROVED"


# --- approved and rejected lists


def test_the_approved_list_approves_at_its_own_compliance_level_without_a_rule():
    form = baseline(approved_patches=["KB5"], approved_patches_compliance_level="HIGH")
    assert verdict(form, windows_patch("KB5"), at("2025-11-10T00:00:00")) == (
        "EXPLICIT_APPROVED",
        None,
        "HIGH",
        "approved_patches",
    )
    assert verdict(form, windows_patch("KB6"), at("2025-11-10T00:00:00")) is None


def test_a_patch_approved_several_ways_gets_the_most_severe_level():
    form = baseline(rules=[rule(days=0, level="CRITICAL")], approved_patches=["KB5"])
    assert status(form, windows_patch("KB5"), "2025-12-01T00:00:00") == ("EXPLICIT_APPROVED", None, "CRITICAL")


def test_the_rejected_list_overrides_rules_and_the_approved_list():
    form = baseline(rules=[rule(days=0)], approved_patches=["KB5"], rejected_patches=["KB5", "kb7"])
    for kb in ("KB5", "KB7"):
        assert status(form, windows_patch(kb), "2025-12-01T00:00:00") == ("EXPLICIT_REJECTED", None, "UNSPECIFIED")


@pytest.mark.parametrize(
    ("operating_system", "action", "as_dependency"),
    [
        ("AMAZON_LINUX_2", "ALLOW_AS_DEPENDENCY", True),
        ("AMAZON_LINUX_2", "BLOCK", False),
        ("WINDOWS", "ALLOW_AS_DEPENDENCY", False),  # Windows has no package dependencies
        ("WINDOWS", "BLOCK", False),
    ],
)
def test_rejected_patches_may_come_in_as_dependencies_only_with_allow_on_linux(operating_system, action, as_dependency):
    form = baseline(operating_system, rules=[rule(days=0)], rejected_patches=["kernel*", "KB1"])
    form = dict(form, rejected_patches_action=action)
    patch = linux_patch("kernel") if operating_system != "WINDOWS" else windows_patch("KB1")
    result = preview(form, [patch], at("2025-12-01T00:00:00"))
    (rejected,) = result["rejected"]
    assert rejected["status"] == "EXPLICIT_REJECTED" and result["approved"] == []
    assert rejected["installed_as_dependency"] is as_dependency is installed_as_dependency(form)


@pytest.mark.parametrize(
    "entry",
    ["openssl", "openssl.x86_64", "openssl-1.2.3", "openssl-1.2.3-4.amzn2.x86_64", "openssl-0:1.2.3-4.amzn2", "open*"],
)
def test_linux_lists_take_the_documented_package_name_forms(entry):
    form = baseline("AMAZON_LINUX_2", rejected_patches=[entry])
    assert status(form, linux_patch("openssl"), "2025-12-01T00:00:00")[0] == "EXPLICIT_REJECTED"


def test_only_the_approved_list_takes_advisory_and_cve_ids():
    patch = linux_patch("curl")
    approved = baseline("AMAZON_LINUX_2", approved_patches=["CVE-2025-1234"])
    rejected = baseline("AMAZON_LINUX_2", rejected_patches=["CVE-2025-1234"])
    assert status(approved, patch, "2025-12-01T00:00:00")[0] == "EXPLICIT_APPROVED"
    assert verdict(rejected, patch, at("2025-12-01T00:00:00")) is None


# --- non-security updates


def test_non_security_rules_are_reported_as_what_the_listing_cannot_show():
    listed = [linux_patch("curl"), linux_patch("bash", classification="Bugfix", severity="None")]
    plain = baseline("AMAZON_LINUX_2", rules=[rule(days=0, CLASSIFICATION=["Security"])])
    widened = baseline("AMAZON_LINUX_2", rules=[rule(days=0, non_security=True, CLASSIFICATION=["Security"])])
    as_of = at("2025-12-01T00:00:00")
    assert evaluate(plain, listed, as_of) == evaluate(widened, listed, as_of)  # the same listed patches
    assert non_security_notes(plain) == []
    (note,) = non_security_notes(widened)
    assert note.startswith("approval_rules[0]") and "DescribeAvailablePatches does not list" in note
    assert non_security_notes(baseline("WINDOWS", rules=[rule(days=0)])) == []


# --- the preview's result and comparison


def test_the_preview_sorts_approved_and_pending_newest_first():
    form = baseline(rules=[rule(days=3)])
    patches = [
        windows_patch("KB1", released="2025-11-01T00:00:00"),
        windows_patch("KB2", released="2025-11-20T00:00:00"),
    ]
    patches.append(windows_patch("KB3", released="2025-11-10T00:00:00"))
    result = preview(form, patches, at("2025-11-21T00:00:00"))
    assert [entry["patch_id"] for entry in result["approved"]] == ["KB3", "KB1"]
    (pending,) = result["pending"]
    assert pending["patch_id"] == "KB2" and pending["approval_date"] == "2025-11-23T00:00:00+00:00"


def effective(kb, deployment, approval, level="UNSPECIFIED"):
    status = {"DeploymentStatus": deployment, "ComplianceLevel": level}
    if approval:
        status["ApprovalDate"] = at(approval)
    return {"Patch": {"KbNumber": kb, "Product": "WindowsServer2016"}, "PatchStatus": status}


def test_differences_name_each_patch_aws_sees_otherwise():
    form = baseline(rules=[rule(days=3)])
    patches = [
        windows_patch("KB1", released="2020-01-01T00:00:00"),
        windows_patch("KB2", released="2020-01-01T00:00:00"),
    ]
    agreeing = [
        effective("KB1", "APPROVED", "2020-01-04T00:00:00"),
        effective("KB2", "APPROVED", "2020-01-04T00:00:00"),
    ]
    assert differences(form, patches, agreeing, "WindowsServer2016") == []
    other = [effective("KB1", "APPROVED", "2020-01-04T00:00:00", level="HIGH"), effective("KB4", "APPROVED", None)]
    found = {entry["patch_id"]: entry for entry in differences(form, patches, other, None)}
    assert set(found) == {"KB1", "KB2", "KB4"}
    assert found["KB1"]["preview"]["compliance_level"] == "UNSPECIFIED"
    assert found["KB1"]["effective"]["compliance_level"] == "HIGH"
    assert found["KB2"]["effective"] is None and found["KB4"]["preview"] is None


def test_windows_searches_are_narrowed_by_the_product_and_exact_global_filters():
    form = baseline(
        rules=[rule(days=0)],
        global_filters=[
            {"key": "CLASSIFICATION", "values": ["SecurityUpdates"]},
            {"key": "MSRC_SEVERITY", "values": ["*"]},
        ],
    )
    assert search_filters(form, "WindowsServer2016") == [
        {"Key": "PRODUCT", "Values": ["WindowsServer2016"]},
        {"Key": "CLASSIFICATION", "Values": ["SecurityUpdates"]},
    ]
    # A patch list may name a patch the global filters leave out: then only the product narrows.
    assert search_filters(dict(form, rejected_patches=["KB1"]), None) == []
    linux = baseline("AMAZON_LINUX_2", global_filters=[{"key": "SEVERITY", "values": ["Critical"]}])
    assert search_filters(linux, "AmazonLinux2") == [{"Key": "PRODUCT", "Values": ["AmazonLinux2"]}]


# --- options, checked before any call


def params(**given):
    return dict(dict.fromkeys(argument_spec()), **given)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, "operating_system is required"),
        ({"name": "Base", "approval_rules": []}, "not both"),
        ({"operating_system": "SUSE", "product": "SUSE15.4"}, "DescribeAvailablePatches"),
        ({"operating_system": "AMAZON_LINUX"}, "product is required for AMAZON_LINUX"),
        ({"operating_system": "WINDOWS", "as_of": "2025-13-01"}, "as_of: '2025-13-01' is not an ISO 8601 date"),
        ({"operating_system": "WINDOWS", "product": ""}, "product"),
        (
            {
                "operating_system": "WINDOWS",
                "approval_rules": [dict(rule(days=3), patch_filters=[{"key": "SEVERITY", "values": ["Critical"]}])],
            },
            "'SEVERITY' is not a patch filter key for WINDOWS",
        ),
        ({"operating_system": "WINDOWS", "approval_rules": [rule(days=400)]}, "approval_rules[0].approve_after_days"),
    ],
)
def test_bad_options_are_problems(given, expected):
    problems = option_problems(RequestChecker(), params(**given))
    assert any(expected in found for found in problems), problems


def test_good_options_have_no_problem():
    assert option_problems(RequestChecker(), params(name="WindowsServer2016Baseline", as_of="2025-11-16")) == []
    given = params(operating_system="AMAZON_LINUX_2", product="AmazonLinux2", approval_rules=[rule(days=7)])
    assert option_problems(RequestChecker(), given) == []


def test_as_of_reads_dates_as_midnight_utc_and_times_as_utc_unless_they_say():
    assert parse_as_of("2025-11-16") == at("2025-11-16T00:00:00")
    assert parse_as_of("2025-11-16T18:00:00") == at("2025-11-16T18:00:00")
    assert parse_as_of("2025-11-16T18:00:00+02:00") == at("2025-11-16T16:00:00")
    assert parse_as_of("2025-11-16T18:00:00Z") == at("2025-11-16T18:00:00")
