"""The local endpoint as a server: start-up, routing to moto, request log, faults, loopback only."""

import subprocess
import sys

import botocore.exceptions
import pytest

from tests.helpers.endpoint import REPO, LocalEndpoint


def test_starts_within_five_seconds(local_aws):
    assert local_aws.startup_seconds < 5


def test_moto_services_are_served(local_aws):
    iam = local_aws.client("iam")
    iam.create_role(RoleName="server-test-role", AssumeRolePolicyDocument="{}")
    assert iam.get_role(RoleName="server-test-role")["Role"]["RoleName"] == "server-test-role"
    assert local_aws.client("sts").get_caller_identity()["Account"] == "123456789012"
    ec2 = local_aws.client("ec2")
    assert "Reservations" in ec2.describe_instances()
    assert "Buckets" in local_aws.client("s3").list_buckets()
    assert "Topics" in local_aws.client("sns").list_topics()
    assert "logGroups" in local_aws.client("logs").describe_log_groups()


def test_request_log_names_service_operation_and_parameters(local_aws, ssm):
    mark = local_aws.mark()
    local_aws.client("iam").list_roles(MaxItems=5)
    entries = local_aws.requests(mark)
    assert {"service": "iam", "operation": "ListRoles", "access_key": "testing"}.items() <= entries[-1].items()
    assert entries[-1]["parameters"]["MaxItems"] == "5"


def test_fault_injection_answers_throttling_or_5xx(tmp_path):
    endpoint = LocalEndpoint(tmp_path, faults={"throttle": 0.5, "error": 0.5}, fault_seed=7)
    try:
        ssm = endpoint.client("ssm")
        codes = set()
        for _ in range(8):
            with pytest.raises(botocore.exceptions.ClientError) as error:
                ssm.describe_patch_baselines()
            codes.add(error.value.response["Error"]["Code"])
        assert codes == {"ThrottlingException", "InternalServerError"}
        entries = endpoint.requests()
        assert len(entries) == 8 and all(entry["fault_kind"] in ("throttle", "error") for entry in entries)
        endpoint.set_faults()
        assert ssm.describe_patch_baselines()["BaselineIdentities"]
    finally:
        endpoint.stop()


def test_refuses_a_non_loopback_address():
    result = subprocess.run(
        [sys.executable, "-m", "tools.emulator", "--port", "1", "--host", "0.0.0.0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0 and "loopback" in result.stderr
