#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_window_task
version_added: 1.0.0
short_description: Register tasks with AWS Systems Manager maintenance windows
description:
  - Register, update in place and deregister the tasks of an AWS Systems Manager maintenance window, such as
    the Run Command task that runs C(AWS-RunPatchBaseline) on the window's targets.
  - A task is identified by O(name) within its O(window). AWS does not keep these names unique; when several
    tasks of the window share the name the module fails and lists their ids.
  - The task is compared with C(GetMaintenanceWindowTask) and updated with C(UpdateMaintenanceWindowTask) and
    C(Replace=true) with the full desired state, so it keeps its id. A task is never deregistered and registered
    again; only O(task_type) cannot change, and asking for another one fails.
  - An option left out keeps the task's current value. Inside an invocation block such as O(run_command),
    a sub-option left out keeps its current value too, while O(run_command.parameters) is replaced as a whole.
  - Every option is validated before any call, including rate control, the invocation block against the task
    type, ARNs, bucket and log group names.
  - In check mode the window and the window targets named in O(window_targets) may not exist yet (earlier tasks
    of the same run would create them); the module then reports the task it would register.
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  name:
    description:
      - Name of the task, 3 to 128 characters of V(a-z), V(A-Z), V(0-9), V(_), V(-) and V(.).
      - Identifies the task within the window, unless O(window_task_id) is given; then a different name renames
        the task.
    type: str
    required: true
  window_task_id:
    description:
      - Id of an existing task (a UUID), for when several tasks share O(name).
    type: str
  description:
    description:
      - Description of the task, 1 to 128 characters. V("") removes it.
      - C(no_log), because AWS marks this field sensitive; results and diffs show it masked.
    type: str
  task_type:
    description:
      - The kind of task. AWS cannot change it once the task is registered.
      - Required to register a task, unless an invocation block (O(run_command), O(automation), O(lambda),
        O(step_functions)) implies it.
    type: str
    choices: [RUN_COMMAND, AUTOMATION, LAMBDA, STEP_FUNCTIONS]
  task_arn:
    description:
      - What the task runs; the SSM document name or ARN for V(RUN_COMMAND) and V(AUTOMATION) tasks (such as
        V(AWS-RunPatchBaseline)), the function ARN for V(LAMBDA), the state machine ARN for V(STEP_FUNCTIONS).
      - Required to register a task.
    type: str
  window_targets:
    description:
      - Names of window targets registered with the same window (see M(patchmodel.ssm.ssm_window_target)),
        at most 50, that the task runs on. Resolved to C(WindowTargetIds). A window target id is accepted too.
      - When several targets of the window share a name the module fails and lists their ids.
      - V([]) makes the task targetless, which AWS allows for every task type but V(RUN_COMMAND).
      - Mutually exclusive with O(targets).
    type: list
    elements: str
  priority:
    description:
      - Priority of the task in the window, from V(0) up; lower runs first, equal priorities run in parallel.
    type: int
  max_concurrency:
    description:
      - How many targets the task runs on at once, as a number (V(1) or more) or a percentage (V(1%) to V(100%)).
      - Required for a task with targets. A task without targets takes none; AWS then reports a placeholder
        V(1), which the module does not count as a difference.
    type: str
  max_errors:
    description:
      - How many errors stop the task, as a number (V(0) or more) or a percentage (V(0%) to V(100%)).
      - Required for a task with targets; a task without targets takes none.
    type: str
  service_role_arn:
    description:
      - ARN of the IAM service role Systems Manager assumes to run the task. AWS uses the Systems Manager
        service-linked role when a task has none.
    type: str
  cutoff_behavior:
    description:
      - Whether a running task is cancelled (V(CANCEL_TASK)) or runs on (V(CONTINUE_TASK)) when the window's
        cutoff time is reached. AWS's default is V(CONTINUE_TASK).
    type: str
    choices: [CONTINUE_TASK, CANCEL_TASK]
  alarm_configuration:
    description:
      - The CloudWatch alarm that stops the task when it goes into the ALARM state. V({}) removes it.
    type: dict
    suboptions:
      alarms:
        description:
          - Names of the alarms; AWS takes one.
        type: list
        elements: str
      ignore_poll_alarm_failure:
        description:
          - Run the task even when the alarm state cannot be read.
        type: bool
        default: false
  run_command:
    description:
      - Invocation parameters of a V(RUN_COMMAND) task.
    type: dict
    suboptions:
      document_version:
        description:
          - Version of the document to run, V($DEFAULT), V($LATEST) or a version number.
        type: str
      document_hash:
        description:
          - Hash of the document, at most 256 characters.
        type: str
      document_hash_type:
        description:
          - Algorithm of O(run_command.document_hash).
        type: str
        choices: [Sha256, Sha1]
      parameters:
        description:
          - The document's parameters. Each value is a scalar or a list of scalars; AWS keeps every value as a
            list of strings, so V(Install) and V([Install]) are the same, and numbers and booleans are compared as
            text (V(true) and V(false) for booleans).
          - Replaced as a whole when given. V({}) removes every parameter.
          - C(no_log), because AWS marks this field sensitive; results and diffs show each value masked (the
            parameter names stay visible). Ansible then also masks these values wherever they appear in the output.
        type: dict
      timeout_seconds:
        description:
          - Seconds, from V(30) to V(2592000), for the command to start on a node before it is not run there.
        type: int
      comment:
        description:
          - Comment about the command, at most 100 characters.
        type: str
      output_s3_bucket_name:
        description:
          - S3 bucket that receives the command output.
        type: str
      output_s3_key_prefix:
        description:
          - Key prefix of the command output in O(run_command.output_s3_bucket_name).
        type: str
      cloudwatch_output_config:
        description:
          - Send the command output to CloudWatch Logs.
        type: dict
        suboptions:
          log_group_name:
            description:
              - The log group; AWS names one after the document when left out.
            type: str
          enabled:
            description:
              - Whether the output goes to CloudWatch Logs. Unlike the other sub-options, left out it is V(true)
                rather than the task's current value.
            type: bool
            default: true
      notification_config:
        description:
          - Amazon SNS notifications about the commands the task sends when the window runs.
        type: dict
        suboptions:
          notification_arn:
            description:
              - ARN of the SNS topic; O(run_command.service_role_arn) needs C(sns:Publish) on it.
            type: str
          notification_events:
            description:
              - Events to notify about, from V(All), V(InProgress), V(Success), V(TimedOut), V(Cancelled), V(Failed);
                compared as a set.
            type: list
            elements: str
          notification_type:
            description:
              - V(Command) for changes of the command's status, V(Invocation) for each node's.
            type: str
            choices: [Command, Invocation]
      service_role_arn:
        description:
          - ARN of the IAM role Run Command uses to publish the SNS notifications of
            O(run_command.notification_config).
        type: str
  automation:
    description:
      - Invocation parameters of an V(AUTOMATION) task.
    type: dict
    suboptions:
      document_version:
        description:
          - Version of the runbook, V($DEFAULT), V($LATEST) or a version number.
        type: str
      parameters:
        description:
          - The runbook's parameters, scalars or lists of scalars as for O(run_command.parameters).
        type: dict
  lambda:
    description:
      - Invocation parameters of a V(LAMBDA) task.
    type: dict
    suboptions:
      client_context:
        description:
          - Base64-encoded client context passed to the function.
        type: str
      qualifier:
        description:
          - Version or alias of the function.
        type: str
      payload:
        description:
          - JSON the function is invoked with (its event), at most 4096 bytes once encoded as UTF-8.
          - C(no_log), because AWS marks this field sensitive; results and diffs show it masked.
        type: str
  step_functions:
    description:
      - Invocation parameters of a V(STEP_FUNCTIONS) task.
    type: dict
    suboptions:
      input:
        description:
          - JSON input of the execution, at most 4096 characters.
          - C(no_log), because AWS marks this field sensitive; results and diffs show it masked.
        type: str
      name:
        description:
          - Name of the execution, 1 to 80 characters.
        type: str
