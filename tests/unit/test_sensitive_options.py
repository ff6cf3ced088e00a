"""Values AWS marks sensitive stay secret: every option that feeds one is no_log, and results and diffs mask them.

The request walk finds, in botocore's SSM model, every `sensitive` member of the requests the modules send (every
SSM operation named in plugins/), and checks it against the one table the modules mask with,
sensitive.REQUEST_MEMBERS. Then the result builders are fed AWS answers whose sensitive members hold marked values,
and none of those values may survive the masking.
"""

import copy
import importlib
import json
import pathlib
import re
import types
from datetime import UTC, datetime

import botocore.session
import pytest
import yaml
from ansible_collections.patchmodel.ssm.plugins.module_utils import sensitive
from ansible_collections.patchmodel.ssm.plugins.module_utils import window as window_utils
from ansible_collections.patchmodel.ssm.plugins.module_utils import window_target as window_target_utils
from ansible_collections.patchmodel.ssm.plugins.module_utils import window_task as window_task_utils
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_api import baseline_result
from ansible_collections.patchmodel.ssm.plugins.module_utils.diff import resource_diff
from ansible_collections.patchmodel.ssm.plugins.module_utils.sensitive import (
    CHANGED_MASK,
    MASK,
    mask_problems,
    masked,
    masked_diff,
    result_paths,
)
from ansible_collections.patchmodel.ssm.plugins.modules import (
    ssm_maintenance_window_info,
    ssm_patch_now,
)
from botocore import xform_name

PLUGINS = pathlib.Path(__file__).resolve().parents[2] / "plugins"
# The writes the modules make; the scan of plugins/ must find at least these.
WRITES = (
    "CreateMaintenanceWindow",
    "UpdateMaintenanceWindow",
    "RegisterTargetWithMaintenanceWindow",
    "UpdateMaintenanceWindowTarget",
    "RegisterTaskWithMaintenanceWindow",
    "UpdateMaintenanceWindowTask",
    "CreatePatchBaseline",
    "UpdatePatchBaseline",
    "SendCommand",
)
SSM = botocore.session.get_session().get_service_model("ssm")


# --- botocore's model


def operations_in_plugins():
    """Every SSM operation the code under plugins/ calls (`x.send_command(...)`) or names ("get_patch_baseline")."""
    by_method = {xform_name(name): name for name in SSM.operation_names}
    found = set()
    for path in PLUGINS.rglob("*.py"):
        for method in re.findall(r"""(?:\.|["'])([a-z][a-z0-9_]*)(?:\(|["'])""", path.read_text()):
            if method in by_method:
                found.add(by_method[method])
    return found


def _children(shape, path):
    if shape.type_name == "structure":
        return [(f"{path}.{name}" if path else name, member) for name, member in shape.members.items()]
    if shape.type_name == "list":
        return [(f"{path}[]", shape.member)]
    if shape.type_name == "map":
        return [(f"{path}.*", shape.value)]
    return []


def sensitive_members(shape, path="", seen=frozenset()):
    """Paths of the outermost sensitive members under `shape` ("Sources[].Configuration")."""
    found = []
    for child_path, child in _children(shape, path):
        if child.metadata.get("sensitive"):
            found.append(child_path)
        elif child.name not in seen:
            found += sensitive_members(child, child_path, seen | {child.name})
    return found


def request_members():
    return {
        (operation, member)
        for operation in operations_in_plugins()
        for member in sensitive_members(SSM.operation_model(operation).input_shape)
    }


# --- argument specs and documentation


class _Built(Exception):
    pass


def argument_spec(module_name):
    """The argument spec the module's main() builds its module with."""
    module = importlib.import_module(f"ansible_collections.patchmodel.ssm.plugins.modules.{module_name}")
    captured = {}

    def record(**kwargs):
        captured.update(kwargs["argument_spec"])
        raise _Built

    original = module.PatchModelModule
    module.PatchModelModule = record
    try:
        module.main()
    except _Built:
        pass
    finally:
        module.PatchModelModule = original
    return captured


def _names(option_path):
    return [name.removesuffix("[]") for name in option_path.removesuffix(".*").split(".")]


def option_spec(module_name, option_path):
    """The argument spec entry of an option path ("sources[].configuration", "run_command.parameters.*")."""
    spec = {"options": argument_spec(module_name)}
    for name in _names(option_path):
        spec = (spec.get("options") or {})[name]
    return spec


def option_doc(module_name, option_path):
    module = importlib.import_module(f"ansible_collections.patchmodel.ssm.plugins.modules.{module_name}")
    doc = {"suboptions": yaml.safe_load(module.DOCUMENTATION)["options"]}
    for name in _names(option_path):
        doc = doc["suboptions"][name]
    return " ".join(doc["description"])


TABLE = sorted(sensitive.REQUEST_MEMBERS.items())
MODULES = sorted({module for module, _paths in sensitive.REQUEST_MEMBERS.values()})
FED_BY_OPTIONS = [(operation, member, module, path) for (operation, member), (module, paths) in TABLE for path in paths]


