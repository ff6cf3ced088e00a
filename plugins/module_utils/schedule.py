# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Maintenance-window schedules (cron, rate, at) validated and evaluated locally, standard library only.

The dialect is the one in "Reference: Cron and rate expressions for Systems Manager" (maintenance
window section) and the CreateMaintenanceWindow API reference:

- ``cron(minutes hours day-of-month month day-of-week year)``; maintenance windows also accept a
  seventh, leading ``seconds`` field. ``?`` goes in exactly one of day-of-month / day-of-week.
  Day-of-week counts 1-7 from Sunday. ``L``, ``LW``, ``<day>W``, ``<day>L`` and ``<day>#<n>`` as
  documented; ranges may wrap (``FRI-MON``) except in the year. AWS doesn't support cron schedules
  that fire more often than every 5 minutes, so those are rejected too.
- ``rate(<value> <unit>)``: unit minute(s), hour(s) or day(s); value 1 takes the singular, more the
  plural. No minimum is documented for maintenance windows, so none is enforced.
- ``at(yyyy-mm-ddThh:mm:ss)``: one run.

Evaluation choices (``next_executions``), where the SSM documentation is silent we follow what AWS
documents for EventBridge Scheduler:

- cron and at() wall-clock times are in the window's ScheduleTimezone (UTC when unset). A time that
  doesn't exist (spring-forward gap) is skipped; a time that repeats (fall-back) runs once, at its
  first occurrence.
- ScheduleOffset moves each cron match N calendar days later at the same wall-clock time. A match
  before StartDate never runs, even when its offset run would fall inside the active period (AWS:
  "the maintenance window will not run in the period"). For a freshly created window, pass its
  creation time as ``start_date`` to get that rule for the creation moment too.
- rate() runs at anchor + k * interval (k >= 0) with the anchor at ``start_date`` when given, else at
  ``after``. Intervals are elapsed time (a day is 24 hours), so across a DST change the wall-clock
  time moves. AWS uses the creation time instead of a StartDate that is already past at creation.
- A run is kept when StartDate <= run < EndDate and run > ``after``.
- ISO-8601 texts without an offset are read as UTC.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

MIN_CRON_INTERVAL = timedelta(minutes=5)
SCHEDULE_MAX_LENGTH = 256
OFFSET_RANGE = (1, 6)
FORMS = "cron(<fields>), rate(<value> <unit>) or at(yyyy-mm-ddThh:mm:ss)"
RATE_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
DAY_NAMES = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAY_TOKEN = r"([0-9]+|[A-Z]{3})"
_SPAN = re.compile(r"(?P<start>\*|[0-9A-Z]+)(?:-(?P<end>[0-9A-Z]+))?(?:/(?P<step>[0-9]+))?")
_TOO_OFTEN = "AWS doesn't support cron schedules more frequent than every 5 minutes (use e.g. 0/5 in minutes)"
_AT = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})")


class _Field:
    def __init__(self, name, low, high, allowed, names=()):
        self.name = name
        self.low = low
        self.high = high
        self.allowed = allowed
        self.names = {text: low + index for index, text in enumerate(names)}


SECONDS = _Field("seconds", 0, 59, "0-59 with , - * /")
MINUTES = _Field("minutes", 0, 59, "0-59 with , - * /")
HOURS = _Field("hours", 0, 23, "0-23 with , - * /")
DAY_OF_MONTH = _Field("day-of-month", 1, 31, "1-31 with , - * /, or L, LW, <day>W (e.g. 15W) or ?")
MONTH = _Field("month", 1, 12, "1-12 or JAN-DEC with , - * /", MONTH_NAMES)
DAY_OF_WEEK = _Field(
    "day-of-week",
    1,
    7,
    "1-7 (1=SUN) or SUN-SAT with , - * /, or L, <day>L (e.g. 6L), <day>#<1-5> (e.g. WED#1) or ?",
    DAY_NAMES,
)
YEAR = _Field("year", 1970, 2199, "1970-2199 with , - * /")


