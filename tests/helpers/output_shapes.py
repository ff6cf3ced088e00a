"""Check a JSON response body against botocore's output shape for its operation."""

import botocore.session

SSM_MODEL = botocore.session.get_session().get_service_model("ssm")

_JSON_TYPES = {
    "string": str,
    "boolean": bool,
    "integer": int,
    "long": int,
    "float": (int, float),
    "double": (int, float),
    "timestamp": (int, float),
    "blob": str,
}


def output_problems(operation, body, model=SSM_MODEL):
    """Every way `body` departs from the operation's output shape: unknown members, wrong types, enums."""
    shape = model.operation_model(operation).output_shape
    problems = []
    if shape is None:
        return [] if not body else [f"{operation}: has no output shape but returned {sorted(body)}"]
    _walk(shape, body, operation, problems)
    return problems


def _walk(shape, value, path, problems):
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a structure, got {type(value).__name__}")
            return
        for name, member in value.items():
            if name not in shape.members:
                problems.append(f"{path}.{name}: not a member of {shape.name}")
            elif member is not None:
                _walk(shape.members[name], member, f"{path}.{name}", problems)
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list, got {type(value).__name__}")
            return
        for index, item in enumerate(value):
            _walk(shape.member, item, f"{path}[{index}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a map, got {type(value).__name__}")
            return
        for key, item in value.items():
            _walk(shape.key, key, f"{path}<key>", problems)
            _walk(shape.value, item, f"{path}[{key}]", problems)
    else:
        expected = _JSON_TYPES[kind]
        if isinstance(value, bool) and kind not in ("boolean",):
            problems.append(f"{path}: expected {kind}, got a boolean")
        elif not isinstance(value, expected):
            problems.append(f"{path}: expected {kind}, got {type(value).__name__}")
        elif kind == "string" and shape.enum and value not in shape.enum:
            problems.append(f"{path}: '{value}' is not in the enum {shape.name}")
