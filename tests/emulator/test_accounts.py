"""The local endpoint keeps state per (account, region); the account is the one the request's keys belong to."""

import uuid

import botocore.exceptions
import pytest

from tests.emulator.accounts_support import DEFAULT_ACCOUNT, WINDOW, call_hook, fresh_account, new_account_id
from tests.helpers.endpoint import LocalEndpoint

HOOK = '{"schemaVersion": "2.2", "description": "d", "mainSteps": [{"action": "aws:runShellScript", "name": "n", '
HOOK += '"inputs": {"runCommand": ["true"]}}]}'


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def window_ids(ssm):
    return {window["WindowId"] for window in ssm.describe_maintenance_windows()["WindowIdentities"]}


def refusal(call, **params):
    with pytest.raises(botocore.exceptions.ClientError) as error:
        call(**params)
    return error.value.response


@pytest.fixture(scope="module")
def other(local_aws):
    """One account besides the default for this module (a new account costs moto a few seconds)."""
    return fresh_account(local_aws)


def test_a_window_of_one_account_is_invisible_from_another(local_aws, other):
    default_ssm, other_ssm = local_aws.client("ssm"), other.client("ssm")
    mine = default_ssm.create_maintenance_window(Name=unique("default-window"), **WINDOW)["WindowId"]
    theirs = other_ssm.create_maintenance_window(Name=unique("other-window"), **WINDOW)["WindowId"]
    assert mine in window_ids(default_ssm) and theirs not in window_ids(default_ssm)
    assert theirs in window_ids(other_ssm) and mine not in window_ids(other_ssm)
    assert refusal(default_ssm.get_maintenance_window, WindowId=theirs)["Error"]["Code"] == "DoesNotExistException"
    assert refusal(other_ssm.get_maintenance_window, WindowId=mine)["Error"]["Code"] == "DoesNotExistException"


def test_the_same_account_in_another_region_is_another_state(other):
    east, west = other.client("ssm", "us-east-1"), other.client("ssm", "eu-west-1")
    window = east.create_maintenance_window(Name=unique("east-window"), **WINDOW)["WindowId"]
    assert window in window_ids(east)
    assert window_ids(west) == set()


def test_every_account_has_the_aws_owned_baselines_and_documents(other):
    ssm = other.client("ssm")
    default = ssm.get_default_patch_baseline(OperatingSystem="AMAZON_LINUX_2")["BaselineId"]
    assert ssm.get_patch_baseline(BaselineId=default)["Name"] == "AWS-AmazonLinux2DefaultPatchBaseline"
    assert ssm.describe_document(Name="AWS-RunPatchBaseline")["Document"]["Owner"] == "Amazon"


def test_a_document_is_owned_by_the_account_that_made_it(local_aws, other):
    name = unique("owned-doc")
    owner = other.client("ssm").create_document(Name=name, Content=HOOK)["DocumentDescription"]["Owner"]
    assert owner == other.account_id
    mine = local_aws.client("ssm").create_document(Name=unique("owned-doc"), Content=HOOK)["DocumentDescription"]
    assert mine["Owner"] == DEFAULT_ACCOUNT
    own = other.client("ssm").list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}])["DocumentIdentifiers"]
    assert name in {document["Name"] for document in own}
    assert mine["Name"] not in {document["Name"] for document in own}


def test_the_same_document_name_can_live_in_two_accounts(local_aws, other):
    name = unique("shared-name")
    other.client("ssm").create_document(Name=name, Content=HOOK)
    local_aws.client("ssm").create_document(Name=name, Content=HOOK)
    assert other.client("ssm").describe_document(Name=name)["Document"]["Owner"] == other.account_id


def test_moto_services_are_kept_per_account_too(local_aws, other):
    name = f"/patchmodel-test/{uuid.uuid4().hex[:8]}"
    other.client("ssm").put_parameter(Name=name, Value="v", Type="String")
    assert other.client("ssm").get_parameter(Name=name)["Parameter"]["Value"] == "v"
    assert refusal(local_aws.client("ssm").get_parameter, Name=name)["Error"]["Code"] == "ParameterNotFound"


