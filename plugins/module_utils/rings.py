# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Patch rings (docs/rings.md): the model's `rings` and `ring_baselines` expanded into baselines and windows, and
the promotion of a ring from the compliance of the ring before it.

Pure functions over plain data, so the playbooks reach them through the filter plugin plugins/filter/rings.py and
the roles receive ordinary `baselines` and `maintenance_windows` items.

A ring after the first approves only what its promotion set. The promotion is kept on its baselines as tags
(PROMOTED_AS_OF, PROMOTED_AT, PROMOTED_FROM) and, on Debian and Ubuntu, as the baseline's approved patches; the
playbooks read them back (`ring_state`) so re-applying the model keeps the promotion.
"""

from __future__ import annotations

import copy
import datetime
import re

RING_TAG = "patchmodel:ring"
PROMOTED_AS_OF = "patchmodel:promoted-as-of"  # the day whose approvals the ring was given (YYYY-MM-DD)
PROMOTED_AT = "patchmodel:promoted-at"  # when that promotion was made (ISO 8601, UTC)
PROMOTED_FROM = "patchmodel:promoted-from"  # the ring it was promoted from

# Approval rules here take neither an approval delay nor a cutoff date, so a ring is promoted with an explicit
# list of approved patches instead.  # AWS: PatchRule.ApproveAfterDays, guide:patch-rule-until-date-debian-ubuntu
EXPLICIT_LIST_SYSTEMS = ("DEBIAN", "UBUNTU")
APPROVED_PATCHES_LIMIT = 50  # botocore: CreatePatchBaseline.ApprovedPatches, a PatchIdList of at most 50
COMPLIANCE_LEVELS = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED")  # most severe first

RING_KEYS = ("name", "patch_groups", "maintenance_window", "promote_after", "description")
NAME = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
DELAY = re.compile(r"^(\d+)([hdw])$")
DELAY_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
# Patch states of a node's patches that count as "the ring was patched with it".
INSTALLED_STATES = ("INSTALLED", "INSTALLED_PENDING_REBOOT")


def parse_delay(text):
    """A promote_after value ("7d", "12h", "2w") as a timedelta; None when it is not one."""
    match = DELAY.match(str(text))
    if not match:
        return None
    return datetime.timedelta(**{DELAY_UNITS[match.group(2)]: int(match.group(1))})


def rings_of(model):
    return model.get("rings") or []


def templates_of(model):
    return model.get("ring_baselines") or []


def baseline_name(template, ring):
    return f"{template['name']}-{ring['name']}"


def window_name(model, ring):
    return (ring.get("maintenance_window") or {}).get("name") or f"{model['name']}-{ring['name']}"


def _ring_problems(ring, index, seen_names, seen_groups):
    where = f"patch_model.rings[{index}]"
    if not isinstance(ring, dict):
        return [f"{where}: must be a mapping with name, patch_groups, maintenance_window and promote_after"]
    name = ring.get("name")
    label = f"{where} ({name})" if isinstance(name, str) else where
    problems = [
        f"{label}: unknown key {key!r}; a ring takes {', '.join(RING_KEYS)}" for key in ring if key not in RING_KEYS
    ]
    if not isinstance(name, str) or not NAME.match(name):
        problems.append(f"{label}: name must be 1 to 32 letters, digits, '_', '.' or '-'")
    elif name in seen_names:
        problems.append(f"{label}: the ring name {name!r} is used twice")
    seen_names.add(name)
    groups = ring.get("patch_groups")
    if not isinstance(groups, list) or not groups or not all(isinstance(g, str) and g for g in groups):
        problems.append(f"{label}: patch_groups must be a non-empty list of patch group names")
    else:
        for group in groups:
            if group in seen_groups:
                problems.append(f"{label}: patch group {group!r} is also in ring {seen_groups[group]!r}")
            seen_groups.setdefault(group, name)
    if not isinstance(ring.get("maintenance_window"), dict):
        problems.append(f"{label}: maintenance_window must be a mapping of the ring's window settings")
    promote_after = ring.get("promote_after")
    if index == 0 and promote_after is not None:
        problems.append(f"{label}: the first ring takes no promote_after; it is patched from the approval rules")
    elif index > 0 and promote_after is None:
        problems.append(f"{label}: promote_after is required for every ring after the first (e.g. 7d, 12h, 2w)")
    elif index > 0 and parse_delay(promote_after) is None:
        problems.append(f"{label}: promote_after {promote_after!r} is not a delay such as 7d, 12h or 2w")
    return problems


def _template_problems(model):
    problems, names = [], set()
    for index, template in enumerate(templates_of(model)):
        where = f"patch_model.ring_baselines[{index}]"
        if not isinstance(template, dict) or not isinstance(template.get("name"), str):
            problems.append(f"{where}: must be a mapping with a name and the options of a baseline")
            continue
        where = f"{where} ({template['name']})"
        if template["name"] in names:
            problems.append(f"{where}: the name is used twice")
        names.add(template["name"])
        for key in ("patch_groups", "default_baseline"):
            if key in template:
                problems.append(f"{where}: takes no {key}; each ring's baseline gets the ring's patch groups")
    return problems


def _collision_problems(model):
    problems = []
    baselines = {b.get("name") for b in model.get("baselines") or [] if isinstance(b, dict)}
    windows = {w.get("name") for w in model.get("maintenance_windows") or [] if isinstance(w, dict)}
    groups = {g for b in model.get("baselines") or [] if isinstance(b, dict) for g in b.get("patch_groups") or []}
    ring_windows = set()
    for ring in rings_of(model):
        for template in templates_of(model):
            if baseline_name(template, ring) in baselines:
                problems.append(
                    f"ring {ring['name']}: baseline name {baseline_name(template, ring)!r} is also in baselines"
                )
        name = window_name(model, ring)
        if name in windows or name in ring_windows:
            problems.append(f"ring {ring['name']}: maintenance window name {name!r} is used twice")
        ring_windows.add(name)
        for group in set(ring["patch_groups"]) & groups:
            problems.append(f"ring {ring['name']}: patch group {group!r} is also given to a baseline of baselines")
    return problems


def ring_problems(model):
    """Every problem of the model's rings and ring baselines, as messages naming the ring; [] when they are fine."""
    rings, templates = model.get("rings"), model.get("ring_baselines")
    if rings is None and templates is None:
        return []
    if not isinstance(rings, list) or not rings:
        return ["patch_model.rings: ring_baselines needs rings, an ordered list of at least one ring"]
    if not isinstance(templates, list) or not templates:
        return ["patch_model.ring_baselines: rings need at least one baseline to make one per ring"]
    problems, names, groups = [], set(), {}
    for index, ring in enumerate(rings):
        problems += _ring_problems(ring, index, names, groups)
    problems += _template_problems(model)
    return problems or _collision_problems(model)


