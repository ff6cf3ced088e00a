#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_patch_baseline
version_added: 1.0.0
short_description: Manage AWS Systems Manager Patch Manager patch baselines
description:
  - Create, update in place and delete custom patch baselines of AWS Systems Manager Patch Manager.
  - Register the baseline for patch groups and make it the default baseline of its operating system.
  - Updates use C(UpdatePatchBaseline) with C(Replace=true) and the full desired state, so the baseline
    keeps its id, patch groups and tags. A baseline is never deleted and re-created; only the operating
    system cannot change, and asking for another one fails.
  - Every option is validated before any call that changes anything, including the patch filter keys
    and values valid for the operating system.
  - AWS-owned (predefined) baselines, named C(AWS-...) or addressed by ARN, can be read, registered for
    patch groups and made the default again, but never changed or deleted.
  - Use M(patchmodel.ssm.ssm_patch_baseline_info) to read baselines without changing them.
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  name:
    description:
      - Name of the patch baseline, 3 to 128 characters of V(a-z), V(A-Z), V(0-9), V(_), V(-) and V(.).
      - Identifies the baseline when O(baseline_id) is not given. AWS does not keep names unique; when
        several baselines share the name the module fails and lists their ids.
      - With O(baseline_id), a different name renames the baseline.
      - Required to create a baseline. Names starting with V(AWS-) belong to AWS-owned baselines.
    type: str
  baseline_id:
    description:
      - Id of an existing baseline, such as V(pb-0c10e65780EXAMPLE), or the ARN of an AWS-owned baseline.
      - Takes precedence over O(name) to identify the baseline.
    type: str
  state:
    description:
      - V(present) creates or updates the baseline; V(absent) deletes it after deregistering its patch
        groups and, when it is the default, restoring the AWS-owned default for its operating system.
    type: str
    choices: [present, absent]
    default: present
  operating_system:
    description:
      - Operating system the baseline applies to.
      - Required to create a baseline; it is never assumed. It cannot change afterwards.
  description:
    description:
      - Description of the baseline, 1 to 1024 characters. V("") removes it.
    type: str
  approval_rules:
    description:
      - Rules that auto-approve patches, at most 10, kept in the given order.
      - V([]) removes every rule. Each rule needs O(approval_rules[].approve_after_days) or
        O(approval_rules[].approve_until_date), not both (neither is needed for V(DEBIAN) and V(UBUNTU)).
    type: list
    elements: dict
    suboptions:
      patch_filters:
        description:
          - Up to 4 filters; a patch matches when it matches all of them.
          - Keys valid for the operating system only, for example V(PRODUCT), V(CLASSIFICATION) and
            V(SEVERITY) on Amazon Linux, V(PRODUCT), V(PRODUCT_FAMILY), V(CLASSIFICATION), V(MSRC_SEVERITY)
            and V(PATCH_SET) on Windows, V(PRODUCT), V(SECTION) and V(PRIORITY) on Ubuntu and Debian.
        type: list
        elements: dict
        required: true
        suboptions:
          key:
            description: The patch property to filter on, such as V(CLASSIFICATION).
            type: str
            required: true
          values:
            description:
              - 1 to 20 values; V(*) alone matches every value.
              - Where AWS documents the values (classifications and severities), only those are accepted.
            type: list
            elements: str
            required: true
      approve_after_days:
        description: Days after a patch's release until it is approved, 0 to 360.
        type: int
      approve_until_date:
        description: Patches released on or before this date (V(YYYY-MM-DD)) are approved.
        type: str
      compliance_level:
        description: Compliance severity reported for missing patches approved by this rule.
        type: str
        choices: [CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED]
        default: UNSPECIFIED
      enable_non_security:
        description: Also install non-security updates from the repositories (Linux only).
        type: bool
        default: false
  approved_patches:
    description:
      - Patches approved explicitly, at most 50, in the format of the operating system's package manager.
      - Compared as a set. V([]) removes them all.
    type: list
    elements: str
  approved_patches_compliance_level:
    description: Compliance severity of missing approved patches. AWS's default is V(UNSPECIFIED).
    type: str
    choices: [CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED]
  approved_patches_enable_non_security:
    description: Whether the approved patches include non-security updates (Linux only). AWS's default is V(false).
    type: bool
  rejected_patches:
    description: Patches rejected explicitly, at most 50; compared as a set. V([]) removes them all.
    type: list
    elements: str
  rejected_patches_action:
    description:
      - V(ALLOW_AS_DEPENDENCY) installs a rejected patch when another package needs it; V(BLOCK) never does.
      - AWS's default is V(ALLOW_AS_DEPENDENCY).
    type: str
    choices: [ALLOW_AS_DEPENDENCY, BLOCK]
  global_filters:
    description: Filters, at most 4, that patches must pass before any approval rule applies. V([]) removes them.
    type: list
    elements: dict
    suboptions:
      key:
        description: The patch property to filter on; the same keys as in approval rules.
        type: str
        required: true
      values:
        description: 1 to 20 values; V(*) alone matches every value.
        type: list
        elements: str
        required: true
  sources:
    description:
      - Alternative patch source repositories (Linux only), at most 20. V([]) removes them.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the source, 3 to 50 characters of V(a-z), V(A-Z), V(0-9), V(_), V(-) and V(.).
        type: str
        required: true
      products:
        description: Operating system versions the source applies to, such as V(AmazonLinux2).
        type: list
        elements: str
        required: true
      configuration:
        description:
          - The repository configuration, in the format of the package manager (for example a yum repo file).
          - C(no_log), because AWS marks this field sensitive (it may hold credentials); results and diffs show it
            masked.
        type: str
        required: true
  available_security_updates_compliance_status:
    description:
      - Compliance status of nodes with security updates that are available but not approved (Windows only).
    type: str
    choices: [COMPLIANT, NON_COMPLIANT]
  patch_groups:
    description:
      - Patch groups (values of the C(Patch Group) or C(PatchGroup) instance tag) to register the baseline for.
      - A patch group holds one baseline per operating system. A group registered with another baseline of
        the same operating system is moved to this one, and RV(moved_patch_groups) says so.
      - When not set, registrations are left alone.
    type: list
    elements: str
  purge_patch_groups:
    description: Deregister the baseline from patch groups not in O(patch_groups).
    type: bool
    default: true
  default_baseline:
    description:
      - V(true) makes the baseline the default for its operating system.
      - V(false) on the current default restores the AWS-owned default of the operating system.
      - When not set, the default is left alone.
    type: bool