class CronSchedule:
    """A parsed cron(): sorted value tuples per field and one rule that picks the days of a month."""

    def __init__(self, seconds, minutes, hours, months, years, day_rule):
        self.seconds = seconds
        self.minutes = minutes
        self.hours = hours
        self.months = months
        self.years = years
        self.day_rule = day_rule

    def days(self, year, month):
        """The matching days of one month, ascending."""
        last = calendar.monthrange(year, month)[1]
        kind, arg = self.day_rule
        if kind == "dom":
            return [day for day in arg if day <= last]
        if kind == "last":
            return [last]
        if kind == "nearest_weekday":
            return [_nearest_weekday(year, month, last if arg == "L" else arg)] if arg == "L" or arg <= last else []
        first_weekday = _aws_weekday(date(year, month, 1))
        if kind == "dow":
            return [day for day in range(1, last + 1) if (first_weekday + day - 2) % 7 + 1 in arg]
        if kind == "last_dow":
            last_weekday = (first_weekday + last - 2) % 7 + 1
            return [last - (last_weekday - arg) % 7]
        weekday, nth = arg  # "nth_dow"
        day = 1 + (weekday - first_weekday) % 7 + 7 * (nth - 1)
        return [day] if day <= last else []

    def wall_times(self, since):
        """Naive wall-clock datetimes >= since, ascending; steps by field value, never minute by minute."""
        for year in self.years:
            if year < since.year:
                continue
            for month in self.months:
                if (year, month) < (since.year, since.month):
                    continue
                for day in self.days(year, month):
                    if date(year, month, day) < since.date():
                        continue
                    for hour in self.hours:
                        for minute in self.minutes:
                            for second in self.seconds:
                                moment = datetime(year, month, day, hour, minute, second)
                                if moment >= since:
                                    yield moment


def _aws_weekday(day):
    """1=SUN .. 7=SAT, as AWS numbers days of the week."""
    return (day.weekday() + 1) % 7 + 1


def _nearest_weekday(year, month, day):
    """The weekday nearest to the day, never leaving the month (what 15W and LW mean)."""
    last = calendar.monthrange(year, month)[1]
    weekday = date(year, month, day).weekday()
    if weekday == 5:  # Saturday
        return day - 1 if day > 1 else day + 2
    if weekday == 6:  # Sunday
        return day + 1 if day < last else day - 2
    return day


def _field_problem(field, text, detail):
    return f"{field.name} field '{text}': {detail}"


def _token_problem(field, token):
    """Why one token of a field is not a value, naming what the field allows."""
    if token == "?":
        return "'?' must stand alone, and only in day-of-month or day-of-week"
    if "#" in token:
        if field is DAY_OF_WEEK:
            return "'#' must be the only expression in the field (e.g. WED#1; '3#1,6#3' is invalid)"
        return "'#' is allowed only in day-of-week (e.g. WED#1)"
    if (token.endswith("W") and token[:-1].isdigit()) or token == "LW":
        if field is DAY_OF_MONTH:
            return f"'{token}' must stand alone in the field (no list, range or step)"
        return "'W' is allowed only in day-of-month (e.g. 15W)"
    if "L" in token and (token == "L" or token[:-1].isdigit() or token[:-1] in DAY_NAMES):
        if field in (DAY_OF_MONTH, DAY_OF_WEEK):
            return f"'{token}' must stand alone in the field (no list, range or step)"
        return "'L' is allowed only in day-of-month and day-of-week"
    if field is DAY_OF_WEEK and token == "0":
        return "0 is not a day: AWS numbers days 1-7 from 1=SUN to 7=SAT"
    return f"'{token}' is not a {field.name} value; use {field.allowed}"