def test_ec2_instances_are_managed_nodes_of_their_own_account_only(local_aws, other):
    ec2 = other.client("ec2")
    image = ec2.describe_images(Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*"]}])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    listed = other.client("ssm").describe_instance_information(MaxResults=50)["InstanceInformationList"]
    assert instance in {node["InstanceId"] for node in listed}
    default_nodes = local_aws.client("ssm").describe_instance_information(MaxResults=50)["InstanceInformationList"]
    assert instance not in {node["InstanceId"] for node in default_nodes}


def test_fleet_hooks_act_on_the_account_they_name(local_aws, other):
    status, seeded = call_hook(local_aws, "/_patchmodel/seed-nodes", count=2, account=other.account_id)
    assert status == 200
    listed = other.client("ssm").describe_instance_information(MaxResults=50)["InstanceInformationList"]
    assert set(seeded["InstanceIds"]) <= {node["InstanceId"] for node in listed}
    default_nodes = local_aws.client("ssm").describe_instance_information(MaxResults=50)["InstanceInformationList"]
    assert not {node["InstanceId"] for node in default_nodes} & set(seeded["InstanceIds"])


def test_fleet_hooks_refuse_an_account_that_is_not_twelve_digits(local_aws):
    status, answer = call_hook(local_aws, "/_patchmodel/seed-nodes", count=1, account="12345")
    assert status == 400 and answer["__type"] == "ValidationException"


def test_window_runs_name_the_state_machine_of_the_windows_account(local_aws, other):
    ssm = other.client("ssm")
    window = ssm.create_maintenance_window(Name=unique("sfn-window"), **WINDOW)["WindowId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window,
        TaskArn=f"arn:aws:states:us-east-1:{other.account_id}:stateMachine:patch",
        TaskType="STEP_FUNCTIONS",
        TaskInvocationParameters={"StepFunctions": {"Input": "{}"}},
    )
    status, run = call_hook(local_aws, "/_patchmodel/run-window", window_id=window, account=other.account_id)
    assert status == 200
    execution = run["WindowExecutionId"]
    task = ssm.get_maintenance_window_execution(WindowExecutionId=execution)["TaskIds"][0]
    invocations = ssm.describe_maintenance_window_execution_task_invocations(WindowExecutionId=execution, TaskId=task)
    execution_arn = invocations["WindowExecutionTaskInvocationIdentities"][0]["ExecutionId"]
    assert execution_arn.startswith(f"arn:aws:states:us-east-1:{other.account_id}:execution:patch:")


def test_the_request_log_names_each_calls_account(local_aws, other):
    mark = local_aws.mark()
    local_aws.client("ssm").describe_maintenance_windows()
    other.client("ssm").describe_maintenance_windows()
    accounts = [entry["account"] for entry in local_aws.requests(mark) if entry["service"] == "ssm"]
    assert accounts == [DEFAULT_ACCOUNT, other.account_id]


# --- AssumeRole ---------------------------------------------------------------------------------------------------


def access_denied(response, caller_arn, role_arn):
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["Error"]["Code"] == "AccessDenied"
    assert response["Error"]["Message"] == (
        f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
    )
    return True


def test_assumed_keys_belong_to_the_roles_account(other):
    identity = other.client("sts").get_caller_identity()
    assert identity["Account"] == other.account_id
    assert identity["Arn"] == f"arn:aws:sts::{other.account_id}:assumed-role/PatchModelDeployer/patchmodel-test"


def test_a_role_that_does_not_exist_cannot_be_assumed(local_aws):
    role_arn = f"arn:aws:iam::{new_account_id()}:role/PatchModelDeployer"
    sts = local_aws.client("sts")
    caller = sts.get_caller_identity()["Arn"]
    mark = local_aws.mark()
    response = refusal(sts.assume_role, RoleArn=role_arn, RoleSessionName="session")
    assert access_denied(response, caller, role_arn)
    assert local_aws.requests(mark)[-1]["status"] == 403


def test_a_missing_role_in_an_account_that_exists_cannot_be_assumed(local_aws, other):
    role_arn = f"arn:aws:iam::{other.account_id}:role/NoSuchRole"
    sts = local_aws.client("sts")
    response = refusal(sts.assume_role, RoleArn=role_arn, RoleSessionName="session")
    assert access_denied(response, sts.get_caller_identity()["Arn"], role_arn)


def test_a_role_that_trusts_another_account_refuses_the_caller(other):
    # The hook's roles trust the default account; a session of another account is not trusted.
    target = fresh_account(other.endpoint)
    sts = other.client("sts")
    caller = sts.get_caller_identity()["Arn"]
    response = refusal(sts.assume_role, RoleArn=target.role_arn, RoleSessionName="chained")
    assert access_denied(response, caller, target.role_arn)


def test_a_role_the_caller_account_trusts_in_its_own_account_can_be_assumed(local_aws, other):
    iam = other.client("iam")
    policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", '
    policy += f'"Principal": {{"AWS": "arn:aws:iam::{other.account_id}:root"}}}}]}}'
    role_arn = iam.create_role(RoleName="SameAccount", AssumeRolePolicyDocument=policy)["Role"]["Arn"]
    assumed = other.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="inner")
    keys = assumed["Credentials"]
    credentials = {"aws_access_key_id": keys["AccessKeyId"], "aws_secret_access_key": keys["SecretAccessKey"]}
    assert local_aws.client("sts", credentials=credentials).get_caller_identity()["Account"] == other.account_id
    caller = local_aws.client("sts").get_caller_identity()["Arn"]
    refused = refusal(local_aws.client("sts").assume_role, RoleArn=role_arn, RoleSessionName="outer")
    assert access_denied(refused, caller, role_arn)


