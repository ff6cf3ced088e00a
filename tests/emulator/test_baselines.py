"""Patch baselines, patch groups and default baselines of the local endpoint, driven with plain boto3."""

import datetime
import re
import uuid

import botocore.exceptions
import botocore.session
import pytest

OPERATING_SYSTEMS = botocore.session.get_session().get_service_model("ssm").shape_for("OperatingSystem").enum

# The AWS-owned default baseline of each operating system, as the Patch Manager user guide names it.
DEFAULT_NAMES = {
    "WINDOWS": "AWS-DefaultPatchBaseline",
    "AMAZON_LINUX": "AWS-AmazonLinuxDefaultPatchBaseline",
    "AMAZON_LINUX_2": "AWS-AmazonLinux2DefaultPatchBaseline",
    "AMAZON_LINUX_2022": "AWS-AmazonLinux2022DefaultPatchBaseline",
    "AMAZON_LINUX_2023": "AWS-AmazonLinux2023DefaultPatchBaseline",
    "UBUNTU": "AWS-UbuntuDefaultPatchBaseline",
    "REDHAT_ENTERPRISE_LINUX": "AWS-RedHatDefaultPatchBaseline",
    "SUSE": "AWS-SuseDefaultPatchBaseline",
    "CENTOS": "AWS-CentOSDefaultPatchBaseline",
    "ORACLE_LINUX": "AWS-OracleLinuxDefaultPatchBaseline",
    "DEBIAN": "AWS-DebianDefaultPatchBaseline",
    "MACOS": "AWS-MacOSDefaultPatchBaseline",
    "RASPBIAN": "AWS-DefaultRaspbianPatchBaseline",
    "ROCKY_LINUX": "AWS-RockyLinuxDefaultPatchBaseline",
    "ALMA_LINUX": "AWS-AlmaLinuxDefaultPatchBaseline",
}

AL2_RULES = {
    "PatchRules": [
        {
            "PatchFilterGroup": {
                "PatchFilters": [
                    {"Key": "PRODUCT", "Values": ["*"]},
                    {"Key": "CLASSIFICATION", "Values": ["Security"]},
                    {"Key": "SEVERITY", "Values": ["Critical", "Important"]},
                ]
            },
            "ComplianceLevel": "UNSPECIFIED",
            "ApproveAfterDays": 7,
            "EnableNonSecurity": False,
        },
        {
            "PatchFilterGroup": {
                "PatchFilters": [{"Key": "PRODUCT", "Values": ["*"]}, {"Key": "CLASSIFICATION", "Values": ["Bugfix"]}]
            },
            "ComplianceLevel": "UNSPECIFIED",
            "ApproveAfterDays": 7,
            "EnableNonSecurity": False,
        },
    ]
}


