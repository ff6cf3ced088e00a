"""The model benchmarks/model_scale.py generates is one the playbook accepts: every section passes the argument spec
of the role it feeds (as playbooks/common/model_prepare.yml checks it) and has the shape issue 11 describes."""

import pathlib

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.patchmodel.ssm.plugins.module_utils.patch_filters import validate_patch_filters

from benchmarks.model_scale_generator import PATCH_GROUP_TAG, patch_model, resource_count

ROLES = pathlib.Path(__file__).resolve().parents[2] / "roles"
GROUPS = 7  # more groups than baselines, so some baseline serves two


def role_options(role):
    specs = yaml.safe_load((ROLES / role / "meta" / "argument_specs.yml").read_text())
    return specs["argument_specs"]["main"]["options"]


@pytest.fixture(scope="module")
def model():
    return patch_model(GROUPS)


@pytest.mark.parametrize(
    "role, section",
    [
        ("patch_baseline", {"patch_baseline_baselines": "baselines"}),
        ("maintenance_window", {"maintenance_window_documents": "documents"}),
        ("maintenance_window", {"maintenance_window_windows": "maintenance_windows"}),
    ],
)
def test_each_section_passes_its_roles_argument_spec(model, role, section):
    provided = {variable: model[key] for variable, key in section.items()}
    result = ArgumentSpecValidator(role_options(role)).validate(provided)
    assert result.error_messages == []


def test_the_model_has_no_iam_or_fleet_section(model):
    assert set(model) == {"name", "tags", "baselines", "documents", "maintenance_windows"}


def test_fifty_groups_make_the_issues_158_resources():
    model = patch_model(50)
    windows = model["maintenance_windows"]
    counted = len(model["baselines"]) + len(model["documents"]) + len(windows)
    counted += sum(len(window["targets"]) + len(window["tasks"]) for window in windows)
    assert counted == resource_count(50) == 158


def test_every_patch_group_belongs_to_exactly_one_baseline(model):
    groups = [group for baseline in model["baselines"] for group in baseline["patch_groups"]]
    assert len(groups) == len(set(groups)) == GROUPS
    assert all(baseline["patch_groups"] for baseline in model["baselines"])


def test_baseline_filters_fit_their_operating_system(model):
    for baseline in model["baselines"]:
        for rule in baseline["approval_rules"]:
            assert validate_patch_filters(baseline["operating_system"], rule["patch_filters"], baseline["name"]) == []


def test_each_window_targets_its_patch_group_and_runs_one_patch_task(model):
    grouped = {group for baseline in model["baselines"] for group in baseline["patch_groups"]}
    hooks = {document["name"] for document in model["documents"]}
    for window in model["maintenance_windows"]:
        (target,) = window["targets"]
        (task,) = window["tasks"]
        (selector,) = target["targets"]
        assert selector["key"] == f"tag:{PATCH_GROUP_TAG}" and selector["values"][0] in grouped
        assert task["window_targets"] == [target["name"]]
        parameters = task["run_command"]["parameters"]
        hook_names = {value for name, (value,) in parameters.items() if name.endswith("HookDocName")}
        if task["task_arn"] == "AWS-RunPatchBaselineWithHooks":
            assert hook_names == hooks
        else:
            assert task["task_arn"] == "AWS-RunPatchBaseline" and not hook_names