extends_documentation_fragment:
  - patchmodel.ssm.window_part
  - patchmodel.ssm.targets.window_task
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes
"""

EXAMPLES = r"""
- name: Patch the production web servers with AWS-RunPatchBaselineWithHooks
  patchmodel.ssm.ssm_window_task:
    window: Patch-WebServer-Prd
    name: PatchWebServerPrd
    description: Run Command Task for patching Patching Web Server in production
    task_type: RUN_COMMAND
    task_arn: AWS-RunPatchBaselineWithHooks
    window_targets:
      - WebServer-Prd
    priority: 1
    max_concurrency: "1"
    max_errors: "1"
    cutoff_behavior: CANCEL_TASK
    service_role_arn: arn:aws:iam::123456789012:role/maintenance-window-role
    run_command:
      parameters:
        Operation: Install
        RebootOption: RebootIfNeeded
        PreInstallHookDocName: Pre-patch-WebServer-Document
        PostInstallHookDocName: Post-install-WebServer-Document
        OnExitHookDocName: Post-reboot-WebServer-Document
      timeout_seconds: 600
      output_s3_bucket_name: patching-webserver
      output_s3_key_prefix: patching/webserver/prd
      cloudwatch_output_config:
        log_group_name: patching/webserver/prd
      notification_config:
        notification_arn: arn:aws:sns:us-east-1:123456789012:patching-webserver-prd
        notification_events:
          - All
        notification_type: Invocation
      service_role_arn: arn:aws:iam::123456789012:role/maintenance-window-role

