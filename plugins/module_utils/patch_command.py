# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Patching now with Run Command, for ssm_patch_now: the SendCommand request built from module options, the
problems in those options, the wait for the command, and each node's result.

AWS-RunPatchBaseline and AWS-RunPatchBaselineWithHooks take a SnapshotId, a GUID the caller chooses: every node
patched with the same SnapshotId uses the same snapshot of its patch baseline (per patch group and operating
system), kept by Patch Manager for up to three days. Outside a maintenance window AWS recommends passing one,
otherwise each node gets a snapshot of its own and approvals can differ between nodes of one command.
"""

from __future__ import annotations

import time
import uuid

from ansible.module_utils.common.dict_transformations import _camel_to_snake
from ansible_collections.patchmodel.ssm.plugins.module_utils import targets as target_utils
from ansible_collections.patchmodel.ssm.plugins.module_utils.fields import STRINGS, Field, Form
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import problem, unreported
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_task import FORM as TASK_FORM
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_task_validation import (
    BUCKET_NAME,
    DOCUMENT,
    DOCUMENT_EXPECTED,
    LOG_GROUP_NAME,
    ROLE_ARN,
    TOPIC_ARN,
    pattern_problems,
    rate_problems,
)

PATCH_DOCUMENT = "AWS-RunPatchBaseline"
HOOKS_DOCUMENT = "AWS-RunPatchBaselineWithHooks"
PATCH_GROUP_TAG_KEYS = (
    "Patch Group",
    "PatchGroup",
)  # the tag keys Patch Manager reads  # AWS: guide:patch-group-tag-keys
# Option -> document parameter of AWS-RunPatchBaselineWithHooks.
HOOKS = {
    "pre_install_hook_doc_name": "PreInstallHookDocName",
    "post_install_hook_doc_name": "PostInstallHookDocName",
    "on_exit_hook_doc_name": "OnExitHookDocName",
}
NO_HOOK = "AWS-Noop"  # what the document runs for a hook left out
# The document's allowedPattern for InstallOverrideList.
OVERRIDE_LIST_HINT = "an https URL or an s3:// path-style URL of a .yaml patch list"
MAX_WAIT_TIMEOUT = 86400
TERMINAL = ("Success", "Failed", "TimedOut", "Cancelled")
OUTPUT_EXCERPT_CHARS = 1000
SKIPPED_STEP = "Step execution skipped"  # how SSM Agent reports a step whose platform precondition failed
# The options SendCommand takes as they are, for botocore's checks named by option; the Run Command ones are the
# fields of a window task's run_command block (MaintenanceWindowRunCommandParameters has the same members).
REQUEST_FORM = Form(
    Field("document", "DocumentName"),
    Field("instance_ids", "InstanceIds", STRINGS),
    Field("max_concurrency", "MaxConcurrency"),
    Field("max_errors", "MaxErrors"),
    *TASK_FORM["run_command"].shape.fields,  # those ssm_patch_now lacks are None: not checked
)


# --- the request


def snapshot_id_for(params):
    """The SnapshotId to send: the one given, a new GUID with use_snapshot, or None."""
    if params.get("snapshot_id"):
        return params["snapshot_id"]
    return str(uuid.uuid4()) if params.get("use_snapshot") else None


def document_parameters(params, snapshot_id):
    """The document's parameters, each a list of strings as SendCommand takes them; left-out ones are not sent."""
    optional = {
        "RebootOption": params.get("reboot_option"),
        "SnapshotId": snapshot_id,
        "InstallOverrideList": params.get("install_override_list"),
        **{name: params.get(option) for option, name in HOOKS.items()},
    }
    return {"Operation": [params["operation"]], **{name: [value] for name, value in optional.items() if value}}


def target_selector(params):
    """(InstanceIds, Targets) of SendCommand: a patch group by its tag, or the listed instances."""
    if params.get("patch_group") is not None:
        return None, [{"Key": f"tag:{params['patch_group_tag_key']}", "Values": [params["patch_group"]]}]
    return list(params.get("instance_ids") or []), None


