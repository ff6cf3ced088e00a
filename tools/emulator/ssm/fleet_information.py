"""DescribeInstanceInformation: the managed nodes of the region, with the filters the API reference names."""

from .common import now, page_result
from .errors import SSMError
from .fleet_nodes import all_nodes, node_tags, public_view
from .registry import operation

MAX_RESULTS = 50  # the model's maximum; the API reference names no default page size

PING_STATUSES = ("Online", "ConnectionLost", "Inactive")
RESOURCE_TYPES = ("EC2Instance", "ManagedInstance")
PLATFORM_TYPES = ("Windows", "Linux", "MacOS")


def _field(name):
    return lambda node: node.get(name)


# Filter key -> value(s) of a node it compares with. PlatformType is the spelling some API pages use.
_GETTERS = {
    "InstanceIds": _field("InstanceId"),
    "AgentVersion": _field("AgentVersion"),
    "PingStatus": _field("PingStatus"),
    "PlatformTypes": _field("PlatformType"),
    "PlatformType": _field("PlatformType"),
    "ActivationIds": _field("ActivationId"),
    "IamRole": _field("IamRole"),
    "ResourceType": _field("ResourceType"),
    "AssociationStatus": _field("AssociationStatus"),
    "SourceIds": _field("SourceId"),
    "SourceTypes": _field("SourceType"),
}
_ALLOWED_VALUES = {"PingStatus": PING_STATUSES, "ResourceType": RESOURCE_TYPES, "PlatformTypes": PLATFORM_TYPES}
_ALLOWED_VALUES["PlatformType"] = PLATFORM_TYPES


def _invalid_value(message):
    return SSMError("InvalidInstanceInformationFilterValue", message)


def _checked(key, values, tags_allowed):
    if (key.startswith("tag:") and len(key) > 4) or key == "tag-key":
        if not tags_allowed:
            raise SSMError("InvalidFilterKey", f"The filter key {key} isn't valid in InstanceInformationFilterList.")
        return key, values
    if key not in _GETTERS:
        raise SSMError("InvalidFilterKey", f"The filter key {key} isn't valid.")
    allowed = _ALLOWED_VALUES.get(key)
    if allowed and any(value not in allowed for value in values):
        raise _invalid_value(f"{key} filter is invalid, valid values are {', '.join(allowed)}")
    if key == "ResourceType" and len(values) > 1:
        raise _invalid_value("ResourceType filter may contain only one value.")
    return key, values


def _filters(params):
    """(key, values) pairs from Filters and the legacy InstanceInformationFilterList (which takes no tags)."""
    found = [_checked(f["Key"], f["Values"], True) for f in params.get("Filters") or []]
    found += [_checked(f["key"], f["valueSet"], False) for f in params.get("InstanceInformationFilterList") or []]
    return found


def _matches(node, tags, key, values):
    if key == "tag-key":
        return any(value in tags for value in values)
    if key.startswith("tag:"):
        return tags.get(key[4:]) in values
    return _GETTERS[key](node) in values


@operation("DescribeInstanceInformation")
def describe_instance_information(state, params):
    filters = _filters(params)
    needs_tags = any(key == "tag-key" or key.startswith("tag:") for key, _values in filters)
    selected = all_nodes(state)
    if filters:
        selected = [
            node
            for node in selected
            if all(_matches(node, node_tags(state, node) if needs_tags else {}, key, values) for key, values in filters)
        ]
    result = page_result({}, "InstanceInformationList", selected, params, MAX_RESULTS)
    # Only the page is turned into API records, so 10,000 nodes page quickly.
    result["InstanceInformationList"] = [_shown(node) for node in result["InstanceInformationList"]]
    return result


def _shown(node):
    shown = public_view(node)
    if shown["PingStatus"] == "Online":
        shown["LastPingDateTime"] = now()  # SSM Agent pings every few minutes
    return shown
