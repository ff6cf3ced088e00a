"""The Amazon Linux 2 seed model in the field: applied and torn down while the endpoint throttles 20% of calls,
answers 5% with a 5xx and loses the answer of 5% after carrying them out (every service, moto's included)."""

import pytest

from tests.helpers.ansible_run import run_playbook
from tests.integration.field_support import census, model_writes, only_once
from tests.integration.test_patching_model import (
    PLAYBOOK,
    TEARDOWN,
    assert_webserver_model_exists,
    assert_webserver_model_gone,
    launch_instances,
    load_model,
)

FIELD = {"throttle": 0.2, "error": 0.05, "lost": 0.05}
SEEDS = [11, 23, 37]

MODEL_RESOURCES = {
    "baselines": ["AmazonLinux2AllPatchesBaseline"],
    "documents": ["Post-install-WebServer-Document", "Post-reboot-WebServer-Document", "Pre-patch-WebServer-Document"],
    "patch_groups": ["WebServer-Prd"],
    "windows": ["Patch-WebServer-Prd"],
    "window_targets": ["Patch-WebServer-Prd/WebServer-Prd"],
    "window_tasks": ["Patch-WebServer-Prd/PatchWebServerPrd"],
    "roles": ["WebServer-Prd-Instance-Role", "maintenance-window-role"],
    "policies": ["maintenance-window-policy"],
    "instance_profiles": ["WebServer-Prd-Instance-Role"],
    "topics": ["patching-webserver-prd"],
    "log_groups": ["patching/webserver/prd"],
}


def make_unrelated(endpoint):
    """Resources of the account that are not the model's: teardown must leave every one of them."""
    ssm, iam = endpoint.client("ssm"), endpoint.client("iam")
    rule = {"PatchFilterGroup": {"PatchFilters": [{"Key": "PRODUCT", "Values": ["*"]}]}, "ApproveAfterDays": 7}
    baseline_id = ssm.create_patch_baseline(
        Name="Unrelated-Baseline", OperatingSystem="AMAZON_LINUX_2", ApprovalRules={"PatchRules": [rule]}
    )["BaselineId"]
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup="Unrelated-Group")
    ssm.create_document(
        Name="Unrelated-Document",
        DocumentType="Command",
        Content='{"schemaVersion": "2.2", "mainSteps": [{"action": "aws:runShellScript", "name": "x", '
        '"inputs": {"runCommand": ["true"]}}]}',
    )
    ssm.create_maintenance_window(
        Name="Unrelated-Window", Schedule="rate(7 days)", Duration=2, Cutoff=1, AllowUnassociatedTargets=True
    )
    ssm.put_parameter(Name="/unrelated/setting", Value="kept", Type="String")
    iam.create_role(RoleName="unrelated-role", AssumeRolePolicyDocument="{}")
    endpoint.client("sns").create_topic(Name="unrelated-topic")
    endpoint.client("logs").create_log_group(logGroupName="unrelated/logs")
    return {
        "baselines": ["Unrelated-Baseline"],
        "documents": ["Unrelated-Document"],
        "patch_groups": ["Unrelated-Group"],
        "windows": ["Unrelated-Window"],
        "window_targets": [],
        "window_tasks": [],
        "parameters": ["/unrelated/setting"],
        "roles": ["unrelated-role"],
        "policies": [],
        "instance_profiles": [],
        "topics": ["unrelated-topic"],
        "log_groups": ["unrelated/logs"],
    }


def with_model(unrelated):
    return {kind: sorted(names + MODEL_RESOURCES.get(kind, [])) for kind, names in unrelated.items()}


def faults_of(endpoint, since):
    """(fault kind, operation) of each fault injected since the mark."""
    return [(entry["fault_kind"], entry["operation"]) for entry in endpoint.requests(since) if entry.get("fault_kind")]


def run_faulted(endpoint, playbook, model, seed):
    endpoint.set_faults(**FIELD, seed=seed)
    mark = endpoint.mark()
    rc, _results, stats, output = run_playbook(endpoint, playbook, extra_vars=model)
    endpoint.set_faults()
    assert rc == 0, output[-6000:]
    injected = faults_of(endpoint, mark)
    # The run really met every kind of fault, lost answers of writes included.
    assert {kind for kind, _ in injected} == {"throttle", "error", "lost"}, injected
    return stats["localhost"], injected


@pytest.mark.parametrize("seed", SEEDS)
def test_the_al2_model_converges_under_faults_without_duplicates_and_tears_down_under_faults(account, seed):
    model = load_model("webserver_prd.yml")
    unrelated = make_unrelated(account)
    (instance_id,) = launch_instances(account, "WebServer-Prd")

    run_faulted(account, PLAYBOOK, model, seed)
    assert only_once(census(account)) == with_model(unrelated)
    assert_webserver_model_exists(account, instance_id)

    mark = account.mark()
    rc, _results, stats, output = run_playbook(account, PLAYBOOK, extra_vars=model)
    assert rc == 0 and stats["localhost"]["changed"] == 0, output[-6000:]
    assert model_writes(account, mark) == []

    run_faulted(account, TEARDOWN, model, seed + 1)
    assert only_once(census(account)) == unrelated
    assert_webserver_model_gone(account, instance_id)
