# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The three section modules' items and units: maintenance windows with their targets and tasks, patch baselines,
documents (section.py runs them)."""

from __future__ import annotations

from ansible.module_utils.basic import missing_required_lib
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_resource import Baseline
from ansible_collections.patchmodel.ssm.plugins.module_utils.document import HAS_YAML, Document
from ansible_collections.patchmodel.ssm.plugins.module_utils.section import Item, Section, section_spec, with_tags
from ansible_collections.patchmodel.ssm.plugins.module_utils.window import Window
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_target import WindowTarget
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_task import WindowTask

# Keys of a window item that are not options of ssm_maintenance_window: its parts.
WINDOW_PARTS = (("targets", WindowTarget, "window target"), ("tasks", WindowTask, "window task"))


def _item(module, resource_class, raw, path, kind, drop=()):
    """The checked item, with the section's tags over its own."""
    item = Item.checked(module, resource_class, raw, path, kind + " '{name}'", ("purge_tags", *drop))
    item.params = with_tags(item.params, module.params["tags"], module.params["purge_tags"])
    return item


def _items(module, option, resource_class, kind, drop=()):
    found = enumerate(module.params[option])
    return [_item(module, resource_class, raw, f"{option}[{index}]", kind, drop) for index, raw in found]


def run_in_order(section, unit):
    for item in unit:
        section.apply(item)


# --- ssm_maintenance_windows


def windows_spec():
    return section_spec("windows", default_service_role_arn=dict(type="str"))


def window_units(module):
    """One unit per window: the window, then its targets, then its tasks (which name the targets)."""
    units = []
    for index, raw in enumerate(module.params["windows"]):
        raw = dict(raw or {})
        parts = {key: raw.pop(key, None) or [] for key, _cls, _kind in WINDOW_PARTS}
        window = _item(module, Window, raw, f"windows[{index}]", "maintenance window")
        parent = window.params.get("name") or window.params.get("window_id")
        unit = [window]
        for key, resource_class, kind in WINDOW_PARTS:
            for part_index, part in enumerate(parts[key]):
                part = dict(part or {})
                if key == "tasks" and part.get("service_role_arn") is None:
                    part["service_role_arn"] = module.params["default_service_role_arn"]
                path, label = f"windows[{index}].{key}[{part_index}]", f"{kind} '{parent}/{{name}}'"
                unit.append(Item.checked(module, resource_class, part, path, label, ("window",), {"window": parent}))
        units.append(unit)
    return units


def run_window_unit(section, unit):
    window, parts = unit[0], unit[1:]
    entry = section.apply(window)
    for part in parts:
        if entry.get("failed") or window.params["state"] == "absent":
            reason = "its window failed" if entry.get("failed") else "AWS deletes it with its window"
            part.result = {
                "kind": part.resource_class.result_key,
                "name": part.params.get("name"),
                "label": part.label,
                "changed": False,
                "action": "skipped",
                "skipped": True,
                "msg": f"Not applied: {reason}",
            }
            continue
        # The window as this run found or made it: its parts need no look-up of it by name.
        part.params["window"] = entry.get("id") or part.params["window"]
        section.apply(part)


def run_windows(module):
    units = window_units(module)
    run(module, units, run_window_unit)


# --- ssm_patch_baselines


def baselines_spec():
    return section_spec("baselines", purge_patch_groups=dict(type="bool", default=True))


def run_baselines(module):
    items = _items(module, "baselines", Baseline, "patch baseline", ("purge_patch_groups",))
    # A patch group and the default belong to one baseline per operating system: the baselines of one system run in
    # order, so that moving a group or the default from one to another never races.
    # AWS: guide:patch-group-one-baseline-per-os
    by_system = {}
    for item in items:
        item.params["purge_patch_groups"] = module.params["purge_patch_groups"]
        by_system.setdefault(item.params.get("operating_system"), []).append(item)
    run(module, list(by_system.values()), run_in_order, items)


# --- ssm_documents


def documents_spec():
    return section_spec("documents")


def run_documents(module):
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib("PyYAML"))
    run(module, [[item] for item in _items(module, "documents", Document, "SSM document")], run_in_order)


def run(module, units, run_unit, items=None):
    """Check every item, run the units, exit with the results in the order of `items` (by default, of the units)."""
    section = Section(module)
    items = items or [item for unit in units for item in unit]
    section.check(items)
    section.run(units, run_unit, module.params["max_workers"])
    section.exit(items)
