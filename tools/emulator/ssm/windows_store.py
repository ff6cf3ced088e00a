"""Lookups, Replace semantics and filters shared by the window, target and task handlers."""

import copy

from .errors import does_not_exist, validation_error

# MaxResults has no documented default; the model's minimum keeps callers honest about NextToken.
DEFAULT_PAGE = 10


def window_or_error(state, window_id):
    window = state.windows.get(window_id)
    if window is None:
        raise does_not_exist(f"Maintenance window {window_id} does not exist")
    return window


def target_or_error(state, window_id, target_id):
    target = state.window_targets.get(window_id, {}).get(target_id)
    if target is None:
        raise does_not_exist(f"Maintenance window target {target_id} does not exist")
    return target


def task_or_error(state, window_id, task_id):
    task = state.window_tasks.get(window_id, {}).get(task_id)
    if task is None:
        raise does_not_exist(f"Maintenance window task {task_id} does not exist")
    return task


def require_for_replace(params, required):
    """With Replace=true AWS wants every field that the matching create operation requires."""
    missing = [name for name in required if params.get(name) is None]
    if missing:
        problems = "; ".join(
            f"Value null at '{name[:1].lower() + name[1:]}' failed to satisfy constraint: Member must not be null"
            for name in missing
        )
        noun = "error" if len(missing) == 1 else "errors"
        raise validation_error(f"{len(missing)} validation {noun} detected: {problems}")


def merged(current, params, fields, replace, defaults=None):
    """The record after an update: Replace=true keeps only what was sent (plus defaults);
    otherwise fields sent overwrite and the rest stay."""
    result = {} if replace else copy.deepcopy(current)
    if replace:
        result.update(copy.deepcopy(defaults or {}))
    for name in fields:
        if params.get(name) is not None:
            result[name] = copy.deepcopy(params[name])
    return {name: value for name, value in result.items() if value is not None}


def check_filter_keys(filters, allowed):
    for flt in filters or []:
        if flt.get("Key") not in allowed:
            raise validation_error(
                f"Filter key {flt.get('Key')} is not valid. Valid filter keys are: {', '.join(allowed)}."
            )


def lowered_filters(filters, keys):
    """Filters whose values for the given keys compare case-insensitively (booleans such as Enabled)."""
    result = []
    for flt in filters or []:
        values = flt.get("Values") or []
        if flt.get("Key") in keys:
            values = [value.lower() for value in values]
        result.append({"Key": flt.get("Key"), "Values": values})
    return result


def pick(record, fields):
    return {name: copy.deepcopy(record[name]) for name in fields if record.get(name) is not None}