def unique(prefix="pm"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def error_code(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"]


def rule(days=None, until=None, classification="Security"):
    result = {"PatchFilterGroup": {"PatchFilters": [{"Key": "CLASSIFICATION", "Values": [classification]}]}}
    if days is not None:
        result["ApproveAfterDays"] = days
    if until is not None:
        result["ApproveUntilDate"] = until
    return result


def aws_owned_id(ssm, name):
    """The id of an AWS-owned baseline, found by name so that a test elsewhere switching defaults can't matter."""
    found = ssm.describe_patch_baselines(
        Filters=[{"Key": "OWNER", "Values": ["AWS"]}, {"Key": "NAME_PREFIX", "Values": [name]}]
    )["BaselineIdentities"]
    return next(item["BaselineId"] for item in found if item["BaselineName"] == name)


def create(ssm, **kwargs):
    kwargs.setdefault("Name", unique())
    return ssm.create_patch_baseline(**kwargs)["BaselineId"]


@pytest.fixture
def isolated_ssm(local_aws):
    """A client on a region of its own, for tests that switch region-wide defaults."""
    return local_aws.client("ssm", region="eu-south-2")


# --- CreatePatchBaseline / GetPatchBaseline -----------------------------------------------------------------


def test_created_baseline_reads_back_with_aws_defaults(ssm):
    name = unique()
    baseline_id = create(ssm, Name=name, ApprovedPatches=["KB123456"])
    assert re.fullmatch(r"pb-[0-9a-f]{17}", baseline_id)

    got = ssm.get_patch_baseline(BaselineId=baseline_id)
    assert got["Name"] == name
    assert got["OperatingSystem"] == "WINDOWS"  # AWS's default when OperatingSystem is left out
    assert got["ApprovedPatches"] == ["KB123456"]
    assert got["GlobalFilters"] == {"PatchFilters": []}
    assert got["ApprovalRules"] == {"PatchRules": []}
    assert got["ApprovedPatchesComplianceLevel"] == "UNSPECIFIED"
    assert got["ApprovedPatchesEnableNonSecurity"] is False
    assert got["RejectedPatches"] == [] and got["RejectedPatchesAction"] == "ALLOW_AS_DEPENDENCY"
    assert got["Sources"] == [] and got["PatchGroups"] == []
    assert "Description" not in got
    assert isinstance(got["CreatedDate"], datetime.datetime) and got["ModifiedDate"] == got["CreatedDate"]


def test_created_baseline_keeps_every_field_and_fills_rule_defaults(ssm):
    sources = [{"Name": "My-AL2", "Products": ["AmazonLinux2"], "Configuration": "[main]\nname=MyRepo"}]
    baseline_id = create(
        ssm,
        OperatingSystem="AMAZON_LINUX_2",
        Description="AL2 all patches",
        GlobalFilters={"PatchFilters": [{"Key": "PRODUCT", "Values": ["AmazonLinux2"]}]},
        ApprovalRules={"PatchRules": [rule(days=3), rule(until="2030-12-31", classification="Bugfix")]},
        RejectedPatches=["system-release.*"],
        RejectedPatchesAction="BLOCK",
        ApprovedPatchesEnableNonSecurity=True,
        Sources=sources,
    )
    got = ssm.get_patch_baseline(BaselineId=baseline_id)
    assert got["OperatingSystem"] == "AMAZON_LINUX_2"
    assert got["Description"] == "AL2 all patches"
    assert got["GlobalFilters"]["PatchFilters"] == [{"Key": "PRODUCT", "Values": ["AmazonLinux2"]}]
    first, second = got["ApprovalRules"]["PatchRules"]
    assert first["ApproveAfterDays"] == 3 and "ApproveUntilDate" not in first
    assert first["ComplianceLevel"] == "UNSPECIFIED" and first["EnableNonSecurity"] is False
    assert second["ApproveUntilDate"] == "2030-12-31"
    assert got["RejectedPatches"] == ["system-release.*"] and got["RejectedPatchesAction"] == "BLOCK"
    assert got["ApprovedPatchesEnableNonSecurity"] is True
    assert got["Sources"] == sources


def test_create_keeps_tags(ssm):
    baseline_id = create(ssm, Tags=[{"Key": "team", "Value": "platform"}])
    tags = ssm.list_tags_for_resource(ResourceType="PatchBaseline", ResourceId=baseline_id)["TagList"]
    assert tags == [{"Key": "team", "Value": "platform"}]


def test_create_with_refused_tags_creates_nothing(ssm):
    name = unique()
    error_code(ssm.create_patch_baseline, Name=name, Tags=[{"Key": "aws:reserved", "Value": "v"}])
    found = ssm.describe_patch_baselines(Filters=[{"Key": "NAME_PREFIX", "Values": [name]}])["BaselineIdentities"]
    assert found == []


def test_identical_retry_with_client_token_returns_the_same_baseline(ssm):
    token, name = uuid.uuid4().hex, unique()
    first = create(ssm, Name=name, ClientToken=token)
    second = create(ssm, Name=name, ClientToken=token)
    assert first == second
    found = ssm.describe_patch_baselines(Filters=[{"Key": "NAME_PREFIX", "Values": [name]}])["BaselineIdentities"]
    assert [item["BaselineId"] for item in found] == [first]


def test_client_token_reused_with_other_parameters_is_refused(ssm):
    token = uuid.uuid4().hex
    create(ssm, ClientToken=token)
    assert error_code(ssm.create_patch_baseline, Name=unique(), ClientToken=token) == "IdempotentParameterMismatch"


@pytest.mark.parametrize(
    "bad_rule",
    [rule(days=7, until="2030-01-01"), rule(), rule(until="31/12/2030"), rule(until="2030-02-30")],
    ids=["both", "neither", "not-iso-date", "impossible-date"],
)
def test_approval_rule_needs_exactly_one_valid_cutoff(ssm, bad_rule):
    code = error_code(ssm.create_patch_baseline, Name=unique(), ApprovalRules={"PatchRules": [bad_rule]})
    assert code == "ValidationException"


def test_server_enforces_enum_max_length_and_pattern(ssm):
    # botocore checks neither enums nor maximums nor patterns: these reach the endpoint as sent.
    assert error_code(ssm.create_patch_baseline, Name=unique(), OperatingSystem="PLAN9") == "ValidationException"
    assert error_code(ssm.create_patch_baseline, Name="n" * 129) == "ValidationException"
    assert error_code(ssm.create_patch_baseline, Name="has spaces!") == "ValidationException"
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        ssm.create_patch_baseline(Name=unique(), RejectedPatchesAction="IGNORE")
    assert "ALLOW_AS_DEPENDENCY, BLOCK" in caught.value.response["Error"]["Message"]


def test_get_unknown_baseline_does_not_exist(ssm):
    assert error_code(ssm.get_patch_baseline, BaselineId="pb-0123456789abcdef0") == "DoesNotExistException"


def test_get_malformed_baseline_id_is_a_validation_error(local_aws):
    raw = local_aws.client("ssm", parameter_validation=False)  # send what botocore would refuse
    assert error_code(raw.get_patch_baseline, BaselineId="pb-123") == "ValidationException"
    assert error_code(raw.get_patch_baseline, BaselineId="pb-0123456789abcdef0 !") == "ValidationException"


# --- UpdatePatchBaseline ------------------------------------------------------------------------------------


def test_update_without_replace_keeps_unspecified_fields(ssm):
    baseline_id = create(
        ssm, OperatingSystem="AMAZON_LINUX_2", Description="before", RejectedPatches=["kernel*"], ApprovedPatches=["a"]
    )
    updated = ssm.update_patch_baseline(BaselineId=baseline_id, Description="after", Replace=False)
    assert updated["Description"] == "after"
    assert updated["RejectedPatches"] == ["kernel*"] and updated["ApprovedPatches"] == ["a"]
    assert updated["OperatingSystem"] == "AMAZON_LINUX_2"
    got = ssm.get_patch_baseline(BaselineId=baseline_id)
    assert got["Description"] == "after" and got["RejectedPatches"] == ["kernel*"]


def test_update_with_replace_resets_every_optional_field_not_given(ssm):
    baseline_id = create(
        ssm,
        OperatingSystem="AMAZON_LINUX_2",
        Description="before",
        RejectedPatches=["kernel*"],
        RejectedPatchesAction="BLOCK",
        ApprovalRules={"PatchRules": [rule(days=1)]},
        Tags=[{"Key": "keep", "Value": "me"}],
    )
    new_name = unique()
    ssm.update_patch_baseline(BaselineId=baseline_id, Name=new_name, ApprovedPatches=["openssl"], Replace=True)
    got = ssm.get_patch_baseline(BaselineId=baseline_id)
    assert got["Name"] == new_name and got["ApprovedPatches"] == ["openssl"]
    assert "Description" not in got
    assert got["RejectedPatches"] == [] and got["RejectedPatchesAction"] == "ALLOW_AS_DEPENDENCY"
    assert got["ApprovalRules"] == {"PatchRules": []}
    assert got["OperatingSystem"] == "AMAZON_LINUX_2"  # not part of the update input: never changes
    tags = ssm.list_tags_for_resource(ResourceType="PatchBaseline", ResourceId=baseline_id)["TagList"]
    assert tags == [{"Key": "keep", "Value": "me"}]


def test_update_with_replace_needs_the_name(ssm):
    baseline_id = create(ssm, Description="before")
    code = error_code(ssm.update_patch_baseline, BaselineId=baseline_id, Description="x", Replace=True)
    assert code == "ValidationException"
    assert ssm.get_patch_baseline(BaselineId=baseline_id)["Description"] == "before"


def test_update_checks_approval_rules(ssm):
    baseline_id = create(ssm)
    bad = {"PatchRules": [rule(days=2, until="2030-01-01")]}
    assert error_code(ssm.update_patch_baseline, BaselineId=baseline_id, ApprovalRules=bad) == "ValidationException"


def test_update_unknown_baseline_does_not_exist(ssm):
    code = error_code(ssm.update_patch_baseline, BaselineId="pb-0fedcba98765432100", Description="x")
    assert code == "DoesNotExistException"


def test_aws_owned_baselines_are_read_only(ssm):
    aws_id = aws_owned_id(ssm, "AWS-AmazonLinux2DefaultPatchBaseline")
    assert error_code(ssm.update_patch_baseline, BaselineId=aws_id, Description="mine") == "DoesNotExistException"
    assert error_code(ssm.delete_patch_baseline, BaselineId=aws_id) == "ResourceInUseException"
    tag = [{"Key": "k", "Value": "v"}]
    code = error_code(ssm.add_tags_to_resource, ResourceType="PatchBaseline", ResourceId=aws_id, Tags=tag)
    assert code == "InvalidResourceId"
    assert ssm.get_patch_baseline(BaselineId=aws_id)["Name"] == "AWS-AmazonLinux2DefaultPatchBaseline"


# --- DeletePatchBaseline ------------------------------------------------------------------------------------


def test_delete_removes_the_baseline_and_its_tags(ssm):
    baseline_id = create(ssm, Tags=[{"Key": "a", "Value": "b"}])
    assert ssm.delete_patch_baseline(BaselineId=baseline_id)["BaselineId"] == baseline_id
    assert error_code(ssm.get_patch_baseline, BaselineId=baseline_id) == "DoesNotExistException"
    code = error_code(ssm.list_tags_for_resource, ResourceType="PatchBaseline", ResourceId=baseline_id)
    assert code == "InvalidResourceId"


def test_delete_of_a_baseline_already_gone_succeeds(ssm):
    baseline_id = create(ssm)
    ssm.delete_patch_baseline(BaselineId=baseline_id)
    assert ssm.delete_patch_baseline(BaselineId=baseline_id)["BaselineId"] == baseline_id


def test_delete_of_a_baseline_registered_to_a_patch_group_is_refused(ssm):
    baseline_id, group = create(ssm), unique("group")
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=group)
    assert error_code(ssm.delete_patch_baseline, BaselineId=baseline_id) == "ResourceInUseException"
    ssm.deregister_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=group)
    ssm.delete_patch_baseline(BaselineId=baseline_id)


