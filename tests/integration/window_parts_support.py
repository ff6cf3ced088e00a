"""Shared by the ssm_window_target and ssm_window_task tests: seed options, windows and playbook runs."""

import json
import uuid

import yaml

from tests.helpers.ansible_run import run_playbook

ROLE_ARN = "arn:aws:iam::123456789012:role/maintenance-window-role"
TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:patching-webserver-prd"


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def create_window(ssm, name):
    """The Amazon Linux 2 tutorial's window (step 3), made directly so these tests depend on one module only."""
    return ssm.create_maintenance_window(
        Name=name,
        Description="Patching Maintenance Window for Patching WebServer in production",
        Schedule="cron(0 21 ? * WED#1 *)",
        ScheduleTimezone="US/Central",
        Duration=2,
        Cutoff=1,
        AllowUnassociatedTargets=False,
    )["WindowId"]


def webserver_target(window, name="WebServer-Prd"):
    """Module options of the tutorial's window target (step 4), value for value."""
    return {
        "window": window,
        "name": name,
        "description": "The target is the Web Server in production",
        "owner_information": "The A-Engineering Team",
        "resource_type": "INSTANCE",
        "targets": [{"key": "tag:Patch Group", "values": ["WebServer-Prd"]}],
    }


def webserver_task(window, target_name="WebServer-Prd", name="PatchWebServerPrd"):
    """Module options of the tutorial's Run Command task (step 5), value for value."""
    return {
        "window": window,
        "name": name,
        "description": "Run Command Task for patching Patching Web Server in production",
        "task_type": "RUN_COMMAND",
        "task_arn": "AWS-RunPatchBaselineWithHooks",
        "window_targets": [target_name],
        "priority": 1,
        "max_concurrency": "1",
        "max_errors": "1",
        "cutoff_behavior": "CANCEL_TASK",
        "service_role_arn": ROLE_ARN,
        "run_command": {
            "parameters": {
                "Operation": "Install",
                "RebootOption": "RebootIfNeeded",
                "PreInstallHookDocName": "Pre-patch-WebServer-Document",
                "PostInstallHookDocName": "Post-install-WebServer-Document",
                "OnExitHookDocName": "Post-reboot-WebServer-Document",
            },
            "timeout_seconds": 600,
            "output_s3_bucket_name": "patching-webserver",
            "output_s3_key_prefix": "patching/webserver/prd",
            "cloudwatch_output_config": {"log_group_name": "patching/webserver/prd"},
            "notification_config": {
                "notification_arn": TOPIC_ARN,
                "notification_events": ["All"],
                "notification_type": "Invocation",
            },
            "service_role_arn": ROLE_ARN,
        },
    }


def task(module, options, **keywords):
    """One playbook task; failures are kept as results so later tasks still run."""
    fqcn = module if "." in module else f"patchmodel.ssm.{module}"
    return {"name": keywords.pop("name", module), fqcn: options, "ignore_errors": True, **keywords}


def play(local_aws, tmp_path, tasks, check=False):
    """Run the tasks as one playbook (one ansible process); returns one result per task."""
    playbook = tmp_path / f"play-{uuid.uuid4().hex[:8]}.yml"
    playbook.write_text(
        yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}], sort_keys=False)
    )
    _returncode, results, _stats, output = run_playbook(local_aws, playbook, check=check)
    assert len(results) == len(tasks), output
    return results


def operations(entries):
    return [entry["operation"] for entry in entries]


def no_traceback(result):
    text = json.dumps(result)
    return "Traceback" not in text and "module_stderr" not in result
