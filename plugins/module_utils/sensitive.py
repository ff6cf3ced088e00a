# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values AWS marks sensitive: the options that feed them, where results hold them, and how they are masked.

botocore's SSM model marks some members `sensitive`: descriptions of windows, targets and tasks, a target's owner
information, task invocation parameters, Run Command parameters, patch source configurations. REQUEST_MEMBERS maps
each such member of a request the modules send to the option that feeds it; those options are no_log.
RESULT_PATHS says where the results that are not in the shape of the options hold such values. Every module masks
its results and diffs through `masked` and `masked_diff` with these paths; comparisons always use the real values,
only the output is masked. tests/unit/test_sensitive_options.py keeps REQUEST_MEMBERS complete against botocore and
checks that each option it names is no_log (or restricted by `choices` to a public enumeration).

A path names keys joined by ".": "[]" after a key stands for each item of its list, ".*" for each value of a map
(so a map's keys, document parameter names, stay visible).
"""

from __future__ import annotations

import copy

from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import Problem

MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"  # Ansible's own marker for a no_log value
# In a diff, where a sensitive value changes: it differs visibly from MASK and shows neither value.
CHANGED_MASK = MASK + " (changed)"

_TASK_WRITES = ("RegisterTaskWithMaintenanceWindow", "UpdateMaintenanceWindowTask")
_HOOKS = ("pre_install_hook_doc_name", "post_install_hook_doc_name", "on_exit_hook_doc_name")

# (operation, sensitive request member) -> (module, the option paths that feed it).
REQUEST_MEMBERS = {
    ("CreateMaintenanceWindow", "Description"): ("ssm_maintenance_window", ("description",)),
    ("UpdateMaintenanceWindow", "Description"): ("ssm_maintenance_window", ("description",)),
    **{
        (operation, member): ("ssm_window_target", (option,))
        for operation in ("RegisterTargetWithMaintenanceWindow", "UpdateMaintenanceWindowTarget")
        for member, option in (("Description", "description"), ("OwnerInformation", "owner_information"))
    },
    **{
        (operation, member): ("ssm_window_task", options)
        for operation in _TASK_WRITES
        for member, options in (
            ("Description", ("description",)),
            ("TaskInvocationParameters.RunCommand.Parameters", ("run_command.parameters.*",)),
            ("TaskInvocationParameters.Lambda.Payload", ("lambda.payload",)),
            ("TaskInvocationParameters.StepFunctions.Input", ("step_functions.input",)),
            # No option: an update sends back what AWS holds (window_task.carried_fields); never returned.
            ("TaskParameters", ()),
        )
    },
    ("CreatePatchBaseline", "Sources[].Configuration"): ("ssm_patch_baseline", ("sources[].configuration",)),
    ("UpdatePatchBaseline", "Sources[].Configuration"): ("ssm_patch_baseline", ("sources[].configuration",)),
    # The document parameters; operation and reboot_option are public enumerations (choices), not masked.
    ("SendCommand", "Parameters"): (
        "ssm_patch_now",
        ("operation", "reboot_option", "snapshot_id", "install_override_list", *_HOOKS),
    ),
    # No option: ssm_model_lock writes its own record (holder, token, times), whose point is to be read and shown to
    # waiting runs; AWS marks every parameter value sensitive because parameters usually hold secrets, this one none.
    ("PutParameter", "Value"): ("ssm_model_lock", ()),
}

# Results not in the shape of the options: where they hold values AWS marks sensitive. The other modules return
# their resource in the shape of their options, so its sensitive values sit at the paths of their options.
_TASK_INVOCATION = "windows[].tasks[].task_invocation_parameters"
RESULT_PATHS = {
    "ssm_patch_now": ("request.parameters.*",),
    "ssm_maintenance_window_info": (
        "windows[].description",
        "windows[].targets[].description",
        "windows[].targets[].owner_information",
        "windows[].tasks[].description",
        "windows[].tasks[].task_parameters.*",
        f"{_TASK_INVOCATION}.run_command.parameters.*",
        f"{_TASK_INVOCATION}.lambda.payload",
        f"{_TASK_INVOCATION}.step_functions.input",
        "windows[].executions[].tasks[].invocations[].parameters",
        "windows[].executions[].tasks[].invocations[].owner_information",
    ),
    "ssm_patch_baseline_info": ("baselines[].sources[].configuration",),
}


def option_paths(module_name):
    """The paths of the module's options that feed sensitive members, sorted."""
    return tuple(
        sorted({path for module, paths in REQUEST_MEMBERS.values() if module == module_name for path in paths})
    )


def result_paths(module_name):
    """Where the module's results (its resource, for a resource module) hold values AWS marks sensitive."""
    return RESULT_PATHS.get(module_name) or option_paths(module_name)


# --- masking

_EACH, _VALUES = "[]", "*"
_ABSENT = object()


def _tokens(path):
    tokens = []
    for part in path.split("."):
        if part == _VALUES:
            tokens.append(_VALUES)
        elif part.endswith(_EACH):
            tokens += [part[: -len(_EACH)], _EACH]
        else:
            tokens.append(part)
    return tokens


def _keys(node, token):
    if token == _EACH:
        return list(range(len(node))) if isinstance(node, list) else []
    if token == _VALUES:
        return list(node) if isinstance(node, dict) else []
    return [token] if isinstance(node, dict) and token in node else []


def _get(node, key):
    if isinstance(node, list):
        return node[key] if isinstance(key, int) and key < len(node) else _ABSENT
    return node.get(key, _ABSENT) if isinstance(node, dict) else _ABSENT


def _present(value):
    return value is not _ABSENT and value is not None


def _mask(before, after, tokens):
    """Mask, in place, the values at `tokens` in `before` and in `after` (which may be None)."""
    token, rest = tokens[0], tokens[1:]
    keys = _keys(before, token)
    keys += [key for key in _keys(after, token) if key not in keys]
    for key in keys:
        old, new = _get(before, key), _get(after, key)
        if rest:
            _mask(old, new, rest)
            continue
        if _present(old):
            before[key] = MASK
        if _present(new):
            after[key] = CHANGED_MASK if _present(old) and old != new else MASK


def masked(value, paths):
    """A copy of `value` with MASK in place of every value at `paths` (None and missing ones stay as they are)."""
    value = copy.deepcopy(value)
    for path in paths:
        _mask(value, None, _tokens(path))
    return value


def masked_diff(before, after, paths):
    """Before and after, masked; a sensitive value that changes shows as CHANGED_MASK after, so the diff shows
    that it changed without showing either value."""
    before, after = copy.deepcopy(before), copy.deepcopy(after)
    for path in paths:
        _mask(before, after, _tokens(path))
    return before, after


def mask_problems(paths, params):
    """Problems for options holding MASK, as copied from a result: sending it would replace the real value.

    `paths` are the option paths of sensitive values, or the name of a module whose paths REQUEST_MEMBERS lists.
    """
    found = []
    for path in option_paths(paths) if isinstance(paths, str) else paths:
        _collect(params, _tokens(path), "", found)
    return [
        Problem(
            where,
            f"{MASK} is what results show in place of a value AWS marks sensitive; give the real value "
            "(the _info modules return it with include_sensitive=true)",
        )
        for where in found
    ]


def _collect(node, tokens, where, found):
    token, rest = tokens[0], tokens[1:]
    for key in _keys(node, token):
        value = _get(node, key)
        if token in (_EACH, _VALUES):
            name = f"{where}[{key}]"
        else:
            name = f"{where}.{key}" if where else key
        if rest:
            _collect(value, rest, name, found)
        elif any(isinstance(item, str) and item.startswith(MASK) for item in _as_list(value)):
            found.append(name)


def _as_list(value):
    return value if isinstance(value, list) else [value]
