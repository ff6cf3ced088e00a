"""Shared by the field tests: what the endpoint holds (to count duplicates), writes that are the model's own, and
playbook runs started side by side."""

import collections
import json
import os
import subprocess
import sys

from tests.helpers.ansible_run import BIN, REPO, _host_results, ansible_env


def _names(pages, key, name_key):
    return [item[name_key] for page in pages for item in page[key]]


def census(endpoint):
    """Every resource kind the model makes, as Counters of names (duplicates show as counts above 1)."""
    ssm, iam = endpoint.client("ssm"), endpoint.client("iam")
    paged = lambda client, method, **params: client.get_paginator(method).paginate(**params)  # noqa: E731
    found = {
        "baselines": _names(
            paged(ssm, "describe_patch_baselines", Filters=[{"Key": "OWNER", "Values": ["Self"]}]),
            "BaselineIdentities",
            "BaselineName",
        ),
        "documents": _names(
            paged(ssm, "list_documents", Filters=[{"Key": "Owner", "Values": ["Self"]}]),
            "DocumentIdentifiers",
            "Name",
        ),
        "patch_groups": _names(paged(ssm, "describe_patch_groups"), "Mappings", "PatchGroup"),
        "windows": [],
        "window_targets": [],
        "window_tasks": [],
        "parameters": _names(paged(ssm, "describe_parameters"), "Parameters", "Name"),
        "roles": [role["RoleName"] for role in iam.list_roles()["Roles"]],
        "policies": [policy["PolicyName"] for policy in iam.list_policies(Scope="Local")["Policies"]],
        "instance_profiles": [p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]],
        "topics": [topic["TopicArn"].split(":")[-1] for topic in endpoint.client("sns").list_topics()["Topics"]],
        "log_groups": [group["logGroupName"] for group in endpoint.client("logs").describe_log_groups()["logGroups"]],
    }
    for window in ssm.describe_maintenance_windows()["WindowIdentities"]:
        found["windows"].append(window["Name"])
        targets = ssm.describe_maintenance_window_targets(WindowId=window["WindowId"])["Targets"]
        tasks = ssm.describe_maintenance_window_tasks(WindowId=window["WindowId"])["Tasks"]
        found["window_targets"] += [f"{window['Name']}/{target['Name']}" for target in targets]
        found["window_tasks"] += [f"{window['Name']}/{task['Name']}" for task in tasks]
    return {kind: collections.Counter(names) for kind, names in found.items()}


def only_once(counts):
    """{kind: sorted names} after checking that no name of any kind is there twice."""
    doubled = {kind: [name for name, n in names.items() if n > 1] for kind, names in counts.items()}
    doubled = {kind: names for kind, names in doubled.items() if names}
    assert not doubled, f"duplicate resources: {doubled}"
    return {kind: sorted(names) for kind, names in counts.items()}


def model_writes(endpoint, since, access_key=None):
    """Mutating calls since the mark, but the model lock's own PutParameter / DeleteParameter."""
    return [entry for entry in endpoint.mutating(since) if access_key is None or entry.get("access_key") == access_key]


def start_playbook(endpoint, playbook, extra_vars, access_key, log_path):
    """Start ansible-playbook in the background with its own access key (the request log tells runs apart)."""
    command = [
        str(BIN / "ansible-playbook"),
        str(playbook),
        "-e",
        f"ansible_python_interpreter={sys.executable}",
        "-e",
        json.dumps(extra_vars),
    ]
    env = ansible_env(endpoint, {"AWS_ACCESS_KEY_ID": access_key})
    out = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed by finish()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    process.log = out
    return process


def finish(process, timeout=900):
    """(return code, per-task results, stats, output) of a run started with start_playbook."""
    try:
        process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.log.close()
    output = open(process.log.name, encoding="utf-8").read()
    try:
        results, stats = _host_results(output)
    except (ValueError, KeyError):
        results, stats = [], {}
    os.unlink(process.log.name)
    return process.returncode, results, stats, output