def send_command_request(params, snapshot_id):
    instance_ids, targets = target_selector(params)
    request = {
        "DocumentName": params["document"],
        "Parameters": document_parameters(params, snapshot_id),
        "InstanceIds": instance_ids,
        "Targets": targets,
        "MaxConcurrency": params.get("max_concurrency"),
        "MaxErrors": params.get("max_errors"),
        "TimeoutSeconds": params.get("timeout_seconds"),
        "Comment": params.get("comment"),
        "OutputS3BucketName": params.get("output_s3_bucket_name"),
        "OutputS3KeyPrefix": params.get("output_s3_key_prefix"),
        "ServiceRoleArn": params.get("service_role_arn"),
    }
    cloudwatch = params.get("cloudwatch_output_config")
    if cloudwatch:
        request["CloudWatchOutputConfig"] = {
            "CloudWatchOutputEnabled": cloudwatch.get("enabled", True),
            "CloudWatchLogGroupName": cloudwatch.get("log_group_name"),
        }
    notification = params.get("notification_config")
    if notification:
        request["NotificationConfig"] = {
            "NotificationArn": notification.get("notification_arn"),
            "NotificationEvents": notification.get("notification_events"),
            "NotificationType": notification.get("notification_type"),
        }
    return _without_none(request)


def _without_none(value):
    if isinstance(value, dict):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    return value


def node_filters(params):
    """DescribeInstanceInformation Filters selecting the nodes the command targets (read-only resolution)."""
    instance_ids, targets = target_selector(params)
    return targets or [{"Key": "InstanceIds", "Values": instance_ids}]


# --- problems in the options


def _document_problems(params):
    problems = []
    document = params.get("document")
    if document != HOOKS_DOCUMENT:
        problems += [problem(option, f"hooks run only with {HOOKS_DOCUMENT}") for option in HOOKS if params.get(option)]
    if document != PATCH_DOCUMENT and params.get("install_override_list"):
        problems.append(
            problem("install_override_list", f"{document} has no InstallOverrideList; use {PATCH_DOCUMENT}")
        )
    problems += pattern_problems((option, params.get(option), DOCUMENT, DOCUMENT_EXPECTED) for option in HOOKS)
    override = params.get("install_override_list")
    if override and not _is_override_list(override):
        problems.append(problem("install_override_list", f"'{override}' is not {OVERRIDE_LIST_HINT}"))
    return problems


def _is_override_list(url):
    if not url.endswith(".yaml"):
        return False
    if url.startswith("https://"):
        return "/" in url[len("https://") :].rstrip("/")
    return url.startswith("s3://") and "/" in url[len("s3://") :]


def _snapshot_problems(params):
    snapshot_id = params.get("snapshot_id")
    if snapshot_id is None:
        return []
    try:
        valid = str(uuid.UUID(snapshot_id)) == snapshot_id.lower()
    except ValueError:
        valid = False
    guid = "a GUID such as 12345699-9405-4f69-bc5e-9315aEXAMPLE"
    return [] if valid else [problem("snapshot_id", f"'{snapshot_id}' is not {guid}")]


def _target_problems(params):
    problems = []
    if params.get("patch_group") == "":
        problems.append(problem("patch_group", "name a patch group (the value of the patch group tag)"))
    ids = params.get("instance_ids")
    if ids is not None and not ids:
        problems.append(problem("instance_ids", "list at least one instance id"))
    for index, instance_id in enumerate(ids or []):
        if not target_utils.INSTANCE_ID.match(instance_id):
            problems.append(
                problem(f"instance_ids[{index}]", f"'{instance_id}' is not an instance id such as i-0123456789abcdef0")
            )
    repeated = sorted({instance_id for instance_id in ids or [] if ids.count(instance_id) > 1})
    if repeated:
        problems.append(
            problem("instance_ids", f"{', '.join(repeated)} listed more than once (AWS refuses duplicates)")
        )
    return problems


def _format_problems(params):
    cloudwatch = params.get("cloudwatch_output_config") or {}
    notification = params.get("notification_config") or {}
    checks = (
        ("service_role_arn", params.get("service_role_arn"), ROLE_ARN, "an IAM role ARN"),
        ("notification_config.notification_arn", notification.get("notification_arn"), TOPIC_ARN, "an SNS topic ARN"),
        ("output_s3_bucket_name", params.get("output_s3_bucket_name"), BUCKET_NAME, "an S3 bucket name"),
        ("cloudwatch_output_config.log_group_name", cloudwatch.get("log_group_name"), LOG_GROUP_NAME, "a log group"),
    )
    return pattern_problems(checks)


