"""Role patchmodel.ssm.iam: scoped maintenance window policy, instance output permissions, output resources."""

import json
import pathlib
import uuid

import pytest

from tests.helpers.ansible_run import run_playbook

PLAYBOOK = pathlib.Path(__file__).parent / "playbooks" / "role_iam.yml"
ACCOUNT = "123456789012"
REGION = "us-east-1"
SEED_ACTIONS = {
    "ssm:SendCommand",
    "ssm:CancelCommand",
    "ssm:ListCommands",
    "ssm:ListCommandInvocations",
    "ssm:GetCommandInvocation",
    "ssm:ListTagsForResource",
    "ssm:GetParameters",
    "resource-groups:ListGroups",
    "resource-groups:ListGroupResources",
    "tag:GetResources",
    "sns:Publish",
    "iam:PassRole",
}
# The only actions the IAM service authorization reference lists without a resource type.
UNSCOPABLE = {
    "ssm:CancelCommand",
    "ssm:ListCommands",
    "ssm:ListCommandInvocations",
    "ssm:GetCommandInvocation",
    "resource-groups:ListGroups",
    "tag:GetResources",
}


def writes(local_aws, mark):
    """Calls that change state; S3 is logged as "METHOD /path", and its GET and HEAD only read."""
    return [entry for entry in local_aws.mutating(mark) if not entry["operation"].startswith(("GET ", "HEAD "))]


def as_list(value):
    return value if isinstance(value, list) else [value]


def statements_by_sid(document):
    return {statement["Sid"]: statement for statement in document["Statement"]}


def role_exists(iam, name):
    try:
        iam.get_role(RoleName=name)
    except iam.exceptions.NoSuchEntityException:
        return False
    return True


def fresh_names(local_aws):
    """Role variables naming resources no other test uses, every optional resource switched on."""
    suffix = uuid.uuid4().hex[:8]
    # moto has no AWS managed policies: a customer managed stand-in for AmazonSSMManagedInstanceCore.
    stand_in = local_aws.client("iam").create_policy(
        PolicyName=f"core-{suffix}",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "ssm:UpdateInstanceInformation", "Resource": "*"}],
            }
        ),
    )["Policy"]["Arn"]
    return {
        "iam_maintenance_window_role_name": f"mw-role-{suffix}",
        "iam_maintenance_window_policy_name": f"mw-policy-{suffix}",
        "iam_instance_role_name": f"instance-{suffix}",
        "iam_create_instance_role": True,
        "iam_instance_role_managed_policies": [stand_in],
        "iam_output_bucket": f"patching-{suffix}",
        "iam_output_prefix": "/patching/webserver/prd/",
        "iam_create_output_bucket": True,
        "iam_log_group_name": f"patching/{suffix}/prd",
        "iam_create_log_group": True,
        "iam_log_group_retention_days": 90,
        "iam_create_sns_topic": True,
        "iam_sns_topic_name": f"patching-{suffix}",
        "iam_tags": {"Project": "patching-model"},
    }


def published_facts(results):
    return results[-1]["msg"]


