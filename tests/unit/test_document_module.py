"""ssm_document's own logic: input checks, comparison of versions, and AWS's duplicate-content answer."""

import types
from unittest.mock import MagicMock

import boto3
import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils.api_validation import RequestChecker
from ansible_collections.patchmodel.ssm.plugins.module_utils.document import (
    Document,
    differences,
    requires_match,
)
from botocore.stub import Stubber

PRE_PATCH_YAML = """---
schemaVersion: '2.2'
description: Pre-patch Web Server Document
parameters: {}
mainSteps:
- action: aws:runShellScript
  name: configureServer
  inputs:
    runCommand:
    - sudo systemctl status httpd
"""


def params(**overrides):
    values = {
        "name": "Pre-patch-WebServer-Document",
        "state": "present",
        "content": PRE_PATCH_YAML,
        "document_format": "YAML",
        "document_type": "Command",
        "target_type": None,
        "version_name": None,
        "display_name": None,
        "requires": None,
        "set_default_version": True,
        "tags": None,
        "purge_tags": True,
        "attachments": None,
        "permissions": None,
        "purge_permissions": True,
    }
    values.update(overrides)
    return values


def input_problems(values):
    return Document(types.SimpleNamespace(params=values, check_mode=False), None, RequestChecker()).option_problems()


def test_the_seed_document_has_no_problems():
    assert input_problems(params(tags={"Patch Group": "WebServer-Prd"})) == []


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"name": "ab"}, "name: 'ab' does not match the pattern"),
        ({"name": "AWS-Hooks"}, "name: 'AWS-Hooks' starts with a prefix AWS reserves"),
        ({"target_type": "AWS::EC2::Instance"}, "target_type: 'AWS::EC2::Instance' does not match the pattern"),
        ({"version_name": "release 1"}, "version_name: 'release 1' does not match the pattern"),
        ({"display_name": "Pre-patch!"}, "display_name: 'Pre-patch!' does not match the pattern"),
        ({"requires": [{"name": "x", "version": "latest"}]}, "requires[0].version: 'latest' does not match"),
        ({"state": "absent", "name": "bad name"}, "name: 'bad name' does not match the pattern"),
    ],
)
def test_input_problems_name_the_option(overrides, expected):
    problems = input_problems(params(**overrides))
    assert any(expected in problem for problem in problems), problems


def test_absent_ignores_content():
    assert input_problems(params(state="absent", content=None)) == []


def test_requires_match_on_the_fields_given_in_any_order():
    current = [
        {"Name": "schema-a", "Version": "1", "RequireType": "ApplicationConfigurationSchema"},
        {"Name": "schema-b", "Version": "2"},
    ]
    assert requires_match([{"name": "schema-b"}, {"name": "schema-a", "version": "1"}], current)
    assert not requires_match([{"name": "schema-a", "version": "2"}, {"name": "schema-b"}], current)
    assert not requires_match([{"name": "schema-a"}], current)
    assert requires_match([], None)


def desired(**overrides):
    values = {
        "document_format": "YAML",
        "parsed": {"schemaVersion": "2.2"},
        "display_name": None,
        "version_name": None,
        "target_type": None,
        "attachments": None,
    }
    values.update(overrides)
    return values


def test_a_version_matches_when_content_means_the_same_and_the_given_fields_agree():
    description = {"DocumentFormat": "YAML", "DisplayName": "Hooks", "VersionName": "v1"}
    text = 'schemaVersion: "2.2"\n'
    assert not differences(description, text, desired())
    assert not differences(description, text, desired(display_name="Hooks", version_name="v1"))
    assert differences(description, text, desired(display_name="Other"))
    assert differences(description, text, desired(target_type="/"))
    assert differences(description, text, desired(document_format="JSON"))
    assert differences(description, "schemaVersion: '2.0'\n", desired())


def test_attachments_differ_by_the_names_aws_reports_when_every_name_is_given():
    described = {"DocumentFormat": "YAML", "AttachmentsInformation": [{"Name": "b.sh"}, {"Name": "a.sh"}]}
    text = 'schemaVersion: "2.2"\n'
    named = [
        {"key": "S3FileUrl", "values": ["s3://x/a.sh"], "name": "a.sh"},
        {"key": "S3FileUrl", "values": ["s3://x/b.sh"], "name": "b.sh"},
    ]
    assert differences(described, text, desired(attachments=named)) == []
    assert differences(described, text, desired(attachments=named[:1])) == ["attachments"]
    assert differences({"DocumentFormat": "YAML"}, text, desired(attachments=named)) == ["attachments"]
    # AWS names an attachment given without a name: nothing to compare.
    unnamed = [{"key": "SourceUrl", "values": ["s3://x/hooks"], "name": None}]
    assert differences(described, text, desired(attachments=unnamed)) == []