@pytest.mark.parametrize("sent", [None, "wrong-id"])
def test_a_role_with_an_external_id_refuses_a_missing_or_wrong_one(local_aws, sent):
    role_arn = local_aws.create_account_role(new_account_id(), "ThirdParty", external_id="Unique-ID-42")
    sts = local_aws.client("sts")
    params = {"RoleArn": role_arn, "RoleSessionName": "session", **({"ExternalId": sent} if sent else {})}
    assert access_denied(refusal(sts.assume_role, **params), sts.get_caller_identity()["Arn"], role_arn)
    credentials = local_aws.credentials_for(role_arn, external_id="Unique-ID-42")
    assert (
        local_aws.client("sts", credentials=credentials)
        .get_caller_identity()["Arn"]
        .startswith(f"arn:aws:sts::{role_arn.split(':')[4]}:assumed-role/ThirdParty/")
    )


def test_the_account_role_hook_is_idempotent_and_resets_the_trust(local_aws):
    account = new_account_id()
    first = local_aws.create_account_role(account, "Deployer", external_id="one")
    assert local_aws.create_account_role(account, "Deployer") == first
    assert local_aws.credentials_for(first)["aws_access_key_id"]


@pytest.mark.parametrize("query", [{"account": "12", "role": "R"}, {"account": "111111111111", "role": "bad role!"}])
def test_the_account_role_hook_refuses_bad_input(local_aws, query):
    status, answer = call_hook(local_aws, "/_patchmodel/account-role", **query)
    assert status == 400 and answer["__type"] == "ValidationException"


def test_after_a_reset_keys_of_a_forgotten_role_belong_to_the_default_account(tmp_path):
    endpoint = LocalEndpoint(tmp_path)
    try:
        other = fresh_account(endpoint)
        other.client("ssm").describe_maintenance_windows()
        endpoint.reset()
        mark = endpoint.mark()
        other.client("ssm").describe_maintenance_windows()
        assert [entry["account"] for entry in endpoint.requests(mark)] == [DEFAULT_ACCOUNT]
    finally:
        endpoint.stop()
