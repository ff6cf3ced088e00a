# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Maintenance window tasks in one normalised form: from AWS or from module options, compared, sent, returned.

The form is the module's option shape: top-level fields plus one invocation block per task type
(`run_command`, `automation`, `lambda`, `step_functions`). AWS stores every document parameter as a list of
strings and reports placeholders and defaults it was not sent (MaxConcurrency/MaxErrors "1" without targets,
CutoffBehavior CONTINUE_TASK, empty TaskParameters); both sides are brought to the same shape before comparing.
"""

from __future__ import annotations

import copy

from ansible_collections.patchmodel.ssm.plugins.module_utils import targets as target_utils

TASK_TYPES = {
    "run_command": "RUN_COMMAND",
    "automation": "AUTOMATION",
    "lambda": "LAMBDA",
    "step_functions": "STEP_FUNCTIONS",
}
CUTOFF_DEFAULT = "CONTINUE_TASK"

# Option name -> API name; a tuple is a nested structure (API name, its fields).
BLOCKS = {
    "run_command": (
        "RunCommand",
        {
            "document_version": "DocumentVersion",
            "document_hash": "DocumentHash",
            "document_hash_type": "DocumentHashType",
            "parameters": "Parameters",
            "timeout_seconds": "TimeoutSeconds",
            "comment": "Comment",
            "output_s3_bucket_name": "OutputS3BucketName",
            "output_s3_key_prefix": "OutputS3KeyPrefix",
            "cloudwatch_output_config": (
                "CloudWatchOutputConfig",
                {"log_group_name": "CloudWatchLogGroupName", "enabled": "CloudWatchOutputEnabled"},
            ),
            "notification_config": (
                "NotificationConfig",
                {
                    "notification_arn": "NotificationArn",
                    "notification_events": "NotificationEvents",
                    "notification_type": "NotificationType",
                },
            ),
            "service_role_arn": "ServiceRoleArn",
        },
    ),
    "automation": ("Automation", {"document_version": "DocumentVersion", "parameters": "Parameters"}),
    "lambda": ("Lambda", {"client_context": "ClientContext", "qualifier": "Qualifier", "payload": "Payload"}),
    "step_functions": ("StepFunctions", {"input": "Input", "name": "Name"}),
}
SCALARS = {
    "name": "Name",
    "description": "Description",
    "task_type": "TaskType",
    "task_arn": "TaskArn",
    "priority": "Priority",
    "max_concurrency": "MaxConcurrency",
    "max_errors": "MaxErrors",
    "service_role_arn": "ServiceRoleArn",
    "cutoff_behavior": "CutoffBehavior",
}
FIELDS = (*SCALARS, "targets", "alarm_configuration", *BLOCKS)
# API paths (as api_validation names them) -> option paths.
RENAMES = (
    ("task_invocation_parameters.", ""),
    (".cloud_watch_output_config.cloud_watch_log_group_name", ".cloudwatch_output_config.log_group_name"),
    (".cloud_watch_output_config.cloud_watch_output_enabled", ".cloudwatch_output_config.enabled"),
    (".cloud_watch_output_config", ".cloudwatch_output_config"),
    ("].name", "]"),
)


# --- argument spec


def invocation_specs():
    """Argument spec entries of the four invocation blocks (documented in the module).

    The members AWS marks sensitive are no_log (sensitive.REQUEST_MEMBERS): the Run Command parameters, the Lambda
    payload and the Step Functions input.
    """
    return {
        "run_command": {
            "type": "dict",
            "options": {
                "document_version": {"type": "str"},
                "document_hash": {"type": "str"},
                "document_hash_type": {"type": "str", "choices": ["Sha256", "Sha1"]},
                "parameters": {"type": "dict", "no_log": True},
                "timeout_seconds": {"type": "int"},
                "comment": {"type": "str"},
                "output_s3_bucket_name": {"type": "str"},
                "output_s3_key_prefix": {"type": "str", "no_log": False},
                "cloudwatch_output_config": {
                    "type": "dict",
                    "options": {"log_group_name": {"type": "str"}, "enabled": {"type": "bool", "default": True}},
                },
                "notification_config": {
                    "type": "dict",
                    "options": {
                        "notification_arn": {"type": "str"},
                        "notification_events": {"type": "list", "elements": "str"},
                        "notification_type": {"type": "str", "choices": ["Command", "Invocation"]},
                    },
                },
                "service_role_arn": {"type": "str"},
            },
        },
        "automation": {
            "type": "dict",
            "options": {"document_version": {"type": "str"}, "parameters": {"type": "dict"}},
        },
        "lambda": {
            "type": "dict",
            "options": {
                "client_context": {"type": "str"},
                "qualifier": {"type": "str"},
                "payload": {"type": "str", "no_log": True},
            },
        },
        "step_functions": {
            "type": "dict",
            "options": {"input": {"type": "str", "no_log": True}, "name": {"type": "str"}},
        },
    }


# --- parameter values: AWS keeps lists of strings


def parameter_text(value):
    """How AWS keeps one parameter value: text, with booleans as JSON spells them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parameter_values(value):
    """A parameter's values as AWS stores them: a scalar is a one-item list; None is no values."""
    if value is None:
        return []
    return [parameter_text(item) for item in (value if isinstance(value, list) else [value])]