def test_delete_of_the_default_baseline_is_refused(isolated_ssm):
    ssm = isolated_ssm
    aws_default = ssm.get_default_patch_baseline(OperatingSystem="SUSE")["BaselineId"]
    baseline_id = create(ssm, OperatingSystem="SUSE")
    ssm.register_default_patch_baseline(BaselineId=baseline_id)
    try:
        assert error_code(ssm.delete_patch_baseline, BaselineId=baseline_id) == "ResourceInUseException"
    finally:
        ssm.register_default_patch_baseline(BaselineId=aws_default)
    ssm.delete_patch_baseline(BaselineId=baseline_id)


# --- DescribePatchBaselines ---------------------------------------------------------------------------------


def describe_all(ssm, filters, page_size):
    pages, kwargs = [], {"Filters": filters, "MaxResults": page_size}
    while True:
        page = ssm.describe_patch_baselines(**kwargs)
        pages.append(page["BaselineIdentities"])
        if not page.get("NextToken"):
            return pages
        kwargs["NextToken"] = page["NextToken"]


def test_describe_pages_through_next_token(ssm):
    prefix = unique("page")
    created = {create(ssm, Name=f"{prefix}-{index}") for index in range(5)}
    pages = describe_all(ssm, [{"Key": "NAME_PREFIX", "Values": [prefix]}], page_size=2)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert {item["BaselineId"] for page in pages for item in page} == created


