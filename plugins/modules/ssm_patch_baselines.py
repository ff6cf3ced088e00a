#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_patch_baselines
version_added: 2.0.0
short_description: Manage many AWS Systems Manager patch baselines in one run
description:
  - Create, update in place and delete patch baselines, their patch groups and default-baseline registrations,
    each with the options and behaviour of M(patchmodel.ssm.ssm_patch_baseline), in one module run.
  - Baselines of different operating systems run side by side (O(max_workers)); those of one operating system run
    in order, since a patch group and the default belong to one baseline per operating system.
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  baselines:
    description:
      - The baselines. Each takes the options of M(patchmodel.ssm.ssm_patch_baseline) except C(purge_tags) and
        C(purge_patch_groups), which O(purge_tags) and O(purge_patch_groups) set for all.
    type: list
    elements: dict
    default: []
  purge_patch_groups:
    description:
      - Deregister each baseline from patch groups not in its C(patch_groups), when it sets C(patch_groups).
    type: bool
    default: true
extends_documentation_fragment:
  - patchmodel.ssm.section
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes
"""

EXAMPLES = r"""
- name: Apply the patch baselines of a model
  patchmodel.ssm.ssm_patch_baselines:
    baselines:
      - name: AmazonLinux2-WebServer-Prd
        operating_system: AMAZON_LINUX_2
        approval_rules:
          - approve_after_days: 7
            patch_filters:
              - key: CLASSIFICATION
                values: [Security]
        patch_groups: [WebServer-Prd]
    tags:
      patchmodel:model: webserver-prd
"""

RETURN = r"""
changed_resources:
  description: What changed, one line per changed resource (its kind and name, then created, updated or deleted).
  returned: always
  type: list
  elements: str
  sample: ["patch baseline 'AmazonLinux2-WebServer-Prd': updated"]
resources:
  description:
    - One result per resource, in the order of the items; the notes say what each holds.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.sections import baselines_spec, run_baselines


def argument_spec():
    return baselines_spec()


def main():
    run_baselines(PatchModelModule(argument_spec=argument_spec(), supports_check_mode=True))


if __name__ == "__main__":
    main()
