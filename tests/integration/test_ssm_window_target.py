"""ssm_window_target against the local endpoint: real ansible runs, asserted on results and the request log."""

from tests.helpers.ansible_run import run_module
from tests.integration.window_parts_support import (
    create_window,
    no_traceback,
    operations,
    play,
    task,
    unique,
    webserver_target,
)

MODULE = "ssm_window_target"
HIDDEN = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
CHANGED = HIDDEN + " (changed)"


def registered(ssm, window_id):
    return ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]


def test_seed_target_check_create_rerun_then_absent(local_aws, ssm, tmp_path):
    window = unique("Patch-WebServer-Prd")
    window_id = create_window(ssm, window)
    options = webserver_target(window)
    mark = local_aws.mark()
    results = play(
        local_aws,
        tmp_path,
        [
            task(MODULE, options, check_mode=True, diff=True),
            task(MODULE, options),
            task(MODULE, options, check_mode=True),
            task(MODULE, options),
            task(MODULE, {**options, "state": "absent"}, check_mode=True, diff=True),
            task(MODULE, {**options, "state": "absent"}),
            task(MODULE, {**options, "state": "absent"}),
        ],
    )
    assert [result["changed"] for result in results] == [True, True, False, False, True, True, False]
    preview, created = results[0], results[1]
    assert preview["diff"]["before"] == {} and preview["window_target"]["window_target_id"] is None
    # The result names the target by its ARN once it exists; check mode's has none, and diffs leave it out.
    target_id = created["window_target"]["window_target_id"]
    assert created["window_target"]["arn"] == f"arn:aws:ssm:us-east-1:123456789012:windowtarget/{target_id}"
    created_target = {key: value for key, value in created["window_target"].items() if key != "arn"}
    assert preview["diff"]["after"] == preview["window_target"] == {**created_target, "window_target_id": None}
    assert created_target == {
        "window_id": window_id,
        "window_target_id": target_id,
        "name": "WebServer-Prd",
        # AWS marks both sensitive: masked here, the real values are in the request (below).
        "description": HIDDEN,
        "resource_type": "INSTANCE",
        "owner_information": HIDDEN,
        "targets": [{"key": "tag:Patch Group", "values": ["WebServer-Prd"]}],
    }
    assert results[3]["window_target"] == created["window_target"]
    assert results[4]["diff"] == {"before": created_target, "after": {}}
    # Only the real create and the real removal changed anything; check mode and reruns made no call that writes.
    calls = local_aws.mutating(mark)
    assert operations(calls) == ["RegisterTargetWithMaintenanceWindow", "DeregisterTargetFromMaintenanceWindow"]
    assert calls[0]["parameters"]["ClientToken"] and calls[1]["parameters"]["Safe"] is True
    assert calls[0]["parameters"]["Description"] == "The target is the Web Server in production"
    assert calls[0]["parameters"]["OwnerInformation"] == "The A-Engineering Team"
    assert registered(ssm, window_id) == []


def test_every_mutable_field_is_updated_in_place(local_aws, ssm, tmp_path):
    window = unique("Patch-WebServer-Prd")
    window_id = create_window(ssm, window)
    target_id = run_module(local_aws, MODULE, webserver_target(window))["window_target"]["window_target_id"]
    assert registered(ssm, window_id)[0]["OwnerInformation"] == "The A-Engineering Team"
    changed = {
        **webserver_target(window),
        "description": "Web servers in production, both tiers",
        "owner_information": "The B-Engineering Team",
        "targets": [
            {"key": "tag:Patch Group", "values": ["WebServer-Prd", "WebServer-Prd-2"]},
            {"key": "tag-key", "values": ["Owner"]},
        ],
    }
    # Renaming needs the id; an empty description removes it.
    renamed = {"window": window_id, "name": "WebServers-Prd", "window_target_id": target_id, "description": ""}
    mark = local_aws.mark()
    results = play(
        local_aws,
        tmp_path,
        [
            task(MODULE, changed, check_mode=True, diff=True),
            task(MODULE, changed, diff=True),
            task(MODULE, changed),
            task(MODULE, renamed),
            task(MODULE, renamed),
        ],
    )
    assert [result["changed"] for result in results] == [True, True, False, True, False], results
    preview, updated = results[0], results[1]
    assert preview["diff"] == updated["diff"]
    # Changed sensitive values show so, neither value shown; AWS holds the old (above) and the new one (below).
    assert (preview["diff"]["before"]["owner_information"], preview["diff"]["after"]["owner_information"]) == (
        HIDDEN,
        CHANGED,
    )
    assert preview["diff"]["after"]["description"] == CHANGED
    assert updated["window_target"]["window_target_id"] == target_id
    assert updated["window_target"]["owner_information"] == HIDDEN
    calls = local_aws.mutating(mark)
    assert operations(calls) == ["UpdateMaintenanceWindowTarget"] * 2
    assert all(call["parameters"]["Replace"] is True for call in calls)
    (stored,) = registered(ssm, window_id)
    assert stored["WindowTargetId"] == target_id and stored["Name"] == "WebServers-Prd"
    assert "Description" not in stored and stored["OwnerInformation"] == "The B-Engineering Team"
    assert sorted(t["Key"] for t in stored["Targets"]) == ["tag-key", "tag:Patch Group"]


