"""Fault injection of the local AWS endpoint: a seeded fault policy and each service's real errors on its wire.

Four kinds of fault, each with its own rate, drawn from one seeded RNG (one draw per call the policy applies to,
so a seed gives the same sequence for the same order of calls):

- `throttle`: the call is rejected before it takes effect, with the service's throttling error;
- `error`: the call is rejected before it takes effect, with the service's internal (5xx) error;
- `lost`: the call is applied, then answered with the service's internal error, as if the answer was lost;
- `denied`: the call is refused as a missing IAM permission would refuse it (never retried by botocore).

The configuration is the JSON object `POST /_patchmodel/faults` takes (and `--faults` on the command line):
{"throttle": 0.2, "error": 0.05, "lost": 0.05, "seed": 3, "operations": ["CreateDocument"],
"services": ["ssm"], "count": 1}; `operations`/`services` restrict faults to those calls (operation names as the
request log writes them), `count` caps how many faults are injected in all. `{}` injects none.
"""

import http
import json
import random
import threading
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape

THROTTLE, ERROR, LOST, DENIED = "throttle", "error", "lost", "denied"
_UNKNOWN_FAILURE = "The request processing has failed because of an unknown error, exception or failure."
KINDS = (THROTTLE, ERROR, LOST, DENIED)
NEVER_DENIED = ("sts", "GetCallerIdentity")  # needs no permission, so is answered even where a policy denies it
_KEYS = {*KINDS, "seed", "operations", "services", "count"}


@dataclass(frozen=True)
class Fault:
    status: int
    code: str
    message: str


@dataclass(frozen=True)
class ServiceErrors:
    """How a service answers throttling and internal failures: its protocol's wire and its two errors."""

    wire: str  # the botocore model's metadata.protocol
    throttle: Fault
    internal: Fault
    namespace: str = ""  # query protocol: the model's metadata.xmlNamespace

    @property
    def denied(self):
        """A refused permission: JSON-protocol services answer AccessDeniedException with HTTP 400, the others the
        common AccessDenied with HTTP 403."""
        # AWS: guide:json-access-denied-400, guide:sts-assume-role-access-denied
        message = "User is not authorized to perform this operation because no identity-based policy allows it"
        if self.wire == "json":
            return Fault(400, "AccessDeniedException", message)
        return Fault(403, "AccessDenied", message)


# The JSON-protocol SSM errors, also the answer for a service this table does not know.
_SSM = ServiceErrors(
    "json",
    # SSM API reference, Common Errors: ThrottlingException, HTTP 400; its message on the wire is "Rate exceeded".
    Fault(400, "ThrottlingException", "Rate exceeded"),
    # botocore/data/ssm/2014-11-06/service-2.json: InternalServerError ("fault": true), in 153 of 154 operations.
    Fault(500, "InternalServerError", "An error occurred on the server side."),
)