def normalised_parameters(parameters):
    if parameters is None:
        return None
    return {str(key): parameter_values(value) for key, value in parameters.items()}


def parameter_problems(parameters, where):
    """Values must be scalars or lists of scalars: AWS has no place for anything nested."""
    problems = []
    for key, value in (parameters or {}).items():
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, (dict, list)) for item in items):
            problems.append(f"{where}[{key}]: give a value or a list of values, not a nested structure")
    return problems


# --- conversions


def _block_to_api(fields, block):
    request = {}
    for option, api in fields.items():
        value = block.get(option)
        if isinstance(api, tuple):
            value = _block_to_api(api[1], value) if value else None
            api = api[0]
        elif option == "payload" and value is not None:
            value = value.encode("utf-8")
        if value is not None:
            request[api] = value
    return request


def _block_from_api(fields, api_block):
    block = {}
    for option, api in fields.items():
        if isinstance(api, tuple):
            nested = api_block.get(api[0])
            block[option] = _block_from_api(api[1], nested) if nested else None
            continue
        value = api_block.get(api)
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        block[option] = value
    if "parameters" in block:
        block["parameters"] = normalised_parameters(block["parameters"])
    return block


def from_api(task):
    """The form of a GetMaintenanceWindowTask response."""
    form = {option: task.get(api) for option, api in SCALARS.items()}
    form["targets"] = target_utils.from_api(task.get("Targets"))
    if not form["targets"]:
        # Targetless tasks report a placeholder they cannot be given.
        form["max_concurrency"] = form["max_errors"] = None
    form["cutoff_behavior"] = form["cutoff_behavior"] or CUTOFF_DEFAULT
    alarms = task.get("AlarmConfiguration")
    form["alarm_configuration"] = (
        {
            "alarms": [alarm["Name"] for alarm in alarms.get("Alarms") or []],
            "ignore_poll_alarm_failure": bool(alarms.get("IgnorePollAlarmFailure", False)),
        }
        if alarms
        else None
    )
    invocation = task.get("TaskInvocationParameters") or {}
    for option, (api, fields) in BLOCKS.items():
        form[option] = _block_from_api(fields, invocation[api]) if invocation.get(api) else None
    return form


def from_options(params, targets):
    """The form of the module's options (targets already resolved); None where the user left a field alone."""
    form = {field: copy.deepcopy(params.get(field)) for field in FIELDS}
    form["targets"] = targets
    for option in ("run_command", "automation"):
        if form[option] is not None:
            form[option]["parameters"] = normalised_parameters(form[option]["parameters"])
    return form


def implied_task_type(form):
    return next((TASK_TYPES[option] for option in BLOCKS if form.get(option) is not None), None)


def _merged(current, wanted):
    """`wanted` over `current`: None keeps the current value; structures merge; maps and lists replace."""
    if wanted is None:
        return copy.deepcopy(current)
    if not isinstance(wanted, dict) or not isinstance(current, dict):
        return copy.deepcopy(wanted)
    result = copy.deepcopy(current)
    for key, value in wanted.items():
        result[key] = (
            copy.deepcopy(value) if key == "parameters" and value is not None else _merged(current.get(key), value)
        )
    return result


