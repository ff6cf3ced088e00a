"""Running a Command document on one managed node: its steps become plugins, each with a status and output.

Nothing is executed on a node. Steps of AWS-RunPatchBaseline (and the AWS-RunPatchBaseline steps inside
AWS-RunPatchBaselineWithHooks) perform the simulated Scan or Install of fleet_patching.py; an aws:runDocument
step fails when its document does not exist; every other step succeeds with empty output. Steps whose
platformType precondition does not match the node are skipped, as SSM Agent reports them.
"""

import re

from .common import now
from .documents import find
from .documents_content import ACTION_PLATFORMS, ALL_PLATFORMS
from .errors import SSMError
from .fleet_patching import patch_node

PATCH_DOCUMENT = "AWS-RunPatchBaseline"
HOOKS_DOCUMENT = "AWS-RunPatchBaselineWithHooks"
SCRIPT_ACTIONS = ("aws:runShellScript", "aws:runPowerShellScript")
UNSATISFIED = "Step execution skipped due to unsatisfied preconditions:"
_REFERENCE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
_COUNT_LABELS = (
    ("InstalledCount", "Installed"),
    ("InstalledOtherCount", "Installed other"),
    ("InstalledPendingRebootCount", "Installed pending reboot"),
    ("InstalledRejectedCount", "Installed rejected"),
    ("MissingCount", "Missing"),
    ("FailedCount", "Failed"),
    ("NotApplicableCount", "Not applicable"),
)


def document_steps(content):
    """[(step name, action, platformType the step requires or None, inputs)] of parsed document content."""
    if str(content.get("schemaVersion")) == "1.2":
        return [(action, action, None, config) for action, config in (content.get("runtimeConfig") or {}).items()]
    steps = []
    for step in content.get("mainSteps") or []:
        condition = (step.get("precondition") or {}).get("StringEquals")
        platform = condition[1] if isinstance(condition, list) and condition[:1] == ["platformType"] else None
        steps.append((step["name"], step["action"], platform, step.get("inputs") or {}))
    return steps


def _substituted(value, parameters):
    """A document value with {{ Parameter }} references replaced by the command's parameter values."""
    if isinstance(value, str):
        return _REFERENCE.sub(lambda match: ",".join(parameters.get(match.group(1), [match.group(0)])), value)
    if isinstance(value, dict):
        return {key: _substituted(item, parameters) for key, item in value.items()}
    if isinstance(value, list):
        return [_substituted(item, parameters) for item in value]
    return value


def _first(parameters, name, default=""):
    return (parameters.get(name) or [default])[0]


def _patch_output(record, installed, node):
    lines = [
        f"Patch group: {record['PatchGroup'] or '(none)'}",
        f"Operating system: {node['PlatformName']} {node['PlatformVersion']} ({node['_product']})",
        f"Patch baseline: {record['BaselineId']}",
        f"Operation type: {record['Operation']}, reboot option: {record['RebootOption']}",
    ]
    if record.get("SnapshotId"):
        lines.append(f"Snapshot: {record['SnapshotId']}")
    if record["Operation"] == "Install":
        lines.append(f"Patches installed by this operation: {installed}")
    lines += [f"{label}: {record[key]}" for key, label in _COUNT_LABELS]
    return "\n".join(lines)


class Invocation:
    """The plugins of one document run on one node, built step by step."""

    def __init__(self, state, run, node, document_name, parameters):
        self.state, self.run, self.node = state, run, node
        self.document_name = document_name
        self.parameters = parameters
        self.plugins = []

    def _patch(self, document_parameters):
        operation_type = _first(document_parameters, "Operation", "Scan")
        reboot = _first(document_parameters, "RebootOption", "RebootIfNeeded")
        snapshot = _first(document_parameters, "SnapshotId")
        override = _first(document_parameters, "InstallOverrideList")
        try:
            record, installed = patch_node(self.state, self.run, self.node, operation_type, reboot, snapshot, override)
        except SSMError as error:
            return "Failed", 1, error.message
        output = _patch_output(record, installed, self.node)
        if record["FailedCount"]:
            return "Failed", 1, output + "\nOne or more patches failed to install."
        return "Success", 0, output

    def _run_document(self, inputs):
        path = inputs.get("documentPath", "")
        if path == PATCH_DOCUMENT:
            given = inputs.get("documentParameters") or {}
            return self._patch({key: [str(value)] for key, value in given.items()})
        if find(self.state, path) is None:
            return "Failed", 1, f"Failed to run document {path}: the document does not exist."
        return "Success", 0, ""

    def _skip_reason(self, action, platform, inputs):
        node_platform = self.node["PlatformType"]
        if platform is not None and platform != node_platform:
            return f"{UNSATISFIED} '\"StringEquals\": [platformType, {platform}]'"
        if platform is None and node_platform not in ACTION_PLATFORMS.get(action, ALL_PLATFORMS):
            return "Step execution skipped due to incompatible platform"
        scan_only = self.document_name == HOOKS_DOCUMENT and _first(self.parameters, "Operation") == "Scan"
        if scan_only and (inputs.get("documentParameters") or {}).get("Operation") != "Scan":
            return f"{UNSATISFIED} '\"StringEquals\": [Scan, Install]'"
        return None

    def step(self, name, action, platform, inputs):
        started = now()
        reason = self._skip_reason(action, platform, inputs)
        if reason is not None:
            status, code, output = "Success", 0, f"{reason}. Step name: {name}"
        elif self.document_name == PATCH_DOCUMENT and action in SCRIPT_ACTIONS:
            status, code, output = self._patch(self.parameters)
        elif action == "aws:runDocument":
            status, code, output = self._run_document(_substituted(inputs, self.parameters))
        else:
            status, code, output = "Success", 0, ""
        self.plugins.append(
            {
                "Name": name,
                "Status": status,
                "StatusDetails": status,
                "ResponseCode": code,
                "ResponseStartDateTime": started,
                "ResponseFinishDateTime": now(),
                "Output": output[:2500],
                "_ran": reason is None,
            }
        )


def run_steps(state, run, node, document_name, parameters, steps):
    """The plugins of the document run on a node (delivery and platform already checked)."""
    invocation = Invocation(state, run, node, document_name, parameters)
    for name, action, platform, inputs in steps:
        invocation.step(name, action, platform, inputs)
    return invocation.plugins