SERVICE_ERRORS = {
    "ssm": _SSM,
    # botocore/data/logs/2014-03-28/service-2.json (json): ThrottlingException; ServiceUnavailableException is the
    # fault in 101 of 118 operations (InternalServerException only in 9); the CloudWatch Logs API reference gives
    # both "HTTP Status Code: 400" for ThrottlingException and "500" for ServiceUnavailableException.
    "logs": ServiceErrors(
        "json",
        Fault(400, "ThrottlingException", "Rate exceeded"),
        Fault(500, "ServiceUnavailableException", "The service cannot complete the request."),
    ),
    # Query services throttle with code Throttling, HTTP 400, "Rate exceeded" (AWS Common Errors; botocore
    # retries/standard.py ThrottledRetryableChecker lists "Throttling").
    # botocore/data/iam/2010-05-08/service-2.json: ServiceFailureException, code ServiceFailure, httpStatusCode 500.
    "iam": ServiceErrors(
        "query",
        Fault(400, "Throttling", "Rate exceeded"),
        Fault(500, "ServiceFailure", _UNKNOWN_FAILURE),
        "https://iam.amazonaws.com/doc/2010-05-08/",
    ),
    # SNS's query API answers throttling with the query protocol's common Throttling, "Rate exceeded", HTTP 400
    # (seen from Publish by SDK users: amzn/smoke-aws pull request 149 teaches its SNS client exactly that code; its
    # modeled ThrottledException/429 is for the SMS operations). botocore/data/sns/2010-03-31/service-2.json:
    # InternalErrorException, code InternalError, httpStatusCode 500.
    "sns": ServiceErrors(
        "query",
        Fault(400, "Throttling", "Rate exceeded"),
        Fault(500, "InternalError", "Indicates an internal service error."),
        "http://sns.amazonaws.com/doc/2010-03-31/",
    ),
    # botocore/data/sts/2011-06-15/service-2.json models no 5xx: STS answers the common InternalFailure, HTTP 500
    # (AWS Common Errors).
    "sts": ServiceErrors(
        "query",
        Fault(400, "Throttling", "Rate exceeded"),
        Fault(500, "InternalFailure", _UNKNOWN_FAILURE),
        "https://sts.amazonaws.com/doc/2011-06-15/",
    ),
    # botocore/data/resourcegroupstaggingapi/2017-01-26/service-2.json (json; signing name "tagging"): every
    # operation declares ThrottledException and InternalServiceException; the Resource Groups Tagging API
    # reference's GetResources "Errors" give them HTTP 400 and 500. botocore retries/standard.py lists
    # ThrottledException among the throttling codes.
    "tagging": ServiceErrors(
        "json",
        Fault(400, "ThrottledException", "Rate exceeded"),
        Fault(500, "InternalServiceException", "The request processing failed because of an unknown error."),
    ),
    # EC2 API reference, "Error codes": RequestLimitExceeded (EC2 answers it with HTTP 503) and the server error
    # InternalError (500); both in botocore retries/standard.py (throttled codes; transient 500/503).
    "ec2": ServiceErrors(
        "ec2",
        Fault(503, "RequestLimitExceeded", "Request limit exceeded."),
        Fault(500, "InternalError", "An internal error has occurred."),
    ),
    # S3 API reference, "Error responses": SlowDown 503 "Please reduce your request rate." and InternalError 500
    # "We encountered an internal error. Please try again."
    "s3": ServiceErrors(
        "rest-xml",
        Fault(503, "SlowDown", "Please reduce your request rate."),
        Fault(500, "InternalError", "We encountered an internal error. Please try again."),
    ),
}


def fault_for(service, kind):
    """The Fault a service answers for a kind of fault (a lost answer is the service's internal error)."""
    errors = SERVICE_ERRORS.get(service, _SSM)
    return {THROTTLE: errors.throttle, DENIED: errors.denied}.get(kind, errors.internal)


def _json_body(errors, fault, request_id):
    # JSON protocol (json 1.1): {"__type": code, "message": ...}, the request id in x-amzn-RequestId.
    body = json.dumps({"__type": fault.code, "message": fault.message}).encode()
    return body, [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", request_id)]


def _query_body(errors, fault, request_id):
    # Query protocol: <ErrorResponse> with Type Sender (4xx) or Receiver (5xx), botocore's QueryParser reads it.
    kind = "Sender" if fault.status < 500 else "Receiver"
    body = (
        f'<ErrorResponse xmlns="{errors.namespace}"><Error><Type>{kind}</Type><Code>{fault.code}</Code>'
        f"<Message>{escape(fault.message)}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    )
    return body.encode(), [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)]


def _ec2_body(errors, fault, request_id):
    # EC2 API reference, "Error codes" (example error response): <Response><Errors><Error>..</Errors><RequestID>.
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>{fault.code}</Code>'
        f"<Message>{escape(fault.message)}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
    )
    return body.encode(), [("Content-Type", "text/xml;charset=UTF-8")]


def _s3_body(errors, fault, request_id):
    # S3 API reference, "Error responses": <Error><Code/><Message/><RequestId/><HostId/></Error>, application/xml;
    # the request id also in x-amz-request-id. S3 request ids are 16 upper-case hex digits.
    request_id = request_id.replace("-", "")[:16].upper()
    host_id = uuid.uuid4().hex
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{fault.code}</Code><Message>{escape(fault.message)}'
        f"</Message><RequestId>{request_id}</RequestId><HostId>{host_id}</HostId></Error>"
    )
    headers = [("Content-Type", "application/xml"), ("x-amz-request-id", request_id), ("x-amz-id-2", host_id)]
    return body.encode(), headers


