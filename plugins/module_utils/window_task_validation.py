# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules AWS documents in prose for maintenance window tasks, each problem named by module option.

botocore's constraints come from the field table (window_task.FORM.problems); these add rate control formats, which
invocation block fits which task type, targetless tasks, ARNs, bucket and log group names. `state_problems` holds
the rules that need the current task (checked before any write).
"""

from __future__ import annotations

import re

from ansible_collections.patchmodel.ssm.plugins.module_utils import targets as target_utils
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import problem

# The invocation block (option) of each task type: the type is its name in capitals.
TASK_TYPES = {option: option.upper() for option in ("run_command", "automation", "lambda", "step_functions")}
# botocore's patterns for MaxConcurrency / MaxErrors (at most 7 characters).
MAX_CONCURRENCY = re.compile(r"^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$")
MAX_ERRORS = re.compile(r"^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(\.fifo)?$")
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
LOG_GROUP_NAME = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
DOCUMENT = re.compile(r"^(arn:aws[a-z-]*:ssm:[a-z0-9-]*:(\d{12})?:document/)?[a-zA-Z0-9_\-.]{3,128}$")
DOCUMENT_EXPECTED = "an SSM document name or document ARN"
WINDOW_TARGET_NAME = re.compile(r"^[a-zA-Z0-9_\-.]{3,128}$")
MAX_PAYLOAD_BYTES = 4096
MAX_WINDOW_TARGETS = 50
RATE_CONTROL = ("max_concurrency", "max_errors")


def implied_task_type(form):
    return next((TASK_TYPES[option] for option in TASK_TYPES if form.get(option) is not None), None)


def pattern_problems(checks):
    """A problem for each (option, value, pattern, what it must be) whose value is set and does not match."""
    return [
        problem(option, f"'{value}' is not {expected}")
        for option, value, pattern, expected in checks
        if value and not pattern.match(value)
    ]


def rate_problems(params):
    rules = (
        ("max_concurrency", MAX_CONCURRENCY, "a number of targets from 1 up, or a percentage from 1% to 100%"),
        ("max_errors", MAX_ERRORS, "a number of errors from 0 up, or a percentage from 0% to 100%"),
    )
    return [
        problem(option, f"'{value}' must be {expected} (at most 7 characters)")
        for option, pattern, expected in rules
        if (value := params.get(option)) is not None and (len(value) > 7 or not pattern.match(value))
    ]


def parameter_problems(parameters, where):
    """Values must be scalars or lists of scalars: AWS has no place for anything nested."""
    problems = []
    for key, value in (parameters or {}).items():
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, (dict, list)) for item in items):
            problems.append(problem(f"{where}[{key}]", "give a value or a list of values, not a nested structure"))
    return problems


def _block_problems(params):
    problems = []
    task_type = params.get("task_type")
    for option, wanted in TASK_TYPES.items():
        if params.get(option) is not None and task_type and task_type != wanted:
            problems.append(problem(option, f"invocation parameters for {wanted} tasks; this task_type is {task_type}"))
    for option in ("run_command", "automation"):
        problems += parameter_problems((params.get(option) or {}).get("parameters"), f"{option}.parameters")
    payload = (params.get("lambda") or {}).get("payload")
    if payload is not None and len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        problems.append(problem("lambda.payload", f"at most {MAX_PAYLOAD_BYTES} bytes, got {len(payload.encode())}"))
    return problems


def _format_problems(params):
    run_command = params.get("run_command") or {}
    notification = run_command.get("notification_config") or {}
    cloudwatch = run_command.get("cloudwatch_output_config") or {}
    runs_document = (params.get("task_type") or implied_task_type(params)) in ("RUN_COMMAND", "AUTOMATION")
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
        ("task_arn", params.get("task_arn") if runs_document else None, DOCUMENT, DOCUMENT_EXPECTED),
    )
    return pattern_problems(checks)


def _targetless_problems(options):
    return [
        problem(option, f"a task without targets takes no {option} (AWS refuses it)")
        for option in RATE_CONTROL
        if options.get(option) is not None
    ]


def _target_problems(params):
    problems = target_utils.task_target_problems(params.get("targets"))
    names = params.get("window_targets")
    if names is not None and len(names) > MAX_WINDOW_TARGETS:
        problems.append(problem("window_targets", f"at most {MAX_WINDOW_TARGETS} window targets, got {len(names)}"))
    for index, name in enumerate(names or []):
        if not WINDOW_TARGET_NAME.match(name):
            problems.append(problem(f"window_targets[{index}]", f"'{name}' is not a window target name or id"))
    targetless = params.get("targets") == [] or names == []
    task_type = params.get("task_type") or implied_task_type(params)
    if targetless and task_type == "RUN_COMMAND":  # AWS: RegisterTaskWithMaintenanceWindow.Targets
        problems.append(
            problem("targets", "Run Command tasks need targets; AWS allows targetless tasks of other types only")
        )
    return problems + (_targetless_problems(params) if targetless else [])


def documented_problems(params):
    """The problems in the options alone that AWS's documentation (not botocore's model) tells."""
    problems = rate_problems(params) + _block_problems(params) + _format_problems(params) + _target_problems(params)
    task_id = params.get("window_task_id")
    if task_id is not None and not target_utils.WINDOW_TARGET_ID.match(task_id):
        problems.append(problem("window_task_id", f"'{task_id}' is not a window task id (a UUID)"))
    return problems


def state_problems(options, current, desired):
    """Rules that need the current task (None when it does not exist yet), checked before any write."""
    problems = []
    wanted_type = options.get("task_type") or implied_task_type(options)
    if current is not None and wanted_type and wanted_type != current["task_type"]:
        problems.append(
            problem(
                "task_type",
                f"the task is {current['task_type']}, and AWS cannot change a task's type in place; "
                "remove it (state=absent) and register it again",
            )
        )
    if current is None:
        required = {"task_type": " (or give an invocation block)", "task_arn": ""}
        problems += [
            problem(option, "required to register a task" + hint)
            for option, hint in required.items()
            if not desired.get(option)
        ]
    blocks = [option for option in TASK_TYPES if options.get(option) is not None]
    if current is not None and blocks and TASK_TYPES[blocks[0]] != current["task_type"]:
        wanted = TASK_TYPES[blocks[0]]
        problems.append(
            problem(blocks[0], f"invocation parameters for {wanted} tasks; this task is {current['task_type']}")
        )
    if desired.get("targets"):
        # AWS: RegisterTaskWithMaintenanceWindow.MaxConcurrency, RegisterTaskWithMaintenanceWindow.MaxErrors
        return problems + [
            problem(option, "required for a task with targets") for option in RATE_CONTROL if not desired.get(option)
        ]
    if desired.get("task_type") == "RUN_COMMAND":
        problems.append(problem("targets", "Run Command tasks need targets or window_targets"))
    return problems + _targetless_problems(options)
