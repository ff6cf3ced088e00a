"""Writes whose answer is lost after AWS carried them out: the retry neither fails nor duplicates.

Each test makes exactly one call of one operation "lost" on the local endpoint (applied, then answered with
SSM's 500 InternalServerError) and runs a module through it. Two retry depths are tried where it matters:
botocore's own (standard mode, the default 3 attempts) and, with AWS_MAX_ATTEMPTS=1, only our modules' decorator.
"""

import pytest

from tests.helpers.ansible_run import run_module
from tests.helpers.endpoint import LocalEndpoint
from tests.integration.patch_baseline_support import al2_seed, unique
from tests.integration.window_parts_support import create_window, webserver_target, webserver_task

BOTOCORE_RETRIES = {}
OUR_RETRIES_ONLY = {"AWS_MAX_ATTEMPTS": "1"}
DEPTHS = pytest.mark.parametrize("depth", [BOTOCORE_RETRIES, OUR_RETRIES_ONLY], ids=["botocore", "decorator"])


@pytest.fixture(scope="module")
def lossy(tmp_path_factory):
    endpoint = LocalEndpoint(tmp_path_factory.mktemp("lossy"))
    yield endpoint
    endpoint.stop()


@pytest.fixture
def ssm(lossy):
    lossy.set_faults()
    return lossy.client("ssm")


def lose_next(endpoint, operation):
    endpoint.set_faults(lost=1.0, operations=[operation], count=1)


def calls(endpoint, mark, operation):
    return [entry for entry in endpoint.requests(mark) if entry["operation"] == operation]


def run_losing(endpoint, operation, module, args, depth=None):
    """Run the module with the next `operation` lost; assert the loss happened and the module succeeded."""
    lose_next(endpoint, operation)
    mark = endpoint.mark()
    result = run_module(endpoint, module, args, extra_env=depth)
    endpoint.set_faults()
    sent = calls(endpoint, mark, operation)
    assert sent and sent[0].get("fault_kind") == "lost", sent
    assert not result.get("failed"), result.get("msg")
    return result, sent


@DEPTHS
def test_a_lost_create_patch_baseline_is_retried_with_its_client_token_into_one_baseline(lossy, ssm, depth):
    name = unique("Lost-Baseline")
    result, sent = run_losing(lossy, "CreatePatchBaseline", "ssm_patch_baseline", al2_seed(name), depth)
    assert result["changed"]
    assert len(sent) == 2 and sent[0]["parameters"]["ClientToken"] == sent[1]["parameters"]["ClientToken"]
    matches = [
        identity
        for identity in ssm.describe_patch_baselines(Filters=[{"Key": "NAME_PREFIX", "Values": [name]}])[
            "BaselineIdentities"
        ]
        if identity["BaselineName"] == name
    ]
    assert [identity["BaselineId"] for identity in matches] == [result["baseline"]["baseline_id"]]


@DEPTHS
def test_a_lost_create_document_ends_in_one_document_reported_changed(lossy, ssm, depth):
    name = unique("Lost-Document")
    content = {
        "schemaVersion": "2.2",
        "description": "Pre-patch Web Server Document",
        "mainSteps": [{"action": "aws:runShellScript", "name": "configureServer", "inputs": {"runCommand": ["true"]}}],
    }
    args = {"name": name, "content": content, "document_type": "Command", "document_format": "YAML"}
    result, sent = run_losing(lossy, "CreateDocument", "ssm_document", args, depth)
    assert len(sent) == 2 and result["changed"]
    assert ssm.describe_document(Name=name)["Document"]["DocumentVersion"] == "1"
    versions = ssm.list_document_versions(Name=name)["DocumentVersions"]
    assert [version["DocumentVersion"] for version in versions] == ["1"]


@DEPTHS
def test_a_lost_patch_group_registration_is_recognised_as_done(lossy, ssm, depth):
    name, group = unique("Lost-Group-Baseline"), unique("WebServer-Prd")
    created = run_module(lossy, "ssm_patch_baseline", al2_seed(name))
    result, sent = run_losing(
        lossy, "RegisterPatchBaselineForPatchGroup", "ssm_patch_baseline", al2_seed(name, [group]), depth
    )
    assert len(sent) == 2 and sent[1]["status"] == 400  # AWS's AlreadyExistsException, taken as done
    baseline_id = created["baseline"]["baseline_id"]
    assert ssm.get_patch_baseline(BaselineId=baseline_id)["PatchGroups"] == [group]
    assert result["baseline"]["patch_groups"] == [group]


