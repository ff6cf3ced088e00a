#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_window_target
version_added: 1.0.0
short_description: Register targets with AWS Systems Manager maintenance windows
description:
  - Register, update in place and deregister the targets of an AWS Systems Manager maintenance window,
    the managed nodes its tasks run on, selected by instance id, tag or resource group.
  - A window target is identified by O(name) within its O(window). AWS does not keep these names unique;
    when several targets of the window share the name the module fails and lists their ids.
  - Updates use C(UpdateMaintenanceWindowTarget) with C(Replace=true) and the full desired state, so the
    target keeps its id and the tasks that name it. A target is never deregistered and registered again;
    only O(resource_type) cannot change, and asking for another one fails.
  - Every option is validated before any call, including the target keys and values AWS accepts.
  - In check mode the window may not exist yet (an earlier task of the same run would create it); the module
    then reports the target it would register.
  - Use M(patchmodel.ssm.ssm_window_task) to register tasks that run on these targets.
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  window:
    description:
      - The maintenance window, by name or by id (V(mw-0c50858d01EXAMPLE)).
      - When several windows share the name the module fails and lists their ids.
    type: str
    required: true
  name:
    description:
      - Name of the window target, 3 to 128 characters of V(a-z), V(A-Z), V(0-9), V(_), V(-) and V(.).
      - Identifies the target within the window, unless O(window_target_id) is given; then a different
        name renames the target.
    type: str
    required: true
  window_target_id:
    description:
      - Id of an existing window target (a UUID), for when several targets share O(name).
    type: str
  state:
    description:
      - V(present) registers or updates the target; V(absent) deregisters it.
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - Description of the target, 1 to 128 characters. V("") removes it.
      - C(no_log), because AWS marks this field sensitive; results and diffs show it masked.
    type: str
  resource_type:
    description:
      - What the target selects. AWS cannot change it once the target is registered.
      - Defaults to V(RESOURCE_GROUP) when O(targets) use a C(resource-groups:) key, and to V(INSTANCE) otherwise.
    type: str
    choices: [INSTANCE, RESOURCE_GROUP]
  owner_information:
    description:
      - Text, 1 to 128 characters, included in the EventBridge events raised while tasks run on these targets.
        V("") removes it.
      - C(no_log), because AWS marks this field sensitive; results and diffs show it masked.
    type: str
  force:
    description:
      - With O(state=absent), deregister the target even when tasks still name it (AWS then leaves those
        tasks without this target). Without it, AWS refuses and the module reports the tasks.
    type: bool
    default: false
extends_documentation_fragment:
  - patchmodel.ssm.targets
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes
"""

EXAMPLES = r"""
- name: Register the production web servers (tag Patch Group = WebServer-Prd) with the window
  patchmodel.ssm.ssm_window_target:
    window: Patch-WebServer-Prd
    name: WebServer-Prd
    description: The target is the Web Server in production
    owner_information: The A-Engineering Team
    resource_type: INSTANCE
    targets:
      - key: tag:Patch Group
        values:
          - WebServer-Prd

- name: Register the Windows Server 2016 instances of the Windows demo
  patchmodel.ssm.ssm_window_target:
    window: Patch-Windows-Server-2016
    name: Windows-Server-2016-Base
    targets:
      - key: tag:Patch Group
        values:
          - Windows Server 2016 Base

- name: Preview a change of owner without making it
  patchmodel.ssm.ssm_window_target:
    window: Patch-WebServer-Prd
    name: WebServer-Prd
    owner_information: The B-Engineering Team
  check_mode: true
  diff: true
  register: webserver_target_preview

- name: Deregister the target
  patchmodel.ssm.ssm_window_target:
    window: Patch-WebServer-Prd
    name: WebServer-Prd
    state: absent
