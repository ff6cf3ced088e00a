"""Start and stop the local AWS endpoint for tests, and read its request log."""

import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[2]

# Operations that only read; everything else counts as a mutating call. S3's REST calls are logged as
# "<METHOD> <path>": GET and HEAD read.
READ_PREFIXES = ("Describe", "Get", "List", "GET ", "HEAD ")


LOCK_PREFIX = "/patchmodel/"

# The interpreter that serves the endpoint. `make test-next` runs pytest (and so ansible) from .venv-next and sets
# this to the main .venv's python: both ansible-core legs then talk to the very same endpoint.
ENDPOINT_PYTHON_VARIABLE = "PATCHMODEL_ENDPOINT_PYTHON"


def endpoint_python():
    return os.environ.get(ENDPOINT_PYTHON_VARIABLE) or sys.executable


def is_lock_call(entry):
    """A call on the model lock's parameters (plugins/module_utils/model_lock.py)."""
    return str(entry.get("parameters", {}).get("Name", "")).startswith(LOCK_PREFIX)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalEndpoint:
    """A running `python -m tools.emulator` on a free loopback port, with a request log."""

    def __init__(self, workdir, fault_rate=0.0, fault_seed=0, faults=None):
        """`faults`: the fault configuration to start with, as set_faults() takes it (`fault_rate` R is the older
        shorthand for throttle=R/2, error=R/2); `fault_seed` seeds the fault RNG unless `faults` has a seed."""
        self.log_path = pathlib.Path(workdir) / f"requests-{os.getpid()}-{time.monotonic_ns()}.jsonl"
        self.log_path.touch()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            endpoint_python(),
            "-m",
            "tools.emulator",
            "--port",
            str(self.port),
            "--request-log",
            str(self.log_path),
            "--log-responses",
            "--fault-seed",
            str(fault_seed),
        ]
        if faults:
            command += ["--faults", json.dumps(faults)]
        elif fault_rate:
            command += ["--fault-rate", str(fault_rate)]
        self.process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.startup_seconds = self._wait_ready()

    def _wait_ready(self, timeout=15):
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.process.poll() is not None:
                raise RuntimeError("local endpoint exited: " + self.process.stderr.read().decode())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return time.monotonic() - start
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("local endpoint did not start")

    def env(self, access_key="testing"):
        """Environment for a boto3 client or an ansible run pointed at this endpoint.

        The request log records each call's access key id: distinct keys tell concurrent callers apart."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": access_key,
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
        }

    def client(self, service, region="us-east-1", access_key="testing", credentials=None, **config):
        """A boto3 client of this endpoint, making one attempt per call (no retries) unless `retries=` says otherwise.

        `credentials`: the keys to sign with, as credentials_for() answers them (default: `access_key`, which
        belongs to the default account). botocore's `max_attempts` counts retries, `total_max_attempts` every
        attempt (botocore/config.py)."""
        import boto3
        import botocore.config

        config.setdefault("retries", {"mode": "standard", "total_max_attempts": 1})
        keys = credentials or {"aws_access_key_id": access_key, "aws_secret_access_key": "testing"}
        return boto3.client(
            service, region_name=region, endpoint_url=self.url, config=botocore.config.Config(**config), **keys
        )

    def mark(self):
        """A position in the request log; pass it to requests() to see only what came after."""
        return self.log_path.stat().st_size

    def requests(self, since=0):
        with open(self.log_path, encoding="utf-8") as log:
            log.seek(since)
            return [json.loads(line) for line in log if line.strip()]

    def mutating(self, since=0, service=None, include_lock=False):
        """Logged calls since the mark that change state (not Describe/Get/List).

        The model lock's own PutParameter / DeleteParameter on /patchmodel/<model>/lock* (every playbook run takes
        and releases it, docs/reliability.md) count only with include_lock=True."""
        return [
            entry
            for entry in self.requests(since)
            if not entry["operation"].startswith(READ_PREFIXES)
            and (service is None or entry["service"] == service)
            and (include_lock or not is_lock_call(entry))
        ]

    def reset(self):
        """Forget every resource (SSM and moto); the fault configuration stays as it is."""
        urllib.request.urlopen(self.url + "/_patchmodel/reset", data=b"", timeout=10).read()

    def set_faults(self, **config):
        """Set the faults of the running endpoint, e.g. set_faults(throttle=0.2, error=0.05, lost=0.05, seed=3),
        set_faults(lost=1.0, operations=["CreateDocument"], count=1) (the next matching call is lost, later ones
        pass); set_faults() clears them. The RNG is reseeded (seed 0 unless given). Answers the configuration set.
        """
        request = urllib.request.Request(
            self.url + "/_patchmodel/faults",
            data=json.dumps(config).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            raise ValueError(json.loads(error.read())["message"]) from None

    def create_account_role(self, account, role, external_id=None):
        """Make role `role` in account `account` (12 digits), trusting the default account, with a sts:ExternalId
        condition when `external_id` is given; answers its ARN. Nothing else can make another account's first role."""
        query = {"account": account, "role": role, **({"external_id": external_id} if external_id else {})}
        url = f"{self.url}/_patchmodel/account-role?{urllib.parse.urlencode(query)}"
        try:
            with urllib.request.urlopen(url, data=b"", timeout=30) as answer:
                return json.loads(answer.read())["Arn"]
        except urllib.error.HTTPError as error:
            raise ValueError(json.loads(error.read())["message"]) from None

    def credentials_for(self, role_arn, external_id=None, session_name="patchmodel-test"):
        """boto3 client keyword arguments with the keys of an assumed role (so calls act in the role's account)."""
        params = {"RoleArn": role_arn, "RoleSessionName": session_name}
        if external_id:
            params["ExternalId"] = external_id
        credentials = self.client("sts").assume_role(**params)["Credentials"]
        return {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }

    def get_faults(self):
        """The fault configuration of the running endpoint, with `injected` (faults so far) and `remaining`."""
        with urllib.request.urlopen(self.url + "/_patchmodel/faults", timeout=10) as answer:
            return json.loads(answer.read())

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
