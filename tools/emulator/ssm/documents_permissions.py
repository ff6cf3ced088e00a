"""Sharing of SSM documents on the local endpoint: ModifyDocumentPermission and DescribeDocumentPermission.

A document record holds "Permissions": {account id or "all": shared version}. At most 20 ids to add and 20 to remove
per call are refused by the input check (botocore's AccountIdList has max 20), as AWS's model check refuses them.
"""

from .common import paginate
from .documents import find
from .documents_filters import AMAZON
from .errors import SSMError
from .registry import operation

# AWS: DocumentPermissionLimit — 1,000 accounts per document, five public documents
MAX_SHARED_ACCOUNTS = 1000
MAX_PUBLIC_DOCUMENTS = 5
# AWS: DescribeDocumentPermissionResponse.AccountIds — public sharing reads as "all"
PUBLIC = "all"
DEFAULT_PAGE = 20  # the AccountIdList shape's max


def _owned(state, name):
    """The record of a document this account owns; others (AWS's, missing ones) are InvalidDocument."""
    record = find(state, name)
    if record is None or record["Owner"] in (AMAZON, None) or record["Owner"] != state.account:
        raise SSMError("InvalidDocument", "No matching value was found for Name.")
    return record


def _key(account_id):
    return PUBLIC if account_id.lower() == PUBLIC else account_id


def permissions(record):
    return record.setdefault("Permissions", {})


def is_shared(record):
    return bool(record.get("Permissions"))


def _limit(message):
    return SSMError("DocumentPermissionLimit", message)


@operation("ModifyDocumentPermission")
def modify_document_permission(state, params):
    record = _owned(state, params["Name"])
    to_add = [_key(account) for account in params.get("AccountIdsToAdd") or []]
    to_remove = {_key(account) for account in params.get("AccountIdsToRemove") or []}
    if not to_add and not to_remove:
        # AWS: ModifyDocumentPermission.AccountIdsToAdd
        raise SSMError("ValidationException", "Either AccountIdsToAdd or AccountIdsToRemove must be specified.")
    # AWS: ModifyDocumentPermission.SharedDocumentVersion — $DEFAULT when not given
    version = params.get("SharedDocumentVersion") or "$DEFAULT"
    # An id both added and removed is removed: removal has the higher priority.
    after = {key: value for key, value in permissions(record).items() if key not in to_remove}
    after.update({account: version for account in to_add if account not in to_remove})
    # AWS: DocumentPermissionLimit
    if len([key for key in after if key != PUBLIC]) > MAX_SHARED_ACCOUNTS:
        raise _limit(f"The document {record['Name']} can be shared with at most {MAX_SHARED_ACCOUNTS} accounts.")
    if PUBLIC in after and PUBLIC not in permissions(record):
        public = sum(PUBLIC in (other.get("Permissions") or {}) for other in state.documents.values())
        if public >= MAX_PUBLIC_DOCUMENTS:
            raise _limit(f"You can share at most {MAX_PUBLIC_DOCUMENTS} documents publicly.")
    record["Permissions"] = after
    return {}


@operation("DescribeDocumentPermission")
def describe_document_permission(state, params):
    record = _owned(state, params["Name"])
    shared = sorted(permissions(record).items())
    page, token = paginate(shared, params, DEFAULT_PAGE)
    result = {
        "AccountIds": [account for account, _version in page],
        "AccountSharingInfoList": [
            {"AccountId": account, "SharedDocumentVersion": version} for account, version in page
        ],
    }
    if token:
        result["NextToken"] = token
    return result
