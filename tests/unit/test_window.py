"""Maintenance windows: the normalised form, comparison, Replace requests, input checks and local next runs."""

from datetime import UTC, datetime

import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.window import (
    FIELDS,
    changed_fields,
    diff_view,
    from_api,
    merge,
    missing_to_create,
    next_runs,
    request_problems,
    semantic_problems,
    task_from_api,
    to_request,
    to_result,
)

# Seed 1 (Amazon Linux 2 tutorial) as GetMaintenanceWindow returns it.
WEBSERVER_API = {
    "WindowId": "mw-0123456789abcdef0",
    "Name": "Patch-WebServer-Prd",
    "Description": "Patching Maintenance Window for Patching WebServer in production",
    "Schedule": "cron(0 21 ? * WED#1 *)",
    "ScheduleTimezone": "US/Central",
    "StartDate": "2022-07-06T20:00-05:00",
    "Duration": 2,
    "Cutoff": 1,
    "AllowUnassociatedTargets": False,
    "Enabled": True,
    "CreatedDate": datetime(2022, 7, 6, 18, 0, tzinfo=UTC),
    "ModifiedDate": datetime(2022, 7, 6, 18, 0, tzinfo=UTC),
}
# Seed 2 (Windows demo) as the module's options give it.
WINDOWS_DEMO_OPTIONS = {
    "name": "Patch-Windows-Server-2016-Base",
    "description": None,
    "schedule": "rate(5 minutes)",
    "schedule_timezone": None,
    "schedule_offset": None,
    "duration": 1,
    "cutoff": 0,
    "allow_unassociated_targets": False,
    "start_date": None,
    "end_date": None,
    "enabled": True,
}
CHECKER = RequestChecker()


def options(**overrides):
    values = dict.fromkeys(FIELDS)
    values.update(allow_unassociated_targets=False, enabled=True)
    values.update(overrides)
    return values


def webserver():
    return from_api(WEBSERVER_API)


# --- merge and compare


def test_options_left_unset_keep_the_current_settings():
    desired = merge(webserver(), options())
    assert desired == webserver()
    assert changed_fields(webserver(), desired) == []


def test_an_equal_instant_written_differently_is_no_change_and_keeps_the_stored_text():
    desired = merge(webserver(), options(start_date="2022-07-07T01:00:00Z"))
    assert changed_fields(webserver(), desired) == []
    assert desired["start_date"] == "2022-07-06T20:00-05:00"


def test_a_different_instant_is_a_change():
    desired = merge(webserver(), options(start_date="2022-07-06T20:00-06:00"))
    assert changed_fields(webserver(), desired) == ["start_date"]


@pytest.mark.parametrize(
    "option, value",
    [
        ("name", "Patch-WebServer-Prd-2"),
        ("description", "Patch the web servers"),
        ("schedule", "cron(0 22 ? * WED#1 *)"),
        ("schedule_timezone", "America/Chicago"),
        ("schedule_offset", 2),
        ("duration", 3),
        ("cutoff", 0),
        ("allow_unassociated_targets", True),
        ("start_date", "2022-08-01T00:00:00Z"),
        ("end_date", "2030-01-01T00:00:00Z"),
        ("enabled", False),
    ],
)
def test_each_setting_is_compared_on_its_own(option, value):
    assert changed_fields(webserver(), merge(webserver(), options(**{option: value}))) == [option]


@pytest.mark.parametrize(
    "option, empty", [("description", ""), ("schedule_timezone", ""), ("start_date", ""), ("schedule_offset", 0)]
)
def test_an_empty_value_removes_an_optional_setting(option, empty):
    current = merge(webserver(), options(schedule_offset=2))
    desired = merge(current, options(**{option: empty}))
    assert desired[option] is None
    assert changed_fields(current, desired) == [option]


def test_removing_a_setting_the_window_lacks_is_no_change():
    assert changed_fields(webserver(), merge(webserver(), options(end_date="", schedule_offset=0))) == []


def test_the_update_request_carries_the_full_desired_state_for_replace():
    # Only the description was asked for; Replace=true would drop every setting the request left out.
    request = to_request(merge(webserver(), options(description="Patch the web servers")), create=False)
    assert request == {
        "Name": "Patch-WebServer-Prd",
        "Description": "Patch the web servers",
        "Schedule": "cron(0 21 ? * WED#1 *)",
        "ScheduleTimezone": "US/Central",
        "StartDate": "2022-07-06T20:00-05:00",
        "Duration": 2,
        "Cutoff": 1,
        "AllowUnassociatedTargets": False,
        "Enabled": True,
    }


