"""Drive real `ansible` / `ansible-playbook` runs against the local endpoint and read their results."""

import json
import os
import pathlib
import re
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent


def ansible_env(endpoint, extra=None):
    env = dict(os.environ)
    env.update(endpoint.env())
    env.update(
        {
            "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
            "ANSIBLE_COLLECTIONS_PATH": str(REPO / ".collections"),
            "ANSIBLE_STDOUT_CALLBACK": "json",
            "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_DEPRECATION_WARNINGS": "0",
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    env.pop("AWS_PROFILE", None)
    env.update(extra or {})
    return env


def _json_report(output):
    """The json callback's report, found at the start of a line (verbose runs print other lines before it)."""
    starts = [0] if output.startswith("{") else []
    starts += [match.start() + 1 for match in re.finditer(r"\n\{", output)]
    for start in starts:
        try:
            report = json.JSONDecoder().raw_decode(output[start:])[0]
        except ValueError:
            continue
        if isinstance(report, dict) and "plays" in report:
            return report
    raise ValueError("no JSON report in the output")


def _host_results(output):
    data = _json_report(output)
    results = []
    for play in data["plays"]:
        for task in play["tasks"]:
            for result in task["hosts"].values():
                results.append(result)
    return results, data.get("stats", {})


def run_module(endpoint, module, args, check=False, diff=False, extra_env=None):
    """Run one module ad hoc on localhost; returns its result dict (with 'failed' and 'msg' on failure)."""
    fqcn = module if "." in module else f"patchmodel.ssm.{module}"
    command = [str(BIN / "ansible"), "localhost", "-m", fqcn, "-e", f"ansible_python_interpreter={sys.executable}"]
    if args:
        command += ["-a", json.dumps(args)]
    if check:
        command.append("--check")
    if diff:
        command.append("--diff")
    proc = subprocess.run(
        command, cwd=REPO, env=ansible_env(endpoint, extra_env), capture_output=True, text=True, timeout=300
    )
    try:
        results, _ = _host_results(proc.stdout)
    except (ValueError, KeyError) as error:
        raise AssertionError(f"no JSON result from ansible: {proc.stdout}\n{proc.stderr}") from error
    return results[0]


def run_playbook(endpoint, playbook, extra_vars=None, check=False, diff=False, tags=None, extra_env=None, verbosity=0):
    """Run a playbook; returns (returncode, per-task results, stats, raw stdout+stderr). `verbosity` 3 is -vvv."""
    command = [str(BIN / "ansible-playbook"), str(playbook), "-e", f"ansible_python_interpreter={sys.executable}"]
    if verbosity:
        command.append("-" + "v" * verbosity)
    if extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    if check:
        command.append("--check")
    if diff:
        command.append("--diff")
    if tags:
        command += ["--tags", tags]
    proc = subprocess.run(
        command, cwd=REPO, env=ansible_env(endpoint, extra_env), capture_output=True, text=True, timeout=900
    )
    try:
        results, stats = _host_results(proc.stdout)
    except (ValueError, KeyError):
        results, stats = [], {}
    return proc.returncode, results, stats, proc.stdout + proc.stderr
