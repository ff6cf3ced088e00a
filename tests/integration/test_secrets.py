"""Secrets stay secret: values AWS marks sensitive never reach ansible's output, at any verbosity, in check mode,
in diffs or in the _info module, while AWS holds the real values and reruns stay idempotent."""

import json
import pathlib
import uuid

import pytest

from tests.helpers.ansible_run import run_playbook

PLAYBOOK = pathlib.Path(__file__).parent / "playbooks" / "secrets.yml"
HIDDEN = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
CHANGED = HIDDEN + " (changed)"


def secret(kind):
    return f"{kind}-secret-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def runs(local_aws):
    """The playbook run four times, each with --diff -vvv: check mode, for real, again, then a new Lambda payload;
    then a third payload in check mode, with the default callback."""
    values = {
        "secrets_window": f"Patch-Secrets-{uuid.uuid4().hex[:8]}",
        "secrets_description": secret("window"),
        "secrets_owner": secret("owner"),
        "secrets_run_command": secret("run"),
        "secrets_lambda": secret("lambda"),
        "secrets_step_functions": secret("sfn"),
    }
    changed_payload = {**values, "secrets_lambda": secret("lambda")}
    done = {}
    for name, extra_vars, check in (
        ("check", values, True),
        ("real", values, False),
        ("rerun", values, False),
        ("change", changed_payload, False),
    ):
        mark = local_aws.mark()
        returncode, results, stats, output = run_playbook(
            local_aws, PLAYBOOK, extra_vars=extra_vars, check=check, diff=True, verbosity=3
        )
        assert returncode == 0, output[-6000:]
        assert "<127.0.0.1> EXEC" in output, "ran at verbosity 3"
        done[name] = {
            "results": results,
            "stats": stats["localhost"],
            "output": output,
            "writes": local_aws.mutating(mark),
        }
    # The human-readable callback renders results and diffs its own way: look there too, at a change previewed.
    previewed = {**values, "secrets_lambda": secret("lambda")}
    _returncode, _results, _stats, output = run_playbook(
        local_aws,
        PLAYBOOK,
        extra_vars=previewed,
        check=True,
        diff=True,
        verbosity=3,
        extra_env={"ANSIBLE_STDOUT_CALLBACK": "default"},
    )
    assert "+        payload: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER (changed)" in output, output[-6000:]
    done["default callback"] = {"output": output}
    secrets = (set(values.values()) - {values["secrets_window"]}) | {
        changed_payload["secrets_lambda"],
        previewed["secrets_lambda"],
    }
    return {"runs": done, "values": values, "changed_payload": changed_payload, "secrets": secrets}


def test_no_secret_appears_in_any_output(runs):
    for name, run in runs["runs"].items():
        leaked = sorted(value for value in runs["secrets"] if value in run["output"])
        assert not leaked, f"{name}: {leaked} in the output"


def test_the_output_is_verbose_and_complete(runs):
    """The runs did show module arguments and diffs, so the check above looked where secrets would be."""
    output = runs["runs"]["real"]["output"]
    assert '"invocation"' in output and '"module_args"' in output and '"diff"' in output
    # The no_log options show as Ansible's marker in the logged arguments.
    assert '"payload": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"' in output


def test_check_mode_makes_no_write_and_shows_the_tasks_masked(runs):
    check = runs["runs"]["check"]
    assert check["writes"] == []
    assert check["stats"]["changed"] == 5
    results = check["results"]
    assert results[0]["diff"]["after"]["description"] == HIDDEN
    assert results[1]["diff"]["after"]["owner_information"] == HIDDEN
    assert results[2]["diff"]["after"]["run_command"]["parameters"] == {"commands": HIDDEN}
    assert results[3]["diff"]["after"]["lambda"]["payload"] == HIDDEN
    assert results[4]["diff"]["after"]["step_functions"] == {"input": HIDDEN, "name": "patching-report"}


def test_the_real_run_creates_everything_and_the_rerun_writes_nothing(runs):
    real, rerun = runs["runs"]["real"], runs["runs"]["rerun"]
    assert real["stats"]["changed"] == 5 and real["stats"]["failures"] == 0
    assert [result["changed"] for result in real["results"][:5]] == [True] * 5
    assert rerun["stats"]["changed"] == 0, [r.get("changed") for r in rerun["results"]]
    assert [write["operation"] for write in rerun["writes"]] == []
    for result in rerun["results"][:5]:
        assert result["diff"]["before"] == result["diff"]["after"]  # no "(changed)" marker without a change


