# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading SSM: full pagination with retries, and 'missing' answered as None rather than an error."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

MISSING_CODES = ("DoesNotExistException", "InvalidDocument", "InvalidResourceId")


def paginate(client, method, result_key, **params):
    """Every item of a paginated SSM Describe/List call; each page is retried on its own."""
    call = getattr(client, method)
    items = []
    while True:
        response = call(aws_retry=True, **params)
        items.extend(response.get(result_key) or [])
        token = response.get("NextToken")
        if not token:
            return items
        params["NextToken"] = token


def get_or_none(client, method, **params):
    """The response of a Get/Describe call, or None when AWS says the resource does not exist."""
    try:
        return getattr(client, method)(aws_retry=True, **params)
    except is_boto3_error_code(MISSING_CODES):
        return None


def exactly_one(module, matches, kind, name, id_key):
    """The single resource called `name`, or None; AWS does not keep names unique, so several fail."""
    if len(matches) > 1:
        ids = sorted(match[id_key] for match in matches)
        module.fail_json(
            msg=f"{len(matches)} {kind}s are named '{name}': {', '.join(ids)}. "
            f"Name one by its id instead; the module never picks one.",
            matching_ids=ids,
        )
    return matches[0] if matches else None


def write_once(call, done_codes, confirm=None, **params):
    """Make a write whose answer may have been lost after AWS carried it out, so that a retry of it errs.

    The retry of a deregister or register that had already taken effect answers 'does not exist' or 'already
    exists' (`done_codes`). Such an answer counts as success when `confirm()` (a fresh read) says the state the
    write was for is in place; without `confirm` the code alone says so (a delete of what is gone). Any other
    answer, or a failed confirmation, is raised as it came.
    """
    try:
        return call(aws_retry=True, **params)
    except is_boto3_error_code(done_codes):
        if confirm is None or confirm():
            return None
        raise