def test_the_scan_finds_the_writes_the_modules_make():
    assert set(WRITES) <= operations_in_plugins()


def test_every_sensitive_request_member_the_modules_send_is_in_the_table():
    missing = sorted(request_members() - set(sensitive.REQUEST_MEMBERS))
    assert not missing, f"sensitive request members without an entry in sensitive.REQUEST_MEMBERS: {missing}"


def test_the_table_names_only_sensitive_members_the_modules_send():
    stale = sorted(set(sensitive.REQUEST_MEMBERS) - request_members())
    assert not stale, f"entries of sensitive.REQUEST_MEMBERS that no request of the modules holds: {stale}"


@pytest.mark.parametrize(("operation", "member", "module", "path"), FED_BY_OPTIONS)
def test_an_option_feeding_a_sensitive_member_is_no_log_or_a_public_enumeration(operation, member, module, path):
    spec = option_spec(module, path)
    if spec.get("no_log") is True:
        return
    # The one exemption: values restricted to an enumeration (Scan/Install); free text is never exempt.
    assert spec.get("choices"), f"{module} option {path} feeds {operation} {member}, which AWS marks sensitive: no_log"


@pytest.mark.parametrize(("operation", "member", "module", "path"), FED_BY_OPTIONS)
def test_the_documentation_of_a_no_log_option_says_so_and_why(operation, member, module, path):
    if option_spec(module, path).get("no_log") is not True:
        return
    text = option_doc(module, path)
    assert "C(no_log)" in text and "AWS marks" in text and "sensitive" in text, (module, path, text)


@pytest.mark.parametrize(
    ("operation", "member", "module"), [(op, member, module) for (op, member), (module, paths) in TABLE if not paths]
)
def test_a_member_no_option_feeds_is_not_an_option(operation, member, module):
    top = xform_name(member.split(".", 1)[0].removesuffix("[]"))
    assert top not in argument_spec(module)


@pytest.mark.parametrize("module", MODULES)
def test_no_log_options_are_the_ones_the_table_names(module):
    """Options the table does not name stay in clear: no accidental masking of ids and names."""
    declared = {".".join(_names(path)) for path in sensitive.option_paths(module)}
    no_log = set(_no_log_options(argument_spec(module)))
    assert no_log <= declared, sorted(no_log - declared)


def _no_log_options(spec, prefix=""):
    for name, entry in spec.items():
        if entry.get("no_log") is True:
            yield prefix + name
        yield from _no_log_options(entry.get("options") or {}, f"{prefix}{name}.")


# --- masking


def test_masked_replaces_values_at_the_paths_and_leaves_the_rest():
    value = {
        "name": "a",
        "description": "secret",
        "run_command": {"parameters": {"Operation": ["Install"], "Token": ["t"]}, "comment": "c"},
        "lambda": None,
        "sources": [{"name": "s", "configuration": "password=1"}, {"name": "t", "configuration": "x"}],
    }
    paths = ("description", "run_command.parameters.*", "lambda.payload", "sources[].configuration", "absent.x")
    result = masked(value, paths)
    assert result == {
        "name": "a",
        "description": MASK,
        "run_command": {"parameters": {"Operation": MASK, "Token": MASK}, "comment": "c"},
        "lambda": None,
        "sources": [{"name": "s", "configuration": MASK}, {"name": "t", "configuration": MASK}],
    }
    assert value["description"] == "secret", "the input is left as it was"


def test_a_diff_shows_that_a_sensitive_value_changed_without_showing_it():
    before = {"description": "old", "payload": "same", "parameters": {"A": ["1"], "B": ["2"]}, "gone": "g"}
    after = {"description": "new", "payload": "same", "parameters": {"A": ["1"], "B": ["3"], "C": ["4"]}, "added": "n"}
    paths = ("description", "payload", "parameters.*", "gone", "added")
    diff = resource_diff(before, after, paths)
    assert diff["before"] == {
        "description": MASK,
        "payload": MASK,
        "parameters": {"A": MASK, "B": MASK},
        "gone": MASK,
    }
    assert diff["after"] == {
        "description": CHANGED_MASK,
        "payload": MASK,
        "parameters": {"A": MASK, "B": CHANGED_MASK, "C": MASK},
        "added": MASK,
    }
    assert resource_diff(None, after, paths)["before"] == {}
    assert masked_diff({}, {}, paths) == ({}, {})


def test_the_module_results_mask_the_paths_of_their_options():
    assert result_paths("ssm_window_task") == (
        "description",
        "lambda.payload",
        "run_command.parameters.*",
        "step_functions.input",
    )
    assert result_paths("ssm_window_target") == ("description", "owner_information")
    assert result_paths("ssm_patch_baseline") == ("sources[].configuration",)


