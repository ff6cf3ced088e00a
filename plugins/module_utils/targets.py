# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options ssm_window_target and ssm_window_task share: `targets` (its shape and checks) and the window part's
window and state (window_part_spec). Their documentation is the doc fragments patchmodel.ssm.targets and
patchmodel.ssm.window_part; keep them in step (a unit test compares the targets).

AWS documents which keys each resource accepts: window targets select nodes by instance id, tag or resource
group (RegisterTargetWithMaintenanceWindow); tasks name instance ids or registered window targets only
(RegisterTaskWithMaintenanceWindow).
"""

from __future__ import annotations

import re

from ansible_collections.patchmodel.ssm.plugins.module_utils.fields import SEND_ALWAYS, STRINGS, Field, Records
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import problem
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import options_spec

TAG_PREFIX = "tag:"
RESOURCE_GROUP_KEYS = ("resource-groups:Name", "resource-groups:ResourceTypeFilters")
WINDOW_TARGET_KEYS = ("InstanceIds", TAG_PREFIX + "<tag key>", "tag-key") + RESOURCE_GROUP_KEYS
TASK_TARGET_KEYS = ("InstanceIds", "WindowTargetIds")
MAX_TAG_KEY_LENGTH = 128

INSTANCE_ID = re.compile(r"^(i|mi)-[0-9a-f]{8}([0-9a-f]{9})?$")
WINDOW_TARGET_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
RESOURCE_TYPE_FILTER = re.compile(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$")


# The `targets` of window targets and tasks as a field shape: AWS orders neither the list nor a key's values.
TARGETS = Records(
    Field("key", "Key", send=SEND_ALWAYS, required=True, no_log=False),
    Field("values", "Values", STRINGS, send=SEND_ALWAYS, required=True),
    ordered=False,
)


def window_part_spec(form, id_option, **options):
    """The argument spec of a part of a maintenance window: its table's options, the window, its id, state, more."""
    return options_spec(form, id_option, window=dict(type="str", required=True), **options)


def implied_resource_type(targets):
    """The resource type the targets call for: resource group keys need RESOURCE_GROUP."""
    return "RESOURCE_GROUP" if any(target["key"] in RESOURCE_GROUP_KEYS for target in targets or []) else "INSTANCE"


def _values_problems(where, key, values):
    if not values:
        return [problem(f"{where}.values", f"list at least one value for {key}")]
    checks = {"InstanceIds": (INSTANCE_ID, "an instance id such as i-0123456789abcdef0 or mi-0123456789abcdef0")}
    checks["WindowTargetIds"] = (WINDOW_TARGET_ID, "a window target id (a UUID)")
    checks["resource-groups:ResourceTypeFilters"] = (RESOURCE_TYPE_FILTER, "a resource type such as AWS::EC2::Instance")
    if key == "resource-groups:Name" and len(values) != 1:
        return [
            problem(f"{where}.values", f"resource-groups:Name takes exactly one resource group name, got {len(values)}")
        ]
    if key not in checks:
        return []
    pattern, expected = checks[key]
    return [
        problem(f"{where}.values[{index}]", f"'{value}' is not {expected}")
        for index, value in enumerate(values)
        if not pattern.match(value)
    ]


def _key_problem(where, key, allowed, hint=""):
    takes_tags = TAG_PREFIX + "<tag key>" in allowed
    if key.startswith(TAG_PREFIX) and takes_tags:
        tag_key = key[len(TAG_PREFIX) :]
        if not tag_key or len(tag_key) > MAX_TAG_KEY_LENGTH:
            return problem(
                f"{where}.key", f"'{key}' needs a tag key of 1 to {MAX_TAG_KEY_LENGTH} characters after 'tag:'"
            )
        return None
    if key in allowed:
        return None
    # Keys are case-sensitive; point out the spelling AWS expects.
    if takes_tags and key.lower().startswith(TAG_PREFIX):
        spelled = TAG_PREFIX + key[len(TAG_PREFIX) :]
    else:
        spelled = next((name for name in allowed if name.lower() == key.lower()), None)
    suggestion = f" (did you mean {spelled}?)" if spelled else ""
    return problem(
        f"{where}.key", f"'{key}' is not a valid target key{suggestion}; use one of {', '.join(allowed)}{hint}"
    )


def _problems(targets, allowed, option, hint=""):
    problems = []
    for index, target in enumerate(targets or []):
        where = f"{option}[{index}]"
        key, values = target.get("key") or "", target.get("values") or []
        problem = _key_problem(where, key, allowed, hint)
        problems += [problem] if problem else _values_problems(where, key, values)
    return problems


def window_target_problems(targets, resource_type, option="targets"):
    """Problems in a window target's targets; `resource_type` None means it follows from the keys."""
    problems = _problems(targets, WINDOW_TARGET_KEYS, option)
    if problems or not targets or resource_type is None:
        return problems
    wanted = implied_resource_type(targets)
    groups = [target["key"] for target in targets if target["key"] in RESOURCE_GROUP_KEYS]
    if resource_type == "INSTANCE" and groups:
        problems.append(problem(option, f"{groups[0]} selects a resource group; it needs resource_type RESOURCE_GROUP"))
    elif resource_type == "RESOURCE_GROUP" and wanted != resource_type:
        problems.append(
            problem(option, f"resource_type RESOURCE_GROUP needs targets keyed {' or '.join(RESOURCE_GROUP_KEYS)}")
        )
    return problems


def task_target_problems(targets, option="targets"):
    """Problems in a task's targets: AWS takes instance ids or registered window target ids there."""
    hint = ". To select nodes by tag or resource group, register a window target and name it in window_targets"
    return _problems(targets, TASK_TARGET_KEYS, option, hint)
