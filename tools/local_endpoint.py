"""Start the local AWS endpoint as a child process on a free loopback port (used by demo and benchmarks)."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_endpoint(request_log=None, timeout=15):
    """Yield the URL of a fresh endpoint; stop it on exit."""
    port = free_port()
    command = [sys.executable, "-m", "tools.emulator", "--port", str(port)]
    if request_log:
        command += ["--request-log", request_log]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError("the local endpoint exited at start-up")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the local endpoint did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def endpoint_env(url):
    """Environment for boto3 and ansible-playbook runs against the local endpoint at `url`."""
    env = dict(
        os.environ,
        AWS_ENDPOINT_URL=url,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
        ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".collections"),
    )
    env.pop("AWS_PROFILE", None)
    return env


def run_playbook(env, playbook, extra_vars, **run):
    """ansible-playbook with the venv's Python as interpreter and `extra_vars` (a dict or an @file)."""
    extra = extra_vars if isinstance(extra_vars, str) else json.dumps(extra_vars)
    command = [
        os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
        playbook,
        "-e",
        extra,
        "-e",
        f"ansible_python_interpreter={sys.executable}",
    ]
    return subprocess.run(command, cwd=REPO, env=env, **run)
