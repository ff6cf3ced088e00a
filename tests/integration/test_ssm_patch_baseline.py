"""ssm_patch_baseline against the local endpoint: real ansible runs, asserting on results and the request log."""

import pytest

from tests.helpers.ansible_run import run_module
from tests.integration.patch_baseline_support import (
    MODULE,
    al2_seed,
    create_directly,
    no_traceback,
    operations,
    run_tasks,
    task,
    unique,
    windows_seed,
)


def baseline_of(ssm, baseline_id):
    return ssm.get_patch_baseline(BaselineId=baseline_id)


def test_amazon_linux_seed_check_create_rerun_update_with_diff(local_aws, ssm):
    name, group = unique("AmazonLinux2AllPatchesBaseline"), unique("WebServer-Prd")
    options = {**al2_seed(name, patch_groups=[group]), "tags": {"Environment": "production"}}

    mark = local_aws.mark()
    preview = run_module(local_aws, "ssm_patch_baseline", options, check=True, diff=True)
    assert preview["changed"] is True and local_aws.mutating(mark) == []
    assert preview["baseline"]["baseline_id"] is None and preview["baseline"]["patch_groups"] == [group]
    assert preview["diff"]["before"] == {} and preview["diff"]["after"]["name"] == name

    mark = local_aws.mark()
    created = run_module(local_aws, "ssm_patch_baseline", options, diff=True)
    assert created["changed"] is True, created.get("msg")
    writes = local_aws.mutating(mark)
    assert operations(writes) == ["CreatePatchBaseline", "RegisterPatchBaselineForPatchGroup"]
    assert writes[0]["parameters"]["ClientToken"]
    assert writes[0]["parameters"]["Tags"] == [{"Key": "Environment", "Value": "production"}]
    baseline = created["baseline"]
    baseline_id = baseline["baseline_id"]
    assert created["diff"]["before"] == {} and created["diff"]["after"]["baseline_id"] == baseline_id
    assert baseline["operating_system"] == "AMAZON_LINUX_2" and baseline["rejected_patches_action"] == "BLOCK"
    assert baseline["approval_rules"][0]["enable_non_security"] is True
    assert baseline["tags"] == {"Environment": "production"} and baseline["default_baseline"] is False
    stored = baseline_of(ssm, baseline_id)
    assert stored["RejectedPatches"] == ["system-release.*"] and stored["PatchGroups"] == [group]
    assert stored["Description"] == "Amazon Linux2 All Patches Baseline"

    for check in (False, True):
        mark = local_aws.mark()
        rerun = run_module(local_aws, "ssm_patch_baseline", options, check=check)
        assert rerun["changed"] is False and local_aws.mutating(mark) == [], rerun.get("msg")
        assert rerun["baseline"]["baseline_id"] == baseline_id

    changed = {
        **options,
        "description": "Amazon Linux 2, every patch",
        "rejected_patches_action": "ALLOW_AS_DEPENDENCY",
    }
    mark = local_aws.mark()
    preview = run_module(local_aws, "ssm_patch_baseline", changed, check=True, diff=True)
    assert preview["changed"] is True and local_aws.mutating(mark) == []
    assert preview["diff"]["before"]["description"] == "Amazon Linux2 All Patches Baseline"
    assert preview["diff"]["after"]["description"] == "Amazon Linux 2, every patch"
    assert preview["diff"]["after"]["rejected_patches_action"] == "ALLOW_AS_DEPENDENCY"
    assert baseline_of(ssm, baseline_id)["RejectedPatchesAction"] == "BLOCK"

    mark = local_aws.mark()
    updated = run_module(local_aws, "ssm_patch_baseline", changed, diff=True)
    assert updated["changed"] is True and operations(local_aws.mutating(mark)) == ["UpdatePatchBaseline"]
    assert updated["diff"]["before"]["rejected_patches_action"] == "BLOCK"
    assert updated["diff"]["after"]["rejected_patches_action"] == "ALLOW_AS_DEPENDENCY"
    assert updated["baseline"]["baseline_id"] == baseline_id
    assert baseline_of(ssm, baseline_id)["RejectedPatchesAction"] == "ALLOW_AS_DEPENDENCY"


