"""Accounts × regions as inventory hosts (docs/estate.md): one model applied to 2 accounts × 2 regions, each account
reached by assuming a role, at forks 4; each (account, region) holds exactly its own resources, seen with that
account's own credentials; a rerun changes nothing on any host; a failing host leaves the others applied; patch now,
the compliance report and teardown take the same hosts and credentials."""

import json

import yaml

from tests.helpers.ansible_run import REPO
from tests.integration.estate_support import (
    DEPLOYER_ROLE,
    Account,
    account_of,
    empty_census,
    example_hosts,
    host_stats,
    run_on_hosts,
    write_inventory,
)

PLAYBOOKS = REPO / "playbooks"
MODEL = yaml.safe_load((PLAYBOOKS / "vars" / "webserver_prd.yml").read_text())
REGIONS = ("us-east-1", "eu-west-1")
UNUSED_REGION = "ap-southeast-2"
LOCK = "/patchmodel/webserver-prd/lock"


def webserver_census(account_id, region):
    """What the AL2 seed model makes in one account and region, the ARNs in its task naming both."""
    topic = f"arn:aws:sns:{region}:{account_id}:patching-webserver-prd"
    role = f"arn:aws:iam::{account_id}:role/maintenance-window-role"
    return {
        "baselines": ["AmazonLinux2AllPatchesBaseline"],
        "patch_groups": ["WebServer-Prd"],
        "documents": [
            "Post-install-WebServer-Document",
            "Post-reboot-WebServer-Document",
            "Pre-patch-WebServer-Document",
        ],
        "parameters": [],
        "windows": {
            "Patch-WebServer-Prd": {"targets": ["WebServer-Prd"], "tasks": [("PatchWebServerPrd", role, topic)]}
        },
        "topics": [topic],
        "log_groups": ["patching/webserver/prd"],
    }


def send_command_grants(document):
    (statement,) = [s for s in document["Statement"] if s.get("Sid") == "SendPatchingCommands"]
    return statement["Resource"]


def assumed_sessions(endpoint, mark):
    """(role, session name, region, answer status) of every AssumeRole call since the mark."""
    return sorted(
        (e["parameters"]["RoleArn"], e["parameters"]["RoleSessionName"], e["region"], e["status"])
        for e in endpoint.requests(mark)
        if e["operation"] == "AssumeRole"
    )


