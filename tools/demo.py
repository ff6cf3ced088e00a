"""`make demo`: the Amazon Linux 2 seed model applied twice to a local AWS endpoint, then a summary.

Honours an AWS_ENDPOINT_URL that is already set (then no local endpoint is started).
"""

import contextlib
import json
import os
import re
import subprocess
import sys

import boto3

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools.local_endpoint import REPO, running_endpoint  # noqa: E402

sys.path.insert(0, os.path.join(REPO, ".collections"))
from ansible_collections.patchmodel.ssm.plugins.module_utils.schedule import next_executions  # noqa: E402

MODEL = os.path.join("playbooks", "vars", "webserver_prd.yml")
PLAYBOOK = os.path.join("playbooks", "patching_model.yml")
# The instances the seed models select, by their Name tag.
DEMO_INSTANCES = ("WebServer-Prd", "Patch Manager Demo")


def seed_instances(ec2):
    """Create the demo instances the models select, once."""
    existing = ec2.describe_instances(
        Filters=[
            {"Name": "tag:Name", "Values": list(DEMO_INSTANCES)},
            {"Name": "instance-state-name", "Values": ["running"]},
        ]
    )
    names = {
        tag["Value"]
        for reservation in existing["Reservations"]
        for instance in reservation["Instances"]
        for tag in instance.get("Tags", [])
        if tag["Key"] == "Name"
    }
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*"]}])
    image = images["Images"][0]["ImageId"]
    for name in DEMO_INSTANCES:
        if name not in names:
            ec2.run_instances(
                ImageId=image,
                MinCount=1,
                MaxCount=1,
                InstanceType="t3.micro",
                TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}],
            )


def run_playbook(env):
    command = [
        os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
        PLAYBOOK,
        "-e",
        f"@{MODEL}",
        "-e",
        f"ansible_python_interpreter={sys.executable}",
    ]
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    sys.stdout.write(proc.stdout[-3000:])
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"ansible-playbook failed with exit code {proc.returncode}")
    recap = re.search(r"localhost\s*:\s*ok=(\d+)\s+changed=(\d+)", proc.stdout)
    return int(recap.group(2)) if recap else None


def summary(session):
    ssm = session.client("ssm")
    print("\n== What exists now ==")
    for page in ssm.get_paginator("describe_patch_baselines").paginate(Filters=[{"Key": "OWNER", "Values": ["Self"]}]):
        for baseline in page["BaselineIdentities"]:
            print(
                f"patch baseline  {baseline['BaselineName']} ({baseline['BaselineId']}, {baseline['OperatingSystem']})"
            )
    for page in ssm.get_paginator("describe_patch_groups").paginate():
        for mapping in page["Mappings"]:
            print(f"patch group     {mapping['PatchGroup']} -> {mapping['BaselineIdentity']['BaselineName']}")
    for page in ssm.get_paginator("list_documents").paginate(Filters=[{"Key": "Owner", "Values": ["Self"]}]):
        for document in page["DocumentIdentifiers"]:
            print(f"document        {document['Name']} (v{document.get('DocumentVersion')})")
    for page in ssm.get_paginator("describe_maintenance_windows").paginate():
        for identity in page["WindowIdentities"]:
            window = ssm.get_maintenance_window(WindowId=identity["WindowId"])
            runs = next_executions(
                window["Schedule"],
                window.get("ScheduleTimezone"),
                window.get("ScheduleOffset"),
                window.get("StartDate"),
                window.get("EndDate"),
            )
            print(
                f"window          {window['Name']} {window['Schedule']} {window.get('ScheduleTimezone', 'UTC')},"
                f" {window['Duration']} h, cutoff {window['Cutoff']} h"
            )
            print("  next runs     " + ", ".join(run.strftime("%a %Y-%m-%d %H:%M %Z") for run in runs))


def main():
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
        ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".collections"),
    )
    env.setdefault("AWS_DEFAULT_REGION", env.get("AWS_REGION", "us-east-1"))
    with contextlib.ExitStack() as stack:
        if not env.get("AWS_ENDPOINT_URL"):
            url = stack.enter_context(running_endpoint())
            print(f"Started the local AWS endpoint on {url}")
            env.update(
                AWS_ENDPOINT_URL=url,
                AWS_ACCESS_KEY_ID="testing",
                AWS_SECRET_ACCESS_KEY="testing",
                AWS_DEFAULT_REGION="us-east-1",
            )
            env.pop("AWS_PROFILE", None)
        else:
            print(f"Using the endpoint in AWS_ENDPOINT_URL: {env['AWS_ENDPOINT_URL']}")
        session = boto3.Session(
            aws_access_key_id=env.get("AWS_ACCESS_KEY_ID"),
            aws_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY"),
            region_name=env["AWS_DEFAULT_REGION"],
        )
        os.environ["AWS_ENDPOINT_URL"] = env["AWS_ENDPOINT_URL"]
        seed_instances(session.client("ec2"))
        print("== First run: create the patching model ==")
        first = run_playbook(env)
        print("== Second run: nothing should change ==")
        second = run_playbook(env)
        summary(session)
        print(json.dumps({"first_run_changed": first, "second_run_changed": second}))
        if second != 0:
            raise SystemExit(f"the second run changed {second} tasks; it must change nothing")


if __name__ == "__main__":
    main()
