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
  - patchmodel.ssm.window_part
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
    arn:
      description:
        - ARN of the target, C(arn:<partition>:ssm:<region>:<account>:windowtarget/<window_target_id>),
          in the partition of the caller's credentials (C(aws), C(aws-cn), C(aws-us-gov)), read with
          C(sts:GetCallerIdentity), which needs no permission.
        - Left out for a target check mode would register, which has no id yet.
      returned: when the target exists
      type: str
      sample: arn:aws:ssm:us-east-1:123456789012:windowtarget/e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE
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

from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import run
from ansible_collections.patchmodel.ssm.plugins.module_utils.window_target import WindowTarget


def argument_spec():
    return WindowTarget.argument_spec()


def main():
    module = PatchModelModule(argument_spec=argument_spec(), supports_check_mode=True, **WindowTarget.rules)
    run(module, WindowTarget)


if __name__ == "__main__":
    main()
