"""ssm_maintenance_window against the local endpoint: real ansible runs, asserted on results and the request log."""

import itertools
import uuid
from datetime import datetime

import yaml

from tests.helpers.ansible_run import run_module, run_playbook

MODULE = "ssm_maintenance_window"
HIDDEN = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def unique(name):
    return f"{name}-{uuid.uuid4().hex[:8]}"


def webserver_window(name):
    """Seed 1: the Amazon Linux 2 tutorial's production window."""
    return {
        "name": name,
        "description": "Patching Maintenance Window for Patching WebServer in production",
        "schedule": "cron(0 21 ? * WED#1 *)",
        "schedule_timezone": "US/Central",
        "start_date": "2022-07-06T20:00-05:00",
        "duration": 2,
        "cutoff": 1,
        "allow_unassociated_targets": False,
    }


def windows_demo_window(name):
    """Seed 2: the Windows Server 2016 demo's fast feedback window."""
    return {
        "name": name,
        "schedule": "rate(5 minutes)",
        "duration": 1,
        "cutoff": 0,
        "allow_unassociated_targets": False,
    }


def operations(entries):
    return [entry["operation"] for entry in entries]


def windows_named(ssm, name):
    found = ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [name]}])["WindowIdentities"]
    return [window for window in found if window["Name"] == name]


def assert_first_wednesdays_at_21_central(runs):
    assert len(runs) == 3
    for text in runs:
        run = datetime.fromisoformat(text)
        assert (run.weekday(), run.day <= 7, run.hour, run.minute) == (2, True, 21, 0), text
        # 21:00 in US/Central is UTC-5 in summer and UTC-6 in winter.
        assert run.utcoffset().total_seconds() / 3600 in (-5, -6), text


def test_create_in_check_mode_then_for_real_then_rerun_changes_nothing(local_aws, ssm):
    name = unique("Patch-WebServer-Prd")
    args = webserver_window(name)

    mark = local_aws.mark()
    preview = run_module(local_aws, MODULE, args, check=True, diff=True)
    assert preview["changed"] is True
    assert local_aws.mutating(mark) == []
    assert windows_named(ssm, name) == []
    assert preview["window"]["window_id"] is None
    assert preview["diff"]["before"] == {}
    assert preview["diff"]["after"]["schedule"] == "cron(0 21 ? * WED#1 *)"
    assert_first_wednesdays_at_21_central(preview["next_executions"])

    mark = local_aws.mark()
    created = run_module(local_aws, MODULE, args)
    assert created["changed"] is True
    writes = local_aws.mutating(mark)
    assert operations(writes) == ["CreateMaintenanceWindow"]
    assert writes[0]["parameters"]["ClientToken"]
    window_id = created["window"]["window_id"]
    stored = ssm.get_maintenance_window(WindowId=window_id)
    assert (stored["Name"], stored["Schedule"], stored["ScheduleTimezone"], stored["Duration"], stored["Cutoff"]) == (
        name,
        "cron(0 21 ? * WED#1 *)",
        "US/Central",
        2,
        1,
    )
    assert stored["AllowUnassociatedTargets"] is False and stored["Enabled"] is True
    # AWS marks the description sensitive: masked in results and diffs, held by AWS.
    assert stored["Description"] == args["description"]
    assert created["window"]["description"] == preview["diff"]["after"]["description"] == HIDDEN
    assert created["next_executions"] == preview["next_executions"] == created["window"]["next_executions"]

    # The same start written as UTC names the same instant: no change, and no write at all.
    mark = local_aws.mark()
    rerun = run_module(local_aws, MODULE, {**args, "start_date": "2022-07-07T01:00:00Z"}, check=True, diff=True)
    assert rerun["changed"] is False
    assert rerun["diff"]["before"] == rerun["diff"]["after"]
    rerun = run_module(local_aws, MODULE, {**args, "start_date": "2022-07-07T01:00:00Z"})
    assert rerun["changed"] is False
    assert rerun["window"]["window_id"] == window_id
    assert local_aws.mutating(mark) == []


