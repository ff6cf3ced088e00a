"""The shared `targets` option: key and value checks, comparison, and docs that match the argument spec."""

import pytest
import yaml
from ansible_collections.patchmodel.ssm.plugins.doc_fragments.targets import ModuleDocFragment
from ansible_collections.patchmodel.ssm.plugins.module_utils import targets as target_utils
from ansible_collections.patchmodel.ssm.plugins.module_utils.targets import TARGETS

SEED_TARGETS = [{"key": "tag:Patch Group", "values": ["WebServer-Prd"]}]


def test_the_seed_targets_are_valid_instance_targets():
    assert target_utils.window_target_problems(SEED_TARGETS, "INSTANCE") == []
    assert target_utils.implied_resource_type(SEED_TARGETS) == "INSTANCE"


@pytest.mark.parametrize(
    "target, expected",
    [
        ({"key": "Tag:Patch Group", "values": ["x"]}, "targets[0].key: 'Tag:Patch Group' is not a valid target key "),
        ({"key": "instanceids", "values": ["i-0123456789abcdef0"]}, "(did you mean InstanceIds?)"),
        ({"key": "Name", "values": ["web"]}, "use one of InstanceIds, tag:<tag key>, tag-key, resource-groups:Name"),
        ({"key": "tag:", "values": ["x"]}, "targets[0].key: 'tag:' needs a tag key of 1 to 128 characters"),
        ({"key": "tag:Patch Group", "values": []}, "targets[0].values: list at least one value for tag:Patch Group"),
        ({"key": "InstanceIds", "values": ["i-12"]}, "targets[0].values[0]: 'i-12' is not an instance id"),
        (
            {"key": "resource-groups:ResourceTypeFilters", "values": ["EC2 instances"]},
            "'EC2 instances' is not a resource type such as AWS::EC2::Instance",
        ),
        (
            {"key": "resource-groups:Name", "values": ["a", "b"]},
            "resource-groups:Name takes exactly one resource group name, got 2",
        ),
    ],
)
def test_a_bad_window_target_names_the_selector_and_what_is_allowed(target, expected):
    problems = target_utils.window_target_problems([target], None)
    assert any(expected in problem for problem in problems), problems


def test_hybrid_and_ec2_instance_ids_are_accepted():
    targets = [{"key": "InstanceIds", "values": ["i-0123456789abcdef0", "i-01234567", "mi-0123456789abcdef0"]}]
    assert target_utils.window_target_problems(targets, "INSTANCE") == []


def test_resource_group_keys_and_resource_type_must_agree():
    groups = [{"key": "resource-groups:Name", "values": ["WebServers"]}]
    assert target_utils.implied_resource_type(groups) == "RESOURCE_GROUP"
    assert target_utils.window_target_problems(groups, "RESOURCE_GROUP") == []
    assert target_utils.window_target_problems(groups, "INSTANCE") == [
        "targets: resource-groups:Name selects a resource group; it needs resource_type RESOURCE_GROUP"
    ]
    assert (
        "needs targets keyed resource-groups:Name"
        in target_utils.window_target_problems(SEED_TARGETS, "RESOURCE_GROUP")[0]
    )


def test_tasks_take_instance_ids_or_window_target_ids_only():
    problems = target_utils.task_target_problems(SEED_TARGETS)
    assert problems[0].startswith(
        "targets[0].key: 'tag:Patch Group' is not a valid target key; use one of InstanceIds, WindowTargetIds"
    )
    assert "register a window target and name it in window_targets" in problems[0]
    assert target_utils.task_target_problems([{"key": "WindowTargetIds", "values": ["WebServer-Prd"]}]) == [
        "targets[0].values[0]: 'WebServer-Prd' is not a window target id (a UUID)"
    ]
    ids = [{"key": "WindowTargetIds", "values": ["e32eecb2-646c-4f4b-8ed1-205fb0123456"]}]
    assert target_utils.task_target_problems(ids) == []


def test_order_of_selectors_and_values_is_no_difference():
    first = [{"key": "tag:Patch Group", "values": ["a", "b"]}, {"key": "tag-key", "values": ["Owner"]}]
    second = [{"key": "tag-key", "values": ["Owner"]}, {"key": "tag:Patch Group", "values": ["b", "a"]}]
    assert TARGETS.canonical(first) == TARGETS.canonical(second)
    assert TARGETS.canonical(first) != TARGETS.canonical(SEED_TARGETS)


def test_api_round_trip_keeps_the_option_shape():
    assert TARGETS.from_api(TARGETS.to_api(SEED_TARGETS)) == SEED_TARGETS


@pytest.mark.parametrize(
    "fragment, keys",
    [
        (ModuleDocFragment.DOCUMENTATION, target_utils.WINDOW_TARGET_KEYS),
        (ModuleDocFragment.WINDOW_TASK, target_utils.TASK_TARGET_KEYS),
    ],
)
def test_the_doc_fragment_documents_the_argument_spec_and_every_accepted_key(fragment, keys):
    documented = yaml.safe_load(fragment)["options"]["targets"]
    spec = TARGETS.spec()
    assert (documented["type"], documented["elements"]) == (spec["type"], spec["elements"])
    for name, option in spec["options"].items():
        doc = documented["suboptions"][name]
        assert (doc["type"], doc.get("elements"), doc.get("required", False)) == (
            option["type"],
            option.get("elements"),
            option.get("required", False),
        )
    assert set(documented["suboptions"]) == set(spec["options"])
    text = " ".join(documented["description"])
    assert all(f"V({key})" in text for key in keys)
