# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Problems in ssm_window_task options, found before any call and named by module option.

botocore's constraints come from api_validation.py; this adds the rules AWS documents in prose: rate
control formats, which invocation block fits which task type, targetless tasks, ARNs, bucket and log
group names. `state_problems` holds the rules that need the current task (checked before any write).
"""

from __future__ import annotations

import re

from ansible_collections.patchmodel.ssm.plugins.module_utils import targets as target_utils
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_task import (
    BLOCKS,
    RENAMES,
    TASK_TYPES,
    from_options,
    implied_task_type,
    parameter_problems,
    to_request,
)

# botocore's patterns for MaxConcurrency / MaxErrors (at most 7 characters).
MAX_CONCURRENCY = re.compile(r"^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$")
MAX_ERRORS = re.compile(r"^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(\.fifo)?$")
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
LOG_GROUP_NAME = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
DOCUMENT = re.compile(r"^(arn:aws[a-z-]*:ssm:[a-z0-9-]*:(\d{12})?:document/)?[a-zA-Z0-9_\-.]{3,128}$")
WINDOW_TARGET_NAME = re.compile(r"^[a-zA-Z0-9_\-.]{3,128}$")
MAX_PAYLOAD_BYTES = 4096
MAX_WINDOW_TARGETS = 50
# UpdateMaintenanceWindowTask needs ids; these stand in for them when checking options alone.
_PLACEHOLDER_IDS = {"WindowId": "mw-00000000000000000", "WindowTaskId": "00000000-0000-0000-0000-000000000000"}


def rate_problems(params):
    problems = []
    rules = (
        ("max_concurrency", MAX_CONCURRENCY, "a number of targets from 1 up, or a percentage from 1% to 100%"),
        ("max_errors", MAX_ERRORS, "a number of errors from 0 up, or a percentage from 0% to 100%"),
    )
    for option, pattern, expected in rules:
        value = params.get(option)
        if value is not None and (len(value) > 7 or not pattern.match(value)):
            problems.append(f"{option}: '{value}' must be {expected} (at most 7 characters)")
    return problems


def _block_problems(params):
    problems = []
    task_type = params.get("task_type")
    for option, wanted in TASK_TYPES.items():
        if params.get(option) is not None and task_type and task_type != wanted:
            problems.append(f"{option}: invocation parameters for {wanted} tasks; this task_type is {task_type}")
    for option in ("run_command", "automation"):
        problems += parameter_problems((params.get(option) or {}).get("parameters"), f"{option}.parameters")
    payload = (params.get("lambda") or {}).get("payload")
    if payload is not None and len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        problems.append(f"lambda.payload: at most {MAX_PAYLOAD_BYTES} bytes, got {len(payload.encode('utf-8'))}")
    return problems


def _format_problems(params):
    run_command = params.get("run_command") or {}
    notification = run_command.get("notification_config") or {}
    cloudwatch = run_command.get("cloudwatch_output_config") or {}
    checks = (
        ("service_role_arn", params.get("service_role_arn"), ROLE_ARN, "an IAM role ARN"),
        ("run_command.service_role_arn", run_command.get("service_role_arn"), ROLE_ARN, "an IAM role ARN"),
        (
            "run_command.notification_config.notification_arn",
            notification.get("notification_arn"),
            TOPIC_ARN,
            "an SNS topic ARN",
        ),
        (
            "run_command.output_s3_bucket_name",
            run_command.get("output_s3_bucket_name"),
            BUCKET_NAME,
            "an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens)",
        ),
        (
            "run_command.cloudwatch_output_config.log_group_name",
            cloudwatch.get("log_group_name"),
            LOG_GROUP_NAME,
            "a CloudWatch Logs group name (letters, digits and . - _ / #)",
        ),
    )
    problems = [
        f"{option}: '{value}' is not {expected}"
        for option, value, pattern, expected in checks
        if value and not pattern.match(value)
    ]
    task_type = params.get("task_type") or implied_task_type(params)
    task_arn = params.get("task_arn")
    if task_arn and task_type in ("RUN_COMMAND", "AUTOMATION") and not DOCUMENT.match(task_arn):
        problems.append(f"task_arn: '{task_arn}' is not an SSM document name or document ARN")
    return problems


def _target_problems(params):
    problems = target_utils.task_target_problems(params.get("targets"))
    names = params.get("window_targets")
    if names is not None and len(names) > MAX_WINDOW_TARGETS:
        problems.append(f"window_targets: at most {MAX_WINDOW_TARGETS} window targets, got {len(names)}")
    for index, name in enumerate(names or []):
        if not WINDOW_TARGET_NAME.match(name):
            problems.append(f"window_targets[{index}]: '{name}' is not a window target name or id")
    targetless = params.get("targets") == [] or names == []
    task_type = params.get("task_type") or implied_task_type(params)
    if targetless and task_type == "RUN_COMMAND":
        problems.append("targets: Run Command tasks need targets; AWS allows targetless tasks of other types only")
    if targetless:
        problems += [
            f"{option}: a task without targets takes no {option} (AWS refuses it)"
            for option in ("max_concurrency", "max_errors")
            if params.get(option) is not None
        ]
    return problems


def option_problems(checker, params):
    """Every problem in the options alone: AWS's documented rules, then botocore's constraints."""
    problems = rate_problems(params) + _block_problems(params) + _format_problems(params) + _target_problems(params)
    if params.get("window_task_id") is not None and not target_utils.WINDOW_TARGET_ID.match(params["window_task_id"]):
        problems.append(f"window_task_id: '{params['window_task_id']}' is not a window task id (a UUID)")
    reported = {problem.split(":", 1)[0] for problem in problems}
    request = dict(to_request(from_options(params, params.get("targets"))), **_PLACEHOLDER_IDS)
    found = checker.problems("UpdateMaintenanceWindowTask", request, RENAMES)
    return problems + [problem for problem in found if problem.split(":", 1)[0] not in reported]


def state_problems(options, current, desired):
    """Rules that need the current task (None when it does not exist yet), checked before any write."""
    problems = []
    wanted_type = options.get("task_type") or implied_task_type(options)
    if current is not None and wanted_type and wanted_type != current["task_type"]:
        problems.append(
            f"task_type: the task is {current['task_type']}, and AWS cannot change a task's type in place; "
            f"remove it (state=absent) and register it again"
        )
    if current is None:
        problems += [
            f"{option}: required to register a task"
            + (" (or give an invocation block)" if option == "task_type" else "")
            for option in ("task_type", "task_arn")
            if not desired.get(option)
        ]
    blocks = [option for option in BLOCKS if options.get(option) is not None]
    if current is not None and blocks and TASK_TYPES[blocks[0]] != current["task_type"]:
        problems.append(
            f"{blocks[0]}: invocation parameters for {TASK_TYPES[blocks[0]]} tasks; this task is {current['task_type']}"
        )
    if desired.get("targets"):
        problems += [
            f"{option}: required for a task with targets"
            for option in ("max_concurrency", "max_errors")
            if not desired.get(option)
        ]
    else:
        if desired.get("task_type") == "RUN_COMMAND":
            problems.append("targets: Run Command tasks need targets or window_targets")
        problems += [
            f"{option}: a task without targets takes no {option} (AWS refuses it)"
            for option in ("max_concurrency", "max_errors")
            if options.get(option) is not None
        ]
    return problems
