# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SSM resource tags (PatchBaseline, MaintenanceWindow, Document, ManagedInstance) the amazon.aws way."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
    compare_aws_tags,
)


def get_tags(client, resource_type, resource_id):
    response = client.list_tags_for_resource(aws_retry=True, ResourceType=resource_type, ResourceId=resource_id)
    return boto3_tag_list_to_ansible_dict(response.get("TagList") or [])


def tags_for_create(tags):
    """The Tags parameter of a Create call, or {} when the user gave none."""
    return {"Tags": ansible_dict_to_boto3_tag_list(tags)} if tags else {}


def compare_tags(current, desired, purge):
    """(to add, to remove) that bring `current` tags to `desired` (None: leave alone)."""
    return ([], []) if desired is None else compare_aws_tags(current, desired, purge)


def ensure_tags(client, check_mode, resource_type, resource_id, current, desired, purge):
    """Bring tags to `desired` (None: leave alone). Returns (changed, resulting tags)."""
    to_add, to_remove = compare_tags(current, desired, purge)
    if not to_add and not to_remove:
        return False, current
    result = {key: value for key, value in current.items() if key not in to_remove}
    result.update(to_add)
    if not check_mode:
        if to_remove:
            client.remove_tags_from_resource(
                aws_retry=True, ResourceType=resource_type, ResourceId=resource_id, TagKeys=to_remove
            )
        if to_add:
            client.add_tags_to_resource(
                aws_retry=True,
                ResourceType=resource_type,
                ResourceId=resource_id,
                Tags=ansible_dict_to_boto3_tag_list(to_add),
            )
    return True, result


def tag_problems(checker, tags):
    """Every problem of the `tags` option, named by tag key: botocore's Tag shape (key and value lengths and
    patterns), and the aws: prefix, which AWS reserves for its own tags in every service, in any case ("Tag naming
    limits and requirements", AWS tagging documentation)."""
    problems = []
    for key, value in (tags or {}).items():
        problems += checker.shape_problems("Tag", {"Key": key, "Value": value}, f"tags[{key!r}]")
        if str(key).lower().startswith("aws:"):  # AWS: guide:tag-aws-prefix-reserved
            problems.append(f"tags: key '{key}' starts with 'aws:', which AWS reserves for its own tags")
    return problems
