"""The local endpoint served in the test process, with the fleet test paths (seed nodes, run a window).

The subprocess endpoint (tests/helpers/endpoint.py) answers those paths once app.py routes them to
tools/emulator/ssm/fleet_hooks.py; until then fleet tests use this one, which wraps LocalAWS the same way.
"""

import json
import logging
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import botocore.exceptions
import pytest
from werkzeug.serving import make_server

from tests.helpers.endpoint import LocalEndpoint
from tools.emulator.app import LocalAWS
from tools.emulator.ssm.fleet_hooks import RUN_WINDOW_PATH, SEED_PATH, with_test_paths


class InProcessEndpoint(LocalEndpoint):
    """A LocalAWS on a free loopback port in a thread of this process; same client and log helpers."""

    def __init__(self, workdir):  # replaces LocalEndpoint.__init__, which starts a subprocess
        self.log_path = os.path.join(workdir, f"requests-inproc-{os.getpid()}-{time.monotonic_ns()}.jsonl")
        open(self.log_path, "w").close()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log, as `python -m tools.emulator`
        self.app = LocalAWS(request_log=self.log_path, log_responses=True)
        self.server = make_server("127.0.0.1", 0, with_test_paths(self.app), threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.startup_seconds = 0.0
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def mark(self):
        return os.path.getsize(self.log_path)

    def _hook(self, path, **query):
        url = f"{self.url}{path}?{urllib.parse.urlencode(query)}"
        try:
            with urllib.request.urlopen(url, data=b"", timeout=60) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            raise RuntimeError(json.loads(error.read())) from None

    def seed_nodes(
        self, count, patch_groups=(), platform="AMAZON_LINUX_2", scan=False, region="us-east-1", failing=0, account=None
    ):
        """Seed hybrid nodes in `region` of `account` (default: the default account); their ids."""
        platforms = platform if isinstance(platform, str) else ",".join(platform)
        answer = self._hook(
            SEED_PATH,
            **({"account": account} if account else {}),
            region=region,
            count=count,
            patch_groups=",".join(patch_groups),
            platform=platforms,
            scan=str(scan).lower(),
            failing=failing,
        )
        return answer["InstanceIds"]

    def run_window(self, window_id, region="us-east-1", account=None):
        query = {"region": region, "window_id": window_id, **({"account": account} if account else {})}
        return self._hook(RUN_WINDOW_PATH, **query)["WindowExecutionId"]

    def stop(self):
        self.server.shutdown()
        self._thread.join(timeout=10)


def unique(prefix="pg"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def failure(call, **params):
    """The AWS error a call answers with (it must fail)."""
    with pytest.raises(botocore.exceptions.ClientError) as error:
        call(**params)
    return error.value.response["Error"]


def all_pages(call, list_key, **params):
    items, token = [], None
    while True:
        page = call(**params, **({"NextToken": token} if token else {}))
        items.extend(page[list_key])
        token = page.get("NextToken")
        if not token:
            return items
