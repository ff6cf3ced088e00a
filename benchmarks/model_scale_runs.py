"""Timed ansible-playbook runs for benchmarks/model_scale.py: wall time, module runs (counted by the callback in
benchmarks/callback_plugins) and the API calls the local endpoint logged during the run."""

import collections
import json
import os
import re
import subprocess
import sys
import time

from tests.helpers.endpoint import READ_PREFIXES, is_lock_call
from tools.local_endpoint import REPO

CALLBACKS = os.path.join(REPO, "benchmarks", "callback_plugins")
RUNS_FILE_VARIABLE = "PATCHMODEL_MODULE_RUNS_FILE"
# Tasks the controller answers without running a module.
CONTROLLER_ACTIONS = {
    f"ansible.builtin.{name}"
    for name in (
        "add_host",
        "assert",
        "debug",
        "fail",
        "group_by",
        "include_role",
        "include_tasks",
        "include_vars",
        "meta",
        "pause",
        "set_fact",
        "set_stats",
        "validate_argument_spec",
    )
}
RECAP = re.compile(
    r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)"
    r"\s+failed=(?P<failed>\d+)",
    re.MULTILINE,
)


def failure_excerpt(stdout, size=4000):
    """The part of a failed run's output that says why: from its first error, else its end."""
    found = [index for index in (stdout.find(mark) for mark in ("[ERROR]", "fatal:", "failed:")) if index >= 0]
    start = max(min(found) - 300, 0) if found else max(len(stdout) - size, 0)
    return stdout[start : start + size]


def counting_env(env, runs_file):
    """`env` with the module_runs callback enabled, writing its counts to `runs_file`."""
    return dict(
        env,
        ANSIBLE_CALLBACK_PLUGINS=CALLBACKS,
        ANSIBLE_CALLBACKS_ENABLED="module_runs",
        ANSIBLE_NOCOLOR="1",
        **{RUNS_FILE_VARIABLE: runs_file},
    )


def recap(stdout):
    """{host: {"ok", "changed", "unreachable", "failed"}} from the PLAY RECAP of the default callback."""
    return {
        match["host"]: {key: int(match[key]) for key in ("ok", "changed", "unreachable", "failed")}
        for match in RECAP.finditer(stdout)
    }


def is_credential_call(entry):
    """An STS call (AssumeRole for a host's role): it hands out keys and changes nothing in the account."""
    return entry["service"] == "sts"


def call_counts(entries):
    """All calls; the mutating ones (not Describe/Get/List) besides the model lock's and STS's; the lock's own."""
    lock = [entry for entry in entries if is_lock_call(entry)]
    writes = [entry for entry in entries if not entry["operation"].startswith(READ_PREFIXES)]
    mutating = [entry for entry in writes if not is_lock_call(entry) and not is_credential_call(entry)]
    return {
        "api_calls": len(entries),
        "mutating_calls": len(mutating),
        "lock_calls": len(lock),
        "credential_calls": sum(1 for entry in entries if is_credential_call(entry)),
        "mutating_operations": dict(collections.Counter(entry["operation"] for entry in mutating)),
        "calls_by_operation": dict(collections.Counter(entry["operation"] for entry in entries).most_common()),
        # The endpoint logs the account each call acted in (the one its credentials belong to).
        "calls_by_account_region": dict(
            collections.Counter(f"{entry.get('account', '?')} {entry['region']}" for entry in entries)
        ),
    }


class PlaybookRunner:
    """Runs playbooks against one endpoint, each measured on its own slice of the endpoint's request log."""

    def __init__(self, env, log_path, workdir):
        self.log_path = log_path
        self.runs_file = os.path.join(workdir, "module_runs.json")
        self.env = counting_env(env, self.runs_file)

    def _logged_since(self, position):
        with open(self.log_path, encoding="utf-8") as log:
            log.seek(position)
            return [json.loads(line) for line in log if line.strip()]

    def run(self, playbook, *arguments, allow_failed_hosts=False):
        """Run `playbook` with `arguments`; its time, module runs per action, calls and recap."""
        command = [
            os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
            playbook,
            "-e",
            f"ansible_python_interpreter={sys.executable}",
            *arguments,
        ]
        if os.path.exists(self.runs_file):
            os.remove(self.runs_file)
        position = os.path.getsize(self.log_path)
        start = time.perf_counter()
        finished = subprocess.run(command, cwd=REPO, env=self.env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        hosts = recap(finished.stdout)
        if finished.returncode != 0 and not (allow_failed_hosts and hosts):
            why = failure_excerpt(finished.stdout)
            raise SystemExit(f"{' '.join(command[1:])} failed ({finished.returncode}):\n{why}\n{finished.stderr}")
        with open(self.runs_file, encoding="utf-8") as counted:
            actions = collections.Counter()
            for per_host in json.load(counted).values():
                actions.update(per_host)
        return {
            "seconds": round(seconds, 2),
            "module_runs": sum(runs for action, runs in actions.items() if action not in CONTROLLER_ACTIONS),
            "controller_task_runs": sum(runs for action, runs in actions.items() if action in CONTROLLER_ACTIONS),
            "module_runs_by_action": dict(actions.most_common()),
            **call_counts(self._logged_since(position)),
            "changed_tasks": sum(host["changed"] for host in hosts.values()),
            "failed_hosts": sorted(name for name, host in hosts.items() if host["failed"] or host["unreachable"]),
            "hosts": len(hosts),
        }


def per_resource(measured, resources):
    """Module runs and API calls per managed resource (over every host of the run)."""
    return {
        "module_runs_per_resource": round(measured["module_runs"] / resources, 2),
        "api_calls_per_resource": round(measured["api_calls"] / resources, 2),
    }
