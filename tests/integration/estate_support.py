"""Accounts × regions for the estate tests: inventories of (account, region) hosts, clients holding one account's
credentials, and a census of what the patching model leaves in one account and region."""

import json

import boto3
import botocore.config
import yaml

from tests.helpers.ansible_run import REPO, run_playbook
from tests.helpers.instances import launch_instances

EXAMPLE_INVENTORY = REPO / "playbooks" / "inventory" / "estate.example.yml"
DEFAULT_ACCOUNT = "123456789012"


def run_on_hosts(endpoint, playbook, inventory, extra_vars, forks, **options):
    """ansible-playbook on `inventory` at `forks`; (return code, results, stats by inventory host, output)."""
    extra_env = {"ANSIBLE_INVENTORY": str(inventory), "ANSIBLE_FORKS": str(forks)} | options.pop("extra_env", {})
    rc, results, stats, output = run_playbook(endpoint, playbook, extra_vars=extra_vars, extra_env=extra_env, **options)
    return rc, results, inventory_host_stats(stats), output


def inventory_host_stats(stats):
    """The recap of the inventory's hosts. Every playbook's first play checks, on the controller's implicit localhost,
    that the hosts given match the inventory (playbooks/common/hosts_matched.yml): its line is that check's, which
    must have passed without a change."""
    preflight = stats.get("localhost")
    assert preflight and preflight["ok"] >= 1 and not preflight["changed"] and not preflight["failures"], stats
    return {host: counts for host, counts in stats.items() if host != "localhost"}


def example_hosts(regions):
    """The example inventory with only the hosts in `regions`; {host: its variables} of the hosts kept."""
    inventory = yaml.safe_load(EXAMPLE_INVENTORY.read_text())
    kept = {}
    for account_group in inventory["estate"]["children"].values():
        hosts = {
            name: hostvars for name, hostvars in account_group["hosts"].items() if hostvars["aws_region"] in regions
        }
        account_group["hosts"] = hosts
        kept |= {name: account_group["vars"] | hostvars for name, hostvars in hosts.items()}
    return inventory, kept


def write_inventory(path, inventory):
    path.write_text(yaml.safe_dump(inventory, sort_keys=False))
    return path


def account_of(role_arn):
    return role_arn.split(":")[4]


class Account:
    """Clients of one account of the endpoint: the default account's keys, or an assumed role's."""

    def __init__(self, endpoint, role_arn=None, external_id=None):
        self.endpoint = endpoint
        self.id = account_of(role_arn) if role_arn else DEFAULT_ACCOUNT
        self.credentials = endpoint.credentials_for(role_arn, external_id) if role_arn else {}

    def client(self, service, region="us-east-1"):
        if not self.credentials:
            return self.endpoint.client(service, region=region)
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.endpoint.url,
            config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1}),
            **self.credentials,
        )

    def launch(self, region, tags):
        """One EC2 instance in `region` with these tags; its id."""
        (instance_id,) = launch_instances(self.client("ec2", region), 1, tags)
        return instance_id

    def instance_tags(self, region, instance_id):
        reservations = self.client("ec2", region).describe_instances(InstanceIds=[instance_id])["Reservations"]
        return {tag["Key"]: tag["Value"] for tag in reservations[0]["Instances"][0].get("Tags", [])}

    def census(self, region):
        """The model's kinds of resource in this account and region, by name (AWS-owned ones left out)."""
        ssm = self.client("ssm", region)
        found = {
            "baselines": _names(ssm, "describe_patch_baselines", "BaselineIdentities", "BaselineName", OWNER_SELF),
            "patch_groups": _names(ssm, "describe_patch_groups", "Mappings", "PatchGroup"),
            "documents": _names(ssm, "list_documents", "DocumentIdentifiers", "Name", DOCUMENT_OWNER_SELF),
            "parameters": _names(ssm, "describe_parameters", "Parameters", "Name"),
            "windows": {},
            "topics": sorted(t["TopicArn"] for t in self.client("sns", region).list_topics()["Topics"]),
            "log_groups": sorted(
                g["logGroupName"] for g in self.client("logs", region).describe_log_groups()["logGroups"]
            ),
        }
        for window in ssm.describe_maintenance_windows()["WindowIdentities"]:
            window_id = window["WindowId"]
            targets = ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]
            tasks = ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]
            found["windows"][window["Name"]] = {
                "targets": sorted(target["Name"] for target in targets),
                "tasks": sorted(_task_identity(ssm, window_id, task["WindowTaskId"]) for task in tasks),
            }
        return found

    def iam_census(self):
        """The account's own IAM roles (the role the tests assume left out) and customer managed policies."""
        iam = self.client("iam")
        roles = sorted(role["RoleName"] for role in iam.list_roles()["Roles"] if role["RoleName"] != DEPLOYER_ROLE)
        policies = sorted(policy["PolicyName"] for policy in iam.list_policies(Scope="Local")["Policies"])
        return {"roles": roles, "policies": policies}

    def policy_document(self, name):
        """The default version of a customer managed policy of this account."""
        iam = self.client("iam")
        (policy,) = [p for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == name]
        version = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])
        document = version["PolicyVersion"]["Document"]
        return json.loads(document) if isinstance(document, str) else document


DEPLOYER_ROLE = "PatchModelDeployer"
OWNER_SELF = [{"Key": "OWNER", "Values": ["Self"]}]
DOCUMENT_OWNER_SELF = [{"Key": "Owner", "Values": ["Self"]}]


def _names(client, method, key, name, filters=None):
    pages = client.get_paginator(method).paginate(**({"Filters": filters} if filters else {}))
    return sorted(item[name] for page in pages for item in page[key])


def _task_identity(ssm, window_id, task_id):
    """(name, service role, notification topic) of a window task: the ARNs name the account and region it uses."""
    task = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
    run_command = task.get("TaskInvocationParameters", {}).get("RunCommand", {})
    return (task["Name"], task.get("ServiceRoleArn"), run_command.get("NotificationConfig", {}).get("NotificationArn"))


def empty_census():
    return {
        "baselines": [],
        "patch_groups": [],
        "documents": [],
        "parameters": [],
        "windows": {},
        "topics": [],
        "log_groups": [],
    }


def host_stats(stats, host):
    """The recap line of one host: ok, changed, failures, ..."""
    assert host in stats, f"{host} is not in the recap: {sorted(stats)}"
    return stats[host]
