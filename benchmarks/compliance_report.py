"""The compliance report over a large fleet: wall time and API calls of playbooks/compliance_report.yml.

Seeds N managed nodes (default 10,000) in G patch groups (default 20), every node scanned, a share of them
then installed (some failing a patch, some without reboot), one maintenance window per patch group that has run
once, and a few nodes never scanned; then runs the report playbook once and prints its wall time, its API calls
by operation, and calls per node.
"""

import argparse
import collections
import json
import os
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import boto3  # noqa: E402

from tools.local_endpoint import REPO, endpoint_env, run_playbook, running_endpoint  # noqa: E402

PLAYBOOK = os.path.join(REPO, "playbooks", "compliance_report.yml")
UNREPORTED_PER_GROUP = 5


def hook(url, path, **query):
    """A test-only path of the local endpoint (tools/emulator/ssm/fleet_hooks.py)."""
    request = f"{url}{path}?{urllib.parse.urlencode(query)}"
    with urllib.request.urlopen(request, data=b"", timeout=600) as answer:
        return json.loads(answer.read())


def seed_fleet(url, ssm, count, groups):
    """Nodes in every compliance state, spread over the groups; one window per group, run once."""
    per_group = count // len(groups)
    for index, group in enumerate(groups):
        scanned = per_group - UNREPORTED_PER_GROUP
        # Half the groups stay scanned only (missing patches); the others are installed by their window.
        failing = 0.1 if index % 2 else 0.0
        hook(url, "/_patchmodel/seed-nodes", count=scanned, patch_groups=group, scan="true", failing=failing)
        window_id = ssm.create_maintenance_window(
            Name=f"Patch-{group}",
            Schedule="cron(0 21 ? * WED#1 *)",
            Duration=2,
            Cutoff=1,
            AllowUnassociatedTargets=False,
        )["WindowId"]
        target_id = ssm.register_target_with_maintenance_window(
            WindowId=window_id, ResourceType="INSTANCE", Targets=[{"Key": "tag:Patch Group", "Values": [group]}]
        )["WindowTargetId"]
        operation = "Install" if index % 2 else "Scan"
        reboot = "NoReboot" if index % 4 == 3 else "RebootIfNeeded"
        ssm.register_task_with_maintenance_window(
            WindowId=window_id,
            Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
            TaskArn="AWS-RunPatchBaseline",
            TaskType="RUN_COMMAND",
            Priority=1,
            MaxConcurrency="10%",
            MaxErrors="10%",
            TaskInvocationParameters={
                "RunCommand": {"Parameters": {"Operation": [operation], "RebootOption": [reboot]}}
            },
        )
        hook(url, "/_patchmodel/run-window", window_id=window_id)
        hook(url, "/_patchmodel/seed-nodes", count=UNREPORTED_PER_GROUP, patch_groups=group, scan="false")
    return per_group * len(groups)


def calls_since(log_path, since):
    with open(log_path, encoding="utf-8") as log:
        log.seek(since)
        return [json.loads(line)["operation"] for line in log if line.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000, help="managed nodes (default 10,000)")
    parser.add_argument("--groups", type=int, default=20, help="patch groups (default 20)")
    parser.add_argument("--drilldown", type=int, default=100, help="worst nodes whose patches are listed")
    parser.add_argument("--output", help="keep the report in this directory (default: a temporary one)")
    args = parser.parse_args()
    groups = [f"Fleet-{index + 1:02d}" for index in range(args.groups)]
    with tempfile.TemporaryDirectory() as work:
        log_path = os.path.join(work, "requests.jsonl")
        open(log_path, "w").close()
        with running_endpoint(request_log=log_path) as url:
            ssm = boto3.client(
                "ssm",
                endpoint_url=url,
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            started = time.perf_counter()
            nodes = seed_fleet(url, ssm, args.count, groups)
            seeding = time.perf_counter() - started
            env = endpoint_env(url)
            report_dir = os.path.abspath(args.output) if args.output else os.path.join(work, "report")
            extra = {
                "compliance_report_patch_groups": groups,
                "compliance_report_windows": [f"Patch-{group}" for group in groups],
                "compliance_report_executions": 1,
                "compliance_report_drilldown": args.drilldown,
                "compliance_report_dir": report_dir,
            }
            since = os.path.getsize(log_path)
            started = time.perf_counter()
            run_playbook(env, PLAYBOOK, extra, check=True, capture_output=True)
            wall = time.perf_counter() - started
            calls = calls_since(log_path, since)
            html_size = os.path.getsize(os.path.join(report_dir, "compliance_report.html"))
            json_size = os.path.getsize(os.path.join(report_dir, "compliance_report.json"))
    print(f"managed nodes: {nodes} in {len(groups)} patch groups (seeded in {seeding:.1f} s)")
    print(f"report playbook: {wall:8.1f} s wall, {len(calls):6d} API calls, {len(calls) / nodes:.3f} calls per node")
    for operation, number in collections.Counter(calls).most_common():
        print(f"  {operation:48s} {number:6d}")
    print(f"report size: HTML {html_size / 1e6:.1f} MB, JSON {json_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
