"""DescribeAvailablePatches and DescribeEffectivePatchesForPatchBaseline on the local endpoint: the simulated catalog
served as botocore's output model shapes it, AWS's filter rules, and effective patches that agree with what a Scan of
the fleet reports."""

import datetime

import pytest

from tests.emulator.fleet_endpoint import InProcessEndpoint, all_pages, failure, unique
from tests.helpers.output_shapes import output_problems
from tools.emulator.ssm.fleet_catalog import catalog

WINDOWS_2019 = [{"Key": "PRODUCT", "Values": ["WindowsServer2019"]}]


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    endpoint = InProcessEndpoint(tmp_path_factory.mktemp("available-patches"))
    yield endpoint
    endpoint.stop()


@pytest.fixture
def ssm(fleet):
    return fleet.client("ssm")


@pytest.fixture
def anchor(fleet, ssm):
    ssm.describe_available_patches(MaxResults=1)  # the catalog is anchored on first use
    counters = fleet.app.ssm.backend.region("us-east-1").extra["fleet_counters"]
    return counters["catalog_anchor"]


def release_day(patch):
    return patch["ReleaseDate"].astimezone(datetime.UTC).date()


def test_a_windows_product_lists_every_operating_system_patch_of_the_catalog(ssm, anchor):
    listed = all_pages(ssm.describe_available_patches, "Patches", Filters=WINDOWS_2019)
    expected = [patch for patch in catalog("WINDOWS", anchor) if "PRODUCT" not in patch.attributes]
    assert sorted(p["KbNumber"] for p in listed) == sorted(p.patch_id for p in expected)
    by_kb = {p.patch_id: p for p in expected}
    for patch in listed:
        source = by_kb[patch["KbNumber"]]
        assert (patch["Classification"], patch["MsrcSeverity"]) == (source.classification, source.severity)
        assert release_day(patch) == source.released and patch["Product"] == "WindowsServer2019"
        assert patch["Id"] != patch["KbNumber"]  # AWS: the patch's own id is not its KB number


def test_amazon_linux_2_lists_its_catalog_for_its_product(ssm, anchor):
    listed = all_pages(
        ssm.describe_available_patches, "Patches", Filters=[{"Key": "PRODUCT", "Values": ["AmazonLinux2"]}]
    )
    expected = catalog("AMAZON_LINUX_2", anchor)
    assert sorted(f"{p['Name']}.{p['Arch']}" for p in listed) == sorted(p.patch_id for p in expected)
    assert all("Id" not in patch and patch["AdvisoryIds"] for patch in listed)


def test_answers_validate_against_botocore_output_shapes(ssm, fleet):
    every_windows = ssm.describe_available_patches()
    assert every_windows["Patches"] and every_windows["NextToken"]
    baseline_id = ssm.create_patch_baseline(
        Name=unique("effective"),
        OperatingSystem="WINDOWS",
        ApprovalRules={"PatchRules": [{"PatchFilterGroup": {"PatchFilters": WINDOWS_2019}, "ApproveAfterDays": 3}]},
        RejectedPatches=["KB5000000"],
    )["BaselineId"]
    raw = fleet.app.ssm.handle("us-east-1", "DescribeAvailablePatches", {"Filters": WINDOWS_2019})[1]
    assert output_problems("DescribeAvailablePatches", raw) == []
    linux = fleet.app.ssm.handle(
        "us-east-1", "DescribeAvailablePatches", {"Filters": [{"Key": "PRODUCT", "Values": ["AmazonLinux2018.03"]}]}
    )[1]
    assert linux["Patches"] and output_problems("DescribeAvailablePatches", linux) == []
    effective = fleet.app.ssm.handle(
        "us-east-1", "DescribeEffectivePatchesForPatchBaseline", {"BaselineId": baseline_id}
    )[1]
    assert effective["EffectivePatches"]
    assert output_problems("DescribeEffectivePatchesForPatchBaseline", effective) == []