notes:
  - Patch filter values, approved and rejected patches, and source products are compared as sets, as AWS
    treats them; approval rules are compared in order.
  - Options left unset keep their current value on update.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - patchmodel.ssm.attributes
  - patchmodel.ssm.patch_baseline
"""

EXAMPLES = r"""
# Step 1 of the Amazon Linux 2 patching model: all products, classifications and severities,
# approved at once, non-security updates included, new Amazon Linux releases blocked.
- name: Create the custom Amazon Linux 2 patch baseline
  patchmodel.ssm.ssm_patch_baseline:
    name: AmazonLinux2AllPatchesBaseline
    description: Amazon Linux2 All Patches Baseline
    operating_system: AMAZON_LINUX_2
    approval_rules:
      - patch_filters:
          - key: PRODUCT
            values: ["*"]
          - key: CLASSIFICATION
            values: ["*"]
          - key: SEVERITY
            values: ["*"]
        approve_after_days: 0
        compliance_level: UNSPECIFIED
        enable_non_security: true
    rejected_patches:
      - system-release.*
    rejected_patches_action: BLOCK
    # Step 2: instances tagged "Patch Group: WebServer-Prd" use this baseline.
    patch_groups:
      - WebServer-Prd

# The Windows Server 2016 walkthrough: security updates rated Critical or Important, after 3 days.
- name: Create the custom Windows Server 2016 patch baseline
  patchmodel.ssm.ssm_patch_baseline:
    name: WindowsServer2016Baseline
    operating_system: WINDOWS
    approval_rules:
      - patch_filters:
          - key: PRODUCT
            values: [WindowsServer2016]
          - key: CLASSIFICATION
            values: [SecurityUpdates]
          - key: MSRC_SEVERITY
            values: [Critical, Important]
        approve_after_days: 3
    patch_groups:
      - Windows Server 2016 Base
  register: windows_baseline

- name: Make the Amazon Linux 2 baseline the default for Amazon Linux 2
  patchmodel.ssm.ssm_patch_baseline:
    name: AmazonLinux2AllPatchesBaseline
    default_baseline: true

- name: Preview a change without making it
  patchmodel.ssm.ssm_patch_baseline:
    name: AmazonLinux2AllPatchesBaseline
    rejected_patches_action: ALLOW_AS_DEPENDENCY
  check_mode: true
  diff: true

- name: Delete the Windows baseline (patch groups deregistered first)
  patchmodel.ssm.ssm_patch_baseline:
    baseline_id: "{{ windows_baseline.baseline.baseline_id }}"
    state: absent
