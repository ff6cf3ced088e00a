"""playbooks/patch_now.yml and ssm_patch_now against the local endpoint: Scan then Install flip exactly the targeted
instances to compliant, one baseline snapshot for the fleet, --check sends nothing, bad input and failed nodes."""

import json
import pathlib
import uuid

import yaml

from tests.helpers.ansible_run import run_playbook
from tests.helpers.instances import AMAZON_LINUX_2, launch_instances

PLAYBOOK = pathlib.Path(__file__).resolve().parents[2] / "playbooks" / "patch_now.yml"
MODULE = "patchmodel.ssm.ssm_patch_now"


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def launch(local_aws, count, tags):
    return launch_instances(local_aws.client("ec2"), count, tags, image_name=AMAZON_LINUX_2)


def baseline_for(ssm, patch_group):
    """An Amazon Linux 2 baseline approving every patch at once, registered for the patch group."""
    rule = {"PatchFilterGroup": {"PatchFilters": [{"Key": "PRODUCT", "Values": ["*"]}]}, "ApproveAfterDays": 0}
    baseline_id = ssm.create_patch_baseline(
        Name=unique("WebServer-Prd-Baseline"),
        OperatingSystem="AMAZON_LINUX_2",
        ApprovalRules={"PatchRules": [rule]},
        ApprovedPatchesEnableNonSecurity=True,
    )["BaselineId"]
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=patch_group)
    return baseline_id


def patch_states(ssm, instance_ids):
    states = ssm.describe_instance_patch_states(InstanceIds=instance_ids, MaxResults=50)["InstancePatchStates"]
    return {state["InstanceId"]: state for state in states}


def compliant(state):
    return state["MissingCount"] == state["FailedCount"] == state["InstalledPendingRebootCount"] == 0


def patch_now(local_aws, check=False, **variables):
    """Run playbooks/patch_now.yml; returns (return code, the module's result, the per-node lines, output)."""
    extra = {f"patch_now_{name}": value for name, value in variables.items()}
    returncode, results, _stats, output = run_playbook(local_aws, PLAYBOOK, extra_vars=extra, check=check)
    module_results = [result for result in results if "target_instance_ids" in result]
    assert len(module_results) == 1, output[-4000:]
    shown = [line for result in results for item in result.get("results", []) for line in item.get("msg", [])[:1]]
    return returncode, module_results[0], shown, output


def shown_ids(shown):
    """The instance ids the playbook's per-node lines start with ("<id> (<host name>): <status> ...")."""
    return sorted(line.split(":")[0].split(" (")[0] for line in shown)


def sent_commands(local_aws, mark):
    return [entry for entry in local_aws.mutating(mark) if entry["operation"] == "SendCommand"]