"""

RETURN = r"""
window_target:
  description:
    - The window target after the run (as it would be, in check mode), in the shape of the module's options.
    - Empty when O(state=absent).
    - Values AWS marks sensitive (RV(window_target.description), RV(window_target.owner_information)) show as
      V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER). In the C(--diff) output such a value that changes shows as
      V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER (changed)). The module compares the real values.
  returned: always
  type: dict
  contains:
    window_id:
      description: Id of the window; V(null) in check mode when the window does not exist yet.
      type: str
      sample: mw-0c50858d01EXAMPLE
    window_target_id:
      description: Id of the target; V(null) for a target check mode would register.
      type: str
      sample: e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE
    name:
      description: Name of the target.
      type: str
      sample: WebServer-Prd
    description:
      description: Description of the target, masked; V(null) when it has none.
      type: str
      sample: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
    resource_type:
      description: V(INSTANCE) or V(RESOURCE_GROUP).
      type: str
      sample: INSTANCE
    owner_information:
      description: Owner information, masked; V(null) when there is none.
      type: str
      sample: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER
    targets:
      description: The selectors, each a C(key) and its C(values).
      type: list
      elements: dict
      sample: [{"key": "tag:Patch Group", "values": ["WebServer-Prd"]}]
"""

import uuid

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.patchmodel.ssm.plugins.module_utils import targets as target_utils
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.diff import resource_diff
from ansible_collections.patchmodel.ssm.plugins.module_utils.sensitive import mask_problems, masked, result_paths
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import exactly_one, paginate, write_once
from ansible_collections.patchmodel.ssm.plugins.module_utils.window import find_parent_window

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing dependency

FIELDS = ("name", "description", "resource_type", "owner_information", "targets")
CLEARABLE = ("description", "owner_information")
SENSITIVE = result_paths("ssm_window_target")
# UpdateMaintenanceWindowTarget needs ids; these stand in for them when checking options alone.
_PLACEHOLDER_IDS = {"WindowId": "mw-00000000000000000", "WindowTargetId": "00000000-0000-0000-0000-000000000000"}


def argument_spec():
    return dict(
        window=dict(type="str", required=True),
        name=dict(type="str", required=True),
        window_target_id=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str", no_log=True),
        resource_type=dict(type="str", choices=["INSTANCE", "RESOURCE_GROUP"]),
        owner_information=dict(type="str", no_log=True),
        targets=target_utils.targets_spec(),
        force=dict(type="bool", default=False),
    )


# --- form


def from_api(target):
    return {
        "name": target.get("Name"),
        "description": target.get("Description"),
        "resource_type": target.get("ResourceType"),
        "owner_information": target.get("OwnerInformation"),
        "targets": target_utils.from_api(target.get("Targets")),
    }


def merge(current, params):
    """Desired target: options over the current one (None keeps; "" removes a text field)."""
    desired = {field: (current or {}).get(field) if params.get(field) is None else params[field] for field in FIELDS}
    for field in CLEARABLE:
        desired[field] = desired[field] or None
    desired["targets"] = [{"key": t["key"], "values": list(t["values"])} for t in desired["targets"] or []]
    desired["resource_type"] = desired["resource_type"] or target_utils.implied_resource_type(desired["targets"])
    return desired


def changed_fields(current, desired):
    return [
        field
        for field in FIELDS
        if (target_utils.canonical(current[field]) if field == "targets" else current[field])
        != (target_utils.canonical(desired[field]) if field == "targets" else desired[field])
    ]


def to_request(form):
    request = {"Name": form["name"], "Targets": target_utils.to_api(form["targets"])}
    for field, api in (("description", "Description"), ("owner_information", "OwnerInformation")):
        if form.get(field):
            request[api] = form[field]
    return request


def to_result(form, window_id, window_target_id):
    return {"window_id": window_id, "window_target_id": window_target_id, **form} if form else {}


# --- checks


def option_problems(checker, params):
    """Every problem in the options alone, before any call."""
    problems = target_utils.window_target_problems(params["targets"], params["resource_type"])
    if params["window_target_id"] and not target_utils.WINDOW_TARGET_ID.match(params["window_target_id"]):
        problems.append(f"window_target_id: '{params['window_target_id']}' is not a window target id (a UUID)")
    reported = {problem.split(":", 1)[0] for problem in problems}
    request = {"Name": params["name"], **_PLACEHOLDER_IDS}
    for field, api in (("description", "Description"), ("owner_information", "OwnerInformation")):
        if params[field]:
            request[api] = params[field]
    if params["targets"] is not None:
        request["Targets"] = target_utils.to_api(params["targets"])
    found = checker.problems("UpdateMaintenanceWindowTarget", request)
    return problems + [problem for problem in found if problem.split(":", 1)[0] not in reported]


def state_problems(params, current, desired):
    """Rules that need the current target (None when it does not exist yet), checked before any write."""
    if current is None:
        return [] if desired["targets"] else ["targets: required to register a window target"]
    problems = []
    if params["resource_type"] and params["resource_type"] != current["resource_type"]:
        problems.append(
            f"resource_type: the target is {current['resource_type']}, and AWS cannot change it in place; "
            "deregister it (state=absent) and register it again"
        )
    if params["targets"] is not None:
        problems += target_utils.window_target_problems(params["targets"], current["resource_type"])
    return problems


# --- reads and writes


def find_target(module, client, window_id):
    """The window target (DescribeMaintenanceWindowTargets entry) the options name, or None."""
    registered = paginate(client, "describe_maintenance_window_targets", "Targets", WindowId=window_id)
    wanted_id = module.params["window_target_id"]
    if wanted_id:
        return next((target for target in registered if target["WindowTargetId"] == wanted_id), None)
    # AWS has no Name filter for window targets: match names here.
    name = module.params["name"]
    matches = [target for target in registered if target.get("Name") == name]
    return exactly_one(module, matches, "maintenance window target", name, "WindowTargetId")


def ensure_absent(module, client, window_id, current):
    if current is None:
        return False, {}
    if not module.check_mode:
        try:
            # DoesNotExist on a retry: the first attempt deregistered it and its answer was lost.
            write_once(
                client.deregister_target_from_maintenance_window,
                "DoesNotExistException",
                WindowId=window_id,
                WindowTargetId=current["WindowTargetId"],
                Safe=not module.params["force"],
            )
        except is_boto3_error_code("TargetInUseException") as error:
            module.fail_json_aws(
                error,
                msg=f"Window target {current['WindowTargetId']} is still named by tasks of window {window_id}; "
                "remove those tasks first, or set force=true",
            )
    return True, {}


def ensure_present(module, client, window_id, current):
    params = module.params
    current_form = from_api(current) if current else None
    desired = merge(current_form, params)
    module.fail_on_problems(state_problems(params, current_form, desired))
    request = to_request(desired)
    if current is None:
        target_id = None
        if not module.check_mode:
            response = client.register_target_with_maintenance_window(
                aws_retry=True,
                WindowId=window_id,
                ResourceType=desired["resource_type"],
                ClientToken=str(uuid.uuid4()),
                **request,
            )
            target_id = response["WindowTargetId"]
        return True, to_result(desired, window_id, target_id)
    target_id = current["WindowTargetId"]
    if not changed_fields(current_form, desired):
        return False, to_result(current_form, window_id, target_id)
    if not module.check_mode:
        response = client.update_maintenance_window_target(
            aws_retry=True, WindowId=window_id, WindowTargetId=target_id, Replace=True, **request
        )
        desired = from_api({**response, "ResourceType": current["ResourceType"]})
    return True, to_result(desired, window_id, target_id)


def main():
    module = PatchModelModule(argument_spec=argument_spec(), supports_check_mode=True)
    params = module.params
    client = module.ssm_client()
    try:
        module.fail_on_problems(mask_problems("ssm_window_target", params) + option_problems(RequestChecker(), params))
        window_id = find_parent_window(module, client)
        current = find_target(module, client, window_id) if window_id else None
        if current is None and params["window_target_id"] and params["state"] == "present" and window_id:
            module.fail_json(msg=f"Maintenance window {window_id} has no target {params['window_target_id']}")
        before = to_result(from_api(current), window_id, current["WindowTargetId"]) if current else {}
        if params["state"] == "absent":
            changed, after = ensure_absent(module, client, window_id, current)
        else:
            changed, after = ensure_present(module, client, window_id, current)
    except (BotoCoreError, ClientError) as error:
        module.fail_json_aws(error, msg="Failed to manage the maintenance window target")
    result = {"changed": changed, "window_target": masked(after, SENSITIVE)}
    if module._diff:
        result["diff"] = resource_diff(before, after, SENSITIVE)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
