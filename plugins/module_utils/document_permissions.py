# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sharing of SSM documents (ModifyDocumentPermission, PermissionType Share): the option's checks, the read, the
difference and the writes, 20 account ids per call."""

from __future__ import annotations

import re

from ansible_collections.patchmodel.ssm.plugins.module_utils.problems import problem
from ansible_collections.patchmodel.ssm.plugins.module_utils.ssm_api import paginate

# AWS: DocumentPermissionLimit — 20 account ids per call, 1,000 accounts per document
PER_CALL = 20
MAX_ACCOUNTS = 1000
PUBLIC = "All"  # sharing with every account: the document is public
SHARED_VERSIONS = ("$DEFAULT", "$LATEST", "$ALL")
# AWS: ModifyDocumentPermission.SharedDocumentVersion — $DEFAULT when not sent; the module always sends it
DEFAULT_SHARED_VERSION = "$DEFAULT"
ACCOUNT_ID = re.compile(r"^[0-9]{12}$")


def permissions_spec():
    """The options of ssm_document (and of each ssm_documents item) that share the document."""
    return dict(
        permissions=dict(
            type="dict",
            options=dict(
                account_ids=dict(type="list", elements="str", required=True),
                shared_document_version=dict(type="str", choices=list(SHARED_VERSIONS), default=DEFAULT_SHARED_VERSION),
            ),
        ),
        purge_permissions=dict(type="bool", default=True),
    )


def normalised(account_id):
    """An account id as compared: 'All' in any case (AWS reads public sharing back as 'all') is 'All'."""
    # AWS: DescribeDocumentPermissionResponse.AccountIds
    return PUBLIC if account_id.lower() == PUBLIC.lower() else account_id


def permission_problems(permissions):
    """Why AWS would refuse the `permissions` option (empty when it would not); checked before any call."""
    if permissions is None:
        return []
    ids = [normalised(account_id) for account_id in permissions["account_ids"]]
    found = []
    bad = [account_id for account_id in ids if account_id != PUBLIC and not ACCOUNT_ID.match(account_id)]
    if bad:
        message = f"{', '.join(repr(i) for i in bad)}: an account id has 12 digits, or is '{PUBLIC}' (public)"
        found.append(problem("permissions.account_ids", message))
    if PUBLIC in ids and len(set(ids)) > 1:
        message = (
            f"'{PUBLIC}' shares the document with every account (public) and cannot be listed with account ids; give "
            f"either '{PUBLIC}' alone or the account ids"
        )
        found.append(problem("permissions.account_ids", message))
    if len(set(ids)) > MAX_ACCOUNTS:
        message = f"lists {len(set(ids))} accounts; AWS shares a document with at most {MAX_ACCOUNTS}"
        found.append(problem("permissions.account_ids", message))
    return found


def read_permissions(client, name):
    """{account id ('All' for public): shared version} of a document this account owns, every page."""
    method, key = "describe_document_permission", "AccountSharingInfoList"
    listed = paginate(client, method, key, Name=name, PermissionType="Share")
    return {normalised(item["AccountId"]): item.get("SharedDocumentVersion") for item in listed}


def permissions_view(shared):
    """The permissions as modules return them, in the shape of the option (plus each account's version)."""
    versions = set(shared.values())
    view = {
        "account_ids": sorted(shared),
        "accounts": [{"account_id": account, "shared_document_version": shared[account]} for account in sorted(shared)],
    }
    if len(versions) == 1:
        view["shared_document_version"] = versions.pop()
    return view


def permission_changes(current, permissions, purge):
    """(ids to add, ids to remove): the difference between what is shared and the option. An account shared at
    another version is added again with the option's version."""
    version = permissions["shared_document_version"]
    wanted = {normalised(account_id) for account_id in permissions["account_ids"]}
    to_add = sorted(account for account in wanted if current.get(account) != version)
    to_remove = sorted(account for account in current if account not in wanted) if purge else []
    return to_add, to_remove


def after_changes(current, permissions, to_add, to_remove):
    """What is shared once the changes are made."""
    shared = {account: version for account, version in current.items() if account not in to_remove}
    shared.update(dict.fromkeys(to_add, permissions["shared_document_version"]))
    return shared


def chunks(ids):
    return [ids[start : start + PER_CALL] for start in range(0, len(ids), PER_CALL)]


def write_changes(client, name, to_add, to_remove, version):
    """Removals first (they free room under the limit), then additions, 20 ids a call; an empty list makes no call.
    # AWS: ModifyDocumentPermission.AccountIdsToAdd (a call names some ids), DocumentPermissionLimit (20 a call)"""
    for part in chunks(to_remove):
        client.modify_document_permission(aws_retry=True, Name=name, PermissionType="Share", AccountIdsToRemove=part)
    for part in chunks(to_add):
        client.modify_document_permission(
            aws_retry=True, Name=name, PermissionType="Share", AccountIdsToAdd=part, SharedDocumentVersion=version
        )


def unshare(client, name):
    """Stop sharing a document (AWS deletes no shared document); whether it was shared."""
    # AWS: InvalidDocumentOperation
    shared = read_permissions(client, name)
    write_changes(client, name, [], sorted(shared), None)
    return bool(shared)
