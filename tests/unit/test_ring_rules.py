"""The patch rings expansion (plugins/module_utils/rings.py) and promotion (ring_promotion.py): validation naming the
ring, one baseline per ring per template, later rings approving nothing until promoted and keeping their promotion,
and the promotion's health checks, soak time, cutoffs and explicit lists on Ubuntu."""

import copy

import pytest
from ansible_collections.patchmodel.ssm.plugins.filter.rings import FilterModule
from ansible_collections.patchmodel.ssm.plugins.module_utils import rings
from ansible_collections.patchmodel.ssm.plugins.module_utils.ring_promotion import (
    previous_ring_summary,
    promotion_plan,
    promotion_problems,
)

RULE = {
    "patch_filters": [{"key": "PRODUCT", "values": ["*"]}],
    "approve_after_days": 3,
    "compliance_level": "HIGH",
}
MODEL = {
    "name": "app",
    "ring_baselines": [
        {"name": "App-AL2", "operating_system": "AMAZON_LINUX_2", "approval_rules": [RULE], "tags": {"team": "a"}},
        {
            "name": "App-Ubuntu",
            "operating_system": "UBUNTU",
            "approval_rules": [{"patch_filters": RULE["patch_filters"]}],
        },
    ],
    "rings": [
        {"name": "dev", "patch_groups": ["Dev"], "maintenance_window": {"schedule": "cron(0 2 ? * TUE *)"}},
        {"name": "stg", "patch_groups": ["Stg"], "promote_after": "2d", "maintenance_window": {"schedule": "x"}},
        {"name": "prod", "patch_groups": ["Prod"], "promote_after": "7d", "maintenance_window": {"schedule": "y"}},
    ],
}
NOW = "2026-12-10T12:00:00+00:00"


def model(**changes):
    result = copy.deepcopy(MODEL)
    result.update(changes)
    return result


def named(baselines, name):
    [baseline] = [b for b in baselines if b["name"] == name]
    return baseline


def node(instance_id, baseline_id="pb-al2-dev", status="compliant", end="2026-12-01T10:00:00+00:00", **counts):
    return dict(
        {"instance_id": instance_id, "status": status, "baseline_id": baseline_id, "operation_end_time": end}, **counts
    )


def state(promotions=None):
    """Ring state with ids for every ring baseline; `promotions`: {baseline name: promotion}."""
    found = {}
    for ring in MODEL["rings"]:
        for template in MODEL["ring_baselines"]:
            name = f"{template['name']}-{ring['name']}"
            short = "al2" if "AL2" in name else "ubuntu"
            found[name] = {"baseline_id": f"pb-{short}-{ring['name']}", "promotion": (promotions or {}).get(name)}
    return found


def test_the_filter_plugin_exposes_the_expansion_and_the_promotion():
    filters = FilterModule().filters()
    assert filters["model_baselines"] is rings.model_baselines and filters["ring_promotion"] is promotion_plan


def test_a_valid_model_and_a_model_without_rings_have_no_problems():
    assert rings.ring_problems(MODEL) == []
    assert rings.ring_problems({"name": "plain", "baselines": []}) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda m: m["rings"][1].pop("promote_after"), "rings[1] (stg): promote_after is required"),
        (lambda m: m["rings"][0].update(promote_after="1d"), "rings[0] (dev): the first ring takes no promote_after"),
        (lambda m: m["rings"][2].update(promote_after="soon"), "rings[2] (prod): promote_after 'soon' is not a delay"),
        (lambda m: m["rings"][2].update(name="dev"), "rings[2] (dev): the ring name 'dev' is used twice"),
        (lambda m: m["rings"][2].update(patch_groups=["Stg"]), "patch group 'Stg' is also in ring 'stg'"),
        (lambda m: m["rings"][1].update(patch_groups=[]), "rings[1] (stg): patch_groups must be a non-empty list"),
        (lambda m: m["rings"][1].pop("maintenance_window"), "rings[1] (stg): maintenance_window must be a mapping"),
        (lambda m: m["rings"][1].update(window={}), "rings[1] (stg): unknown key 'window'"),
        (
            lambda m: m["ring_baselines"][0].update(patch_groups=["X"]),
            "ring_baselines[0] (App-AL2): takes no patch_groups",
        ),
        (lambda m: m.update(baselines=[{"name": "App-AL2-prod"}]), "baseline name 'App-AL2-prod' is also in baselines"),
        (lambda m: m.update(baselines=[{"name": "b", "patch_groups": ["Dev"]}]), "patch group 'Dev' is also given"),
        (lambda m: m.update(maintenance_windows=[{"name": "app-stg"}]), "window name 'app-stg' is used twice"),
        (lambda m: m.pop("ring_baselines"), "rings need at least one baseline"),
        (lambda m: m.pop("rings"), "ring_baselines needs rings"),
    ],
)
def test_each_bad_ring_setting_is_named(change, expected):
    bad = model()
    change(bad)
    problems = rings.ring_problems(bad)
    assert any(expected in problem for problem in problems), problems


