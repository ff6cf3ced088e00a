#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_baseline_preview_info
version_added: 2.0.0
short_description: Preview which patches a Patch Manager patch baseline approves, before any scan
description:
  - Lists the patches AWS knows (C(DescribeAvailablePatches)) and evaluates a patch baseline's rules on them locally,
    to say which patches the baseline approves today and, for each patch still pending, the day it becomes approved.
  - The baseline is an existing one (O(name) or O(baseline_id)), or the options of one not yet created, as
    M(patchmodel.ssm.ssm_patch_baseline) takes them (O(operating_system), O(approval_rules), O(global_filters), the
    approved and rejected patch lists).
  - "The rules are evaluated as the Patch Manager user guide describes them: patch filters (exact values or V(*));
    O(approval_rules[].approve_after_days) counted from the release instant in UTC;
    O(approval_rules[].approve_until_date) approving on release the patches released up to the end of that day (UTC);
    the approved list
    (O(approved_patches), at O(approved_patches_compliance_level)); the rejected list, which overrides both rules and
    the approved list; each rule's compliance level."
  - For an existing V(WINDOWS) baseline it also reads C(DescribeEffectivePatchesForPatchBaseline), which AWS answers
    for Windows baselines only, and reports every patch where AWS and the local evaluation disagree in
    RV(differences).
  - C(DescribeAvailablePatches) lists the patches of Windows Server, Amazon Linux and Amazon Linux 2 only, so only
    baselines of V(WINDOWS), V(AMAZON_LINUX) and V(AMAZON_LINUX_2) can be previewed.
  - Every option is checked before any call. The module only reads.
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  name:
    description:
      - Name of an existing baseline to preview, custom or AWS-owned. A name several baselines share fails, listing
        their ids.
      - Mutually exclusive with O(baseline_id) and with the options of a baseline not yet created.
    type: str
  baseline_id:
    description:
      - Id of an existing baseline, such as V(pb-0c10e65780EXAMPLE), or the ARN of an AWS-owned one.
    type: str
  product:
    description:
      - The product to preview, as Patch Manager names it, such as V(WindowsServer2016), V(AmazonLinux2) or
        V(AmazonLinux2018.03).
      - Required for Amazon Linux, for which AWS lists patches of one product at a time. On Windows, leave it out to
        preview every product; the comparison with AWS's effective patches is then made for every product too.
    type: str
  as_of:
    description:
      - The instant the preview is for, as an ISO 8601 date (V(2025-11-16), meaning 00:00 UTC that day) or date and
        time (V(2025-11-16T18:00:00Z); UTC when no offset is given). Patches whose approval date is not after it are
        approved; later ones are pending.
      - Defaults to now. The comparison with AWS's effective patches is always made as of now.
    type: str
  operating_system:
    description:
      - Operating system of a baseline not yet created; one of V(WINDOWS), V(AMAZON_LINUX) and V(AMAZON_LINUX_2).
      - Required when neither O(name) nor O(baseline_id) is given.
  approval_rules:
    description: Approval rules of a baseline not yet created, as in M(patchmodel.ssm.ssm_patch_baseline).
    type: list
    elements: dict
    suboptions:
      patch_filters:
        description: Up to 4 filters (C(key), C(values)); a rule selects the patches that match all of them.
        type: list
        elements: dict
        required: true
        suboptions:
          key:
            description: The patch property, such as V(PRODUCT), V(CLASSIFICATION), V(MSRC_SEVERITY) or V(SEVERITY).
            type: str
            required: true
          values:
            description: 1 to 20 exact values, or V(*) alone for every value.
            type: list
            elements: str
            required: true
      approve_after_days:
        description: Days after a patch's release until it is approved, 0 to 360.
        type: int
      approve_until_date:
        description: Patches released on or before this date (V(YYYY-MM-DD), UTC) are approved.
        type: str
      compliance_level:
        description: Compliance severity of the patches this rule approves.
        type: str
        choices: [CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED]
        default: UNSPECIFIED
      enable_non_security:
        description:
          - Also approve non-security updates (Linux only). Those are packages in no update notice, which
            C(DescribeAvailablePatches) does not list; RV(non_security_updates) says so.
        type: bool
        default: false
  global_filters:
    description: Filters (C(key), C(values)) every patch must pass before any approval rule applies.
    type: list
    elements: dict
    suboptions:
      key:
        description: The patch property; the same keys as in approval rules.
        type: str
        required: true
      values:
        description: 1 to 20 exact values, or V(*) alone.
        type: list
        elements: str
        required: true
  approved_patches:
    description:
      - Patches approved explicitly, in the operating system's format (KB or bulletin ids on Windows; package names,
        optionally with a wildcard, or advisory, CVE and Bugzilla ids on Amazon Linux).
    type: list
    elements: str
  approved_patches_compliance_level:
    description: Compliance severity of the explicitly approved patches. AWS's default is V(UNSPECIFIED).
    type: str
    choices: [CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED]
  approved_patches_enable_non_security:
    description: Whether the approved patches include non-security updates (Linux only). AWS's default is V(false).
    type: bool
  rejected_patches:
    description:
      - Patches rejected explicitly (KB ids on Windows, package names on Amazon Linux). A rejected patch is never
        approved, by a rule or by O(approved_patches).
    type: list
    elements: str
  rejected_patches_action:
    description:
      - V(ALLOW_AS_DEPENDENCY) (AWS's default) still installs a rejected package as another package's dependency
        (Linux; Windows has no package dependencies); V(BLOCK) never installs it.
    type: str
    choices: [ALLOW_AS_DEPENDENCY, BLOCK]
notes:
  - The preview is as good as the patch list AWS returns and the documented rules. Where AWS documents nothing (which
    patch set a Windows rule without a C(PATCH_SET) filter means, taken as V(OS); which compliance level a patch
    approved several ways gets, taken as the most severe), RV(differences) shows whether AWS agrees, for Windows.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes.info_module
  - patchmodel.ssm.patch_baseline
"""

EXAMPLES = r"""
- name: Preview the Windows Server 2016 baseline of the patching model before any scan
  patchmodel.ssm.ssm_baseline_preview_info:
    name: WindowsServer2016Baseline
    product: WindowsServer2016
  register: windows_preview

- name: Stop when AWS's effective patches disagree with the preview
  ansible.builtin.assert:
    that: windows_preview.differences | length == 0
    fail_msg: "{{ windows_preview.differences }}"

- name: Which patches would a stricter rule approve next Tuesday, before creating the baseline
  patchmodel.ssm.ssm_baseline_preview_info:
    operating_system: AMAZON_LINUX_2
    product: AmazonLinux2
    as_of: "2025-11-18"
    approval_rules:
      - patch_filters:
          - key: CLASSIFICATION
            values: [Security]
          - key: SEVERITY
            values: [Critical, Important]
        approve_after_days: 7
        compliance_level: HIGH
    rejected_patches:
      - kernel*
    rejected_patches_action: BLOCK
  register: al2_preview

- name: Show when each pending patch becomes approved
  ansible.builtin.debug:
    msg: "{{ al2_preview.pending | items2dict(key_name='patch_id', value_name='approval_date') }}"
"""

RETURN = r"""
baseline:
  description:
    - The baseline previewed, in the shape of M(patchmodel.ssm.ssm_patch_baseline)'s options (approval rules, global
      filters, patch lists, with AWS's defaults), with C(baseline_id), C(name) and C(arn) of an existing baseline
      (V(null) for one not yet created).
  returned: always
  type: dict
  sample:
    baseline_id: pb-0c10e65780EXAMPLE
    arn: arn:aws:ssm:us-east-1:123456789012:patchbaseline/pb-0c10e65780EXAMPLE
    name: WindowsServer2016Baseline
    operating_system: WINDOWS
as_of:
  description: The instant the preview is for (ISO 8601, UTC).
  returned: always
  type: str
  sample: "2025-11-16T00:00:00+00:00"
product:
  description: The product previewed, V(null) for every Windows product.
  returned: always
  type: str
  sample: WindowsServer2016
approved:
  description:
    - The patches the baseline approves at RV(as_of), newest release first.
    - Each has C(patch_id) (the KB number on Windows, C(name.arch) on Amazon Linux), C(id) (AWS's patch id, Windows),
      C(title), C(product), C(classification), C(severity) (MSRC severity on Windows), C(release_date), C(status)
      (V(APPROVED) by a rule, V(EXPLICIT_APPROVED) by O(approved_patches)), C(approval_date) (when a rule approved
      it; V(null) for the approved list), C(compliance_level) and C(decided_by) (V(approval_rules[0]),
      V(approved_patches)).
  returned: always
  type: list
  elements: dict
  sample:
    - patch_id: KB5012170
      title: 2025-11 Cumulative Security Update for Windows Server 2016 (KB5012170)
      product: WindowsServer2016
      classification: SecurityUpdates
      severity: Critical
      release_date: "2025-11-11T00:00:00+00:00"
      status: APPROVED
      approval_date: "2025-11-14T00:00:00+00:00"
      compliance_level: UNSPECIFIED
      decided_by: approval_rules[0]
pending:
  description:
    - Patches a rule selects that are not approved yet at RV(as_of), each with the C(approval_date) it becomes
      approved on (C(status) V(PENDING_APPROVAL)); the same keys as RV(approved).
  returned: always
  type: list
  elements: dict
rejected:
  description:
    - Patches O(rejected_patches) names (C(status) V(EXPLICIT_REJECTED)), never approved; the same keys as
      RV(approved) and C(installed_as_dependency), whether Patch Manager may still install one as another package's
      dependency (O(rejected_patches_action=ALLOW_AS_DEPENDENCY), Linux only).
  returned: always
  type: list
  elements: dict
non_security_updates:
  description: What the preview cannot list because no API lists it before a scan (non-security updates on Linux).
  returned: always
  type: list
  elements: str
compared_with_effective_patches:
  description: Whether AWS's effective patches were read and compared (existing Windows baselines).
  returned: always
  type: bool
differences:
  description:
    - For an existing Windows baseline, every patch where the local evaluation (as of now) and
      C(DescribeEffectivePatchesForPatchBaseline) disagree, with C(patch_id), C(product), C(preview) and C(effective)
      (each C(status), C(approval_date), C(compliance_level), or V(null) where one side does not list the patch).
    - Empty when they agree, and for other baselines.
  returned: always
  type: list
  elements: dict
"""

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing botocore

from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.arns import Arns
from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline import FORM
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_preview import is_windows
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_preview_api import (
    DEFINITION,
    argument_spec,
    available_patches,
    differences,
    effective_patches,
    existing_baseline,
    option_problems,
    parse_as_of,
    preview,
    system_problems,
)


def baseline_form(module, client, params):
    """(form, identity) of the baseline: an existing one read from AWS, or the one the options define."""
    if params["name"] is None and params["baseline_id"] is None:
        form = FORM.with_defaults(FORM.from_options({option: params[option] for option in DEFINITION}))
        return form, {"baseline_id": None, "arn": None, "name": None}
    found = existing_baseline(module, client, params)
    form = FORM.with_defaults(FORM.from_api(found))
    module.fail_on_problems(system_problems(form["operating_system"], params["product"]))
    arn = Arns(module).patch_baseline(found["BaselineId"])
    return form, {"baseline_id": found["BaselineId"], "arn": arn, "name": form["name"]}


def main():
    module = PatchModelModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[("name", "baseline_id")],
        supports_check_mode=True,
    )
    params = module.params
    module.fail_on_problems(option_problems(RequestChecker(), params))
    as_of = parse_as_of(params["as_of"])
    client = module.ssm_client()
    try:
        form, identity = baseline_form(module, client, params)
        patches = available_patches(client, form, params["product"])
        result = preview(form, patches, as_of)
        compared = identity["baseline_id"] is not None and is_windows(form["operating_system"])
        found = []
        if compared:
            found = differences(form, patches, effective_patches(client, identity["baseline_id"]), params["product"])
    except (BotoCoreError, ClientError) as error:
        module.fail_json_aws(error, msg="Failed to preview the patch baseline")
    baseline = {key: form[key] for key in ("operating_system",) + DEFINITION[1:]}
    module.exit_json(
        changed=False,
        baseline=dict(identity, **baseline),
        as_of=as_of.isoformat(),
        product=params["product"],
        compared_with_effective_patches=compared,
        differences=found,
        **result,
    )


if __name__ == "__main__":
    main()