def test_one_model_on_two_accounts_by_assumed_roles_times_two_regions_keeps_each_apart_and_reruns_unchanged(
    account, tmp_path
):
    endpoint = account
    inventory, hosts = example_hosts(REGIONS)
    inventory_path = write_inventory(tmp_path / "estate.yml", inventory)
    roles = {v["aws_assume_role_arn"]: v.get("aws_assume_role_external_id") for v in hosts.values()}
    for role_arn, external_id in roles.items():
        assert endpoint.create_account_role(account_of(role_arn), DEPLOYER_ROLE, external_id) == role_arn
    accounts = {
        account_of(role_arn): Account(endpoint, role_arn, external_id) for role_arn, external_id in roles.items()
    }
    default = Account(endpoint)
    where = {host: (accounts[account_of(v["aws_assume_role_arn"])], v["aws_region"]) for host, v in hosts.items()}
    assert len(accounts) == 2 and len(where) == 4 and default.id not in accounts
    instances = {host: owner.launch(region, {"Name": "WebServer-Prd"}) for host, (owner, region) in where.items()}
    bystander = default.launch("us-east-1", {"Name": "WebServer-Prd"})
    variables = MODEL | {"patch_model_hosts": "estate"}

    mark = endpoint.mark()
    rc, _, stats, output = run_on_hosts(endpoint, PLAYBOOKS / "patching_model.yml", inventory_path, variables, forks=4)

    assert rc == 0, output[-6000:]
    assert sorted(stats) == sorted(hosts)
    # One role session per host: the example's session name for production, the model's name for staging.
    assert assumed_sessions(endpoint, mark) == sorted(
        (
            v["aws_assume_role_arn"],
            v.get("aws_assume_role_session_name", "patchmodel-webserver-prd"),
            v["aws_region"],
            200,
        )
        for v in hosts.values()
    )
    # Every other call of every module, ours and amazon.aws's, was made with a host's assumed keys: module_defaults
    # that name the credentials registered by an earlier task are templated per task.
    callers = {e["account"] for e in endpoint.requests(mark) if e["operation"] != "AssumeRole"}
    assert callers == set(accounts)
    for host, (owner, region) in where.items():
        assert owner.census(region) == webserver_census(owner.id, region), host
        assert owner.instance_tags(region, instances[host])["Patch Group"] == "WebServer-Prd", host
    for owner in accounts.values():
        assert owner.census(UNUSED_REGION) == empty_census()
        assert owner.iam_census() == {
            "roles": ["WebServer-Prd-Instance-Role", "maintenance-window-role"],
            "policies": ["maintenance-window-policy"],
        }
        # IAM is global: the account's one policy lets the windows of both regions send their commands.
        grants = send_command_grants(owner.policy_document("maintenance-window-policy"))
        for region in REGIONS:
            assert f"arn:aws:ssm:{region}:{owner.id}:managed-instance/*" in grants, (owner.id, grants)
    for region in (*REGIONS, UNUSED_REGION):
        assert default.census(region) == empty_census(), region
    assert default.iam_census() == {"roles": [], "policies": []}
    assert "Patch Group" not in default.instance_tags("us-east-1", bystander)

    mark = endpoint.mark()
    rc, _, stats, output = run_on_hosts(
        endpoint, PLAYBOOKS / "patching_model.yml", inventory_path, variables, forks=4, verbosity=3
    )

    assert rc == 0, output[-6000:]
    assert {host: host_stats(stats, host)["changed"] for host in hosts} == dict.fromkeys(hosts, 0)
    assert [e["operation"] for e in endpoint.mutating(mark) if e["operation"] != "AssumeRole"] == []
    # Not even -vvv prints a role session's token (moto's tokens share their first characters).
    token_start = next(iter(accounts.values())).credentials["aws_session_token"][:16]
    assert token_start not in output


def test_two_regions_of_an_account_whose_iam_policies_would_cover_one_fail_before_anything_changes(account, tmp_path):
    endpoint = account
    inventory = {
        "estate": {
            "vars": {"ansible_connection": "local"},
            "hosts": {f"default-{region}": {"aws_region": region} for region in REGIONS},
        }
    }
    inventory_path = write_inventory(tmp_path / "estate.yml", inventory)

    mark = endpoint.mark()
    rc, _, stats, output = run_on_hosts(
        endpoint, PLAYBOOKS / "patching_model.yml", inventory_path, MODEL | {"patch_model_hosts": "estate"}, forks=2
    )

    assert rc != 0
    assert {host: host_stats(stats, host)["failures"] for host in stats} == {f"default-{r}": 1 for r in REGIONS}
    assert "This run applies the model to account 123456789012 in eu-west-1, us-east-1" in output
    assert "set iam_policy_regions" in output
    assert endpoint.mutating(mark, include_lock=True) == []


