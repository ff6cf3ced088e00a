# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet membership: which instances need their patch group tag written or removed."""

from __future__ import annotations


def batches(items, size):
    """Consecutive slices of at most `size` items."""
    return [items[start : start + size] for start in range(0, len(items), size)]


def instances_to_change(instances, key, value, state):
    """Sorted ids of instances whose tag `key` must become `value` (present) or go (absent, only if it is `value`)."""
    changes = []
    for instance in instances:
        tags = {tag["Key"]: tag["Value"] for tag in instance.get("Tags") or []}
        has_value = tags.get(key) == value
        if (state == "present" and not has_value) or (state == "absent" and has_value):
            changes.append(instance["InstanceId"])
    return sorted(changes)