def test_one_baseline_per_ring_per_template_and_later_rings_approve_nothing_before_promotion():
    baselines = rings.model_baselines(model(baselines=[{"name": "Other"}]))
    assert [b["name"] for b in baselines] == [
        "Other", "App-AL2-dev", "App-Ubuntu-dev", "App-AL2-stg", "App-Ubuntu-stg", "App-AL2-prod", "App-Ubuntu-prod",
    ]  # fmt: skip
    dev, prod = named(baselines, "App-AL2-dev"), named(baselines, "App-AL2-prod")
    assert dev["approval_rules"] == [RULE] and dev["patch_groups"] == ["Dev"]
    assert dev["tags"] == {"team": "a", "patchmodel:ring": "dev"}
    assert prod["approval_rules"] == [] and prod["approved_patches"] == [] and prod["patch_groups"] == ["Prod"]


def test_a_promoted_ring_keeps_its_cutoff_and_its_explicit_list():
    promotions = {
        "App-AL2-prod": {"as_of": "2026-12-01", "promoted_at": "2026-12-09T00:00:00Z", "promoted_from": "stg"},
        "App-Ubuntu-prod": {
            "as_of": "2026-12-01", "promoted_at": "2026-12-09T00:00:00Z", "promoted_from": "stg",
            "approved_patches": ["curl", "bash"],
        },
    }  # fmt: skip
    baselines = rings.model_baselines(MODEL, state(promotions))
    al2, ubuntu = named(baselines, "App-AL2-prod"), named(baselines, "App-Ubuntu-prod")
    # Each rule approves what it approved on the promoted day: 3 days after release means released by 11-28.
    assert al2["approval_rules"] == [
        {"patch_filters": RULE["patch_filters"], "compliance_level": "HIGH", "approve_until_date": "2026-11-28"}
    ]
    assert al2["tags"]["patchmodel:promoted-as-of"] == "2026-12-01" and al2["tags"]["patchmodel:promoted-from"] == "stg"
    assert ubuntu["approval_rules"] == [] and ubuntu["approved_patches"] == ["curl", "bash"]


def test_a_rule_with_its_own_until_date_keeps_the_earlier_date():
    template = dict(
        MODEL["ring_baselines"][0], approval_rules=[{"patch_filters": [], "approve_until_date": "2026-06-01"}]
    )
    promotion = {"as_of": "2026-12-01", "promoted_at": "", "promoted_from": "dev"}
    baseline = rings.ring_baseline(template, MODEL["rings"][1], 1, promotion)
    assert baseline["approval_rules"][0]["approve_until_date"] == "2026-06-01"


