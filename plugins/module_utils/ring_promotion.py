# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether a ring can be promoted from the ring before it, and the promotion that makes its baselines approve
exactly what that ring was patched with (docs/rings.md). Pure functions: playbooks/promote_ring.yml reads the
compliance, the window history and the ring state, and applies the baselines this answers."""

from __future__ import annotations

import datetime

from ansible_collections.patchmodel.ssm.plugins.module_utils.rings import (
    APPROVED_PATCHES_LIMIT,
    EXPLICIT_LIST_SYSTEMS,
    INSTALLED_STATES,
    baseline_name,
    parse_delay,
    ring_baselines,
    ring_problems,
    rings_of,
    templates_of,
    window_name,
)


def _time(text):
    """An ISO 8601 time as an aware datetime (naive ones are UTC, as Jinja's now(utc=true) gives them)."""
    if not text:
        return None
    value = text if isinstance(text, datetime.datetime) else datetime.datetime.fromisoformat(str(text))
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _stamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def promotion_problems(model, ring):
    """Why `ring` cannot be promoted at all (bad rings, an unknown ring, the first ring); [] when it can."""
    problems = ring_problems(model)
    if problems:
        return problems
    names = [current["name"] for current in rings_of(model)]
    if ring not in names:
        return [f"ring {ring!r} is not a ring of the model; its rings are {', '.join(names) or 'none'}"]
    if names.index(ring) == 0:
        return [f"ring {ring!r} is the first ring: it is patched from the approval rules and is never promoted"]
    return []


def previous_ring(model, ring):
    rings = rings_of(model)
    index = [current["name"] for current in rings].index(ring)
    return index, rings[index - 1]


def previous_ring_summary(model, ring):
    """{"problems", "name", "patch_groups", "window"} of the ring `ring` is promoted from, for the reads of its
    health; `problems` says why `ring` cannot be promoted at all, and the rest is empty then."""
    problems = promotion_problems(model, ring)
    if problems:
        return {"problems": problems, "name": "", "patch_groups": [], "window": ""}
    _index, previous = previous_ring(model, ring)
    window = window_name(model, previous)
    return {"problems": [], "name": previous["name"], "patch_groups": previous["patch_groups"], "window": window}


def _last_window_start(windows):
    starts = [_time(execution.get("start_time")) for w in windows for execution in w.get("executions") or []]
    starts = [start for start in starts if start]
    return max(starts) if starts else None


def _node_reasons(node, last_window, promoted_at, baseline_ids):
    counts = {key: node.get(key) or 0 for key in ("failed_count", "missing_count", "installed_rejected_count")}
    reasons = []
    status = node.get("status")
    if status == "unreported":
        return ["has never reported a patch state (never scanned or patched)"]
    if counts["failed_count"]:
        reasons.append(f"{counts['failed_count']} patch(es) failed to install")
    if counts["missing_count"]:
        reasons.append(f"misses {counts['missing_count']} approved patch(es)")
    if counts["installed_rejected_count"]:
        reasons.append(f"has {counts['installed_rejected_count']} rejected patch(es) installed")
    if status == "pending_reboot":
        reasons.append(f"{node.get('installed_pending_reboot_count') or 0} patch(es) wait for a reboot")
    if status != "compliant" and not reasons:
        reasons.append(f"is {status}")
    reported = _time(node.get("operation_end_time"))
    if last_window and reported and reported < last_window:
        reasons.append(
            f"last reported at {_stamp(reported)}, before the ring's last window run at {_stamp(last_window)}"
        )
    if promoted_at and reported and reported < promoted_at:
        reasons.append(f"last reported at {_stamp(reported)}, before the ring's own promotion at {_stamp(promoted_at)}")
    if baseline_ids and node.get("baseline_id") not in baseline_ids:
        reasons.append(f"reported against baseline {node.get('baseline_id')}, not one of the ring's baselines")
    return reasons


def _refused(ring, previous, message, blockers=()):
    return {"ready": False, "ring": ring, "previous": previous, "blockers": list(blockers), "message": message}


def _installed_by_baseline(details):
    """{baseline id: set of patch ids installed} over the nodes read with their patches."""
    installed = {}
    for node in details:
        patches = installed.setdefault(node.get("baseline_id"), set())
        patches.update(p["kb_id"] for p in node.get("patches") or [] if p.get("state") in INSTALLED_STATES)
    return installed


def _patched_at(instances, details):
    """When the ring was last patched: the newest install of an approved patch on its nodes, else its last report."""
    times = [
        _time(p.get("installed_time"))
        for n in details
        for p in n.get("patches") or []
        if p.get("state") in INSTALLED_STATES
    ]
    times = [moment for moment in times if moment] or [_time(n.get("operation_end_time")) for n in instances]
    return max(moment for moment in times if moment)


def promotion_plan(model, ring, state, instances, details, windows, now):
    """The promotion of `ring` from the ring before it, or why it is refused.

    `state`: ring_state(); `instances`: ssm_patch_compliance_info's instances for the previous ring's patch groups
    (with include_unreported); `details`: its instances read with their INSTALLED patches (may be [] when some node
    is not healthy); `windows`: ssm_maintenance_window_info's windows of the previous ring (with executions);
    `now`: the current time. Answers {"ready", "message", "blockers", "baselines", ...}."""
    problems = promotion_problems(model, ring)
    if problems:
        return _refused(ring, None, problems[0])
    index, previous = previous_ring(model, ring)
    templates = templates_of(model)
    previous_state = {t["name"]: state.get(baseline_name(t, previous)) or {} for t in templates}
    promoted_at = None
    if index - 1 > 0:
        promotions = [entry.get("promotion") for entry in previous_state.values()]
        if not all(promotions):
            return _refused(
                ring, previous["name"], f"Ring {previous['name']} has not been promoted yet: promote it first"
            )
        promoted_at = max(_time(p["promoted_at"]) or _time(p["as_of"]) for p in promotions)
    if not instances:
        groups = ", ".join(previous["patch_groups"])
        return _refused(ring, previous["name"], f"Ring {previous['name']} has no nodes in its patch groups ({groups})")
    baseline_ids = {entry.get("baseline_id") for entry in previous_state.values() if entry.get("baseline_id")}
    last_window = _last_window_start(windows)
    blockers = []
    for node in sorted(instances, key=lambda n: n["instance_id"]):
        reasons = _node_reasons(node, last_window, promoted_at, baseline_ids)
        if reasons:
            blockers.append(f"{node['instance_id']} {', '.join(reasons)}")
    if blockers:
        message = (
            f"Ring {previous['name']} is not healthy, so {ring} is not promoted. Nodes holding it back: "
            + "; ".join(blockers)
        )
        return _refused(ring, previous["name"], message, blockers)

    now = _time(now)
    patched_at = _patched_at(instances, details)
    target = rings_of(model)[index]
    due = patched_at + parse_delay(target["promote_after"])
    if now < due:
        message = (
            f"Ring {ring} is not due: {previous['name']} was last patched at {_stamp(patched_at)} and promote_after "
            f"{target['promote_after']} makes {ring} due at {_stamp(due)}"
        )
        return dict(_refused(ring, previous["name"], message), due=_stamp(due))

    if index - 1 > 0:
        as_of = min(entry["promotion"]["as_of"] for entry in previous_state.values())
    else:
        as_of = min(_time(n["operation_end_time"]) for n in instances).astimezone(datetime.UTC).date().isoformat()
    installed = _installed_by_baseline(details)
    new_state, methods = {}, {}
    for template in templates:
        name = baseline_name(template, target)
        current = (state.get(name) or {}).get("promotion")
        promotion = {"as_of": as_of, "promoted_from": previous["name"], "promoted_at": _stamp(now)}
        if template["operating_system"] in EXPLICIT_LIST_SYSTEMS:
            patches = sorted(installed.get(previous_state[template["name"]].get("baseline_id"), ()))
            if len(patches) > APPROVED_PATCHES_LIMIT:
                message = (
                    f"Ring {previous['name']} installed {len(patches)} patches of {template['operating_system']}; "
                    f"a baseline approves at most {APPROVED_PATCHES_LIMIT} by name, so {ring} cannot be promoted to "
                    "exactly them"
                )
                return _refused(ring, previous["name"], message)
            promotion["approved_patches"] = patches
            methods[name] = "approved_patches"
        else:
            methods[name] = "approve_until_date"
        unchanged = current and all(
            current.get(k) == promotion.get(k) for k in ("as_of", "promoted_from", "approved_patches")
        )
        if unchanged:
            promotion["promoted_at"] = current["promoted_at"]  # the same promotion again: nothing changes
        new_state[name] = {"baseline_id": (state.get(name) or {}).get("baseline_id"), "promotion": promotion}
    merged = dict(state, **new_state)
    return {
        "ready": True,
        "ring": ring,
        "previous": previous["name"],
        "blockers": [],
        "as_of": as_of,
        "patched_at": _stamp(patched_at),
        "due": _stamp(due),
        "methods": methods,
        "nodes": len(instances),
        "state": merged,
        "baselines": ring_baselines(model, merged, ring=ring),
        "message": (
            f"Promoting {ring} from {previous['name']} ({len(instances)} healthy node(s), last patched "
            f"{_stamp(patched_at)}): its baselines approve what {previous['name']} approved on {as_of}"
        ),
    }
