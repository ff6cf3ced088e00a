"""ssm_document's permissions against the local endpoint: sharing in calls of 20, only the difference, purge, public
sharing, check and diff mode, bad input refused before any call, unsharing before a delete; ssm_document_info and
ssm_documents return them."""

import uuid

from tests.helpers.ansible_run import run_module

HOOK = {
    "schemaVersion": "2.2",
    "description": "Shared pre-patch hook",
    "mainSteps": [{"action": "aws:runShellScript", "name": "hook", "inputs": {"runCommand": ["true"]}}],
}


def unique(prefix="Shared-Hook"):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def accounts(count, start=210000000000):
    return [str(start + index) for index in range(count)]


def calls(local_aws, mark, operation):
    return [entry for entry in local_aws.requests(mark) if entry["operation"] == operation]


def shared(ssm, name):
    listed = ssm.describe_document_permission(Name=name, PermissionType="Share", MaxResults=200)
    return {item["AccountId"]: item["SharedDocumentVersion"] for item in listed["AccountSharingInfoList"]}


def document(name, ids, **extra):
    return dict({"name": name, "content": HOOK, "permissions": {"account_ids": ids}}, **extra)


def test_share_in_calls_of_20_rerun_purge_and_check_and_diff(local_aws, ssm):
    name, ids = unique(), accounts(45)

    mark = local_aws.mark()
    checked = run_module(local_aws, "ssm_document", document(name, ids), check=True, diff=True)
    assert checked["changed"] and local_aws.mutating(mark) == []
    assert checked["diff"]["after"]["permissions"]["account_ids"] == sorted(ids)

    mark = local_aws.mark()
    created = run_module(local_aws, "ssm_document", document(name, ids))
    assert created["changed"]
    modifies = calls(local_aws, mark, "ModifyDocumentPermission")
    assert [len(entry["parameters"]["AccountIdsToAdd"]) for entry in modifies] == [20, 20, 5]
    assert created["document"]["permissions"]["account_ids"] == sorted(ids)
    assert created["document"]["permissions"]["shared_document_version"] == "$DEFAULT"
    assert shared(ssm, name) == dict.fromkeys(ids, "$DEFAULT")

    mark = local_aws.mark()
    again = run_module(local_aws, "ssm_document", document(name, list(reversed(ids))))
    assert not again["changed"] and local_aws.mutating(mark) == []

    # One account fewer and one more: one removal, one addition, nothing else.
    fewer = ids[1:] + ["299999999999"]
    mark = local_aws.mark()
    checked = run_module(local_aws, "ssm_document", document(name, fewer), check=True, diff=True)
    assert checked["changed"] and local_aws.mutating(mark) == []
    assert ids[0] in checked["diff"]["before"]["permissions"]["account_ids"]
    assert ids[0] not in checked["diff"]["after"]["permissions"]["account_ids"]
    assert "299999999999" in checked["diff"]["after"]["permissions"]["account_ids"]
    updated = run_module(local_aws, "ssm_document", document(name, fewer))
    assert updated["changed"] and updated["document"]["document_version"] == "1"
    params = [entry["parameters"] for entry in calls(local_aws, mark, "ModifyDocumentPermission")]
    assert params == [
        {"Name": name, "PermissionType": "Share", "AccountIdsToRemove": [ids[0]]},
        {
            "Name": name,
            "PermissionType": "Share",
            "AccountIdsToAdd": ["299999999999"],
            "SharedDocumentVersion": "$DEFAULT",
        },
    ]
    assert set(shared(ssm, name)) == set(fewer)

    # Without purge, an account left out keeps its access.
    mark = local_aws.mark()
    kept = run_module(local_aws, "ssm_document", document(name, fewer[:3], purge_permissions=False))
    assert not kept["changed"] and local_aws.mutating(mark) == []


