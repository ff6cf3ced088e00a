"""find_window: a window named by id or by name, never a guess when several share the name."""

from unittest.mock import MagicMock

import boto3
import pytest
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry, RetryingBotoClientWrapper
from ansible_collections.patchmodel.ssm.plugins.module_utils.window import find_window
from botocore.stub import Stubber

WINDOW_ID = "mw-0123456789abcdef0"
OTHER_ID = "mw-0fedcba9876543210"
NAME = "Patch-WebServer-Prd"
WINDOW = {
    "WindowId": WINDOW_ID,
    "Name": NAME,
    "Schedule": "cron(0 21 ? * WED#1 *)",
    "Duration": 2,
    "Cutoff": 1,
    "AllowUnassociatedTargets": False,
    "Enabled": True,
}


class Failed(Exception):
    pass


@pytest.fixture
def aws():
    client = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    module = MagicMock()
    module.fail_json.side_effect = Failed
    with Stubber(client) as stubber:
        yield module, RetryingBotoClientWrapper(client, AWSRetry.jittered_backoff(retries=1)), stubber
        stubber.assert_no_pending_responses()


def by_name(name=NAME, token=None):
    params = {"Filters": [{"Key": "Name", "Values": [name]}], "MaxResults": 100}
    if token:
        params["NextToken"] = token
    return params


def identity(window_id, name=NAME):
    return {"WindowId": window_id, "Name": name}


def test_an_id_is_read_directly(aws):
    module, client, stubber = aws
    stubber.add_response("get_maintenance_window", WINDOW, {"WindowId": WINDOW_ID})
    assert find_window(module, client, WINDOW_ID) == WINDOW


def test_an_unknown_id_is_none(aws):
    module, client, stubber = aws
    stubber.add_client_error("get_maintenance_window", "DoesNotExistException", expected_params={"WindowId": WINDOW_ID})
    assert find_window(module, client, WINDOW_ID) is None


def test_a_name_matches_exactly_across_pages(aws):
    module, client, stubber = aws
    # Whatever AWS's Name filter matches, only the exact name counts.
    stubber.add_response(
        "describe_maintenance_windows",
        {"WindowIdentities": [identity(OTHER_ID, NAME + "-2")], "NextToken": "page-2"},
        by_name(),
    )
    stubber.add_response(
        "describe_maintenance_windows", {"WindowIdentities": [identity(WINDOW_ID)]}, by_name(token="page-2")
    )
    stubber.add_response("get_maintenance_window", WINDOW, {"WindowId": WINDOW_ID})
    assert find_window(module, client, NAME)["WindowId"] == WINDOW_ID


def test_an_unknown_name_is_none_without_further_calls(aws):
    module, client, stubber = aws
    stubber.add_response("describe_maintenance_windows", {"WindowIdentities": []}, by_name())
    assert find_window(module, client, NAME) is None


def test_several_windows_sharing_the_name_fail_listing_their_ids(aws):
    module, client, stubber = aws
    stubber.add_response(
        "describe_maintenance_windows", {"WindowIdentities": [identity(OTHER_ID), identity(WINDOW_ID)]}, by_name()
    )
    with pytest.raises(Failed):
        find_window(module, client, NAME)
    failure = module.fail_json.call_args.kwargs
    assert failure["matching_ids"] == [WINDOW_ID, OTHER_ID]
    assert WINDOW_ID in failure["msg"] and OTHER_ID in failure["msg"]