def test_the_info_module_masks_what_aws_marks_sensitive(runs):
    [window] = runs["runs"]["real"]["results"][5]["windows"]
    assert window["description"] == HIDDEN
    assert window["targets"][0]["owner_information"] == HIDDEN
    tasks = {task["name"]: task["task_invocation_parameters"] for task in window["tasks"]}
    assert tasks["RunScript"]["run_command"]["parameters"] == {"commands": HIDDEN}
    assert tasks["NotifyPatching"]["lambda"]["payload"] == HIDDEN
    assert tasks["ReportPatching"]["step_functions"] == {"input": HIDDEN, "name": "patching-report"}
    # The read in clear ran with no_log, as its documentation asks: censored.
    assert runs["runs"]["real"]["results"][6].get("censored")


def test_a_new_payload_changes_only_the_lambda_task_showing_that_it_changed(runs):
    change = runs["runs"]["change"]
    assert [result["changed"] for result in change["results"][:5]] == [False, False, False, True, False]
    assert [write["operation"] for write in change["writes"]] == ["UpdateMaintenanceWindowTask"]
    diff = change["results"][3]["diff"]
    assert (diff["before"]["lambda"]["payload"], diff["after"]["lambda"]["payload"]) == (HIDDEN, CHANGED)
    assert change["results"][3]["window_task"]["lambda"]["payload"] == HIDDEN


def test_aws_holds_the_real_values(runs, local_aws):
    ssm = local_aws.client("ssm")
    values = runs["values"]
    [identity] = ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [values["secrets_window"]]}])[
        "WindowIdentities"
    ]
    window_id = identity["WindowId"]
    assert ssm.get_maintenance_window(WindowId=window_id)["Description"] == values["secrets_description"]
    [target] = ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]
    assert target["OwnerInformation"] == values["secrets_owner"]
    tasks = {
        summary["Name"]: ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=summary["WindowTaskId"])
        for summary in ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]
    }
    invocation = {name: task["TaskInvocationParameters"] for name, task in tasks.items()}
    assert invocation["RunScript"]["RunCommand"]["Parameters"] == {
        "commands": [f"echo {values['secrets_run_command']}"]
    }
    payload = json.loads(invocation["NotifyPatching"]["Lambda"]["Payload"])
    assert payload == {"token": runs["changed_payload"]["secrets_lambda"]}
    assert json.loads(invocation["ReportPatching"]["StepFunctions"]["Input"]) == {
        "token": values["secrets_step_functions"]
    }


def secret_model(name, values):
    """A model whose window, target and tasks hold values AWS marks sensitive, for patching_model.yml."""
    return {
        "patch_model": {
            "name": name,
            "maintenance_windows": [
                {
                    "name": f"{name}-window",
                    "description": values["description"],
                    "schedule": "cron(0 21 ? * WED#1 *)",
                    "duration": 2,
                    "cutoff": 1,
                    "targets": [
                        {
                            "name": "WebServer-Prd",
                            "owner_information": values["owner"],
                            "targets": [{"key": "tag:Patch Group", "values": ["WebServer-Prd"]}],
                        }
                    ],
                    "tasks": [
                        {
                            "name": "NotifyPatching",
                            "task_type": "LAMBDA",
                            "task_arn": "arn:aws:lambda:us-east-1:123456789012:function:notify-patching",
                            "priority": 2,
                            "lambda": {"payload": json.dumps({"token": values["lambda"]})},
                        },
                        {
                            "name": "ReportPatching",
                            "task_type": "STEP_FUNCTIONS",
                            "task_arn": "arn:aws:states:us-east-1:123456789012:stateMachine:patching-report",
                            "priority": 3,
                            "step_functions": {
                                "name": "patching-report",
                                "input": json.dumps({"token": values["sfn"]}),
                            },
                        },
                    ],
                }
            ],
        }
    }


@pytest.mark.parametrize("callback", ["json", "default"])
def test_the_model_playbook_and_teardown_show_no_secret_at_any_step(local_aws, callback):
    """Through the roles too, which loop over the model's items: check, diff, real run, rerun, teardown, -vvv."""
    values = {kind: secret(kind) for kind in ("description", "owner", "lambda", "sfn")}
    model = secret_model(f"secrets-{uuid.uuid4().hex[:8]}", values)
    repo = pathlib.Path(__file__).resolve().parents[2] / "playbooks"
    env = {"ANSIBLE_STDOUT_CALLBACK": callback}
    steps = [("patching_model.yml", True), ("patching_model.yml", False), ("patching_model.yml", False)]
    for playbook, check in steps + [("teardown.yml", False)]:
        returncode, _results, _stats, output = run_playbook(
            local_aws, repo / playbook, extra_vars=model, check=check, diff=True, verbosity=3, extra_env=env
        )
        assert returncode == 0, output[-6000:]
        assert "NotifyPatching" in output  # the run did show the task it worked on
        leaked = sorted(kind for kind, value in values.items() if value in output)
        assert not leaked, f"{playbook} (check={check}, {callback} callback) showed the {leaked} values"
