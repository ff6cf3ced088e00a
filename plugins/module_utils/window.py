# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Maintenance windows: the field table, lookup by name or id, checks, local next runs, and the resource the
driver runs for ssm_maintenance_window."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from ansible.module_utils.common.dict_transformations import _camel_to_snake
from ansible_collections.patchmodel.ssm.plugins.module_utils.fields import Field, Form, Value
from ansible_collections.patchmodel.ssm.plugins.module_utils.reads import Reads
from ansible_collections.patchmodel.ssm.plugins.module_utils.resource import Resource, options_spec
from ansible_collections.patchmodel.ssm.plugins.module_utils.schedule import (
    next_executions,
    parse_iso8601,
    validate_schedule,
    validate_schedule_offset,
    validate_timezone,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import exactly_one, get_or_none, paginate
from ansible_collections.patchmodel.ssm.plugins.module_utils.tags import tags_for_create

RESOURCE_TYPE = "MaintenanceWindow"
WINDOW_ID = re.compile(r"^mw-[0-9a-f]{17}$")


class Instant(Value):
    """An ISO-8601 date and time, compared as the instant it names: an equal instant written otherwise keeps the
    stored text, so it is no change."""

    def canonical(self, value):
        try:
            return parse_iso8601(value) if value is not None else None
        except ValueError:
            return value  # not a date: the checks report it

    def merge(self, current, wanted):
        return current if current is not None and self.canonical(current) == self.canonical(wanted) else wanted


INSTANT = Instant()

# Module options use an empty value to remove an optional setting ("" for text, 0 for the offset), because None
# already means "leave it alone". UpdateMaintenanceWindow with Replace=true sets what it is not sent to null, so the
# request always carries the whole window.  # AWS: UpdateMaintenanceWindow.Replace
FORM = Form(
    Field("name", "Name"),
    Field("description", "Description", sensitive=True, clear=""),
    Field("schedule", "Schedule"),
    Field("schedule_timezone", "ScheduleTimezone", clear=""),  # none: UTC  # AWS: guide:window-schedule-timezone-utc
    Field("schedule_offset", "ScheduleOffset", clear=0, type="int"),
    Field("duration", "Duration", type="int"),
    Field("cutoff", "Cutoff", type="int"),
    Field("allow_unassociated_targets", "AllowUnassociatedTargets", type="bool", default=False),
    Field("start_date", "StartDate", INSTANT, clear=""),  # AWS: CreateMaintenanceWindow.StartDate
    Field("end_date", "EndDate", INSTANT, clear=""),  # AWS: CreateMaintenanceWindow.EndDate
    # CreateMaintenanceWindow takes no Enabled: AWS creates windows enabled, and a window to create disabled is
    # disabled by an update right after.  # AWS: shape:CreateMaintenanceWindow.Enabled, guide:window-created-enabled
    Field("enabled", "Enabled", create=False, type="bool", default=True),
)
FIELDS = FORM.options
REQUIRED_TO_CREATE = ("name", "schedule", "duration", "cutoff")
DATES = ("start_date", "end_date")
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


def window_by_id(reads, window_id):
    """GetMaintenanceWindow's answer (or None), read once per run."""
    return reads.once(("window", window_id), lambda: get_window(reads.client, window_id))


def window_identities(reads, name):
    """Identities of the windows called `name`: by AWS's Name filter, or from the run's one listing of every window."""
    if not reads.listing:
        return windows_named(reads.client, name)
    every = reads.once(
        ("windows",), lambda: paginate(reads.client, "describe_maintenance_windows", "WindowIdentities", MaxResults=100)
    )
    return [identity for identity in every if identity.get("Name") == name]


def find_window(module, client, window, reads=None):
    """The window (GetMaintenanceWindow's answer) named by an `mw-` id or by its name, or None.

    Names are not unique in AWS: when several windows share the name, the module fails listing their ids.
    """
    reads = reads or Reads(client)
    if is_window_id(window):
        return window_by_id(reads, window)
    identity = exactly_one(module, window_identities(reads, window), "maintenance window", window, "WindowId")
    return window_by_id(reads, identity["WindowId"]) if identity else None


def find_parent_window(module, reads):
    """The id of the window a target or task belongs to (option `window`), or None when it does not exist yet.

    Check mode tolerates a missing window (an earlier task of the same run would create it); otherwise a window
    that is not there fails, as the target or task needs it first.
    """
    params = module.params
    window = find_window(module, reads.client, params["window"], reads)
    if window is None and params["state"] == "present" and not module.check_mode:
        module.fail_json(
            msg=f"Maintenance window '{params['window']}' does not exist; create it first "
            "(patchmodel.ssm.ssm_maintenance_window)"
        )
    return window["WindowId"] if window else None


# --- forms


def from_api(window):
    """The form of a GetMaintenanceWindow answer."""
    return FORM.from_api(window)


def from_options(params):
    """The settings the user set; None for those left alone, "" or 0 for those to remove."""
    return FORM.from_options(params)


def merge(current, options):
    """The desired window: options over the current settings (None: keep), removal markers applied."""
    return FORM.merge(current, options)


def changed_fields(current, desired):
    """Options whose desired value differs from the window's; dates compare as instants."""
    return FORM.changed(current, desired)


def to_request(form, create):
    """Create/UpdateMaintenanceWindow parameters for the whole form (Replace semantics: all of it)."""
    return FORM.to_request(form, create)


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
    """botocore's constraints on the settings of the form (and on a window id), named by module option."""
    problems = FORM.problems(checker, "UpdateMaintenanceWindow", form)
    if window_id is not None:
        problems += checker.shape_problems(
            checker.input_member("GetMaintenanceWindow", "WindowId"), window_id, "window_id"
        )
    return problems


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


# --- the resource


class Window(Resource):
    kind = "maintenance window"
    result_key = "window"
    form = FORM
    id_key = "WindowId"
    id_option = "window_id"
    arn_type = "maintenancewindow"
    rules = {"required_one_of": [("name", "window_id")]}

    @classmethod
    def argument_spec(cls):
        return options_spec(FORM, "window_id", tagged=True)
    tag_type = RESOURCE_TYPE

    def option_problems(self):
        # Every option is checked before the first call, so a bad value never costs a lookup or half a change.
        options = from_options(self.params)
        return semantic_problems(options) + request_problems(self.checker, options, self.params["window_id"])

    def find(self):
        current = find_window(self.module, self.client, self.params["window_id"] or self.params["name"], self.reads)
        if current is None and self.params["window_id"] and self.params["state"] == "present":
            self.module.fail_json(
                msg=f"No maintenance window has the id {self.params['window_id']}. To create one, give name, "
                "schedule, duration and cutoff without window_id."
            )
        return current

    def describe(self, current):
        window_id = current["WindowId"]
        return to_result(from_api(current), window_id, self.reads.tags(RESOURCE_TYPE, window_id), current)

    def delete(self, current, before):
        self.client.delete_maintenance_window(aws_retry=True, WindowId=current["WindowId"])

    def state_problems(self, current_form, desired):
        missing = missing_to_create(desired) if current_form is None else []
        if missing:
            self.module.fail_json(
                msg=f"Maintenance window '{self.params['name']}' does not exist; to create it, also give: "
                f"{', '.join(missing)}.",
                missing=missing,
            )
        # The options passed their own checks; these catch combinations with kept settings (cutoff vs duration).
        return semantic_problems(desired) + request_problems(self.checker, desired, self.params["window_id"])

    def create(self, desired):
        response = self.client.create_maintenance_window(
            aws_retry=True,
            ClientToken=str(uuid.uuid4()),
            **to_request(desired, create=True),
            **tags_for_create(self.params["tags"]),
        )
        window_id = response["WindowId"]
        if not desired["enabled"]:
            self.client.update_maintenance_window(aws_retry=True, WindowId=window_id, Enabled=False)
        return window_id

    def update(self, current, desired):
        self.client.update_maintenance_window(
            aws_retry=True, WindowId=current["WindowId"], Replace=True, **to_request(desired, create=False)
        )

    def read(self, identity, current, desired, wrote):
        if current is None:
            return to_result(desired, identity, self.tags, get_window(self.client, identity))
        window = get_window(self.client, identity) if wrote else current
        return to_result(from_api(window), identity, self.tags, window)

    def predicted(self, identity, current, desired):
        return to_result(desired, identity, self.tags, current)

    def extras(self, after):
        return {"next_executions": (after or {}).get("next_executions", [])}

    def diff_view(self, result):
        return diff_view(result)
