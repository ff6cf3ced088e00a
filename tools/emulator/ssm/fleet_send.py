"""Sending a command: the document and its parameters checked, targets resolved, every invocation run.

Commands complete at once. SendCommand answers with the command as AWS first shows it (Status Pending), while
the work on every node is already done: the next ListCommands, ListCommandInvocations or GetCommandInvocation
shows the terminal status, so a client that polls until the status is terminal stops after one read.
state.extra["commands"] maps a CommandId to its record (API fields, plus `_invocations`: node id -> invocation).
"""

import datetime

import regex

from .common import new_uuid, now
from .documents import find
from .documents_content import parse
from .errors import SSMError, validation_error
from .fleet_nodes import area, find_node, resolve_targets
from .fleet_patching import PatchRun
from .fleet_run import document_steps, run_steps

DEFAULT_TIMEOUT_SECONDS = 3600
DEFAULT_MAX_CONCURRENCY = "50"
DEFAULT_MAX_ERRORS = "0"
ECHOED = ("Comment", "OutputS3BucketName", "OutputS3KeyPrefix", "NotificationConfig", "AlarmConfiguration")


def invalid_parameters(message):
    return SSMError("InvalidParameters", message)


def commands(state):
    return area(state, "commands")


def _version(record, requested):
    if requested in (None, "$DEFAULT"):
        return record["Versions"][record["DefaultVersion"]]
    number = str(max(int(n) for n in record["Versions"])) if requested == "$LATEST" else requested
    version = record["Versions"].get(number)
    if version is None:
        raise SSMError("InvalidDocumentVersion", f"Document version {requested} doesn't exist.")
    return version


def command_document(state, params):
    """(document record, version record, parsed content) for SendCommand's DocumentName/Version/Hash."""
    name = params["DocumentName"]
    record = find(state, name)
    if record is None:
        raise SSMError("InvalidDocument", f"Document {name} does not exist.")
    if record["DocumentType"] != "Command":
        raise SSMError(
            "InvalidDocument", f"Document {record['Name']} is of type {record['DocumentType']}, not Command."
        )
    version = _version(record, params.get("DocumentVersion"))
    if params.get("DocumentHash") and params.get("DocumentHashType", "Sha256") == "Sha256":
        if params["DocumentHash"] != version["Hash"]:
            raise SSMError("InvalidDocument", f"The hash of document {record['Name']} doesn't match DocumentHash.")
    return record, version, parse(version["Content"], version["DocumentFormat"])


def _is_reference(value):
    return value.startswith("{{") and value.endswith("}}")  # {{ssm:parameter}} values are resolved on the node


def _check_value(document_name, name, definition, value):
    if _is_reference(value):
        return
    allowed = definition.get("allowedValues")
    if allowed and value not in allowed:
        raise invalid_parameters(f"Value {value} of parameter {name} of {document_name} is not one of {allowed}.")
    pattern = definition.get("allowedPattern")
    if pattern and not regex.search(pattern, value):
        raise invalid_parameters(f"Value {value} of parameter {name} of {document_name} doesn't match {pattern}.")


def checked_parameters(document_name, content, given):
    """The document's parameters with the given values, defaults filled in; InvalidParameters as AWS answers."""
    definitions = content.get("parameters") or {}
    unknown = sorted(set(given) - set(definitions))
    if unknown:
        raise invalid_parameters(f"Parameters {unknown} are not defined in document {document_name}.")
    resolved = {}
    for name, definition in definitions.items():
        if name in given:
            values = given[name]
            if definition.get("type") in ("String", "Integer", "Boolean") and len(values) != 1:
                raise invalid_parameters(f"Parameter {name} of document {document_name} takes a single value.")
            for value in values:
                _check_value(document_name, name, definition, value)
        elif "default" in definition:
            default = definition["default"]
            values = [str(v) for v in default] if isinstance(default, list) else [str(default)]
        else:
            raise invalid_parameters(f"Parameter {name} is required by document {document_name}.")
        resolved[name] = values
    return resolved


def _unknown_instances(state, ids):
    listed = "[" + ", ".join(f"[{node_id}]" for node_id in ids) + "]"
    return SSMError("InvalidInstanceId", f"Instances {listed} not in a valid state for account {state.account}")


def target_nodes(state, params):
    ids, targets = params.get("InstanceIds"), params.get("Targets")
    if ids and targets:
        raise validation_error("Specify either InstanceIds or Targets, not both.")
    if not ids and not targets:
        raise validation_error("Specify either InstanceIds or Targets.")
    if ids:
        if len(set(ids)) != len(ids):
            raise SSMError("DuplicateInstanceId", "The instance IDs in the request contain duplicates.")
        nodes = [find_node(state, node_id) for node_id in ids]
        missing = [node_id for node_id, node in zip(ids, nodes, strict=True) if node is None]
        if missing:
            raise _unknown_instances(state, missing)
        return nodes
    for target in targets:
        if not target.get("Key") or not target.get("Values"):
            raise validation_error("Each target needs a Key and at least one value.")
    return resolve_targets(state, targets)


def allowed_errors(limit, total):
    """MaxErrors as a count: an absolute number or a percentage of the targets (rounded down)."""
    return int(total * int(limit[:-1]) / 100) if limit.endswith("%") else int(limit)