def test_windows_seed_is_registered_for_its_patch_group_and_updated_in_place(local_aws, ssm):
    name, group = unique("WindowsServer2016Baseline"), unique("Windows Server 2016 Base")
    created = run_module(local_aws, "ssm_patch_baseline", windows_seed(name, patch_groups=[group]))
    assert created["changed"] is True, created.get("msg")
    baseline_id = created["baseline"]["baseline_id"]
    assert ssm.get_patch_baseline_for_patch_group(PatchGroup=group, OperatingSystem="WINDOWS")["BaselineId"] == (
        baseline_id
    )
    rule = baseline_of(ssm, baseline_id)["ApprovalRules"]["PatchRules"][0]
    assert rule["ApproveAfterDays"] == 3
    assert {f["Key"]: sorted(f["Values"]) for f in rule["PatchFilterGroup"]["PatchFilters"]} == {
        "PRODUCT": ["WindowsServer2016"],
        "CLASSIFICATION": ["SecurityUpdates"],
        "MSRC_SEVERITY": ["Critical", "Important"],
    }

    # The Windows-only option, changed in place and then left alone.
    options = {**windows_seed(name, patch_groups=[group]), "available_security_updates_compliance_status": "COMPLIANT"}
    for expected_change in (True, False):
        mark = local_aws.mark()
        result = run_module(local_aws, "ssm_patch_baseline", options)
        assert result["changed"] is expected_change, result.get("msg")
        assert operations(local_aws.mutating(mark)) == (["UpdatePatchBaseline"] if expected_change else [])
    assert baseline_of(ssm, baseline_id)["AvailableSecurityUpdatesComplianceStatus"] == "COMPLIANT"


# Each mutable field changed alone, then the same task again: (field, options, expected writes of the change).
FIELD_CHANGES = [
    ("description", {"description": "Amazon Linux 2 - all patches"}, ["UpdatePatchBaseline"]),
    (
        "approval_rules",
        {
            "approval_rules": [
                {
                    "patch_filters": [
                        {"key": "CLASSIFICATION", "values": ["Security"]},
                        {"key": "SEVERITY", "values": ["Critical", "Important"]},
                    ],
                    "approve_after_days": 0,
                    "compliance_level": "CRITICAL",
                },
                {
                    "patch_filters": [{"key": "CLASSIFICATION", "values": ["Bugfix"]}],
                    "approve_until_date": "2024-12-31",
                },
            ]
        },
        ["UpdatePatchBaseline"],
    ),
    ("approved_patches", {"approved_patches": ["kernel", "openssl*"]}, ["UpdatePatchBaseline"]),
    ("approved_patches_compliance_level", {"approved_patches_compliance_level": "HIGH"}, ["UpdatePatchBaseline"]),
    ("approved_patches_enable_non_security", {"approved_patches_enable_non_security": True}, ["UpdatePatchBaseline"]),
    ("rejected_patches", {"rejected_patches": ["system-release.*", "java-1.7*"]}, ["UpdatePatchBaseline"]),
    ("rejected_patches_action", {"rejected_patches_action": "BLOCK"}, ["UpdatePatchBaseline"]),
    (
        "global_filters",
        {"global_filters": [{"key": "PRODUCT", "values": ["AmazonLinux2", "AmazonLinux2.0"]}]},
        ["UpdatePatchBaseline"],
    ),
    (
        "sources",
        {
            "sources": [
                {
                    "name": "My-AL2-Repo",
                    "products": ["AmazonLinux2"],
                    "configuration": "[main]\nname=MyRepo\nbaseurl=https://repo.example/al2\nenabled=1",
                }
            ]
        },
        ["UpdatePatchBaseline"],
    ),
    ("tags", {"tags": {"Team": "web"}}, ["RemoveTagsFromResource", "AddTagsToResource"]),
    (
        "patch_groups",
        {"patch_groups": ["(second group)"]},
        ["DeregisterPatchBaselineForPatchGroup", "RegisterPatchBaselineForPatchGroup"],
    ),
    ("name", {"name": "(new name)"}, ["UpdatePatchBaseline"]),
]