def _value(field, token):
    """(value, problem) for one number or name."""
    if token.isdigit():
        number = int(token)
        if field.low <= number <= field.high:
            return number, None
        if field is DAY_OF_WEEK and number == 0:
            return None, _token_problem(field, token)
        return None, f"{number} is outside {field.low}-{field.high}; use {field.allowed}"
    if token in field.names:
        return field.names[token], None
    return None, _token_problem(field, token)


def _parse_values(field, text):
    """(sorted tuple of values, problems) for a field made of values, ranges, steps and lists."""
    values = set()
    problems = []
    for part in text.split(","):
        match = _SPAN.fullmatch(part)
        if not part:
            problems.append(_field_problem(field, text, "empty item in the list"))
            continue
        if not match:
            if part.startswith("/"):
                detail = f"'{part}' needs a start before '/', e.g. */{part[1:]} or 0/{part[1:]}"
            else:
                bad = next((token for token in re.split(r"[-/]", part) if token and not _SPAN.fullmatch(token)), part)
                detail = _token_problem(field, bad)
            problems.append(_field_problem(field, text, detail))
            continue
        start_text, end_text, step_text = match.group("start", "end", "step")
        if start_text == "*" and end_text is not None:
            problems.append(_field_problem(field, text, f"'{part}' is not a range; use * or a range such as 1-5"))
            continue
        part_values, detail = _span_values(field, start_text, end_text, step_text)
        if detail:
            problems.append(_field_problem(field, text, detail))
        values.update(part_values)
    return tuple(sorted(values)), problems


def _span_values(field, start_text, end_text, step_text):
    """Values of one '*', 'a', 'a-b', '*/s', 'a/s' or 'a-b/s' item; ranges wrap except for the year."""
    span = field.high - field.low + 1
    step = int(step_text) if step_text is not None else 1
    if step < 1 or step > span:
        return [], f"step /{step_text} must be 1-{span}"
    if start_text == "*":
        return list(range(field.low, field.high + 1, step)), None
    start, problem = _value(field, start_text)
    if problem:
        return [], problem
    if end_text is None:
        end = field.high if step_text is not None else start
    else:
        end, problem = _value(field, end_text)
        if problem:
            return [], problem
    if end >= start:
        return list(range(start, end + 1, step)), None
    if field is YEAR:
        return [], f"range {start_text}-{end_text} runs backwards; years must ascend"
    wrapped = list(range(start, field.high + 1)) + list(range(field.low, end + 1))
    return wrapped[::step], None


def _parse_day_of_month(text):
    """(rule, problems); rule is None for '?'."""
    if text == "?":
        return None, []
    if text == "L":
        return ("last", None), []
    if text == "LW":
        return ("nearest_weekday", "L"), []
    weekday = re.fullmatch(r"([0-9]+)W", text)
    if weekday:
        day = int(weekday.group(1))
        if 1 <= day <= 31:
            return ("nearest_weekday", day), []
        return None, [_field_problem(DAY_OF_MONTH, text, f"{day} is outside 1-31; <day>W needs a day such as 15W")]
    if text.startswith("L-"):
        return None, [
            _field_problem(
                DAY_OF_MONTH, text, f"offsets from the last day are not supported; use {DAY_OF_MONTH.allowed}"
            )
        ]
    values, problems = _parse_values(DAY_OF_MONTH, text)
    return ("dom", values), problems


def _parse_day_of_week(text):
    """(rule, problems); rule is None for '?'."""
    if text == "?":
        return None, []
    if text == "L":
        return ("dow", (7,)), []
    special = re.fullmatch(_DAY_TOKEN + r"(?:(L)|#([0-9]*))", text)
    if special:
        weekday, problem = _value(DAY_OF_WEEK, special.group(1))
        if problem:
            return None, [_field_problem(DAY_OF_WEEK, text, problem)]
        if special.group(2):
            return ("last_dow", weekday), []
        nth = special.group(3)
        if not nth or not 1 <= int(nth) <= 5:
            detail = f"the occurrence after '#' must be 1-5 (e.g. WED#1 is the first Wednesday), not '{nth}'"
            return None, [_field_problem(DAY_OF_WEEK, text, detail)]
        return ("nth_dow", (weekday, int(nth))), []
    values, problems = _parse_values(DAY_OF_WEEK, text)
    return ("dow", frozenset(values)), problems


