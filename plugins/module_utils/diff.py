# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Before/after for --diff: the resource as the module returns it, secrets hidden."""

from __future__ import annotations

import copy

HIDDEN = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def _hide(value, secret_paths):
    value = copy.deepcopy(value)
    for path in secret_paths:
        node = value
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
            if node is None:
                break
        if isinstance(node, dict) and node.get(path[-1]) is not None:
            node[path[-1]] = HIDDEN
    return value


def resource_diff(before, after, secret_paths=()):
    """{'before': ..., 'after': ...} of a resource; {} on either side when it does not exist."""
    return {"before": _hide(before or {}, secret_paths), "after": _hide(after or {}, secret_paths)}
