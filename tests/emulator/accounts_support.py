"""Fresh AWS accounts on the shared local endpoint: a role made in a new account, and clients with its keys."""

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

DEFAULT_ACCOUNT = "123456789012"
WINDOW = {"Schedule": "rate(7 days)", "Duration": 2, "Cutoff": 1, "AllowUnassociatedTargets": False}


def new_account_id():
    """A 12-digit account id no other test uses (never the default account)."""
    return "9" + "".join(secrets.choice("0123456789") for _ in range(11))


@dataclass
class Account:
    """An account reached by assuming a role in it, as a multi-account estate reaches its accounts."""

    endpoint: object
    account_id: str
    role_arn: str
    credentials: dict

    def client(self, service, region="us-east-1"):
        return self.endpoint.client(service, region=region, credentials=self.credentials)


def fresh_account(endpoint, role="PatchModelDeployer"):
    account_id = new_account_id()
    role_arn = endpoint.create_account_role(account_id, role)
    return Account(endpoint, account_id, role_arn, endpoint.credentials_for(role_arn))


def call_hook(endpoint, path, **query):
    """POST a test-only path of the endpoint; (HTTP status, JSON answer)."""
    url = f"{endpoint.url}{path}?{urllib.parse.urlencode(query)}"
    try:
        with urllib.request.urlopen(url, data=b"", timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