def test_a_new_shared_version_re_shares_and_public_sharing(local_aws, ssm):
    name = unique()
    run_module(local_aws, "ssm_document", document(name, ["311122223333"]))

    mark = local_aws.mark()
    latest = {"account_ids": ["311122223333"], "shared_document_version": "$LATEST"}
    changed = run_module(local_aws, "ssm_document", {"name": name, "content": HOOK, "permissions": latest})
    assert changed["changed"] and changed["document"]["permissions"]["shared_document_version"] == "$LATEST"
    assert [entry["operation"] for entry in local_aws.mutating(mark)] == ["ModifyDocumentPermission"]
    assert shared(ssm, name) == {"311122223333": "$LATEST"}

    # Public: "All" replaces the account; AWS reads it back as "all", which is no change on a rerun.
    public = run_module(local_aws, "ssm_document", document(name, ["All"]))
    assert public["changed"] and public["document"]["permissions"]["account_ids"] == ["All"]
    assert shared(ssm, name) == {"all": "$DEFAULT"}
    mark = local_aws.mark()
    again = run_module(local_aws, "ssm_document", document(name, ["all"]))
    assert not again["changed"] and local_aws.mutating(mark) == []

    # An empty list stops sharing.
    private = run_module(local_aws, "ssm_document", document(name, []))
    assert private["changed"] and private["document"]["permissions"]["account_ids"] == []
    assert shared(ssm, name) == {}


def test_bad_permissions_fail_before_any_call(local_aws):
    cases = [
        (accounts(1001), "at most 1000"),
        (["12345", "abcdefghijkl", "311122223333"], "'12345', 'abcdefghijkl': an account id has 12 digits"),
        (["All", "311122223333"], "cannot be listed with account ids"),
    ]
    for ids, message in cases:
        mark = local_aws.mark()
        failed = run_module(local_aws, "ssm_document", document(unique(), ids))
        assert failed.get("failed") and message in failed["msg"], failed["msg"]
        assert local_aws.requests(mark) == []
    mark = local_aws.mark()
    version = {"account_ids": ["311122223333"], "shared_document_version": "3"}
    failed = run_module(local_aws, "ssm_document", {"name": unique(), "content": HOOK, "permissions": version})
    assert failed.get("failed") and "shared_document_version" in failed["msg"]
    assert local_aws.requests(mark) == []


def test_a_shared_document_is_unshared_then_deleted(local_aws, ssm):
    name = unique()
    run_module(local_aws, "ssm_document", document(name, accounts(25)))
    mark = local_aws.mark()
    deleted = run_module(local_aws, "ssm_document", {"name": name, "state": "absent"})
    assert deleted["changed"]
    operations = [entry["operation"] for entry in local_aws.mutating(mark)]
    assert operations == ["DeleteDocument", "ModifyDocumentPermission", "ModifyDocumentPermission", "DeleteDocument"]
    assert not ssm.list_documents(Filters=[{"Key": "Name", "Values": [name]}])["DocumentIdentifiers"]


def test_info_and_the_section_module_return_permissions_and_arns(local_aws):
    name = unique()
    section = run_module(
        local_aws,
        "ssm_documents",
        {"documents": [document(name, ["411122223333"])]},
    )
    (entry,) = section["resources"]
    assert entry["changed"] and entry["document"]["permissions"]["account_ids"] == ["411122223333"]
    assert entry["document"]["arn"].endswith(f":document/{name}") and entry["document"]["arn"].startswith("arn:aws:")

    info = run_module(local_aws, "ssm_document_info", {"name": name})
    (found,) = info["documents"]
    assert found["permissions"]["accounts"] == [{"account_id": "411122223333", "shared_document_version": "$DEFAULT"}]
    assert found["arn"] == entry["document"]["arn"]
    aws_owned = run_module(local_aws, "ssm_document_info", {"name": "AWS-RunPatchBaseline", "include_content": False})
    (owned,) = aws_owned["documents"]
    assert "permissions" not in owned and owned["arn"] == "arn:aws:ssm:us-east-1::document/AWS-RunPatchBaseline"
