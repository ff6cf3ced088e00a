"""The request contracts of the two seed models: every AWS call of a first apply, a rerun, a `--check --diff` and
a teardown, as the local endpoint logged it, with the values that differ from run to run (ids, client tokens,
times) replaced by placeholders. tests/integration/test_request_contracts.py compares each run with the contract
recorded in tests/integration/contracts/; a refactoring must leave them identical.

Record them again, after a change of behaviour that is meant, with:
    .venv/bin/python -m tests.integration.request_contracts
"""

import json
import pathlib
import re
import sys
import tempfile

from tests.helpers.ansible_run import REPO, run_playbook
from tests.helpers.endpoint import LocalEndpoint, is_lock_call

CONTRACTS = pathlib.Path(__file__).parent / "contracts"
MODELS = {"webserver_prd": "webserver_prd.yml", "windows_2016_base": "windows_2016_base.yml"}
STEPS = (
    ("apply", "patching_model.yml", False),
    ("rerun", "patching_model.yml", False),
    ("check_diff", "patching_model.yml", True),
    ("teardown", "teardown.yml", False),
)
_PLACEHOLDERS = (
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r"\bpb-[0-9a-f]{17}\b"), "pb-<id>"),
    (re.compile(r"\bmw-[0-9a-f]{17}\b"), "mw-<id>"),
    (re.compile(r"\bi-[0-9a-f]{8,17}\b"), "i-<id>"),
    (re.compile(r"\bmi-[0-9a-f]{17}\b"), "mi-<id>"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "<time>"),
)


def _placeholders(value):
    if isinstance(value, dict):
        return {key: "<token>" if key == "ClientToken" else _placeholders(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_placeholders(item) for item in value]
    if isinstance(value, str):
        for pattern, placeholder in _PLACEHOLDERS:
            value = pattern.sub(placeholder, value)
    return value


def contract_of(entries):
    """The logged calls as a contract: service, operation, parameters with placeholders, status."""
    calls = []
    for entry in entries:
        parameters = entry.get("parameters", {})
        if is_lock_call(entry):
            # The lock's value names this run (owner, token, times): only its name and the kind of write count.
            parameters = {key: parameters[key] for key in ("Name", "Overwrite") if key in parameters}
        calls.append(
            {
                "service": entry["service"],
                "operation": entry["operation"],
                "parameters": _placeholders(parameters),
                "status": entry.get("status"),
            }
        )
    return calls


def record(workdir, model_file):
    """{step: contract} of one seed model on a fresh endpoint, each step a real ansible-playbook run."""
    from tests.integration.test_patching_model import launch_instances, load_model

    endpoint = LocalEndpoint(workdir)
    try:
        model = load_model(model_file)
        launch_instances(endpoint, "WebServer-Prd")
        contracts = {}
        for step, playbook, check in STEPS:
            mark = endpoint.mark()
            rc, _results, _stats, output = run_playbook(
                endpoint, REPO / "playbooks" / playbook, extra_vars=model, check=check, diff=check
            )
            if rc != 0:
                raise AssertionError(f"{model_file} {step} failed:\n{output[-4000:]}")
            contracts[step] = contract_of(endpoint.requests(mark))
        return contracts
    finally:
        endpoint.stop()


def contract_path(model, step):
    return CONTRACTS / f"{model}.{step}.json"


def main():
    CONTRACTS.mkdir(exist_ok=True)
    for model, model_file in MODELS.items():
        with tempfile.TemporaryDirectory() as workdir:
            for step, calls in record(workdir, model_file).items():
                contract_path(model, step).write_text(json.dumps(calls, indent=1, sort_keys=True) + "\n")
                print(f"{model} {step}: {len(calls)} calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