def test_a_failing_host_leaves_the_others_applied_and_patch_now_report_and_teardown_take_the_same_hosts(
    account, tmp_path
):
    endpoint = account
    production = Account(endpoint, endpoint.create_account_role("111111111111", DEPLOYER_ROLE))
    staging = Account(endpoint, endpoint.create_account_role("222222222222", DEPLOYER_ROLE))
    default = Account(endpoint)
    missing_role = f"arn:aws:iam::333333333333:role/{DEPLOYER_ROLE}"
    # Two baselines sharing the model's baseline name: the model refuses to pick one, after taking its lock.
    for _ in range(2):
        staging.client("ssm").create_patch_baseline(
            Name="AmazonLinux2AllPatchesBaseline", OperatingSystem="AMAZON_LINUX_2"
        )
    inventory = {
        "estate": {
            "vars": {"ansible_connection": "local"},
            "children": {
                "production": {
                    "vars": {"aws_assume_role_arn": f"arn:aws:iam::{production.id}:role/{DEPLOYER_ROLE}"},
                    "hosts": {f"production-{region}": {"aws_region": region} for region in REGIONS},
                },
                "broken": {
                    "hosts": {
                        "nowhere-us-east-1": {"aws_region": "us-east-1", "aws_assume_role_arn": missing_role},
                        "staging-us-east-1": {
                            "aws_region": "us-east-1",
                            "aws_assume_role_arn": f"arn:aws:iam::{staging.id}:role/{DEPLOYER_ROLE}",
                        },
                    }
                },
            },
        }
    }
    inventory_path = write_inventory(tmp_path / "estate.yml", inventory)
    applied = sorted(f"production-{region}" for region in REGIONS)

    mark = endpoint.mark()
    rc, _, stats, output = run_on_hosts(
        endpoint,
        PLAYBOOKS / "patching_model.yml",
        inventory_path,
        MODEL | {"patch_model_hosts": "estate"},
        forks=4,
        tags="baselines",
    )

    assert rc != 0
    assert {host: host_stats(stats, host)["failures"] for host in stats} == {
        "production-us-east-1": 0,
        "production-eu-west-1": 0,
        "nowhere-us-east-1": 1,
        "staging-us-east-1": 1,
    }
    assert f"nowhere-us-east-1 could not assume {missing_role}" in output and "AccessDenied" in output
    assert [e for e in endpoint.requests(mark) if e["account"] == "333333333333"] == []
    for region in REGIONS:
        found = production.census(region)
        assert (found["baselines"], found["patch_groups"], found["parameters"]) == (
            ["AmazonLinux2AllPatchesBaseline"],
            ["WebServer-Prd"],
            [],
        ), region
    # The staging host failed after taking the lock, and released it on its way out.
    lock_calls = [
        (e["operation"], e["status"])
        for e in endpoint.requests(mark)
        if e["account"] == staging.id and e["parameters"].get("Name") == LOCK
    ]
    assert ("PutParameter", 200) in lock_calls and lock_calls[-1] == ("DeleteParameter", 200), lock_calls
    found = staging.census("us-east-1")
    assert (found["baselines"], found["patch_groups"], found["parameters"]) == (
        ["AmazonLinux2AllPatchesBaseline"] * 2,
        [],
        [],
    )

    instances = {
        f"production-{region}": production.launch(region, {"Patch Group": "WebServer-Prd"}) for region in REGIONS
    }
    bystander = default.launch("us-east-1", {"Patch Group": "WebServer-Prd"})
    scan = {"patch_model_hosts": "production", "patch_now_patch_group": "WebServer-Prd", "patch_now_operation": "Scan"}
    rc, _, stats, output = run_on_hosts(endpoint, PLAYBOOKS / "patch_now.yml", inventory_path, scan, forks=2)

    assert rc == 0, output[-6000:]
    assert sorted(stats) == applied
    for host, instance_id in instances.items():
        ssm = production.client("ssm", host.removeprefix("production-"))
        (state,) = ssm.describe_instance_patch_states(InstanceIds=[instance_id])["InstancePatchStates"]
        assert state["Operation"] == "Scan", host
    assert endpoint.client("ssm").describe_instance_patch_states(InstanceIds=[bystander])["InstancePatchStates"] == []

    report = MODEL | {"patch_model_hosts": "production"}
    rc, _, stats, output = run_on_hosts(
        endpoint, PLAYBOOKS / "compliance_report.yml", inventory_path, report, forks=2, extra_env={"PWD": str(tmp_path)}
    )

    assert rc == 0, output[-6000:]
    for host, instance_id in instances.items():
        data = json.loads((tmp_path / "compliance-report" / host / "compliance_report.json").read_text())
        assert [instance["instance_id"] for instance in data["instances"]] == [instance_id], host

    teardown = MODEL | {"patch_model_hosts": "production"}
    rc, _, stats, output = run_on_hosts(
        endpoint, PLAYBOOKS / "teardown.yml", inventory_path, teardown, forks=2, tags="baselines"
    )

    assert rc == 0, output[-6000:]
    assert sorted(stats) == applied
    for region in REGIONS:
        found = production.census(region)
        assert (found["baselines"], found["patch_groups"], found["parameters"]) == ([], [], []), region
