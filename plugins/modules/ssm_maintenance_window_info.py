#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_maintenance_window_info
version_added: 1.0.0
short_description: Read AWS Systems Manager maintenance windows with their targets and tasks
description:
  - Read maintenance windows by name, by id or by filters, each with its registered targets, its tasks
    (with their full invocation parameters), its tags, the next run AWS reports and the next runs computed
    locally from its schedule.
  - With no option, reads every maintenance window of the region.
  - With O(executions), also reads each window's run history, its most recent executions with their tasks
    and every task's invocations (one per target node), as the console's History tab shows them.
  - Values AWS marks sensitive are masked by default (see O(include_sensitive)).
  - Use M(patchmodel.ssm.ssm_maintenance_window) to create, change or delete a window.
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  name:
    description:
      - Name of the windows to read. AWS does not keep names unique; every window with this exact name is returned.
    type: str
  window_id:
    description:
      - Id of the window to read, such as V(mw-0c50858d01EXAMPLE).
    type: str
  filters:
    description:
      - Filters of C(DescribeMaintenanceWindows), as a dict of filter key to a value or a list of values.
      - The keys AWS supports are V(Name) and V(Enabled) (V(true) or V(false)).
    type: dict
  executions:
    description:
      - How many of each window's most recent executions to return in RV(windows[].executions), from V(0) to
        V(100), with their tasks and invocations.
      - V(0) reads no history (each execution costs one call per task more).
    type: int
    default: 0
  include_sensitive:
    description:
      - Return in clear the values AWS marks sensitive, which are masked by default (shown as
        V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER)) - the descriptions of windows, targets and tasks, the owner
        information of targets, the tasks' C(task_parameters) and the values of their invocation parameters
        (Run Command parameters, Lambda payload, Step Functions input), and the C(parameters) and
        C(owner_information) of invocations in RV(windows[].executions).
      - These may hold secrets. With V(true) keeping them out of logs, job output and registered variables that
        are shown is your responsibility; set C(no_log) on the task.
      - With V(false), a result fed back into M(patchmodel.ssm.ssm_window_task) and the other modules would send
        the mask itself; they refuse it.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the production web server maintenance window, its targets and tasks
  patchmodel.ssm.ssm_maintenance_window_info:
    name: Patch-WebServer-Prd
  register: webserver_window

- name: Show when it runs next (first Wednesday of the month, 9:00 pm US/Central)
  ansible.builtin.debug:
    var: webserver_window.windows[0].next_executions

- name: Read the Windows demo window by id
  patchmodel.ssm.ssm_maintenance_window_info:
    window_id: "{{ windows_window_id }}"

- name: Read the last run of the production web server window, its tasks and each instance's invocation
  patchmodel.ssm.ssm_maintenance_window_info:
    name: Patch-WebServer-Prd
    executions: 1
  register: webserver_history

- name: Show how the last run went on each instance
  ansible.builtin.debug:
    msg: "{{ item.instance_id }}: {{ item.status }} ({{ item.status_details }}), command {{ item.execution_id }}"
  loop: >-
    {{ webserver_history.windows[0].executions | map(attribute='tasks') | flatten
       | map(attribute='invocations') | flatten }}
  loop_control:
    label: "{{ item.invocation_id }}"

- name: Read the task parameters in clear, to copy them elsewhere; the result holds secrets, so no_log
  patchmodel.ssm.ssm_maintenance_window_info:
    name: Patch-WebServer-Prd
    include_sensitive: true
  register: webserver_window_in_clear
  no_log: true

- name: List the enabled maintenance windows
  patchmodel.ssm.ssm_maintenance_window_info:
    filters:
      Enabled: true
  register: enabled_windows
