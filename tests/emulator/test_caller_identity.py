"""sts:GetCallerIdentity on the local endpoint: the caller's account for its keys, in the partition of the Region."""

import botocore.exceptions
import pytest

from tests.emulator.accounts_support import DEFAULT_ACCOUNT, call_hook, fresh_account, new_account_id

PARTITIONS = [("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")]


@pytest.mark.parametrize("region, partition", PARTITIONS)
def test_the_callers_arn_names_the_partition_of_the_region(local_aws, region, partition):
    identity = local_aws.client("sts", region=region).get_caller_identity()
    assert identity["Account"] == DEFAULT_ACCOUNT
    assert identity["Arn"].startswith(f"arn:{partition}:")


def test_assumed_keys_answer_the_roles_account_and_session(local_aws):
    account = fresh_account(local_aws)
    identity = account.client("sts").get_caller_identity()
    assert identity["Account"] == account.account_id
    assert identity["Arn"] == f"arn:aws:sts::{account.account_id}:assumed-role/PatchModelDeployer/patchmodel-test"


def china_role(endpoint, account_id):
    status, answer = call_hook(
        endpoint, "/_patchmodel/account-role", account=account_id, role="Deployer", partition="aws-cn"
    )
    assert status == 200
    return answer["Arn"]


def test_a_role_of_the_china_partition_is_assumed_in_a_china_region(local_aws):
    account_id = new_account_id()
    role_arn = china_role(local_aws, account_id)
    assert role_arn == f"arn:aws-cn:iam::{account_id}:role/Deployer"
    sts = local_aws.client("sts", region="cn-north-1")
    keys = sts.assume_role(RoleArn=role_arn, RoleSessionName="run")["Credentials"]
    assumed = local_aws.client(
        "sts",
        region="cn-north-1",
        credentials={
            "aws_access_key_id": keys["AccessKeyId"],
            "aws_secret_access_key": keys["SecretAccessKey"],
            "aws_session_token": keys["SessionToken"],
        },
    )
    identity = assumed.get_caller_identity()
    assert identity["Account"] == account_id
    assert identity["Arn"] == f"arn:aws-cn:sts::{account_id}:assumed-role/Deployer/run"


def test_a_role_of_another_partition_cannot_be_assumed(local_aws):
    china_arn = china_role(local_aws, new_account_id())
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        local_aws.client("sts", region="us-east-1").assume_role(RoleArn=china_arn, RoleSessionName="run")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_the_account_role_hook_refuses_an_unknown_partition(local_aws):
    status, answer = call_hook(
        local_aws, "/_patchmodel/account-role", account=new_account_id(), role="Deployer", partition="aws-mars"
    )
    assert status == 400
    assert "partition" in answer["message"]


def test_no_injected_refusal_reaches_get_caller_identity(local_aws):
    # AWS answers it even where a policy denies sts:GetCallerIdentity; other calls are refused as configured.
    local_aws.set_faults(denied=1.0, services=["sts", "iam"])
    try:
        identity = local_aws.client("sts").get_caller_identity()
        with pytest.raises(botocore.exceptions.ClientError) as refused:
            local_aws.client("iam").list_roles()
    finally:
        local_aws.set_faults()
    assert identity["Account"] == DEFAULT_ACCOUNT
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
