#!/usr/bin/python
# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_patch_compliance_info
version_added: 1.0.0
short_description: Read the patch compliance of managed nodes, per node and per patch group
description:
  - Read the patch state Patch Manager reports for managed nodes chosen by patch group, by id, or by EC2
    C(DescribeInstances) filters (choices add up), with a summary per patch group and for all of them.
  - Each node gets a status for reports (RV(instances[].status)), worst first - V(failed) (a patch failed to
    install), V(non_compliant) (missing or rejected patches), V(pending_reboot) (installed patches wait for a
    reboot and nothing else is wrong), V(unreported) (no patch state, never scanned), V(compliant) - and the
    compliance status AWS gives it (RV(instances[].compliance_status)), where the first three are all
    V(NON_COMPLIANT).
  - On request, the patches of chosen nodes (C(DescribeInstancePatches)), filtered by state.
  - Built for fleets. A patch group is read with C(DescribeInstancePatchStatesForPatchGroup), 100 nodes a page;
    ids are read with C(DescribeInstancePatchStates), 50 ids a call (the API's limit); every call is paginated.
author:
  - patchmodel.ssm developers (@patchmodel)
options:
  patch_groups:
    description:
      - Patch groups to read, the values of the V(Patch Group) or V(PatchGroup) tag.
      - A patch group lists the nodes whose last patching operation reported it.
    type: list
    elements: str
    default: []
  instance_ids:
    description: Managed node ids to read, EC2 instances (V(i-...)) or hybrid nodes (V(mi-...)).
    type: list
    elements: str
    default: []
  filters:
    description:
      - EC2 C(DescribeInstances) filters choosing instances, for example C(tag:Name) set to V(Patch Manager Demo).
      - Terminated instances are never chosen.
    type: dict
    default: {}
  include_unreported:
    description:
      - Also list the nodes of O(patch_groups) that have no patch state yet, found by their patch group tag
        with C(DescribeInstanceInformation) (50 nodes a page).
      - Nodes chosen by O(instance_ids) or O(filters) without a patch state are always listed.
    type: bool
    default: false
  patch_details:
    description: Which nodes to read the patches of, and which patches.
    type: dict
    suboptions:
      instance_ids:
        description: Nodes to read the patches of, whatever their status.
        type: list
        elements: str
        default: []
      worst:
        description:
          - Also read the patches of this many nodes, the worst first, among the nodes that are not compliant
            (V(failed), V(non_compliant), V(pending_reboot)) and whose counts show patches in O(patch_details.states).
          - Each node is one paginated C(DescribeInstancePatches); keep this small for large fleets.
        type: int
        default: 0
      states:
        description:
          - Only patches in these states. Empty for every state.
          - Linux nodes do not list V(NOT_APPLICABLE) patches; AWS only counts them.
        type: list
        elements: str
        default: [MISSING, FAILED]
        choices:
          - INSTALLED
          - INSTALLED_OTHER
          - INSTALLED_PENDING_REBOOT
          - INSTALLED_REJECTED
          - MISSING
          - FAILED
          - NOT_APPLICABLE
          - AVAILABLE_SECURITY_UPDATE
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - patchmodel.ssm.attributes.info_module
"""

EXAMPLES = r"""
# Windows seed, step 8: verify the patch compliance report after the maintenance window ran.
- name: Read the compliance of the Windows Server 2016 Base patch group
  patchmodel.ssm.ssm_patch_compliance_info:
    patch_groups:
      - Windows Server 2016 Base
    include_unreported: true
  register: windows_compliance

- name: Show the summary of the patch group
  ansible.builtin.debug:
    var: windows_compliance.patch_groups[0]

# Windows seed, step 8: drill down to the patches of the demo instance.
- name: Read the demo instance, with its missing and failed patches
  patchmodel.ssm.ssm_patch_compliance_info:
    filters:
      "tag:Name": Patch Manager Demo
    patch_details:
      worst: 1

- name: Every patch of one node, installed ones included
  patchmodel.ssm.ssm_patch_compliance_info:
    instance_ids:
      - i-0123456789abcdef0
    patch_details:
      instance_ids:
        - i-0123456789abcdef0
      states: []

- name: The production web servers and the 20 worst of them in detail (AL2 seed patch group)
  patchmodel.ssm.ssm_patch_compliance_info:
    patch_groups:
      - WebServer-Prd
    patch_details:
      worst: 20
      states: [MISSING, FAILED, INSTALLED_REJECTED]
"""

RETURN = r"""
instances:
  description:
    - The chosen nodes, worst first - by status, then by more failed, missing, rejected, critical, security
      and pending-reboot patches, then by id.
    - Counts are 0 and the other fields V(null) for V(unreported) nodes.
  returned: always
  type: list
  elements: dict
  contains:
    instance_id:
      description: Id of the managed node.
      type: str
      sample: i-0123456789abcdef0
    arn:
      description:
        - ARN of the node, in the partition of the caller's credentials (read with C(sts:GetCallerIdentity), which
          needs no permission).
        - C(arn:<partition>:ec2:<region>:<account>:instance/<id>) for an EC2 instance,
          C(arn:<partition>:ssm:<region>:<account>:managed-instance/<mi-id>) for a hybrid node.
      type: str
      sample: arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0
    patch_group:
      description: Patch group the node reported (its tag, for unreported nodes); empty when it has none.
      type: str
      sample: Windows Server 2016 Base
    status:
      description:
        - V(failed), V(non_compliant), V(pending_reboot), V(unreported) or V(compliant); see the description.
      type: str
      sample: non_compliant
    compliance_status:
      description: V(COMPLIANT) or V(NON_COMPLIANT) as AWS reports the node; V(null) when unreported.
      type: str
      sample: NON_COMPLIANT
    baseline_id:
      description: The patch baseline of the last operation.
      type: str
      sample: pb-0c10e65780EXAMPLE
    snapshot_id:
      description: The baseline snapshot of the last operation, if one was given.
      type: str
      sample: null
    install_override_list:
      description: The install override list of the last operation, if one was given.
      type: str
      sample: null
    operation:
      description: The last operation, V(Scan) or V(Install).
      type: str
      sample: Install
    operation_start_time:
      description: When the last operation started (ISO 8601).
      type: str
      sample: "2026-11-22T21:00:04+00:00"
    operation_end_time:
      description: When the last operation ended (ISO 8601).
      type: str
      sample: "2026-11-22T21:03:19+00:00"
    reboot_option:
      description: Reboot option of the last operation.
      type: str
      sample: RebootIfNeeded
    last_no_reboot_install_operation_time:
      description: When an Install last ran with V(NoReboot), if ever.
      type: str
      sample: null
    installed_count:
      description: Patches of the baseline installed.
      type: int
      sample: 19
    installed_other_count:
      description: Installed patches the baseline does not name.
      type: int
      sample: 11
    installed_pending_reboot_count:
      description: Patches installed since the last reboot.
      type: int
      sample: 0
    installed_rejected_count:
      description: Installed patches that the baseline rejects.
      type: int
      sample: 0
    missing_count:
      description: Approved patches not installed.
      type: int
      sample: 5
    failed_count:
      description: Patches that failed to install in the last operation.
      type: int
      sample: 0
    not_applicable_count:
      description: Patches of the baseline that do not apply to the node.
      type: int
      sample: 6
    unreported_not_applicable_count:
      description: Not-applicable patches beyond what AWS reports by name.
      type: int
      sample: 0
    available_security_update_count:
      description: Security patches available but not approved (Windows).
      type: int
      sample: 0
    critical_non_compliant_count:
      description: Non-compliant patches with compliance level Critical.
      type: int
      sample: 0
    security_non_compliant_count:
      description: Non-compliant security patches.
      type: int
      sample: 1
    other_non_compliant_count:
      description: Other non-compliant patches.
      type: int
      sample: 4
    patches:
      description:
        - Patches of the node in O(patch_details.states), worst state first (failed, missing, rejected, pending
          reboot, available security update, installed, installed other, not applicable), then by KB id; only for
          the nodes O(patch_details) chose.
      type: list
      elements: dict
      returned: when O(patch_details) chose the node
      sample:
        - title: "2026-11 Cumulative Update for Windows Server 2016 (KB5048671)"
          kb_id: KB5048671
          classification: SecurityUpdates
          severity: Critical
          state: MISSING
          installed_time: null
          cve_ids: [CVE-2026-21234]