def test_describe_filters_by_name_prefix_owner_and_operating_system(ssm):
    prefix = unique("flt")
    suse = create(ssm, Name=f"{prefix}-suse", OperatingSystem="SUSE", Description="mine")
    create(ssm, Name=f"{prefix}-win")
    mine = [{"Key": "NAME_PREFIX", "Values": [prefix]}, {"Key": "OPERATING_SYSTEM", "Values": ["SUSE"]}]
    assert ssm.describe_patch_baselines(Filters=mine)["BaselineIdentities"] == [
        {
            "BaselineId": suse,
            "BaselineName": f"{prefix}-suse",
            "OperatingSystem": "SUSE",
            "BaselineDescription": "mine",
            "DefaultBaseline": False,
        }
    ]
    by_owner = {
        owner: {
            item["BaselineName"]
            for item in ssm.describe_patch_baselines(
                Filters=[{"Key": "OWNER", "Values": [owner]}, {"Key": "OPERATING_SYSTEM", "Values": ["SUSE"]}]
            )["BaselineIdentities"]
        }
        for owner in ("AWS", "Self", "All")
    }
    assert by_owner["AWS"] == {"AWS-SuseDefaultPatchBaseline"}
    assert f"{prefix}-suse" in by_owner["Self"] and "AWS-SuseDefaultPatchBaseline" not in by_owner["Self"]
    assert by_owner["All"] == by_owner["AWS"] | by_owner["Self"]


