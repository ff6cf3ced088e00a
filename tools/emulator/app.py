"""The WSGI application of the local AWS endpoint: routing, request log and fault injection (see faults.py).

Every request belongs to the account of its access key (accounts.py); the SSM backend and the Tagging API's
GetResources answer from that account's state in the request's region, as moto does for its own services."""

import http
import io
import json
import re
import threading
import urllib.parse

from . import tagging
from .accounts import account_of, assume_role_refusal, create_account_role, forget_keys
from .faults import ERROR, LOST, Fault, FaultPolicy, error_answer, fault_for, render_fault
from .moto_lock import MOTO_LOCK
from .ssm.fleet_hooks import answer_test_path
from .ssm.service import SSMService

# SigV4 credential scope: <access key id>/<date>/<region>/<service>/aws4_request, in the Authorization header or,
# for a presigned URL, in X-Amz-Credential.
_SCOPE = re.compile(r"Credential=([^/,\s]+)/\d+/([^/]+)/([^/]+)/aws4_request")
_SSM_TARGET = "AmazonSSM."
TEST_PATHS = "/_patchmodel/"  # test-only paths, never faulted
RESET_PATH = TEST_PATHS + "reset"
FAULTS_PATH = TEST_PATHS + "faults"
ACCOUNT_ROLE_PATH = TEST_PATHS + "account-role"


def _moto_app():
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    return DomainDispatcherApplication(create_backend_app)


def _read_body(environ):
    length = environ.get("CONTENT_LENGTH")
    stream = environ["wsgi.input"]
    if length:
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def credential_scope(environ):
    """(access key id, region, service) of a signed request; ("", "us-east-1", "unknown") when unsigned."""
    query = urllib.parse.unquote(environ.get("QUERY_STRING", ""))
    match = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", "")) or _SCOPE.search(query)
    return match.groups() if match else ("", "us-east-1", "unknown")


def describe_request(environ, body):
    """(service, region, operation, parameters) of a request, as far as its protocol says."""
    _, region, service = credential_scope(environ)
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            params = {}
        return service, region, target.split(".", 1)[-1], params
    form = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    if "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", ""):
        form.update(urllib.parse.parse_qs(body.decode("utf-8", "replace")))
    params = {key: values[0] if len(values) == 1 else values for key, values in form.items()}
    if "Action" in params:
        return service, region, params.pop("Action"), params
    return service, region, f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}", params


def _json_answer(status, payload, content_type="application/x-amz-json-1.1"):
    data = json.dumps(payload).encode()
    headers = [
        ("Content-Type", content_type),
        ("Content-Length", str(len(data))),
        ("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000"),
    ]
    return f"{status} {http.HTTPStatus(status).phrase}", headers, [data]


