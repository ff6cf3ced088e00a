"""ssm_document's attachments against the local endpoint: sent on create and on each new version, compared by name,
checked before any call, and read back by ssm_document_info."""

import uuid

import pytest

from tests.helpers.ansible_run import run_module


def hook(description):
    return {
        "schemaVersion": "2.2",
        "description": description,
        "mainSteps": [{"action": "aws:runShellScript", "name": "hook", "inputs": {"runCommand": ["sh check.sh"]}}],
    }


@pytest.fixture
def bucket(local_aws):
    name = f"hook-files-{uuid.uuid4().hex[:8]}"
    s3 = local_aws.client("s3")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="hooks/check.sh", Body=b"#!/bin/sh\nsystemctl status httpd\n")
    return name


def sent(local_aws, mark, operation):
    return [entry["parameters"] for entry in local_aws.requests(mark) if entry["operation"] == operation]


def test_attachments_on_create_and_on_a_new_version(local_aws, bucket):
    name = f"Attached-Hook-{uuid.uuid4().hex[:8]}"
    file_url = {"key": "S3FileUrl", "values": [f"s3://{bucket}/hooks/check.sh"], "name": "check.sh"}
    args = {"name": name, "content": hook("v1"), "attachments": [file_url]}

    mark = local_aws.mark()
    checked = run_module(local_aws, "ssm_document", args, check=True, diff=True)
    assert checked["changed"] and local_aws.mutating(mark) == []
    assert checked["diff"]["after"]["attachments_information"] == [{"name": "check.sh"}]

    mark = local_aws.mark()
    created = run_module(local_aws, "ssm_document", args)
    assert created["changed"] and created["document"]["attachments_information"] == [{"name": "check.sh"}]
    (request,) = sent(local_aws, mark, "CreateDocument")
    assert request["Attachments"] == [
        {"Key": "S3FileUrl", "Values": [f"s3://{bucket}/hooks/check.sh"], "Name": "check.sh"}
    ]

    mark = local_aws.mark()
    again = run_module(local_aws, "ssm_document", args)
    assert not again["changed"] and local_aws.mutating(mark) == []

    # New content with an attachment reused from version 1: a new version that has it, under its new name.
    reference = {"key": "AttachmentReference", "values": [f"{name}/1/check.sh"], "name": "check-v2.sh"}
    changed_args = dict(args, content=hook("v2"), attachments=[reference])
    mark = local_aws.mark()
    checked = run_module(local_aws, "ssm_document", changed_args, check=True, diff=True)
    assert checked["changed"] and local_aws.mutating(mark) == []
    assert checked["diff"]["before"]["attachments_information"] == [{"name": "check.sh"}]
    assert checked["diff"]["after"]["attachments_information"] == [{"name": "check-v2.sh"}]
    updated = run_module(local_aws, "ssm_document", changed_args)
    assert updated["changed"] and updated["document"]["document_version"] == "2"
    assert updated["document"]["attachments_information"] == [{"name": "check-v2.sh"}]
    (request,) = sent(local_aws, mark, "UpdateDocument")
    assert request["Attachments"] == [
        {"Key": "AttachmentReference", "Values": [f"{name}/1/check.sh"], "Name": "check-v2.sh"}
    ]

    info = run_module(local_aws, "ssm_document_info", {"name": name})
    (document,) = info["documents"]
    assert document["attachments_information"] == [{"name": "check-v2.sh"}]
    (content,) = document["attachments_content"]
    assert (content["name"], content["size"], content["hash_type"]) == ("check-v2.sh", 33, "Sha256")
    first = run_module(local_aws, "ssm_document_info", {"name": name, "document_version": "1"})["documents"][0]
    assert first["attachments_information"] == [{"name": "check.sh"}]


def test_other_attachments_need_new_content(local_aws, bucket):
    name = f"Attached-Hook-{uuid.uuid4().hex[:8]}"
    file_url = {"key": "S3FileUrl", "values": [f"s3://{bucket}/hooks/check.sh"], "name": "check.sh"}
    run_module(local_aws, "ssm_document", {"name": name, "content": hook("v1"), "attachments": [file_url]})

    mark = local_aws.mark()
    renamed = dict(file_url, name="renamed.sh")
    failed = run_module(local_aws, "ssm_document", {"name": name, "content": hook("v1"), "attachments": [renamed]})
    assert failed.get("failed") and "change content together with attachments" in failed["msg"]
    assert local_aws.mutating(mark) == []


def test_bad_attachments_fail_before_any_call(local_aws):
    cases = [
        ({"key": "AttachmentReference", "values": ["OtherDocument/latest/file.py"]}, "<version number>"),
        ({"key": "S3FileUrl", "values": ["https://example.com/file.py"]}, "must be an S3 URL"),
        ({"key": "S3FileUrl", "values": ["s3://b/one.py", "s3://b/two.py"]}, "attachments[0].values"),
        ({"key": "Link", "values": ["s3://b/one.py"]}, "key"),
    ]
    for attachment, message in cases:
        mark = local_aws.mark()
        args = {"name": f"Attached-Hook-{uuid.uuid4().hex[:8]}", "content": hook("v1"), "attachments": [attachment]}
        failed = run_module(local_aws, "ssm_document", args)
        assert failed.get("failed") and message in failed["msg"], failed["msg"]
        assert local_aws.requests(mark) == []