def test_describe_refuses_unknown_filter_keys_and_page_sizes(ssm):
    assert error_code(ssm.describe_patch_baselines, Filters=[{"Key": "COLOUR", "Values": ["x"]}]) == (
        "ValidationException"
    )
    assert error_code(ssm.describe_patch_baselines, MaxResults=101) == "ValidationException"


# --- patch groups -------------------------------------------------------------------------------------------


def test_register_shows_the_group_on_the_baseline_and_for_the_group(ssm):
    baseline_id, group = create(ssm, OperatingSystem="AMAZON_LINUX_2"), unique("group")
    answer = ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=group)
    assert (answer["BaselineId"], answer["PatchGroup"]) == (baseline_id, group)
    assert ssm.get_patch_baseline(BaselineId=baseline_id)["PatchGroups"] == [group]
    found = ssm.get_patch_baseline_for_patch_group(PatchGroup=group, OperatingSystem="AMAZON_LINUX_2")
    assert found == {**found, "BaselineId": baseline_id, "PatchGroup": group, "OperatingSystem": "AMAZON_LINUX_2"}


def test_a_patch_group_holds_one_baseline_per_operating_system(ssm):
    group = unique("group")
    first, second = create(ssm, OperatingSystem="CENTOS"), create(ssm, OperatingSystem="CENTOS")
    other_os = create(ssm, OperatingSystem="ROCKY_LINUX")
    ssm.register_patch_baseline_for_patch_group(BaselineId=first, PatchGroup=group)
    code = error_code(ssm.register_patch_baseline_for_patch_group, BaselineId=second, PatchGroup=group)
    assert code == "AlreadyExistsException"
    ssm.register_patch_baseline_for_patch_group(BaselineId=other_os, PatchGroup=group)
    mappings = ssm.describe_patch_groups(Filters=[{"Key": "NAME_PREFIX", "Values": [group]}])["Mappings"]
    assert {(m["BaselineIdentity"]["OperatingSystem"], m["BaselineIdentity"]["BaselineId"]) for m in mappings} == {
        ("CENTOS", first),
        ("ROCKY_LINUX", other_os),
    }


def test_register_refuses_unknown_and_aws_owned_baselines(ssm):
    group = unique("group")
    code = error_code(ssm.register_patch_baseline_for_patch_group, BaselineId="pb-0000000000000000a", PatchGroup=group)
    assert code == "DoesNotExistException"
    aws_id = aws_owned_id(ssm, "AWS-UbuntuDefaultPatchBaseline")
    code = error_code(ssm.register_patch_baseline_for_patch_group, BaselineId=aws_id, PatchGroup=group)
    assert code == "InvalidResourceId"