"""

RETURN = r"""
baseline:
  description:
    - The patch baseline as the run leaves it (in check mode, as a real run would leave it), with its settings in
      the shape of the module's options, its id, patch groups, default flag, tags, owner and dates.
    - Empty when O(state=absent).
  returned: always
  type: dict
  contains:
    baseline_id:
      description: Id of the baseline (an ARN for AWS-owned baselines); V(null) for a baseline check mode would create.
      type: str
      sample: pb-0c10e65780EXAMPLE
    arn:
      description:
        - ARN of the baseline, C(arn:<partition>:ssm:<region>:<account>:patchbaseline/<baseline_id>),
          in the partition of the caller's credentials (C(aws), C(aws-cn), C(aws-us-gov)), read with
          C(sts:GetCallerIdentity), which needs no permission.
        - An AWS-owned baseline's id already is its ARN, in AWS's account; it is returned as it is.
        - Left out for a baseline check mode would create, which has no id yet.
      returned: when the baseline exists
      type: str
      sample: arn:aws:ssm:us-east-1:123456789012:patchbaseline/pb-0c10e65780EXAMPLE
    name:
      description: Name of the baseline.
      type: str
      sample: AmazonLinux2AllPatchesBaseline
    operating_system:
      description: Operating system of the baseline.
      type: str
      sample: AMAZON_LINUX_2
    description:
      description: Description of the baseline, V(null) when it has none.
      type: str
      sample: Amazon Linux2 All Patches Baseline
    approval_rules:
      description:
        - Approval rules in order, each with C(patch_filters) (C(key), C(values)), C(approve_after_days),
          C(approve_until_date), C(compliance_level) and C(enable_non_security).
      type: list
      elements: dict
      sample:
        - patch_filters: [{key: PRODUCT, values: ["*"]}, {key: CLASSIFICATION, values: ["*"]}]
          approve_after_days: 0
          approve_until_date: null
          compliance_level: UNSPECIFIED
          enable_non_security: true
    global_filters:
      description: Global filters, as a list of C(key) and C(values).
      type: list
      elements: dict
      sample: []
    approved_patches:
      description: Explicitly approved patches.
      type: list
      elements: str
      sample: []
    approved_patches_compliance_level:
      description: Compliance severity of missing approved patches.
      type: str
      sample: UNSPECIFIED
    approved_patches_enable_non_security:
      description: Whether approved patches include non-security updates.
      type: bool
      sample: false
    rejected_patches:
      description: Explicitly rejected patches.
      type: list
      elements: str
      sample: [system-release.*]
    rejected_patches_action:
      description: What happens to rejected patches other packages depend on.
      type: str
      sample: BLOCK
    sources:
      description:
        - Alternative patch sources with C(name), C(products) and C(configuration).
        - C(configuration), which AWS marks sensitive, shows as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER); in the
          C(--diff) output one that changes shows as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER (changed)).
      type: list
      elements: dict
      sample: []
    available_security_updates_compliance_status:
      description: Compliance status for available but unapproved security updates (Windows), or V(null).
      type: str
      sample: null
    patch_groups:
      description: Patch groups the baseline is registered for, sorted.
      type: list
      elements: str
      sample: [WebServer-Prd]
    default_baseline:
      description: Whether the baseline is the default for its operating system.
      type: bool
      sample: false
    tags:
      description: Tags of the baseline (always empty for AWS-owned baselines).
      type: dict
      sample: {Environment: production}
    owner:
      description: V(Self) for custom baselines, V(AWS) for AWS-owned ones.
      type: str
      sample: Self
    created_date:
      description: When the baseline was created (ISO 8601), V(null) in check mode before creation.
      type: str
      sample: "2024-07-06T20:00:00+00:00"
    modified_date:
      description: When the baseline was last modified (ISO 8601).
      type: str
      sample: "2024-07-06T20:00:00+00:00"
moved_patch_groups:
  description: Patch groups that were registered with another baseline of the same operating system and were moved.
  returned: always
  type: list
  elements: dict
  sample:
    - patch_group: WebServer-Prd
      from_baseline_id: pb-0123456789abcdef0
      from_baseline_name: OldAmazonLinux2Baseline
"""

from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_resource import Baseline
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import run


def argument_spec():
    return Baseline.argument_spec()


def main():
    module = PatchModelModule(argument_spec=argument_spec(), supports_check_mode=True, **Baseline.rules)
    run(module, Baseline)


if __name__ == "__main__":
    main()
