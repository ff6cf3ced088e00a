"""Fleet tagging: ssm_patch_group_membership (one task) vs amazon.aws.ec2_tag in a loop, as a ratio."""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import boto3  # noqa: E402

from tools.local_endpoint import endpoint_env, run_playbook, running_endpoint  # noqa: E402

PLAYBOOK = """
- name: Tag the fleet
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: With ssm_patch_group_membership, one task
      when: approach == 'membership'
      patchmodel.ssm.ssm_patch_group_membership:
        patch_group: "{{ group }}"
        filters:
          "tag:Fleet": "{{ fleet }}"
    - name: With amazon.aws.ec2_tag, one module run per instance
      when: approach == 'ec2_tag'
      amazon.aws.ec2_tag:
        resource: "{{ item }}"
        tags:
          Patch Group: "{{ group }}"
      loop: "{{ instance_ids }}"
"""


def launch(ec2, count, fleet):
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ids = []
    while len(ids) < count:
        batch = min(500, count - len(ids))
        reservation = ec2.run_instances(
            ImageId=image,
            MinCount=batch,
            MaxCount=batch,
            InstanceType="t3.micro",
            TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Fleet", "Value": fleet}]}],
        )
        ids += [instance["InstanceId"] for instance in reservation["Instances"]]
    return ids


def count_calls(log_path, since):
    with open(log_path, encoding="utf-8") as log:
        log.seek(since)
        return sum(1 for line in log if line.strip())


def run(env, playbook, log_path, extra):
    since = os.path.getsize(log_path)
    start = time.perf_counter()
    run_playbook(env, playbook, extra, check=True, capture_output=True)
    return time.perf_counter() - start, count_calls(log_path, since)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        log_path = os.path.join(work, "requests.jsonl")
        open(log_path, "w").close()
        playbook = os.path.join(work, "tag_fleet.yml")
        with open(playbook, "w", encoding="utf-8") as handle:
            handle.write(PLAYBOOK)
        with running_endpoint(request_log=log_path) as url:
            env = endpoint_env(url)
            ec2 = boto3.client(
                "ec2",
                endpoint_url=url,
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            fleet_a = launch(ec2, args.count, "a")
            fleet_b = launch(ec2, args.count, "b")
            ours = run(env, playbook, log_path, {"approach": "membership", "group": "WebServer-Prd", "fleet": "a"})
            theirs = run(
                env,
                playbook,
                log_path,
                {"approach": "ec2_tag", "group": "WebServer-Prd", "fleet": "b", "instance_ids": fleet_b},
            )
    print(f"instances per approach: {len(fleet_a)}")
    print(f"ssm_patch_group_membership: {ours[0]:8.1f} s, {ours[1]:6d} API calls")
    print(f"amazon.aws.ec2_tag loop:    {theirs[0]:8.1f} s, {theirs[1]:6d} API calls")
    print(f"ratio (ec2_tag / ours):     {theirs[0] / ours[0]:8.1f}x time, {theirs[1] / max(ours[1], 1):6.1f}x calls")


if __name__ == "__main__":
    main()