def manager_with_stub(set_default_version=True):
    client = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    module = MagicMock()
    module.check_mode = False
    module.params = params(set_default_version=set_default_version)
    module.fail_json.side_effect = SystemExit

    def call(method):
        original = getattr(client, method)
        return lambda aws_retry=False, **kwargs: original(**kwargs)

    retrying = MagicMock()
    methods = (
        "list_document_versions",
        "get_document",
        "describe_document",
        "update_document",
        "update_document_default_version",
    )
    for method in methods:
        setattr(retrying, method, call(method))
    return Document(module, retrying, None), Stubber(client), module


def test_content_aws_already_holds_in_an_older_version_becomes_the_default():
    manager, stubber, module = manager_with_stub()
    name = "Pre-patch-WebServer-Document"
    stubber.add_response(
        "list_document_versions",
        {"DocumentVersions": [{"DocumentVersion": "1"}, {"DocumentVersion": "2"}, {"DocumentVersion": "3"}]},
        {"Name": name},
    )
    # Newest first: version 3 holds other content, version 2 the desired one.
    stubber.add_response("get_document", {"Content": "schemaVersion: '2.0'\n", "DocumentFormat": "YAML"})
    stubber.add_response("describe_document", {"Document": {"Name": name, "DocumentVersion": "3"}})
    stubber.add_response("get_document", {"Content": PRE_PATCH_YAML, "DocumentFormat": "YAML"})
    stubber.add_response(
        "describe_document", {"Document": {"Name": name, "DocumentVersion": "2", "DocumentFormat": "YAML"}}
    )
    stubber.add_response(
        "update_document_default_version",
        {"Description": {"Name": name, "DefaultVersion": "2"}},
        {"Name": name, "DocumentVersion": "2"},
    )
    with stubber:
        wanted = manager.desired(None)
        changed, view = manager.existing_version_view(wanted, {"DocumentVersion": "3", "DefaultVersion": "3"}, {})
    stubber.assert_no_pending_responses()
    assert changed and view["document_version"] == "2" and view["default_version"] == "2"
    module.fail_json.assert_not_called()


def test_duplicate_content_without_set_default_changes_nothing():
    manager, stubber, module = manager_with_stub(set_default_version=False)
    name = "Pre-patch-WebServer-Document"
    stubber.add_response("list_document_versions", {"DocumentVersions": [{"DocumentVersion": "1"}]}, {"Name": name})
    stubber.add_response("get_document", {"Content": PRE_PATCH_YAML, "DocumentFormat": "YAML"})
    stubber.add_response(
        "describe_document", {"Document": {"Name": name, "DocumentVersion": "1", "DocumentFormat": "YAML"}}
    )
    with stubber:
        changed, view = manager.existing_version_view(
            manager.desired(None), {"DocumentVersion": "2", "DefaultVersion": "2"}, {}
        )
    stubber.assert_no_pending_responses()  # no UpdateDocumentDefaultVersion was stubbed or made
    assert not changed and view["document_version"] == "1"
    module.fail_json.assert_not_called()


def test_update_answered_with_duplicate_content_falls_back_to_the_version_holding_it():
    manager, stubber, module = manager_with_stub()
    name = "Pre-patch-WebServer-Document"
    stubber.add_client_error("update_document", "DuplicateDocumentContent", "The content matches another document.")
    stubber.add_response("list_document_versions", {"DocumentVersions": [{"DocumentVersion": "1"}]}, {"Name": name})
    stubber.add_response("get_document", {"Content": PRE_PATCH_YAML, "DocumentFormat": "YAML"})
    stubber.add_response(
        "describe_document", {"Document": {"Name": name, "DocumentVersion": "1", "DocumentFormat": "YAML"}}
    )
    stubber.add_response(
        "update_document_default_version",
        {"Description": {"Name": name, "DefaultVersion": "1"}},
        {"Name": name, "DocumentVersion": "1"},
    )
    latest = {"Name": name, "DocumentVersion": "2", "DefaultVersion": "2", "DocumentFormat": "YAML"}
    with stubber:
        changed, view = manager.new_version(manager.desired(None), latest, {})
    stubber.assert_no_pending_responses()
    assert changed and view["default_version"] == "1" and view["document_version"] == "1"
    module.fail_json.assert_not_called()
