"""Three runs of one model started together (two job templates, a schedule and a person): the model lock lets one
apply it at a time. Each run ends rc 0, or fails before changing anything with a message naming the holder; the
account ends with exactly one resource of each kind, and a clean rerun writes nothing."""

import re

from tests.helpers.ansible_run import run_playbook
from tests.helpers.endpoint import is_lock_call
from tests.integration.field_support import census, finish, model_writes, only_once, start_playbook
from tests.integration.test_field_faults import MODEL_RESOURCES
from tests.integration.test_patching_model import PLAYBOOK, assert_webserver_model_exists, launch_instances, load_model

RUNS = 3
IAM_KINDS = ("roles", "policies", "instance_profiles", "topics", "log_groups")


def run_together(endpoint, tmp_path, model, **variables):
    mark = endpoint.mark()
    processes = [
        start_playbook(
            endpoint,
            PLAYBOOK,
            dict(model, patch_model_lock_owner=f"run-{index}", **variables),
            access_key=f"RUN{index}",
            log_path=tmp_path / f"run-{index}.log",
        )
        for index in range(RUNS)
    ]
    return mark, [finish(process) for process in processes]


def assert_each_run_succeeded_or_changed_nothing_naming_the_holder(endpoint, mark, outcomes):
    failed = []
    for index, (rc, _results, _stats, output) in enumerate(outcomes):
        if rc == 0:
            continue
        failed.append(index)
        holders = re.findall(r"The model 'webserver-prd' is locked by (run-\d)", output)
        assert holders and holders[0] != f"run-{index}", output[-4000:]
        writes = model_writes(endpoint, mark, access_key=f"RUN{index}")
        assert writes == [], f"run-{index} failed after changing {[w['operation'] for w in writes]}"
        own = [e for e in endpoint.mutating(mark, include_lock=True) if e.get("access_key") == f"RUN{index}"]
        lock_writes = [entry for entry in own if is_lock_call(entry)]
        assert all(entry["status"] != 200 for entry in lock_writes)  # its lock create was refused, nothing more
    return failed


def expected(model):
    """Each kind of the census with the model's names; the IAM kinds are empty for a model without `iam`."""
    has_iam = "iam" in model["patch_model"]
    names = {kind: ([] if kind in IAM_KINDS and not has_iam else names) for kind, names in MODEL_RESOURCES.items()}
    return dict(names, parameters=[])


def assert_one_of_each_and_a_clean_rerun(endpoint, model):
    assert only_once(census(endpoint)) == expected(model)
    mark = endpoint.mark()
    rc, _results, stats, output = run_playbook(endpoint, PLAYBOOK, extra_vars=model)
    assert rc == 0 and stats["localhost"]["changed"] == 0, output[-6000:]
    assert model_writes(endpoint, mark) == []


def test_three_runs_with_the_iam_section_and_no_wait_leave_one_of_each_and_losers_change_nothing(account, tmp_path):
    model = load_model("webserver_prd.yml")
    (instance_id,) = launch_instances(account, "WebServer-Prd")
    mark, outcomes = run_together(account, tmp_path, model, patch_model_lock_wait_timeout=0)
    failed = assert_each_run_succeeded_or_changed_nothing_naming_the_holder(account, mark, outcomes)
    assert len(failed) < RUNS
    assert failed, "the runs did not overlap: nothing showed the lock refusing a second run"
    assert_one_of_each_and_a_clean_rerun(account, model)
    assert_webserver_model_exists(account, instance_id)


def test_three_runs_without_the_iam_section_wait_their_turn_and_all_succeed(account, tmp_path):
    model = load_model("webserver_prd.yml")
    del model["patch_model"]["iam"]
    mark, outcomes = run_together(account, tmp_path, model)
    for rc, _results, _stats, output in outcomes:
        assert rc == 0, output[-4000:]
    # Each run took the lock in its turn; the two that waited found the model applied and changed nothing.
    changed = sorted(stats["localhost"]["changed"] for _rc, _results, stats, _output in outcomes)
    assert changed[:2] == [0, 0] and changed[2] > 0
    assert_one_of_each_and_a_clean_rerun(account, model)
