"""The section modules (ssm_maintenance_windows, ssm_patch_baselines, ssm_documents): a whole section in one module
run, per-resource results and diffs, every problem listed, one failing resource leaving the others applied, and a
no-op rerun that reads each resource once."""

import collections

from tests.helpers.ansible_run import run_module
from tests.integration.window_parts_support import ROLE_ARN, unique, webserver_target, webserver_task

MODEL_TAGS = {"patchmodel:model": "sections"}
HOOK = {
    "schemaVersion": "2.2",
    "description": "hook",
    "mainSteps": [{"action": "aws:runShellScript", "name": "hook", "inputs": {"runCommand": ["true"]}}],
}


def window(name, target_name="WebServer-Prd", task_name="PatchWebServerPrd"):
    """A window item of the section: the AL2 tutorial's window with its target and task."""
    target, task = webserver_target(name, target_name), webserver_task(name, target_name, task_name)
    target.pop("window"), task.pop("window")
    return {
        "name": name,
        "description": "Patching Maintenance Window",
        "schedule": "cron(0 21 ? * WED#1 *)",
        "schedule_timezone": "US/Central",
        "duration": 2,
        "cutoff": 1,
        "targets": [target],
        "tasks": [task],
    }


def baseline(name, operating_system="AMAZON_LINUX_2", groups=()):
    classification = "SecurityUpdates" if operating_system == "WINDOWS" else "Security"
    return {
        "name": name,
        "operating_system": operating_system,
        "approval_rules": [
            {"approve_after_days": 7, "patch_filters": [{"key": "CLASSIFICATION", "values": [classification]}]}
        ],
        "patch_groups": list(groups),
    }


def counts(entries):
    return collections.Counter(entry["operation"] for entry in entries)


def test_a_window_section_applies_in_one_run_and_its_rerun_reads_each_resource_once(account):
    local_aws = account  # an endpoint of its own: the listing counts hold for this test's resources alone
    names = [unique("Section") for _ in range(3)]
    args = {"windows": [window(name) for name in names], "tags": MODEL_TAGS}
    first = run_module(local_aws, "ssm_maintenance_windows", args)
    assert first["changed"] is True, first
    kinds = [(entry["kind"], entry["action"]) for entry in first["resources"]]
    assert kinds == [("window", "created"), ("window_target", "created"), ("window_task", "created")] * 3
    assert all(entry["id"] for entry in first["resources"])
    assert f"maintenance window '{names[0]}': created" in first["changed_resources"]
    # The task names its target by name: the section resolved it to the target it registered.
    entries = {(entry["kind"], entry["label"]): entry for entry in first["resources"]}
    target_id = entries[("window_target", f"window target '{names[0]}/WebServer-Prd'")]["id"]
    task = entries[("window_task", f"window task '{names[0]}/PatchWebServerPrd'")]["window_task"]
    assert task["targets"] == [{"key": "WindowTargetIds", "values": [target_id]}]
    assert task["service_role_arn"] == ROLE_ARN
    # Sensitive values stay masked in the per-resource results, as in the singular modules'.
    assert entries[("window", f"maintenance window '{names[0]}'")]["window"]["description"] == (
        "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    )

    mark = local_aws.mark()
    rerun = run_module(local_aws, "ssm_maintenance_windows", args)
    assert rerun["changed"] is False, rerun["changed_resources"]
    assert {entry["action"] for entry in rerun["resources"]} == {"unchanged"}
    calls = local_aws.requests(mark)
    assert local_aws.mutating(mark) == []
    made = counts(calls)
    # Listed once for the section, tags read in one call, each window, target list and task read once.
    assert made["DescribeMaintenanceWindows"] == 1
    assert made["GetResources"] == 1
    assert made["ListTagsForResource"] == 0
    assert made["GetMaintenanceWindow"] == 3
    assert made["DescribeMaintenanceWindowTargets"] == 3
    assert made["DescribeMaintenanceWindowTasks"] == 3
    assert made["GetMaintenanceWindowTask"] == 3
    assert made["GetCallerIdentity"] == 1  # the partition and account of every ARN in the results
    assert all(entry["arn"].startswith("arn:aws:ssm:us-east-1:") for entry in rerun["resources"])
    assert len(calls) == 4 * 3 + 3, made  # 15 calls for 9 resources; with 50 windows 203 for 150


def test_check_diff_previews_each_resource_with_its_own_diff_and_changes_nothing(local_aws):
    name = unique("Preview")
    mark = local_aws.mark()
    result = run_module(local_aws, "ssm_maintenance_windows", {"windows": [window(name)]}, check=True, diff=True)
    assert local_aws.mutating(mark) == []
    assert result["changed"] is True
    headers = [diff["before_header"] for diff in result["diff"]]
    assert headers == [
        f"maintenance window '{name}'",
        f"window target '{name}/WebServer-Prd'",
        f"window task '{name}/PatchWebServerPrd'",
    ]
    assert all(diff["before"] == {} and diff["after"] for diff in result["diff"])
    assert all(entry["diff"] for entry in result["resources"])


def test_every_problem_of_every_item_fails_the_run_before_any_call(local_aws):
    bad_window = dict(window(unique("Bad")), cutoff=5)  # cutoff must be less than duration (2)
    bad_target = window(unique("BadTarget"))
    bad_target["targets"][0]["targets"] = [{"key": "tag:Patch Group", "values": []}]
    mark = local_aws.mark()
    result = run_module(local_aws, "ssm_maintenance_windows", {"windows": [bad_window, bad_target]})
    assert result.get("failed"), result
    assert local_aws.requests(mark) == []
    assert any(problem.startswith("windows[0]: cutoff") for problem in result["problems"]), result["problems"]
    assert any(problem.startswith("windows[1].targets[0]: targets[0].values") for problem in result["problems"])
    unknown = run_module(local_aws, "ssm_documents", {"documents": [{"name": "Doc-1", "contnet": "x"}]})
    assert "documents[0]" in unknown["msg"] and "contnet" in unknown["msg"], unknown["msg"]


def test_one_failing_resource_leaves_the_others_applied_and_the_run_lists_it(local_aws):
    good, broken = unique("Good"), unique("Broken")
    failing = window(broken)
    failing["tasks"][0]["window_targets"] = ["NoSuchTarget"]  # names a target the window does not have
    result = run_module(local_aws, "ssm_maintenance_windows", {"windows": [failing, window(good)]})
    assert result.get("failed"), result
    assert result["msg"].startswith("1 of 6 resources failed:"), result["msg"]
    assert f"window task '{broken}/PatchWebServerPrd'" in result["msg"] and "NoSuchTarget" in result["msg"]
    ssm = local_aws.client("ssm")
    for name in (good, broken):
        [found] = ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [name]}])["WindowIdentities"]
        tasks = ssm.describe_maintenance_window_tasks(WindowId=found["WindowId"])["Tasks"]
        assert len(tasks) == (1 if name == good else 0), name
    assert result["changed"] is True and len(result["resources"]) == 6


