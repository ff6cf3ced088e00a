"""The seed models make exactly the AWS calls recorded in tests/integration/contracts/ (request_contracts.py):
same operations, same parameters, as many times each, ids and client tokens aside. The section modules work on
several resources at once, so calls of different resources may interleave in any order: runs are compared as the
multiset of their calls."""

import json

import pytest

from tests.integration.request_contracts import MODELS, STEPS, contract_path, record


@pytest.fixture(scope="module", params=sorted(MODELS))
def recorded(request, tmp_path_factory):
    return request.param, record(tmp_path_factory.mktemp(request.param), MODELS[request.param])


def test_each_step_of_each_seed_model_keeps_its_request_contract(recorded):
    model, contracts = recorded
    for step, _playbook, _check in STEPS:
        expected = json.loads(contract_path(model, step).read_text())
        actual = contracts[step]
        assert sorted(c["operation"] for c in actual) == sorted(c["operation"] for c in expected), f"{model} {step}"
        assert canonical(actual) == canonical(expected), f"{model} {step}: the calls' parameters changed"


def canonical(calls):
    return sorted(json.dumps(call, sort_keys=True) for call in calls)


def test_a_rerun_makes_no_call_that_changes_anything_but_the_lock(recorded):
    model, contracts = recorded
    writes = [c for c in contracts["rerun"] if not c["operation"].startswith(("Describe", "Get", "List"))]
    assert {c["operation"] for c in writes} <= {"PutParameter", "DeleteParameter"}, (model, writes)
