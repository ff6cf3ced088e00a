# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check an API request against botocore's model before sending it, and name the module option.

botocore itself checks only required members, types and minimums; AWS also enforces enums, maximums
and patterns. Checking them here means a bad value fails before any call, so nothing is half-created.
A problem never quotes a value AWS marks sensitive (nor anything inside one).
"""

from __future__ import annotations

import re

from ansible.module_utils.common.dict_transformations import _camel_to_snake
from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import Problem

# botocore's patterns use Java's Unicode classes, which Python's re lacks.
_UNICODE_CLASSES = {
    r"\p{L}": r"\w",
    r"\p{N}": r"\d",
    r"\p{Z}": "\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000",
}
_compiled = {}


def _regex(pattern):
    if pattern not in _compiled:
        text = pattern
        for java, python in _UNICODE_CLASSES.items():
            text = text.replace(java, python)
        _compiled[pattern] = re.compile(text, re.DOTALL)
    return _compiled[pattern]


def service_model(service="ssm"):
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


class RequestChecker:
    """Validates request dicts for one service; `renames` maps API paths to option paths."""

    def __init__(self, service="ssm"):
        self.model = service_model(service)

    def problems(self, operation, request, renames=()):
        """botocore's constraints on a whole request; `renames` turn API paths into option paths."""
        shape = self.model.operation_model(operation).input_shape
        found = []
        _check(shape, request, "", found)
        return [Problem(_rename(path, renames), message, separator) for path, separator, message in found]

    def input_member(self, operation, member):
        """The shape of one member of an operation's input."""
        return self.model.operation_model(operation).input_shape.members[member]

    def shape_problems(self, shape, value, path):
        """botocore's constraints on `value` as `shape` (a shape or the model's name of one), named from the option
        `path`: for a fragment of a request, so no request (and no invented id) has to be built around it."""
        found = []
        _check(self.model.shape_for(shape) if isinstance(shape, str) else shape, value, path, found)
        return [Problem(where.lstrip("."), message, separator) for where, separator, message in found]

    def required(self, path):
        return [Problem(path, "is required", " ")]

    def size_problems(self, shape, size, path):
        """botocore's bounds on the number of items of a list (or entries of a map) of `shape`."""
        found = []
        _count(shape.metadata, size, path, "items" if shape.type_name == "list" else "entries", found)
        return [Problem(where, message, separator) for where, separator, message in found]


def _rename(path, renames):
    for api_prefix, option_prefix in renames:
        path = path.replace(api_prefix, option_prefix)
    return path.lstrip(".")


def _check(shape, value, path, found, secret=False):
    kind, meta = shape.type_name, shape.metadata
    secret = secret or bool(meta.get("sensitive"))
    if kind == "structure" and isinstance(value, dict):
        for name in shape.required_members:
            if value.get(name) is None:
                found.append((f"{path}.{_camel_to_snake(name)}", " ", "is required"))
        for name, member in value.items():
            if name in shape.members and member is not None:
                _check(shape.members[name], member, f"{path}.{_camel_to_snake(name)}", found, secret)
    elif kind == "list" and isinstance(value, list):
        _count(meta, len(value), path, "items", found)
        for index, item in enumerate(value):
            _check(shape.member, item, f"{path}[{index}]", found, secret)
    elif kind == "map" and isinstance(value, dict):
        _count(meta, len(value), path, "entries", found)
        for key, item in value.items():
            _check(shape.key, key, f"{path}[{key}]", found, secret)
            _check(shape.value, item, f"{path}[{key}]", found, secret)
    elif kind == "string" and isinstance(value, str):
        shown = "" if secret else f"'{value}' "
        if shape.enum and value not in shape.enum:
            found.append((path, ": ", f"{shown}is not one of {', '.join(shape.enum)}"))
        elif not _count(meta, len(value), path, "characters", found, None if secret else value) and "pattern" in meta:
            if not _regex(meta["pattern"]).search(value):
                found.append((path, ": ", f"{shown}does not match the pattern {meta['pattern']}"))
    elif kind in ("integer", "long") and isinstance(value, int) and not isinstance(value, bool):
        low, high = meta.get("min"), meta.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            found.append((path, ": ", f"{value} is outside the allowed range {_bounds(low, high)}"))


def _count(meta, size, path, unit, found, shown=None):
    low, high = meta.get("min"), meta.get("max")
    if (low is not None and size < low) or (high is not None and size > high):
        value = f"'{shown}' " if shown is not None else ""
        found.append((path, ": ", f"{value}must have {_bounds(low, high)} {unit}, got {size}"))
        return True
    return False


def _bounds(low, high):
    if low is not None and high is not None:
        return f"{low} to {high}"
    return f"at least {low}" if low is not None else f"at most {high}"
