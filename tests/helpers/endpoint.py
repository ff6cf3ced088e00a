"""Start and stop the local AWS endpoint for tests, and read its request log."""

import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[2]

# Operations that only read; everything else counts as a mutating call. S3's REST calls are logged as
# "<METHOD> <path>": GET and HEAD read.
READ_PREFIXES = ("Describe", "Get", "List", "GET ", "HEAD ")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalEndpoint:
    """A running `python -m tools.emulator` on a free loopback port, with a request log."""

    def __init__(self, workdir, fault_rate=0.0, fault_seed=0):
        self.log_path = pathlib.Path(workdir) / f"requests-{os.getpid()}-{time.monotonic_ns()}.jsonl"
        self.log_path.touch()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "tools.emulator",
            "--port",
            str(self.port),
            "--request-log",
            str(self.log_path),
            "--log-responses",
            "--fault-rate",
            str(fault_rate),
            "--fault-seed",
            str(fault_seed),
        ]
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

    def env(self):
        """Environment for a boto3 client or an ansible run pointed at this endpoint."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
        }

    def client(self, service, region="us-east-1", **config):
        import boto3
        import botocore.config

        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 1}, **config),
        )

    def mark(self):
        """A position in the request log; pass it to requests() to see only what came after."""
        return self.log_path.stat().st_size

    def requests(self, since=0):
        with open(self.log_path, encoding="utf-8") as log:
            log.seek(since)
            return [json.loads(line) for line in log if line.strip()]

    def mutating(self, since=0, service=None):
        """Logged calls since the mark that change state (not Describe/Get/List)."""
        return [
            entry
            for entry in self.requests(since)
            if not entry["operation"].startswith(READ_PREFIXES) and (service is None or entry["service"] == service)
        ]

    def reset(self):
        urllib.request.urlopen(self.url + "/_patchmodel/reset", data=b"", timeout=10).read()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
