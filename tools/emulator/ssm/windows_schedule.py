"""Semantic checks of a maintenance window's schedule, offset, time zone, dates, duration and cutoff.

The syntax is AWS's maintenance-window dialect (Systems Manager user guide, "Cron and rate
expressions"): cron() with six fields, or seven with a leading seconds field; rate(value unit)
with a singular unit for 1 and a plural one otherwise; at(yyyy-mm-ddThh:mm:ss) for one run.
"""

import datetime
import functools
import re
import zoneinfo

from .errors import validation_error

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
_AT = re.compile(r"at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")
_CRON = re.compile(r"cron\((.*)\)")


def _value(token, low, high, names=()):
    if token.isdigit():
        return low <= int(token) <= high
    return token.upper() in names


def _range_or_value(token, low, high, names):
    """`v`, `v-v` or `*`, optionally followed by `/step`."""
    base, _, step = token.partition("/")
    if step and not (step.isdigit() and int(step) > 0):
        return False
    if base == "*":
        return True
    first, dash, last = base.partition("-")
    if dash:
        return _value(first, low, high, names) and _value(last, low, high, names)
    return _value(base, low, high, names)


def _day_of_month_special(token):
    return token in ("L", "LW") or bool(re.fullmatch(r"([1-9]|[12]\d|3[01])W", token))


def _day_of_week_special(token):
    if token == "L":
        return True
    day, hash_mark, nth = token.partition("#")
    if hash_mark:
        return _value(day, 1, 7, WEEKDAYS) and nth in ("1", "2", "3", "4", "5")
    return token.endswith("L") and _value(token[:-1], 1, 7, WEEKDAYS)


def _field(text, low, high, names=(), question=False, special=None):
    if question and text == "?":
        return True
    for token in text.split(","):
        if special and special(token):
            continue
        if not token or not _range_or_value(token, low, high, names):
            return False
    return True


def _cron_ok(body):
    fields = body.split()
    if len(fields) == 7:
        if not _field(fields[0], 0, 59):
            return False
        fields = fields[1:]
    if len(fields) != 6:
        return False
    minute, hour, day_of_month, month, day_of_week, year = fields
    # AWS needs `?` in exactly one of the two day fields.
    if (day_of_month == "?") == (day_of_week == "?"):
        return False
    return (
        _field(minute, 0, 59)
        and _field(hour, 0, 23)
        and _field(day_of_month, 1, 31, question=True, special=_day_of_month_special)
        and _field(month, 1, 12, MONTHS)
        and _field(day_of_week, 1, 7, WEEKDAYS, question=True, special=_day_of_week_special)
        and _field(year, 1970, 2199)
    )


def _rate_ok(match):
    value, unit = int(match.group(1)), match.group(2)
    if value < 1:
        return False
    return unit.endswith("s") != (value == 1)


def _at_ok(match):
    try:
        datetime.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    return True


def schedule_kind(schedule):
    """'cron', 'rate' or 'at' for a valid expression; a ValidationException otherwise."""
    cron = _CRON.fullmatch(schedule)
    if cron and _cron_ok(cron.group(1)):
        return "cron"
    rate = _RATE.fullmatch(schedule)
    if rate and _rate_ok(rate):
        return "rate"
    at = _AT.fullmatch(schedule)
    if at and _at_ok(at):
        return "at"
    raise validation_error(
        f"Schedule expression {schedule} is invalid. Use cron() with six fields, "
        "rate(value unit) or at(yyyy-mm-ddThh:mm:ss)."
    )


@functools.cache
def _time_zones():
    return frozenset(zoneinfo.available_timezones())


# AWS: CreateMaintenanceWindow.StartDate
# AWS: CreateMaintenanceWindow.EndDate
def _parse_date(field, value):
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise validation_error(f"{field} {value} is not a valid ISO-8601 date and time.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def check_window(window):
    """Raise the ValidationException AWS gives for a window whose fields contradict each other."""
    duration, cutoff = window["Duration"], window["Cutoff"]
    if cutoff >= duration:
        # AWS's own wording, including its spacing.
        raise validation_error(f"Cutoff was {cutoff} but must be smaller than {duration - 1} (Duration - 1 )")
    kind = schedule_kind(window["Schedule"])
    if window.get("ScheduleOffset") is not None and kind != "cron":
        raise validation_error("ScheduleOffset is only supported with a cron expression schedule.")
    timezone = window.get("ScheduleTimezone")
    if timezone is not None and timezone not in _time_zones():
        raise validation_error(f"ScheduleTimezone {timezone} is not a valid IANA time zone.")
    start, end = window.get("StartDate"), window.get("EndDate")
    start_moment = _parse_date("StartDate", start) if start else None
    end_moment = _parse_date("EndDate", end) if end else None
    if start_moment and end_moment and start_moment >= end_moment:
        raise validation_error(f"StartDate {start} must be earlier than EndDate {end}.")