def test_baselines_and_documents_sections_apply_and_rerun_without_change(account):
    local_aws = account
    names = [unique("SectionBaseline") for _ in range(3)]
    groups = [unique("Group") for _ in range(3)]
    # Two Amazon Linux 2 baselines around a Windows one: the results keep the items' order.
    baselines = [baseline(names[0], groups=[groups[0]]), baseline(names[1], "WINDOWS", groups=[groups[1]])]
    baselines.append(baseline(names[2], groups=[groups[2]]))
    args = {"baselines": baselines, "tags": MODEL_TAGS}
    first = run_module(local_aws, "ssm_patch_baselines", args)
    assert [entry["action"] for entry in first["resources"]] == ["created"] * 3, first
    assert [entry["baseline"]["patch_groups"] for entry in first["resources"]] == [[group] for group in groups]
    assert [entry["name"] for entry in first["resources"]] == names
    mark = local_aws.mark()
    rerun = run_module(local_aws, "ssm_patch_baselines", args)
    assert rerun["changed"] is False and local_aws.mutating(mark) == []
    made = counts(local_aws.requests(mark))
    assert made["DescribePatchBaselines"] == 1 and made["ListTagsForResource"] == 0, made
    assert made["GetDefaultPatchBaseline"] == 2, made  # one per operating system

    docs = [{"name": unique("Section-Doc"), "content": HOOK} for _ in range(3)]
    applied = run_module(local_aws, "ssm_documents", {"documents": docs, "tags": MODEL_TAGS})
    assert [entry["action"] for entry in applied["resources"]] == ["created"] * 3, applied
    assert all(entry["document"]["tags"] == MODEL_TAGS for entry in applied["resources"])
    mark = local_aws.mark()
    again = run_module(local_aws, "ssm_documents", {"documents": docs, "tags": MODEL_TAGS})
    assert again["changed"] is False and local_aws.mutating(mark) == []
    assert counts(local_aws.requests(mark))["ListTagsForResource"] == 0


def test_without_tag_get_resources_tags_are_read_one_by_one_with_a_warning_and_nothing_changes(account):
    names = [unique("Denied") for _ in range(2)]
    args = {"windows": [window(name) for name in names], "tags": MODEL_TAGS}
    assert run_module(account, "ssm_maintenance_windows", args)["changed"] is True
    account.set_faults(denied=1.0, operations=["GetResources"])
    try:
        mark = account.mark()
        rerun = run_module(account, "ssm_maintenance_windows", args)
    finally:
        account.set_faults()
    assert rerun["changed"] is False and account.mutating(mark) == []
    assert any("tag:GetResources is not allowed" in warning for warning in rerun.get("warnings", [])), rerun
    assert counts(account.requests(mark))["ListTagsForResource"] == 2