- name: Install patches on the Windows Server 2016 instances, all at once, stopping at the first error
  patchmodel.ssm.ssm_window_task:
    window: Patch-Windows-Server-2016
    name: Patch-Windows-Server-2016-Base
    task_type: RUN_COMMAND
    task_arn: AWS-RunPatchBaseline
    window_targets:
      - Windows-Server-2016-Base
    priority: 1
    max_concurrency: "100%"
    max_errors: "1"
    run_command:
      parameters:
        Operation: Install

- name: Switch the web servers' task to scanning, showing the change without making it
  patchmodel.ssm.ssm_window_task:
    window: Patch-WebServer-Prd
    name: PatchWebServerPrd
    run_command:
      parameters:
        Operation: Scan
        RebootOption: NoReboot
  check_mode: true
  diff: true
  register: webserver_task_preview

- name: Deregister the task
  patchmodel.ssm.ssm_window_task:
    window: Patch-WebServer-Prd
    name: PatchWebServerPrd
    state: absent
"""

RETURN = r"""
window_task:
  description:
    - The task after the run (as it would be, in check mode), in the shape of the module's options.
    - Empty when O(state=absent).
    - Values AWS marks sensitive (RV(window_task.description), the values of C(run_command.parameters),
      C(lambda.payload), C(step_functions.input)) show as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER). In the
      C(--diff) output such a value that changes shows as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER (changed)).
      The module compares the real values.
  returned: always
  type: dict
  contains:
    window_id:
      description: Id of the window; V(null) in check mode when the window does not exist yet.
      type: str
      sample: mw-0c50858d01EXAMPLE
    window_task_id:
      description: Id of the task; V(null) for a task check mode would register.
      type: str
      sample: 4f7ca192-7e9a-40fe-9192-5cb15EXAMPLE
    arn:
      description:
        - ARN of the task, C(arn:<partition>:ssm:<region>:<account>:windowtask/<window_task_id>),
          in the partition of the caller's credentials (C(aws), C(aws-cn), C(aws-us-gov)), read with
          C(sts:GetCallerIdentity), which needs no permission.
        - Left out for a task check mode would register, which has no id yet.
      returned: when the task exists
      type: str
      sample: arn:aws:ssm:us-east-1:123456789012:windowtask/4f7ca192-7e9a-40fe-9192-5cb15EXAMPLE
    name:
      description: Name of the task.
      type: str
      sample: PatchWebServerPrd
    description:
      description: Description of the task, masked; V(null) when it has none.
      type: str
      sample: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
    task_type:
      description: Kind of task.
      type: str
      sample: RUN_COMMAND
    task_arn:
      description: What the task runs.
      type: str
      sample: AWS-RunPatchBaselineWithHooks
    targets:
      description:
        - What the task runs on, each a C(key) and its C(values); empty for a targetless task.
        - In check mode, window targets that do not exist yet appear by name.
      type: list
      elements: dict
      sample: [{"key": "WindowTargetIds", "values": ["e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE"]}]
    window_targets:
      description: Names of the window targets in RV(window_task.targets) (their ids when they have no name).
      type: list
      elements: str
      sample: [WebServer-Prd]
    priority:
      description: Priority of the task.
      type: int
      sample: 1
    max_concurrency:
      description: Rate control; V(null) for a targetless task.
      type: str
      sample: "1"
    max_errors:
      description: Error threshold; V(null) for a targetless task.
      type: str
      sample: "1"
    service_role_arn:
      description: IAM service role of the task.
      type: str
      sample: arn:aws:iam::123456789012:role/maintenance-window-role
    cutoff_behavior:
      description: What happens to the running task at the window's cutoff.
      type: str
      sample: CANCEL_TASK
    alarm_configuration:
      description: The CloudWatch alarm of the task, V(null) when there is none.
      type: dict
      sample: null
    run_command:
      description:
        - Invocation parameters of a Run Command task, in the shape of O(run_command); V(null) otherwise.
        - The value of each parameter is masked.
      type: dict
      sample:
        parameters:
          Operation: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
          RebootOption: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
        timeout_seconds: 600
        output_s3_bucket_name: patching-webserver
        output_s3_key_prefix: patching/webserver/prd
    automation:
      description: Invocation parameters of an Automation task; V(null) otherwise.
      type: dict
      sample: null
    lambda:
      description: Invocation parameters of a Lambda task, the payload masked; V(null) otherwise.
      type: dict
      sample: null
    step_functions:
      description: Invocation parameters of a Step Functions task, the input masked; V(null) otherwise.
      type: dict
      sample: null
"""

from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import run
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_task import WindowTask


def argument_spec():
    return WindowTask.argument_spec()


def main():
    module = PatchModelModule(argument_spec=argument_spec(), supports_check_mode=True, **WindowTask.rules)
    run(module, WindowTask)


if __name__ == "__main__":
    main()