def _parse_cron(body):
    """(CronSchedule or None, problems) for the text inside cron(...)."""
    fields = body.split()
    if len(fields) not in (6, 7):
        return None, [
            f"cron expression has {len(fields)} fields; it needs 6 (minutes hours day-of-month month day-of-week "
            "year) or 7 with a leading seconds field, separated by spaces, e.g. cron(0 21 ? * WED#1 *)"
        ]
    seconds_text = fields.pop(0) if len(fields) == 7 else "0"
    minutes_text, hours_text, dom_text, month_text, dow_text, year_text = (text.upper() for text in fields)
    problems = []
    parsed = {}
    for field, text in (
        (SECONDS, seconds_text.upper()),
        (MINUTES, minutes_text),
        (HOURS, hours_text),
        (MONTH, month_text),
        (YEAR, year_text),
    ):
        parsed[field.name], field_problems = _parse_values(field, text)
        problems += field_problems
    dom_rule, dom_problems = _parse_day_of_month(dom_text)
    dow_rule, dow_problems = _parse_day_of_week(dow_text)
    problems += dom_problems + dow_problems
    if dom_text == "?" and dow_text == "?":
        problems.append("day-of-month and day-of-week are both '?': exactly one of them must be '?'")
    elif dom_text != "?" and dow_text != "?":
        problems.append(
            f"day-of-month '{dom_text}' and day-of-week '{dow_text}' are both set: exactly one of them must be '?' "
            f"(e.g. cron(0 21 ? * WED#1 *) or cron(0 2 L * ? *))"
        )
    if problems:
        return None, problems
    day_rule = dom_rule or dow_rule
    cron = CronSchedule(
        parsed["seconds"], parsed["minutes"], parsed["hours"], parsed["month"], parsed["year"], day_rule
    )
    return cron, _frequency_problems(cron)


def _frequency_problems(cron):
    """AWS doesn't support cron expressions that fire more often than every 5 minutes."""
    if len(cron.seconds) > 1:
        return [f"seconds field lists {len(cron.seconds)} values, so the window would run seconds apart; {_TOO_OFTEN}"]
    times = [hour * 60 + minute for hour in cron.hours for minute in cron.minutes]
    gaps = [(later - earlier, earlier) for earlier, later in pairwise(times)]
    if _has_consecutive_days(cron):
        gaps.append((times[0] + 24 * 60 - times[-1], times[-1]))
    if not gaps:
        return []
    gap, first = min(gaps)
    if gap * 60 >= MIN_CRON_INTERVAL.total_seconds():
        return []
    second = (first + gap) % (24 * 60)
    clock = "{:02d}:{:02d}".format
    return [
        f"cron expression runs as little as {gap} minute(s) apart (e.g. {clock(*divmod(first, 60))} then "
        f"{clock(*divmod(second, 60))}); {_TOO_OFTEN}"
    ]


def _has_consecutive_days(cron):
    """Whether two calendar days in a row ever match, judged over a 28-year weekday and leap cycle."""
    previous = None
    for year in range(2000, 2028):
        for month in range(1, 13):
            days = cron.days(year, month) if month in cron.months else []
            for day in days:
                current = date(year, month, day)
                if previous is not None and current - previous == timedelta(days=1):
                    return True
                previous = current
    return False