@pytest.fixture(scope="module")
def field_changes(local_aws, tmp_path_factory):
    """One playbook: every field changed in turn on one baseline, each change followed by the same task again."""
    ssm = local_aws.client("ssm")
    name, first_group, second_group = unique("AL2Fields"), unique("WebServer-Prd"), unique("WebServer-Stg")
    baseline_id = create_directly(ssm, name, Tags=[{"Key": "Owner", "Value": "ops"}])
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=first_group)
    new_name = name + "-renamed"
    tasks = []
    for field, options, _writes in FIELD_CHANGES:
        # Placeholders stand for values only known once the baseline exists.
        if field == "patch_groups":
            options = {"patch_groups": [second_group]}
        elif field == "name":
            options = {"name": new_name}
        identity = {"baseline_id": baseline_id} if field == "name" else {"name": name}
        for attempt in ("change", "again"):
            tasks.append(task(MODULE, {**identity, **options}, name=f"{attempt} {field}"))
    mark = local_aws.mark()
    results = run_tasks(local_aws, tmp_path_factory.mktemp("fields"), tasks)
    return {
        "results": dict(zip([t["name"] for t in tasks], results, strict=True)),
        "writes": local_aws.mutating(mark),
        "baseline": ssm.get_patch_baseline(BaselineId=baseline_id),
        "tags": ssm.list_tags_for_resource(ResourceType="PatchBaseline", ResourceId=baseline_id)["TagList"],
        "baseline_id": baseline_id,
        "groups": (first_group, second_group),
        "new_name": new_name,
    }


@pytest.mark.parametrize("field", [field for field, _options, _writes in FIELD_CHANGES])
def test_each_mutable_field_changes_in_place_and_then_stays(field_changes, field):
    change, again = field_changes["results"][f"change {field}"], field_changes["results"][f"again {field}"]
    assert change["changed"] is True and not change.get("failed"), change.get("msg")
    assert again["changed"] is False and not again.get("failed"), again.get("msg")
    assert change["baseline"]["baseline_id"] == field_changes["baseline_id"]
    assert change["baseline"] == again["baseline"]


def test_field_changes_made_only_the_expected_writes_on_the_same_baseline(field_changes):
    expected = [write for _field, _options, writes in FIELD_CHANGES for write in writes]
    writes = field_changes["writes"]
    assert operations(writes) == expected
    for write in writes:
        if write["operation"] == "UpdatePatchBaseline":
            assert write["parameters"]["BaselineId"] == field_changes["baseline_id"]
            assert write["parameters"]["Replace"] is True


def test_field_changes_are_all_stored(field_changes):
    stored, (first_group, second_group) = field_changes["baseline"], field_changes["groups"]
    assert stored["Name"] == field_changes["new_name"]
    assert stored["Description"] == "Amazon Linux 2 - all patches"
    rules = stored["ApprovalRules"]["PatchRules"]
    assert [rule.get("ApproveAfterDays") for rule in rules] == [0, None]
    assert rules[0]["ComplianceLevel"] == "CRITICAL" and rules[1]["ApproveUntilDate"] == "2024-12-31"
    assert sorted(stored["ApprovedPatches"]) == ["kernel", "openssl*"]
    assert stored["ApprovedPatchesComplianceLevel"] == "HIGH" and stored["ApprovedPatchesEnableNonSecurity"] is True
    assert sorted(stored["RejectedPatches"]) == ["java-1.7*", "system-release.*"]
    assert stored["RejectedPatchesAction"] == "BLOCK"
    assert stored["GlobalFilters"]["PatchFilters"][0]["Values"] == ["AmazonLinux2", "AmazonLinux2.0"]
    assert stored["Sources"][0]["Name"] == "My-AL2-Repo"
    assert stored["PatchGroups"] == [second_group] and first_group not in stored["PatchGroups"]
    assert field_changes["tags"] == [{"Key": "Team", "Value": "web"}]


