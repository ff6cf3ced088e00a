"""Document sharing and attachments on the local endpoint, as the API reference and botocore's model describe them."""

import uuid

import botocore.exceptions
import pytest
import yaml

HOOK = {
    "schemaVersion": "2.2",
    "description": "Shared hook",
    "mainSteps": [{"action": "aws:runShellScript", "name": "hook", "inputs": {"runCommand": ["true"]}}],
}


def accounts(count, start=100000000000):
    return [str(start + index) for index in range(count)]


def new_document(ssm, **extra):
    name = f"Shared-Hook-{uuid.uuid4().hex[:8]}"
    ssm.create_document(Name=name, Content=yaml.safe_dump(HOOK), DocumentFormat="YAML", **extra)
    return name


def shared(ssm, name):
    """{account: shared version}, every page read."""
    found, token = {}, None
    while True:
        page = ssm.describe_document_permission(
            Name=name, PermissionType="Share", MaxResults=7, **({"NextToken": token} if token else {})
        )
        found.update({item["AccountId"]: item["SharedDocumentVersion"] for item in page["AccountSharingInfoList"]})
        token = page.get("NextToken")
        if not token:
            return found


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_share_pages_and_remove(ssm):
    name = new_document(ssm)
    assert shared(ssm, name) == {}
    ids = accounts(20)
    ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToAdd=ids)
    ssm.modify_document_permission(
        Name=name, PermissionType="Share", AccountIdsToAdd=["999999999999"], SharedDocumentVersion="$LATEST"
    )
    expected = dict.fromkeys(ids, "$DEFAULT") | {"999999999999": "$LATEST"}
    assert shared(ssm, name) == expected

    ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToRemove=ids[:5])
    assert set(shared(ssm, name)) == set(ids[5:]) | {"999999999999"}


def test_an_id_both_added_and_removed_is_removed(ssm):
    name = new_document(ssm)
    ssm.modify_document_permission(
        Name=name, PermissionType="Share", AccountIdsToAdd=["111122223333"], AccountIdsToRemove=["111122223333"]
    )
    assert shared(ssm, name) == {}


def test_more_than_20_ids_in_one_call_fail_the_model_check(ssm):
    name = new_document(ssm)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToAdd=accounts(21))
    assert error_code(excinfo) == "ValidationException"
    assert "less than or equal to 20" in str(excinfo.value)
    assert shared(ssm, name) == {}


def test_more_than_1000_accounts_is_document_permission_limit(ssm):
    name = new_document(ssm)
    ids = accounts(1000)
    for start in range(0, 1000, 20):
        ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToAdd=ids[start : start + 20])
    with pytest.raises(ssm.exceptions.DocumentPermissionLimit):
        ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToAdd=["999999999999"])
    assert len(shared(ssm, name)) == 1000


def test_public_sharing_reads_as_all_and_at_most_five_documents(local_aws):
    # A Region of its own, so that other tests' public documents do not count.
    ssm = local_aws.client("ssm", region="me-central-1")
    names = [new_document(ssm) for _ in range(6)]
    for name in names[:5]:
        ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToAdd=["All"])
    assert shared(ssm, names[0]) == {"all": "$DEFAULT"}
    with pytest.raises(ssm.exceptions.DocumentPermissionLimit):
        ssm.modify_document_permission(Name=names[5], PermissionType="Share", AccountIdsToAdd=["All"])
    ssm.modify_document_permission(Name=names[0], PermissionType="Share", AccountIdsToRemove=["all"])
    assert shared(ssm, names[0]) == {}
    ssm.modify_document_permission(Name=names[5], PermissionType="Share", AccountIdsToAdd=["All"])


def test_a_shared_document_cannot_be_deleted_until_unshared(ssm):
    name = new_document(ssm)
    ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToAdd=["111122223333"])
    with pytest.raises(ssm.exceptions.InvalidDocumentOperation):
        ssm.delete_document(Name=name)
    ssm.modify_document_permission(Name=name, PermissionType="Share", AccountIdsToRemove=["111122223333"])
    ssm.delete_document(Name=name)


def test_aws_documents_missing_ones_and_empty_calls_are_refused(ssm):
    with pytest.raises(ssm.exceptions.InvalidDocument):
        ssm.describe_document_permission(Name="AWS-RunPatchBaseline", PermissionType="Share")
    with pytest.raises(ssm.exceptions.InvalidDocument):
        ssm.modify_document_permission(Name="No-Such-Document", PermissionType="Share", AccountIdsToAdd=["All"])
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        ssm.modify_document_permission(Name=new_document(ssm), PermissionType="Share")
    assert error_code(excinfo) == "ValidationException"


def test_attachments_are_kept_per_version(local_aws, ssm):
    s3 = local_aws.client("s3")
    bucket = f"attachments-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="hooks/check.sh", Body=b"#!/bin/sh\ntrue\n")
    name = new_document(ssm, Attachments=[{"Key": "S3FileUrl", "Values": [f"s3://{bucket}/hooks/check.sh"]}])
    described = ssm.describe_document(Name=name)
    assert described["Document"]["AttachmentsInformation"] == [{"Name": "check.sh"}]
    content = ssm.get_document(Name=name)
    (attachment,) = content["AttachmentsContent"]
    assert (attachment["Name"], attachment["Size"], attachment["HashType"]) == ("check.sh", 15, "Sha256")

    changed = dict(HOOK, description="v2")
    reference = {"Key": "AttachmentReference", "Values": [f"{name}/1/check.sh"], "Name": "reused.sh"}
    ssm.update_document(Name=name, Content=yaml.safe_dump(changed), DocumentFormat="YAML", Attachments=[reference])
    assert ssm.describe_document(Name=name, DocumentVersion="2")["Document"]["AttachmentsInformation"] == [
        {"Name": "reused.sh"}
    ]
    assert ssm.get_document(Name=name, DocumentVersion="2")["AttachmentsContent"][0]["Size"] == 15
    assert ssm.describe_document(Name=name, DocumentVersion="1")["Document"]["AttachmentsInformation"] == [
        {"Name": "check.sh"}
    ]
    changed = dict(HOOK, description="v3")
    bad = {"Key": "AttachmentReference", "Values": [f"{name}/1/missing.sh"]}
    with pytest.raises(ssm.exceptions.InvalidDocumentContent):
        ssm.update_document(Name=name, Content=yaml.safe_dump(changed), DocumentFormat="YAML", Attachments=[bad])
