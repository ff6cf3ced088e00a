"""Maintenance windows: Create/Get/Update/Delete/DescribeMaintenanceWindows.

Targets and tasks live in windows_targets.py and windows_tasks.py, imported here so that
service.py registers every maintenance-window operation by importing this module.
"""

from . import windows_targets, windows_tasks  # noqa: F401  (they register their operations)
from .common import idempotent, matches_filters, new_id, now, page_result
from .registry import operation
from .tags import apply_tags, drop_tags
from .windows_schedule import check_window
from .windows_store import (
    DEFAULT_PAGE,
    check_filter_keys,
    lowered_filters,
    merged,
    pick,
    require_for_replace,
    window_or_error,
)

SETTINGS = (
    "Name",
    "Description",
    "StartDate",
    "EndDate",
    "Schedule",
    "ScheduleTimezone",
    "ScheduleOffset",
    "Duration",
    "Cutoff",
    "AllowUnassociatedTargets",
)
UPDATABLE = SETTINGS + ("Enabled",)
REQUIRED = ("Name", "Schedule", "Duration", "Cutoff", "AllowUnassociatedTargets")
IDENTITY_FIELDS = (
    "WindowId",
    "Name",
    "Description",
    "Enabled",
    "Duration",
    "Cutoff",
    "Schedule",
    "ScheduleTimezone",
    "ScheduleOffset",
    "EndDate",
    "StartDate",
)
FILTER_KEYS = ("Name", "Enabled")


@operation("CreateMaintenanceWindow")
def create_maintenance_window(state, params):
    def create():
        window = pick(params, SETTINGS)
        # AWS: shape:CreateMaintenanceWindow.Enabled
        # AWS: guide:window-created-enabled
        window["Enabled"] = True
        check_window(window)
        window_id = new_id("mw")
        apply_tags(state, "MaintenanceWindow", window_id, params.get("Tags"))
        created = now()
        window.update(WindowId=window_id, CreatedDate=created, ModifiedDate=created)
        state.windows[window_id] = window
        state.window_targets[window_id] = {}
        state.window_tasks[window_id] = {}
        return {"WindowId": window_id}

    return idempotent(state, "CreateMaintenanceWindow", params, create)


@operation("GetMaintenanceWindow")
def get_maintenance_window(state, params):
    window = window_or_error(state, params["WindowId"])
    return pick(window, ("WindowId",) + UPDATABLE + ("CreatedDate", "ModifiedDate"))


@operation("UpdateMaintenanceWindow")
def update_maintenance_window(state, params):
    window_id = params["WindowId"]
    current = window_or_error(state, window_id)
    # AWS: UpdateMaintenanceWindow.Replace
    replace = bool(params.get("Replace"))
    if replace:
        require_for_replace(params, REQUIRED)
    # Enabled is not a create field: its default (true) is what Replace falls back to.
    updated = merged(current, params, UPDATABLE, replace, defaults={"Enabled": True})
    check_window(updated)
    updated.update(WindowId=window_id, CreatedDate=current["CreatedDate"], ModifiedDate=now())
    state.windows[window_id] = updated
    return pick(updated, ("WindowId",) + UPDATABLE)


@operation("DeleteMaintenanceWindow")
def delete_maintenance_window(state, params):
    # AWS models no DoesNotExistException here: deleting an unknown window succeeds.
    window_id = params["WindowId"]
    state.windows.pop(window_id, None)
    state.window_targets.pop(window_id, None)
    state.window_tasks.pop(window_id, None)
    drop_tags(state, "MaintenanceWindow", window_id)
    return {"WindowId": window_id}


@operation("DescribeMaintenanceWindows")
def describe_maintenance_windows(state, params):
    check_filter_keys(params.get("Filters"), FILTER_KEYS)
    filters = lowered_filters(params.get("Filters"), ("Enabled",))
    getters = {"Name": lambda w: w["Name"], "Enabled": lambda w: str(w["Enabled"]).lower()}
    found = [pick(w, IDENTITY_FIELDS) for w in state.windows.values() if matches_filters(w, filters, getters)]
    return page_result({}, "WindowIdentities", found, params, DEFAULT_PAGE)
