"""Fault injection of the local endpoint: each service's real throttling and 5xx on its own wire, lost answers of
applied calls, the operations/count restriction, seeded determinism, and the request log of faulted calls."""

import json
import threading
import types
import urllib.error
import urllib.request
import uuid

import botocore.exceptions
import pytest
from botocore.retries import standard

from tests.helpers.endpoint import LocalEndpoint
from tools.emulator.__main__ import fault_policy
from tools.emulator.faults import parse_spec

# What AWS answers, per service (sources in tools/emulator/faults.py): a read-only call, the throttling error and
# the internal error as (code, HTTP status).
SERVICES = {
    "ssm": (lambda c: c.describe_patch_baselines(), ("ThrottlingException", 400), ("InternalServerError", 500)),
    "logs": (lambda c: c.describe_log_groups(), ("ThrottlingException", 400), ("ServiceUnavailableException", 500)),
    "iam": (lambda c: c.list_roles(), ("Throttling", 400), ("ServiceFailure", 500)),
    "sns": (lambda c: c.list_topics(), ("Throttling", 400), ("InternalError", 500)),
    "sts": (lambda c: c.get_caller_identity(), ("Throttling", 400), ("InternalFailure", 500)),
    "ec2": (lambda c: c.describe_vpcs(), ("RequestLimitExceeded", 503), ("InternalError", 500)),
    "s3": (lambda c: c.list_buckets(), ("SlowDown", 503), ("InternalError", 500)),
}
# SSM operations our backend does not serve go to moto; they still answer SSM's errors.
SERVICES["ssm-moto"] = (lambda c: c.get_parameters(Names=["nothing"]),) + SERVICES["ssm"][1:]
DOCUMENT = json.dumps(
    {
        "schemaVersion": "2.2",
        "description": "A document made by a call whose answer is lost",
        "mainSteps": [{"action": "aws:runShellScript", "name": "noop", "inputs": {"runCommand": ["true"]}}],
    }
)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    local = LocalEndpoint(tmp_path_factory.mktemp("faults"))
    yield local
    local.stop()


@pytest.fixture(autouse=True)
def no_faults_after(endpoint):
    yield
    endpoint.set_faults()


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def failure(call):
    with pytest.raises(botocore.exceptions.ClientError) as error:
        call()
    return error.value


def retry_kind(client, error):
    """How botocore's standard retry mode classifies a failed call: "throttling", "transient" or None."""
    response = error.response
    context = standard.RetryContext(
        attempt_number=1,
        operation_model=client.meta.service_model.operation_model(error.operation_name),
        parsed_response=response,
        http_response=types.SimpleNamespace(
            status_code=response["ResponseMetadata"]["HTTPStatusCode"],
            headers=response["ResponseMetadata"]["HTTPHeaders"],
            content=b"",
        ),
        request_context={},
    )
    if not standard.StandardRetryConditions(max_attempts=3).is_retryable(context):
        return None
    throttling = standard.ThrottlingErrorDetector(None).is_throttling_error_from_context(context)
    return "throttling" if throttling else "transient"


def last_entry(endpoint, mark):
    entries = endpoint.requests(mark)
    assert len(entries) == 1, entries
    return entries[0]


@pytest.mark.parametrize("name", list(SERVICES))
def test_throttle_answers_the_services_throttling_error(endpoint, name):
    service = name.split("-")[0]
    call, (code, status), _ = SERVICES[name]
    client = endpoint.client(service, access_key=f"AKIDTHROTTLE{service.upper()}")
    endpoint.set_faults(throttle=1.0)
    mark = endpoint.mark()
    error = failure(lambda: call(client))
    assert (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)
    assert error.response["Error"]["Message"] and error.response["ResponseMetadata"]["RequestId"]
    assert retry_kind(client, error) == "throttling"
    entry = last_entry(endpoint, mark)
    assert entry["service"] == service and entry["access_key"] == f"AKIDTHROTTLE{service.upper()}"
    assert (entry["status"], entry["fault"], entry["fault_kind"], entry["applied"]) == (status, code, "throttle", False)


