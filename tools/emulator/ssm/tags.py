"""Add/Remove/ListTagsForResource for PatchBaseline, MaintenanceWindow, Document, ManagedInstance."""

from .errors import SSMError, invalid_resource_id
from .registry import operation

MAX_TAGS = 50


def _exists(state, resource_type, resource_id):
    if resource_type == "PatchBaseline":
        return resource_id in state.baselines
    if resource_type == "MaintenanceWindow":
        return resource_id in state.windows
    if resource_type == "Document":
        return resource_id in state.documents
    if resource_type == "ManagedInstance":
        # Only registered hybrid nodes (mi-…) are ManagedInstance resources, as in AWS.
        return resource_id in state.extra.get("managed_nodes", {})
    raise SSMError("InvalidResourceType", f"The resource type {resource_type} is not supported by this operation.")


def tag_list(state, resource_type, resource_id):
    current = state.tags.get((resource_type, resource_id), {})
    return [{"Key": k, "Value": v} for k, v in sorted(current.items())]


def apply_tags(state, resource_type, resource_id, tags):
    """Merge a Tags list into a resource; AWS refuses more than 50 tags and reserved aws: keys.

    A resource gets its entry in state.tags with its first tag and keeps it, emptied, when every tag is removed:
    the Resource Groups Tagging API lists resources that are or were tagged (tools/emulator/ssm/tagged.py)."""
    key = (resource_type, resource_id)
    current = dict(state.tags.get(key, {}))
    for tag in tags or []:
        # Not InvalidParameters: that code is not among the errors AddTagsToResource or the Create calls declare.
        # AWS: guide:tag-aws-prefix-reserved
        if tag["Key"].lower().startswith("aws:"):
            raise SSMError("ValidationException", "Tag keys starting with 'aws:' are reserved for internal use.")
        current[tag["Key"]] = tag["Value"]
    if len(current) > MAX_TAGS:
        raise SSMError(
            "TooManyTagsError",
            "The Targets parameter includes too many tags. Remove one or more tags and try the command again.",
        )
    if current or key in state.tags:
        state.tags[key] = current


def drop_tags(state, resource_type, resource_id):
    state.tags.pop((resource_type, resource_id), None)


def _checked(state, params):
    resource_type, resource_id = params["ResourceType"], params["ResourceId"]
    if not _exists(state, resource_type, resource_id):
        raise invalid_resource_id()
    return resource_type, resource_id


@operation("AddTagsToResource")
def add_tags_to_resource(state, params):
    resource_type, resource_id = _checked(state, params)
    if resource_type == "Document" and resource_id.startswith("AWS-"):
        raise invalid_resource_id()
    if resource_type == "PatchBaseline" and state.baselines[resource_id].get("_aws_owned"):
        raise invalid_resource_id()
    apply_tags(state, resource_type, resource_id, params["Tags"])
    return {}


@operation("RemoveTagsFromResource")
def remove_tags_from_resource(state, params):
    resource_type, resource_id = _checked(state, params)
    current = state.tags.get((resource_type, resource_id), {})
    for key in params["TagKeys"]:
        current.pop(key, None)
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(state, params):
    resource_type, resource_id = _checked(state, params)
    return {"TagList": tag_list(state, resource_type, resource_id)}