def _parse_rate(body):
    """(interval timedelta or None, problems) for the text inside rate(...)."""
    parts = body.split()
    if len(parts) != 2:
        return None, [f"rate expression 'rate({body})' needs a value and a unit, e.g. rate(5 minutes) or rate(1 hour)"]
    value_text, unit = parts
    if not value_text.isdigit() or int(value_text) < 1:
        return None, [f"rate value '{value_text}' must be a positive whole number, e.g. rate(30 minutes)"]
    value = int(value_text)
    singular = unit[:-1] if unit.endswith("s") else unit
    if singular not in RATE_UNITS:
        return None, [f"rate unit '{unit}' must be one of minute, minutes, hour, hours, day, days"]
    if value == 1 and unit != singular:
        return None, [f"rate(1 {unit}) takes the singular unit: write rate(1 {singular})"]
    if value > 1 and unit == singular:
        return None, [
            f"rate({value} {unit}) takes the plural unit when the value is above 1: write rate({value} {unit}s)"
        ]
    try:
        return timedelta(seconds=value * RATE_UNITS[singular]), []
    except OverflowError:
        return None, [f"rate value {value} {unit} is too large"]


def _parse_at(body):
    """(naive wall-clock datetime or None, problems) for the text inside at(...)."""
    match = _AT.fullmatch(body)
    if not match:
        return None, [f"at expression 'at({body})' must be at(yyyy-mm-ddThh:mm:ss), e.g. at(2020-07-07T15:55:00)"]
    try:
        return datetime(*(int(part) for part in match.groups())), []
    except ValueError as error:
        return None, [f"at expression 'at({body})' is not a real date and time: {error}"]


def _parse(expression):
    """(kind, parsed, problems) with kind one of 'cron', 'rate', 'at' or None."""
    if not isinstance(expression, str):
        return None, None, [f"schedule must be a string such as {FORMS}, not {type(expression).__name__}"]
    if len(expression) > SCHEDULE_MAX_LENGTH:
        return None, None, [f"schedule is {len(expression)} characters long; AWS allows at most {SCHEDULE_MAX_LENGTH}"]
    match = re.fullmatch(r"(cron|rate|at)\((.*)\)", expression, re.DOTALL)
    if not match:
        if expression != expression.strip():
            return None, None, [f"schedule '{expression}' has leading or trailing spaces; remove them"]
        if re.fullmatch(r"(?i)(cron|rate|at)\(.*\)", expression, re.DOTALL):
            return None, None, [f"schedule '{expression}' must start with lowercase cron(, rate( or at("]
        if len(expression.split()) in (5, 6, 7) and "(" not in expression:
            return None, None, [f"schedule '{expression}' looks like bare cron fields; wrap them: cron({expression})"]
        return None, None, [f"schedule '{expression}' must be {FORMS}"]
    kind, body = match.groups()
    parser = {"cron": _parse_cron, "rate": _parse_rate, "at": _parse_at}[kind]
    parsed, problems = parser(body)
    return kind, parsed, problems


def validate_schedule(expression):
    """Problems with a maintenance-window Schedule; an empty list when AWS would accept it."""
    return _parse(expression)[2]


def validate_schedule_offset(expression, offset):
    """Problem with ScheduleOffset for this Schedule, or None. The offset (1-6 days) applies to cron only."""
    if offset is None:
        return None
    if isinstance(offset, bool) or not isinstance(offset, int) or not OFFSET_RANGE[0] <= offset <= OFFSET_RANGE[1]:
        return f"schedule offset {offset!r} must be a whole number of days from {OFFSET_RANGE[0]} to {OFFSET_RANGE[1]}"
    if not (isinstance(expression, str) and expression.startswith("cron(")):
        return f"schedule offset {offset} works only with a cron() schedule, not '{expression}'"
    return None


@lru_cache(maxsize=1)
def _known_timezones():
    # "localtime" is a host symlink that some systems keep beside the IANA zones.
    return frozenset(available_timezones() - {"localtime", "posixrules"})


def validate_timezone(name):
    """Problem with a ScheduleTimezone (an IANA name such as America/Chicago), or None."""
    example = "an IANA time zone name such as America/Chicago, Europe/Berlin or UTC"
    if not isinstance(name, str) or not name:
        return f"schedule timezone must be {example}"
    known = _known_timezones()
    if not known:
        return None  # no time zone database on this host: leave the check to AWS
    if name in known:
        return None
    close = sorted(zone for zone in known if zone.lower() == name.lower())
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"schedule timezone '{name}' is not {example}{hint}"


