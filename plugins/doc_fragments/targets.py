# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The `targets` option of ssm_window_target; its spec and checks are in module_utils/targets.py.
    DOCUMENTATION = r"""
options:
  targets:
    description:
      - The nodes the window target selects, at most 5 selectors; a node must match every selector.
      - Each selector is a O(targets[].key) and up to 50 O(targets[].values).
      - Keys AWS accepts for window targets, each with the values it takes, are listed below.
      - V(InstanceIds) with instance ids such as V(i-0123456789abcdef0) or V(mi-0123456789abcdef0).
      - V(tag:<tag key>) with the tag values to match, such as V(tag:Patch Group) with V(WebServer-Prd).
      - V(tag-key) with tag keys that must be present.
      - V(resource-groups:Name) with one resource group name.
      - V(resource-groups:ResourceTypeFilters) with resource types such as V(AWS::EC2::Instance).
      - The two C(resource-groups:) keys need O(resource_type=RESOURCE_GROUP); the others O(resource_type=INSTANCE).
      - Compared as sets; the order of selectors and of values does not matter.
      - Required to register a target. Left out, the targets of an existing window target stay as they are.
    type: list
    elements: dict
    suboptions:
      key:
        description:
          - What to match, one of the keys listed for O(targets). Keys are case-sensitive.
        type: str
        required: true
      values:
        description:
          - The values to match for O(targets[].key), 1 to 50 of them.
        type: list
        elements: str
        required: true
"""

    # The `targets` option of ssm_window_task.
    WINDOW_TASK = r"""
options:
  targets:
    description:
      - What the task runs on, given directly as at most 5 selectors. Mutually exclusive with O(window_targets),
        which names registered window targets and is usually what you want.
      - Keys AWS accepts for tasks, each with the values it takes, are listed below.
      - V(InstanceIds) with instance ids such as V(i-0123456789abcdef0) or V(mi-0123456789abcdef0).
      - V(WindowTargetIds) with the ids of window targets registered with the same window.
      - To select nodes by tag or resource group, register a window target (M(patchmodel.ssm.ssm_window_target))
        and name it in O(window_targets).
      - Compared as sets; the order of selectors and of values does not matter.
      - V([]) makes the task targetless, which AWS allows for every task type but V(RUN_COMMAND).
      - Left out (with O(window_targets) left out too), the targets of an existing task stay as they are.
    type: list
    elements: dict
    suboptions:
      key:
        description:
          - V(InstanceIds) or V(WindowTargetIds), spelled exactly so.
        type: str
        required: true
      values:
        description:
          - The instance ids or the window target ids the task runs on, 1 to 50 of them.
        type: list
        elements: str
        required: true
"""