def test_ring_state_reads_the_promotion_tags_and_the_ubuntu_list():
    promoted = {
        "patchmodel:promoted-as-of": "2026-12-01",
        "patchmodel:promoted-at": "t",
        "patchmodel:promoted-from": "stg",
    }
    found = [
        {"name": "App-AL2-prod", "baseline_id": "pb-1", "operating_system": "AMAZON_LINUX_2", "tags": promoted},
        {"name": "App-Ubuntu-prod", "baseline_id": "pb-2", "operating_system": "UBUNTU", "approved_patches": ["b", "a"],
         "tags": {"patchmodel:promoted-as-of": "2026-12-01"}},
        {"name": "App-AL2-dev", "baseline_id": "pb-3", "tags": {}},
        {"name": "App-AL2-other", "baseline_id": "pb-4", "tags": {}},
    ]  # fmt: skip
    read = rings.ring_state(MODEL, found)
    assert set(read) == {"App-AL2-prod", "App-Ubuntu-prod", "App-AL2-dev"}
    assert read["App-AL2-prod"]["promotion"]["as_of"] == "2026-12-01"
    assert read["App-Ubuntu-prod"]["promotion"]["approved_patches"] == ["a", "b"]
    assert read["App-AL2-dev"] == {"baseline_id": "pb-3", "promotion": None}


def test_the_ring_window_targets_the_ring_and_takes_task_changes():
    ring = dict(MODEL["rings"][2], maintenance_window={"schedule": "y", "task": {"max_errors": "1"}})
    window = rings.ring_window(MODEL, ring)
    assert window["name"] == "app-prod" and "task" not in window
    assert window["targets"] == [{"name": "prod", "targets": [{"key": "tag:Patch Group", "values": ["Prod"]}]}]
    [task] = window["tasks"]
    assert task["task_arn"] == "AWS-RunPatchBaseline" and task["window_targets"] == ["prod"]
    assert task["max_errors"] == "1" and task["run_command"]["parameters"]["Operation"] == ["Install"]


def installed(instance_id, baseline_id, patches, when="2026-12-01T09:00:00+00:00"):
    return {"instance_id": instance_id, "baseline_id": baseline_id,
            "patches": [{"kb_id": p, "state": "INSTALLED", "installed_time": when} for p in patches]}  # fmt: skip


def test_promoting_the_second_ring_cuts_off_at_the_day_the_first_was_patched():
    instances = [node("i-1"), node("i-2", end="2026-12-02T08:00:00+00:00"), node("mi-3", baseline_id="pb-ubuntu-dev")]
    details = [installed("i-1", "pb-al2-dev", ["kernel"]), installed("mi-3", "pb-ubuntu-dev", ["curl", "bash"])]
    plan = promotion_plan(MODEL, "stg", state(), instances, details, [], NOW)
    assert plan["ready"], plan["message"]
    assert plan["as_of"] == "2026-12-01"  # the earliest report: every node had its approved patches by then
    assert plan["methods"] == {"App-AL2-stg": "approve_until_date", "App-Ubuntu-stg": "approved_patches"}
    al2, ubuntu = named(plan["baselines"], "App-AL2-stg"), named(plan["baselines"], "App-Ubuntu-stg")
    assert al2["approval_rules"][0]["approve_until_date"] == "2026-11-28"
    assert ubuntu["approved_patches"] == ["bash", "curl"] and ubuntu["approval_rules"] == []
    assert al2["tags"]["patchmodel:promoted-at"] == "2026-12-10T12:00:00Z"
    # The same promotion later keeps its time, so it changes nothing.
    again = promotion_plan(MODEL, "stg", plan["state"], instances, details, [], "2026-12-11T00:00:00+00:00")
    assert again["baselines"] == plan["baselines"]


def test_unhealthy_nodes_are_each_named_with_why():
    instances = [
        node("i-ok"),
        node("i-failed", status="failed", failed_count=2),
        node("i-missing", status="non_compliant", missing_count=4),
        node("i-reboot", status="pending_reboot", installed_pending_reboot_count=1),
        node("i-new", status="unreported", end=None),
        node("i-old", end="2026-11-01T00:00:00+00:00"),
        node("i-other", baseline_id="pb-elsewhere"),
    ]
    windows = [{"executions": [{"start_time": "2026-11-20T02:00:00+00:00"}]}]
    plan = promotion_plan(MODEL, "stg", state(), instances, [], windows, NOW)
    assert not plan["ready"]
    assert plan["message"].startswith("Ring dev is not healthy, so stg is not promoted. Nodes holding it back: ")
    blockers = dict(line.split(" ", 1) for line in plan["blockers"])
    assert set(blockers) == {"i-failed", "i-missing", "i-reboot", "i-new", "i-old", "i-other"}
    assert blockers["i-failed"] == "2 patch(es) failed to install"
    assert blockers["i-missing"] == "misses 4 approved patch(es)"
    assert blockers["i-reboot"] == "1 patch(es) wait for a reboot"
    assert blockers["i-new"].startswith("has never reported")
    assert "before the ring's last window run at 2026-11-20T02:00:00Z" in blockers["i-old"]
    assert "reported against baseline pb-elsewhere" in blockers["i-other"]


