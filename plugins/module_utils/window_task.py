# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Maintenance window tasks: the field table (one invocation block per task type), lookup in the parent window,
window target names, and the resource the driver runs for ssm_window_task."""

from __future__ import annotations

import copy
import uuid

from ansible_collections.patchmodel.ssm.plugins.module_utils.fields import (
    Field,
    Filled,
    Form,
    Strings,
    Struct,
    Text,
    Value,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import unreported
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import Resource
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import (
    exactly_one,
    get_or_none,
    paginate,
    write_once,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.targets import TARGETS, window_part_spec
from ansible_collections.patchmodel.ssm.plugins.module_utils.window import find_parent_window
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_target import registered_targets
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_task_validation import (
    TASK_TYPES,
    documented_problems,
    implied_task_type,
    state_problems,
)

WINDOW_TARGET_IDS = "WindowTargetIds"
# What an update must send back unchanged, or Replace drops it: deprecated fields AWS still stores and the module
# does not manage.  # AWS: UpdateMaintenanceWindowTask.Replace
CARRIED = {
    "TaskParameters": "RegisterTaskWithMaintenanceWindow.TaskParameters",
    "LoggingInfo": "RegisterTaskWithMaintenanceWindow.LoggingInfo",
}
# A task without targets takes no rate control, and AWS reports a placeholder "1" it was not sent.
TARGETLESS_PLACEHOLDERS = {
    "max_concurrency": "GetMaintenanceWindowTaskResult.MaxConcurrency",
    "max_errors": "GetMaintenanceWindowTaskResult.MaxErrors",
}


def _text(value):
    """One parameter value as AWS keeps it: text, with booleans as JSON spells them."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


# --- shapes of this table


class Parameters(Value):
    """Document parameters, each a list of strings; given whole, and compared in order (commands run in order)."""

    def from_api(self, value):
        """As AWS stores them: a scalar a one-item list, None no values."""
        # AWS: shape:MaintenanceWindowRunCommandParameters.Parameters
        if value is None:
            return None
        lists = {key: [] if item is None else item if isinstance(item, list) else [item] for key, item in value.items()}
        return {str(key): [_text(item) for item in items] for key, items in lists.items()}

    from_option = from_api

    def to_api(self, value):
        return {key: values for key, values in value.items() if values}

    def canonical(self, value):
        return self.to_api(value or {}) or None

    def problems(self, checker, shape, value, path):
        return super().problems(checker, shape, value, path) if value else []  # {} removes them all

    def sensitive_paths(self, path):
        return [f"{path}.*"]  # the values; the parameter names stay visible

    def spec(self):
        return {"type": "dict"}


class Flag(Value):
    """A flag AWS may leave out of its answer: left out, it is false."""

    def canonical(self, value):
        return bool(value)

    def spec(self):
        return {"type": "bool"}


class Names(Strings):
    """A set of names; none is no value."""

    def canonical(self, value):
        return super().canonical(value) or None


class AlarmNames(Names):
    """Alarm names, which AWS takes as [{"Name": name}]."""

    def from_api(self, value):
        return [alarm["Name"] for alarm in value or []]

    def to_api(self, value):
        return [{"Name": name} for name in value]

    def problems(self, checker, shape, value, path):
        found = checker.size_problems(shape, len(value), path)
        for index, alarm in enumerate(value):
            found += checker.shape_problems(shape.member.members["Name"], alarm, f"{path}[{index}]")
        return found


class Alarms(Struct):
    """An alarm configuration is given whole, and is its alarms: without them it is none ({} removes it)."""

    def canonical(self, value):
        return super().canonical(value) if (value or {}).get("alarms") else None

    def to_api(self, value):
        return super().to_api(value) if (value or {}).get("alarms") else {}

    def problems(self, checker, shape, value, path):
        return super().problems(checker, shape, value, path) if value.get("alarms") else []


class TaskForm(Form):
    """The table, and AWS's rules across its fields: without targets no rate control; the block implies the type."""

    def from_api(self, api):
        return _targetless(super().from_api(api))

    def merge(self, current, options):
        desired = super().merge(current, options)
        desired["task_type"] = desired["task_type"] or implied_task_type(desired)
        return _targetless(desired)


def _targetless(form):
    if not form["targets"]:
        form.update(dict.fromkeys(TARGETLESS_PLACEHOLDERS))
    return form