def test_the_create_request_has_no_enabled_and_no_unset_settings():
    assert to_request(merge(None, WINDOWS_DEMO_OPTIONS), create=True) == {
        "Name": "Patch-Windows-Server-2016-Base",
        "Schedule": "rate(5 minutes)",
        "Duration": 1,
        "Cutoff": 0,
        "AllowUnassociatedTargets": False,
    }


def test_creating_needs_name_schedule_duration_and_cutoff():
    assert missing_to_create(merge(None, WINDOWS_DEMO_OPTIONS)) == []
    assert missing_to_create(merge(None, options(name="Patch-WebServer-Prd", cutoff=1))) == ["schedule", "duration"]


# --- checks


def all_problems(form, window_id=None):
    return semantic_problems(form) + request_problems(CHECKER, form, window_id)


def test_the_seeds_have_no_problems():
    assert all_problems(webserver()) == []
    assert all_problems(merge(None, WINDOWS_DEMO_OPTIONS)) == []
    assert all_problems(options(schedule="at(2022-07-06T21:00:00)", schedule_timezone="US/Central")) == []


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"schedule": "cron(0 21 ? * WED#1)"}, "schedule: cron expression has 5 fields"),
        ({"schedule": "cron(0 21 1 * WED *)"}, "schedule: day-of-month '1' and day-of-week 'WED' are both set"),
        ({"schedule": "cron(0 21 ? * WED#6 *)"}, "schedule: "),
        ({"schedule": "rate(1 hours)"}, "schedule: rate(1 hours) takes the singular unit"),
        ({"schedule": "rate(5 minute)"}, "schedule: rate(5 minute) takes the plural unit"),
        ({"schedule": "0 21 ? * WED#1 *"}, "schedule: schedule '0 21 ? * WED#1 *' looks like bare cron fields"),
        ({"schedule_timezone": "US/Centrl"}, "schedule_timezone: schedule timezone 'US/Centrl' is not"),
        ({"schedule": "rate(5 minutes)", "schedule_offset": 2}, "schedule_offset: schedule offset 2 works only"),
        ({"schedule_offset": 7}, "schedule_offset: 7 is outside the allowed range 1 to 6"),
        ({"duration": 25, "cutoff": 1}, "duration: 25 is outside the allowed range 1 to 24"),
        ({"duration": 0, "cutoff": 0}, "duration: 0 is outside the allowed range 1 to 24"),
        ({"cutoff": 24, "duration": 24}, "cutoff: 24 is outside the allowed range 0 to 23"),
        ({"duration": 2, "cutoff": 2}, "cutoff: 2 must be less than duration (2)"),
        ({"start_date": "2022-07-06 8pm"}, "start_date: '2022-07-06 8pm' is not an ISO-8601 date"),
        ({"start_date": "2023-01-01T00:00Z", "end_date": "2022-12-31T18:00-06:00"}, "start_date: 2023-01-01T00:00Z"),
        ({"name": "Patch WebServer"}, "name: 'Patch WebServer' does not match the pattern"),
        # AWS marks the description sensitive: the problem names its length, never its text.
        ({"description": "x" * 129}, "description: must have 1 to 128 characters, got 129"),
    ],
)
def test_bad_settings_are_found_and_named_by_option(overrides, expected):
    problems = all_problems(merge(webserver(), options(**overrides)))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_start_and_end_naming_the_same_instant_are_refused():
    problems = semantic_problems(options(start_date="2023-01-01T06:00Z", end_date="2023-01-01T00:00-06:00"))
    assert problems == ["start_date: 2023-01-01T06:00Z must be before end_date 2023-01-01T00:00-06:00"]


def test_options_alone_are_checked_without_a_window_and_removal_markers_pass():
    assert all_problems(options(description="", schedule_timezone="", schedule_offset=0, end_date="")) == []
    # The cron-only rule for an offset needs the schedule; with none given it waits for the merged window.
    assert all_problems(options(schedule_offset=2)) == []


def test_a_bad_window_id_is_named():
    assert request_problems(CHECKER, options(), "mw-123") == [
        "window_id: 'mw-123' must have 20 to 20 characters, got 6"
    ]


# --- next runs computed locally


def test_seed_window_runs_on_first_wednesdays_at_21_central_from_its_start():
    now = datetime(2022, 7, 1, tzinfo=UTC)
    assert next_runs(webserver(), now=now) == [
        "2022-07-06T21:00:00-05:00",
        "2022-08-03T21:00:00-05:00",
        "2022-09-07T21:00:00-05:00",
    ]