def test_source_configuration_never_shows_in_results(field_changes):
    # Not in the run that sets it, nor in the later runs that leave it alone (Ansible masks only this run's option
    # values); AWS marks it sensitive, and AWS holds it.
    for result in field_changes["results"].values():
        assert "baseurl=https://repo.example/al2" not in str(result)
    assert field_changes["results"]["again sources"]["baseline"]["sources"][0]["configuration"] == (
        "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    )
    assert "baseurl=https://repo.example/al2" in field_changes["baseline"]["Sources"][0]["Configuration"]


def test_absent_releases_default_and_patch_groups_then_deletes(local_aws, ssm):
    name, group = unique("RockyBaseline"), unique("Rocky-Prd")
    baseline_id = create_directly(ssm, name, operating_system="ROCKY_LINUX")
    aws_default = ssm.get_default_patch_baseline(OperatingSystem="ROCKY_LINUX")["BaselineId"]
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=group)
    ssm.register_default_patch_baseline(BaselineId=baseline_id)

    mark = local_aws.mark()
    preview = run_module(local_aws, "ssm_patch_baseline", {"name": name, "state": "absent"}, check=True, diff=True)
    assert preview["changed"] is True and local_aws.mutating(mark) == []
    assert preview["diff"]["before"]["default_baseline"] is True and preview["diff"]["after"] == {}
    assert baseline_of(ssm, baseline_id)["Name"] == name

    mark = local_aws.mark()
    removed = run_module(local_aws, "ssm_patch_baseline", {"name": name, "state": "absent"})
    assert removed["changed"] is True, removed.get("msg")
    writes = local_aws.mutating(mark)
    assert operations(writes) == [
        "DeregisterPatchBaselineForPatchGroup",
        "RegisterDefaultPatchBaseline",
        "DeletePatchBaseline",
    ]
    assert writes[1]["parameters"]["BaselineId"] == aws_default
    assert ssm.get_default_patch_baseline(OperatingSystem="ROCKY_LINUX")["BaselineId"] == aws_default
    assert ssm.describe_patch_baselines(Filters=[{"Key": "NAME_PREFIX", "Values": [name]}])["BaselineIdentities"] == []

    mark = local_aws.mark()
    again = run_module(local_aws, "ssm_patch_baseline", {"name": name, "state": "absent"})
    assert again["changed"] is False and local_aws.mutating(mark) == []


def test_default_baseline_is_set_and_handed_back_to_aws(local_aws, ssm):
    name = unique("AlmaBaseline")
    baseline_id = create_directly(ssm, name, operating_system="ALMA_LINUX")
    aws_default = ssm.get_default_patch_baseline(OperatingSystem="ALMA_LINUX")["BaselineId"]
    try:
        for expected_writes in (["RegisterDefaultPatchBaseline"], []):
            mark = local_aws.mark()
            result = run_module(local_aws, "ssm_patch_baseline", {"name": name, "default_baseline": True})
            assert result["changed"] is bool(expected_writes), result.get("msg")
            assert operations(local_aws.mutating(mark)) == expected_writes
            assert result["baseline"]["default_baseline"] is True
        assert ssm.get_default_patch_baseline(OperatingSystem="ALMA_LINUX")["BaselineId"] == baseline_id

        mark = local_aws.mark()
        result = run_module(local_aws, "ssm_patch_baseline", {"name": name, "default_baseline": False})
        assert result["changed"] is True and result["baseline"]["default_baseline"] is False
        writes = local_aws.mutating(mark)
        assert operations(writes) == ["RegisterDefaultPatchBaseline"]
        assert writes[0]["parameters"]["BaselineId"] == aws_default
    finally:
        ssm.register_default_patch_baseline(BaselineId=aws_default)
        ssm.delete_patch_baseline(BaselineId=baseline_id)


def test_patch_group_held_by_another_baseline_of_the_same_os_is_moved(local_aws, ssm):
    group = unique("WebServer-Prd")
    old_name, new_name = unique("OldAL2Baseline"), unique("AmazonLinux2AllPatchesBaseline")
    old_id = create_directly(ssm, old_name)
    windows_id = create_directly(ssm, unique("WindowsBaseline"), operating_system="WINDOWS")
    new_id = create_directly(ssm, new_name)
    ssm.register_patch_baseline_for_patch_group(BaselineId=old_id, PatchGroup=group)
    ssm.register_patch_baseline_for_patch_group(BaselineId=windows_id, PatchGroup=group)
    moved = [{"patch_group": group, "from_baseline_id": old_id, "from_baseline_name": old_name}]

    mark = local_aws.mark()
    preview = run_module(local_aws, "ssm_patch_baseline", {"name": new_name, "patch_groups": [group]}, check=True)
    assert preview["changed"] is True and preview["moved_patch_groups"] == moved
    assert local_aws.mutating(mark) == []

    mark = local_aws.mark()
    result = run_module(local_aws, "ssm_patch_baseline", {"name": new_name, "patch_groups": [group]})
    assert result["changed"] is True and result["moved_patch_groups"] == moved
    assert any(old_name in warning for warning in result.get("warnings", []))
    writes = local_aws.mutating(mark)
    assert [(w["operation"], w["parameters"]["BaselineId"]) for w in writes] == [
        ("DeregisterPatchBaselineForPatchGroup", old_id),
        ("RegisterPatchBaselineForPatchGroup", new_id),
    ]
    holders = {
        mapping["BaselineIdentity"]["OperatingSystem"]: mapping["BaselineIdentity"]["BaselineId"]
        for mapping in ssm.describe_patch_groups(Filters=[{"Key": "NAME_PREFIX", "Values": [group]}])["Mappings"]
    }
    assert holders == {"AMAZON_LINUX_2": new_id, "WINDOWS": windows_id}