def test_every_setting_and_tag_updates_in_place(local_aws, ssm):
    name = unique("Patch-Windows-Server-2016-Base")
    created = run_module(local_aws, MODULE, {**windows_demo_window(name), "tags": {"Patch Group": "Windows"}})
    window_id = created["window"]["window_id"]
    runs = [datetime.fromisoformat(text) for text in created["next_executions"]]
    assert [later - earlier for earlier, later in itertools.pairwise(runs)] == [runs[1] - runs[0]] * 2
    assert (runs[1] - runs[0]).total_seconds() == 300

    renamed = unique("Patch-WebServer-Prd")
    everything = {
        "window_id": window_id,
        "name": renamed,
        "description": "Patching Maintenance Window for Patching WebServer in production",
        "schedule": "cron(0 21 ? * TUE#2 *)",
        "schedule_timezone": "US/Central",
        "schedule_offset": 2,
        "duration": 4,
        "cutoff": 2,
        "allow_unassociated_targets": True,
        "start_date": "2022-07-06T20:00-05:00",
        "end_date": "2030-12-31T23:00-06:00",
        "enabled": False,
        "tags": {"Patch Group": "WebServer-Prd", "Owner": "The A-Engineering Team"},
    }
    mark = local_aws.mark()
    preview = run_module(local_aws, MODULE, everything, check=True, diff=True)
    assert preview["changed"] is True
    assert local_aws.mutating(mark) == []
    assert preview["diff"]["before"]["schedule"] == "rate(5 minutes)"
    assert preview["diff"]["after"]["schedule"] == "cron(0 21 ? * TUE#2 *)"
    assert preview["diff"]["after"]["tags"] == everything["tags"]
    assert (preview["diff"]["before"]["description"], preview["diff"]["after"]["description"]) == (None, HIDDEN)
    assert everything["description"] not in str(preview)

    mark = local_aws.mark()
    updated = run_module(local_aws, MODULE, everything)
    assert updated["changed"] is True
    writes = local_aws.mutating(mark)
    assert sorted(operations(writes)) == ["AddTagsToResource", "UpdateMaintenanceWindow"]
    update = next(entry["parameters"] for entry in writes if entry["operation"] == "UpdateMaintenanceWindow")
    assert update["Replace"] is True and update["WindowId"] == window_id
    assert updated["next_executions"] == []  # disabled: it does not run
    stored = ssm.get_maintenance_window(WindowId=window_id)
    for option, member in [
        ("name", "Name"),
        ("description", "Description"),
        ("schedule", "Schedule"),
        ("schedule_timezone", "ScheduleTimezone"),
        ("schedule_offset", "ScheduleOffset"),
        ("duration", "Duration"),
        ("cutoff", "Cutoff"),
        ("allow_unassociated_targets", "AllowUnassociatedTargets"),
        ("start_date", "StartDate"),
        ("end_date", "EndDate"),
        ("enabled", "Enabled"),
    ]:
        assert stored[member] == everything[option], option
    tags = ssm.list_tags_for_resource(ResourceType="MaintenanceWindow", ResourceId=window_id)["TagList"]
    assert {tag["Key"]: tag["Value"] for tag in tags} == everything["tags"]

    mark = local_aws.mark()
    assert run_module(local_aws, MODULE, everything)["changed"] is False
    assert local_aws.mutating(mark) == []

    # Two options by name: Replace=true still sends every other setting, so none is lost.
    mark = local_aws.mark()
    one = run_module(local_aws, MODULE, {"name": renamed, "description": "Patch web servers", "enabled": True})
    assert one["changed"] is True
    assert operations(local_aws.mutating(mark)) == ["UpdateMaintenanceWindow"]
    stored = ssm.get_maintenance_window(WindowId=window_id)
    assert (stored["Description"], stored["Enabled"]) == ("Patch web servers", True)
    assert (stored["ScheduleOffset"], stored["EndDate"], stored["Duration"]) == (2, "2030-12-31T23:00-06:00", 4)
    # The kept offset runs two days after second Tuesdays: Thursdays, at 21:00 Central.
    assert {datetime.fromisoformat(text).strftime("%a %H:%M") for text in one["next_executions"]} == {"Thu 21:00"}

    # A cutoff that only clashes with the kept duration fails before any write.
    mark = local_aws.mark()
    clash = run_module(local_aws, MODULE, {"name": renamed, "cutoff": 4})
    assert clash.get("failed") is True
    assert "cutoff: 4 must be less than duration (4)" in clash["msg"]
    assert local_aws.mutating(mark) == []

    # Empty values remove optional settings; purge_tags false keeps the other tags.
    removed = run_module(
        local_aws,
        MODULE,
        {
            "window_id": window_id,
            "description": "",
            "schedule_offset": 0,
            "end_date": "",
            "tags": {},
            "purge_tags": False,
        },
    )
    assert removed["changed"] is True
    stored = ssm.get_maintenance_window(WindowId=window_id)
    assert "Description" not in stored and "ScheduleOffset" not in stored and "EndDate" not in stored
    assert removed["window"]["tags"] == everything["tags"]


def test_a_window_created_disabled_then_deleted_in_check_mode_and_for_real(local_aws, ssm):
    name = unique("Patch-Windows-Server-2016-Base")
    mark = local_aws.mark()
    created = run_module(local_aws, MODULE, {**windows_demo_window(name), "enabled": False})
    assert operations(local_aws.mutating(mark)) == ["CreateMaintenanceWindow", "UpdateMaintenanceWindow"]
    assert created["window"]["enabled"] is False
    assert ssm.get_maintenance_window(WindowId=created["window"]["window_id"])["Enabled"] is False

    mark = local_aws.mark()
    preview = run_module(local_aws, MODULE, {"name": name, "state": "absent"}, check=True, diff=True)
    assert preview["changed"] is True
    assert local_aws.mutating(mark) == []
    assert preview["diff"]["before"]["name"] == name and preview["diff"]["after"] == {}
    assert len(windows_named(ssm, name)) == 1

    mark = local_aws.mark()
    assert run_module(local_aws, MODULE, {"name": name, "state": "absent"})["changed"] is True
    assert operations(local_aws.mutating(mark)) == ["DeleteMaintenanceWindow"]
    assert windows_named(ssm, name) == []

    mark = local_aws.mark()
    again = run_module(local_aws, MODULE, {"name": name, "state": "absent"})
    assert again["changed"] is False
    assert local_aws.mutating(mark) == []


