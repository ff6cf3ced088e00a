"""The trust policy evaluation the endpoint's AssumeRole applies (tools/emulator/trust.py), without a server."""

import json

import pytest

from tools.emulator.trust import trusts

CALLER = "arn:aws:sts::111111111111:assumed-role/Ops/session"
ROLE = "arn:aws:iam::111111111111:role/Ops"


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(principal, action="sts:AssumeRole", condition=None, effect="Allow"):
    statement = {"Effect": effect, "Principal": principal, "Action": action}
    if condition:
        statement["Condition"] = condition
    return statement


def caller_may(document, external_id=None):
    return trusts(document, "111111111111", {CALLER, ROLE}, external_id)


@pytest.mark.parametrize(
    "principal",
    [
        "*",
        {"AWS": "*"},
        {"AWS": "111111111111"},
        {"AWS": "arn:aws:iam::111111111111:root"},
        {"AWS": [ROLE, "arn:aws:iam::222222222222:root"]},
        {"AWS": CALLER},
    ],
)
def test_a_principal_naming_the_caller_or_its_account_trusts_it(principal):
    assert caller_may(policy(allow(principal)))


@pytest.mark.parametrize(
    "principal",
    [{"AWS": "arn:aws:iam::222222222222:root"}, {"Service": "ssm.amazonaws.com"}, {"AWS": []}],
)
def test_a_principal_naming_someone_else_does_not(principal):
    assert not caller_may(policy(allow(principal)))


@pytest.mark.parametrize("action", ["sts:AssumeRole", "sts:*", "*", ["sts:TagSession", "sts:assumerole"]])
def test_an_action_covering_assume_role_applies(action):
    assert caller_may(policy(allow("*", action)))


def test_an_action_for_something_else_does_not():
    assert not caller_may(policy(allow("*", "sts:AssumeRoleWithSAML")))


def test_an_explicit_deny_wins_over_an_allow():
    assert not caller_may(policy(allow("*"), allow({"AWS": ROLE}, effect="Deny")))


@pytest.mark.parametrize(
    ("condition", "sent", "trusted"),
    [
        ({"StringEquals": {"sts:ExternalId": "abc"}}, "abc", True),
        ({"StringEquals": {"sts:ExternalId": "abc"}}, "abd", False),
        ({"StringEquals": {"sts:ExternalId": "abc"}}, None, False),
        ({"StringEquals": {"sts:ExternalId": ["x", "abc"]}}, "abc", True),
        ({"StringLike": {"sts:ExternalId": "team-*"}}, "team-7", True),
        ({"StringNotEquals": {"sts:ExternalId": "abc"}}, None, True),
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, "abc", False),
    ],
)
def test_conditions_on_the_external_id(condition, sent, trusted):
    assert caller_may(policy(allow("*", condition=condition)), sent) is trusted


@pytest.mark.parametrize("document", ["{}", "not json", policy(), json.dumps({"Statement": "x"})])
def test_a_policy_without_an_allow_trusts_nobody(document):
    assert not caller_may(document)


def test_a_url_encoded_policy_is_read():
    assert caller_may(
        "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%22%2A%22%2C"
        "%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"
    )
