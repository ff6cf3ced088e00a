"""Call sequences of patch group moves and default baseline hand-over (plugins/module_utils/baseline_api.py)."""

import boto3
import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.baseline_api import (
    aws_default_for,
    ensure_default,
    ensure_patch_groups,
    find_by_name,
)
from botocore.stub import Stubber

THIS = "pb-0123456789abcdef0"
OTHER = "pb-0fedcba9876543210"
AWS_AL2 = "arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0be8c61cde3be63f3"


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, check_mode=False):
        self.check_mode = check_mode

    def fail_json(self, **result):
        raise Failed(result)


class Retrying:
    """The client as the modules hold it: every call takes aws_retry (the retry decorator's switch)."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        method = getattr(self._client, name)

        def call(aws_retry=False, **params):
            assert aws_retry is True, f"{name} called without aws_retry=True"
            return method(**params)

        return call


@pytest.fixture
def stubbed():
    client = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        yield Retrying(client), stubber
        stubber.assert_no_pending_responses()


def identity(baseline_id, name, operating_system="AMAZON_LINUX_2", default=False):
    return {
        "BaselineId": baseline_id,
        "BaselineName": name,
        "OperatingSystem": operating_system,
        "DefaultBaseline": default,
    }


def groups_response(group, *holders):
    return {"Mappings": [{"PatchGroup": group, "BaselineIdentity": holder} for holder in holders]}


def expect_group_lookup(stubber, group, *holders):
    stubber.add_response(
        "describe_patch_groups",
        groups_response(group, *holders),
        {"Filters": [{"Key": "NAME_PREFIX", "Values": [group]}]},
    )


def test_group_held_by_another_baseline_of_the_same_os_is_moved(stubbed):
    client, stubber = stubbed
    expect_group_lookup(
        stubber, "WebServer-Prd", identity(OTHER, "OldBaseline"), identity(OTHER[:-1] + "1", "Win", "WINDOWS")
    )
    stubber.add_response(
        "deregister_patch_baseline_for_patch_group", {}, {"BaselineId": OTHER, "PatchGroup": "WebServer-Prd"}
    )
    stubber.add_response(
        "register_patch_baseline_for_patch_group", {}, {"BaselineId": THIS, "PatchGroup": "WebServer-Prd"}
    )
    changed, groups, moved = ensure_patch_groups(
        FakeModule(), client, THIS, "AMAZON_LINUX_2", [], ["WebServer-Prd"], purge=True
    )
    assert changed and groups == ["WebServer-Prd"]
    assert moved == [{"patch_group": "WebServer-Prd", "from_baseline_id": OTHER, "from_baseline_name": "OldBaseline"}]


def test_check_mode_reports_the_move_without_writing(stubbed):
    client, stubber = stubbed
    expect_group_lookup(stubber, "WebServer-Prd", identity(OTHER, "OldBaseline"))
    changed, groups, moved = ensure_patch_groups(
        FakeModule(check_mode=True), client, None, "AMAZON_LINUX_2", [], ["WebServer-Prd"], purge=True
    )
    assert changed and groups == ["WebServer-Prd"] and moved[0]["from_baseline_id"] == OTHER


def test_groups_not_listed_are_deregistered_only_when_purging(stubbed):
    client, stubber = stubbed
    assert ensure_patch_groups(FakeModule(), client, THIS, "AMAZON_LINUX_2", ["a", "b"], ["a"], purge=False) == (
        False,
        ["a", "b"],
        [],
    )
    stubber.add_response("deregister_patch_baseline_for_patch_group", {}, {"BaselineId": THIS, "PatchGroup": "b"})
    assert ensure_patch_groups(FakeModule(), client, THIS, "AMAZON_LINUX_2", ["a", "b"], ["a"], purge=True) == (
        True,
        ["a"],
        [],
    )


def test_unset_patch_groups_are_left_alone(stubbed):
    client, _stubber = stubbed
    assert ensure_patch_groups(FakeModule(), client, THIS, "WINDOWS", ["b", "a"], None, purge=True) == (
        False,
        ["a", "b"],
        [],
    )


def expect_aws_owned(stubber, operating_system, *identities):
    stubber.add_response(
        "describe_patch_baselines",
        {"BaselineIdentities": list(identities)},
        {
            "Filters": [
                {"Key": "OPERATING_SYSTEM", "Values": [operating_system]},
                {"Key": "OWNER", "Values": ["AWS"]},
            ]
        },
    )


def test_dropping_the_default_hands_it_back_to_the_aws_owned_default(stubbed):
    client, stubber = stubbed
    expect_aws_owned(stubber, "AMAZON_LINUX_2", identity(AWS_AL2, "AWS-AmazonLinux2DefaultPatchBaseline"))
    stubber.add_response("register_default_patch_baseline", {"BaselineId": AWS_AL2}, {"BaselineId": AWS_AL2})
    assert ensure_default(FakeModule(), client, THIS, "AMAZON_LINUX_2", is_default=True, desired=False) == (True, False)


def test_windows_default_is_the_one_aws_owned_baseline_named_default(stubbed):
    client, stubber = stubbed
    windows = [
        identity("arn:aws:ssm:us-east-1:1:patchbaseline/pb-01", "AWS-DefaultPatchBaseline", "WINDOWS"),
        identity("arn:aws:ssm:us-east-1:1:patchbaseline/pb-02", "AWS-WindowsPredefinedPatchBaseline-OS", "WINDOWS"),
    ]
    expect_aws_owned(stubber, "WINDOWS", *windows)
    assert aws_default_for(FakeModule(), client, "WINDOWS")["BaselineName"] == "AWS-DefaultPatchBaseline"


def test_unclear_aws_default_fails_instead_of_guessing(stubbed):
    client, stubber = stubbed
    expect_aws_owned(stubber, "SUSE", identity("arn:aws:ssm:us-east-1:1:patchbaseline/pb-01", "AWS-Suse", "SUSE"))
    with pytest.raises(Failed, match="Cannot tell which AWS-owned baseline is the default for SUSE"):
        aws_default_for(FakeModule(), client, "SUSE")


def test_default_already_as_wanted_makes_no_call(stubbed):
    client, _stubber = stubbed
    assert ensure_default(FakeModule(), client, THIS, "AMAZON_LINUX_2", is_default=True, desired=True) == (False, True)
    assert ensure_default(FakeModule(), client, THIS, "AMAZON_LINUX_2", is_default=False, desired=None) == (
        False,
        False,
    )


def test_name_lookup_pages_through_and_fails_listing_duplicate_ids(stubbed):
    client, stubber = stubbed
    name = "AmazonLinux2AllPatchesBaseline"
    prefix_filter = [{"Key": "NAME_PREFIX", "Values": [name]}]
    stubber.add_response(
        "describe_patch_baselines",
        {
            "BaselineIdentities": [identity(THIS, name), identity("pb-0aaaaaaaaaaaaaaa1", name + "-v2")],
            "NextToken": "t",
        },
        {"Filters": prefix_filter},
    )
    stubber.add_response(
        "describe_patch_baselines",
        {"BaselineIdentities": [identity(OTHER, name)]},
        {"Filters": prefix_filter, "NextToken": "t"},
    )

    class Module(FakeModule):
        def fail_json(self, **result):
            raise Failed(result["matching_ids"])

    with pytest.raises(Failed) as failure:
        find_by_name(Module(), client, name)
    assert failure.value.args[0] == sorted([THIS, OTHER])
