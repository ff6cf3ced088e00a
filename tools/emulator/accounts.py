"""Accounts of the local endpoint: whose credentials a request carries, and STS AssumeRole refused as AWS refuses it.

A request's account is the one moto gives its access key (moto.iam.models.get_account_id_from): keys from STS
AssumeRole belong to the role's account, keys of an IAM user to the user's, any other key to moto's default
account. moto hands out keys for any role ARN; AWS refuses an AssumeRole unless the role exists in its account and
its trust policy lets the caller in (see trust.py). Nothing but the test-only hook
`POST /_patchmodel/account-role` can make the first role of another account, so that is where such roles come from.

Every account lives in one partition, and a request's Region names it (cn-north-1: aws-cn, us-gov-west-1:
aws-us-gov): moto keeps IAM and STS state per partition, and GetCallerIdentity answers the caller's ARN in the
partition of the Region it is asked in (arn:aws-cn:sts::<account>:assumed-role/<role>/<session>). A role is assumed
only in its own partition.
"""

import json
import re

from .moto_lock import MOTO_LOCK
from .ssm.common import DEFAULT_ACCOUNT_ID
from .ssm.common import partition as partition_of
from .trust import trusts

PARTITION = "aws"  # the partition of a role the test hook makes without one
ROLE_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):iam::(?P<account>\d{12}):role/(?:[\w+=,.@/-]*/)?(?P<name>[\w+=,.@-]{1,64})"
)
ACCOUNT_PATTERN = re.compile(r"\d{12}")
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")  # AWS: guide:arn-partitions
ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")
# access key id -> account, as moto answered it. A key never changes account (moto makes every key it knows with
# its account, at random, so none was looked up before), and remembering spares SSM calls a wait for MOTO_LOCK
# behind a long moto request. forget_keys() empties it when moto's state is reset.
_KEY_ACCOUNTS = {}


def account_of(access_key):
    """The account of an access key id, as moto decides it (under MOTO_LOCK: moto is not thread-safe)."""
    from moto.iam.models import get_account_id_from

    if access_key not in _KEY_ACCOUNTS:
        with MOTO_LOCK:
            _KEY_ACCOUNTS[access_key] = get_account_id_from(access_key)
    return _KEY_ACCOUNTS[access_key]


def forget_keys():
    _KEY_ACCOUNTS.clear()


def _iam(account, partition):
    """moto's IAM backend of an account in a partition, or None while it has none (so it has no role)."""
    from moto.iam.models import iam_backends

    if account not in iam_backends or partition not in iam_backends[account].keys():
        return None
    return iam_backends[account][partition]


def _caller(access_key, region):
    """(caller ARN, account, principal ARNs a trust policy may name) of an access key; under MOTO_LOCK."""
    from moto.iam.models import get_account_id_from
    from moto.sts.models import sts_backends

    account = get_account_id_from(access_key)
    # moto keeps a role session in the STS state of the partition it was made in, as the caller's ARN names it.
    sts = sts_backends[account][partition_of(region)]
    arn = sts.get_caller_identity(access_key, region)[1]
    session = sts.get_assumed_role_from_access_key(access_key)
    # A role session is trusted as its role (arn:<partition>:iam::<account>:role/<name>) as well as by its session ARN.
    principals = {arn, session.role_arn} if session else {arn}
    return arn, account, principals


def _role(role_arn, partition):
    found = ROLE_ARN.fullmatch(role_arn or "")
    # A role of another partition is out of reach: an account lives in one partition.  # AWS: guide:arn-partitions
    iam = _iam(found["account"], partition) if found and found["partition"] == partition else None
    if iam is None:
        return None
    return next((role for role in iam.get_roles() if role.arn == role_arn), None)


def assume_role_refusal(access_key, region, params):
    """The AccessDenied message AWS answers an AssumeRole with, or None when the caller may assume the role."""
    role_arn = params.get("RoleArn", "")
    with MOTO_LOCK:
        caller_arn, caller_account, principals = _caller(access_key, region)
        partition = partition_of(region)
        role = _role(role_arn, partition)
        policy = role.assume_role_policy_document if role is not None else None
    if policy is not None and trusts(policy, caller_account, principals, params.get("ExternalId"), partition):
        return None
    # AWS: guide:sts-assume-role-access-denied
    return f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"


def trust_policy(trusted_account, external_id=None, partition=PARTITION):
    """A role trust policy letting `trusted_account` assume the role (with that external id, when given)."""
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:{partition}:iam::{trusted_account}:root"},
        "Action": "sts:AssumeRole",
    }
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def create_account_role(account, role_name, external_id=None, partition=PARTITION):
    """Make (or reset the trust policy of) role `role_name` in `account` of `partition`, trusting the default
    account; its ARN."""
    from moto.iam.models import iam_backends

    if not ACCOUNT_PATTERN.fullmatch(account or ""):
        raise ValueError("account must be 12 digits")
    if not ROLE_NAME.fullmatch(role_name or ""):
        raise ValueError("role must be 1 to 64 of letters, digits and +=,.@_-")
    if partition not in PARTITIONS:
        raise ValueError(f"partition must be one of {', '.join(PARTITIONS)}")
    policy = trust_policy(DEFAULT_ACCOUNT_ID, external_id, partition)
    with MOTO_LOCK:
        iam = iam_backends[account][partition]
        existing = next((role for role in iam.get_roles() if role.name == role_name), None)
        if existing is not None:
            iam.update_assume_role_policy(role_name, policy)
            return existing.arn
        role = iam.create_role(
            role_name=role_name,
            assume_role_policy_document=policy,
            path="/",
            permissions_boundary=None,
            description="made by the local endpoint's /_patchmodel/account-role test hook",
            tags=[],
            max_session_duration=None,
        )
        return role.arn
