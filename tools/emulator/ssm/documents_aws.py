"""Contents of the AWS-owned SSM documents every region has (parameters as AWS publishes them).

The scripts inside the steps are short stand-ins: only the parameters, steps, actions and
preconditions matter to the API, and those follow the real documents.
"""

import datetime
import json

SNAPSHOT_ID_PATTERN = "(^$)|^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$"
DOCUMENT_NAME_OR_ARN_PATTERN = (
    "(^[a-zA-Z0-9_\\-.]{3,128}$)|(^arn:[a-z0-9][-.a-z0-9]{0,62}:[a-z0-9][-.a-z0-9]{0,62}:"
    "([a-z0-9][-.a-z0-9]{0,62})?:([a-z0-9][-.a-z0-9]{0,62})?:document\\/[a-zA-Z0-9_\\-.]{3,128}$)"
)

OPERATION = {
    "type": "String",
    "description": "(Required) The update or configuration to perform on the instance. The system checks if patches "
    "specified in the patch baseline are installed on the instance. The install operation installs patches missing "
    "from the baseline.",
    "allowedValues": ["Scan", "Install"],
}
SNAPSHOT_ID = {
    "type": "String",
    "description": "(Optional) The snapshot ID to use to retrieve a patch baseline snapshot.",
    "allowedPattern": SNAPSHOT_ID_PATTERN,
    "default": "",
}
REBOOT_OPTION = {
    "type": "String",
    "description": "(Optional) Reboot behavior after a patch Install operation. If you choose NoReboot and patches "
    "are installed, the instance is marked as non-compliant until a subsequent reboot and scan.",
    "allowedValues": ["RebootIfNeeded", "NoReboot"],
    "default": "RebootIfNeeded",
}


def _hook(description):
    return {
        "type": "String",
        "description": description,
        "allowedPattern": DOCUMENT_NAME_OR_ARN_PATTERN,
        "default": "AWS-Noop",
    }


def _on(platform, step):
    return {"precondition": {"StringEquals": ["platformType", platform]}, **step}


def _script(action, name, lines, timeout=7200):
    return {"action": action, "name": name, "inputs": {"timeoutSeconds": timeout, "runCommand": lines}}


RUN_PATCH_BASELINE = {
    "schemaVersion": "2.2",
    "description": "Scans for or installs patches from a patch baseline to a Linux, macOS or Windows operating system.",
    "parameters": {
        "Operation": OPERATION,
        "SnapshotId": SNAPSHOT_ID,
        "InstallOverrideList": {
            "type": "String",
            "description": "(Optional) An https URL or an Amazon S3 path-style URL to a list of patches to be "
            "installed. This patch installation list, which you maintain in an S3 bucket in YAML format, overrides "
            "the patches specified by the default patch baseline for this instance.",
            "allowedPattern": "(^https://.+/.+\\.yaml$)|(^s3://([^/]+)/(.*?([^/]+))/?\\.yaml$)|(^$)",
            "default": "",
        },
        "BaselineOverride": {
            "type": "String",
            "description": "(Optional) Defines the patch baseline to use instead of the baseline the instance "
            "would use otherwise: an https URL or an Amazon S3 path-style URL to a JSON file of patch baselines.",
            "allowedPattern": "(^https://.+/.+\\.json$)|(^s3://([^/]+)/(.*?([^/]+))/?\\.json$)|(^$)",
            "default": "",
        },
        "RebootOption": REBOOT_OPTION,
    },
    "mainSteps": [
        _on(
            "Windows",
            _script(
                "aws:runPowerShellScript",
                "PatchWindows",
                ["# Downloads and runs the Windows patching module for {{Operation}} ({{RebootOption}})"],
            ),
        ),
        _on(
            "Linux",
            _script(
                "aws:runShellScript",
                "PatchLinux",
                ["#!/bin/bash", "# Downloads and runs the Linux patching module for {{Operation}} ({{RebootOption}})"],
            ),
        ),
        _on(
            "MacOS",
            _script(
                "aws:runShellScript",
                "PatchMacOS",
                ["#!/bin/bash", "# Downloads and runs the macOS patching module for {{Operation}} ({{RebootOption}})"],
            ),
        ),
    ],
}


def _run_patch_baseline(step_name, platform, operation, reboot):
    return _on(
        platform,
        {
            "action": "aws:runDocument",
            "name": step_name,
            "inputs": {
                "documentType": "SSMDocument",
                "documentPath": "AWS-RunPatchBaseline",
                "documentParameters": {
                    "Operation": operation,
                    "SnapshotId": "{{SnapshotId}}",
                    "RebootOption": reboot,
                },
            },
        },
    )