def test_scan_then_install_flips_exactly_the_patch_group_to_compliant(local_aws, ssm):
    group_a, group_b = unique("WebServer-Prd"), unique("WebServer-Dev")
    fleet_a = launch(local_aws, 2, {"Patch Group": group_a})
    fleet_b = launch(local_aws, 1, {"Patch Group": group_b})
    baseline_id = baseline_for(ssm, group_a)

    mark = local_aws.mark()
    returncode, checked, shown, output = patch_now(local_aws, check=True, patch_group=group_a, operation="Scan")
    assert returncode == 0, output[-4000:]
    assert local_aws.mutating(mark) == []
    assert checked["changed"] and checked["command_id"] is None and checked["instances"] == []
    assert checked["target_instance_ids"] == fleet_a
    assert checked["request"]["targets"] == [{"key": "tag:Patch Group", "values": [group_a]}]
    # AWS marks the document parameters sensitive: their values are masked (the request log holds them, below).
    assert checked["request"]["parameters"] == {"Operation": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}
    assert shown == []
    assert f"Would send AWS-RunPatchBaseline (Scan) to 2 node(s): {', '.join(fleet_a)}" in output
    assert patch_states(ssm, fleet_a + fleet_b) == {}

    mark = local_aws.mark()
    returncode, scan, shown, output = patch_now(local_aws, patch_group=group_a, operation="Scan", use_snapshot=True)
    assert returncode == 0, output[-4000:]
    [sent] = sent_commands(local_aws, mark)
    assert sent["parameters"]["Targets"] == [{"Key": "tag:Patch Group", "Values": [group_a]}]
    assert sent["parameters"]["Parameters"] == {"Operation": ["Scan"], "SnapshotId": [scan["snapshot_id"]]}
    assert scan["changed"] and (scan["status"], scan["status_details"]) == ("Success", "Success")
    assert scan["counts"] == {"target_count": 2, "completed_count": 2, "error_count": 0, "delivery_timed_out_count": 0}
    assert [instance["instance_id"] for instance in scan["instances"]] == fleet_a
    assert {instance["status"] for instance in scan["instances"]} == {"Success"}
    assert all("Missing:" in instance["output"] for instance in scan["instances"])
    assert shown_ids(shown) == fleet_a
    scanned = patch_states(ssm, fleet_a + fleet_b)
    assert sorted(scanned) == fleet_a  # the other patch group was not touched
    for state in scanned.values():
        assert state["Operation"] == "Scan" and state["BaselineId"] == baseline_id
        assert state["MissingCount"] > 0 and not compliant(state)
        assert state["SnapshotId"] == scan["snapshot_id"]  # the fleet patched against one snapshot

    mark = local_aws.mark()
    returncode, install, _shown, output = patch_now(
        local_aws, patch_group=group_a, operation="Install", snapshot_id=scan["snapshot_id"], max_concurrency="1"
    )
    assert returncode == 0, output[-4000:]
    [sent] = sent_commands(local_aws, mark)
    assert sent["parameters"]["MaxConcurrency"] == "1"
    assert install["status"] == "Success" and install["command_id"] != scan["command_id"]
    installed = patch_states(ssm, fleet_a + fleet_b)
    assert sorted(installed) == fleet_a
    for instance_id, state in installed.items():
        assert state["Operation"] == "Install" and compliant(state), state
        assert state["InstalledCount"] == scanned[instance_id]["InstalledCount"] + scanned[instance_id]["MissingCount"]


def test_instance_ids_with_hooks_and_no_reboot_leave_patches_pending_reboot(local_aws, ssm):
    group = unique("WebServer-Prd")
    target, bystander = launch(local_aws, 2, {"Patch Group": group})
    baseline_for(ssm, group)
    hook = unique("Pre-patch-WebServer-Document")
    content = {
        "schemaVersion": "2.2",
        "description": "Pre-patch Web Server Document",
        "parameters": {},
        "mainSteps": [{"action": "aws:runShellScript", "name": "configureServer", "inputs": {"runCommand": ["true"]}}],
    }
    ssm.create_document(Name=hook, Content=json.dumps(content), DocumentType="Command", DocumentFormat="JSON")

    mark = local_aws.mark()
    returncode, result, shown, output = patch_now(
        local_aws,
        instance_ids=[target],
        operation="Install",
        document="AWS-RunPatchBaselineWithHooks",
        reboot_option="NoReboot",
        pre_install_hook_doc_name=hook,
        comment="patch now",
    )
    assert returncode == 0, output[-4000:]
    [sent] = sent_commands(local_aws, mark)
    assert sent["parameters"]["InstanceIds"] == [target]
    assert sent["parameters"]["DocumentName"] == "AWS-RunPatchBaselineWithHooks"
    assert sent["parameters"]["Parameters"] == {
        "Operation": ["Install"],
        "RebootOption": ["NoReboot"],
        "PreInstallHookDocName": [hook],
    }
    assert result["snapshot_id"] is None
    [instance] = result["instances"]
    assert instance["instance_id"] == target and instance["status"] == "Success"
    assert {"name": "PreInstallHookLinux", "status": "Success", "response_code": 0} in instance["steps"]
    states = patch_states(ssm, [target, bystander])
    assert list(states) == [target]
    assert states[target]["InstalledPendingRebootCount"] > 0 and states[target]["MissingCount"] == 0
    assert shown_ids(shown) == [target]