PARAMETERS, FLAG, NAMES = Parameters(), Flag(), Names()
RUN_COMMAND = Struct(
    Field("document_version", "DocumentVersion"),
    Field("document_hash", "DocumentHash"),
    Field("document_hash_type", "DocumentHashType", choices=["Sha256", "Sha1"]),
    Field("parameters", "Parameters", PARAMETERS, sensitive=True),
    Field("timeout_seconds", "TimeoutSeconds", type="int"),
    Field("comment", "Comment"),
    Field("output_s3_bucket_name", "OutputS3BucketName"),
    Field("output_s3_key_prefix", "OutputS3KeyPrefix", no_log=False),
    Field(
        "cloudwatch_output_config",
        "CloudWatchOutputConfig",
        Struct(
            Field("log_group_name", "CloudWatchLogGroupName"),
            Field("enabled", "CloudWatchOutputEnabled", FLAG, default=True),
            partial=True,
        ),
    ),
    Field(
        "notification_config",
        "NotificationConfig",
        Struct(
            Field("notification_arn", "NotificationArn"),
            Field("notification_events", "NotificationEvents", NAMES),
            Field("notification_type", "NotificationType", choices=["Command", "Invocation"]),
            partial=True,
        ),
    ),
    Field("service_role_arn", "ServiceRoleArn"),
    partial=True,
)
# Options left out keep the current value; inside an invocation block a sub-option left out keeps its value too, as
# AWS replaces the whole TaskInvocationParameters.  # AWS: UpdateMaintenanceWindowTask.TaskInvocationParameters
FORM = TaskForm(
    Field("name", "Name", required=True),
    Field("description", "Description", sensitive=True, clear=""),
    # UpdateMaintenanceWindowTask has no TaskType.  # AWS: shape:UpdateMaintenanceWindowTask.TaskType
    Field("task_type", "TaskType", update=False, choices=list(TASK_TYPES.values())),
    Field("task_arn", "TaskArn"),
    Field("targets", "Targets", TARGETS),
    Field("priority", "Priority", type="int"),
    Field("max_concurrency", "MaxConcurrency"),
    Field("max_errors", "MaxErrors"),
    Field("service_role_arn", "ServiceRoleArn"),
    Field(
        "cutoff_behavior",
        "CutoffBehavior",
        filled=Filled("CONTINUE_TASK", "RegisterTaskWithMaintenanceWindow.CutoffBehavior"),
        choices=["CONTINUE_TASK", "CANCEL_TASK"],
    ),
    Field(
        "alarm_configuration",
        "AlarmConfiguration",
        Alarms(
            Field("alarms", "Alarms", AlarmNames()),
            # AWS: AlarmConfiguration.IgnorePollAlarmFailure ("Default is false.")
            Field(
                "ignore_poll_alarm_failure",
                "IgnorePollAlarmFailure",
                FLAG,
                filled=Filled(False, "AlarmConfiguration.IgnorePollAlarmFailure"),
                default=False,
            ),
        ),
    ),
    Field(
        "automation",
        "TaskInvocationParameters.Automation",
        Struct(
            Field("document_version", "DocumentVersion"), Field("parameters", "Parameters", PARAMETERS), partial=True
        ),
    ),
    Field(
        "lambda",
        "TaskInvocationParameters.Lambda",
        Struct(
            Field("client_context", "ClientContext"),
            Field("qualifier", "Qualifier"),
            Field("payload", "Payload", Text(), sensitive=True),
            partial=True,
        ),
    ),
    Field("run_command", "TaskInvocationParameters.RunCommand", RUN_COMMAND),
    Field(
        "step_functions",
        "TaskInvocationParameters.StepFunctions",
        Struct(Field("input", "Input", sensitive=True), Field("name", "Name"), partial=True),
    ),
)

# --- the forms, derived from the table


def carried_fields(task):
    """What an update must send back unchanged: the deprecated fields the module does not manage (CARRIED)."""
    return {name: task[name] for name in CARRIED if task.get(name)}


def to_result(form, window_id, window_task_id, registered=()):
    """The task as the module returns it: the form plus identity and the names of the window targets it names (from
    `registered`, the window's targets: ids of unnamed ones, names of unresolved ones), values in clear (the driver
    masks its output)."""
    result = {"window_id": window_id, "window_task_id": window_task_id, **copy.deepcopy(FORM.with_defaults(form))}
    result["targets"] = result["targets"] or []
    names = {target["WindowTargetId"]: target.get("Name") or target["WindowTargetId"] for target in registered}
    ids = [value for target in result["targets"] if target["key"] == WINDOW_TARGET_IDS for value in target["values"]]
    result["window_targets"] = [names.get(target_id, target_id) for target_id in ids]
    return result


def option_problems(checker, params):
    """Every problem in the options alone: AWS's documented rules, then botocore's constraints."""
    problems = documented_problems(params)
    found = FORM.problems(checker, "UpdateMaintenanceWindowTask", FORM.from_options(params))
    return problems + unreported(found, problems)


# --- lookup


