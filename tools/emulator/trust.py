"""Whether a role's trust policy lets a caller assume the role: the part of IAM's policy evaluation AssumeRole needs.

An explicit Deny that applies wins; otherwise some Allow must apply. A statement applies when its Action covers
sts:AssumeRole, its Principal names the caller (`*`, the caller's account id or `arn:<partition>:iam::<account>:root`
in the caller's partition, or the caller's own ARN) and every condition holds. Conditions are evaluated for
sts:ExternalId only (StringEquals, StringLike and their negations); a condition on any other key is not met, as that
key has no value in the request.
"""

import fnmatch
import json
import urllib.parse

ACTION = "sts:assumerole"


def _listed(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _covers_action(statement):
    actions = [str(action).lower() for action in _listed(statement.get("Action"))]
    return any(fnmatch.fnmatchcase(ACTION, action) for action in actions)


def _names_caller(statement, account, principals, partition):
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    named = set(_listed(principal.get("AWS")))
    return bool(named & {"*", account, f"arn:{partition}:iam::{account}:root", *principals})


_OPERATORS = {
    "StringEquals": lambda actual, wanted: actual == wanted,
    "StringLike": fnmatch.fnmatchcase,
}


def _condition_holds(operator, key, wanted, external_id):
    negated = operator.startswith("StringNot")
    base = operator.replace("StringNot", "String", 1)
    compare = _OPERATORS.get(base)
    if compare is None or key.lower() != "sts:externalid":
        return False
    if external_id is None:
        return negated
    matched = any(compare(external_id, str(value)) for value in _listed(wanted))
    return matched != negated


def _conditions_hold(statement, external_id):
    conditions = statement.get("Condition") or {}
    return all(
        _condition_holds(operator, key, wanted, external_id)
        for operator, keys in conditions.items()
        for key, wanted in (keys or {}).items()
    )


def _applies(statement, account, principals, external_id, partition):
    return (
        _covers_action(statement)
        and _names_caller(statement, account, principals, partition)
        and _conditions_hold(statement, external_id)
    )


def _statements(policy):
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            policy = json.loads(urllib.parse.unquote(policy))  # the query API carries it URL-encoded
    return [s for s in _listed(policy.get("Statement")) if isinstance(s, dict)] if isinstance(policy, dict) else []


def trusts(policy, account, principals, external_id=None, partition="aws"):
    """True when the trust policy (a JSON document) lets a caller of `account` (in `partition`) known as `principals`
    assume the role with this ExternalId (None: none sent)."""
    try:
        statements = _statements(policy)
    except ValueError:
        return False
    applying = [s for s in statements if _applies(s, account, principals, external_id, partition)]
    if any(s.get("Effect") == "Deny" for s in applying):
        return False
    return any(s.get("Effect") == "Allow" for s in applying)
