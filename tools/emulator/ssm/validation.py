"""Server-side enforcement of botocore's SSM input model, with AWS's wording.

botocore only checks required members, types and minimums on the client; AWS also rejects values
outside enums, maximums and patterns with a ValidationException listing every violation.
"""

import datetime

import regex  # supports the \\p{L} classes that botocore's patterns use

from .errors import SSMError

_compiled = {}


def _pattern(text):
    if text not in _compiled:
        _compiled[text] = regex.compile(text)
    return _compiled[text]


def _lower_first(name):
    return name[:1].lower() + name[1:]


def _show(value):
    if isinstance(value, (dict, list)):
        return "[" + ", ".join(str(v) for v in value) + "]" if isinstance(value, list) else str(value)
    return str(value)


def _check(shape, value, path, problems):
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be a structure")
            return
        for name in shape.required_members:
            if value.get(name) is None:
                problems.append(
                    f"Value null at '{_join(path, name)}' failed to satisfy constraint: Member must not be null"
                )
        for name, member_value in value.items():
            if name in shape.members and member_value is not None:
                _check(shape.members[name], member_value, _join(path, name), problems)
        return
    if kind == "list":
        if not isinstance(value, list):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be a list")
            return
        _range(meta, len(value), value, path, problems, "length")
        for index, item in enumerate(value):
            _check(shape.member, item, f"{path}.{index + 1}.member", problems)
        return
    if kind == "map":
        if not isinstance(value, dict):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be a map")
            return
        _range(meta, len(value), value, path, problems, "length")
        for key, item in value.items():
            _check(shape.key, key, f"{path}.{key}.key", problems)
            _check(shape.value, item, f"{path}.{key}.value", problems)
        return
    if kind == "string":
        if not isinstance(value, str):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be a string")
            return
        if shape.enum and value not in shape.enum:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
            )
            return
        _range(meta, len(value), value, path, problems, "length")
        if "pattern" in meta and not _pattern(meta["pattern"]).search(value):
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy regular expression pattern: {meta['pattern']}"
            )
        return
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"Value '{value}' at '{path}' failed to satisfy constraint: Member must be a number")
            return
        _range(meta, value, value, path, problems, "value")
        return
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"Value '{value}' at '{path}' failed to satisfy constraint: Member must be a number")
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"Value '{value}' at '{path}' failed to satisfy constraint: Member must be a boolean")
        return
    if kind == "timestamp" and not isinstance(value, (int, float, str, datetime.datetime)):
        problems.append(f"Value '{value}' at '{path}' failed to satisfy constraint: Member must be a timestamp")


def _range(meta, measure, value, path, problems, what):
    shown = _show(value)
    prefix = f"Value '{shown}' at '{path}' failed to satisfy constraint: Member must"
    if "min" in meta and measure < meta["min"]:
        relation = "have value greater than or equal to" if what == "value" else "have length greater than or equal to"
        problems.append(f"{prefix} {relation} {meta['min']}")
    if "max" in meta and measure > meta["max"]:
        relation = "have value less than or equal to" if what == "value" else "have length less than or equal to"
        problems.append(f"{prefix} {relation} {meta['max']}")


def _join(path, name):
    return f"{path}.{_lower_first(name)}" if path else _lower_first(name)


def validate_input(operation_model, params):
    """Raise a ValidationException naming every constraint of the input shape that params break."""
    problems = []
    if operation_model.input_shape is not None:
        _check(operation_model.input_shape, params, "", problems)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise SSMError("ValidationException", f"{count} validation {noun} detected: " + "; ".join(problems))
