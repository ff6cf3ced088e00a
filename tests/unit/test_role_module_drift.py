"""Roles cannot drift from the modules they call.

For every role task that calls one of our modules: each option it passes is an option of the module, and a task fed
by model items passes every option of the module but the few the role sets itself or leaves out on purpose
(OWN_OPTIONS). A section module takes the role's whole list of items, each item with the options of its singular
module (SECTIONS). For every model item a role accepts (meta/argument_specs.yml): its keys are exactly the singular
module's options (same exceptions), with the same type, elements, choices and default, down through suboptions.
"""

import importlib
import pathlib
import re

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
ROLES = REPO / "roles"
MODULE_PREFIX = "patchmodel.ssm."

# The options a role does not take from the model item: identity by AWS id (a model names its resources), the state
# (the role's own variable), purge switches and tags (role variables that apply to every item), and the waits of
# ssm_document (role defaults). Each is passed by the role from its own variables or left to the module's default.
OWN_OPTIONS = {
    "ssm_patch_baseline": {"baseline_id", "state", "purge_patch_groups", "purge_tags"},
    "ssm_document": {"state", "purge_tags"},
    "ssm_maintenance_window": {"window_id", "state", "purge_tags"},
    "ssm_window_target": {"window", "window_target_id", "state", "force"},
    "ssm_window_task": {"window", "window_task_id", "state"},
    "ssm_patch_group_membership": {"state"},
}
# Section module -> (its items option, the role variable it takes whole, the singular modules of its items).
SECTIONS = {
    "ssm_patch_baselines": ("baselines", "patch_baseline_baselines", {"ssm_patch_baseline"}),
    "ssm_documents": ("documents", "maintenance_window_documents", {"ssm_document"}),
    "ssm_maintenance_windows": (
        "windows",
        "maintenance_window_windows",
        {"ssm_maintenance_window", "ssm_window_target", "ssm_window_task"},
    ),
}
# Keys of a model item that are not options of its module: the parts it nests.
NESTED_PARTS = {"ssm_maintenance_window": {"targets", "tasks"}}
# (role, variable, path of nested parts, module) for every kind of model item.
ITEMS = [
    ("patch_baseline", "patch_baseline_baselines", (), "ssm_patch_baseline"),
    ("maintenance_window", "maintenance_window_documents", (), "ssm_document"),
    ("maintenance_window", "maintenance_window_windows", (), "ssm_maintenance_window"),
    ("maintenance_window", "maintenance_window_windows", ("targets",), "ssm_window_target"),
    ("maintenance_window", "maintenance_window_windows", ("tasks",), "ssm_window_task"),
    ("tagging", "tagging_memberships", (), "ssm_patch_group_membership"),
]
COMPARED = ("type", "elements", "choices", "default")


def _doc(source, marker='DOCUMENTATION = r"""'):
    return yaml.safe_load(source.split(marker)[1].split('"""')[0])


def module_options(module):
    """The module's options from its DOCUMENTATION, with those of the collection's own doc fragments and tags."""
    source = (REPO / "plugins" / "modules" / f"{module}.py").read_text()
    doc = _doc(source)
    options = dict(doc["options"])
    for fragment in doc.get("extends_documentation_fragment", []):
        if fragment.startswith(MODULE_PREFIX):
            name, _, variant = fragment[len(MODULE_PREFIX) :].partition(".")
            holder = importlib.import_module(f"ansible_collections.patchmodel.ssm.plugins.doc_fragments.{name}")
            text = getattr(holder.ModuleDocFragment, (variant or "documentation").upper())
            options.update(yaml.safe_load(text).get("options", {}))
        elif fragment == "amazon.aws.tags":
            options["tags"] = {"type": "dict"}
            options["purge_tags"] = {"type": "bool", "default": True}
    return options


def role_tasks():
    """(file, task name, module, args) of every task in roles/ that calls one of our modules."""
    found = []
    for path in sorted(ROLES.glob("*/tasks/*.yml")):
        for task in yaml.safe_load(path.read_text()) or []:
            for key, args in task.items():
                if key.startswith(MODULE_PREFIX):
                    found.append((path.relative_to(REPO).as_posix(), task["name"], key[len(MODULE_PREFIX) :], args))
    return found


TASKS = role_tasks()


