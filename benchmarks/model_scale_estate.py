"""The estate part of benchmarks/model_scale.py: one model on 6 (account, region) hosts, 2 accounts × 3 regions,
each account reached by assuming a role, applied and then rerun at forks 1 and at forks 6.

It needs two things issue 11 adds: the playbook's per-host role assumption (host variables aws_region and
aws_assume_role_arn) and the local endpoint's hook creating a role in another account
(`POST /_patchmodel/account-role?account=A&role=R`). Without them it stops with a message saying what is missing.
"""

import glob
import json
import os
import urllib.error
import urllib.parse
import urllib.request

import yaml

from tools.local_endpoint import REPO

ACCOUNTS = ("111111111111", "222222222222")
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
ROLE = "PatchModelDeployer"
GROUP = "model_scale_estate"
ROLE_HOOK = "/_patchmodel/account-role"
HOST_VARIABLE = "aws_assume_role_arn"


class EstateUnavailable(Exception):
    """What the estate run needs and this checkout does not have yet."""


def playbook_assumes_roles():
    """Whether the playbooks take the host variable aws_assume_role_arn (issue 11, playbook side)."""
    for path in glob.glob(os.path.join(REPO, "playbooks", "**", "*.yml"), recursive=True):
        with open(path, encoding="utf-8") as playbook:
            if HOST_VARIABLE in playbook.read():
                return True
    return False


def create_role(url, account):
    """The ARN of a role `ROLE` in `account` that the default account may assume, made by the endpoint's hook."""
    query = urllib.parse.urlencode({"account": account, "role": ROLE})
    request = urllib.request.Request(f"{url}{ROLE_HOOK}?{query}", data=b"", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = json.loads(answer.read() or b"null")
    except (urllib.error.URLError, ValueError) as error:
        raise EstateUnavailable(
            f"the local endpoint has no working {ROLE_HOOK} hook to create a role in account {account} "
            f"(issue 11, endpoint side): {error}"
        ) from None
    arn = body if isinstance(body, str) else next((v for k, v in dict(body or {}).items() if k.lower() == "arn"), "")
    if not str(arn).startswith("arn:"):
        raise EstateUnavailable(f"{ROLE_HOOK} answered {body!r}, not a role ARN")
    return arn


def check_available():
    if not playbook_assumes_roles():
        raise EstateUnavailable(
            f"playbooks/ do not take the host variable {HOST_VARIABLE} yet (issue 11, per-host role assumption)"
        )


def write_inventory(path, role_arns):
    """A YAML inventory of one host per (account, region), each assuming its account's role."""
    hosts = {
        f"acct{account[:4]}-{region}": {
            "ansible_connection": "local",
            "aws_region": region,
            HOST_VARIABLE: role_arns[account],
        }
        for account in ACCOUNTS
        for region in REGIONS
    }
    with open(path, "w", encoding="utf-8") as inventory:
        yaml.safe_dump({"all": {"children": {GROUP: {"hosts": hosts}}}}, inventory, sort_keys=False)
    return len(hosts)


def measure_estate(url, runner, playbook, model_path, workdir):
    """First apply at forks 6, then the no-op rerun at forks 1 and at forks 6: each run's measures."""
    check_available()
    role_arns = {account: create_role(url, account) for account in ACCOUNTS}
    inventory = os.path.join(workdir, "estate.yml")
    hosts = write_inventory(inventory, role_arns)
    common = ("-i", inventory, "-e", f"patch_model_hosts={GROUP}", "-e", f"@{model_path}")
    runs = {}
    for name, forks in (("apply_forks_6", 6), ("rerun_forks_1", 1), ("rerun_forks_6", 6)):
        runs[name] = dict(runner.run(playbook, *common, "--forks", str(forks), allow_failed_hosts=True), forks=forks)
    return {"hosts": hosts, "accounts": list(ACCOUNTS), "regions": list(REGIONS), "runs": runs}