class LocalAWS:
    """Routes SSM to the project's backend and everything else to moto; logs and injects faults."""

    def __init__(self, request_log=None, log_responses=False, faults=None):
        self.ssm = SSMService()
        self.moto = _moto_app()
        self.request_log = request_log
        self.log_responses = log_responses
        self.faults = faults or FaultPolicy()
        self._log_lock = threading.Lock()

    def _log(self, entry):
        if not self.request_log:
            return
        with self._log_lock, open(self.request_log, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry, default=str) + "\n")

    def reset(self):
        with MOTO_LOCK:
            self.ssm = SSMService()
            self.moto = _moto_app()
            from moto.moto_api import _internal

            _internal.moto_api_backend.reset()
            forget_keys()

    def _set_faults(self, environ):
        """`POST /_patchmodel/faults` sets the fault policy (a fresh RNG); any other method reads it."""
        if environ.get("REQUEST_METHOD") == "POST":
            try:
                self.faults = FaultPolicy.from_config(json.loads(_read_body(environ) or b"{}"))
            except (ValueError, TypeError) as error:
                return _json_answer(400, {"__type": "ValidationException", "message": str(error)}, "application/json")
        return _json_answer(200, self.faults.describe(), "application/json")

    def _account_role(self, environ):
        """`POST /_patchmodel/account-role?account=A&role=R[&external_id=X][&partition=P]` makes role R in account A
        (of partition P, aws by default), trusting the default account (with that external id): the only way to a
        first role in another account. Answers its Arn."""
        _read_body(environ)
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        first = {key: values[0] for key, values in query.items()}
        try:
            role_arn = create_account_role(
                first.get("account"), first.get("role"), first.get("external_id"), first.get("partition", "aws")
            )
        except ValueError as error:
            return _json_answer(400, {"__type": "ValidationException", "message": str(error)}, "application/json")
        return _json_answer(200, {"Arn": role_arn}, "application/json")

    def _test_path(self, environ):
        path = environ.get("PATH_INFO")
        if path == RESET_PATH:
            self.reset()
            return _json_answer(200, {}, "application/json")
        if path == FAULTS_PATH:
            return self._set_faults(environ)
        if path == ACCOUNT_ROLE_PATH:
            return self._account_role(environ)
        return None

    def _dispatch(self, environ, entry):
        """Apply the call: (status line, headers, body chunks); the log entry gets its status (and response)."""
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        account, region, params = entry["account"], entry["region"], entry["parameters"]
        if target.startswith(_SSM_TARGET) and self.ssm.serves(entry["operation"]):
            return self._answer(entry, *self.ssm.handle(region, entry["operation"], params, account))
        if target == tagging.TARGET:
            return self._answer(entry, *tagging.get_resources(self.ssm.backend, account, region, params))
        if entry["service"] == "sts" and entry["operation"] == "AssumeRole":
            refusal = assume_role_refusal(entry["access_key"], region, params)
            if refusal is not None:
                entry.update(status=403, response={"Code": "AccessDenied", "Message": refusal})
                return error_answer("sts", Fault(403, "AccessDenied", refusal))
        return self._moto(environ, entry)

    def _answer(self, entry, status, result):
        """A JSON-protocol answer of ours; logged with its status (and body, with log_responses or on error)."""
        entry["status"] = status
        if self.log_responses or status != 200:
            entry["response"] = result
        return _json_answer(status, result)

    def _moto(self, environ, entry):
        """moto's answer, under MOTO_LOCK; moto finds the caller's account from the access key itself."""
        captured = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
            return lambda data: captured.setdefault("written", []).append(data)

        with MOTO_LOCK:
            response = self.moto(environ, capture)
            try:
                body = b"".join(response)
            finally:
                if hasattr(response, "close"):
                    response.close()
        entry["status"] = int(captured["status"].split()[0])
        return captured["status"], captured["headers"], [*captured.get("written", []), body]

    def __call__(self, environ, start_response):
        if (answer := self._test_path(environ)) is not None:
            status, headers, chunks = answer
            start_response(status, headers)
            return chunks
        if (hooked := answer_test_path(self.ssm, environ, start_response)) is not None:
            return hooked
        body = _read_body(environ)
        service, region, operation, params = describe_request(environ, body)
        access_key = credential_scope(environ)[0]
        entry = {"service": service, "region": region, "operation": operation, "access_key": access_key}
        entry["account"] = account_of(access_key)
        entry["parameters"] = params
        tested = environ.get("PATH_INFO", "").startswith(TEST_PATHS)
        kind = None if tested else self.faults.choose(service, operation)
        if kind is not None and kind != LOST:
            # throttle / error: rejected before it takes effect.
            fault = fault_for(service, kind)
            entry.update(status=fault.status, fault=fault.code, fault_kind=kind, applied=False)
            self._log(entry)
            return render_fault(start_response, service, fault, environ.get("REQUEST_METHOD"))
        status, headers, chunks = self._dispatch(environ, entry)
        if kind == LOST:
            # Applied, its answer discarded: the caller sees the service's internal error.
            fault = fault_for(service, ERROR)
            applied_status = entry["status"]
            entry.update(status=fault.status, fault=fault.code, fault_kind=kind, applied=True)
            entry["applied_status"] = applied_status
            self._log(entry)
            return render_fault(start_response, service, fault, environ.get("REQUEST_METHOD"))
        self._log(entry)
        start_response(status, headers)
        return chunks