def _zone(name):
    if name is None:
        return UTC
    problem = validate_timezone(name)
    if problem:
        raise ValueError(problem)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(f"schedule timezone '{name}' cannot be loaded on this host: {error}") from error


def parse_iso8601(text):
    """An aware datetime from the API's ISO-8601 date strings (e.g. 2022-07-06T20:00-05:00); no offset means UTC."""
    if isinstance(text, datetime):
        moment = text
    else:
        try:
            moment = datetime.fromisoformat(text.strip())
        except (AttributeError, TypeError, ValueError) as error:
            raise ValueError(
                f"'{text}' is not an ISO-8601 date and time such as 2021-04-07T14:29:00-08:00 or 2022-07-07T01:00:00Z"
            ) from error
    return moment if moment.utcoffset() is not None else moment.replace(tzinfo=UTC)


def same_instant(a, b):
    """Whether two ISO-8601 date strings (or datetimes) name the same instant; None equals only None."""
    if a is None or b is None:
        return a is None and b is None
    return parse_iso8601(a) == parse_iso8601(b)


def _localize(wall, zone):
    """The aware instant of a wall-clock time, first occurrence when it repeats; None when DST skips it."""
    moment = wall.replace(tzinfo=zone, fold=0)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        return None
    return moment


def next_executions(expression, timezone=None, offset=None, start_date=None, end_date=None, count=3, after=None):
    """The next `count` runs strictly after `after` (default now), as aware datetimes in the window's time zone.

    `start_date` / `end_date` are ISO-8601 strings (or aware datetimes) bounding the active period;
    `offset` is ScheduleOffset in days. Raises ValueError for an invalid schedule, offset, zone or date.
    See the module docstring for the DST, offset and rate choices.
    """
    kind, parsed, problems = _parse(expression)
    if problems:
        raise ValueError("; ".join(problems))
    offset_problem = validate_schedule_offset(expression, offset)
    if offset_problem:
        raise ValueError(offset_problem)
    zone = _zone(timezone)
    after = parse_iso8601(after) if after is not None else datetime.now(UTC)
    start = parse_iso8601(start_date) if start_date is not None else None
    end = parse_iso8601(end_date) if end_date is not None else None
    if count < 1:
        return []

    def in_period(run):
        return run > after and (start is None or run >= start) and (end is None or run < end)

    if kind == "at":
        run = _localize(parsed, zone)
        return [run] if run is not None and in_period(run) else []
    if kind == "rate":
        return _rate_runs(parsed, start or after, after, end, count, zone)
    return _cron_runs(parsed, zone, offset or 0, start, after, end, count, in_period)


def _rate_runs(interval, anchor, after, end, count, zone):
    skipped = (after - anchor) // interval + 1 if after >= anchor else 0
    runs = []
    try:
        run = anchor + skipped * interval
        while len(runs) < count and (end is None or run < end):
            runs.append(run.astimezone(zone))
            run += interval
    except OverflowError:
        pass  # past year 9999: no more runs
    return runs


def _cron_runs(cron, zone, offset_days, start, after, end, count, in_period):
    shift = timedelta(days=offset_days)
    # Begin one day early so that wall clocks on either side of the UTC instant are all considered.
    earliest = max(after, start) if start is not None else after
    since = earliest.astimezone(zone).replace(tzinfo=None) - shift - timedelta(days=1)
    runs = []
    for match in cron.wall_times(since):
        run = _localize(match + shift, zone)
        if run is None:
            continue
        if end is not None and run >= end:
            break
        matched = match.replace(tzinfo=zone)
        if in_period(run) and (start is None or matched >= start):
            runs.append(run)
            if len(runs) == count:
                break
    return runs