def _until(rule, as_of):
    """The cutoff that makes a rule approve exactly what it approved on the day `as_of`."""
    if rule.get("approve_until_date"):
        return min(rule["approve_until_date"], as_of.isoformat())
    return (as_of - datetime.timedelta(days=rule.get("approve_after_days") or 0)).isoformat()


def _most_severe(levels):
    levels = [level for level in levels if level in COMPLIANCE_LEVELS]
    return min(levels, key=COMPLIANCE_LEVELS.index) if levels else None


def _promoted_rules(template, promotion):
    """The approval settings of a later ring's baseline: none before its first promotion, else the promotion."""
    if not promotion:
        return {"approval_rules": [], "approved_patches": []}
    rules = template.get("approval_rules") or []
    if template["operating_system"] in EXPLICIT_LIST_SYSTEMS:
        settings = {"approval_rules": [], "approved_patches": list(promotion.get("approved_patches") or [])}
        level = template.get("approved_patches_compliance_level") or _most_severe(
            [rule.get("compliance_level") for rule in rules]
        )
        if level:
            settings["approved_patches_compliance_level"] = level
        if any(rule.get("enable_non_security") for rule in rules):
            settings["approved_patches_enable_non_security"] = True
        return settings
    as_of = datetime.date.fromisoformat(promotion["as_of"])
    promoted = []
    for rule in rules:
        kept = {key: value for key, value in rule.items() if key not in ("approve_after_days", "approve_until_date")}
        promoted.append(dict(kept, approve_until_date=_until(rule, as_of)))
    return {"approval_rules": promoted}


