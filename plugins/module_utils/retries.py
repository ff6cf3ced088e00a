# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which AWS errors are transient, and the retry decorator every patchmodel.ssm client uses.

Two layers retry a call (docs/reliability.md):
1. botocore itself, in the mode and with the attempts the environment sets (AWS_RETRY_MODE, AWS_MAX_ATTEMPTS; the
   playbooks set standard mode and 10 attempts). Standard mode retries throttling codes, 500/502/503/504 and
   connection errors, sleeping rand(0, 1) * min(2 ** i, 20) s after a throttle (50 ms scale otherwise), within a
   retry quota per client (botocore/retries/standard.py: ExponentialBackoff, RetryQuotaChecker).
2. This decorator, outside botocore, for what is still failing once botocore gives up (its attempts or its quota
   spent, or legacy mode in use): ATTEMPTS rounds in all, sleeping at most 1, 2, 4 s between them.
A call that keeps failing therefore stops after ATTEMPTS botocore rounds: with 10 attempts a round sleeps at
most 111 s (1 + 2 + 4 + 8 + 16 + 4 * 20), so about 7.5 minutes of sleeping in all, at worst.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# botocore's standard retry mode treats these codes as throttling (ThrottledRetryableChecker) or transient
# (TransientRetryableChecker) in botocore/retries/standard.py, whichever service answers them.
BOTOCORE_THROTTLING_CODES = (
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
)
BOTOCORE_TRANSIENT_CODES = ("RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete")

# The 5xx and throttling errors of the services the collection calls, as their botocore models and error
# references name them. Codes that AWSRetry already catches (InternalError, InternalFailure, ServiceUnavailable,
# Unavailable, RequestLimitExceeded, Throttling, TooManyRequestsException) are listed too, so this list alone says it.
SERVICE_TRANSIENT_CODES = (
    # SSM: botocore ssm model error shapes InternalServerError (fault) and ThrottlingException.
    "InternalServerError",
    "ThrottlingException",
    # EC2 (API reference, "Error codes"): RequestLimitExceeded (503), InternalError (500), Unavailable (503).
    "RequestLimitExceeded",
    "InternalError",
    "Unavailable",
    # S3 (error responses): SlowDown (503), InternalError (500), ServiceUnavailable (503).
    "SlowDown",
    "ServiceUnavailable",
    # IAM model: ServiceFailureException, code ServiceFailure (500); Throttling (400) from the common errors.
    "ServiceFailure",
    "Throttling",
    # SNS model: InternalErrorException (code InternalError, 500), ThrottledException (code Throttled, 429).
    "Throttled",
    # STS and the query protocol's common errors: InternalFailure (500), ServiceUnavailable (503).
    "InternalFailure",
    # CloudWatch Logs model: ServiceUnavailableException, InternalServerException, ThrottlingException.
    "ServiceUnavailableException",
    "InternalServerException",
    # Common to many services.
    "TooManyRequestsException",
)

TRANSIENT_ERROR_CODES = tuple(
    dict.fromkeys(SERVICE_TRANSIENT_CODES + BOTOCORE_THROTTLING_CODES + BOTOCORE_TRANSIENT_CODES)
)

# AWSRetry's `retries` counts every attempt, the first included (amazon.aws module_utils/cloud.py, _retry_func).
ATTEMPTS = 4
FIRST_DELAY = 1
MAX_DELAY = 20


def retry_decorator():
    """AWSRetry's jittered backoff, catching every transient code above (AWSRetry's own list lacks most)."""
    return AWSRetry.jittered_backoff(
        retries=ATTEMPTS, delay=FIRST_DELAY, max_delay=MAX_DELAY, catch_extra_error_codes=list(TRANSIENT_ERROR_CODES)
    )


def is_throttling(error):
    """True for an error AWS answers before it acts on the call (a throttled call never took effect)."""
    return error.response.get("Error", {}).get("Code") in BOTOCORE_THROTTLING_CODES + ("Throttled",)


def is_transient(error):
    """True for an error worth trying the call again for: a transient code, an HTTP 5xx, or a BotoCoreError (a broken
    connection, a read timed out)."""
    response = getattr(error, "response", None)
    if response is None:
        return True
    return (
        response.get("Error", {}).get("Code") in TRANSIENT_ERROR_CODES
        or response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500
    )
