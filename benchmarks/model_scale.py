"""A patching model of G patch groups (default 50: 5 baselines, 3 hook documents, and per group a maintenance window
with one target and one task, 158 resources) applied by playbooks/patching_model.yml to a fresh local endpoint:
first apply, no-op rerun and `--check --diff`, with module runs and API calls per resource, against the floor of
one amazon.aws.aws_caller_info run per resource; with --hosts, the rerun on 6 (account, region) hosts at forks 1
and forks 6. Prints a table, then every figure as JSON."""

import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import yaml  # noqa: E402

from benchmarks.model_scale_estate import EstateUnavailable, check_available, measure_estate  # noqa: E402
from benchmarks.model_scale_generator import patch_model, resource_count  # noqa: E402
from benchmarks.model_scale_runs import PlaybookRunner, per_resource  # noqa: E402
from tools.local_endpoint import REPO, endpoint_env, running_endpoint  # noqa: E402

PLAYBOOK = os.path.join(REPO, "playbooks", "patching_model.yml")
FLOOR_PLAYBOOK = """
- name: The floor, one module run per resource
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Identify the caller
      amazon.aws.aws_caller_info:
      loop: "{{ range(floor_runs | int) | list }}"
"""


def write_model(workdir, groups):
    path = os.path.join(workdir, f"model_scale_{groups}.yml")
    with open(path, "w", encoding="utf-8") as model:
        yaml.safe_dump({"patch_model": patch_model(groups)}, model, sort_keys=False)
    return path


def measure_single_host(runner, model_path, resources, workdir):
    """First apply, no-op rerun, --check --diff of the model, and the floor, on localhost."""
    runs = {
        "first_apply": runner.run(PLAYBOOK, "-e", f"@{model_path}"),
        "rerun": runner.run(PLAYBOOK, "-e", f"@{model_path}"),
        "check_diff": runner.run(PLAYBOOK, "-e", f"@{model_path}", "--check", "--diff"),
    }
    floor_path = os.path.join(workdir, "floor.yml")
    with open(floor_path, "w", encoding="utf-8") as floor:
        floor.write(FLOOR_PLAYBOOK)
    runs["floor"] = runner.run(floor_path, "-e", json.dumps({"floor_runs": resources}))
    for measured in runs.values():
        measured.update(per_resource(measured, resources))
    rerun = runs["rerun"]["seconds"]
    ratios = {
        "rerun_over_floor": round(rerun / runs["floor"]["seconds"], 3),
        "check_over_rerun": round(runs["check_diff"]["seconds"] / rerun, 3),
    }
    return runs, ratios


def issue_targets(runs, ratios):
    """Issue 11's "done when" figures for the single-host runs: (target, value, met)."""
    calls = runs["rerun"]["api_calls_per_resource"]
    return {
        "rerun_over_floor <= 0.15": (ratios["rerun_over_floor"], ratios["rerun_over_floor"] <= 0.15),
        "rerun api_calls_per_resource <= 1.5": (calls, calls <= 1.5),
        "rerun mutating_calls == 0": (runs["rerun"]["mutating_calls"], runs["rerun"]["mutating_calls"] == 0),
        "check_over_rerun <= 1.5": (ratios["check_over_rerun"], ratios["check_over_rerun"] <= 1.5),
    }


def print_table(title, runs, resources_per_host):
    print(title)
    print(
        f"{'run':16s} {'hosts':>5s} {'time s':>8s} {'modules':>8s} {'/res':>5s} {'calls':>6s} {'/res':>5s}"
        f" {'mutating':>8s} {'lock':>5s} {'changed':>7s}  failed hosts"
    )
    for name, run in runs.items():
        resources = resources_per_host * max(run["hosts"], 1)
        print(
            f"{name:16s} {run['hosts']:5d} {run['seconds']:8.1f} {run['module_runs']:8d}"
            f" {run['module_runs'] / resources:5.2f} {run['api_calls']:6d} {run['api_calls'] / resources:5.2f}"
            f" {run['mutating_calls']:8d} {run['lock_calls']:5d} {run['changed_tasks']:7d}"
            f"  {' '.join(run['failed_hosts'])}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=50, help="patch groups in the model (default 50)")
    parser.add_argument("--hosts", action="store_true", help="also the rerun on 6 (account, region) hosts")
    parser.add_argument("--skip-single", action="store_true", help="with --hosts: only the 6-host part")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args()
    if args.hosts:
        try:
            check_available()
        except EstateUnavailable as missing:
            raise SystemExit(f"--hosts cannot run yet: {missing}") from None
    resources = resource_count(args.groups)
    figures = {"groups": args.groups, "resources": resources, "nproc": os.cpu_count()}
    with tempfile.TemporaryDirectory() as workdir:
        model_path = write_model(workdir, args.groups)
        log_path = os.path.join(workdir, "requests.jsonl")
        open(log_path, "w").close()
        if not args.skip_single:
            with running_endpoint(request_log=log_path) as url:
                figures["single_host"], figures["ratios"] = measure_single_host(
                    PlaybookRunner(endpoint_env(url), log_path, workdir), model_path, resources, workdir
                )
            figures["issue_targets"] = issue_targets(figures["single_host"], figures["ratios"])
        if args.hosts:
            with running_endpoint(request_log=log_path) as url:
                try:
                    runner = PlaybookRunner(endpoint_env(url), log_path, workdir)
                    figures["estate"] = measure_estate(url, runner, PLAYBOOK, model_path, workdir)
                except EstateUnavailable as missing:
                    raise SystemExit(f"--hosts cannot run yet: {missing}") from None
            estate_runs = figures["estate"]["runs"]
            for measured in estate_runs.values():
                measured.update(per_resource(measured, resources * max(measured["hosts"], 1)))
            figures["ratios"] = dict(
                figures.get("ratios", {}),
                rerun_forks_1_over_forks_6=round(
                    estate_runs["rerun_forks_1"]["seconds"] / estate_runs["rerun_forks_6"]["seconds"], 3
                ),
            )
    print(f"model: {args.groups} patch groups, {resources} resources per host; {os.cpu_count()} CPUs")
    if "single_host" in figures:
        print_table("one host (localhost, the default account, us-east-1)", figures["single_host"], resources)
    if "estate" in figures:
        print_table("6 hosts (2 accounts x 3 regions, assumed roles)", figures["estate"]["runs"], resources)
    for name, ratio in figures.get("ratios", {}).items():
        print(f"{name}: {ratio:.2f}x")
    for target, (value, met) in figures.get("issue_targets", {}).items():
        print(f"issue 11 target {target}: {value} ({'met' if met else 'not met'})")
    print(json.dumps(figures, indent=1))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as output:
            json.dump(figures, output, indent=1)


if __name__ == "__main__":
    main()
