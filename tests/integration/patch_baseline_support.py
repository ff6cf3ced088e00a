"""Seed baselines and playbook runs shared by the patch baseline integration tests."""

import json
import uuid

from tests.helpers.ansible_run import run_playbook

MODULE = "patchmodel.ssm.ssm_patch_baseline"
INFO_MODULE = "patchmodel.ssm.ssm_patch_baseline_info"


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def al2_seed(name, patch_groups=None):
    """Module options of the Amazon Linux 2 tutorial's baseline (step 1), value for value."""
    options = {
        "name": name,
        "description": "Amazon Linux2 All Patches Baseline",
        "operating_system": "AMAZON_LINUX_2",
        "approval_rules": [
            {
                "patch_filters": [
                    {"key": "PRODUCT", "values": ["*"]},
                    {"key": "CLASSIFICATION", "values": ["*"]},
                    {"key": "SEVERITY", "values": ["*"]},
                ],
                "approve_after_days": 0,
                "compliance_level": "UNSPECIFIED",
                "enable_non_security": True,
            }
        ],
        "rejected_patches": ["system-release.*"],
        "rejected_patches_action": "BLOCK",
    }
    if patch_groups is not None:
        options["patch_groups"] = patch_groups
    return options


def windows_seed(name, patch_groups=None):
    """Module options of the Windows Server 2016 walkthrough's baseline."""
    options = {
        "name": name,
        "operating_system": "WINDOWS",
        "approval_rules": [
            {
                "patch_filters": [
                    {"key": "PRODUCT", "values": ["WindowsServer2016"]},
                    {"key": "CLASSIFICATION", "values": ["SecurityUpdates"]},
                    {"key": "MSRC_SEVERITY", "values": ["Critical", "Important"]},
                ],
                "approve_after_days": 3,
            }
        ],
    }
    if patch_groups is not None:
        options["patch_groups"] = patch_groups
    return options


def create_directly(ssm, name, operating_system="AMAZON_LINUX_2", **extra):
    """A baseline made with boto3, not the module: the starting point of tests about updating."""
    rule = {
        "PatchFilterGroup": {"PatchFilters": [{"Key": "PRODUCT", "Values": ["*"]}]},
        "ApproveAfterDays": 7,
    }
    return ssm.create_patch_baseline(
        Name=name, OperatingSystem=operating_system, ApprovalRules={"PatchRules": [rule]}, **extra
    )["BaselineId"]


def run_tasks(local_aws, tmp_path, tasks, check=False, diff=False):
    """Run tasks in one ansible-playbook process; returns the per-task results in order (failures included)."""
    play = [{"name": "patch baselines", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    playbook = tmp_path / f"play-{uuid.uuid4().hex[:8]}.yml"
    playbook.write_text(json.dumps(play), encoding="utf-8")
    _, results, _, output = run_playbook(local_aws, playbook, check=check, diff=diff)
    assert len(results) == len(tasks), output
    return results


def task(module, options, **keywords):
    """One task; failures are kept as results so later tasks still run."""
    return {"name": keywords.pop("name", module), module: options, "ignore_errors": True, **keywords}


def operations(entries):
    return [entry["operation"] for entry in entries]


def no_traceback(result):
    """A clean failure: no Python traceback, no crash output (ansible-core 2.19 marks every failure
    '(traceback unavailable)' when fail_json is called outside an exception handler)."""
    text = json.dumps(result)
    clean_exception = result.get("exception") in (None, "(traceback unavailable)")
    return "Traceback (most recent call last)" not in text and "module_stderr" not in result and clean_exception
