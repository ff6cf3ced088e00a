"""Patch rings against the local endpoint's simulated catalog: the example model makes one baseline per ring per
operating system; prod approves nothing until promoted; after dev is scanned and installed, promote_ring.yml gives
prod exactly the patches dev was patched with (approve_until_date), previews without writing, reruns without a
change, survives re-applying the model; an unhealthy or not yet soaked dev blocks the promotion, writing nothing."""

import datetime

from tests.helpers.ansible_run import run_playbook
from tests.integration.compliance_support import seed_nodes
from tests.integration.rings_support import (
    AL2_DEV,
    AL2_PROD,
    APPROVED_STATES,
    MODEL_PLAYBOOK,
    TEARDOWN_PLAYBOOK,
    apply_model,
    baseline_named,
    baselines_result,
    dev_prod_model,
    launch,
    patch_now,
    patch_states,
    promote,
    report_day,
)
from tools.emulator.ssm.fleet_catalog import catalog

WRITES_OF_A_PROMOTION = {"UpdatePatchBaseline", "AddTagsToResource", "RemoveTagsFromResource"}


def released(day):
    """{patch id: release day} of the Amazon Linux 2 catalog anchored on `day` (the day the region was patched)."""
    return {patch.patch_id: patch.released for patch in catalog("AMAZON_LINUX_2", day)}


def test_prod_is_promoted_to_exactly_what_dev_was_patched_with(account):
    ssm = account.client("ssm")
    model = dev_prod_model(promote_after="0d")
    dev_nodes = launch(account, 2, "App-Dev")
    [prod_node] = launch(account, 1, "App-Prod-A")
    apply_model(account, model)

    dev_baseline, dev_tags = baseline_named(ssm, AL2_DEV)
    prod_baseline, prod_tags = baseline_named(ssm, AL2_PROD)
    assert dev_baseline["ApprovalRules"]["PatchRules"][0]["ApproveAfterDays"] == 3
    assert dev_baseline["PatchGroups"] == ["App-Dev"] and dev_tags["patchmodel:ring"] == "dev"
    # Before its first promotion prod approves nothing.
    assert prod_baseline["ApprovalRules"]["PatchRules"] == [] and prod_baseline["ApprovedPatches"] == []
    assert sorted(prod_baseline["PatchGroups"]) == ["App-Prod-A", "App-Prod-B"]
    assert "patchmodel:promoted-as-of" not in prod_tags
    # The example's hook document is shared with the auditing account, and only with it.
    shared = ssm.describe_document_permission(Name="App-PrePatch-Hook", PermissionType="Share")
    assert shared["AccountIds"] == ["111122223333"]
    baseline_named(ssm, "App-Windows-prod")  # one baseline per ring per operating system

    for operation in ("Scan", "Install"):
        returncode, _results, _stats, output = patch_now(account, "App-Dev", operation)
        assert returncode == 0, output[-4000:]
    patched_day = report_day(ssm, dev_nodes)
    cutoff = patched_day - datetime.timedelta(days=3)  # dev's rule approves patches 3 days after their release

    # Not yet soaked: promote_after 7d refuses, saying when prod is due, and writes nothing.
    mark = account.mark()
    returncode, _stats, message, output = promote(account, dev_prod_model(promote_after="7d"), "prod")
    assert returncode != 0, output[-4000:]
    assert "Ring prod is not due" in message and "promote_after 7d makes prod due at" in message, message
    assert account.mutating(mark) == []

    # --check --diff shows the promotion of prod's baselines and writes nothing, not even the lock.
    mark = account.mark()
    result, output = baselines_result(account, model, "prod", check=True, diff=True)
    assert account.mutating(mark, include_lock=True) == []
    assert result["changed"] and sorted(result["changed_resources"]) == [
        f"patch baseline '{AL2_PROD}': updated",
        "patch baseline 'App-Windows-prod': updated",
    ], result["changed_resources"]
    [al2_diff] = [diff for diff in result["diff"] if AL2_PROD in diff["after_header"]]
    assert cutoff.isoformat() in str(al2_diff["after"]) and cutoff.isoformat() not in str(al2_diff["before"])

    returncode, stats, _message, output = promote(account, model, "prod")
    assert returncode == 0, output[-4000:]
    assert stats["changed"] >= 1
    prod_baseline, prod_tags = baseline_named(ssm, AL2_PROD)
    [rule] = prod_baseline["ApprovalRules"]["PatchRules"]
    assert rule["ApproveUntilDate"] == cutoff.isoformat() and "ApproveAfterDays" not in rule
    assert rule["PatchFilterGroup"] == dev_baseline["ApprovalRules"]["PatchRules"][0]["PatchFilterGroup"]
    assert prod_tags["patchmodel:promoted-as-of"] == patched_day.isoformat()
    assert prod_tags["patchmodel:promoted-from"] == "dev"

    # A prod node's scan: every reported patch released on or before dev's cutoff is approved, none after it.
    returncode, _results, _stats, output = patch_now(account, "App-Prod-A", "Scan")
    assert returncode == 0, output[-4000:]
    release_days = released(patched_day)
    for node, baseline in ((prod_node, "prod"), (dev_nodes[0], "dev")):
        states = patch_states(ssm, node)
        approved = {patch for patch, state in states.items() if state in APPROVED_STATES}
        before = {patch for patch in states if release_days[patch] <= cutoff}
        assert approved == before, baseline
        assert approved, baseline
    # The cutoff splits the catalog. A node reports every approved patch that applies to it (installed, or missing),
    # and unapproved ones only when it has them installed, which depends on its id: so the scans above show that the
    # patches released after the cutoff, which apply to 92% of nodes each, are approved nowhere.
    assert [patch for patch, day in release_days.items() if day > cutoff]
    assert [patch for patch, day in release_days.items() if day <= cutoff]

    # The same promotion again changes nothing; so does re-applying the model.
    mark = account.mark()
    returncode, stats, _message, output = promote(account, model, "prod")
    assert returncode == 0, output[-4000:]
    assert stats["changed"] == 0 and account.mutating(mark) == [], output[-4000:]
    stats = apply_model(account, model)
    assert stats["changed"] == 0
    assert not {entry["operation"] for entry in account.mutating(mark)} & WRITES_OF_A_PROMOTION
    assert baseline_named(ssm, AL2_PROD) == (prod_baseline, prod_tags)