def test_a_node_the_command_cannot_reach_fails_the_run_with_its_result_shown(local_aws, ssm):
    group = unique("WebServer-Prd")
    online, stopped = launch(local_aws, 2, {"Patch Group": group})
    local_aws.client("ec2").stop_instances(InstanceIds=[stopped])

    returncode, result, shown, output = patch_now(local_aws, patch_group=group, operation="Scan")
    assert returncode != 0
    assert result["failed"] and result["status"] == "TimedOut"
    assert f"not successful on {stopped} (Delivery Timed Out)" in result["msg"]
    assert f"{stopped} is ConnectionLost" in " ".join(result.get("warnings", []))
    statuses = {instance["instance_id"]: instance["status"] for instance in result["instances"]}
    assert statuses == {online: "Success", stopped: "TimedOut"}
    assert shown_ids(shown) == sorted([online, stopped])


def run_module_tasks(local_aws, tmp_path, calls, check=False):
    """Run ssm_patch_now once per options dict in one playbook; returns each result (failures included)."""
    tasks = [{"name": f"patch now {index}", MODULE: args, "ignore_errors": True} for index, args in enumerate(calls)]
    playbook = tmp_path / f"patch-now-{uuid.uuid4().hex[:8]}.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]))
    _returncode, results, _stats, output = run_playbook(local_aws, playbook, check=check)
    assert len(results) == len(calls), output[-4000:]
    return results


def test_bad_input_and_unknown_targets_fail_before_anything_is_sent(local_aws, ssm, tmp_path):
    group = unique("WebServer-Prd")
    [instance] = launch(local_aws, 1, {"Patch Group": group})

    mark = local_aws.mark()
    bad, both_targets, unknown_id, empty_group, missing_hook = run_module_tasks(
        local_aws,
        tmp_path,
        [
            {
                "patch_group": group,
                "operation": "Install",
                "max_concurrency": "0",
                "max_errors": "-1",
                "snapshot_id": "not-a-guid",
                "pre_install_hook_doc_name": "Pre-patch-WebServer-Document",
                "install_override_list": "s3://patching-webserver/list.txt",
                "wait_timeout": 0,
                "comment": "x" * 101,
            },
            {"patch_group": group, "instance_ids": [instance], "operation": "Scan"},
            {"instance_ids": [instance, "i-0123456789abcdef0"], "operation": "Scan"},
            {"patch_group": unique("nobody"), "operation": "Scan"},
            {
                "instance_ids": [instance],
                "operation": "Install",
                "document": "AWS-RunPatchBaselineWithHooks",
                "on_exit_hook_doc_name": unique("Post-reboot-Missing"),
            },
        ],
    )
    assert local_aws.mutating(mark) == []

    problems = " | ".join(bad["problems"])
    for expected in (
        "max_concurrency: '0'",
        "max_errors: '-1'",
        # no_log options (their values go into the document parameters, which AWS marks sensitive): Ansible
        # masks their values wherever they appear in the output.
        "snapshot_id: '********' is not a GUID",
        "pre_install_hook_doc_name: hooks run only with AWS-RunPatchBaselineWithHooks",
        "install_override_list: '********' is not an https URL",
        "wait_timeout: 0 is outside the allowed range",
        "comment: ",
    ):
        assert expected in problems, problems
    assert both_targets["failed"] and "mutually exclusive" in both_targets["msg"]
    assert unknown_id["failed"] and unknown_id["unknown_instance_ids"] == ["i-0123456789abcdef0"]
    assert empty_group["failed"] and "No managed node has the tag 'Patch Group'" in empty_group["msg"]
    assert missing_hook["failed"] and missing_hook["msg"].startswith("on_exit_hook_doc_name: document")
