#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_patch_group_membership
version_added: 1.0.0
short_description: Put instances and hybrid managed nodes into a patch group, at fleet scale
description:
  - Sets the patch group tag (V(Patch Group) by default) to O(patch_group) on the EC2 instances chosen by
    O(instance_ids) and/or O(filters), and on hybrid managed nodes (V(mi-...)) through Systems Manager.
  - Built for fleets. EC2 instances are read with one paginated C(DescribeInstances) and tagged with one
    C(CreateTags) call per 1,000 instances that need it, not one call per instance.
  - Hybrid managed nodes are tagged one C(AddTagsToResource) call each, as the SSM API requires.
  - With O(state=absent) the tag is removed from the chosen instances where it holds O(patch_group).
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  patch_group:
    description: The patch group, the tag's value.
    type: str
    required: true
  tag_key:
    description:
      - The tag key Patch Manager reads.
      - Use V(PatchGroup) where instance metadata tags are enabled; they do not allow spaces in keys.
    type: str
    default: Patch Group
    choices: [Patch Group, PatchGroup]
  instance_ids:
    description: EC2 instance ids to put into the patch group.
    type: list
    elements: str
    default: []
  filters:
    description:
      - EC2 C(DescribeInstances) filters choosing instances, for example C(tag:Name) set to V(WebServer-Prd).
      - Terminated instances are never chosen.
    type: dict
    default: {}
  managed_node_ids:
    description: Hybrid managed node ids (V(mi-...)) to put into the patch group through Systems Manager.
    type: list
    elements: str
    default: []
  state:
    description: Whether the chosen instances carry the patch group tag or not.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes
"""

EXAMPLES = r"""
- name: Put the instance named WebServer-Prd into the WebServer-Prd patch group (AL2 seed, step 6)
  patchmodel.ssm.ssm_patch_group_membership:
    patch_group: WebServer-Prd
    filters:
      "tag:Name": WebServer-Prd

- name: Put the Windows demo instance into its patch group (Windows seed, step 2)
  patchmodel.ssm.ssm_patch_group_membership:
    patch_group: Windows Server 2016 Base
    filters:
      "tag:Name": Patch Manager Demo

- name: A whole fleet and two on-premises servers, with the metadata-friendly key
  patchmodel.ssm.ssm_patch_group_membership:
    patch_group: Linux-Prod
    tag_key: PatchGroup
    filters:
      "tag:Environment": production
      platform-details: Linux/UNIX
    managed_node_ids:
      - mi-0123456789abcdef0
      - mi-0fedcba9876543210
"""

RETURN = r"""
instance_ids:
  description: The EC2 instances chosen, sorted.
  returned: always
  type: list
  elements: str
  sample: ["i-0123456789abcdef0"]
changed_ids:
  description: The instances and managed nodes whose tag was (or in check mode, would be) changed, sorted.
  returned: always
  type: list
  elements: str
  sample: ["i-0123456789abcdef0"]
missing_ids:
  description: Ids in O(instance_ids) or O(managed_node_ids) that do not exist.
  returned: always
  type: list
  elements: str
  sample: []
arns:
  description:
    - The ARN of each instance and managed node found, by id, in the partition of the caller's credentials (read
      with C(sts:GetCallerIdentity), which needs no permission; not called when none was found).
    - An EC2 instance's is C(arn:<partition>:ec2:<region>:<account>:instance/<id>), a hybrid node's
      C(arn:<partition>:ssm:<region>:<account>:managed-instance/<mi-id>).
  returned: always
  type: dict
  sample:
    i-0123456789abcdef0: arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0
    mi-0123456789abcdef0: arn:aws:ssm:us-east-1:123456789012:managed-instance/mi-0123456789abcdef0