@pytest.mark.parametrize("name", list(SERVICES))
def test_error_answers_the_services_internal_error(endpoint, name):
    service = name.split("-")[0]
    call, _, (code, status) = SERVICES[name]
    client = endpoint.client(service)
    endpoint.set_faults(error=1.0)
    mark = endpoint.mark()
    error = failure(lambda: call(client))
    assert (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)
    assert retry_kind(client, error) == "transient"
    entry = last_entry(endpoint, mark)
    assert (entry["status"], entry["fault"], entry["fault_kind"], entry["applied"]) == (status, code, "error", False)


@pytest.mark.parametrize("service", ["ssm", "logs", "iam", "sns", "sts", "ec2", "s3"])
def test_standard_retry_mode_retries_a_throttled_call(endpoint, service):
    call = SERVICES[service][0]
    client = endpoint.client(service, retries={"mode": "standard", "total_max_attempts": 3})
    endpoint.set_faults(throttle=1.0, count=1)
    mark = endpoint.mark()
    answer = call(client)
    assert answer["ResponseMetadata"]["RetryAttempts"] == 1
    assert [entry.get("fault_kind") for entry in endpoint.requests(mark)] == ["throttle", None]


def test_standard_retry_mode_makes_every_attempt_on_5xx(endpoint):
    client = endpoint.client("sts", retries={"mode": "standard", "total_max_attempts": 3})
    endpoint.set_faults(error=1.0)
    mark = endpoint.mark()
    error = failure(client.get_caller_identity)
    assert error.response["ResponseMetadata"]["RetryAttempts"] == 2
    assert [entry["fault_kind"] for entry in endpoint.requests(mark)] == ["error"] * 3


def test_s3_head_faults_have_no_body(endpoint):
    s3 = endpoint.client("s3")
    bucket = unique("head")
    s3.create_bucket(Bucket=bucket)
    endpoint.set_faults(throttle=1.0)
    error = failure(lambda: s3.head_bucket(Bucket=bucket))
    # Without a body botocore names the error by its status; 503 is transient for standard retries.
    assert error.response["Error"]["Code"] == "503" and error.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert error.response["ResponseMetadata"]["HTTPHeaders"]["content-length"] == "0"
    assert retry_kind(s3, error) == "transient"


def _lost(endpoint, service, call):
    """Run `call` with every call lost: it fails with the 5xx, its log entry says it was applied."""
    endpoint.set_faults(lost=1.0)
    mark = endpoint.mark()
    error = failure(call)
    endpoint.set_faults()
    code, status = SERVICES[service][2]
    assert (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)
    entry = last_entry(endpoint, mark)
    assert (entry["status"], entry["fault"], entry["fault_kind"], entry["applied"]) == (status, code, "lost", True)
    assert entry["applied_status"] == 200
    return entry


def test_lost_ssm_document_is_created(endpoint):
    ssm, name = endpoint.client("ssm"), unique("lost-doc")
    content = DOCUMENT
    _lost(endpoint, "ssm", lambda: ssm.create_document(Name=name, Content=content, DocumentType="Command"))
    assert ssm.describe_document(Name=name)["Document"]["Name"] == name


def test_lost_ssm_parameter_is_put_by_moto(endpoint):
    ssm, name = endpoint.client("ssm"), unique("/lost/parameter")
    _lost(endpoint, "ssm", lambda: ssm.put_parameter(Name=name, Value="v", Type="String"))
    assert ssm.get_parameter(Name=name)["Parameter"]["Value"] == "v"


def test_lost_iam_role_is_created(endpoint):
    iam, name = endpoint.client("iam"), unique("lost-role")
    _lost(endpoint, "iam", lambda: iam.create_role(RoleName=name, AssumeRolePolicyDocument="{}"))
    assert iam.get_role(RoleName=name)["Role"]["RoleName"] == name


