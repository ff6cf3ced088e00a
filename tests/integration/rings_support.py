"""Shared by the ring tests: the example model cut to dev -> prod, EC2 nodes in a ring's patch group, and the
playbook runs (patching_model.yml, patch_now.yml, promote_ring.yml) against the local endpoint."""

import copy
import datetime

import yaml

from tests.helpers.ansible_run import REPO, run_playbook
from tests.helpers.instances import AMAZON_LINUX_2, launch_instances

MODEL_PLAYBOOK = REPO / "playbooks" / "patching_model.yml"
PROMOTE_PLAYBOOK = REPO / "playbooks" / "promote_ring.yml"
PATCH_NOW_PLAYBOOK = REPO / "playbooks" / "patch_now.yml"
TEARDOWN_PLAYBOOK = REPO / "playbooks" / "teardown.yml"
EXAMPLE = REPO / "playbooks" / "vars" / "rings.example.yml"
AL2_DEV, AL2_PROD = "App-AmazonLinux2-dev", "App-AmazonLinux2-prod"
# States of the patches a baseline approves (not applicable ones included); the others are INSTALLED_OTHER.
APPROVED_STATES = {"INSTALLED", "INSTALLED_PENDING_REBOOT", "MISSING", "FAILED", "NOT_APPLICABLE"}


def dev_prod_model(promote_after="0d"):
    """The example model without its staging ring: prod is promoted from dev."""
    model = copy.deepcopy(yaml.safe_load(EXAMPLE.read_text()))
    rings = model["patch_model"]["rings"]
    model["patch_model"]["rings"] = [rings[0], dict(rings[2], promote_after=promote_after)]
    return model


def launch(endpoint, count, patch_group):
    """EC2 instances (managed nodes of the endpoint) in a patch group; their ids, sorted."""
    return launch_instances(endpoint.client("ec2"), count, {"Patch Group": patch_group}, image_name=AMAZON_LINUX_2)


def apply_model(endpoint, model, **options):
    returncode, _results, stats, output = run_playbook(endpoint, MODEL_PLAYBOOK, extra_vars=model, **options)
    assert returncode == 0, output[-6000:]
    return stats["localhost"]


def patch_now(endpoint, patch_group, operation):
    extra = {"patch_now_patch_group": patch_group, "patch_now_operation": operation}
    return run_playbook(endpoint, PATCH_NOW_PLAYBOOK, extra_vars=extra)


def promote(endpoint, model, ring, **options):
    """(return code, stats of localhost or {}, the failure message or "", the output)."""
    returncode, results, stats, output = run_playbook(
        endpoint, PROMOTE_PLAYBOOK, extra_vars=dict(model, ring=ring), **options
    )
    failures = [result.get("msg", "") for result in results if result.get("failed")]
    return returncode, stats.get("localhost", {}), " ".join(failures), output


def baselines_result(endpoint, model, ring, **options):
    """The patch baselines section module's result of a promotion (with its diff in --diff), and the output."""
    returncode, results, _stats, output = run_playbook(
        endpoint, PROMOTE_PLAYBOOK, extra_vars=dict(model, ring=ring), **options
    )
    assert returncode == 0, output[-4000:]
    [result] = [result for result in results if "changed_resources" in result]
    return result, output


def baseline_named(ssm, name):
    identities = ssm.describe_patch_baselines(Filters=[{"Key": "NAME_PREFIX", "Values": [name]}])["BaselineIdentities"]
    (identity,) = [found for found in identities if found["BaselineName"] == name]
    baseline = ssm.get_patch_baseline(BaselineId=identity["BaselineId"])
    baseline.pop("ResponseMetadata", None)
    tags = ssm.list_tags_for_resource(ResourceType="PatchBaseline", ResourceId=identity["BaselineId"])["TagList"]
    return baseline, {tag["Key"]: tag["Value"] for tag in tags}


def patch_states(ssm, instance_id):
    """{patch id: state} of a node's last scan or install."""
    states, token = {}, None
    while True:
        page = ssm.describe_instance_patches(InstanceId=instance_id, **({"NextToken": token} if token else {}))
        states.update({patch["KBId"]: patch["State"] for patch in page["Patches"]})
        token = page.get("NextToken")
        if not token:
            return states


def report_day(ssm, instance_ids):
    """The UTC day of the earliest last report among the nodes."""
    reports = ssm.describe_instance_patch_states(InstanceIds=instance_ids)["InstancePatchStates"]
    return min(report["OperationEndTime"] for report in reports).astimezone(datetime.UTC).date()