_WIRES = {"json": _json_body, "query": _query_body, "ec2": _ec2_body, "rest-xml": _s3_body}


def error_answer(service, fault, method="POST"):
    """(status line, headers, body chunks) of a service's error on that service's wire."""
    errors = SERVICE_ERRORS.get(service, _SSM)
    body, headers = _WIRES[errors.wire](errors, fault, str(uuid.uuid4()))
    if method == "HEAD":
        body = b""  # S3 answers HEAD requests, errors included, without a body (S3 API reference, HeadObject).
    headers.append(("Content-Length", str(len(body))))
    return f"{fault.status} {http.HTTPStatus(fault.status).phrase}", headers, [body]


def render_fault(start_response, service, fault, method="POST"):
    """Answer a WSGI request with a service's error on that service's wire."""
    status, headers, chunks = error_answer(service, fault, method)
    start_response(status, headers)
    return chunks


def parse_spec(text):
    """The rates of a `--faults` value: `throttle=0.2,error=0.05,lost=0.05`, or the JSON object of the runtime path."""
    text = text.strip()
    if text.startswith("{"):
        return json.loads(text)
    config = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        if not sep or name.strip() not in KINDS:
            raise ValueError(f"expected KIND=RATE with KIND one of {', '.join(KINDS)}, got {item!r}")
        config[name.strip()] = float(value)
    return config


class FaultPolicy:
    """Which calls fail and how: per-kind rates, one seeded RNG, optional operation/service filter and count."""

    def __init__(
        self, throttle=0.0, error=0.0, lost=0.0, denied=0.0, seed=0, operations=None, services=None, count=None
    ):
        rates = {THROTTLE: throttle, ERROR: error, LOST: lost, DENIED: denied}
        for kind, rate in rates.items():
            if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
                raise ValueError(f"{kind} must be a rate between 0 and 1, got {rate!r}")
        if sum(rates.values()) > 1 + 1e-9:
            raise ValueError("the rates of throttle, error, lost and denied add up to more than 1")
        for name, names in (("operations", operations), ("services", services)):
            if names is not None and (not isinstance(names, list) or not all(isinstance(n, str) for n in names)):
                raise ValueError(f"{name} must be a list of names")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
            raise ValueError("count must be a non-negative integer")
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError("seed must be an integer")
        self.rates = {kind: float(rate) for kind, rate in rates.items()}
        self.seed = seed
        self.operations = None if operations is None else set(operations)
        self.services = None if services is None else set(services)
        self.remaining = count
        self.injected = 0
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config, seed=0):
        """A policy from the JSON object of `POST /_patchmodel/faults` (seed taken from it, else `seed`)."""
        if not isinstance(config, dict):
            raise ValueError("the fault configuration is a JSON object")
        if unknown := set(config) - _KEYS:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        return cls(**{"seed": seed, **config})

    def applies_to(self, service, operation):
        return (self.operations is None or operation in self.operations) and (
            self.services is None or service in self.services
        )

    def choose(self, service, operation):
        """The kind of fault for this call, or None: one RNG draw per call the policy applies to."""
        if not any(self.rates.values()) or not self.applies_to(service, operation):
            return None
        with self._lock:
            if self.remaining == 0:
                return None
            draw, bound = self._rng.random(), 0.0
            for kind in KINDS:
                bound += self.rates[kind]
                if draw < bound:
                    if kind == DENIED and (service, operation) == NEVER_DENIED:
                        return None  # no policy can refuse it  # AWS: sts:GetCallerIdentity
                    self.injected += 1
                    if self.remaining is not None:
                        self.remaining -= 1
                    return kind
            return None

    def describe(self):
        return {
            **self.rates,
            "seed": self.seed,
            "operations": None if self.operations is None else sorted(self.operations),
            "services": None if self.services is None else sorted(self.services),
            "remaining": self.remaining,
            "injected": self.injected,
        }