def test_lost_s3_bucket_is_created(endpoint):
    s3, name = endpoint.client("s3"), unique("lost-bucket")
    _lost(endpoint, "s3", lambda: s3.create_bucket(Bucket=name))
    assert s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_lost_sns_topic_is_created(endpoint):
    sns, name = endpoint.client("sns"), unique("lost-topic")
    _lost(endpoint, "sns", lambda: sns.create_topic(Name=name))
    assert any(topic["TopicArn"].endswith(":" + name) for topic in sns.list_topics()["Topics"])


def test_lost_log_group_is_created(endpoint):
    logs, name = endpoint.client("logs"), unique("/lost/group")
    _lost(endpoint, "logs", lambda: logs.create_log_group(logGroupName=name))
    assert [group["logGroupName"] for group in logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]] == [name]


def test_lost_ec2_tag_is_created(endpoint):
    ec2 = endpoint.client("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    value = unique("lost")
    _lost(endpoint, "ec2", lambda: ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Lost", "Value": value}]))
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [vpc]}, {"Name": "key", "Values": ["Lost"]}])
    assert [tag["Value"] for tag in tags["Tags"]] == [value]


def test_lost_sts_call_is_answered_with_its_5xx(endpoint):
    _lost(endpoint, "sts", endpoint.client("sts").get_caller_identity)


def test_operations_and_count_make_exactly_one_call_lost(endpoint):
    ssm = endpoint.client("ssm")
    content = DOCUMENT
    first, second = unique("once"), unique("twice")
    assert endpoint.set_faults(lost=1.0, operations=["CreateDocument"], count=1)["remaining"] == 1
    mark = endpoint.mark()
    ssm.describe_patch_baselines()  # not an operation the faults apply to
    error = failure(lambda: ssm.create_document(Name=first, Content=content, DocumentType="Command"))
    assert error.response["Error"]["Code"] == "InternalServerError"
    ssm.create_document(Name=second, Content=content, DocumentType="Command")
    assert [entry.get("fault_kind") for entry in endpoint.requests(mark)] == [None, "lost", None]
    assert {ssm.describe_document(Name=name)["Document"]["Name"] for name in (first, second)} == {first, second}
    assert {"injected": 1, "remaining": 0}.items() <= endpoint.get_faults().items()


def test_services_restrict_faults_to_those_services(endpoint):
    endpoint.set_faults(throttle=1.0, services=["iam"])
    endpoint.client("sts").get_caller_identity()
    assert failure(endpoint.client("iam").list_roles).response["Error"]["Code"] == "Throttling"


def _sequence(endpoint, calls=40, **config):
    endpoint.set_faults(**config)
    mark = endpoint.mark()
    sts = endpoint.client("sts")
    for _ in range(calls):
        try:
            sts.get_caller_identity()
        except botocore.exceptions.ClientError:
            pass
    return [entry.get("fault_kind") for entry in endpoint.requests(mark)]


def test_a_seed_gives_the_same_sequence_twice(endpoint):
    rates = {"throttle": 0.3, "error": 0.2, "lost": 0.2}
    first = _sequence(endpoint, seed=3, **rates)
    assert _sequence(endpoint, seed=3, **rates) == first
    assert set(first) == {"throttle", "error", "lost", None}
    assert _sequence(endpoint, seed=4, **rates) != first


def test_test_paths_are_never_faulted(endpoint):
    endpoint.set_faults(throttle=1.0)
    assert endpoint.get_faults()["throttle"] == 1.0
    with urllib.request.urlopen(endpoint.url + "/_patchmodel/seed-nodes?count=1", data=b"", timeout=10) as answer:
        assert answer.status == 200
    endpoint.reset()  # answered, and keeps the fault configuration
    assert endpoint.get_faults()["throttle"] == 1.0 and endpoint.get_faults()["injected"] == 0