"""

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list
from ansible_collections.patchmodel.ssm.plugins.module_utils.arns import Arns
from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.fleet import batches, instances_to_change
from ansible_collections.patchmodel.ssm.plugins.module_utils.tags import get_tags

CREATE_TAGS_BATCH = 1000  # CreateTags takes at most 1,000 resource ids a call
LIVE_STATES = ["pending", "running", "shutting-down", "stopping", "stopped"]


def choose_instances(ec2, instance_ids, filters):
    """Every live instance matching the ids and filters (both, when both are given), with its tags."""
    if not instance_ids and not filters:
        return []
    params = {"Filters": ansible_dict_to_boto3_filter_list(filters)}
    params["Filters"].append({"Name": "instance-state-name", "Values": LIVE_STATES})
    if instance_ids:
        params["Filters"].append({"Name": "instance-id", "Values": list(instance_ids)})
    else:
        params["MaxResults"] = 1000
    instances = []
    while True:
        response = ec2.describe_instances(aws_retry=True, **params)
        for reservation in response.get("Reservations", []):
            instances.extend(reservation.get("Instances", []))
        if not response.get("NextToken"):
            return instances
        params["NextToken"] = response["NextToken"]


def tag_instances(module, ec2, instances, key, value):
    to_change = instances_to_change(instances, key, value, module.params["state"])
    if to_change and not module.check_mode:
        for batch in batches(to_change, CREATE_TAGS_BATCH):
            if module.params["state"] == "present":
                ec2.create_tags(aws_retry=True, Resources=batch, Tags=[{"Key": key, "Value": value}])
            else:  # only where the tag has this value  # AWS: ec2:DeleteTags.Tags
                ec2.delete_tags(aws_retry=True, Resources=batch, Tags=[{"Key": key, "Value": value}])
    return to_change


def tag_managed_nodes(module, ssm, node_ids, key, value):
    changed, missing = [], []
    for node_id in node_ids:
        try:
            current = get_tags(ssm, "ManagedInstance", node_id)
        except is_boto3_error_code("InvalidResourceId"):
            missing.append(node_id)
            continue
        wanted = module.params["state"] == "present"
        if (current.get(key) == value) == wanted:
            continue
        changed.append(node_id)
        if module.check_mode:
            continue
        if wanted:
            ssm.add_tags_to_resource(
                aws_retry=True, ResourceType="ManagedInstance", ResourceId=node_id, Tags=[{"Key": key, "Value": value}]
            )
        else:
            ssm.remove_tags_from_resource(
                aws_retry=True, ResourceType="ManagedInstance", ResourceId=node_id, TagKeys=[key]
            )
    return changed, missing


def main():
    module = PatchModelModule(
        argument_spec=dict(
            patch_group=dict(type="str", required=True),
            tag_key=dict(type="str", default="Patch Group", choices=["Patch Group", "PatchGroup"]),
            instance_ids=dict(type="list", elements="str", default=[]),
            filters=dict(type="dict", default={}),
            managed_node_ids=dict(type="list", elements="str", default=[]),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    problems = [
        f"instance_ids: '{i}' is not an EC2 instance id (i-...)"
        for i in params["instance_ids"]
        if not i.startswith("i-")
    ]
    problems += [
        f"managed_node_ids: '{i}' is not a hybrid managed node id (mi-...)"
        for i in params["managed_node_ids"]
        if not i.startswith("mi-")
    ]
    if not params["patch_group"] or len(params["patch_group"]) > 256:
        problems.append("patch_group: must have 1 to 256 characters")
    module.fail_on_problems(problems)
    key, value = params["tag_key"], params["patch_group"]
    try:
        ec2 = module.aws_client("ec2")
        instances = choose_instances(ec2, params["instance_ids"], params["filters"])
        changed_instances = tag_instances(module, ec2, instances, key, value)
        changed_nodes, missing_nodes = [], []
        if params["managed_node_ids"]:
            changed_nodes, missing_nodes = tag_managed_nodes(
                module, module.ssm_client(), params["managed_node_ids"], key, value
            )
        found = {instance["InstanceId"] for instance in instances}
        nodes = set(params["managed_node_ids"]) - set(missing_nodes)
        arns = Arns(module)
        member_arns = {node_id: arns.managed_node(node_id) for node_id in sorted(found | nodes)}
    except (BotoCoreError, ClientError) as error:
        module.fail_json_aws(error, msg="Failed to set the patch group tag")
    changed_ids = sorted(changed_instances + changed_nodes)
    result = dict(
        changed=bool(changed_ids),
        instance_ids=sorted(found),
        changed_ids=changed_ids,
        missing_ids=sorted([i for i in params["instance_ids"] if i not in found] + missing_nodes),
        arns=member_arns,
    )
    if module._diff:
        result["diff"] = {
            "before": {"members": sorted(found - set(changed_instances) if params["state"] == "present" else found)},
            "after": {"members": sorted(found if params["state"] == "present" else found - set(changed_instances))},
        }
    module.exit_json(**result)


if __name__ == "__main__":
    main()