def test_resource_groups_imply_their_resource_type_which_cannot_change(local_aws, ssm):
    window = unique("Patch-WebServer-Prd")
    create_window(ssm, window)
    options = {
        "window": window,
        "name": "WebServer-Group",
        "targets": [
            {"key": "resource-groups:Name", "values": ["WebServers"]},
            {"key": "resource-groups:ResourceTypeFilters", "values": ["AWS::EC2::Instance"]},
        ],
    }
    created = run_module(local_aws, MODULE, options)
    assert created["changed"] and created["window_target"]["resource_type"] == "RESOURCE_GROUP"
    mark = local_aws.mark()
    refused = run_module(
        local_aws, MODULE, {**options, "resource_type": "INSTANCE", "targets": [{"key": "tag-key", "values": ["Web"]}]}
    )
    assert refused["failed"] and "resource_type: the target is RESOURCE_GROUP" in refused["msg"], refused
    assert local_aws.mutating(mark) == []


def test_duplicate_names_fail_listing_ids_and_the_id_picks_one(local_aws, ssm, tmp_path):
    window = unique("Patch-WebServer-Prd")
    window_id = create_window(ssm, window)
    ids = sorted(
        ssm.register_target_with_maintenance_window(
            WindowId=window_id,
            ResourceType="INSTANCE",
            Name="WebServer-Prd",
            Targets=[{"Key": "tag:Patch Group", "Values": ["WebServer-Prd"]}],
        )["WindowTargetId"]
        for _attempt in range(2)
    )
    mark = local_aws.mark()
    results = play(
        local_aws,
        tmp_path,
        [
            task(MODULE, webserver_target(window)),
            task(MODULE, {"window": window, "name": "WebServer-Prd", "state": "absent"}),
            task(MODULE, {**webserver_target(window), "window_target_id": ids[1]}),
        ],
    )
    for result in results[:2]:
        assert result["failed"] and result["matching_ids"] == ids, result
        assert f"2 maintenance window targets are named 'WebServer-Prd': {ids[0]}, {ids[1]}" in result["msg"]
    assert results[2]["changed"] and results[2]["window_target"]["window_target_id"] == ids[1]
    assert [call["parameters"]["WindowTargetId"] for call in local_aws.mutating(mark)] == [ids[1]]


def test_a_window_that_does_not_exist_yet_is_fine_in_check_mode_only(local_aws):
    options = webserver_target(unique("Patch-WebServer-Prd"))
    mark = local_aws.mark()
    preview = run_module(local_aws, MODULE, options, check=True, diff=True)
    assert preview["changed"] and not preview.get("failed"), preview
    assert preview["window_target"]["window_id"] is None and preview["window_target"]["name"] == "WebServer-Prd"
    assert local_aws.mutating(mark) == []
    failed = run_module(local_aws, MODULE, options)
    assert failed["failed"] and f"Maintenance window '{options['window']}' does not exist" in failed["msg"]
    assert local_aws.mutating(mark) == []
    assert not run_module(local_aws, MODULE, {**options, "state": "absent"})["changed"]


BAD_INPUTS = [
    ({"name": "WebServer Prd"}, "name: 'WebServer Prd' does not match the pattern"),
    ({"targets": [{"key": "Tag:Patch Group", "values": ["WebServer-Prd"]}]}, "targets[0].key: 'Tag:Patch Group'"),
    ({"targets": [{"key": f"tag:Tier{n}", "values": ["web"]} for n in range(6)]}, "targets: must have 0 to 5 items"),
    (
        {"targets": [{"key": "tag:Patch Group", "values": [f"group-{n}" for n in range(51)]}]},
        "targets[0].values: must have 0 to 50 items, got 51",
    ),
    ({"targets": [{"key": "InstanceIds", "values": ["web-1"]}]}, "targets[0].values[0]: 'web-1' is not an instance id"),
    (
        {"resource_type": "RESOURCE_GROUP"},
        "targets: resource_type RESOURCE_GROUP needs targets keyed resource-groups:Name",
    ),
    # AWS marks it sensitive: named, not quoted.
    ({"owner_information": "x" * 129}, "owner_information: must have 1 to 128 characters, got 129"),
    ({"window_target_id": "WebServer-Prd"}, "window_target_id: 'WebServer-Prd' is not a window target id"),
    ({"resource_type": "VM"}, "resource_type"),
]


def test_bad_inputs_fail_before_any_call_naming_the_option(local_aws, tmp_path):
    window = unique("Patch-WebServer-Prd")
    mark = local_aws.mark()
    results = play(
        local_aws, tmp_path, [task(MODULE, {**webserver_target(window), **bad}) for bad, _expected in BAD_INPUTS]
    )
    for (bad, expected), result in zip(BAD_INPUTS, results, strict=True):
        assert result.get("failed") and expected in result["msg"], (bad, result)
        assert no_traceback(result)
    assert local_aws.requests(mark) == []
