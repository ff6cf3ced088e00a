"""Helpers shared by the SSM handlers: ids, clocks, pagination, ClientToken idempotency, ARNs."""

import base64
import datetime
import hashlib
import json
import secrets

from moto.core import DEFAULT_ACCOUNT_ID  # noqa: F401  (re-exported: the account of keys moto does not know)

from .errors import SSMError


def now():
    return datetime.datetime.now(datetime.UTC)


def new_id(prefix, length=17):
    """An id like AWS's: prefix-<hex> (pb-, mw-, ...); 17 hex digits for baselines and windows."""
    return f"{prefix}-{secrets.token_hex(16)[:length]}"


def new_uuid():
    raw = secrets.token_hex(16)
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def partition(region):
    """The partition of a Region: aws-cn for the China Regions, aws-us-gov for GovCloud (US), aws elsewhere."""
    from moto.utilities.utils import get_partition

    return get_partition(region)  # AWS: guide:arn-partitions


def arn(state, resource):
    """The ARN of an SSM resource of this (account, region), e.g. arn(state, "maintenancewindow/mw-...")."""
    # AWS: guide:ssm-resource-arns
    return f"arn:{partition(state.region)}:ssm:{state.region}:{state.account}:{resource}"


def paginate(items, params, default_max, max_key="MaxResults", token_key="NextToken"):
    """Return (page, next_token) for a list, honouring MaxResults and an opaque NextToken."""
    start = 0
    token = params.get(token_key)
    if token:
        try:
            start = int(json.loads(base64.b64decode(token))["offset"])
        except (ValueError, KeyError, TypeError):
            raise SSMError("InvalidNextToken", "The specified token isn't valid.") from None
    size = params.get(max_key) or default_max
    page = items[start : start + size]
    end = start + size
    next_token = base64.b64encode(json.dumps({"offset": end}).encode()).decode() if end < len(items) else None
    return page, next_token


def page_result(result, list_key, items, params, default_max, **paging):
    page, next_token = paginate(items, params, default_max, **paging)
    result[list_key] = page
    if next_token:
        result[paging.get("token_key", "NextToken")] = next_token
    return result


def fingerprint(params):
    clean = {key: value for key, value in params.items() if key != "ClientToken"}
    return hashlib.sha256(json.dumps(clean, sort_keys=True, default=str).encode()).hexdigest()


def idempotent(state, operation, params, create):
    """Run create() once per ClientToken: a retry with the same parameters gets the first answer,
    the same token with other parameters an IdempotentParameterMismatch, as AWS does."""
    token = params.get("ClientToken")
    if not token:
        return create()
    key = (operation, token)
    seen = state.client_tokens.get(key)
    if seen is not None:
        if seen[0] != fingerprint(params):
            raise SSMError(
                "IdempotentParameterMismatch",
                "Error occurred during operation '" + operation + "'. "
                "Idempotent parameter mismatch: the ClientToken was used with different parameters.",
            )
        return seen[1]
    result = create()
    state.client_tokens[key] = (fingerprint(params), result)
    return result


def matches_filters(item, filters, getters):
    """AND of filters, OR of each filter's values; getters maps a filter key to a value function."""
    for flt in filters or []:
        key = flt.get("Key")
        getter = getters.get(key)
        if getter is None:
            raise SSMError("ValidationException", f"Filter key {key} is not valid.")
        actual = getter(item)
        values = flt.get("Values") or []
        actual_values = actual if isinstance(actual, (list, set, tuple)) else [actual]
        if not any(str(value) == str(candidate) for value in values for candidate in actual_values):
            return False
    return True
