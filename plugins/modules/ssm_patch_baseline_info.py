#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_patch_baseline_info
version_added: 1.0.0
short_description: Read AWS Systems Manager Patch Manager patch baselines
description:
  - Read patch baselines, custom and AWS-owned, with their full definition, the patch groups they are
    registered for, whether they are the default for their operating system, and their tags.
  - Select them by id, exact name, name prefix, operating system and owner; filters combine.
  - Always returns a list, empty when nothing matches.
  - The configuration of alternative patch sources, which AWS marks sensitive, is masked by default (see
    O(include_sensitive)).
  - Use M(patchmodel.ssm.ssm_patch_baseline) to create, change or delete baselines.
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  name:
    description:
      - Exact name of the baselines to read. AWS does not keep names unique, so several may be returned.
      - Mutually exclusive with O(name_prefix) and O(baseline_id).
    type: str
  name_prefix:
    description:
      - Read the baselines whose name starts with this, such as V(AWS-) for the predefined ones.
      - Mutually exclusive with O(name) and O(baseline_id).
    type: str
  baseline_id:
    description:
      - Id of one baseline, such as V(pb-0c10e65780EXAMPLE), or the ARN of an AWS-owned baseline.
      - Mutually exclusive with O(name) and O(name_prefix).
    type: str
  operating_system:
    description: Only baselines for this operating system.
  owner:
    description: V(Self) for custom baselines, V(AWS) for AWS-owned (predefined) ones, V(All) for both.
    type: str
    choices: [Self, AWS, All]
    default: All
  include_sensitive:
    description:
      - Return in clear the C(configuration) of each source of RV(baselines), which AWS marks sensitive
        and which is masked by default (shown as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER)).
      - A repository configuration may hold credentials. With V(true) keeping it out of logs, job output and
        registered variables that are shown is your responsibility; set C(no_log) on the task.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes.info_module
  - patchmodel.ssm.patch_baseline
"""

EXAMPLES = r"""
- name: Read the custom Amazon Linux 2 baseline of the patching model
  patchmodel.ssm.ssm_patch_baseline_info:
    name: AmazonLinux2AllPatchesBaseline
  register: al2_baseline

- name: Show which patch groups use it
  ansible.builtin.debug:
    msg: "{{ al2_baseline.baselines[0].patch_groups }}"  # ["WebServer-Prd"]

- name: Read the default baseline AWS provides for Amazon Linux 2
  patchmodel.ssm.ssm_patch_baseline_info:
    name: AWS-AmazonLinux2DefaultPatchBaseline
    owner: AWS

- name: Read every custom Windows baseline
  patchmodel.ssm.ssm_patch_baseline_info:
    operating_system: WINDOWS
    owner: Self
  register: windows_baselines

- name: Find the baseline registered for the "Windows Server 2016 Base" patch group
  ansible.builtin.debug:
    msg: >-
      {{ windows_baselines.baselines
         | selectattr('patch_groups', 'contains', 'Windows Server 2016 Base')
         | map(attribute='name') | list }}
"""

RETURN = r"""
baselines:
  description:
    - The matching patch baselines, custom and AWS-owned, sorted by name then id; empty when none matches.
    - Each baseline has the keys of RV(patchmodel.ssm.ssm_patch_baseline#module:baseline), the result that module
      returns for the baseline it manages (its settings in the shape of that module's options, its id, patch
      groups, default flag, tags, owner and dates).
    - Unless O(include_sensitive=true), the C(configuration) of each source, which may hold credentials, shows as
      V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER).
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
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline import is_aws_owned
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_api import (
    baseline_result,
    describe_baselines,
    get_baseline,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_validation import identity_problems
from ansible_collections.patchmodel.ssm.plugins.module_utils.patch_filters import OPERATING_SYSTEMS
from ansible_collections.patchmodel.ssm.plugins.module_utils.sensitive import masked, result_paths


def prefix_problems(checker, name_prefix):
    if name_prefix is None:
        return []
    request = {"Filters": [{"Key": "NAME_PREFIX", "Values": [name_prefix]}]}
    return ["name_prefix" + p.split("]", 2)[-1] for p in checker.problems("DescribePatchBaselines", request)]


def by_id(module, client):
    params = module.params
    baseline = get_baseline(client, params["baseline_id"])
    if baseline is None or params["operating_system"] not in (None, baseline["OperatingSystem"]):
        return []
    owner = "AWS" if is_aws_owned(params["baseline_id"], baseline.get("Name")) else "Self"
    if params["owner"] not in ("All", owner):
        return []
    return [baseline_result(client, baseline)]


def by_filters(module, client):
    params = module.params
    identities = describe_baselines(
        client,
        name_prefix=params["name"] or params["name_prefix"],
        operating_system=params["operating_system"],
        owner=params["owner"],
    )
    if params["name"]:
        identities = [found for found in identities if found.get("BaselineName") == params["name"]]
    results = []
    for identity in identities:
        baseline = get_baseline(client, identity["BaselineId"])
        if baseline is None:
            continue  # deleted since it was listed
        results.append(baseline_result(client, baseline, is_default=identity.get("DefaultBaseline")))
    return results


def main():
    module = PatchModelModule(
        argument_spec=dict(
            name=dict(type="str"),
            name_prefix=dict(type="str"),
            baseline_id=dict(type="str"),
            operating_system=dict(type="str", choices=list(OPERATING_SYSTEMS)),
            owner=dict(type="str", choices=["Self", "AWS", "All"], default="All"),
            include_sensitive=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("name", "name_prefix", "baseline_id")],
        supports_check_mode=True,
    )
    params = module.params
    checker = RequestChecker()
    module.fail_on_problems(
        identity_problems(checker, params["name"], params["baseline_id"])
        + prefix_problems(checker, params["name_prefix"])
    )
    client = module.ssm_client()
    try:
        baselines = by_id(module, client) if params["baseline_id"] else by_filters(module, client)
        arns = Arns(module)
        for baseline in baselines:
            baseline["arn"] = arns.patch_baseline(baseline["baseline_id"])
    except (BotoCoreError, ClientError) as error:
        module.fail_json_aws(error, msg="Failed to read patch baselines")
    baselines.sort(key=lambda baseline: (baseline["name"], baseline["baseline_id"]))
    result = {"baselines": baselines}
    if not params["include_sensitive"]:
        result = masked(result, result_paths("ssm_patch_baseline_info"))
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