def test_unknown_services_answer_the_json_error(endpoint):
    endpoint.set_faults(throttle=1.0)
    mark = endpoint.mark()
    request = urllib.request.Request(
        endpoint.url + "/",
        data=b"{}",
        headers={
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDUNKNOWN/20240101/eu-west-1/madeup/aws4_request, "
            "SignedHeaders=host, Signature=0",
            "X-Amz-Target": "MadeUp.DoThing",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=10)
    assert answer.value.code == 400
    assert json.loads(answer.value.read())["__type"] == "ThrottlingException"
    entry = last_entry(endpoint, mark)
    expected = {"service": "madeup", "region": "eu-west-1", "operation": "DoThing", "access_key": "AKIDUNKNOWN"}
    assert expected.items() <= entry.items()


@pytest.mark.parametrize(
    "config", [{"throttle": 2}, {"throttle": 0.6, "error": 0.6}, {"lots": 1}, {"count": -1}, {"operations": "X"}]
)
def test_invalid_fault_configurations_are_refused(endpoint, config):
    with pytest.raises(ValueError):
        endpoint.set_faults(**config)


def test_concurrent_callers_are_told_apart_by_access_key(endpoint):
    endpoint.set_faults(lost=0.3, seed=5)
    mark = endpoint.mark()
    names = {f"AKIDRUN{run}": [unique(f"run{run}") for _ in range(8)] for run in range(6)}

    def create(key):
        sns = endpoint.client("sns", access_key=key)
        for name in names[key]:
            try:
                sns.create_topic(Name=name)
            except botocore.exceptions.ClientError:
                pass

    threads = [threading.Thread(target=create, args=(key,)) for key in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    entries = endpoint.requests(mark)
    assert {key: sum(entry["access_key"] == key for entry in entries) for key in names} == dict.fromkeys(names, 8)
    assert any(entry.get("fault_kind") == "lost" for entry in entries)
    endpoint.set_faults()
    pages = endpoint.client("sns").get_paginator("list_topics").paginate()
    arns = {topic["TopicArn"].rsplit(":", 1)[1] for page in pages for topic in page["Topics"]}
    assert {name for group in names.values() for name in group} <= arns  # lost calls were applied too


def test_command_line_fault_options():
    def policy(faults=None, fault_rate=None, fault_seed=0):
        return fault_policy(types.SimpleNamespace(faults=faults, fault_rate=fault_rate, fault_seed=fault_seed))

    rates = {"throttle": 0.2, "error": 0.05, "lost": 0.05, "denied": 0.0}
    assert policy("throttle=0.2,error=0.05,lost=0.05").rates == rates
    assert policy(fault_rate=0.5, fault_seed=2).describe()["seed"] == 2
    assert policy(fault_rate=0.5).rates == {"throttle": 0.25, "error": 0.25, "lost": 0.0, "denied": 0.0}
    described = policy('{"lost": 1.0, "operations": ["CreateDocument"], "count": 1}').describe()
    assert (described["operations"], described["remaining"]) == (["CreateDocument"], 1)
    assert parse_spec("") == {}
    for bad in ("throttle", "slow=0.1", "throttle=x"):
        with pytest.raises(ValueError):
            parse_spec(bad)
    with pytest.raises(ValueError):
        policy("throttle=0.1", fault_rate=0.1)


def test_a_denied_call_is_refused_as_a_missing_permission_on_each_wire(local_aws):
    import botocore.exceptions

    local_aws.set_faults(denied=1.0, operations=["GetResources", "ListRoles"])
    try:
        answers = {}
        for service, call in (("resourcegroupstaggingapi", "get_resources"), ("iam", "list_roles")):
            try:
                getattr(local_aws.client(service), call)()
            except botocore.exceptions.ClientError as error:
                answers[service] = (
                    error.response["Error"]["Code"],
                    error.response["ResponseMetadata"]["HTTPStatusCode"],
                )
    finally:
        local_aws.set_faults()
    assert answers == {"resourcegroupstaggingapi": ("AccessDeniedException", 400), "iam": ("AccessDenied", 403)}