def test_filters_narrow_by_exact_values_and_page(ssm):
    critical = all_pages(
        ssm.describe_available_patches,
        "Patches",
        Filters=WINDOWS_2019 + [{"Key": "MSRC_SEVERITY", "Values": ["Critical"]}],
        MaxResults=5,
    )
    assert critical and {patch["MsrcSeverity"] for patch in critical} == {"Critical"}
    kb = critical[0]["KbNumber"]
    (one,) = ssm.describe_available_patches(Filters=WINDOWS_2019 + [{"Key": "PATCH_ID", "Values": [kb]}])["Patches"]
    assert one["KbNumber"] == kb
    office = ssm.describe_available_patches(Filters=[{"Key": "PATCH_SET", "Values": ["APPLICATION"]}])["Patches"]
    assert office and {patch["ProductFamily"] for patch in office} == {"Office"}


def test_linux_filters_need_a_product_and_unknown_keys_fail(ssm):
    error = failure(ssm.describe_available_patches, Filters=[{"Key": "CVE_ID", "Values": ["CVE-2018-3615"]}])
    assert error["Code"] == "ValidationException" and "PRODUCT" in error["Message"]
    error = failure(ssm.describe_available_patches, Filters=[{"Key": "COLOUR", "Values": ["red"]}])
    assert error["Code"] == "ValidationException" and "COLOUR" in error["Message"]


def test_effective_patches_are_for_windows_baselines_only(ssm):
    linux = ssm.create_patch_baseline(Name=unique("linux"), OperatingSystem="AMAZON_LINUX_2")["BaselineId"]
    error = failure(ssm.describe_effective_patches_for_patch_baseline, BaselineId=linux)
    assert error["Code"] == "UnsupportedOperatingSystem"
    error = failure(ssm.describe_effective_patches_for_patch_baseline, BaselineId="pb-0123456789abcdef0")
    assert error["Code"] == "DoesNotExistException"


def test_effective_patches_agree_with_what_a_scan_reports(fleet, ssm):
    """Every patch a Scan of a WindowsServer2019 node finds approved is APPROVED or EXPLICIT_APPROVED; every one it
    reports as not approved is not; pending patches carry the day they become approved."""
    group = unique()
    rules = [{"PatchFilterGroup": {"PatchFilters": WINDOWS_2019}, "ApproveAfterDays": 5, "ComplianceLevel": "HIGH"}]
    kbs = [patch["KbNumber"] for patch in ssm.describe_available_patches(Filters=WINDOWS_2019)["Patches"][:3]]
    baseline_id = ssm.create_patch_baseline(
        Name=unique("scan"),
        OperatingSystem="WINDOWS",
        ApprovalRules={"PatchRules": rules},
        ApprovedPatches=[kbs[0]],
        RejectedPatches=[kbs[1]],
    )["BaselineId"]
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=group)
    effective = all_pages(ssm.describe_effective_patches_for_patch_baseline, "EffectivePatches", BaselineId=baseline_id)
    status = {
        item["Patch"]["KbNumber"]: item["PatchStatus"]
        for item in effective
        if item["Patch"]["Product"] == "WindowsServer2019"
    }
    assert status[kbs[0]]["DeploymentStatus"] == "EXPLICIT_APPROVED"
    assert status[kbs[1]]["DeploymentStatus"] == "EXPLICIT_REJECTED"
    today = datetime.datetime.now(datetime.UTC).date()
    for item in effective:
        patch, patch_status = item["Patch"], item["PatchStatus"]
        if patch_status["DeploymentStatus"] in ("APPROVED", "PENDING_APPROVAL"):
            approval = patch_status["ApprovalDate"].astimezone(datetime.UTC).date()
            assert approval == release_day(patch) + datetime.timedelta(days=5)
            assert (approval <= today) == (patch_status["DeploymentStatus"] == "APPROVED")
    (node,) = fleet.seed_nodes(1, [group], platform="WINDOWS", scan=True)
    reported = all_pages(ssm.describe_instance_patches, "Patches", InstanceId=node)
    approved_states = {"INSTALLED", "MISSING", "INSTALLED_PENDING_REBOOT", "FAILED", "NOT_APPLICABLE"}
    assert {patch["State"] in approved_states for patch in reported} == {True, False}
    for patch in reported:
        deployed = status.get(patch["KBId"], {}).get("DeploymentStatus")
        assert (patch["State"] in approved_states) == (deployed in ("APPROVED", "EXPLICIT_APPROVED")), patch