def test_deregister_frees_the_group(ssm):
    group, baseline_id = unique("group"), create(ssm, OperatingSystem="DEBIAN")
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=group)
    answer = ssm.deregister_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=group)
    assert (answer["BaselineId"], answer["PatchGroup"]) == (baseline_id, group)
    assert ssm.get_patch_baseline(BaselineId=baseline_id)["PatchGroups"] == []
    assert ssm.describe_patch_groups(Filters=[{"Key": "NAME_PREFIX", "Values": [group]}])["Mappings"] == []
    code = error_code(ssm.deregister_patch_baseline_for_patch_group, BaselineId=baseline_id, PatchGroup=group)
    assert code == "InvalidResourceId"


def test_describe_patch_groups_filters_and_pages(ssm):
    prefix = unique("pg")
    windows, linux = create(ssm), create(ssm, OperatingSystem="AMAZON_LINUX_2023")
    for index in range(3):
        ssm.register_patch_baseline_for_patch_group(BaselineId=windows, PatchGroup=f"{prefix}-{index}")
    ssm.register_patch_baseline_for_patch_group(BaselineId=linux, PatchGroup=f"{prefix}-0")

    mappings, kwargs = [], {"Filters": [{"Key": "NAME_PREFIX", "Values": [prefix]}], "MaxResults": 3}
    pages = 0
    while True:
        page = ssm.describe_patch_groups(**kwargs)
        mappings += page["Mappings"]
        pages += 1
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    assert pages == 2 and len(mappings) == 4
    assert {m["PatchGroup"] for m in mappings} == {f"{prefix}-{index}" for index in range(3)}

    only_linux = ssm.describe_patch_groups(
        Filters=[
            {"Key": "NAME_PREFIX", "Values": [prefix]},
            {"Key": "OPERATING_SYSTEM", "Values": ["AMAZON_LINUX_2023"]},
        ]
    )["Mappings"]
    assert [(m["PatchGroup"], m["BaselineIdentity"]["BaselineId"]) for m in only_linux] == [(f"{prefix}-0", linux)]
    assert only_linux[0]["BaselineIdentity"]["DefaultBaseline"] is False


def test_group_without_a_baseline_for_the_os_gets_the_default(ssm):
    group = unique("group")
    ssm.register_patch_baseline_for_patch_group(BaselineId=create(ssm, OperatingSystem="MACOS"), PatchGroup=group)
    windows = ssm.get_patch_baseline_for_patch_group(PatchGroup=group)  # OperatingSystem defaults to WINDOWS
    assert windows["OperatingSystem"] == "WINDOWS"
    assert windows["BaselineId"] == ssm.get_default_patch_baseline()["BaselineId"]
    suse = ssm.get_patch_baseline_for_patch_group(PatchGroup=group, OperatingSystem="SUSE")
    assert suse["BaselineId"] == ssm.get_default_patch_baseline(OperatingSystem="SUSE")["BaselineId"]


# --- AWS-owned baselines and default switching --------------------------------------------------------------


@pytest.mark.parametrize("operating_system", OPERATING_SYSTEMS)
def test_every_operating_system_has_its_aws_default(isolated_ssm, operating_system):
    ssm = isolated_ssm
    default = ssm.get_default_patch_baseline(OperatingSystem=operating_system)
    assert default["OperatingSystem"] == operating_system
    assert re.fullmatch(r"arn:aws:ssm:eu-south-2:\d{12}:patchbaseline/pb-[0-9a-f]{17}", default["BaselineId"])
    got = ssm.get_patch_baseline(BaselineId=default["BaselineId"])
    assert got["Name"] == DEFAULT_NAMES[operating_system]
    assert got["OperatingSystem"] == operating_system
    assert got["Description"].endswith("Provided by AWS.")
    rules = got["ApprovalRules"]["PatchRules"]
    assert rules and all(r["ComplianceLevel"] == "UNSPECIFIED" for r in rules)
    owned = ssm.describe_patch_baselines(
        Filters=[
            {"Key": "OWNER", "Values": ["AWS"]},
            {"Key": "NAME_PREFIX", "Values": [DEFAULT_NAMES[operating_system]]},
        ]
    )["BaselineIdentities"]
    assert {"BaselineId": default["BaselineId"], "DefaultBaseline": True}.items() <= owned[0].items()