def merge(current, options):
    """Desired state: each option the user set over the current task (None means leave it alone).

    An empty string removes a text field; an alarm configuration replaces the current one; without targets
    there is no rate control to keep.
    """
    desired = {field: _merged((current or {}).get(field), options.get(field)) for field in FIELDS}
    if options.get("alarm_configuration") is not None:
        # The alarm configuration is given whole: without alarms it means "none".
        desired["alarm_configuration"] = copy.deepcopy(options["alarm_configuration"])
    desired["task_type"] = desired["task_type"] or implied_task_type(desired)
    if not desired["targets"]:
        desired["max_concurrency"] = desired["max_errors"] = None
    return desired


def _pruned(value):
    """Without what AWS does not keep: None, empty text, empty structures and lists."""
    if isinstance(value, dict):
        pruned = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, "", {}, [])}
    if isinstance(value, list):
        return [_pruned(item) for item in value]
    return value


def canonical(form):
    """A comparable value: defaults filled, empties dropped, sets sorted; parameter lists keep their order."""
    form = copy.deepcopy(form)
    form["targets"] = target_utils.canonical(form.get("targets"))
    form["cutoff_behavior"] = form.get("cutoff_behavior") or CUTOFF_DEFAULT
    alarms = form.get("alarm_configuration")
    if alarms and alarms.get("alarms"):
        form["alarm_configuration"] = {
            "alarms": sorted(alarms["alarms"]),
            "ignore_poll_alarm_failure": bool(alarms.get("ignore_poll_alarm_failure")),
        }
    else:
        form["alarm_configuration"] = None
    run_command = form.get("run_command") or {}
    if run_command.get("cloudwatch_output_config"):
        config = run_command["cloudwatch_output_config"]
        config["enabled"] = bool(config.get("enabled"))
    if (run_command.get("notification_config") or {}).get("notification_events"):
        run_command["notification_config"]["notification_events"] = sorted(
            set(run_command["notification_config"]["notification_events"])
        )
    return _pruned(form)


def changed_fields(current, desired):
    before, after = canonical(current), canonical(desired)
    return sorted(field for field in set(before) | set(after) if before.get(field) != after.get(field))


def to_request(form, carried=None):
    """Register/UpdateMaintenanceWindowTask parameters for the whole form (Replace=true semantics).

    `carried` holds fields the module does not manage (TaskParameters, LoggingInfo) that an update
    must send back, or Replace would drop them.
    """
    form = _pruned(form)
    request = {api: form[option] for option, api in SCALARS.items() if option in form}
    if form.get("targets"):
        request["Targets"] = target_utils.to_api(form["targets"])
    alarms = form.get("alarm_configuration")
    if alarms and alarms.get("alarms"):
        request["AlarmConfiguration"] = {
            "Alarms": [{"Name": name} for name in alarms["alarms"]],
            "IgnorePollAlarmFailure": bool(alarms.get("ignore_poll_alarm_failure")),
        }
    invocation = {
        api: _block_to_api(fields, form[option]) for option, (api, fields) in BLOCKS.items() if option in form
    }
    invocation = {api: block for api, block in invocation.items() if block}
    if invocation:
        request["TaskInvocationParameters"] = invocation
    request.update(carried or {})
    return request


def carried_fields(task):
    """What an update must send back unchanged: deprecated fields the module does not manage."""
    return {name: task[name] for name in ("TaskParameters", "LoggingInfo") if task.get(name)}


def to_result(form, window_id, window_task_id, window_target_names=None):
    """The task as the module returns it: the form plus identity, values in clear (the module masks its output)."""
    result = {"window_id": window_id, "window_task_id": window_task_id}
    result.update({field: copy.deepcopy(form.get(field)) for field in FIELDS})
    result["cutoff_behavior"] = result["cutoff_behavior"] or CUTOFF_DEFAULT
    result["targets"] = result["targets"] or []
    result["window_targets"] = list(window_target_names or [])
    return result
