"""Test-only HTTP paths of the local endpoint for fleets (not AWS APIs):

- `/_patchmodel/seed-nodes?region=R&count=N&patch_groups=A,B&platform=OS[,OS]&scan=true&failing=0.1`
  registers N hybrid `mi-` managed nodes tagged round-robin with the patch groups (see
  fleet_nodes.seed_managed_nodes); with scan=true each is scanned at once, so compliance reads work straight
  away. Answers {"InstanceIds": [...]}.
- `/_patchmodel/run-window?region=R&window_id=mw-...` runs a maintenance window now (see
  fleet_window_runs.run_window). Answers {"WindowExecutionId": "..."}.

Each takes `account=<12 digits>` too: the account whose state it acts on (default: moto's default account, the one
any credentials moto does not know belong to).

Errors answer with the JSON body SSM uses ({"__type", "message"}) and status 400.
"""

import json
import re
import urllib.parse

from .common import DEFAULT_ACCOUNT_ID
from .errors import SSMError
from .fleet_nodes import seed_managed_nodes
from .fleet_patching import scan_nodes
from .fleet_window_runs import run_window

SEED_PATH = "/_patchmodel/seed-nodes"
RUN_WINDOW_PATH = "/_patchmodel/run-window"
DEFAULT_REGION = "us-east-1"
ACCOUNT_PATTERN = re.compile(r"\d{12}")


def _listed(query, *names):
    values = [value for name in names for text in query.get(name, []) for value in text.split(",")]
    return [value.strip() for value in values if value.strip()]


def _seed(state, query):
    count = int(query.get("count", ["0"])[0])
    if count < 1:
        raise ValueError("count must be a positive integer")
    groups = _listed(query, "patch_groups", "patch_group")
    platforms = _listed(query, "platform", "platforms") or ["AMAZON_LINUX_2"]
    failing = float(query.get("failing", ["0"])[0])
    node_ids = seed_managed_nodes(state, count, groups, platforms, failing)
    if query.get("scan", ["false"])[0].lower() in ("1", "true", "yes"):
        scan_nodes(state, node_ids)
    return {"InstanceIds": node_ids}


def _run_window(state, query):
    window_id = query.get("window_id", [""])[0]
    if not window_id:
        raise ValueError("window_id is required")
    return {"WindowExecutionId": run_window(state, window_id)}


_HANDLERS = {SEED_PATH: _seed, RUN_WINDOW_PATH: _run_window}


def _respond(start_response, status, payload):
    data = json.dumps(payload).encode()
    reason = "OK" if status == 200 else "Bad Request"
    start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def answer_test_path(ssm_service, environ, start_response):
    """The WSGI answer for a fleet test path, or None when the request is for something else."""
    handler = _HANDLERS.get(environ.get("PATH_INFO"))
    if handler is None:
        return None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)  # a body is not used, but is drained for keep-alive connections
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    account = query.get("account", [DEFAULT_ACCOUNT_ID])[0]
    if not ACCOUNT_PATTERN.fullmatch(account):
        return _respond(start_response, 400, {"__type": "ValidationException", "message": "account is 12 digits"})
    state = ssm_service.backend.region(query.get("region", [DEFAULT_REGION])[0], account)
    try:
        with state.lock:
            return _respond(start_response, 200, handler(state, query))
    except SSMError as error:
        return _respond(start_response, error.status, {"__type": error.code, "message": error.message})
    except ValueError as error:
        return _respond(start_response, 400, {"__type": "ValidationException", "message": str(error)})


def with_test_paths(app):
    """A WSGI app answering the fleet test paths and passing everything else to `app` (a LocalAWS)."""

    def serve(environ, start_response):
        answered = answer_test_path(app.ssm, environ, start_response)
        return app(environ, start_response) if answered is None else answered

    return serve