def test_the_roles_call_our_modules():
    called = {module for _file, _name, module, _args in TASKS}
    assert called >= set(SECTIONS)
    assert called | {singular for *_, singulars in SECTIONS.values() for singular in singulars} >= set(OWN_OPTIONS)


SECTION_TASKS = [task for task in TASKS if task[2] in SECTIONS and task[3].get("state", "present") != "absent"]


@pytest.mark.parametrize(
    ("file", "name", "module", "args"), SECTION_TASKS, ids=[f"{t[0]}:{t[1]}" for t in SECTION_TASKS]
)
def test_a_section_task_takes_the_role_items_whole(file, name, module, args):
    option, variable, _singulars = SECTIONS[module]
    assert args[option] == "{{ " + variable + " }}", f"{file}: '{name}' must pass {variable} as {option}, unchanged"


@pytest.mark.parametrize(("file", "name", "module", "args"), TASKS, ids=[f"{t[0]}:{t[1]}" for t in TASKS])
def test_a_role_task_passes_only_options_of_its_module(file, name, module, args):
    assert set(args) - set(module_options(module)) == set()


def _item_fed(args):
    """The model item variable the task reads its options from, when it is fed by one (`<var>.<key>`)."""
    names = set()
    for value in args.values():
        names |= set(re.findall(r"\b(\w+_item)(?:\.\d)?\.\w+", str(value)))
    return names


# The tasks that apply model items: fed by an item variable, neither a read nor a delete (those pass only what
# they need).
APPLYING = [
    task for task in TASKS if _item_fed(task[3]) and task[3].get("state") != "absent" and not task[2].endswith("_info")
]


def test_every_kind_of_model_item_is_applied_by_a_role_task():
    applied = {module for _file, _name, module, _args in APPLYING}
    applied |= {singular for _f, _n, module, _a in SECTION_TASKS for singular in SECTIONS[module][2]}
    assert applied == set(OWN_OPTIONS)


@pytest.mark.parametrize(("file", "name", "module", "args"), APPLYING, ids=[f"{t[0]}:{t[1]}" for t in APPLYING])
def test_a_task_fed_by_model_items_passes_every_option_of_its_module(file, name, module, args):
    missing = set(module_options(module)) - set(args) - OWN_OPTIONS[module]
    assert missing == set(), f"{file}: '{name}' drops the {module} options {sorted(missing)}"


def role_item_options(role, variable, path):
    specs = yaml.safe_load((ROLES / role / "meta" / "argument_specs.yml").read_text())
    options = specs["argument_specs"]["main"]["options"][variable]["options"]
    for key in path:
        options = options[key]["options"]
    return options


def _differences(role_options, module_opts, where=""):
    found = []
    for key in sorted(set(role_options) & set(module_opts)):
        role_spec, module_spec = role_options[key] or {}, module_opts[key] or {}
        for field in COMPARED:
            role_value, module_value = role_spec.get(field), module_spec.get(field)
            if field == "type":
                role_value, module_value = role_value or "str", module_value or "str"
            if field == "default" and role_value is None:
                continue  # the role leaves the option out (omit): the module's default applies
            if role_value != module_value:
                found.append(f"{where}{key}.{field}: role {role_value!r}, module {module_value!r}")
        role_sub, module_sub = role_spec.get("options"), module_spec.get("suboptions")
        if role_sub is not None and module_sub is not None:
            if set(role_sub) != set(module_sub):
                found.append(f"{where}{key}: role keys {sorted(role_sub)}, module keys {sorted(module_sub)}")
            found += _differences(role_sub, module_sub, f"{where}{key}.")
    return found


@pytest.mark.parametrize(("role", "variable", "path", "module"), ITEMS, ids=[f"{i[0]}:{i[3]}" for i in ITEMS])
def test_a_role_item_takes_exactly_the_options_of_its_module(role, variable, path, module):
    accepted = set(role_item_options(role, variable, path)) - NESTED_PARTS.get(module, set())
    expected = set(module_options(module)) - OWN_OPTIONS[module]
    assert accepted == expected, f"role only: {sorted(accepted - expected)}, module only: {sorted(expected - accepted)}"


@pytest.mark.parametrize(("role", "variable", "path", "module"), ITEMS, ids=[f"{i[0]}:{i[3]}" for i in ITEMS])
def test_a_role_item_option_has_the_type_choices_and_default_of_the_module_option(role, variable, path, module):
    assert _differences(role_item_options(role, variable, path), module_options(module)) == []
