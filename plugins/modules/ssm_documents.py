#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_documents
version_added: 2.0.0
short_description: Manage many AWS Systems Manager documents in one run
description:
  - Create, update (new versions) and delete SSM documents, each with the options and behaviour of
    M(patchmodel.ssm.ssm_document), in one module run, side by side (O(max_workers)).
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  documents:
    description:
      - The documents. Each takes the options of M(patchmodel.ssm.ssm_document) except C(purge_tags), which
        O(purge_tags) sets for all.
    type: list
    elements: dict
    default: []
extends_documentation_fragment:
  - patchmodel.ssm.section
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes
"""

EXAMPLES = r"""
- name: Apply the hook documents of a model
  patchmodel.ssm.ssm_documents:
    documents:
      - name: Pre-patch-WebServer-Document
        content: "{{ lookup('ansible.builtin.file', 'pre-patch-hook.yml') }}"
      - name: Post-install-WebServer-Document
        content: "{{ lookup('ansible.builtin.file', 'post-install-hook.yml') }}"
    tags:
      patchmodel:model: webserver-prd
"""

RETURN = r"""
changed_resources:
  description: What changed, one line per changed resource (its kind and name, then created, updated or deleted).
  returned: always
  type: list
  elements: str
  sample: ["SSM document 'Pre-patch-WebServer-Document': updated"]
resources:
  description:
    - One result per resource, in the order of the items; the notes say what each holds.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.sections import documents_spec, run_documents


def argument_spec():
    return documents_spec()


def main():
    run_documents(PatchModelModule(argument_spec=argument_spec(), supports_check_mode=True))


if __name__ == "__main__":
    main()