def test_predefined_baselines_cover_the_whole_enum_and_windows_has_three(ssm):
    assert set(DEFAULT_NAMES) == set(OPERATING_SYSTEMS)
    windows = ssm.describe_patch_baselines(
        Filters=[{"Key": "OWNER", "Values": ["AWS"]}, {"Key": "OPERATING_SYSTEM", "Values": ["WINDOWS"]}]
    )["BaselineIdentities"]
    assert {item["BaselineName"]: item["DefaultBaseline"] for item in windows} == {
        "AWS-DefaultPatchBaseline": True,
        "AWS-WindowsPredefinedPatchBaseline-OS": False,
        "AWS-WindowsPredefinedPatchBaseline-OS-Applications": False,
    }


def test_amazon_linux_2_default_approves_security_and_bugfix_after_seven_days(ssm):
    baseline_id = aws_owned_id(ssm, "AWS-AmazonLinux2DefaultPatchBaseline")
    assert ssm.get_patch_baseline(BaselineId=baseline_id)["ApprovalRules"] == AL2_RULES


def test_aws_owned_baseline_is_not_found_by_its_bare_id(ssm):
    arn = aws_owned_id(ssm, "AWS-AmazonLinuxDefaultPatchBaseline")
    assert error_code(ssm.get_patch_baseline, BaselineId=arn.rsplit("/", 1)[1]) == "DoesNotExistException"


def test_registering_a_default_switches_it_until_the_aws_arn_is_registered_again(isolated_ssm):
    ssm = isolated_ssm
    aws_default = ssm.get_default_patch_baseline(OperatingSystem="AMAZON_LINUX_2")["BaselineId"]
    assert aws_default.startswith("arn:aws:ssm:eu-south-2:")
    custom = create(ssm, OperatingSystem="AMAZON_LINUX_2")
    try:
        assert ssm.register_default_patch_baseline(BaselineId=custom)["BaselineId"] == custom
        assert ssm.get_default_patch_baseline(OperatingSystem="AMAZON_LINUX_2")["BaselineId"] == custom
        flags = {
            item["BaselineId"]: item["DefaultBaseline"]
            for item in ssm.describe_patch_baselines(
                Filters=[{"Key": "OPERATING_SYSTEM", "Values": ["AMAZON_LINUX_2"]}], MaxResults=100
            )["BaselineIdentities"]
        }
        assert flags[custom] is True and flags[aws_default] is False
        assert (
            ssm.get_patch_baseline_for_patch_group(PatchGroup=unique("g"), OperatingSystem="AMAZON_LINUX_2")[
                "BaselineId"
            ]
            == custom
        )
        # Other operating systems keep their own default.
        assert ssm.get_default_patch_baseline()["BaselineId"].startswith("arn:aws:ssm:eu-south-2:")
    finally:
        ssm.register_default_patch_baseline(BaselineId=aws_default)
    assert ssm.get_default_patch_baseline(OperatingSystem="AMAZON_LINUX_2")["BaselineId"] == aws_default
    ssm.delete_patch_baseline(BaselineId=custom)


def test_register_default_of_unknown_baseline_does_not_exist(ssm):
    code = error_code(ssm.register_default_patch_baseline, BaselineId="pb-0aaaaaaaaaaaaaaaa")
    assert code == "DoesNotExistException"


def test_regions_are_independent(local_aws, ssm):
    baseline_id = create(ssm)
    other = local_aws.client("ssm", region="ap-northeast-3")
    assert error_code(other.get_patch_baseline, BaselineId=baseline_id) == "DoesNotExistException"
    assert other.get_default_patch_baseline()["BaselineId"].startswith("arn:aws:ssm:ap-northeast-3:")


@pytest.mark.parametrize("operating_system", ["UBUNTU", "DEBIAN"])
def test_an_ubuntu_or_debian_rule_needs_no_approval_delay(ssm, operating_system):
    # Approval delays are not supported there (PatchRule.ApproveAfterDays), so a rule without one is accepted.
    baseline_id = ssm.create_patch_baseline(
        Name=unique(),
        OperatingSystem=operating_system,
        ApprovalRules={"PatchRules": [rule(classification="*")]},
    )["BaselineId"]
    [stored] = ssm.get_patch_baseline(BaselineId=baseline_id)["ApprovalRules"]["PatchRules"]
    assert "ApproveAfterDays" not in stored and "ApproveUntilDate" not in stored