@DEPTHS
def test_a_lost_patch_group_deregistration_is_recognised_as_done(lossy, ssm, depth):
    name, group = unique("Lost-Ungroup-Baseline"), unique("WebServer-Prd")
    created = run_module(lossy, "ssm_patch_baseline", al2_seed(name, [group]))
    result, sent = run_losing(
        lossy, "DeregisterPatchBaselineForPatchGroup", "ssm_patch_baseline", al2_seed(name, []), depth
    )
    assert len(sent) == 2 and sent[1]["status"] == 400  # InvalidResourceId: no longer registered
    assert ssm.get_patch_baseline(BaselineId=created["baseline"]["baseline_id"])["PatchGroups"] == []
    assert result["changed"]


@DEPTHS
def test_lost_window_target_and_task_registrations_and_deregistrations_leave_one_or_none(lossy, ssm, depth):
    window_name = unique("Lost-Window")
    window_id = create_window(ssm, window_name)
    target, task = webserver_target(window_name), webserver_task(window_name)
    run_losing(lossy, "RegisterTargetWithMaintenanceWindow", "ssm_window_target", target, depth)
    run_losing(lossy, "RegisterTaskWithMaintenanceWindow", "ssm_window_task", task, depth)
    assert len(ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]) == 1
    assert len(ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]) == 1

    _, sent = run_losing(
        lossy, "DeregisterTaskFromMaintenanceWindow", "ssm_window_task", dict(task, state="absent"), depth
    )
    assert len(sent) == 2 and sent[1]["status"] == 400  # DoesNotExistException: already gone
    _, sent = run_losing(
        lossy, "DeregisterTargetFromMaintenanceWindow", "ssm_window_target", dict(target, state="absent"), depth
    )
    assert len(sent) == 2 and sent[1]["status"] == 400
    assert ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"] == []
    assert ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"] == []


@DEPTHS
def test_a_lost_create_maintenance_window_makes_one_window(lossy, ssm, depth):
    name = unique("Lost-Create-Window")
    args = {"name": name, "schedule": "cron(0 21 ? * WED#1 *)", "duration": 2, "cutoff": 1}
    result, sent = run_losing(lossy, "CreateMaintenanceWindow", "ssm_maintenance_window", args, depth)
    windows = ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [name]}])["WindowIdentities"]
    assert [window["WindowId"] for window in windows] == [result["window"]["window_id"]]
    assert len(sent) == 2 and sent[0]["parameters"]["ClientToken"] == sent[1]["parameters"]["ClientToken"]


def test_a_lost_send_command_is_found_by_its_marker_and_not_sent_twice(lossy, ssm):
    ec2 = lossy.client("ec2")
    image = ec2.describe_images(Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*"]}])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]
    before = len(ssm.list_commands()["Commands"])
    result, sent = run_losing(
        lossy,
        "SendCommand",
        "ssm_patch_now",
        {"instance_ids": [instance["InstanceId"]], "operation": "Scan", "comment": "lost answer", "wait": False},
    )
    assert len(sent) == 1  # found by its marker: not sent again
    commands = ssm.list_commands()["Commands"]
    assert len(commands) == before + 1
    assert commands[0]["CommandId"] == result["command_id"]
    assert commands[0]["Comment"].startswith("lost answer [patchmodel:")
    assert result["request"]["comment"] == commands[0]["Comment"]  # the result shows the comment as sent


def test_a_lost_lock_create_is_recognised_as_this_runs_lock(lossy, ssm):
    model = unique("lost-lock")
    result, sent = run_losing(lossy, "PutParameter", "ssm_model_lock", {"model": model, "wait_timeout": 0})
    assert len(sent) == 2 and result["changed"] and result["lock"]["token"]
    value = ssm.get_parameter(Name=f"/patchmodel/{model}/lock")["Parameter"]["Value"]
    assert result["lock"]["token"] in value
    release = {"model": model, "state": "absent", "token": result["lock"]["token"]}
    released = run_module(lossy, "ssm_model_lock", release)
    assert released["changed"]
    assert not ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [f"/patchmodel/{model}/lock"]}])[
        "Parameters"
    ]
