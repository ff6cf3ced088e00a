"""The resource engine: the driver's steps on a toy resource, the field table's derivations, and every resource
module on the driver with its options and masks derived from its table."""

import ast
import importlib
import pathlib
import types

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils import sensitive
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.fields import (
    SEND_ALWAYS,
    SEND_UNLESS_DEFAULT,
    STRINGS,
    Field,
    Filled,
    Form,
    Records,
    Struct,
    Wrapped,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import Problem, unreported
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import Resource

MODULES = pathlib.Path(__file__).resolve().parents[2] / "plugins" / "modules"
RESOURCE_MODULES = {
    "ssm_maintenance_window": ("window", "Window"),
    "ssm_window_target": ("window_target", "WindowTarget"),
    "ssm_window_task": ("window_task", "WindowTask"),
    "ssm_patch_baseline": ("baseline_resource", "Baseline"),
    "ssm_document": ("document", "Document"),
}
TOY = Form(
    Field("name", "Name"),
    Field("note", "Note", sensitive=True, clear=""),
    Field("level", "Level", filled=Filled("LOW", "toy"), send=SEND_UNLESS_DEFAULT),
    Field("kind", "Kind", update=False),
    Field("flags", "Flags", STRINGS),
    Field(
        "rules",
        "Rules",
        Wrapped("Items", Records(Field("key", "Key", send=SEND_ALWAYS), Field("values", "Values", STRINGS))),
    ),
    Field("block", "Outer.Block", Struct(Field("size", "Size", type="int"), Field("tag", "Tag"), partial=True)),
)


# --- the field table


def test_from_api_reads_nested_members_and_fills_what_aws_reports_for_fields_it_was_not_sent():
    form = TOY.from_api({"Name": "a", "Flags": ["y", "x"], "Outer": {"Block": {"Size": 2}}})
    assert form == {
        "name": "a",
        "note": None,
        "level": "LOW",
        "kind": None,
        "flags": ["y", "x"],
        "rules": [],
        "block": {"size": 2, "tag": None},
    }


def test_merge_keeps_what_is_left_out_removes_the_clear_value_and_merges_a_partial_structure():
    current = TOY.from_api({"Name": "a", "Note": "n", "Outer": {"Block": {"Size": 2, "Tag": "t"}}})
    desired = TOY.merge(current, TOY.from_options({"note": "", "block": {"size": 3}}))
    assert desired["name"] == "a" and desired["note"] is None
    assert desired["block"] == {"size": 3, "tag": "t"}


def test_sets_compare_as_sets_and_empty_values_alike():
    current = TOY.from_api({"Name": "a", "Flags": ["x", "y"]})
    assert TOY.changed(current, dict(current, flags=["y", "x", "x"])) == []
    assert TOY.changed(current, dict(current, note="")) == []
    assert TOY.changed(current, dict(current, level="HIGH", flags=["x"])) == ["level", "flags"]


def test_the_request_nests_dotted_members_and_leaves_out_defaults_empties_and_create_only_fields_on_update():
    form = TOY.merge(
        None,
        TOY.from_options(
            {"name": "a", "level": "LOW", "kind": "K", "rules": [{"key": "k", "values": ["v"]}], "block": {"size": 1}}
        ),
    )
    assert TOY.to_request(form, create=True) == {
        "Name": "a",
        "Kind": "K",
        "Rules": {"Items": [{"Key": "k", "Values": ["v"]}]},
        "Outer": {"Block": {"Size": 1}},
    }
    assert "Kind" not in TOY.to_request(form, create=False)


def test_argument_specs_and_masks_derive_from_the_table():
    spec = TOY.argument_spec()
    assert spec["note"] == {"type": "str", "no_log": True}
    assert spec["rules"] == {
        "type": "list",
        "elements": "dict",
        "options": {"key": {"type": "str"}, "values": {"type": "list", "elements": "str"}},
    }
    assert spec["block"]["options"]["size"] == {"type": "int"}
    assert TOY.sensitive_paths() == ("note",)


def test_botocore_checks_walk_the_table_and_name_option_paths_without_a_request():
    checker = RequestChecker()
    form = {
        "name": "bad name",
        "approval_rules": [{"patch_filters": [{"key": "NOPE", "values": ["*"]}], "approve_after_days": 400}],
    }
    table = Form(
        Field("name", "Name"),
        Field(
            "approval_rules",
            "ApprovalRules",
            Wrapped(
                "PatchRules",
                Records(
                    Field(
                        "patch_filters",
                        "PatchFilterGroup",
                        Wrapped("PatchFilters", Records(Field("key", "Key"), Field("values", "Values", STRINGS))),
                        send=SEND_ALWAYS,
                    ),
                    Field("approve_after_days", "ApproveAfterDays", type="int"),
                ),
            ),
        ),
    )
    problems = table.problems(checker, "CreatePatchBaseline", form)
    assert [problem.path for problem in problems] == [
        "name",
        "approval_rules[0].patch_filters[0].key",
        "approval_rules[0].approve_after_days",
    ]
    assert problems[2] == "approval_rules[0].approve_after_days: 400 is outside the allowed range 0 to 360"


def test_a_problem_is_its_text_and_its_path_and_duplicates_go_by_path_or_option():
    first = Problem("targets[0].key", "'x' is not a valid target key")
    assert first == "targets[0].key: 'x' is not a valid target key"
    assert (first.path, first.option) == ("targets[0].key", "targets")
    found = [Problem("targets[0].key", "does not match"), Problem("targets[1].key", "does not match")]
    assert unreported(found, [first]) == [found[1]]
    assert unreported(found, [first], key="option") == []


# --- the driver


class Toy(Resource):
    kind = "toy"
    result_key = "toy"
    form = TOY

    def __init__(self, module, stored):
        super().__init__(module, None, None)
        self.stored, self.calls = stored, []

    def find(self):
        return self.stored

    def identity(self, current):
        return "toy-1"

    def describe(self, current):
        return {"id": "toy-1", **self.form.from_api(current)}

    def delete(self, current, before):
        self.calls.append("delete")

    def create(self, desired):
        self.calls.append("create")
        return "toy-1"

    def update(self, current, desired):
        self.calls.append("update")

    def read(self, identity, current, desired, wrote):
        self.calls.append("read")
        return {"id": identity, **desired}

    def predicted(self, identity, current, desired):
        return {"id": identity, **desired}


def toy(stored, check_mode=False, **params):
    module = types.SimpleNamespace(
        params={"state": "present", **dict.fromkeys(TOY.options), **params},
        check_mode=check_mode,
        fail_on_problems=lambda problems: None,
    )
    return Toy(module, stored)


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_missing_resource_is_created_and_check_mode_writes_nothing(check_mode):
    resource = toy(None, check_mode, name="a")
    changed, before, after = resource.ensure()
    assert changed and before == {} and after["name"] == "a"
    assert resource.calls == ([] if check_mode else ["create", "read"])
    assert after["id"] == (None if check_mode else "toy-1")


def test_an_unchanged_resource_is_neither_written_nor_read_again():
    resource = toy({"Name": "a"}, name="a")
    changed, before, after = resource.ensure()
    assert not changed and after == before and resource.calls == []


def test_a_change_updates_in_place_and_reads_the_result():
    resource = toy({"Name": "a"}, name="b")
    changed, before, after = resource.ensure()
    assert changed and resource.calls == ["update", "read"] and (before["name"], after["name"]) == ("a", "b")


@pytest.mark.parametrize("stored, changed, calls", [({"Name": "a"}, True, ["delete"]), (None, False, [])])
def test_absent_deletes_what_exists_and_nothing_else(stored, changed, calls):
    resource = toy(stored, state="absent")
    assert resource.ensure()[0] is changed and resource.calls == calls


# --- every resource module on the driver


def resource_class(module_name):
    utils, class_name = RESOURCE_MODULES[module_name]
    return getattr(
        importlib.import_module(f"ansible_collections.patchmodel.ssm.plugins.module_utils.{utils}"), class_name
    )


@pytest.mark.parametrize("module_name", sorted(RESOURCE_MODULES))
def test_each_resource_module_runs_the_driver_and_nothing_else(module_name):
    tree = ast.parse((MODULES / f"{module_name}.py").read_text())
    main = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "main")
    calls = [node.func.id for node in ast.walk(main) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    assert "run" in calls, f"{module_name}.main() does not hand over to resource.run"
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert functions <= {"main", "argument_spec"}, f"{module_name} holds logic: {functions - {'main', 'argument_spec'}}"
    assert issubclass(resource_class(module_name), Resource)


@pytest.mark.parametrize("module_name", sorted(RESOURCE_MODULES))
def test_each_option_of_a_table_has_the_argument_spec_the_table_derives(module_name):
    module = importlib.import_module(f"ansible_collections.patchmodel.ssm.plugins.modules.{module_name}")
    spec = module.argument_spec()
    for option, derived in resource_class(module_name).form.argument_spec().items():
        assert spec[option] == derived, option


@pytest.mark.parametrize("module_name", sorted(RESOURCE_MODULES))
def test_each_table_marks_sensitive_exactly_the_options_that_feed_sensitive_members(module_name):
    assert sorted(resource_class(module_name).form.sensitive_paths()) == sorted(sensitive.option_paths(module_name))
