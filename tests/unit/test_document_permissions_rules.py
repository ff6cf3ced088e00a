"""The sharing rules of ssm_document: the option's checks, the difference with what is shared, and calls of 20."""

from unittest.mock import MagicMock

from ansible_collections.patchmodel.ssm.plugins.module_utils.document_permissions import (
    after_changes,
    permission_changes,
    permission_problems,
    permissions_view,
    write_changes,
)


def option(ids, version="$DEFAULT"):
    return {"account_ids": ids, "shared_document_version": version}


def messages(permissions):
    return [str(found) for found in permission_problems(permissions)]


def test_good_permissions_have_no_problems():
    assert messages(None) == []
    assert messages(option(["111122223333", "444455556666"])) == []
    assert messages(option(["All"])) == messages(option(["all"])) == []
    assert messages(option([])) == []


def test_bad_permissions_say_what_is_wrong():
    (bad_id,) = messages(option(["1111", "111122223333"]))
    assert bad_id.startswith("permissions.account_ids: '1111': an account id has 12 digits")
    (mixed,) = messages(option(["ALL", "111122223333"]))
    assert "cannot be listed with account ids" in mixed
    (too_many,) = messages(option([str(100000000000 + index) for index in range(1001)]))
    assert "lists 1001 accounts; AWS shares a document with at most 1000" in too_many
    # 1,000 is AWS's limit, not beyond it; repeats count once.
    assert messages(option([str(100000000000 + index) for index in range(1000)] * 2)) == []


def test_only_the_difference_is_changed():
    current = {"111122223333": "$DEFAULT", "444455556666": "$LATEST", "777788889999": "$DEFAULT"}
    wanted = option(["111122223333", "444455556666", "000011112222"])
    assert permission_changes(current, wanted, purge=True) == (["000011112222", "444455556666"], ["777788889999"])
    assert permission_changes(current, wanted, purge=False) == (["000011112222", "444455556666"], [])
    to_add, to_remove = permission_changes(current, wanted, purge=True)
    assert after_changes(current, wanted, to_add, to_remove) == dict.fromkeys(
        ["111122223333", "444455556666", "000011112222"], "$DEFAULT"
    )


def test_public_sharing_read_as_all_is_no_change():
    assert permission_changes({"All": "$DEFAULT"}, option(["all"]), purge=True) == ([], [])


def test_writes_go_20_ids_a_call_removals_first():
    client = MagicMock()
    to_add = [str(100000000000 + index) for index in range(41)]
    write_changes(client, "Doc", to_add, ["999999999999"], "$LATEST")
    calls = client.modify_document_permission.call_args_list
    assert [call.kwargs.get("AccountIdsToRemove") for call in calls[:1]] == [["999999999999"]]
    assert [len(call.kwargs["AccountIdsToAdd"]) for call in calls[1:]] == [20, 20, 1]
    assert {call.kwargs["SharedDocumentVersion"] for call in calls[1:]} == {"$LATEST"}
    client.reset_mock()
    write_changes(client, "Doc", [], [], "$DEFAULT")
    assert client.modify_document_permission.call_count == 0


def test_the_view_has_the_options_shape():
    view = permissions_view({"444455556666": "$DEFAULT", "111122223333": "$DEFAULT"})
    assert view["account_ids"] == ["111122223333", "444455556666"] and view["shared_document_version"] == "$DEFAULT"
    mixed = permissions_view({"444455556666": "$DEFAULT", "111122223333": "$LATEST"})
    assert "shared_document_version" not in mixed
    assert mixed["accounts"][0] == {"account_id": "111122223333", "shared_document_version": "$LATEST"}