def test_baselines_sharing_a_name_fail_and_list_their_ids(local_aws, ssm):
    name = unique("SharedName")
    ids = sorted(create_directly(ssm, name) for _ in range(2))
    for options in ({"name": name, "description": "changed"}, {"name": name, "state": "absent"}):
        mark = local_aws.mark()
        result = run_module(local_aws, "ssm_patch_baseline", options)
        assert result.get("failed") is True and local_aws.mutating(mark) == []
        assert all(baseline_id in result["msg"] for baseline_id in ids), result["msg"]
        assert result["matching_ids"] == ids


def test_aws_owned_baseline_can_be_read_but_not_changed_or_deleted(local_aws, tmp_path):
    owned = "AWS-AmazonLinux2DefaultPatchBaseline"
    tasks = [
        task(MODULE, {"name": owned}, name="unchanged"),
        task(MODULE, {"name": owned, "description": "mine now"}, name="changed"),
        task(MODULE, {"name": owned, "tags": {"Team": "web"}}, name="tagged"),
        task(MODULE, {"name": owned, "patch_groups": ["WebServer-Prd"]}, name="grouped"),
        task(MODULE, {"name": owned, "state": "absent"}, name="deleted"),
    ]
    mark = local_aws.mark()
    unchanged, changed, tagged, grouped, deleted = run_tasks(local_aws, tmp_path, tasks)
    assert local_aws.mutating(mark) == []
    assert unchanged["changed"] is False and not unchanged.get("failed"), unchanged.get("msg")
    assert unchanged["baseline"]["owner"] == "AWS" and unchanged["baseline"]["baseline_id"].startswith("arn:aws:ssm:")
    assert changed["failed"] and "owned by AWS and cannot be changed (asked to change: description)" in changed["msg"]
    assert tagged["failed"] and "tags" in tagged["msg"]
    assert grouped["failed"] and "patch_groups" in grouped["msg"]
    assert deleted["failed"] and "owned by AWS and cannot be deleted" in deleted["msg"]


def _rule(*filters, **settings):
    return {"patch_filters": [{"key": key, "values": list(values)} for key, values in filters], **settings}


def _new(operating_system="AMAZON_LINUX_2", **options):
    """Options for a baseline that does not exist yet (the fixture fills in a unique name)."""
    return {"name": "__NEW__", "operating_system": operating_system, **options}


def _rules(*rules):
    return {"approval_rules": list(rules)}


