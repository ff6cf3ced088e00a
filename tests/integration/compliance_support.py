"""Shared by the compliance tests: seeding managed nodes, a fleet in every compliance state, and the truth read
with boto3 straight from the endpoint (classified here, independently of plugins/module_utils/compliance.py)."""

import dataclasses
import json
import urllib.parse
import urllib.request
import uuid

from tests.emulator.fleet_endpoint import all_pages
from tools.emulator.ssm.fleet_hooks import RUN_WINDOW_PATH, SEED_PATH


def _hook(endpoint, path, **query):
    """A test-only path of the local endpoint (tools/emulator/ssm/fleet_hooks.py), not an AWS API."""
    url = f"{endpoint.url}{path}?{urllib.parse.urlencode(dict(region='us-east-1', **query))}"
    with urllib.request.urlopen(url, data=b"", timeout=120) as answer:
        return json.loads(answer.read())


def seed_nodes(endpoint, count, group, scan=True, failing=0.0):
    """Register `count` hybrid managed nodes tagged with the patch group, scanned at once when `scan`; their ids."""
    answer = _hook(endpoint, SEED_PATH, count=count, patch_groups=group, scan=str(scan).lower(), failing=failing)
    return answer["InstanceIds"]


def run_window(endpoint, window_id):
    """Run a maintenance window now, as if its schedule had come due; the execution id."""
    return _hook(endpoint, RUN_WINDOW_PATH, window_id=window_id)["WindowExecutionId"]


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@dataclasses.dataclass
class Fleet:
    scanned: str  # patch group scanned only: missing patches
    installed: str  # installed with RebootIfNeeded; some nodes fail one patch
    no_reboot: str  # installed by a maintenance window with NoReboot: pending reboot
    window_id: str
    window_name: str
    execution_id: str
    unreported_ids: list

    @property
    def groups(self):
        return [self.scanned, self.installed, self.no_reboot]


def build_fleet(endpoint, scanned_count=5, installed_count=6, no_reboot_count=4, unreported_count=2):
    """A fleet with nodes in every status: failed, non-compliant, pending reboot, unreported and compliant."""
    ssm = endpoint.client("ssm")
    scanned, installed, no_reboot = unique("Scanned"), unique("Installed"), unique("NoReboot")
    seed_nodes(endpoint, scanned_count, scanned)
    # failing=1: each of these nodes fails one patch on every Install; failing=0: none does.
    seed_nodes(endpoint, installed_count // 2, installed, failing=1.0)
    seed_nodes(endpoint, installed_count - installed_count // 2, installed, failing=0.0)
    seed_nodes(endpoint, no_reboot_count, no_reboot)
    window_name = unique("Patch-NoReboot")
    window_id = ssm.create_maintenance_window(
        Name=window_name, Schedule="rate(5 minutes)", Duration=1, Cutoff=0, AllowUnassociatedTargets=False
    )["WindowId"]
    target_id = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE", Targets=[{"Key": "tag:Patch Group", "Values": [no_reboot]}]
    )["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id,
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        TaskArn="AWS-RunPatchBaseline",
        TaskType="RUN_COMMAND",
        Priority=1,
        MaxConcurrency="100%",
        MaxErrors="1",
        TaskInvocationParameters={
            "RunCommand": {"Parameters": {"Operation": ["Install"], "RebootOption": ["NoReboot"]}}
        },
    )
    execution_id = run_window(endpoint, window_id)
    ssm.send_command(
        DocumentName="AWS-RunPatchBaseline",
        Targets=[{"Key": "tag:Patch Group", "Values": [installed]}],
        Parameters={"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"]},
    )
    # Seeded after the commands ran: these nodes never report a patch state.
    unreported_ids = seed_nodes(endpoint, unreported_count, scanned, scan=False)
    return Fleet(scanned, installed, no_reboot, window_id, window_name, execution_id, unreported_ids)


def expected_status(state):
    """The report status of a node, from its InstancePatchState as boto3 reads it."""
    if state.get("FailedCount", 0) > 0:
        return "failed"
    if state.get("MissingCount", 0) > 0 or state.get("InstalledRejectedCount", 0) > 0:
        return "non_compliant"
    if state.get("InstalledPendingRebootCount", 0) > 0:
        return "pending_reboot"
    return "compliant"


def group_states(ssm, group):
    return all_pages(ssm.describe_instance_patch_states_for_patch_group, "InstancePatchStates", PatchGroup=group)


def truth(ssm, groups, unreported=None):
    """{group: {status: node count, 'instances': n}} and {id: (group, status, missing, failed, pending)}."""
    unreported = unreported or {}
    counts, nodes = {}, {}
    for group in groups:
        tally = dict.fromkeys(["failed", "non_compliant", "pending_reboot", "unreported", "compliant"], 0)
        for state in group_states(ssm, group):
            status = expected_status(state)
            tally[status] += 1
            nodes[state["InstanceId"]] = (
                group,
                status,
                state["MissingCount"],
                state["FailedCount"],
                state.get("InstalledPendingRebootCount", 0),
            )
        for node_id in unreported.get(group, []):
            tally["unreported"] += 1
            nodes[node_id] = (group, "unreported", 0, 0, 0)
        tally["instances"] = sum(tally.values())
        counts[group] = tally
    return counts, nodes


def patches_in(ssm, instance_id, states=("Missing", "Failed")):
    """{(kb id, state)} of a node's patches in the given states, every page."""
    filters = [{"Key": "State", "Values": list(states)}] if states else []
    patches = all_pages(ssm.describe_instance_patches, "Patches", InstanceId=instance_id, Filters=filters)
    return {(patch["KBId"], patch["State"]) for patch in patches}
