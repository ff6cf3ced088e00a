"""The one tag check every resource module runs (plugins/module_utils/tags.py: tag_problems)."""

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.tags import tag_problems

CHECKER = RequestChecker()


def test_good_tags_and_no_tags_have_no_problem():
    assert tag_problems(CHECKER, {"Patch Group": "WebServer-Prd", "patchmodel:model": "webserver-prd"}) == []
    assert tag_problems(CHECKER, None) == [] and tag_problems(CHECKER, {}) == []


@pytest.mark.parametrize(
    "tags, expected",
    [
        ({"owner!": "x"}, "tags['owner!'].key: 'owner!' does not match"),
        ({"bad#key": "x"}, "tags['bad#key'].key: 'bad#key' does not match"),
        ({"k" * 129: "x"}, f"tags['{'k' * 129}'].key: '{'k' * 129}' must have 1 to 128 characters, got 129"),
        ({"Team": "v" * 257}, "tags['Team'].value: '" + "v" * 257 + "' must have 0 to 256 characters, got 257"),
        ({"AWS:owner": "me"}, "tags: key 'AWS:owner' starts with 'aws:', which AWS reserves for its own tags"),
    ],
)
def test_a_bad_tag_is_named_by_its_key(tags, expected):
    assert any(problem.startswith(expected) for problem in tag_problems(CHECKER, tags)), tag_problems(CHECKER, tags)
