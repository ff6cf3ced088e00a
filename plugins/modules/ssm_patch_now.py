#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_patch_now
version_added: 1.0.0
short_description: Scan or patch managed nodes now with AWS-RunPatchBaseline, outside any maintenance window
description:
  - Sends C(AWS-RunPatchBaseline) or C(AWS-RunPatchBaselineWithHooks) with Run Command (C(SendCommand)) to the
    managed nodes of a patch group or to a list of instances, waits for the command with a bounded timeout and
    returns each node's result.
  - This is an action, not a resource; every run sends a new command and reports C(changed). Each node patches
    with the baseline of its own patch group (or its operating system's default baseline), as in a maintenance
    window.
  - Before sending, the targets are resolved read-only with C(DescribeInstanceInformation); the module fails
    without sending anything when no managed node matches, when a listed instance is not a managed node, or when
    a hook document does not exist.
  - Pass O(snapshot_id) or O(use_snapshot=true) so every node of the command (and of later commands given the
    same O(snapshot_id), for up to three days) patches against the same snapshot of its baseline's approvals, as
    AWS recommends outside a maintenance window.
  - In check mode nothing is sent; the module resolves the targets and returns the request it would send.
  - The module fails when the command ends in another status than V(Success), or when O(wait_timeout) passes
    first (listing the nodes still pending); the results gathered so far are returned either way.
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  patch_group:
    description:
      - The patch group to patch; the command targets the nodes whose O(patch_group_tag_key) tag has this value.
      - Exactly one of O(patch_group) and O(instance_ids) is required.
    type: str
  patch_group_tag_key:
    description:
      - The tag that names a node's patch group. Patch Manager reads V(Patch Group), or V(PatchGroup) on instances
        whose tags are shown in instance metadata (where keys cannot hold spaces).
    type: str
    choices: ["Patch Group", PatchGroup]
    default: Patch Group
  instance_ids:
    description:
      - The managed nodes to patch, 1 to 50 ids such as V(i-0123456789abcdef0) or V(mi-0123456789abcdef0).
    type: list
    elements: str
  document:
    description:
      - The patching document. V(AWS-RunPatchBaselineWithHooks) runs the hook documents given in
        O(pre_install_hook_doc_name), O(post_install_hook_doc_name) and O(on_exit_hook_doc_name) around an Install.
    type: str
    choices: [AWS-RunPatchBaseline, AWS-RunPatchBaselineWithHooks]
    default: AWS-RunPatchBaseline
  operation:
    description:
      - V(Scan) reports which approved patches are missing; V(Install) installs them.
    type: str
    choices: [Scan, Install]
    required: true
  reboot_option:
    description:
      - Whether nodes reboot after an Install that installed patches. The document's default is V(RebootIfNeeded);
        with V(NoReboot) the patches stay C(InstalledPendingReboot) until the next reboot.
    type: str
    choices: [RebootIfNeeded, NoReboot]
  snapshot_id:
    description:
      - The GUID of a patch baseline snapshot (C(SnapshotId)), such as the RV(snapshot_id) of an earlier run, so
        this command patches against the same approvals.
      - Mutually exclusive with O(use_snapshot).
      - C(no_log), because it is sent in the document parameters, which AWS marks sensitive.
    type: str
  use_snapshot:
    description:
      - Send a new GUID as C(SnapshotId), so every node of this command uses the same snapshot of its patch
        baseline. It is returned in RV(snapshot_id) for later runs.
    type: bool
    default: false
  install_override_list:
    description:
      - An https URL or an S3 path-style URL (V(s3://bucket/list.yaml)) of a YAML list of patches that Install
        installs instead of the baseline's; only with O(document=AWS-RunPatchBaseline).
      - C(no_log), because it is sent in the document parameters, which AWS marks sensitive. A presigned URL's
        signature stays out of the output.
    type: str
  pre_install_hook_doc_name:
    description:
      - The document run before the install, by name or ARN; only with O(document=AWS-RunPatchBaselineWithHooks).
        AWS runs C(AWS-Noop) when it is left out.
      - C(no_log), because it is sent in the document parameters, which AWS marks sensitive.
    type: str
  post_install_hook_doc_name:
    description:
      - The document run after the install, before any reboot; only with
        O(document=AWS-RunPatchBaselineWithHooks).
      - C(no_log), because it is sent in the document parameters, which AWS marks sensitive.
    type: str
  on_exit_hook_doc_name:
    description:
      - The document run after the reboot; only with O(document=AWS-RunPatchBaselineWithHooks).
      - C(no_log), because it is sent in the document parameters, which AWS marks sensitive.
    type: str
  max_concurrency:
    description:
      - How many nodes patch at once, as a number (V(1) or more) or a percentage (V(1%) to V(100%)).
        AWS's default is V(50).
    type: str
  max_errors:
    description:
      - How many failed nodes stop the command, as a number (V(0) or more) or a percentage (V(0%) to V(100%)).
        AWS's default is V(0), so the first failure stops sending to further nodes.
    type: str
  timeout_seconds:
    description:
      - Seconds, from V(30) to V(2592000), for the command to reach a node before it is not run there.
    type: int
  comment:
    description:
      - Comment about the command, at most 100 characters.
      - The module appends a marker C([patchmodel:<id>]) to it (shortening the comment if need be), so that
        after an answer lost on its way back it finds the command AWS already accepted instead of sending it
        twice. SendCommand has no client token.
    type: str
  output_s3_bucket_name:
    description:
      - S3 bucket that receives the full command output (the API returns at most 2500 characters per step).
    type: str
  output_s3_key_prefix:
    description:
      - Key prefix of the command output in O(output_s3_bucket_name).
    type: str
  cloudwatch_output_config:
    description:
      - Send the full command output to CloudWatch Logs; RV(instances[].output) holds only its last 1000 characters.
    type: dict
    suboptions:
      log_group_name:
        description:
          - The log group; AWS creates one named after O(document) (such as C(aws/ssm/AWS-RunPatchBaseline)) when
            left out.
        type: str
      enabled:
        description:
          - Whether the output goes to CloudWatch Logs.
        type: bool
        default: true
  notification_config:
    description:
      - Amazon SNS notifications about the command, published with the role in O(service_role_arn).
    type: dict
    suboptions:
      notification_arn:
        description:
          - ARN of the SNS topic.
        type: str
      notification_events:
        description:
          - Events to notify about, from V(All), V(InProgress), V(Success), V(TimedOut), V(Cancelled), V(Failed).
        type: list
        elements: str
      notification_type:
        description:
          - V(Command) for changes of the command's status (RV(status)), V(Invocation) for each node's
            (RV(instances[].status)).
        type: str
        choices: [Command, Invocation]
  service_role_arn:
    description:
      - ARN of the IAM role Run Command uses to publish the SNS notifications.
    type: str
  wait:
    description:
      - Wait for the command to finish and return each node's result. Without it the module returns once the
        command is sent.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait, from V(1) to V(86400). The command is polled with a growing interval (2 s up to
        30 s). When the time is up the module fails, listing the nodes still pending; the command runs on.
    type: int
    default: 3600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Sends nothing; resolves the targets and returns the request it would send.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
"""

EXAMPLES = r"""
- name: Scan the production web servers now, all against one baseline snapshot
  patchmodel.ssm.ssm_patch_now:
    patch_group: WebServer-Prd
    operation: Scan
    use_snapshot: true
  register: webserver_scan

- name: Install what the scan found missing, one server at a time, with the web server hooks
  patchmodel.ssm.ssm_patch_now:
    patch_group: WebServer-Prd
    document: AWS-RunPatchBaselineWithHooks
    operation: Install
    reboot_option: RebootIfNeeded
    snapshot_id: "{{ webserver_scan.snapshot_id }}"
    pre_install_hook_doc_name: Pre-patch-WebServer-Document
    post_install_hook_doc_name: Post-install-WebServer-Document
    on_exit_hook_doc_name: Post-reboot-WebServer-Document
    max_concurrency: "1"
    max_errors: "1"
    timeout_seconds: 600
    output_s3_bucket_name: patching-webserver
    output_s3_key_prefix: patching/webserver/prd
    cloudwatch_output_config:
      log_group_name: patching/webserver/prd
    wait_timeout: 7200
  register: webserver_install

- name: Show each server's result
  ansible.builtin.debug:
    msg: "{{ item.instance_id }}: {{ item.status }} ({{ item.status_details }})"
  loop: "{{ webserver_install.instances }}"
  loop_control:
    label: "{{ item.instance_id }}"

- name: Scan two Windows Server 2016 instances without waiting
  patchmodel.ssm.ssm_patch_now:
    instance_ids:
      - i-0123456789abcdef0
      - i-0fedcba9876543210
    operation: Scan
    wait: false
"""

RETURN = r"""
command_id:
  description: Id of the command; V(null) in check mode.
  returned: always
  type: str
  sample: 76a5a04f-4f8f-4a8b-9d71-0e59bEXAMPLE
status:
  description:
    - Status of the command, V(Success), V(Failed), V(TimedOut) or V(Cancelled) once it finished; V(Pending) or
      V(InProgress) when the module did not wait or gave up waiting; V(null) in check mode.
    - A command whose failed nodes stayed within O(max_errors) ends V(Success) with RV(status_details)
      V(Incomplete).
  returned: always
  type: str
  sample: Success
status_details:
  description: Details of the command's status.
  returned: always
  type: str
  sample: Success
snapshot_id:
  description:
    - The C(SnapshotId) sent (or that would be sent), or V(null) when none was.
    - A GUID the module chose for O(use_snapshot=true) is returned in clear, so that later runs can pass it in
      O(snapshot_id); one given in O(snapshot_id) is no_log and shows as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER).
  returned: always
  type: str
  sample: 0f2e3b2c-4a51-4c2b-9c83-6f6e5EXAMPLE
request:
  description:
    - The C(SendCommand) request, in snake_case.
    - The value of each document parameter shows as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER), because AWS marks the
      document parameters sensitive; the parameter names stay visible.
  returned: always
  type: dict
  sample:
    document_name: AWS-RunPatchBaseline
    parameters: {Operation: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER, SnapshotId: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER}
    targets: [{key: "tag:Patch Group", values: [WebServer-Prd]}]
target_instance_ids:
  description: The managed nodes the targets resolved to before sending (C(DescribeInstanceInformation)), sorted.
  returned: always
  type: list
  elements: str
  sample: [i-02573cafcfEXAMPLE]
counts:
  description: The command's counts of nodes, as C(ListCommands) reports them; V(null) in check mode and without
    O(wait).
  returned: always
  type: dict
  contains:
    target_count:
      description: Nodes the command targets.
      type: int
    completed_count:
      description: Nodes whose invocation reached a terminal status.
      type: int
    error_count:
      description: Nodes whose invocation failed.
      type: int
    delivery_timed_out_count:
      description: Nodes the command did not reach in time.
      type: int
  sample: {target_count: 2, completed_count: 2, error_count: 0, delivery_timed_out_count: 0}
instances:
  description: Each node's result (C(ListCommandInvocations) with details), sorted by instance id; empty in check
    mode and without O(wait).
  returned: always
  type: list
  elements: dict
  contains:
    instance_id:
      description: Id of the node.
      type: str
      sample: i-02573cafcfEXAMPLE
    instance_name:
      description: Host name of the node, or V(null).
      type: str
      sample: ip-10-0-1-23.ec2.internal
    status:
      description: V(Pending), V(InProgress), V(Delayed), V(Success), V(Cancelled), V(TimedOut), V(Failed) or
        V(Cancelling).
      type: str
      sample: Success
    status_details:
      description: Details of the status, such as V(Delivery Timed Out) or V(Undeliverable).
      type: str
      sample: Success
    output:
      description: The last 1000 characters of the output of the steps that ran on the node (the patch summary);
        the full output is in S3 or CloudWatch Logs when configured.
      type: str
      sample: "Missing: 0\nFailed: 0"
    steps:
      description: The document's steps on the node, with their status and exit code (V(-1) when not run).
      type: list
      elements: dict
      sample: [{name: PatchLinux, status: Success, response_code: 0}]
pending_instance_ids:
  description: Nodes whose invocation had not finished when the module stopped waiting; empty otherwise.
  returned: always
  type: list
  elements: str
  sample: []
"""

from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.command_send import marked_request, send_command_once
from ansible_collections.patchmodel.ssm.plugins.module_utils.patch_command import (
    HOOKS,
    HOOKS_DOCUMENT,
    NO_HOOK,
    PATCH_DOCUMENT,
    PATCH_GROUP_TAG_KEYS,
    failed,
    invocation_result,
    node_filters,
    option_problems,
    send_command_request,
    snake_request,
    snapshot_id_for,
    unfinished,
    wait_for_command,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.sensitive import mask_problems, masked, result_paths
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import get_or_none, paginate

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing dependency

SENSITIVE = result_paths("ssm_patch_now")
COUNTS = {
    "TargetCount": "target_count",
    "CompletedCount": "completed_count",
    "ErrorCount": "error_count",
    "DeliveryTimedOutCount": "delivery_timed_out_count",
}


def argument_spec():
    return dict(
        patch_group=dict(type="str"),
        patch_group_tag_key=dict(type="str", choices=list(PATCH_GROUP_TAG_KEYS), default="Patch Group", no_log=False),
        instance_ids=dict(type="list", elements="str"),
        document=dict(type="str", choices=[PATCH_DOCUMENT, HOOKS_DOCUMENT], default=PATCH_DOCUMENT),
        operation=dict(type="str", choices=["Scan", "Install"], required=True),
        reboot_option=dict(type="str", choices=["RebootIfNeeded", "NoReboot"]),
        snapshot_id=dict(type="str", no_log=True),
        use_snapshot=dict(type="bool", default=False),
        install_override_list=dict(type="str", no_log=True),
        pre_install_hook_doc_name=dict(type="str", no_log=True),
        post_install_hook_doc_name=dict(type="str", no_log=True),
        on_exit_hook_doc_name=dict(type="str", no_log=True),
        max_concurrency=dict(type="str"),
        max_errors=dict(type="str"),
        timeout_seconds=dict(type="int"),
        comment=dict(type="str"),
        output_s3_bucket_name=dict(type="str"),
        output_s3_key_prefix=dict(type="str", no_log=False),
        cloudwatch_output_config=dict(
            type="dict",
            options=dict(log_group_name=dict(type="str"), enabled=dict(type="bool", default=True)),
        ),
        notification_config=dict(
            type="dict",
            options=dict(
                notification_arn=dict(type="str"),
                notification_events=dict(type="list", elements="str"),
                notification_type=dict(type="str", choices=["Command", "Invocation"]),
            ),
        ),
        service_role_arn=dict(type="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=3600),
    )


def resolve_targets(module, client):
    """The managed nodes the command would reach, read with DescribeInstanceInformation; fails when there are none
    or when a listed instance is not a managed node (SendCommand would refuse it)."""
    params = module.params
    nodes = paginate(
        client, "describe_instance_information", "InstanceInformationList", Filters=node_filters(params), MaxResults=50
    )
    found = {node["InstanceId"]: node for node in nodes}
    unknown = [instance_id for instance_id in params["instance_ids"] or [] if instance_id not in found]
    if unknown:
        module.fail_json(
            msg=f"instance_ids: not managed nodes of this region: {', '.join(unknown)} "
            "(DescribeInstanceInformation does not list them); nothing was sent",
            unknown_instance_ids=unknown,
        )
    if not found:
        module.fail_json(
            msg=f"No managed node has the tag '{params['patch_group_tag_key']}' = '{params['patch_group']}'; "
            "nothing was sent"
        )
    for node in found.values():
        if node.get("PingStatus") != "Online":
            module.warn(f"{node['InstanceId']} is {node.get('PingStatus')}: the command may not reach it")
    return sorted(found)


def check_hook_documents(module, client):
    """Fail before sending when a hook document does not exist: every node would fail on it."""
    for option in HOOKS:
        name = module.params[option]
        if name and name != NO_HOOK and get_or_none(client, "describe_document", Name=name) is None:
            module.fail_json(msg=f"{option}: document '{name}' does not exist; nothing was sent")


def read_invocations(client, command_id):
    invocations = paginate(
        client, "list_command_invocations", "CommandInvocations", CommandId=command_id, Details=True, MaxResults=50
    )
    return sorted((invocation_result(invocation) for invocation in invocations), key=lambda i: i["instance_id"])


def finish(module, result, command, finished):
    """Exit with the results: fail when the command did not succeed or the wait ran out."""
    command_id = result["command_id"]
    if not finished:
        pending = result["pending_instance_ids"]
        module.fail_json(
            msg=f"Gave up waiting for command {command_id} after {module.params['wait_timeout']} s; "
            f"still running on {len(pending)} node(s): {', '.join(pending) or 'none reported yet'}. "
            "The command runs on; follow it with its command_id.",
            **result,
        )
    unsuccessful = failed(result["instances"])
    listed = ", ".join(f"{i['instance_id']} ({i['status_details'] or i['status']})" for i in unsuccessful)
    if command["Status"] != "Success":
        module.fail_json(
            msg=f"Command {command_id} ended {command['Status']} ({command.get('StatusDetails')})"
            + (f"; not successful on {listed}" if listed else ""),
            **result,
        )
    if unsuccessful:
        module.warn(f"Command {command_id} did not succeed on {listed} (within max_errors)")
    module.exit_json(**result)


def main():
    module = PatchModelModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[("patch_group", "instance_ids"), ("snapshot_id", "use_snapshot")],
        required_one_of=[("patch_group", "instance_ids")],
        supports_check_mode=True,
    )
    params = module.params
    module.fail_on_problems(mask_problems("ssm_patch_now", params) + option_problems(RequestChecker(), params))
    client = module.ssm_client()
    try:
        target_ids = resolve_targets(module, client)
        check_hook_documents(module, client)
        snapshot_id = snapshot_id_for(params)
        request = send_command_request(params, snapshot_id)
        result = {
            "changed": True,
            "command_id": None,
            "status": None,
            "status_details": None,
            "snapshot_id": snapshot_id,
            "request": snake_request(request),
            "target_instance_ids": target_ids,
            "counts": None,
            "instances": [],
            "pending_instance_ids": [],
        }
        result = masked(result, SENSITIVE)  # only its output: the request sent is `request`
        if module.check_mode:
            module.exit_json(**result)
        request = marked_request(request)
        result["request"]["comment"] = request["Comment"]  # as sent, with its marker (module_utils/command_send.py)
        command = send_command_once(module, client, request)
        result.update(command_id=command["CommandId"], status=command["Status"])
        result["status_details"] = command.get("StatusDetails")
        if not params["wait"]:
            module.exit_json(**result)
        command, finished = wait_for_command(client, command["CommandId"], params["wait_timeout"])
        result.update(status=command["Status"], status_details=command.get("StatusDetails"))
        result["counts"] = {name: command.get(key) for key, name in COUNTS.items()}
        result["instances"] = read_invocations(client, command["CommandId"])
        if not finished:
            result["pending_instance_ids"] = unfinished(result["instances"], target_ids)
    except (BotoCoreError, ClientError) as error:
        module.fail_json_aws(error, msg="Failed to run the patch baseline now")
    finish(module, result, command, finished)


if __name__ == "__main__":
    main()