def option_problems(checker, params):
    """Every problem in the options: AWS's documented rules, then botocore's constraints on the request."""
    problems = _target_problems(params) + _document_problems(params) + _snapshot_problems(params)
    problems += rate_problems(params) + _format_problems(params)
    timeout = params.get("wait_timeout")
    if timeout is not None and not 1 <= timeout <= MAX_WAIT_TIMEOUT:
        problems.append(
            problem("wait_timeout", f"{timeout} is outside the allowed range 1 to {MAX_WAIT_TIMEOUT} seconds")
        )
    found = REQUEST_FORM.problems(checker, "SendCommand", params)
    found += checker.shape_problems(
        checker.input_member("SendCommand", "Parameters"), document_parameters(params, None), "parameters"
    )
    if params.get("patch_group"):
        values = checker.input_member("SendCommand", "Targets").member.members["Values"]
        found += checker.shape_problems(values.member, params["patch_group"], "patch_group")
    return problems + unreported(found, problems, key="option")


# --- waiting and results


def backoff_delays(first=2, longest=30):
    """Seconds between polls: doubling from `first` up to `longest`."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, longest)


def wait_for_command(client, command_id, timeout, sleep=time.sleep, clock=time.monotonic):
    """Poll ListCommands until the command is terminal or `timeout` seconds have passed.

    Returns (command as ListCommands shows it, whether it finished).
    """
    deadline = clock() + timeout
    delays = backoff_delays()
    while True:
        command = client.list_commands(aws_retry=True, CommandId=command_id)["Commands"][0]
        if command["Status"] in TERMINAL:
            return command, True
        remaining = deadline - clock()
        if remaining <= 0:
            return command, False
        sleep(min(next(delays), remaining))


def output_excerpt(plugins, limit=OUTPUT_EXCERPT_CHARS):
    """The end of the output of the steps that ran (where the patch summary is); skipped steps left out."""
    outputs = [plugin.get("Output") or "" for plugin in plugins or []]
    text = "\n".join(output for output in outputs if output and not output.startswith(SKIPPED_STEP))
    return text[-limit:]


def invocation_result(invocation):
    plugins = invocation.get("CommandPlugins") or []
    return {
        "instance_id": invocation["InstanceId"],
        "instance_name": invocation.get("InstanceName") or None,
        "status": invocation.get("Status"),
        "status_details": invocation.get("StatusDetails"),
        "output": output_excerpt(plugins),
        "steps": [
            {"name": plugin.get("Name"), "status": plugin.get("Status"), "response_code": plugin.get("ResponseCode")}
            for plugin in plugins
        ],
    }


def unfinished(instances, target_ids):
    """Ids of the targeted nodes whose invocation is not terminal yet (or has not started)."""
    done = {instance["instance_id"] for instance in instances if instance["status"] in TERMINAL}
    known = {instance["instance_id"] for instance in instances}
    return sorted({instance_id for instance_id in target_ids if instance_id not in done} | (known - done))


def failed(instances):
    return [instance for instance in instances if instance["status"] != "Success"]


def snake_request(request):
    """The SendCommand request as the module reports it: snake_case keys, document parameters as sent."""
    result = {}
    for key, value in request.items():
        if key == "Parameters":
            result["parameters"] = {parameter: list(values) for parameter, values in value.items()}
        elif key == "Targets":
            result["targets"] = [{"key": target["Key"], "values": list(target["Values"])} for target in value]
        elif key == "CloudWatchOutputConfig":
            result["cloudwatch_output_config"] = {
                "log_group_name": value.get("CloudWatchLogGroupName"),
                "enabled": value.get("CloudWatchOutputEnabled"),
            }
        elif isinstance(value, dict):
            result[_camel_to_snake(key)] = {_camel_to_snake(inner): item for inner, item in value.items()}
        else:
            result[_camel_to_snake(key)] = value
    return result
