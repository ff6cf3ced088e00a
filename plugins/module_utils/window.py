# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Maintenance windows: lookup by name or id, one normalised form, requests, checks and local next runs.

The form is the module's option shape: snake_case keys of FIELDS, None for a setting the window lacks.
Module options use an empty value to remove an optional setting ("" for text, 0 for the offset),
because None already means "leave it alone".
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ansible.module_utils.common.dict_transformations import _camel_to_snake
from ansible_collections.patchmodel.ssm.plugins.module_utils.schedule import (
    next_executions,
    parse_iso8601,
    same_instant,
    validate_schedule,
    validate_schedule_offset,
    validate_timezone,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import exactly_one, get_or_none, paginate

RESOURCE_TYPE = "MaintenanceWindow"
WINDOW_ID = re.compile(r"^mw-[0-9a-f]{17}$")
# Module option -> API member, for every setting a window has.
FIELDS = {
    "name": "Name",
    "description": "Description",
    "schedule": "Schedule",
    "schedule_timezone": "ScheduleTimezone",
    "schedule_offset": "ScheduleOffset",
    "duration": "Duration",
    "cutoff": "Cutoff",
    "allow_unassociated_targets": "AllowUnassociatedTargets",
    "start_date": "StartDate",
    "end_date": "EndDate",
    "enabled": "Enabled",
}
CLEARABLE = ("description", "schedule_timezone", "schedule_offset", "start_date", "end_date")
REQUIRED_TO_CREATE = ("name", "schedule", "duration", "cutoff")
DATES = ("start_date", "end_date")
# The Update request needs a WindowId; this stands in for it when checking options of a window not yet found.
_PLACEHOLDER_ID = "mw-00000000000000000"
NEXT_EXECUTION_COUNT = 3


# --- lookup


def is_window_id(text):
    return bool(text) and bool(WINDOW_ID.match(text))


def get_window(client, window_id):
    """GetMaintenanceWindow's answer without ResponseMetadata, or None when the window does not exist."""
    response = get_or_none(client, "get_maintenance_window", WindowId=window_id)
    if response is not None:
        response.pop("ResponseMetadata", None)
    return response


def windows_named(client, name, filters=()):
    """Identities (DescribeMaintenanceWindows) of every window called exactly `name`."""
    found = paginate(
        client,
        "describe_maintenance_windows",
        "WindowIdentities",
        Filters=[{"Key": "Name", "Values": [name]}, *filters],
        MaxResults=100,
    )
    # AWS's Name filter is not documented as an exact match: compare names here.
    return [identity for identity in found if identity.get("Name") == name]


def find_window(module, client, window):
    """The window (GetMaintenanceWindow's answer) named by an `mw-` id or by its name, or None.

    Names are not unique in AWS: when several windows share the name, the module fails listing their ids.
    """
    if is_window_id(window):
        return get_window(client, window)
    identity = exactly_one(module, windows_named(client, window), "maintenance window", window, "WindowId")
    return get_window(client, identity["WindowId"]) if identity else None


def find_parent_window(module, client):
    """The id of the window a target or task belongs to (option `window`), or None when it does not exist yet.

    Check mode tolerates a missing window (an earlier task of the same run would create it); otherwise a window
    that is not there fails, as the target or task needs it first.
    """
    params = module.params
    window = find_window(module, client, params["window"])
    if window is None and params["state"] == "present" and not module.check_mode:
        module.fail_json(
            msg=f"Maintenance window '{params['window']}' does not exist; create it first "
            "(patchmodel.ssm.ssm_maintenance_window)"
        )
    return window["WindowId"] if window else None


# --- forms


def from_api(window):
    """The form of a GetMaintenanceWindow answer."""
    return {option: window.get(member) for option, member in FIELDS.items()}


def from_options(params):
    """The settings the user set; None for those left alone, "" or 0 for those to remove."""
    return {option: params.get(option) for option in FIELDS}


def _cleared(value):
    return value is None or value == "" or (value == 0 and not isinstance(value, bool))


def merge(current, options):
    """The desired window: options over the current settings (None: keep), removal markers applied.

    A date that names the same instant as the current one keeps the current text, so it is no change.
    """
    desired = {}
    for option in FIELDS:
        wanted = options.get(option)
        kept = (current or {}).get(option)
        if wanted is None:
            desired[option] = kept
        elif option in CLEARABLE and _cleared(wanted):
            desired[option] = None
        elif option in DATES and kept is not None and _same_instant(wanted, kept):
            desired[option] = kept
        else:
            desired[option] = wanted
    return desired


def _same_instant(first, second):
    try:
        return same_instant(first, second)
    except ValueError:
        return False  # not a date: the checks report it


def changed_fields(current, desired):
    """Options whose desired value differs from the window's; dates compare as instants."""
    changed = []
    for option in FIELDS:
        before, after = current.get(option), desired.get(option)
        if option in DATES and before is not None and after is not None:
            if not _same_instant(before, after):
                changed.append(option)
        elif before != after:
            changed.append(option)
    return changed


def to_request(form, create):
    """Create/UpdateMaintenanceWindow parameters for the whole form (Replace semantics: all of it).

    CreateMaintenanceWindow takes no Enabled: AWS creates windows enabled.
    """
    request = {FIELDS[option]: value for option, value in form.items() if option in FIELDS and value is not None}
    if create:
        request.pop("Enabled", None)
    return request


def missing_to_create(form):
    return [option for option in REQUIRED_TO_CREATE if form.get(option) is None]


# --- checks


def _prefixed(option, message):
    return f"{option}: {message}"


def _date_problem(option, text):
    try:
        parse_iso8601(text)
    except ValueError as error:
        return f"{option}: {error}"
    return None


def semantic_problems(form):
    """Rules AWS documents in prose, for whatever settings the form knows (None: unknown or removed)."""
    schedule, offset = form.get("schedule"), form.get("schedule_offset")
    problems = []
    schedule_problems = validate_schedule(schedule) if schedule is not None else []
    problems += [_prefixed("schedule", problem) for problem in schedule_problems]
    if form.get("schedule_timezone"):
        problem = validate_timezone(form["schedule_timezone"])
        if problem:
            problems.append(_prefixed("schedule_timezone", problem))
    # Out-of-range offsets are botocore's constraint (request_problems); this adds the cron-only rule.
    if isinstance(offset, int) and 1 <= offset <= 6 and schedule is not None and not schedule_problems:
        problem = validate_schedule_offset(schedule, offset)
        if problem:
            problems.append(_prefixed("schedule_offset", problem))
    duration, cutoff = form.get("duration"), form.get("cutoff")
    if duration is not None and cutoff is not None and cutoff >= duration:
        problems.append(
            f"cutoff: {cutoff} must be less than duration ({duration}); cutoff is the number of hours before the "
            "end of the window when no new task starts"
        )
    dates = {option: form.get(option) for option in DATES if form.get(option)}
    date_problems = [problem for option, text in dates.items() if (problem := _date_problem(option, text))]
    problems += date_problems
    if len(dates) == 2 and not date_problems and parse_iso8601(dates["start_date"]) >= parse_iso8601(dates["end_date"]):
        problems.append(f"start_date: {dates['start_date']} must be before end_date {dates['end_date']}")
    return problems


def request_problems(checker, form, window_id=None):
    """botocore's constraints on the settings of the form, named by module option."""
    settings = {option: value for option, value in form.items() if not (option in CLEARABLE and _cleared(value))}
    request = to_request(settings, create=False)
    request["WindowId"] = window_id or _PLACEHOLDER_ID
    return checker.problems("UpdateMaintenanceWindow", request)


# --- results

# Maps whose keys are document parameter names, not API members: kept as AWS returns them.
_VERBATIM = ("Parameters", "TaskParameters")


def _snake(value):
    if isinstance(value, dict):
        return {_camel_to_snake(key): item if key in _VERBATIM else _snake(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_snake(item) for item in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")  # a Lambda task's Payload
    return value


def task_from_api(task):
    """A GetMaintenanceWindowTask answer in snake_case, document parameter names and values untouched."""
    return _snake({key: value for key, value in task.items() if key != "ResponseMetadata"})


def _iso(value):
    return value.isoformat() if isinstance(value, datetime) else value


def next_runs(form, created=None, now=None, count=NEXT_EXECUTION_COUNT):
    """The next runs computed locally, as ISO-8601 texts in the window's time zone; [] when there are none
    (also for a disabled window).

    A rate() schedule counts from its start date, or from when the window was created (now, for one not yet
    created) when that start date had already passed: AWS then uses "the current date and time".
    """
    schedule = form.get("schedule")
    if not schedule or form.get("enabled") is False:
        return []  # a disabled window does not run
    now = now or datetime.now(UTC)
    start = form.get("start_date")
    try:
        if schedule.startswith("rate("):
            anchor = created or now
            if start is None or parse_iso8601(start) < anchor:
                start = anchor
        runs = next_executions(
            schedule,
            timezone=form.get("schedule_timezone"),
            offset=form.get("schedule_offset"),
            start_date=start,
            end_date=form.get("end_date"),
            count=count,
            after=now,
        )
    except ValueError:
        return []  # a schedule this module cannot evaluate (AWS accepted it): report no local runs
    return [run.isoformat() for run in runs]


def to_result(form, window_id, tags, api=None, now=None):
    """The window as the modules return it: the form, its id, tags, AWS's dates and the local next runs."""
    api = api or {}
    result = dict(form)
    result.update(
        window_id=window_id,
        tags=dict(tags or {}),
        created_date=_iso(api.get("CreatedDate")),
        modified_date=_iso(api.get("ModifiedDate")),
        next_execution_time=api.get("NextExecutionTime"),
        next_executions=next_runs(form, created=api.get("CreatedDate"), now=now),
    )
    return result


def diff_view(result):
    """What --diff compares: the settings, tags and next runs, without AWS's bookkeeping dates."""
    if not result:
        return {}
    return {
        key: value
        for key, value in result.items()
        if key not in ("created_date", "modified_date", "next_execution_time", "window_id")
    }
