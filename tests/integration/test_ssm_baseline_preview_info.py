"""ssm_baseline_preview_info against the local endpoint: the Windows seed baseline previewed, compared with AWS's
effective patches and with the catalog itself; baselines not yet created; bad input failing before any call."""

import datetime
import pathlib

import pytest
import yaml

from tests.integration.patch_baseline_support import MODULE, no_traceback, run_tasks, task, unique

PREVIEW = "patchmodel.ssm.ssm_baseline_preview_info"
REPO = pathlib.Path(__file__).resolve().parents[2]
SEED_MODEL = REPO / "playbooks" / "vars" / "windows_2016_base.yml"


def seed_baseline(name):
    """The Windows Server 2016 seed model's baseline (SecurityUpdates, Critical + Important, after 3 days)."""
    (baseline,) = yaml.safe_load(SEED_MODEL.read_text(encoding="utf-8"))["patch_model"]["baselines"]
    options = {key: value for key, value in baseline.items() if key != "patch_groups"}
    return dict(options, name=name)


def all_pages(call, key, **params):
    items = []
    while True:
        answer = call(**params)
        items += answer.get(key) or []
        if not answer.get("NextToken"):
            return items
        params["NextToken"] = answer["NextToken"]


def catalog_matches(ssm):
    """The catalog's WindowsServer2016 patches the seed rule selects, each with release + 3 days (UTC)."""
    listed = all_pages(
        ssm.describe_available_patches, "Patches", Filters=[{"Key": "PRODUCT", "Values": ["WindowsServer2016"]}]
    )
    return {
        patch["KbNumber"]: patch["ReleaseDate"] + datetime.timedelta(days=3)
        for patch in listed
        if patch["ProductFamily"] == "Windows"
        and patch["Classification"] == "SecurityUpdates"
        and patch["MsrcSeverity"] in ("Critical", "Important")
    }


