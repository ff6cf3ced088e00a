#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_maintenance_windows
version_added: 2.0.0
short_description: Manage many AWS Systems Manager maintenance windows with their targets and tasks in one run
description:
  - Create, update in place and delete maintenance windows together with the targets and tasks registered with
    them, each with the options and behaviour of M(patchmodel.ssm.ssm_maintenance_window),
    M(patchmodel.ssm.ssm_window_target) and M(patchmodel.ssm.ssm_window_task), in one module run.
  - Windows run side by side (O(max_workers)); within a window, the window first, then its targets, then its
    tasks, which name the targets.
  - Use it to apply a whole model section fast; the singular modules remain for single resources.
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  windows:
    description:
      - The windows. Each takes the options of M(patchmodel.ssm.ssm_maintenance_window) (except C(purge_tags), see
        O(purge_tags)), plus C(targets) and C(tasks).
      - C(targets) lists the window's targets, each with the options of M(patchmodel.ssm.ssm_window_target) but
        C(window).
      - C(tasks) lists the window's tasks, each with the options of M(patchmodel.ssm.ssm_window_task) but C(window).
      - A window with C(state=absent) is deleted with its targets and tasks; its C(targets) and C(tasks) are then
        not applied.
    type: list
    elements: dict
    default: []
  default_service_role_arn:
    description:
      - Service role of the tasks that do not set their own C(service_role_arn). Left unset, such tasks use the
        Systems Manager service-linked role.
    type: str
extends_documentation_fragment:
  - patchmodel.ssm.section
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes
"""

EXAMPLES = r"""
- name: Apply the maintenance windows of a model, with their targets and tasks
  patchmodel.ssm.ssm_maintenance_windows:
    windows:
      - name: Patch-WebServer-Prd
        schedule: cron(0 0 22 ? * SAT *)
        schedule_timezone: Australia/Sydney
        duration: 4
        cutoff: 1
        targets:
          - name: WebServer-Prd
            targets:
              - key: tag:Patch Group
                values: [WebServer-Prd]
        tasks:
          - name: Patch-WebServer-Prd
            task_type: RUN_COMMAND
            task_arn: AWS-RunPatchBaseline
            window_targets: [WebServer-Prd]
            max_concurrency: "1"
            max_errors: "1"
            run_command:
              parameters:
                Operation: Install
    tags:
      patchmodel:model: webserver-prd
  register: windows_applied

- name: Show what changed
  ansible.builtin.debug:
    var: windows_applied.changed_resources
"""

RETURN = r"""
changed_resources:
  description: What changed, one line per changed resource (its kind and name, then created, updated or deleted).
  returned: always
  type: list
  elements: str
  sample: ["maintenance window 'Patch-WebServer-Prd': updated"]
resources:
  description:
    - One result per resource, in the order of the items (a window before its targets and tasks); the notes say
      what each holds.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.sections import run_windows, windows_spec


def argument_spec():
    return windows_spec()


def main():
    run_windows(PatchModelModule(argument_spec=argument_spec(), supports_check_mode=True))


if __name__ == "__main__":
    main()
