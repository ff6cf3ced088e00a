"""The WSGI application of the local AWS endpoint: routing, request log and fault injection."""

import io
import json
import random
import re
import threading
import urllib.parse

from .ssm.fleet_hooks import answer_test_path
from .ssm.service import SSMService

_SCOPE = re.compile(r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/aws4_request")
_SSM_TARGET = "AmazonSSM."
RESET_PATH = "/_patchmodel/reset"


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


def describe_request(environ, body):
    """(service, region, operation, parameters) of a request, as far as its protocol says."""
    match = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    service, region = (match.group(2), match.group(1)) if match else ("unknown", "us-east-1")
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


class LocalAWS:
    """Routes SSM to the project's backend and everything else to moto; logs and injects faults."""

    def __init__(self, request_log=None, log_responses=False, fault_rate=0.0, fault_seed=0):
        self.ssm = SSMService()
        self.moto = _moto_app()
        self.request_log = request_log
        self.log_responses = log_responses
        self.fault_rate = fault_rate
        self._faults = random.Random(fault_seed)
        self._log_lock = threading.Lock()

    def _log(self, entry):
        if not self.request_log:
            return
        with self._log_lock, open(self.request_log, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry, default=str) + "\n")

    def _fault(self):
        if self.fault_rate <= 0:
            return None
        with self._log_lock:
            draw, kind = self._faults.random(), self._faults.random()
        if draw >= self.fault_rate:
            return None
        if kind < 0.5:
            return 400, "ThrottlingException", "Rate exceeded"
        return 500, "InternalServerError", "An internal error occurred. Try again."

    def reset(self):
        self.ssm = SSMService()
        self.moto = _moto_app()
        from moto.moto_api import _internal

        _internal.moto_api_backend.reset()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == RESET_PATH:
            self.reset()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b"{}"]
        if (hooked := answer_test_path(self.ssm, environ, start_response)) is not None:
            return hooked
        body = _read_body(environ)
        service, region, operation, params = describe_request(environ, body)
        entry = {"service": service, "region": region, "operation": operation, "parameters": params}
        fault = self._fault()
        if fault:
            status, code, message = fault
            entry.update(status=status, fault=code)
            self._log(entry)
            return self._json(start_response, status, {"__type": code, "message": message}, service)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith(_SSM_TARGET) and self.ssm.serves(operation):
            status, result = self.ssm.handle(region, operation, params)
            entry["status"] = status
            if self.log_responses or status != 200:
                entry["response"] = result
            self._log(entry)
            return self._json(start_response, status, result, service)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"] = int(status.split()[0])
            return start_response(status, headers, exc_info)

        response = self.moto(environ, capture)
        entry["status"] = captured.get("status")
        self._log(entry)
        return response

    @staticmethod
    def _json(start_response, status, payload, service):
        data = json.dumps(payload).encode()
        reason = {200: "OK", 400: "Bad Request", 500: "Internal Server Error"}.get(status, "Error")
        headers = [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("Content-Length", str(len(data))),
            ("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000"),
        ]
        if status != 200 and service != "ssm":
            # Query and REST services read XML errors; a JSON body still yields the status code.
            headers[0] = ("Content-Type", "application/json")
        start_response(f"{status} {reason}", headers)
        return [data]