patch_groups:
  description: One summary per patch group of the chosen nodes, sorted by name (V("") for nodes without a group).
  returned: always
  type: list
  elements: dict
  contains:
    patch_group:
      description: The patch group.
      type: str
      sample: Windows Server 2016 Base
    instances:
      description: Nodes in the group; the five status counts add up to it.
      type: int
      sample: 5
    failed:
      description: Nodes with status V(failed).
      type: int
      sample: 1
    non_compliant:
      description: Nodes with status V(non_compliant).
      type: int
      sample: 1
    pending_reboot:
      description: Nodes with status V(pending_reboot).
      type: int
      sample: 1
    unreported:
      description: Nodes with status V(unreported).
      type: int
      sample: 1
    compliant:
      description: Nodes with status V(compliant).
      type: int
      sample: 1
    aws_non_compliant:
      description: Nodes AWS reports as V(NON_COMPLIANT) (failed, non-compliant and pending-reboot ones).
      type: int
      sample: 3
    compliant_percent:
      description: Percentage of the reported nodes that are compliant, one decimal; V(null) when none reported.
      type: float
      sample: 25.0
    patches:
      description: Patch counts summed over the group's nodes, named like the counts of RV(instances).
      type: dict
      sample:
        installed_count: 80
        installed_other_count: 44
        installed_pending_reboot_count: 5
        installed_rejected_count: 0
        missing_count: 6
        failed_count: 1
        not_applicable_count: 12
