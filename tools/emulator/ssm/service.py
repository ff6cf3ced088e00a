"""Dispatch of SSM JSON-protocol requests to the registered handlers."""

import datetime
import json

import botocore.session

from . import baselines, documents, documents_permissions, fleet_available, fleet_operations, tags, windows  # noqa: F401
from .common import DEFAULT_ACCOUNT_ID
from .errors import SSMError
from .registry import OPERATIONS
from .state import Backend
from .validation import validate_input

SERVICE_MODEL = botocore.session.get_session().get_service_model("ssm")


def _encode(value):
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    raise TypeError(f"cannot encode {type(value).__name__}")


class SSMService:
    """Answers SSM operations: validation by botocore's model, then the handler, under the lock of the caller's
    (account, region) state."""

    def __init__(self):
        self.backend = Backend()

    def serves(self, operation_name):
        return operation_name in OPERATIONS

    def handle(self, region, operation_name, params, account=DEFAULT_ACCOUNT_ID):
        """Return (http status, response dict) for one operation call by a caller of `account`."""
        try:
            operation_model = SERVICE_MODEL.operation_model(operation_name)
            validate_input(operation_model, params)
            state = self.backend.region(region, account)
            with state.lock:
                result = OPERATIONS[operation_name](state, params)
            return 200, json.loads(json.dumps(result or {}, default=_encode))
        except SSMError as error:
            return error.status, {"__type": error.code, "message": error.message}