def find_task(module, reads, window_id):
    """GetMaintenanceWindowTask's answer for the task the options name, or None."""
    wanted_id, client = module.params["window_task_id"], reads.client
    if not wanted_id:
        # AWS has no Name filter for tasks: match names here. One read serves every task of the window.
        name = module.params["name"]
        tasks = reads.once(
            ("tasks", window_id),
            lambda: paginate(client, "describe_maintenance_window_tasks", "Tasks", WindowId=window_id),
        )
        named = [task for task in tasks if task.get("Name") == name]
        found = exactly_one(module, named, "maintenance window task", name, "WindowTaskId")
        if found is None:
            return None
        wanted_id = found["WindowTaskId"]
    return get_or_none(client, "get_maintenance_window_task", WindowId=window_id, WindowTaskId=wanted_id)


def list_window_targets(reads, window_id, params, current):
    """The window's targets, read when the task names window targets (to resolve or to report their names)."""
    named = [target["Key"] for target in (current or {}).get("Targets") or []]
    if params["state"] == "present":
        named += [target["key"] for target in params["targets"] or []]
        named += [WINDOW_TARGET_IDS] if params["window_targets"] else []
    if window_id is None or WINDOW_TARGET_IDS not in named:
        return []
    return registered_targets(reads, window_id)


def resolve_window_targets(module, names, registered):
    """Targets for the named window targets; names not registered yet stay as they are (check mode only)."""
    ids, missing = [], []
    for name in names:
        matches = [target for target in registered if target.get("Name") == name]
        found = exactly_one(module, matches, "maintenance window target", name, "WindowTargetId")
        ids.append(name if found is None else found["WindowTargetId"])
        if found is None and not any(target["WindowTargetId"] == name for target in registered):
            missing.append(name)
    if missing and not module.check_mode:
        module.fail_json(
            msg=f"window_targets: no window target named {', '.join(missing)} is registered with the window; "
            "register it first (patchmodel.ssm.ssm_window_target)",
            missing_window_targets=missing,
        )
    return [{"key": WINDOW_TARGET_IDS, "values": ids}] if ids else []


# --- the resource


class WindowTask(Resource):
    kind = "maintenance window task"
    result_key = "window_task"
    form = FORM
    id_key = "WindowTaskId"
    id_option = "window_task_id"
    arn_type = "windowtask"
    rules = {"mutually_exclusive": [("targets", "window_targets"), tuple(TASK_TYPES)]}
    window_id = None  # the parent window's, None while it does not exist (check mode)
    registered = ()  # the window's targets, when the task names window targets
    options = None  # the form of the options, targets resolved

    @classmethod
    def argument_spec(cls):
        return window_part_spec(FORM, "window_task_id", window_targets=dict(type="list", elements="str"))

    def option_problems(self):
        return option_problems(self.checker, self.params)

    def find(self):
        params = self.params
        self.window_id = find_parent_window(self.module, self.reads)
        current = find_task(self.module, self.reads, self.window_id) if self.window_id else None
        if current is None and params["window_task_id"] and params["state"] == "present" and self.window_id:
            self.module.fail_json(msg=f"Maintenance window {self.window_id} has no task {params['window_task_id']}")
        # Read here, before any write: both the desired targets and the results name window targets.
        self.registered = list_window_targets(self.reads, self.window_id, params, current)
        return current

    def describe(self, current):
        return to_result(FORM.from_api(current), self.window_id, current["WindowTaskId"], self.registered)

    def delete(self, current, before):
        # DoesNotExist on a retry: the first attempt deregistered it and its answer was lost.
        write_once(
            self.client.deregister_task_from_maintenance_window,
            "DoesNotExistException",
            WindowId=self.window_id,
            WindowTaskId=current["WindowTaskId"],
        )

    def desired(self, current_form):
        targets = self.params["targets"]
        if self.params["window_targets"] is not None:
            targets = resolve_window_targets(self.module, self.params["window_targets"], self.registered)
        self.options = FORM.from_options(dict(self.params, targets=targets))
        return FORM.merge(current_form, self.options)

    def state_problems(self, current_form, desired):
        return state_problems(self.options, current_form, desired)

    def create(self, desired):
        response = self.client.register_task_with_maintenance_window(
            aws_retry=True, WindowId=self.window_id, ClientToken=str(uuid.uuid4()), **FORM.to_request(desired, True)
        )
        return response["WindowTaskId"]

    def update(self, current, desired):
        self.client.update_maintenance_window_task(
            aws_retry=True,
            WindowId=self.window_id,
            WindowTaskId=current["WindowTaskId"],
            Replace=True,
            **FORM.to_request(desired, False),
            **carried_fields(current),
        )

    def read(self, identity, current, desired, wrote):
        task = self.client.get_maintenance_window_task(aws_retry=True, WindowId=self.window_id, WindowTaskId=identity)
        return to_result(FORM.from_api(task), self.window_id, identity, self.registered)

    def predicted(self, identity, current, desired):
        return to_result(desired, self.window_id, identity, self.registered)