def run_tasks(local_aws, tmp_path, module_args):
    """One playbook run with a task per set of module arguments (failures ignored); the task results."""
    tasks = [
        {"name": f"task {index}", f"patchmodel.ssm.{MODULE}": args, "ignore_errors": True}
        for index, args in enumerate(module_args)
    ]
    playbook = tmp_path / "windows.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]))
    _returncode, results, _stats, output = run_playbook(local_aws, playbook)
    assert len(results) == len(module_args), output
    return results


def test_windows_that_cannot_be_identified_or_created_fail_without_a_write(local_aws, ssm, tmp_path):
    shared = unique("Patch-WebServer-Prd")
    ids = sorted(
        ssm.create_maintenance_window(
            Name=shared, Schedule="rate(1 day)", Duration=2, Cutoff=1, AllowUnassociatedTargets=False
        )["WindowId"]
        for _copy in range(2)
    )
    mark = local_aws.mark()
    present, absent, missing, unknown = run_tasks(
        local_aws,
        tmp_path,
        [
            webserver_window(shared),
            {"name": shared, "state": "absent"},
            {"name": unique("Patch-WebServer-Prd"), "cutoff": 1},
            {**windows_demo_window("Patch-Windows-Server-2016-Base"), "window_id": "mw-0123456789abcdef0"},
        ],
    )
    assert local_aws.mutating(mark) == []
    # Several windows share the name: never pick one, whatever the state.
    for result in (present, absent):
        assert result.get("failed") is True
        assert result["matching_ids"] == ids
        assert all(window_id in result["msg"] for window_id in ids)
    assert missing.get("failed") is True
    assert missing["missing"] == ["schedule", "duration"]
    assert unknown.get("failed") is True
    assert "No maintenance window has the id mw-0123456789abcdef0" in unknown["msg"]


# Each bad input, the option its message must name, and a part of that message.
BAD_INPUTS = [
    ({"schedule": "cron(0 21 ? * WED#1)"}, "schedule: cron expression has 5 fields"),
    ({"schedule": "cron(0 21 6 * WED#1 *)"}, "schedule: day-of-month '6' and day-of-week 'WED#1' are both set"),
    ({"schedule": "cron(0 21 ? * WED#9 *)"}, "schedule: "),
    ({"schedule": "rate(1 days)"}, "schedule: rate(1 days) takes the singular unit"),
    ({"schedule": "rate(5 minute)"}, "schedule: rate(5 minute) takes the plural unit"),
    ({"schedule": "at(2022-02-30T21:00:00)"}, "schedule: "),
    ({"schedule_timezone": "US/Centrall"}, "schedule_timezone: "),
    ({"schedule": "rate(5 minutes)", "schedule_offset": 2}, "schedule_offset: schedule offset 2 works only"),
    ({"schedule_offset": 7}, "schedule_offset: 7 is outside the allowed range 1 to 6"),
    ({"duration": 25}, "duration: 25 is outside the allowed range 1 to 24"),
    ({"cutoff": 2}, "cutoff: 2 must be less than duration (2)"),
    ({"cutoff": -1}, "cutoff: -1 is outside the allowed range 0 to 23"),
    ({"start_date": "July 6th 2022"}, "start_date: 'July 6th 2022' is not an ISO-8601 date"),
    ({"end_date": "2022-07-06T19:00-05:00"}, "start_date: 2022-07-06T20:00-05:00 must be before end_date"),
    ({"name": "Patch WebServer Prd"}, "name: 'Patch WebServer Prd' does not match the pattern"),
    ({"window_id": "mw-12345"}, "window_id: 'mw-12345' must have 20 to 20 characters"),
    ({"tags": {"Patch Group!": "WebServer-Prd"}}, "tags['Patch Group!'].key: "),
]


def test_bad_inputs_fail_before_any_call_naming_the_option(local_aws, tmp_path):
    mark = local_aws.mark()
    results = run_tasks(
        local_aws,
        tmp_path,
        [{**webserver_window("Patch-WebServer-Prd"), **overrides} for overrides, _expected in BAD_INPUTS],
    )
    assert local_aws.requests(mark) == []
    for (overrides, expected), result in zip(BAD_INPUTS, results, strict=True):
        assert result.get("failed") is True, overrides
        assert any(problem.startswith(expected) for problem in result["problems"]), (overrides, result["problems"])
        assert "Traceback" not in result["msg"]