def test_seed_window_keeps_21_local_across_the_end_of_daylight_saving_time():
    # Daylight-saving time ended on 6 November 2022 in US/Central.
    now = datetime(2022, 10, 10, tzinfo=UTC)
    assert next_runs(webserver(), now=now) == [
        "2022-11-02T21:00:00-05:00",
        "2022-12-07T21:00:00-06:00",
        "2023-01-04T21:00:00-06:00",
    ]


def test_an_offset_moves_each_run_days_later():
    form = merge(webserver(), options(schedule="cron(0 21 ? * TUE#2 *)", schedule_offset=2))
    runs = next_runs(form, now=datetime(2022, 7, 1, tzinfo=UTC))
    # Second Tuesdays: 12 July, 9 August, 13 September 2022; two days later is a Thursday.
    assert runs == ["2022-07-14T21:00:00-05:00", "2022-08-11T21:00:00-05:00", "2022-09-15T21:00:00-05:00"]


def test_runs_stop_at_the_end_date():
    form = merge(webserver(), options(end_date="2022-08-04T00:00:00-05:00"))
    assert next_runs(form, now=datetime(2022, 7, 1, tzinfo=UTC)) == [
        "2022-07-06T21:00:00-05:00",
        "2022-08-03T21:00:00-05:00",
    ]


def test_a_rate_window_counts_from_its_creation():
    created = datetime(2024, 3, 1, 10, 0, 30, tzinfo=UTC)
    runs = next_runs(merge(None, WINDOWS_DEMO_OPTIONS), created=created, now=datetime(2024, 3, 1, 10, 12, tzinfo=UTC))
    assert runs == ["2024-03-01T10:15:30+00:00", "2024-03-01T10:20:30+00:00", "2024-03-01T10:25:30+00:00"]


def test_a_rate_window_not_created_yet_counts_from_now_or_from_a_future_start():
    now = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    demo = merge(None, WINDOWS_DEMO_OPTIONS)
    assert next_runs(demo, now=now)[0] == "2024-03-01T10:05:00+00:00"
    later = merge(None, {**WINDOWS_DEMO_OPTIONS, "start_date": "2024-03-02T08:00:00Z"})
    assert next_runs(later, now=now)[:2] == ["2024-03-02T08:00:00+00:00", "2024-03-02T08:05:00+00:00"]


def test_a_disabled_window_has_no_next_runs():
    disabled = merge(webserver(), options(enabled=False))
    assert next_runs(disabled, now=datetime(2022, 7, 1, tzinfo=UTC)) == []


def test_a_schedule_the_module_cannot_evaluate_has_no_local_runs():
    assert next_runs(options(schedule="cron(bogus)")) == []
    assert next_runs(options()) == []


# --- results


def test_the_result_holds_settings_tags_dates_and_next_runs_and_the_diff_drops_bookkeeping():
    result = to_result(webserver(), "mw-0123456789abcdef0", {"env": "prd"}, WEBSERVER_API)
    assert result["window_id"] == "mw-0123456789abcdef0"
    assert result["created_date"] == "2022-07-06T18:00:00+00:00"
    assert result["tags"] == {"env": "prd"}
    assert len(result["next_executions"]) == 3
    view = diff_view(result)
    assert "created_date" not in view and "modified_date" not in view and "window_id" not in view
    assert view["schedule"] == "cron(0 21 ? * WED#1 *)"
    assert diff_view({}) == {}


def test_a_task_keeps_document_parameter_names_and_reads_a_lambda_payload_as_text():
    task = task_from_api(
        {
            "WindowTaskId": "4f7ca192-7e9a-40fe-9192-5cb15e0c7d4a",
            "TaskArn": "AWS-RunPatchBaselineWithHooks",
            "TaskParameters": {"SnapshotId": {"Values": ["abc"]}},
            "TaskInvocationParameters": {
                "RunCommand": {
                    "Parameters": {"Operation": ["Install"], "PreInstallHookDocName": ["Pre-patch"]},
                    "CloudWatchOutputConfig": {"CloudWatchOutputEnabled": True},
                },
                "Lambda": {"Payload": b'{"Patch": "now"}'},
            },
            "ResponseMetadata": {},
        }
    )
    assert task == {
        "window_task_id": "4f7ca192-7e9a-40fe-9192-5cb15e0c7d4a",
        "task_arn": "AWS-RunPatchBaselineWithHooks",
        "task_parameters": {"SnapshotId": {"Values": ["abc"]}},
        "task_invocation_parameters": {
            "run_command": {
                "parameters": {"Operation": ["Install"], "PreInstallHookDocName": ["Pre-patch"]},
                "cloud_watch_output_config": {"cloud_watch_output_enabled": True},
            },
            "lambda": {"payload": '{"Patch": "now"}'},
        },
    }