"""

RETURN = r"""
windows:
  description:
    - The matching maintenance windows, sorted by name and id; empty when none matches.
    - Unless O(include_sensitive=true), values AWS marks sensitive show as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER);
      in maps of document parameters the names stay visible and each value is masked.
    - Each window has the keys of RV(patchmodel.ssm.ssm_maintenance_window#module:window), the result that module
      returns for the window it manages (its settings, id, tags, dates and next runs), and the keys below.
  returned: always
  type: list
  elements: dict
  contains:
    targets:
      description:
        - Registered targets (C(DescribeMaintenanceWindowTargets)), in snake_case; C(description) and
          C(owner_information) masked.
        - Each with its C(arn), C(arn:<partition>:ssm:<region>:<account>:windowtarget/<window_target_id>), in the
          partition of the caller's credentials (C(aws), C(aws-cn), C(aws-us-gov)).
      type: list
      elements: dict
      sample:
        - window_target_id: e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE
          arn: arn:aws:ssm:us-east-1:123456789012:windowtarget/e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE
          name: WebServer-Prd
          description: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
          owner_information: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
          resource_type: INSTANCE
          targets: [{key: "tag:Patch Group", values: [WebServer-Prd]}]
    tasks:
      description:
        - Registered tasks (C(GetMaintenanceWindowTask)) in snake_case, with their full invocation parameters.
        - Document parameter names and values under C(parameters) and C(task_parameters) are kept as AWS
          returns them; a Lambda C(payload) is returned as text.
        - Masked - C(description), each value of C(task_parameters) and of
          C(task_invocation_parameters.run_command.parameters), C(task_invocation_parameters.lambda.payload) and
          C(task_invocation_parameters.step_functions.input).
        - Each with its C(arn), C(arn:<partition>:ssm:<region>:<account>:windowtask/<window_task_id>).
      type: list
      elements: dict
      sample:
        - window_task_id: 4f7ca192-7e9a-40fe-9192-5cb15EXAMPLE
          arn: arn:aws:ssm:us-east-1:123456789012:windowtask/4f7ca192-7e9a-40fe-9192-5cb15EXAMPLE
          name: Patch-WebServer-Prd-Install
          task_arn: AWS-RunPatchBaselineWithHooks
          task_type: RUN_COMMAND
          priority: 1
          max_concurrency: "1"
          max_errors: "1"
          targets: [{key: WindowTargetIds, values: [e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE]}]
          task_invocation_parameters:
            run_command:
              parameters:
                Operation: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
                RebootOption: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
    executions:
      description:
        - The window's most recent executions, newest first, at most O(executions) of them
          (C(DescribeMaintenanceWindowExecutions)); empty when the window has not run.
        - Times are ISO-8601 date-times.
      returned: when O(executions) is more than 0
      type: list
      elements: dict
      contains:
        window_execution_id:
          description: Id of the execution.
          type: str
          sample: 14bea65d-5ccc-462d-a2f3-e99c8EXAMPLE
        status:
          description: V(PENDING), V(IN_PROGRESS), V(SUCCESS), V(FAILED), V(TIMED_OUT), V(CANCELLING),
            V(CANCELLED) or V(SKIPPED_OVERLAPPING).
          type: str
          sample: SUCCESS
        status_details:
          description: Why the execution has its status, or V(null).
          type: str
          sample: null
        start_time:
          description: When the execution started.
          type: str
          sample: "2022-08-03T21:00:05.123000-05:00"
        end_time:
          description: When the execution ended, or V(null) while it runs.
          type: str
          sample: "2022-08-03T21:20:41.456000-05:00"
        tasks:
          description: The tasks the execution ran (C(DescribeMaintenanceWindowExecutionTasks)), in the order they
            started.
          type: list
          elements: dict
          contains:
            task_execution_id:
              description: Id of the task's execution.
              type: str
              sample: c9b05aba-197f-4d8d-be34-e73fbEXAMPLE
            task_arn:
              description: What the task ran, such as the document name.
              type: str
              sample: AWS-RunPatchBaselineWithHooks
            task_type:
              description: V(RUN_COMMAND), V(AUTOMATION), V(LAMBDA) or V(STEP_FUNCTIONS).
              type: str
              sample: RUN_COMMAND
            status:
              description: Status of the task's execution, with the values of RV(windows[].executions[].status).
              type: str
              sample: SUCCESS
            status_details:
              description: Why the task has its status, or V(null).
              type: str
              sample: null
            start_time:
              description: When the task started.
              type: str
              sample: "2022-08-03T21:00:06.200000-05:00"
            end_time:
              description: When the task ended, or V(null).
              type: str
              sample: "2022-08-03T21:20:40.100000-05:00"
            invocations:
              description: The task's invocations, one per target node for a Run Command task
                (C(DescribeMaintenanceWindowExecutionTaskInvocations)), in the order they started.
              type: list
              elements: dict
              contains:
                invocation_id:
                  description: Id of the invocation.
                  type: str
                  sample: c336d2ab-09de-44ba-8f6a-6136cEXAMPLE
                execution_id:
                  description: What the invocation started; for a Run Command task the command id, which
                    C(ListCommandInvocations) and C(GetCommandInvocation) know.
                  type: str
                  sample: 76a5a04f-4f8f-4a8b-9d71-0e59bEXAMPLE
                instance_id:
                  description:
                    - The node a Run Command invocation ran on, read from the invocation's C(parameters);
                      V(null) when they do not name exactly one node.
                  type: str
                  sample: i-02573cafcfEXAMPLE
                task_type:
                  description: Type of the task.
                  type: str
                  sample: RUN_COMMAND
                status:
                  description: Status of the invocation, with the values of RV(windows[].executions[].status).
                  type: str
                  sample: SUCCESS
                status_details:
                  description: Why the invocation has its status, such as the command's status on the node.
                  type: str
                  sample: Success
                window_target_id:
                  description: The window target that selected the node, or V(null).
                  type: str
                  sample: e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE
                owner_information:
                  description: The owner information of that window target, masked, or V(null).
                  type: str
                  sample: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
                parameters:
                  description:
                    - The parameters the invocation ran with, as the JSON text AWS reports; masked. The
                      RV(windows[].executions[].tasks[].invocations[].instance_id) is read from them first.
                    - 'With O(include_sensitive=true), for example:
                      C({"documentName":"AWS-RunPatchBaselineWithHooks","instanceIds":["i-02573cafcfEXAMPLE"],
                      "parameters":{"Operation":["Install"]},"timeoutSeconds":600}).'
                  type: str
                  sample: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
                start_time:
                  description: When the invocation started.
                  type: str
                  sample: "2022-08-03T21:00:06.300000-05:00"
                end_time:
                  description: When the invocation ended, or V(null).
                  type: str
                  sample: "2022-08-03T21:10:12.000000-05:00"
"""

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing botocore

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.arns import Arns
from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.sensitive import masked, result_paths
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import paginate
from ansible_collections.patchmodel.ssm.plugins.module_utils.tags import get_tags
from ansible_collections.patchmodel.ssm.plugins.module_utils.window import (
    RESOURCE_TYPE,
    from_api,
    get_window,
    task_from_api,
    to_result,
    windows_named,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_history import (
    executions_problems,
    recent_executions,
)

FILTER_KEYS = ("Name", "Enabled")


def api_filters(filters):
    """DescribeMaintenanceWindows Filters from the option's dict; booleans become AWS's 'true'/'false'."""
    result = []
    for key, value in (filters or {}).items():
        values = value if isinstance(value, list) else [value]
        result.append(
            {"Key": key, "Values": [str(item).lower() if isinstance(item, bool) else str(item) for item in values]}
        )
    return result


def option_problems(checker, params):
    problems = []
    if params["window_id"] is not None:
        problems += checker.problems("GetMaintenanceWindow", {"WindowId": params["window_id"]})
    if params["name"] is not None:
        problems += checker.problems(
            "UpdateMaintenanceWindow", {"WindowId": "mw-00000000000000000", "Name": params["name"]}
        )
    for key in params["filters"] or {}:
        if key not in FILTER_KEYS:
            problems.append(f"filters: '{key}' is not a filter key AWS supports here; use {' or '.join(FILTER_KEYS)}")
    return problems + executions_problems(params["executions"])


def window_ids(client, params):
    if params["window_id"]:
        return [params["window_id"]]
    filters = api_filters(params["filters"])
    if params["name"] is not None:
        identities = windows_named(client, params["name"], [f for f in filters if f["Key"] != "Name"])
    else:
        identities = paginate(
            client, "describe_maintenance_windows", "WindowIdentities", Filters=filters, MaxResults=100
        )
    return [identity["WindowId"] for identity in identities]


def targets_of(client, window_id):
    targets = paginate(client, "describe_maintenance_window_targets", "Targets", WindowId=window_id, MaxResults=100)
    return [camel_dict_to_snake_dict(target) for target in targets]


def tasks_of(client, window_id):
    summaries = paginate(client, "describe_maintenance_window_tasks", "Tasks", WindowId=window_id, MaxResults=100)
    tasks = []
    for summary in summaries:
        task = client.get_maintenance_window_task(
            aws_retry=True, WindowId=window_id, WindowTaskId=summary["WindowTaskId"]
        )
        task.pop("ResponseMetadata", None)
        tasks.append(task_from_api(task))
    return sorted(tasks, key=lambda task: (task.get("priority") or 0, task.get("name") or "", task["window_task_id"]))


def describe(client, arns, window, executions):
    window_id = window["WindowId"]
    result = to_result(from_api(window), window_id, get_tags(client, RESOURCE_TYPE, window_id), window)
    result["arn"] = arns.maintenance_window(window_id)
    result["targets"] = sorted(
        targets_of(client, window_id), key=lambda t: (t.get("name") or "", t["window_target_id"])
    )
    for target in result["targets"]:
        target["arn"] = arns.window_target(target["window_target_id"])
    result["tasks"] = tasks_of(client, window_id)
    for task in result["tasks"]:
        task["arn"] = arns.window_task(task["window_task_id"])
    if executions:
        result["executions"] = recent_executions(client, window_id, executions)
    return result


def main():
    module = PatchModelModule(
        argument_spec=dict(
            name=dict(type="str"),
            window_id=dict(type="str"),
            filters=dict(type="dict"),
            executions=dict(type="int", default=0),
            include_sensitive=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("window_id", "name"), ("window_id", "filters")],
        supports_check_mode=True,
    )
    module.fail_on_problems(option_problems(RequestChecker(), module.params))
    client = module.ssm_client()
    try:
        windows, arns = [], Arns(module)
        for window_id in window_ids(client, module.params):
            # A window deleted between the listing and this read is simply not reported.
            window = get_window(client, window_id)
            if window is not None:
                windows.append(describe(client, arns, window, module.params["executions"]))
    except (BotoCoreError, ClientError) as error:
        module.fail_json_aws(error, msg="Failed to read maintenance windows")
    result = {"windows": sorted(windows, key=lambda w: (w["name"], w["window_id"]))}
    if not module.params["include_sensitive"]:
        result = masked(result, result_paths("ssm_maintenance_window_info"))
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
