"""Run Command: SendCommand, ListCommands, ListCommandInvocations, GetCommandInvocation and CancelCommand.

How a command is sent and run is in fleet_send.py; this file shows the stored commands as the API does.
"""

import datetime

from .common import page_result
from .errors import SSMError, validation_error
from .fleet_send import commands, send_command
from .registry import operation

MAX_RESULTS = 50  # the model's maximum; the API reference names no default page size
EXECUTING = ("Pending", "InProgress", "Delayed", "Cancelling")


def _public(record):
    return {key: value for key, value in record.items() if not key.startswith("_")}


@operation("SendCommand")
def send_command_operation(state, params):
    command = send_command(state, params)
    # The answer shows the command as just accepted; reads show where it ended (see fleet_send.py).
    shown = _public(command)
    shown.update(Status="Pending", StatusDetails="Pending", CompletedCount=0, ErrorCount=0, DeliveryTimedOutCount=0)
    return {"Command": shown}


def _command(state, command_id):
    command = commands(state).get(command_id)
    if command is None:
        raise SSMError("InvalidCommandId", f"Command ID {command_id} is not valid.")
    return command


def _timestamp(text):
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise validation_error(f"{text} is not a valid ISO 8601 timestamp.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _squeezed(text):
    return text.replace(" ", "").lower()


def _filter_test(flt, for_invocations):
    key, value = flt["key"], flt["value"]
    if key == "InvokedAfter":
        moment = _timestamp(value)
        return lambda item: item["RequestedDateTime"] >= moment
    if key == "InvokedBefore":
        moment = _timestamp(value)
        return lambda item: item["RequestedDateTime"] <= moment
    if key == "Status":
        # Status values name either the status or its detail (TimedOut, DeliveryTimedOut, Incomplete, ...).
        wanted = _squeezed(value)
        return lambda item: wanted in (_squeezed(item["Status"]), _squeezed(item["StatusDetails"]))
    if key == "DocumentName":
        return lambda item: item["DocumentName"] == value
    if for_invocations:
        raise SSMError("InvalidFilterKey", "The ExecutionStage filter can't be used with ListCommandInvocations.")
    if value not in ("Executing", "Complete"):
        raise validation_error(f"ExecutionStage filter value {value} isn't valid: use Executing or Complete.")
    return lambda item: (item["Status"] in EXECUTING) == (value == "Executing")


def _selected(params, items, for_invocations):
    tests = [_filter_test(flt, for_invocations) for flt in params.get("Filters") or []]
    return [item for item in items if all(test(item) for test in tests)]


def _newest_first(state, params):
    if params.get("CommandId"):
        return [_command(state, params["CommandId"])]
    return list(reversed(commands(state).values()))


@operation("ListCommands")
def list_commands(state, params):
    found = _newest_first(state, params)
    if params.get("InstanceId"):
        found = [command for command in found if params["InstanceId"] in command["_invocations"]]
    found = _selected(params, found, for_invocations=False)
    result = page_result({}, "Commands", found, params, MAX_RESULTS)
    result["Commands"] = [_public(command) for command in result["Commands"]]
    return result


def _invocation_view(invocation, details):
    shown = _public(invocation)
    shown["CommandPlugins"] = [_public(plugin) for plugin in invocation["CommandPlugins"]] if details else []
    return shown


@operation("ListCommandInvocations")
def list_command_invocations(state, params):
    found = []
    for command in _newest_first(state, params):
        invocations = command["_invocations"]
        if params.get("InstanceId"):
            found += [invocations[params["InstanceId"]]] if params["InstanceId"] in invocations else []
        else:
            found += invocations.values()
    found = _selected(params, found, for_invocations=True)
    result = page_result({}, "CommandInvocations", found, params, MAX_RESULTS)
    details = bool(params.get("Details"))
    result["CommandInvocations"] = [_invocation_view(i, details) for i in result["CommandInvocations"]]
    return result


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _plugin(invocation, name):
    plugins = invocation["CommandPlugins"]
    if name:
        chosen = [plugin for plugin in plugins if plugin["Name"] == name]
        if not chosen:
            raise SSMError("InvalidPluginName", f"The plugin name {name} is not valid for this invocation.")
        return chosen[0]
    ran = [plugin for plugin in plugins if plugin["_ran"]]
    if len(plugins) == 1 or len(ran) == 1:
        return (ran or plugins)[0]
    if not ran:
        return None  # nothing ran (not delivered): the invocation answers for itself
    raise SSMError(
        "InvalidPluginName",
        "The document has more than one step that ran; specify PluginName (see ListCommandInvocations with Details).",
    )


@operation("GetCommandInvocation")
def get_command_invocation(state, params):
    command = _command(state, params["CommandId"])
    invocation = command["_invocations"].get(params["InstanceId"])
    if invocation is None:
        raise SSMError("InvocationDoesNotExist", "An invocation for the command and managed node doesn't exist.")
    plugin = _plugin(invocation, params.get("PluginName"))
    result = {
        key: invocation[key]
        for key in ("CommandId", "InstanceId", "Comment", "DocumentName", "DocumentVersion", "CloudWatchOutputConfig")
        if invocation.get(key) is not None
    }
    source = plugin or invocation
    failed = source["Status"] == "Failed"
    result.update(
        Status=source["Status"],
        StatusDetails=source["StatusDetails"],
        ResponseCode=plugin["ResponseCode"] if plugin else -1,
        StandardOutputContent=plugin["Output"] if plugin else "",
        StandardOutputUrl=source["StandardOutputUrl"],
        StandardErrorContent="failed to run commands: exit status 1" if failed and plugin else "",
        StandardErrorUrl=source["StandardErrorUrl"],
        ExecutionStartDateTime="",
        ExecutionElapsedTime="",
        ExecutionEndDateTime="",
    )
    if plugin:
        result["PluginName"] = plugin["Name"]
    if plugin and plugin.get("ResponseStartDateTime"):
        started, finished = plugin["ResponseStartDateTime"], plugin["ResponseFinishDateTime"]
        elapsed = (finished - started).total_seconds()
        result.update(
            ExecutionStartDateTime=_iso(started),
            ExecutionEndDateTime=_iso(finished),
            ExecutionElapsedTime=f"PT{elapsed:.3f}S",
        )
    return result


@operation("CancelCommand")
def cancel_command(state, params):
    command = _command(state, params["CommandId"])
    node_ids = params.get("InstanceIds") or list(command["_invocations"])
    if len(set(node_ids)) != len(node_ids):
        raise SSMError("DuplicateInstanceId", "The instance IDs in the request contain duplicates.")
    unknown = [node_id for node_id in node_ids if node_id not in command["_invocations"]]
    if unknown:
        raise SSMError("InvalidInstanceId", f"The command {command['CommandId']} was not sent to {unknown}.")
    # Commands here finish when sent, so nothing is left to cancel: like AWS for a finished command,
    # the call succeeds and changes nothing.
    return {}