def test_creates_scoped_roles_and_output_resources_idempotently_and_removes_them(local_aws):
    names = fresh_names(local_aws)
    iam = local_aws.client("iam")
    mw_role, instance_role = names["iam_maintenance_window_role_name"], names["iam_instance_role_name"]
    topic_arn = f"arn:aws:sns:{REGION}:{ACCOUNT}:{names['iam_sns_topic_name']}"
    log_group_arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{names['iam_log_group_name']}"

    rc, results, stats, output = run_playbook(local_aws, PLAYBOOK, names)
    assert rc == 0, output
    assert stats["localhost"]["changed"] > 0
    facts = published_facts(results)
    assert facts["maintenance_window_role_arn"] == f"arn:aws:iam::{ACCOUNT}:role/{mw_role}"
    assert facts["instance_profile_arn"] == f"arn:aws:iam::{ACCOUNT}:instance-profile/{instance_role}"
    assert facts["sns_topic_arn"] == topic_arn

    role = iam.get_role(RoleName=mw_role)["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    attached = iam.list_attached_role_policies(RoleName=mw_role)["AttachedPolicies"]
    assert [policy["PolicyName"] for policy in attached] == [names["iam_maintenance_window_policy_name"]]
    policy = iam.get_policy(PolicyArn=facts["maintenance_window_policy_arn"])["Policy"]
    assert policy["Description"] == "The policy allows Systems manager to run maintenance window tasks"
    document = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])["PolicyVersion"]
    statements = statements_by_sid(document["Document"])
    granted = {action for statement in statements.values() for action in as_list(statement["Action"])}
    assert granted == SEED_ACTIONS
    for statement in statements.values():
        on_everything = "*" in as_list(statement["Resource"])
        assert on_everything == (set(as_list(statement["Action"])) <= UNSCOPABLE), statement
    assert set(statements["SendPatchingCommands"]["Resource"]) == {
        f"arn:aws:ssm:{REGION}::document/AWS-RunPatchBaselineWithHooks",
        f"arn:aws:ssm:{REGION}::document/AWS-RunPatchBaseline",
        f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/*",
        f"arn:aws:ssm:{REGION}:{ACCOUNT}:managed-instance/*",
        f"arn:aws:s3:::{names['iam_output_bucket']}",
    }
    assert as_list(statements["PublishNotifications"]["Resource"]) == [topic_arn]
    pass_role = statements["PassRoleToSystemsManager"]
    assert as_list(pass_role["Resource"]) == [role["Arn"]]
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}

    assert iam.get_role(RoleName=instance_role)["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "ec2.amazonaws.com"
    }
    profile = iam.get_instance_profile(InstanceProfileName=instance_role)["InstanceProfile"]
    assert [r["RoleName"] for r in profile["Roles"]] == [instance_role]
    assert [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=instance_role)["AttachedPolicies"]] == (
        names["iam_instance_role_managed_policies"]
    )
    s3_policy = iam.get_role_policy(RoleName=instance_role, PolicyName="S3-Put-Instance-Profile")["PolicyDocument"]
    assert statements_by_sid(s3_policy)["PutCommandOutput"]["Resource"] == (
        f"arn:aws:s3:::{names['iam_output_bucket']}/patching/webserver/prd/*"
    )
    logs_policy = iam.get_role_policy(RoleName=instance_role, PolicyName="CloudWatch-Logs-Instance-Profile")
    write_logs = statements_by_sid(logs_policy["PolicyDocument"])["WriteCommandOutput"]
    assert set(write_logs["Resource"]) == {log_group_arn, f"{log_group_arn}:*"}

    s3 = local_aws.client("s3")
    encryption = s3.get_bucket_encryption(Bucket=names["iam_output_bucket"])["ServerSideEncryptionConfiguration"]
    assert encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    block = s3.get_public_access_block(Bucket=names["iam_output_bucket"])["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    assert s3.get_bucket_tagging(Bucket=names["iam_output_bucket"])["TagSet"] == [
        {"Key": "Project", "Value": "patching-model"}
    ]
    sns = local_aws.client("sns")
    assert sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]["TopicArn"] == topic_arn
    groups = local_aws.client("logs").describe_log_groups(logGroupNamePrefix=names["iam_log_group_name"])["logGroups"]
    assert [(group["logGroupName"], group["retentionInDays"]) for group in groups] == [
        (names["iam_log_group_name"], 90)
    ]

    for check in (False, True):
        mark = local_aws.mark()
        rc, _, stats, output = run_playbook(local_aws, PLAYBOOK, names, check=check)
        assert rc == 0, output
        assert stats["localhost"]["changed"] == 0, output
        assert writes(local_aws, mark) == []

    s3.put_object(Bucket=names["iam_output_bucket"], Key="patching/webserver/prd/command/stdout", Body=b"output")
    rc, _, _, output = run_playbook(
        local_aws, PLAYBOOK, dict(names, iam_state="absent", iam_output_bucket_force_delete=True)
    )
    assert rc == 0, output
    assert not role_exists(iam, mw_role) and not role_exists(iam, instance_role)
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_instance_profile(InstanceProfileName=instance_role)
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_policy(PolicyArn=facts["maintenance_window_policy_arn"])
    assert names["iam_output_bucket"] not in {bucket["Name"] for bucket in s3.list_buckets()["Buckets"]}
    assert topic_arn not in {topic["TopicArn"] for topic in sns.list_topics()["Topics"]}
    assert (
        local_aws.client("logs").describe_log_groups(logGroupNamePrefix=names["iam_log_group_name"])["logGroups"] == []
    )


def test_check_mode_on_an_empty_account_writes_nothing(local_aws):
    names = fresh_names(local_aws)
    mark = local_aws.mark()

    rc, results, stats, output = run_playbook(local_aws, PLAYBOOK, names, check=True)

    assert rc == 0, output
    assert stats["localhost"]["changed"] > 0
    assert writes(local_aws, mark) == []
    assert published_facts(results)["maintenance_window_role_arn"] == (
        f"arn:aws:iam::{ACCOUNT}:role/{names['iam_maintenance_window_role_name']}"
    )
    assert not role_exists(local_aws.client("iam"), names["iam_maintenance_window_role_name"])


def test_extends_an_existing_instance_role_and_absent_takes_back_only_its_own(local_aws):
    suffix = uuid.uuid4().hex[:8]
    iam = local_aws.client("iam")
    instance_role = f"existing-{suffix}"
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    iam.create_role(RoleName=instance_role, AssumeRolePolicyDocument=json.dumps(trust))
    own = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:DescribeTags", "Resource": "*"}]}
    iam.put_role_policy(RoleName=instance_role, PolicyName="keep-me", PolicyDocument=json.dumps(own))
    names = {
        "iam_maintenance_window_role_name": f"mw-role-{suffix}",
        "iam_maintenance_window_policy_name": f"mw-policy-{suffix}",
        "iam_instance_role_name": instance_role,
        "iam_log_group_name": "",
    }

    mark = local_aws.mark()
    rc, results, _, output = run_playbook(local_aws, PLAYBOOK, names)
    assert rc == 0, output
    mw_role = names["iam_maintenance_window_role_name"]
    assert {(entry["operation"], entry["parameters"].get("RoleName")) for entry in writes(local_aws, mark)} == {
        ("CreatePolicy", None),
        ("CreateRole", mw_role),
        ("AttachRolePolicy", mw_role),
        ("PutRolePolicy", instance_role),
    }
    assert published_facts(results)["instance_role_arn"] == iam.get_role(RoleName=instance_role)["Role"]["Arn"]
    assert sorted(iam.list_role_policies(RoleName=instance_role)["PolicyNames"]) == [
        "S3-Put-Instance-Profile",
        "keep-me",
    ]

    rc, _, _, output = run_playbook(local_aws, PLAYBOOK, dict(names, iam_state="absent"))
    assert rc == 0, output
    assert iam.list_role_policies(RoleName=instance_role)["PolicyNames"] == ["keep-me"]
    assert not role_exists(iam, mw_role)
    policy_arn = f"arn:aws:iam::{ACCOUNT}:policy/{names['iam_maintenance_window_policy_name']}"
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_policy(PolicyArn=policy_arn)


def test_absent_leaves_a_same_named_role_it_does_not_own(local_aws):
    iam = local_aws.client("iam")
    role = f"maintenance-window-role-{uuid.uuid4().hex[:8]}"
    iam.create_role(
        RoleName=role,
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
        Tags=[{"Key": "team", "Value": "other"}],
    )
    names = {
        "iam_maintenance_window_role_name": role,
        "iam_state": "absent",
        "iam_tags": {"patchmodel:model": "webserver-prd"},
    }
    mark = local_aws.mark()
    rc, _, _, output = run_playbook(local_aws, PLAYBOOK, names)
    assert rc == 0, output
    assert role_exists(iam, role)
    assert [entry for entry in writes(local_aws, mark) if entry["service"] == "iam"] == []


def test_a_missing_instance_role_fails_naming_the_variable_before_any_write(local_aws):
    names = {"iam_instance_role_name": f"missing-{uuid.uuid4().hex[:8]}"}
    mark = local_aws.mark()

    rc, results, _, output = run_playbook(local_aws, PLAYBOOK, names)

    assert rc != 0
    [failure] = [result for result in results if result.get("failed")]
    assert "iam_instance_role_name" in failure["msg"] and names["iam_instance_role_name"] in failure["msg"], output
    assert writes(local_aws, mark) == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [("iam_log_group_retention_days", 8), ("iam_create_sns_topic", "perhaps"), ("iam_state", "gone")],
)
def test_a_wrong_variable_fails_argument_validation_before_any_call(local_aws, variable, value):
    mark = local_aws.mark()

    rc, results, _, output = run_playbook(local_aws, PLAYBOOK, {variable: value})

    assert rc != 0
    [failure] = [result for result in results if result.get("failed")]
    assert failure["msg"].startswith("Validation of arguments failed") and variable in failure["msg"], output
    assert local_aws.requests(mark) == []