def _s3_url(command, node_id, step, stream):
    """Where SSM Agent would upload the output (empty without OutputS3BucketName, as AWS shows it)."""
    bucket = command.get("OutputS3BucketName")
    if not bucket:
        return ""
    prefix = (command.get("OutputS3KeyPrefix") or "").strip("/")
    parts = (prefix, command["CommandId"], node_id, step.replace(":", ""), stream)
    return f"https://s3.{command['OutputS3Region']}.amazonaws.com/{bucket}/" + "/".join(p for p in parts if p)


def _undelivered(steps, status, details):
    return [
        {"Name": name, "Status": status, "StatusDetails": details, "ResponseCode": -1, "Output": "", "_ran": False}
        for name, _action, _platform, _inputs in steps
    ]


def _invoke(state, run, command, node, parameters, steps, platforms):
    invocation = {
        "CommandId": command["CommandId"],
        "InstanceId": node["InstanceId"],
        "InstanceName": node.get("ComputerName") or "",
        "DocumentName": command["DocumentName"],
        "DocumentVersion": command["DocumentVersion"],
        "RequestedDateTime": command["RequestedDateTime"],
        "StandardOutputUrl": _s3_url(command, node["InstanceId"], "", "stdout"),
        "StandardErrorUrl": _s3_url(command, node["InstanceId"], "", "stderr"),
        "CloudWatchOutputConfig": command["CloudWatchOutputConfig"],
    }
    for field in ("Comment", "ServiceRole", "NotificationConfig"):
        if command.get(field) is not None:
            invocation[field] = command[field]
    if node["PingStatus"] != "Online":
        status, details = "TimedOut", "Delivery Timed Out"
        plugins = _undelivered(steps, status, details)
    elif node["PlatformType"] not in platforms:
        status, details = "Failed", "Invalid Platform"
        plugins = _undelivered(steps, status, details)
    else:
        plugins = run_steps(state, run, node, command["DocumentName"], parameters, steps)
        status = "Failed" if any(plugin["Status"] == "Failed" for plugin in plugins) else "Success"
        details = status
    for plugin in plugins:
        plugin["StandardOutputUrl"] = _s3_url(command, node["InstanceId"], plugin["Name"], "stdout")
        plugin["StandardErrorUrl"] = _s3_url(command, node["InstanceId"], plugin["Name"], "stderr")
        if command.get("OutputS3BucketName"):
            plugin.update(OutputS3Region=command["OutputS3Region"], OutputS3BucketName=command["OutputS3BucketName"])
            plugin["OutputS3KeyPrefix"] = command.get("OutputS3KeyPrefix") or ""
    invocation.update(Status=status, StatusDetails=details, CommandPlugins=plugins)
    return invocation


def _conclude(command):
    invocations = command["_invocations"].values()
    errors = sum(1 for invocation in invocations if invocation["Status"] == "Failed")
    timeouts = sum(1 for invocation in invocations if invocation["Status"] == "TimedOut")
    allowed = allowed_errors(command["MaxErrors"], command["TargetCount"])
    if command["TargetCount"] == 0:
        status, details = "Failed", "No Instances In Tag"
    elif errors > allowed:
        status, details = "Failed", "Failed"
    elif timeouts > allowed:
        status, details = "TimedOut", "Delivery Timed Out"
    elif errors + timeouts:
        # Not enough failures for Failed: AWS calls this Incomplete, a terminal state.
        status, details = "Success", "Incomplete"
    else:
        status, details = "Success", "Success"
    command.update(
        Status=status,
        StatusDetails=details,
        CompletedCount=len(invocations),
        ErrorCount=errors,
        DeliveryTimedOutCount=timeouts,
    )


def send_command(state, params, run=None):
    """Create a command, run it on every target node, and store it; returns the stored record."""
    document, version, content = command_document(state, params)
    nodes = target_nodes(state, params)
    parameters = checked_parameters(document["Name"], content, params.get("Parameters") or {})
    requested = now()
    timeout = params.get("TimeoutSeconds") or DEFAULT_TIMEOUT_SECONDS
    command = {
        "CommandId": new_uuid(),
        "DocumentName": document["Name"],
        "DocumentVersion": params.get("DocumentVersion") or "$DEFAULT",
        "ExpiresAfter": requested + datetime.timedelta(seconds=timeout),
        "Parameters": dict(params.get("Parameters") or {}),
        "InstanceIds": list(params.get("InstanceIds") or []),
        "Targets": list(params.get("Targets") or []),
        "RequestedDateTime": requested,
        "OutputS3Region": params.get("OutputS3Region") or state.region,
        "MaxConcurrency": params.get("MaxConcurrency") or DEFAULT_MAX_CONCURRENCY,
        "MaxErrors": params.get("MaxErrors") or DEFAULT_MAX_ERRORS,
        "TargetCount": len(nodes),
        "CloudWatchOutputConfig": params.get("CloudWatchOutputConfig") or {"CloudWatchOutputEnabled": False},
        "TimeoutSeconds": timeout,
        "_invocations": {},
    }
    command.update({field: params[field] for field in ECHOED if params.get(field) is not None})
    if params.get("ServiceRoleArn"):
        command["ServiceRole"] = params["ServiceRoleArn"]
    run = run or PatchRun(state)
    steps = document_steps(content)
    for node in nodes:
        invocation = _invoke(state, run, command, node, parameters, steps, version["PlatformTypes"])
        command["_invocations"][node["InstanceId"]] = invocation
    _conclude(command)
    commands(state)[command["CommandId"]] = command
    return command