summary:
  description: The counts of RV(patch_groups) over every chosen node (without RV(patch_groups[].patch_group)).
  returned: always
  type: dict
  sample:
    instances: 5
    failed: 1
    non_compliant: 1
    pending_reboot: 1
    unreported: 1
    compliant: 1
    aws_non_compliant: 3
    compliant_percent: 25.0
    patches: {installed_count: 80, missing_count: 6, failed_count: 1}
"""

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.arns import Arns
from ansible_collections.patchmodel.ssm.plugins.module_utils.base import PatchModelModule
from ansible_collections.patchmodel.ssm.plugins.module_utils.compliance import (
    PATCH_STATES,
    detail_targets,
    group_summaries,
    instance_result,
    patch_result,
    state_filter,
    summarize,
    unreported_result,
    worst_first,
    worst_patch_first,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.fleet import batches
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import paginate

PATCH_STATES_BATCH = 50  # DescribeInstancePatchStates takes at most 50 ids a call
PATCH_GROUP_TAGS = ("Patch Group", "PatchGroup")  # the keys Patch Manager reads, in this order
LIVE_STATES = ["pending", "running", "shutting-down", "stopping", "stopped"]


def option_problems(checker, params):
    """Problems in the options, found before any call, named by option."""
    problems = []
    for index, group in enumerate(params["patch_groups"]):
        renames = (("patch_group", f"patch_groups[{index}]"),)
        problems += checker.problems("DescribePatchGroupState", {"PatchGroup": group}, renames)
    details = params["patch_details"] or {}
    for option, ids in (
        ("instance_ids", params["instance_ids"]),
        ("patch_details.instance_ids", details.get("instance_ids")),
    ):
        for index, instance_id in enumerate(ids or []):
            renames = (("instance_id", f"{option}[{index}]"),)
            problems += checker.problems("DescribeInstancePatches", {"InstanceId": instance_id}, renames)
    if (details.get("worst") or 0) < 0:
        problems.append(f"patch_details.worst: {details['worst']} must be 0 or more")
    return problems


def group_states(client, patch_groups):
    """{id: InstancePatchState} of every node whose last operation reported one of the patch groups."""
    states = {}
    for group in patch_groups:
        found = paginate(
            client,
            "describe_instance_patch_states_for_patch_group",
            "InstancePatchStates",
            PatchGroup=group,
            MaxResults=100,
        )
        states.update((state["InstanceId"], state) for state in found)
    return states


def id_states(client, instance_ids):
    """{id: InstancePatchState} of the nodes among `instance_ids` that have one, 50 ids a call."""
    states = {}
    for batch in batches(list(instance_ids), PATCH_STATES_BATCH):
        found = paginate(
            client, "describe_instance_patch_states", "InstancePatchStates", InstanceIds=batch, MaxResults=50
        )
        states.update((state["InstanceId"], state) for state in found)
    return states


def tag_group(tags):
    return next((tags[key] for key in PATCH_GROUP_TAGS if tags.get(key)), "")


def filtered_instances(ec2, filters):
    """{id: patch group tag} of the live EC2 instances matching the filters."""
    params = {"Filters": ansible_dict_to_boto3_filter_list(filters), "MaxResults": 1000}
    params["Filters"].append({"Name": "instance-state-name", "Values": LIVE_STATES})
    chosen = {}
    for reservation in paginate(ec2, "describe_instances", "Reservations", **params):
        for instance in reservation.get("Instances", []):
            tags = {tag["Key"]: tag["Value"] for tag in instance.get("Tags") or []}
            chosen[instance["InstanceId"]] = tag_group(tags)
    return chosen


def tagged_nodes(client, patch_groups):
    """{id: patch group} of the managed nodes tagged with one of the patch groups (one query per group and key,
    so each node's group is known even when it never reported one)."""
    chosen = {}
    for group in patch_groups:
        for key in PATCH_GROUP_TAGS:
            nodes = paginate(
                client,
                "describe_instance_information",
                "InstanceInformationList",
                Filters=[{"Key": f"tag:{key}", "Values": [group]}],
                MaxResults=50,
            )
            for node in nodes:
                chosen.setdefault(node["InstanceId"], group)
    return chosen


def read_instances(module, client, params):
    """Results for every chosen node, worst first."""
    states = group_states(client, params["patch_groups"])
    details = params["patch_details"] or {}
    # id -> the patch group to show should the node have no patch state
    wanted = dict.fromkeys(params["instance_ids"] + (details.get("instance_ids") or []), "")
    if params["filters"]:
        ec2 = module.aws_client("ec2")
        wanted.update(filtered_instances(ec2, params["filters"]))
    if params["include_unreported"]:
        for node_id, group in tagged_nodes(client, params["patch_groups"]).items():
            wanted.setdefault(node_id, group)
    unread = [node_id for node_id in wanted if node_id not in states]
    states.update(id_states(client, unread))
    results = [instance_result(state) for state in states.values()]
    results += [unreported_result(node_id, wanted[node_id]) for node_id in unread if node_id not in states]
    return sorted(results, key=worst_first)


def node_patches(client, node_id, filters):
    """The node's patches, or [] when it is not a managed node."""
    try:
        patches = paginate(
            client, "describe_instance_patches", "Patches", InstanceId=node_id, Filters=filters, MaxResults=100
        )
    except is_boto3_error_code("InvalidInstanceId"):
        return []
    return sorted((patch_result(patch) for patch in patches), key=worst_patch_first)


def add_patch_details(client, instances, details):
    """Adds `patches` to the nodes patch_details chooses (read_instances has listed them all)."""
    by_id = {instance["instance_id"]: instance for instance in instances}
    filters = state_filter(details["states"])
    for node_id in detail_targets(instances, details["instance_ids"], details["worst"], details["states"]):
        by_id[node_id]["patches"] = node_patches(client, node_id, filters)


def choice_problems(params):
    if not (params["patch_groups"] or params["instance_ids"] or params["filters"]):
        return ["choose the nodes to read with patch_groups, instance_ids or filters"]
    return []


def main():
    module = PatchModelModule(
        argument_spec=dict(
            patch_groups=dict(type="list", elements="str", default=[]),
            instance_ids=dict(type="list", elements="str", default=[]),
            filters=dict(type="dict", default={}),
            include_unreported=dict(type="bool", default=False),
            patch_details=dict(
                type="dict",
                options=dict(
                    instance_ids=dict(type="list", elements="str", default=[]),
                    worst=dict(type="int", default=0),
                    states=dict(type="list", elements="str", default=["MISSING", "FAILED"], choices=list(PATCH_STATES)),
                ),
            ),
        ),
        supports_check_mode=True,
    )
    params = module.params
    module.fail_on_problems(choice_problems(params) + option_problems(RequestChecker(), params))
    client = module.ssm_client()
    try:
        instances = read_instances(module, client, params)
        if params["patch_details"]:
            add_patch_details(client, instances, params["patch_details"])
        arns = Arns(module)
        for instance in instances:
            instance["arn"] = arns.managed_node(instance["instance_id"])
    except (BotoCoreError, ClientError) as error:
        module.fail_json_aws(error, msg="Failed to read patch compliance")
    module.exit_json(
        changed=False, instances=instances, patch_groups=group_summaries(instances), summary=summarize(instances)
    )


if __name__ == "__main__":
    main()