def test_the_mask_copied_back_into_an_option_is_refused():
    params = {
        "description": MASK,
        "run_command": {"parameters": {"Operation": "Install", "Token": [MASK]}},
        "lambda": {"payload": CHANGED_MASK},
        "step_functions": None,
    }
    problems = mask_problems("ssm_window_task", params)
    assert [problem.split(":", 1)[0] for problem in problems] == [
        "description",
        "lambda.payload",
        "run_command.parameters[Token]",
    ]
    assert "include_sensitive=true" in problems[0]
    sources = {"sources": [{"configuration": "x"}, {"configuration": MASK}]}
    assert [p.split(":", 1)[0] for p in mask_problems("ssm_patch_baseline", sources)] == ["sources[1].configuration"]
    assert mask_problems("ssm_window_task", {"description": "d", "lambda": None}) == []


# --- result builders fed AWS answers whose sensitive members hold marked values

SECRET = "SECRET-"


def example(shape, secret=False, counter=None):
    """A value of `shape`; every string and blob under a sensitive member is a distinct SECRET- text."""
    counter = counter if counter is not None else [0]
    secret = secret or bool(shape.metadata.get("sensitive"))
    kind = shape.type_name
    if kind == "structure":
        return {name: example(member, secret, counter) for name, member in shape.members.items() if name != "NextToken"}
    if kind == "list":
        return [example(shape.member, secret, counter)]
    if kind == "map":
        return {"Key1": example(shape.value, secret, counter)}
    if kind in ("string", "blob"):
        counter[0] += 1
        text = f"{SECRET}{counter[0]}" if secret else (shape.enum[0] if shape.enum else f"text-{counter[0]}")
        return text.encode() if kind == "blob" else text
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return datetime(2024, 7, 6, 20, tzinfo=UTC)
    return 1


def answer(operation):
    return example(SSM.operation_model(operation).output_shape)


class AnswersEverything:
    """An SSM client whose every call answers an example of the operation's output."""

    def __getattr__(self, method):
        operation = {xform_name(name): name for name in SSM.operation_names}[method]
        return lambda **_params: copy.deepcopy(answer(operation))


def secrets_in(value):
    return set(re.findall(rf"{SECRET}\d+", json.dumps(value, default=str)))


def assert_masked(result, paths):
    """Secrets are in the result as built, and none is left once masked; every path masks something."""
    assert secrets_in(result), "the answers reach the result"
    assert not secrets_in(masked(result, paths)), secrets_in(masked(result, paths))
    for path in paths:
        assert masked(result, [path]) != result, f"{path} masks nothing in {result}"


class FixedArns:
    """arns.Arns without a caller to ask: ARNs hold nothing sensitive."""

    def __getattr__(self, kind):
        return lambda resource_id: f"arn:aws:ssm:us-east-1:123456789012:{kind}/{resource_id}"


def test_maintenance_window_info_masks_every_sensitive_value_it_returns():
    client = AnswersEverything()
    window = answer("GetMaintenanceWindow")
    result = {"windows": [ssm_maintenance_window_info.describe(client, FixedArns(), window, executions=1)]}
    assert_masked(result, result_paths("ssm_maintenance_window_info"))


def test_patch_baseline_results_mask_every_sensitive_value():
    baseline = {**answer("GetPatchBaseline"), "OperatingSystem": "AMAZON_LINUX_2"}
    result = {"baselines": [baseline_result(AnswersEverything(), baseline)]}
    # ssm_patch_baseline returns the same result for its baseline.
    assert_masked(result, result_paths("ssm_patch_baseline_info"))
    assert_masked(result["baselines"][0], result_paths("ssm_patch_baseline"))


def test_window_task_results_mask_every_sensitive_value_they_return():
    task = answer("GetMaintenanceWindowTask")
    result = window_task_utils.to_result(
        window_task_utils.FORM.from_api(task), "mw-0123456789abcdef0", task["WindowTaskId"]
    )
    assert_masked(result, result_paths("ssm_window_task"))


def test_window_target_and_window_results_mask_every_sensitive_value_they_return():
    target = answer("DescribeMaintenanceWindowTargets")["Targets"][0]
    result = window_target_utils.to_result(window_target_utils.from_api(target), "mw-0123456789abcdef0", "id")
    assert_masked(result, result_paths("ssm_window_target"))
    window = answer("GetMaintenanceWindow")
    module = types.SimpleNamespace(params={}, check_mode=False)
    result = window_utils.Window(module, AnswersEverything(), None).describe(window)
    assert_masked(result, result_paths("ssm_maintenance_window"))


def test_patch_now_reports_the_request_it_sends_masked():
    params = {name: None for name in ssm_patch_now.argument_spec()}
    params.update(
        operation="Install",
        instance_ids=["i-0123456789abcdef0"],
        document="AWS-RunPatchBaseline",
        snapshot_id="SECRET-1",
        install_override_list="https://example.com/SECRET-2.yaml",
    )
    request = ssm_patch_now.send_command_request(params, params["snapshot_id"])
    result = {"request": ssm_patch_now.snake_request(request)}
    assert_masked(result, result_paths("ssm_patch_now"))
    assert set(masked(result, result_paths("ssm_patch_now"))["request"]["parameters"]) == {
        "Operation",
        "SnapshotId",
        "InstallOverrideList",
    }