def test_a_ring_is_not_promoted_before_promote_after_has_passed():
    details = [installed("i-1", "pb-al2-dev", ["kernel"], when="2026-12-09T00:00:00+00:00")]
    plan = promotion_plan(MODEL, "stg", state(), [node("i-1", end="2026-12-09T01:00:00+00:00")], details, [], NOW)
    assert not plan["ready"] and plan["due"] == "2026-12-11T00:00:00Z"
    assert "dev was last patched at 2026-12-09T00:00:00Z and promote_after 2d makes stg due at" in plan["message"]


def test_prod_needs_staging_promoted_and_patched_after_that_promotion():
    never = promotion_plan(MODEL, "prod", state(), [node("i-1", baseline_id="pb-al2-stg")], [], [], NOW)
    assert never["message"] == "Ring stg has not been promoted yet: promote it first"
    promotion = {"as_of": "2026-11-20", "promoted_at": "2026-11-25T00:00:00Z", "promoted_from": "dev"}
    promoted = state({"App-AL2-stg": promotion, "App-Ubuntu-stg": dict(promotion, approved_patches=["curl"])})
    stale = promotion_plan(
        MODEL, "prod", promoted, [node("i-1", "pb-al2-stg", end="2026-11-24T00:00:00+00:00")], [], [], NOW
    )
    assert "before the ring's own promotion at 2026-11-25T00:00:00Z" in stale["message"]
    fresh = [node("i-1", "pb-al2-stg", end="2026-11-26T00:00:00+00:00")]
    details = [installed("i-1", "pb-al2-stg", ["kernel"], when="2026-11-26T00:00:00+00:00")]
    plan = promotion_plan(MODEL, "prod", promoted, fresh, details, [], NOW)
    assert plan["ready"] and plan["as_of"] == "2026-11-20"  # what staging was given, not the day it was patched


def test_more_installed_patches_than_a_baseline_can_name_refuse_the_ubuntu_promotion():
    details = [installed("mi-1", "pb-ubuntu-dev", [f"pkg{i}" for i in range(51)])]
    plan = promotion_plan(MODEL, "stg", state(), [node("mi-1", "pb-ubuntu-dev")], details, [], NOW)
    assert not plan["ready"] and "installed 51 patches of UBUNTU; a baseline approves at most 50" in plan["message"]


def test_the_first_ring_and_unknown_rings_cannot_be_promoted():
    assert promotion_problems(MODEL, "dev") == [
        "ring 'dev' is the first ring: it is patched from the approval rules and is never promoted"
    ]
    assert "its rings are dev, stg, prod" in promotion_problems(MODEL, "qa")[0]
    assert previous_ring_summary(MODEL, "qa")["problems"] == promotion_problems(MODEL, "qa")
    assert promotion_plan(MODEL, "qa", {}, [], [], [], NOW)["ready"] is False
    assert previous_ring_summary({"name": "app", "rings": [{}]}, "prod")["problems"] == [
        "patch_model.ring_baselines: rings need at least one baseline to make one per ring"
    ]
    previous = previous_ring_summary(MODEL, "prod")
    assert previous == {"problems": [], "name": "stg", "patch_groups": ["Stg"], "window": "app-stg"}


def test_a_ring_without_nodes_is_not_healthy():
    plan = promotion_plan(MODEL, "stg", state(), [], [], [], NOW)
    assert plan["message"] == "Ring dev has no nodes in its patch groups (Dev)"