def test_an_unhealthy_dev_blocks_the_promotion_naming_its_nodes(account):
    model = dev_prod_model()
    [healthy] = launch(account, 1, "App-Dev")
    [failing] = seed_nodes(account, 1, "App-Dev", scan=False, failing=1.0)
    apply_model(account, model)
    patch_now(account, "App-Dev", "Install")  # fails on the failing node
    [never_patched] = launch(account, 1, "App-Dev")

    mark = account.mark()
    returncode, _stats, message, output = promote(account, model, "prod")
    assert returncode != 0, output[-4000:]
    assert "Ring dev is not healthy, so prod is not promoted" in message, message
    assert f"{failing} 1 patch(es) failed to install" in message
    assert f"{never_patched} has never reported a patch state" in message
    assert healthy not in message
    assert account.mutating(mark) == []
    prod_baseline, prod_tags = baseline_named(account.client("ssm"), AL2_PROD)
    assert prod_baseline["ApprovalRules"]["PatchRules"] == [] and "patchmodel:promoted-as-of" not in prod_tags

    # Teardown removes the rings' baselines and windows with the rest of the model.
    returncode, _results, _stats, output = run_playbook(account, TEARDOWN_PLAYBOOK, extra_vars=model)
    assert returncode == 0, output[-4000:]
    ssm = account.client("ssm")
    left = ssm.describe_patch_baselines(Filters=[{"Key": "NAME_PREFIX", "Values": ["App-"]}])["BaselineIdentities"]
    assert left == []
    assert ssm.list_documents(Filters=[{"Key": "Name", "Values": ["App-PrePatch-Hook"]}])["DocumentIdentifiers"] == []
    assert (
        ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": ["rings-example-dev"]}])["WindowIdentities"]
        == []
    )


def test_bad_rings_fail_before_any_change(account):
    model = dev_prod_model()
    rings = model["patch_model"]["rings"]
    rings[1].pop("promote_after")
    rings.append(dict(rings[0], name="dev"))
    mark = account.mark()
    returncode, _results, _stats, output = run_playbook(account, MODEL_PLAYBOOK, extra_vars=model)
    assert returncode != 0
    assert "rings[1] (prod): promote_after is required" in output
    assert "the ring name 'dev' is used twice" in output
    assert "patch group 'App-Dev' is also in ring 'dev'" in output
    assert account.mutating(mark) == []