@pytest.fixture(scope="module")
def previews(local_aws, tmp_path_factory):
    ssm = local_aws.client("ssm")
    name = unique("PreviewWindowsSeed")
    expected = catalog_matches(ssm)
    # A day with patches on both sides: the middle approval date of the seed's patches.
    as_of = sorted(expected.values())[len(expected) // 2]
    seed = seed_baseline(name)
    definition = {key: value for key, value in seed.items() if key != "name"}
    tasks = [
        task(MODULE, seed, name="create"),
        task(PREVIEW, {"name": name, "product": "WindowsServer2016"}, name="seed now"),
        task(PREVIEW, {"name": name}, name="seed every product"),
        task(PREVIEW, {"name": name, "product": "WindowsServer2016", "as_of": as_of.date().isoformat()}, name="as of"),
        task(PREVIEW, dict(definition, product="WindowsServer2016", as_of=as_of.date().isoformat()), name="definition"),
        task(
            PREVIEW,
            {"name": "AWS-AmazonLinux2DefaultPatchBaseline", "product": "AmazonLinux2"},
            name="linux existing",
        ),
    ]
    mark = local_aws.mark()
    results = dict(
        zip([t["name"] for t in tasks], run_tasks(local_aws, tmp_path_factory.mktemp("preview"), tasks), strict=True)
    )
    requests = local_aws.requests(mark)  # the module runs' calls, before this test's own
    baseline_id = results["create"]["baseline"]["baseline_id"]
    effective = all_pages(ssm.describe_effective_patches_for_patch_baseline, "EffectivePatches", BaselineId=baseline_id)
    return {
        "results": results,
        "expected": expected,
        "as_of": as_of,
        "effective": effective,
        "requests": requests,
    }


def ok(previews, case):
    result = previews["results"][case]
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is False
    return result


def by_kb(entries):
    return {entry["patch_id"]: entry for entry in entries}


def as_instant(text):
    return datetime.datetime.fromisoformat(text)


def test_the_preview_of_an_existing_baseline_equals_the_endpoints_effective_patches(previews):
    result = ok(previews, "seed every product")
    assert result["compared_with_effective_patches"] is True and result["differences"] == []
    mine = {
        (entry["patch_id"], entry["product"]): (
            entry["status"],
            as_instant(entry["approval_date"]),
            entry["compliance_level"],
        )
        for entry in result["approved"] + result["pending"]
    }
    theirs = {
        (item["Patch"]["KbNumber"], item["Patch"]["Product"]): (
            item["PatchStatus"]["DeploymentStatus"],
            item["PatchStatus"]["ApprovalDate"],
            item["PatchStatus"]["ComplianceLevel"],
        )
        for item in previews["effective"]
    }
    assert mine and mine == theirs


def test_the_seed_preview_lists_exactly_the_catalogs_matching_patches_approved_three_days_after_release(previews):
    expected, as_of = previews["expected"], previews["as_of"]
    result = ok(previews, "as of")
    approved, pending = by_kb(result["approved"]), by_kb(result["pending"])
    assert approved and pending, "the chosen day leaves patches on both sides"
    assert set(approved) == {kb for kb, day in expected.items() if day <= as_of}
    assert set(pending) == {kb for kb, day in expected.items() if day > as_of}
    for kb, entry in {**approved, **pending}.items():
        assert as_instant(entry["approval_date"]) == expected[kb], kb
        assert as_instant(entry["approval_date"]) - as_instant(entry["release_date"]) == datetime.timedelta(days=3)
        assert entry["product"] == "WindowsServer2016" and entry["decided_by"] == "approval_rules[0]"
    assert {entry["status"] for entry in result["pending"]} == {"PENDING_APPROVAL"}
    assert result["as_of"] == as_of.isoformat()


def test_today_every_matching_patch_whose_day_has_come_is_approved(previews):
    result = ok(previews, "seed now")
    now = as_instant(result["as_of"])
    assert set(by_kb(result["approved"])) == {kb for kb, day in previews["expected"].items() if day <= now}
    assert result["baseline"]["arn"].endswith(f":patchbaseline/{result['baseline']['baseline_id']}")
    assert result["baseline"]["arn"].startswith("arn:aws:ssm:us-east-1:")


def test_a_baseline_not_yet_created_previews_like_the_same_baseline_created(previews):
    defined, created = ok(previews, "definition"), ok(previews, "as of")
    for key in ("approved", "pending", "rejected"):
        assert defined[key] == created[key], key
    assert defined["baseline"]["baseline_id"] is None and defined["compared_with_effective_patches"] is False


def test_a_linux_baseline_is_previewed_without_asking_for_effective_patches(previews):
    result = ok(previews, "linux existing")
    assert result["compared_with_effective_patches"] is False and result["differences"] == []
    assert result["approved"] and {entry["product"] for entry in result["approved"]} == {"AmazonLinux2"}
    # The AWS-owned baseline's id is its ARN, kept as is.
    assert result["baseline"]["arn"] == result["baseline"]["baseline_id"]
    effective_calls = [
        entry for entry in previews["requests"] if entry["operation"] == "DescribeEffectivePatchesForPatchBaseline"
    ]
    assert len(effective_calls) == 3  # the existing Windows baseline's three previews only


def test_available_patches_are_read_page_by_page(previews):
    listings = [entry for entry in previews["requests"] if entry["operation"] == "DescribeAvailablePatches"]
    every_product = [entry for entry in listings if not entry["parameters"].get("Filters")]
    assert len(every_product) > 1 and any(entry["parameters"].get("NextToken") for entry in every_product)


BAD = {
    "existing and definition": (
        {"name": "WindowsServer2016Baseline", "approved_patches": ["KB5000001"]},
        "not both",
    ),
    "unlisted system": ({"operating_system": "UBUNTU", "approval_rules": []}, "DescribeAvailablePatches"),
    "linux without product": ({"operating_system": "AMAZON_LINUX_2"}, "product is required"),
    "bad as_of": ({"operating_system": "WINDOWS", "as_of": "next tuesday"}, "as_of"),
    "nothing": ({}, "operating_system is required"),
    "key of another system": (
        {
            "operating_system": "AMAZON_LINUX_2",
            "product": "AmazonLinux2",
            "approval_rules": [
                {"patch_filters": [{"key": "MSRC_SEVERITY", "values": ["Critical"]}], "approve_after_days": 1}
            ],
        },
        "MSRC_SEVERITY",
    ),
    "rule without delay": (
        {
            "operating_system": "WINDOWS",
            "approval_rules": [{"patch_filters": [{"key": "PRODUCT", "values": ["*"]}]}],
        },
        "approve_after_days",
    ),
}


def test_bad_input_fails_before_any_call(local_aws, tmp_path):
    mark = local_aws.mark()
    tasks = [task(PREVIEW, options, name=case) for case, (options, _) in BAD.items()]
    results = dict(zip(BAD, run_tasks(local_aws, tmp_path, tasks), strict=True))
    for case, (_, message) in BAD.items():
        result = results[case]
        assert result.get("failed") and message in result["msg"], (case, result.get("msg"))
        assert no_traceback(result), case
    assert local_aws.requests(mark) == []
