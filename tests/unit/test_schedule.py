"""Maintenance-window schedules: AWS's cron/rate/at dialect is validated and its next runs computed locally."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.schedule import (
    next_executions,
    parse_iso8601,
    same_instant,
    validate_schedule,
    validate_schedule_offset,
    validate_timezone,
)

CHICAGO = ZoneInfo("America/Chicago")
CENTRAL = ZoneInfo("US/Central")


def at(text):
    return datetime.fromisoformat(text)


def runs(expression, **kwargs):
    return next_executions(expression, **kwargs)


# --- the tutorial's window (seed 1): first Wednesday of the month at 21:00 US/Central --------------------


def test_seed_window_runs_the_same_evening_it_becomes_active():
    # 2022-07-06 is the first Wednesday of July, and 21:00 CDT is an hour after the 20:00 CDT start.
    result = runs(
        "cron(0 21 ? * WED#1 *)",
        timezone="US/Central",
        start_date="2022-07-06T20:00-05:00",
        after="2022-07-06T20:00-05:00",
    )
    assert result == [
        datetime(2022, 7, 6, 21, tzinfo=CENTRAL),
        datetime(2022, 8, 3, 21, tzinfo=CENTRAL),
        datetime(2022, 9, 7, 21, tzinfo=CENTRAL),
    ]


def test_seed_window_after_its_first_run_continues_on_first_wednesdays():
    result = runs(
        "cron(0 21 ? * WED#1 *)",
        timezone="US/Central",
        start_date="2022-07-06T20:00-05:00",
        after="2022-07-06T21:00-05:00",
    )
    assert result == [
        datetime(2022, 8, 3, 21, tzinfo=CENTRAL),
        datetime(2022, 9, 7, 21, tzinfo=CENTRAL),
        datetime(2022, 10, 5, 21, tzinfo=CENTRAL),
    ]
    assert [run.tzinfo.key for run in result] == ["US/Central"] * 3
    assert [run.utcoffset() for run in result] == [timedelta(hours=-5)] * 3


def test_runs_before_the_start_date_are_not_reported():
    result = runs(
        "cron(0 21 ? * WED#1 *)", timezone="US/Central", start_date="2022-07-06T22:00-05:00", after="2022-01-01T00:00Z"
    )
    assert result[0] == datetime(2022, 8, 3, 21, tzinfo=CENTRAL)


def test_aws_documented_start_date_example_first_runs_on_the_first_wednesday_after_the_start():
    # The AWS page calls it "Wednesday, January 4, 2021"; the first Wednesday of 2021 is January 6.
    result = runs(
        "cron(0 09 ? * WED *)",
        timezone="America/Los_Angeles",
        start_date="2021-01-01T00:00:00-08:00",
        after="2020-12-01T00:00:00Z",
        count=1,
    )
    assert result == [datetime(2021, 1, 6, 9, tzinfo=ZoneInfo("America/Los_Angeles"))]


# --- daylight saving time -------------------------------------------------------------------------------


def test_a_wall_clock_time_skipped_by_spring_forward_does_not_run_that_day():
    result = runs("cron(30 2 * * ? *)", timezone="America/Chicago", after="2024-03-08T12:00-06:00")
    assert result == [
        datetime(2024, 3, 9, 2, 30, tzinfo=CHICAGO),
        datetime(2024, 3, 11, 2, 30, tzinfo=CHICAGO),
        datetime(2024, 3, 12, 2, 30, tzinfo=CHICAGO),
    ]
    assert [run.utcoffset() for run in result] == [timedelta(hours=-6), timedelta(hours=-5), timedelta(hours=-5)]


def test_a_wall_clock_time_repeated_by_fall_back_runs_once_at_its_first_occurrence():
    result = runs("cron(30 1 * * ? *)", timezone="America/Chicago", after="2024-11-02T12:00-05:00")
    assert [run.astimezone(UTC) for run in result] == [
        datetime(2024, 11, 3, 6, 30, tzinfo=UTC),  # 01:30 CDT
        datetime(2024, 11, 4, 7, 30, tzinfo=UTC),  # 01:30 CST
        datetime(2024, 11, 5, 7, 30, tzinfo=UTC),
    ]


def test_the_second_occurrence_of_a_repeated_wall_clock_time_is_not_a_run():
    result = runs("cron(30 1 * * ? *)", timezone="America/Chicago", after="2024-11-03T01:45-05:00", count=1)
    assert result == [datetime(2024, 11, 4, 1, 30, tzinfo=CHICAGO)]
    assert result[0].utcoffset() == timedelta(hours=-6)


def test_rate_days_are_24_hours_so_the_wall_clock_moves_across_dst():
    result = runs(
        "rate(1 day)", timezone="America/Chicago", start_date="2024-03-09T02:30-06:00", after="2024-03-09T00:00-06:00"
    )
    assert [(run.hour, run.minute, run.utcoffset()) for run in result] == [
        (2, 30, timedelta(hours=-6)),
        (3, 30, timedelta(hours=-5)),
        (3, 30, timedelta(hours=-5)),
    ]


# --- rate() ----------------------------------------------------------------------------------------------


def test_rate_without_a_start_date_counts_from_after():
    # Seed 2 (Windows demo) uses rate(5 minutes) with no start date.
    result = runs("rate(5 minutes)", after="2024-05-01T10:02:00Z")
    assert result == [at("2024-05-01T10:07:00+00:00"), at("2024-05-01T10:12:00+00:00"), at("2024-05-01T10:17:00+00:00")]


def test_rate_with_a_past_start_date_keeps_the_start_dates_phase():
    result = runs("rate(5 minutes)", start_date="2024-05-01T10:00:00Z", after="2024-05-01T10:02:00Z")
    assert result == [at("2024-05-01T10:05:00+00:00"), at("2024-05-01T10:10:00+00:00"), at("2024-05-01T10:15:00+00:00")]


def test_rate_with_a_future_start_date_first_runs_at_the_start_date():
    result = runs("rate(1 hour)", start_date="2024-05-01T11:00:00Z", after="2024-05-01T10:02:00Z", count=2)
    assert result == [at("2024-05-01T11:00:00+00:00"), at("2024-05-01T12:00:00+00:00")]


def test_aws_documented_rate_example_last_runs_on_the_last_tuesday_before_the_end_date():
    result = runs(
        "rate(7 days)",
        timezone="Asia/Tokyo",
        start_date="2019-01-01T00:03:15+09:00",
        end_date="2019-06-30T00:06:15+09:00",
        after="2018-12-31T00:00:00Z",
        count=100,
    )
    tokyo = ZoneInfo("Asia/Tokyo")
    assert len(result) == 26
    assert result[0] == datetime(2019, 1, 1, 0, 3, 15, tzinfo=tokyo)
    assert result[-1] == datetime(2019, 6, 25, 0, 3, 15, tzinfo=tokyo)
    assert {run.strftime("%a") for run in result} == {"Tue"}


# --- cron day rules: ?, L, W, #, names, numbers, years ---------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "after", "expected_days"),
    [
        ("cron(0 2 L * ? *)", "2024-01-15T00:00Z", ["2024-01-31", "2024-02-29", "2024-03-31"]),
        ("cron(15 10 ? * 6L *)", "2024-01-01T00:00Z", ["2024-01-26", "2024-02-23", "2024-03-29"]),
        ("cron(15 10 ? * FRIL *)", "2024-01-01T00:00Z", ["2024-01-26", "2024-02-23", "2024-03-29"]),
        ("cron(0 9 ? * L *)", "2024-01-01T00:00Z", ["2024-01-06", "2024-01-13", "2024-01-20"]),
        # 15 June 2024 is a Saturday (-> Friday 14th); 15 September 2024 a Sunday (-> Monday 16th).
        ("cron(0 9 15W * ? *)", "2024-06-01T00:00Z", ["2024-06-14", "2024-07-15", "2024-08-15"]),
        ("cron(0 9 15W * ? *)", "2024-09-01T00:00Z", ["2024-09-16", "2024-10-15", "2024-11-15"]),
        # 1 June 2024 is a Saturday: the nearest weekday stays in June, Monday the 3rd.
        ("cron(0 9 1W 6 ? 2024)", "2024-01-01T00:00Z", ["2024-06-03"]),
        # 31W matches nothing in 30-day months.
        ("cron(0 9 31W * ? *)", "2024-04-01T00:00Z", ["2024-05-31", "2024-07-31", "2024-08-30"]),
        # Last weekday: 31 March 2024 is a Sunday, 31 August 2024 a Saturday.
        ("cron(0 9 LW 3,8 ? 2024)", "2024-01-01T00:00Z", ["2024-03-29", "2024-08-30"]),
        ("cron(0 9 ? * 4#2 *)", "2024-01-01T00:00Z", ["2024-01-10", "2024-02-14", "2024-03-13"]),
        ("cron(0 9 ? * MON#5 *)", "2024-01-01T00:00Z", ["2024-01-29", "2024-04-29", "2024-07-29"]),
        ("cron(30 23 ? * TUE#3 *)", "2024-01-01T00:00Z", ["2024-01-16", "2024-02-20", "2024-03-19"]),
        ("cron(0 9 ? * 1 *)", "2024-01-01T00:00Z", ["2024-01-07", "2024-01-14", "2024-01-21"]),
        ("cron(0 9 ? * SUN *)", "2024-01-01T00:00Z", ["2024-01-07", "2024-01-14", "2024-01-21"]),
        ("cron(0 9 ? * sun *)", "2024-01-01T00:00Z", ["2024-01-07", "2024-01-14", "2024-01-21"]),
        ("cron(0 9 ? * 7 *)", "2024-01-01T00:00Z", ["2024-01-06", "2024-01-13", "2024-01-20"]),
        ("cron(0 9 ? * FRI-MON *)", "2024-01-02T00:00Z", ["2024-01-05", "2024-01-06", "2024-01-07"]),
        ("cron(0 9 ? * 2/2 *)", "2024-01-01T10:00Z", ["2024-01-03", "2024-01-05", "2024-01-08"]),
        ("cron(0 9 1 JAN,JUL ? *)", "2024-01-02T00:00Z", ["2024-07-01", "2025-01-01", "2025-07-01"]),
        ("cron(0 9 1 1,7 ? *)", "2024-01-02T00:00Z", ["2024-07-01", "2025-01-01", "2025-07-01"]),
        ("cron(0 9 1/10 2 ? 2024)", "2024-01-01T00:00Z", ["2024-02-01", "2024-02-11", "2024-02-21"]),
        ("cron(0 0 1 1 ? 2030)", "2024-06-01T00:00Z", ["2030-01-01"]),
        ("cron(0 0 1 1 ? 2020-2021)", "2024-06-01T00:00Z", []),
        ("cron(0 0 1 1 ? 2199)", "2024-06-01T00:00Z", ["2199-01-01"]),
        ("cron(0 12 29 2 ? *)", "2024-03-01T00:00Z", ["2028-02-29", "2032-02-29", "2036-02-29"]),
        ("cron(0 0 30 2 ? *)", "2024-03-01T00:00Z", []),
    ],
)
def test_cron_day_rules_pick_the_documented_days(expression, after, expected_days):
    assert [run.date().isoformat() for run in runs(expression, after=after)] == expected_days


def test_names_and_numbers_mean_the_same_days():
    after = "2024-01-01T00:00Z"
    assert runs("cron(0 9 ? * MON-FRI *)", after=after, count=10) == runs("cron(0 9 ? * 2-6 *)", after=after, count=10)
    assert runs("cron(0 9 1 DEC ? *)", after=after) == runs("cron(0 9 1 12 ? *)", after=after)


def test_a_wrapping_hour_range_covers_both_ends_of_the_same_day():
    # 22-1 means 22, 23, 0 and 1 o'clock of each Saturday, not the small hours of Sunday.
    result = runs("cron(0/20 22-1 ? * SAT *)", after="2024-01-06T21:00Z", count=8)
    assert [run.strftime("%d %H:%M") for run in result] == [
        "06 22:00",
        "06 22:20",
        "06 22:40",
        "06 23:00",
        "06 23:20",
        "06 23:40",
        "13 00:00",
        "13 00:20",
    ]


def test_a_seven_field_cron_runs_at_the_given_second():
    result = runs("cron(24 30 09 ? * * *)", after="2024-01-01T00:00Z", count=1)
    assert result == [at("2024-01-01T09:30:24+00:00")]


def test_results_default_to_utc():
    result = runs("cron(0 9 ? * * *)", after="2024-01-01T00:00Z", count=1)
    assert result[0].utcoffset() == timedelta(0)


def test_count_controls_how_many_runs_are_returned():
    assert runs("cron(0 9 ? * * *)", after="2024-01-01T00:00Z", count=0) == []
    assert len(runs("cron(0 9 ? * * *)", after="2024-01-01T00:00Z", count=7)) == 7


def test_default_after_is_now():
    before = datetime.now(UTC)
    result = runs("rate(5 minutes)", count=1)
    assert before + timedelta(minutes=5) <= result[0] <= datetime.now(UTC) + timedelta(minutes=5)


# --- schedule offset ---------------------------------------------------------------------------------------


def test_offset_runs_the_documented_days_after_the_cron_match():
    # AWS's example: third Tuesday at 23:30 with offset 2 runs on the Thursday two days later.
    result = runs("cron(30 23 ? * TUE#3 *)", offset=2, after="2024-01-01T00:00Z")
    assert [run.isoformat() for run in result] == [
        "2024-01-18T23:30:00+00:00",
        "2024-02-22T23:30:00+00:00",
        "2024-03-21T23:30:00+00:00",
    ]


def test_offset_run_whose_match_is_already_past_still_runs_for_an_existing_window():
    result = runs("cron(30 23 ? * TUE#3 *)", offset=2, after="2024-01-17T00:00Z", count=1)
    assert result == [at("2024-01-18T23:30:00+00:00")]


def test_offset_run_whose_match_precedes_the_start_date_is_skipped():
    # AWS: a cron match already passed, plus an offset landing in the future, doesn't run in that period.
    result = runs(
        "cron(30 23 ? * TUE#3 *)", offset=2, start_date="2024-01-17T00:00Z", after="2024-01-17T00:00Z", count=1
    )
    assert result == [at("2024-02-22T23:30:00+00:00")]


def test_offset_keeps_the_wall_clock_time_across_dst():
    # Saturday 2024-03-09 02:00 CST + 1 day lands in the skipped hour; the next Saturday's run is 03-17 02:00 CDT.
    result = runs("cron(0 2 ? * SAT *)", timezone="America/Chicago", offset=1, after="2024-03-01T00:00Z", count=2)
    assert result == [datetime(2024, 3, 3, 2, tzinfo=CHICAGO), datetime(2024, 3, 17, 2, tzinfo=CHICAGO)]


@pytest.mark.parametrize(
    ("expression", "offset", "problem"),
    [
        ("rate(1 day)", 2, "works only with a cron() schedule"),
        ("at(2030-01-01T00:00:00)", 1, "works only with a cron() schedule"),
        ("cron(0 9 ? * * *)", 7, "from 1 to 6"),
        ("cron(0 9 ? * * *)", 0, "from 1 to 6"),
        ("cron(0 9 ? * * *)", True, "from 1 to 6"),
    ],
)
def test_invalid_offsets_are_refused(expression, offset, problem):
    assert problem in validate_schedule_offset(expression, offset)
    with pytest.raises(ValueError, match=r"from 1 to 6|cron\(\) schedule"):
        runs(expression, offset=offset, after="2024-01-01T00:00Z")


def test_valid_offset_has_no_problem():
    assert validate_schedule_offset("cron(30 23 ? * TUE#3 *)", 2) is None
    assert validate_schedule_offset("rate(1 day)", None) is None


# --- end date and at() ---------------------------------------------------------------------------------------


def test_end_date_stops_the_runs():
    result = runs("cron(0 9 * * ? *)", after="2024-01-01T00:00Z", end_date="2024-01-03T09:00:00Z", count=5)
    assert result == [at("2024-01-01T09:00:00+00:00"), at("2024-01-02T09:00:00+00:00")]


def test_end_date_stops_rate_runs():
    result = runs(
        "rate(2 hours)",
        start_date="2024-01-01T00:00Z",
        end_date="2024-01-01T05:00-00:00",
        after="2023-12-31T00:00Z",
        count=9,
    )
    assert [run.hour for run in result] == [0, 2, 4]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"after": "2020-07-01T00:00Z"}, ["2020-07-07T15:55:00+00:00"]),
        ({"after": "2020-07-07T15:55:00Z"}, []),
        ({"after": "2020-07-01T00:00Z", "timezone": "America/Los_Angeles"}, ["2020-07-07T15:55:00-07:00"]),
        ({"after": "2020-07-01T00:00Z", "end_date": "2020-07-07T15:00:00Z"}, []),
        ({"after": "2020-07-01T00:00Z", "start_date": "2020-07-08T00:00:00Z"}, []),
    ],
)
def test_at_runs_once_inside_the_active_period(kwargs, expected):
    assert [run.isoformat() for run in runs("at(2020-07-07T15:55:00)", **kwargs)] == expected


# --- validation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 21 ? * WED#1 *)",
        "cron(30 23 ? * TUE#3 *)",
        "cron(0 2 L * ? *)",
        "cron(15 10 ? * 6L *)",
        "cron(15 10 ? * MON-FRI *)",
        "cron(30 09 ? * * *)",
        "cron(24 30 09 ? * * *)",
        "cron(0 30 23 ? * TUE#3 *)",
        "cron(0/5 8-17 ? * MON-FRI *)",
        "cron(0/15 * * * ? *)",
        "cron(0 0 15W * ? *)",
        "cron(0 0 LW * ? *)",
        "cron(0 0 ? * L *)",
        "cron(0 0 ? * FRIL *)",
        "cron(0 9 ? * FRI-MON *)",
        "cron(0 9 1 JAN,jul ? 2025-2030)",
        "cron(0 22-2 ? * SUN *)",
        "cron(0 0 1/5 * ? *)",
        "cron(0 0 ? * 2/2 *)",
        "cron(0 0 ? * 4#2 *)",
        "cron(0,58 23 1 * ? *)",
        "rate(1 minute)",
        "rate(5 minutes)",
        "rate(1 hour)",
        "rate(25 days)",
        "rate(1 day)",
        "at(2020-07-07T15:55:00)",
    ],
)
def test_documented_expressions_are_valid(expression):
    assert validate_schedule(expression) == []


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("cron(0 21 ? * WED#6 *)", "day-of-week field 'WED#6': the occurrence after '#' must be 1-5"),
        ("cron(0 21 ? * WED#0 *)", "must be 1-5"),
        (
            "cron(0 21 * * WED *)",
            "day-of-month '*' and day-of-week 'WED' are both set: exactly one of them must be '?'",
        ),
        ("cron(0 21 ? * ? *)", "both '?'"),
        ("cron(0 21 ? * 0 *)", "day-of-week field '0': 0 is not a day: AWS numbers days 1-7 from 1=SUN"),
        ("cron(0 21 ? * 8 *)", "day-of-week field '8': 8 is outside 1-7"),
        ("cron(0 21 ? * FUN *)", "'FUN' is not a day-of-week value; use 1-7 (1=SUN) or SUN-SAT"),
        ("cron(60 21 * * ? *)", "minutes field '60': 60 is outside 0-59"),
        ("cron(0 24 * * ? *)", "hours field '24': 24 is outside 0-23"),
        ("cron(0 0 32 * ? *)", "day-of-month field '32': 32 is outside 1-31"),
        ("cron(0 0 1 13 ? *)", "month field '13': 13 is outside 1-12"),
        ("cron(0 0 1 JANUARY ? *)", "'JANUARY' is not a month value; use 1-12 or JAN-DEC"),
        ("cron(0 0 1 * ? 1969)", "year field '1969': 1969 is outside 1970-2199"),
        ("cron(0 0 1 * ? 2200)", "2200 is outside 1970-2199"),
        ("cron(0 0 1 * ? 2030-2025)", "range 2030-2025 runs backwards"),
        ("cron(0 21 ? * WED#1,FRI#3 *)", "'#' must be the only expression in the field"),
        ("cron(0 21 ? * 6L,2 *)", "'6L' must stand alone"),
        ("cron(0 0 15W,20 * ? *)", "'15W' must stand alone"),
        ("cron(0 0 0W * ? *)", "0 is outside 1-31"),
        ("cron(0 0 ? * 15W *)", "'W' is allowed only in day-of-month"),
        ("cron(0 0 WED#1 * ? *)", "'#' is allowed only in day-of-week"),
        ("cron(L 0 * * ? *)", "minutes field 'L': 'L' is allowed only in day-of-month and day-of-week"),
        ("cron(? 0 * * ? *)", "'?' must stand alone, and only in day-of-month or day-of-week"),
        ("cron(0 0 L-3 * ? *)", "offsets from the last day are not supported"),
        ("cron(0 21 ? * WED#1)", "has 5 fields; it needs 6"),
        ("cron(0 0 0 21 ? * WED#1 *)", "has 8 fields"),
        ("cron(* * * * ? *)", "1 minute(s) apart"),
        ("cron(0/2 9 * * ? *)", "more frequent than every 5 minutes"),
        ("cron(0,58 0,23 * * ? *)", "2 minute(s) apart (e.g. 23:58 then 00:00)"),
        ("cron(0,30 0 12 * * ? *)", "seconds field lists 2 values"),
        ("cron(0/90 * * * ? *)", "minutes field '0/90': step /90 must be 1-60"),
        ("cron(0/0 9 * * ? *)", "step /0 must be 1-60"),
        ("cron(1,,2 0 * * ? *)", "minutes field '1,,2': empty item"),
        ("cron(/5 0 * * ? *)", "needs a start before '/'"),
        ("cron(*-5 0 * * ? *)", "'*-5' is not a range"),
        ("rate(1 hours)", "rate(1 hours) takes the singular unit: write rate(1 hour)"),
        ("rate(2 hour)", "write rate(2 hours)"),
        ("rate(0 minutes)", "must be a positive whole number"),
        ("rate(1.5 hours)", "rate value '1.5' must be a positive whole number"),
        ("rate(2 weeks)", "rate unit 'weeks' must be one of minute, minutes, hour, hours, day, days"),
        ("rate(5 Minutes)", "must be one of minute, minutes"),
        ("rate(5)", "needs a value and a unit"),
        ("at(2020-07-07 15:55:00)", "must be at(yyyy-mm-ddThh:mm:ss)"),
        ("at(2020-07-07T15:55)", "must be at(yyyy-mm-ddThh:mm:ss)"),
        ("at(2023-02-30T10:00:00)", "is not a real date and time"),
        ("at(2024-01-01T24:00:00)", "is not a real date and time"),
        ("0 21 ? * WED#1 *", "looks like bare cron fields; wrap them: cron(0 21 ? * WED#1 *)"),
        ("CRON(0 21 ? * WED#1 *)", "must start with lowercase cron("),
        (" cron(0 21 ? * WED#1 *)", "leading or trailing spaces"),
        ("every wednesday", "must be cron(<fields>), rate(<value> <unit>) or at(yyyy-mm-ddThh:mm:ss)"),
        ("", "must be cron(<fields>)"),
        ("cron(0 9 ? * MON " + "*" * 250 + ")", "AWS allows at most 256"),
        (None, "schedule must be a string"),
    ],
)
def test_invalid_expressions_say_what_is_wrong_and_what_is_allowed(expression, message):
    problems = validate_schedule(expression)
    assert any(message in problem for problem in problems), problems


def test_every_bad_field_is_reported():
    problems = validate_schedule("cron(61 25 ? * FUN *)")
    assert [problem.split(" field")[0] for problem in problems] == ["minutes", "hours", "day-of-week"]


def test_next_executions_refuses_an_invalid_schedule_with_its_problem():
    with pytest.raises(ValueError, match="write rate\\(2 hours\\)"):
        runs("rate(2 hour)", after="2024-01-01T00:00Z")


def test_next_executions_refuses_an_unknown_timezone():
    with pytest.raises(ValueError, match="schedule timezone 'Mars/Olympus'"):
        runs("rate(1 hour)", timezone="Mars/Olympus")


def test_next_executions_refuses_a_bad_start_date():
    with pytest.raises(ValueError, match="'next tuesday' is not an ISO-8601 date"):
        runs("rate(1 hour)", start_date="next tuesday")


# --- time zones and ISO-8601 ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["America/Chicago", "US/Central", "UTC", "Europe/Berlin", "Asia/Tokyo"])
def test_iana_time_zones_are_valid(name):
    assert validate_timezone(name) is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("America/Chicgo", "schedule timezone 'America/Chicgo' is not an IANA time zone name"),
        ("america/chicago", "did you mean 'America/Chicago'?"),
        ("Central", "is not an IANA time zone name such as America/Chicago"),
        ("America", "is not an IANA"),
        ("../etc/passwd", "is not an IANA"),
        ("/usr/share/zoneinfo/UTC", "is not an IANA"),
        ("localtime", "is not an IANA"),
        ("", "must be an IANA time zone name"),
        (None, "must be an IANA time zone name"),
    ],
)
def test_unknown_time_zones_are_refused(name, message):
    assert message in validate_timezone(name)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("2022-07-06T20:00-05:00", "2022-07-07T01:00:00Z", True),
        ("2022-07-06T20:00:00-05:00", "2022-07-06T20:00:00-06:00", False),
        ("2022-07-07T01:00:00", "2022-07-07T01:00:00+00:00", True),
        ("2022-07-07T01:00:00.000Z", "2022-07-07T03:00:00+02:00", True),
        ("2021-04-07T14:29:00-08:00", "2021-04-07T22:29Z", True),
        ("2021-04-07T14:29:00-08:00", "2021-04-07T14:29:00Z", False),
        (None, None, True),
        (None, "2022-07-07T01:00:00Z", False),
    ],
)
def test_iso8601_dates_compare_as_instants(a, b, same):
    assert same_instant(a, b) is same


def test_parse_iso8601_returns_an_aware_datetime():
    assert parse_iso8601("2022-07-06T20:00-05:00") == datetime(2022, 7, 7, 1, tzinfo=UTC)
    assert parse_iso8601("2022-07-07T01:00:00").tzinfo is UTC


def test_parse_iso8601_rejects_text_that_is_not_a_date():
    with pytest.raises(ValueError, match="is not an ISO-8601 date and time such as 2021-04-07T14:29:00-08:00"):
        parse_iso8601("07/06/2022 8pm")
