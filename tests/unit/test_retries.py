"""Which errors our modules retry (plugins/module_utils/retries.py), pinned against botocore's models."""

import botocore.exceptions
import botocore.retries.standard as standard
import botocore.session
import pytest
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.patchmodel.ssm.plugins.module_utils import retries

PINNED = [
    "InternalServerError",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalError",
    "Unavailable",
    "SlowDown",
    "ServiceUnavailable",
    "ServiceFailure",
    "Throttling",
    "Throttled",
    "InternalFailure",
    "ServiceUnavailableException",
    "InternalServerException",
    "TooManyRequestsException",
    "ThrottledException",
    "RequestThrottledException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "RequestTimeout",
    "RequestTimeoutException",
]


def test_the_transient_codes_are_pinned():
    assert list(retries.TRANSIENT_ERROR_CODES) == PINNED


def test_every_code_botocores_standard_mode_retries_is_retried():
    botocore_codes = (
        standard.ThrottledRetryableChecker._THROTTLED_ERROR_CODES
        + standard.TransientRetryableChecker._TRANSIENT_ERROR_CODES
    )
    assert set(botocore_codes) <= set(retries.TRANSIENT_ERROR_CODES)


def _error_code(model, shape_name):
    shape = model.shape_for(shape_name)
    return shape.metadata.get("error", {}).get("code") or shape_name


@pytest.mark.parametrize(
    "service, shape_name",
    [
        ("ssm", "InternalServerError"),
        ("ssm", "ThrottlingException"),
        ("iam", "ServiceFailureException"),
        ("sns", "InternalErrorException"),
        ("sns", "ThrottledException"),
        ("logs", "ServiceUnavailableException"),
        ("logs", "InternalServerException"),
        ("logs", "ThrottlingException"),
    ],
)
def test_each_services_modelled_transient_error_is_retried(service, shape_name):
    model = botocore.session.get_session().get_service_model(service)
    assert _error_code(model, shape_name) in retries.TRANSIENT_ERROR_CODES


def test_ssm_transient_errors_are_ones_awsretry_alone_would_not_retry():
    # Why the decorator needs its own list: amazon.aws's AWSRetry knows neither of SSM's codes.
    assert not AWSRetry.found("ThrottlingException") and not AWSRetry.found("InternalServerError")


def _client_error(code, status=400):
    return botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "AnyOperation"
    )


def _flaky(errors):
    calls = []

    def call():
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "done"

    return call, calls


@pytest.fixture
def no_sleep(monkeypatch):
    import ansible_collections.amazon.aws.plugins.module_utils.cloud as cloud

    monkeypatch.setattr(cloud.time, "sleep", lambda seconds: None)


def test_the_decorator_retries_ssm_throttling_and_server_errors_until_success(no_sleep):
    call, calls = _flaky([_client_error("ThrottlingException"), _client_error("InternalServerError", 500)])
    assert retries.retry_decorator()(call)() == "done"
    assert len(calls) == 3


def test_the_decorator_gives_up_after_its_bounded_retries(no_sleep):
    call, calls = _flaky([_client_error("ThrottlingException")] * 10)
    with pytest.raises(botocore.exceptions.ClientError):
        retries.retry_decorator()(call)()
    assert len(calls) == retries.ATTEMPTS == 4


def test_the_decorator_does_not_retry_a_permanent_error(no_sleep):
    call, calls = _flaky([_client_error("AccessDeniedException")])
    with pytest.raises(botocore.exceptions.ClientError):
        retries.retry_decorator()(call)()
    assert len(calls) == 1