def _promotion_tags(promotion):
    if not promotion:
        return {}
    return {
        PROMOTED_AS_OF: promotion["as_of"],
        PROMOTED_AT: promotion["promoted_at"],
        PROMOTED_FROM: promotion["promoted_from"],
    }


def ring_baseline(template, ring, index, promotion):
    """The baseline item (options of ssm_patch_baseline) of one template in one ring."""
    baseline = copy.deepcopy(template)
    baseline["name"] = baseline_name(template, ring)
    baseline["patch_groups"] = list(ring["patch_groups"])
    baseline["tags"] = dict(template.get("tags") or {}, **{RING_TAG: ring["name"]}, **_promotion_tags(promotion))
    if index > 0:
        baseline.update(_promoted_rules(template, promotion))
    return baseline


def ring_baselines(model, state=None, ring=None):
    """The baselines of every ring (or only of `ring`), each ring after the first as its promotion left it.

    `state`: {baseline name: its promotion} as ring_state() reads it (None: no ring promoted yet)."""
    state = state or {}
    baselines = []
    for index, current in enumerate(rings_of(model)):
        if ring is not None and current["name"] != ring:
            continue
        for template in templates_of(model):
            promotion = (state.get(baseline_name(template, current)) or {}).get("promotion") if index else None
            baselines.append(ring_baseline(template, current, index, promotion))
    return baselines


def model_baselines(model, state=None):
    """The model's `baselines` followed by the baselines of its rings."""
    return list(model.get("baselines") or []) + ring_baselines(model, state)


def ring_window(model, ring):
    """The maintenance window item of a ring: its settings, a target on its patch groups, an Install task."""
    settings = copy.deepcopy(ring["maintenance_window"])
    overrides = settings.pop("task", None) or {}
    window = dict(settings, name=window_name(model, ring))
    window.setdefault("description", f"Patch ring {ring['name']} of model {model['name']}")
    if "targets" not in window:
        window["targets"] = [
            {"name": ring["name"], "targets": [{"key": "tag:Patch Group", "values": list(ring["patch_groups"])}]}
        ]
    if "tasks" not in window:
        task = {
            "name": f"Patch-{ring['name']}",
            "task_type": "RUN_COMMAND",
            "task_arn": "AWS-RunPatchBaseline",
            "window_targets": [target["name"] for target in window["targets"]],
            "priority": 1,
            "max_concurrency": "10%",
            "max_errors": "10%",
            "run_command": {"parameters": {"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"]}},
        }
        task.update(overrides)
        window["tasks"] = [task]
    return window


def model_windows(model):
    """The model's `maintenance_windows` followed by one window per ring."""
    return list(model.get("maintenance_windows") or []) + [ring_window(model, ring) for ring in rings_of(model)]


def ring_state(model, baselines):
    """{baseline name: {"baseline_id", "promotion"}} of the ring baselines that exist, from ssm_patch_baseline_info
    results (`baselines`: their `baselines` lists, flattened); promotion is None for a baseline never promoted."""
    wanted = {baseline_name(t, r) for r in rings_of(model) for t in templates_of(model)}
    state = {}
    for found in baselines:
        if found.get("name") not in wanted:
            continue
        tags = found.get("tags") or {}
        promotion = None
        if tags.get(PROMOTED_AS_OF):
            promotion = {
                "as_of": tags[PROMOTED_AS_OF],
                "promoted_at": tags.get(PROMOTED_AT, ""),
                "promoted_from": tags.get(PROMOTED_FROM, ""),
            }
            if found.get("operating_system") in EXPLICIT_LIST_SYSTEMS:
                promotion["approved_patches"] = sorted(found.get("approved_patches") or [])
        state[found["name"]] = {"baseline_id": found.get("baseline_id"), "promotion": promotion}
    return state