def _run_hook(step_name, platform, parameter):
    return _on(
        platform,
        {
            "action": "aws:runDocument",
            "name": step_name,
            "inputs": {"documentType": "SSMDocument", "documentPath": "{{" + parameter + "}}"},
        },
    )


def _with_hooks_steps():
    steps = []
    for platform, suffix in (("Linux", "Linux"), ("Windows", "Windows")):
        steps += [
            _run_patch_baseline(f"Scan{suffix}", platform, "Scan", "NoReboot"),
            _run_hook(f"PreInstallHook{suffix}", platform, "PreInstallHookDocName"),
            _run_patch_baseline(f"InstallWithNoReboot{suffix}", platform, "Install", "NoReboot"),
            _run_hook(f"PostInstallHook{suffix}", platform, "PostInstallHookDocName"),
            _run_patch_baseline(f"InstallWithReboot{suffix}", platform, "Install", "{{RebootOption}}"),
            _run_hook(f"OnExitHook{suffix}", platform, "OnExitHookDocName"),
        ]
    return steps


RUN_PATCH_BASELINE_WITH_HOOKS = {
    "schemaVersion": "2.2",
    "description": "Wrapper document that uses AWS-RunPatchBaseline to compose more complex patch install scenarios, "
    "allowing for custom scripts to be run as pre-installation, post-installation, and post-reboot hooks. Requires "
    "SSM Agent 3.0.502 or higher",
    "parameters": {
        "Operation": OPERATION,
        "SnapshotId": SNAPSHOT_ID,
        "RebootOption": REBOOT_OPTION,
        "PreInstallHookDocName": _hook(
            "(Optional) The document name or ARN of the document to run before the install."
        ),
        "PostInstallHookDocName": _hook(
            "(Optional) The document name or ARN of the document to run after the install, before any reboot."
        ),
        "OnExitHookDocName": _hook("(Optional) The document name or ARN of the document to run after the reboot."),
    },
    "mainSteps": _with_hooks_steps(),
}

NOOP = {
    "schemaVersion": "2.2",
    "description": "This document does not perform any operations.",
    "mainSteps": [
        _on("Windows", _script("aws:runPowerShellScript", "runPowerShellScript", ["exit 0"], timeout=60)),
        _on("Linux", _script("aws:runShellScript", "runShellScriptLinux", ["exit 0"], timeout=60)),
        _on("MacOS", _script("aws:runShellScript", "runShellScriptMacOS", ["exit 0"], timeout=60)),
    ],
}

RUN_SHELL_SCRIPT = {
    "schemaVersion": "1.2",
    "description": "Run a shell script or specify the commands to run.",
    "parameters": {
        "commands": {
            "type": "StringList",
            "description": "(Required) Specify a shell script or a command to run.",
            "minItems": 1,
            "displayType": "textarea",
        },
        "workingDirectory": {
            "type": "String",
            "default": "",
            "description": "(Optional) The path to the working directory on your instance.",
            "maxChars": 4096,
        },
        "executionTimeout": {
            "type": "String",
            "default": "3600",
            "description": "(Optional) The time in seconds for a command to complete before it is considered to have "
            "failed. Default is 3600 (1 hour). Maximum is 172800 (48 hours).",
            "allowedPattern": "([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)",
        },
    },
    "runtimeConfig": {
        "aws:runShellScript": {
            "properties": [
                {
                    "id": "0.aws:runShellScript",
                    "runCommand": "{{ commands }}",
                    "workingDirectory": "{{ workingDirectory }}",
                    "timeoutSeconds": "{{ executionTimeout }}",
                }
            ]
        }
    },
}


def _date(year, month, day):
    return datetime.datetime(year, month, day, 12, 0, tzinfo=datetime.UTC)


# name -> (content, created date)
AWS_DOCUMENTS = {
    "AWS-RunPatchBaseline": (json.dumps(RUN_PATCH_BASELINE, indent=2), _date(2017, 10, 6)),
    "AWS-RunPatchBaselineWithHooks": (json.dumps(RUN_PATCH_BASELINE_WITH_HOOKS, indent=2), _date(2020, 11, 19)),
    "AWS-Noop": (json.dumps(NOOP, indent=2), _date(2020, 11, 19)),
    "AWS-RunShellScript": (json.dumps(RUN_SHELL_SCRIPT, indent=2), _date(2016, 9, 19)),
}
