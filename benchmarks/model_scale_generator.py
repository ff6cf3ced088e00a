"""A patching model of G patch groups for benchmarks/model_scale.py, shaped like issue 11's fleet model.

5 custom patch baselines (one per operating system) share the G patch groups round-robin; 3 hook documents; one
maintenance window per patch group, with one target (the instances tagged with the group) and one task running
the patch baseline. Linux groups run AWS-RunPatchBaselineWithHooks with the hook documents as parameters, like the
Amazon Linux 2 seed (playbooks/vars/webserver_prd.yml); the hooks are shell scripts, so Windows groups run
AWS-RunPatchBaseline. No `iam` and no `fleet` section unless asked for: the benchmark measures the SSM resources.
"""

# (name suffix, operating system, approval rule filters): keys and values each operating system accepts
# (plugins/module_utils/patch_filters.py).
BASELINE_KINDS = (
    ("AmazonLinux2", "AMAZON_LINUX_2", {"PRODUCT": ["*"], "CLASSIFICATION": ["*"], "SEVERITY": ["*"]}),
    ("AmazonLinux2023", "AMAZON_LINUX_2023", {"CLASSIFICATION": ["Security", "Bugfix"], "SEVERITY": ["*"]}),
    ("RedHat", "REDHAT_ENTERPRISE_LINUX", {"CLASSIFICATION": ["Security"], "SEVERITY": ["Critical", "Important"]}),
    ("Suse", "SUSE", {"CLASSIFICATION": ["Security", "Recommended"], "SEVERITY": ["Critical", "Important"]}),
    ("Windows", "WINDOWS", {"CLASSIFICATION": ["CriticalUpdates", "SecurityUpdates"], "MSRC_SEVERITY": ["*"]}),
)
HOOKS = (
    ("PreInstallHookDocName", "Pre-install", ["sudo systemctl status httpd"]),
    ("PostInstallHookDocName", "Post-install", ["sudo systemctl stop httpd"]),
    ("OnExitHookDocName", "On-exit", ["sudo systemctl start httpd", "sudo systemctl status httpd"]),
)
WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
PATCH_GROUP_TAG = "Patch Group"


def resource_count(groups):
    """Resources the model manages: baselines, documents, and a window, a target and a task per patch group."""
    return len(BASELINE_KINDS) + len(HOOKS) + 3 * groups


def patch_group_name(index, groups):
    return f"Fleet-{index:0{len(str(groups))}d}-{BASELINE_KINDS[index % len(BASELINE_KINDS)][0]}"


def baselines(groups):
    found = []
    for position, (suffix, operating_system, filters) in enumerate(BASELINE_KINDS):
        found.append(
            {
                "name": f"Scale-{suffix}-Baseline",
                "description": f"Model scale benchmark baseline for {operating_system}",
                "operating_system": operating_system,
                "approval_rules": [
                    {
                        "patch_filters": [{"key": key, "values": values} for key, values in filters.items()],
                        "approve_after_days": 7,
                        "compliance_level": "HIGH",
                    }
                ],
                "patch_groups": [
                    patch_group_name(index, groups)
                    for index in range(groups)
                    if index % len(BASELINE_KINDS) == position
                ],
            }
        )
    return found


def hook_document_name(label):
    return f"Scale-{label}-Hook-Document"


def hook_documents():
    documents = []
    for _, label, commands in HOOKS:
        lines = [
            "---",
            "schemaVersion: '2.2'",
            f"description: {label} hook of the model scale benchmark",
            "parameters: {}",
            "mainSteps:",
            "- action: aws:runShellScript",
            "  name: hook",
            "  inputs:",
            "    runCommand:",
            *[f"    - {command}" for command in commands],
        ]
        documents.append(
            {
                "name": hook_document_name(label),
                "document_type": "Command",
                "document_format": "YAML",
                "content": "\n".join(lines) + "\n",
            }
        )
    return documents


def patch_task(group, operating_system):
    parameters = {"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"]}
    document = "AWS-RunPatchBaseline"
    if operating_system != "WINDOWS":
        document = "AWS-RunPatchBaselineWithHooks"
        parameters.update({parameter: [hook_document_name(label)] for parameter, label, _ in HOOKS})
    return {
        "name": f"Patch-{group}",
        "description": f"Patch the instances of {group}",
        "task_type": "RUN_COMMAND",
        "task_arn": document,
        "window_targets": [group],
        "priority": 1,
        "max_concurrency": "10%",
        "max_errors": "1",
        "cutoff_behavior": "CANCEL_TASK",
        "run_command": {"document_version": "$DEFAULT", "timeout_seconds": 600, "parameters": parameters},
    }


def window(index, groups):
    group = patch_group_name(index, groups)
    operating_system = BASELINE_KINDS[index % len(BASELINE_KINDS)][1]
    # Spread over the month: weekday, week of the month and hour vary with the index.
    weekday, week, hour = WEEKDAYS[index % 7], index // 7 % 4 + 1, 18 + index % 6
    return {
        "name": f"Patch-{group}",
        "description": f"Maintenance window of {group}",
        "schedule": f"cron(0 {hour} ? * {weekday}#{week} *)",
        "schedule_timezone": "US/Central",
        "duration": 3,
        "cutoff": 1,
        "allow_unassociated_targets": False,
        "targets": [
            {
                "name": group,
                "description": f"The instances of {group}",
                "resource_type": "INSTANCE",
                "targets": [{"key": f"tag:{PATCH_GROUP_TAG}", "values": [group]}],
            }
        ],
        "tasks": [patch_task(group, operating_system)],
    }


def patch_model(groups, name=None):
    """The `patch_model` variable (docs/model.md) of a model with `groups` patch groups."""
    if groups < 1:
        raise ValueError("a model needs at least one patch group")
    return {
        "name": name or f"model-scale-{groups}",
        "tags": {"Benchmark": "model-scale"},
        "baselines": baselines(groups),
        "documents": hook_documents(),
        "maintenance_windows": [window(index, groups) for index in range(groups)],
    }