# (case, options, fragments the message must contain: the option's path and what is allowed)
BAD_INPUTS = [
    ("name too short", _new(name="ab"), ["name: 'ab'", "3 to 128 characters"]),
    ("name pattern", _new(name="Web Server"), ["name: 'Web Server'", "pattern"]),
    ("no operating system", {"name": "__NEW__"}, ["operating_system is required", "AMAZON_LINUX_2"]),
    ("unknown operating system", _new("WINDOWS_2019"), ["operating_system", "WINDOWS, AMAZON_LINUX"]),
    (
        "days out of range",
        _new(**_rules(_rule(("PRODUCT", "*"), approve_after_days=400))),
        ["approval_rules[0].approve_after_days", "0 to 360"],
    ),
    (
        "days and date",
        _new(**_rules(_rule(("PRODUCT", "*"), approve_after_days=1, approve_until_date="2024-12-31"))),
        ["approve_after_days", "approve_until_date", "mutually exclusive"],
    ),
    (
        "no approval delay",
        _new(**_rules(_rule(("PRODUCT", "*")))),
        ["approval_rules[0]", "approve_after_days (0 to 360) or approve_until_date (YYYY-MM-DD)"],
    ),
    (
        "bad date",
        _new(**_rules(_rule(("PRODUCT", "*"), approve_until_date="2024-13-01"))),
        ["approval_rules[0].approve_until_date", "YYYY-MM-DD"],
    ),
    (
        "windows key on amazon linux",
        _new(**_rules(_rule(("MSRC_SEVERITY", ["Critical"]), approve_after_days=0))),
        ["approval_rules[0].patch_filters[0].key", "allowed keys for AMAZON_LINUX_2", "SEVERITY"],
    ),
    (
        "unknown severity",
        _new(**_rules(_rule(("SEVERITY", ["Severe"]), approve_after_days=0))),
        ["approval_rules[0].patch_filters[0].values[0]", "Critical, Important, Medium, Low"],
    ),
    (
        "ubuntu key in a windows global filter",
        _new("WINDOWS", global_filters=[{"key": "PRIORITY", "values": ["Required"]}]),
        ["global_filters[0].key", "allowed keys for WINDOWS", "MSRC_SEVERITY"],
    ),
    (
        "eleven rules",
        _new(**_rules(*[_rule(("PRODUCT", "*"), approve_after_days=day) for day in range(11)])),
        ["approval_rules: must have 0 to 10 items, got 11"],
    ),
    (
        "unknown compliance level",
        _new(**_rules(_rule(("PRODUCT", "*"), approve_after_days=0, compliance_level="URGENT"))),
        ["compliance_level", "CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED"],
    ),
    (
        "unknown rejected action",
        _new(rejected_patches_action="DENY"),
        ["rejected_patches_action", "ALLOW_AS_DEPENDENCY, BLOCK"],
    ),
    (
        "sources on windows",
        _new("WINDOWS", sources=[{"name": "My-Repo", "products": ["WindowsServer2016"], "configuration": "[main]"}]),
        ["sources: alternative patch sources apply to Linux managed nodes only"],
    ),
    ("bad patch group", _new(patch_groups=["WebServer#Prd"]), ["patch_groups[0]: 'WebServer#Prd'", "pattern"]),
    (
        "too many approved patches",
        _new(approved_patches=[f"pkg{i}" for i in range(51)]),
        ["approved_patches: must have 0 to 50 items, got 51"],
    ),
    (
        "windows-only status on amazon linux",
        _new(available_security_updates_compliance_status="COMPLIANT"),
        ["available_security_updates_compliance_status: applies to WINDOWS baselines only"],
    ),
    (
        "operating system change",
        {"name": "__EXISTING__", "operating_system": "WINDOWS"},
        ["operating_system", "is AMAZON_LINUX_2", "cannot change"],
    ),
    (
        "unknown baseline id",
        {"baseline_id": "pb-0123456789abcdef0", "description": "x"},
        ["No patch baseline has the id pb-0123456789abcdef0"],
    ),
    ("reserved name prefix", _new(name="AWS-MyBaseline"), ["names starting with AWS-"]),
    (
        "rename to the reserved prefix",
        {"baseline_id": "__EXISTING_ID__", "name": "AWS-MyBaseline"},
        ["name: 'AWS-MyBaseline' starts with AWS-"],
    ),
]


@pytest.fixture(scope="module")
def bad_input_runs(local_aws, tmp_path_factory):
    """Every bad input in one playbook (failures kept), next to an existing Amazon Linux 2 baseline."""
    ssm = local_aws.client("ssm")
    substitutes = {"__NEW__": unique("NeverCreated"), "__EXISTING__": unique("ExistingAL2")}
    substitutes["__EXISTING_ID__"] = create_directly(ssm, substitutes["__EXISTING__"])
    tasks = []
    for case, options, _fragments in BAD_INPUTS:
        options = {
            key: substitutes.get(value, value) if key in ("name", "baseline_id") else value
            for key, value in options.items()
        }
        tasks.append(task(MODULE, options, name=case))
    mark = local_aws.mark()
    results = run_tasks(local_aws, tmp_path_factory.mktemp("bad"), tasks)
    return {
        "results": dict(zip([case for case, _o, _f in BAD_INPUTS], results, strict=True)),
        "writes": local_aws.mutating(mark),
    }


@pytest.mark.parametrize("case, fragments", [(case, fragments) for case, _options, fragments in BAD_INPUTS])
def test_bad_input_fails_naming_the_option_and_what_is_allowed(bad_input_runs, case, fragments):
    result = bad_input_runs["results"][case]
    assert result.get("failed") is True, result
    assert no_traceback(result), result
    for fragment in fragments:
        assert fragment in result["msg"], result["msg"]


def test_bad_inputs_made_no_write(bad_input_runs):
    assert bad_input_runs["writes"] == []
