"""SSM documents on the local endpoint: create, read, versions, default switching, list and delete."""

import hashlib
import json
import uuid

import botocore.exceptions
import pytest
import yaml

from tests.helpers.output_shapes import output_problems

HOOK = {
    "schemaVersion": "2.2",
    "description": "Pre-patch Web Server Document",
    "parameters": {
        "service": {"type": "String", "description": "The service to check", "default": "httpd"},
        "extra": {"type": "StringList", "default": ["a", "b"]},
    },
    "mainSteps": [
        {
            "action": "aws:runShellScript",
            "name": "configureServer",
            "inputs": {"runCommand": ["sudo systemctl status {{ service }}", "echo {{ extra }}"]},
        }
    ],
}
WINDOWS_HOOK = {
    "schemaVersion": "2.2",
    "description": "Windows hook",
    "mainSteps": [{"action": "aws:runPowerShellScript", "name": "check", "inputs": {"runCommand": ["Get-Service"]}}],
}
LEGACY = {
    "schemaVersion": "1.2",
    "description": "Check ip configuration of a Linux instance.",
    "runtimeConfig": {"aws:runShellScript": {"properties": [{"id": "0.aws:runShellScript", "runCommand": ["ip a"]}]}},
}
CALENDAR = "BEGIN:VCALENDAR\nPRODID:-//AWS//Change Calendar 1.0//EN\nVERSION:2.0\nEND:VCALENDAR\n"


def unique(prefix="doc"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def content(document=None, **changes):
    return json.dumps({**(document or HOOK), **changes})


def error_code(call, **params):
    with pytest.raises(botocore.exceptions.ClientError) as error:
        call(**params)
    return error.value.response["Error"]["Code"]


def error_of(call, **params):
    with pytest.raises(botocore.exceptions.ClientError) as error:
        call(**params)
    return error.value.response["Error"]


def create(ssm, name=None, **params):
    name = name or unique()
    params.setdefault("Content", content())
    ssm.create_document(Name=name, **params)
    return name


def test_create_document_describes_what_the_content_declares(ssm):
    name = unique("Pre-patch-WebServer")
    text = content()
    description = ssm.create_document(
        Name=name,
        Content=text,
        TargetType="/AWS::EC2::Instance",
        VersionName="release-1",
        DisplayName="Pre patch hook",
        Tags=[{"Key": "team", "Value": "web"}],
    )["DocumentDescription"]
    assert description["Name"] == name
    assert description["Hash"] == hashlib.sha256(text.encode()).hexdigest()
    assert description["HashType"] == "Sha256"
    assert description["Status"] == "Active"
    assert description["Owner"] == "123456789012"
    assert description["DocumentType"] == "Command"
    assert description["DocumentFormat"] == "JSON"
    assert description["SchemaVersion"] == "2.2"
    assert description["Description"] == "Pre-patch Web Server Document"
    assert (description["DocumentVersion"], description["LatestVersion"], description["DefaultVersion"]) == (
        "1",
        "1",
        "1",
    )
    assert description["PlatformTypes"] == ["Linux", "MacOS"]
    assert description["Parameters"] == [
        {"Name": "service", "Type": "String", "Description": "The service to check", "DefaultValue": "httpd"},
        {"Name": "extra", "Type": "StringList", "DefaultValue": '["a", "b"]'},
    ]
    assert (description["TargetType"], description["VersionName"], description["DisplayName"]) == (
        "/AWS::EC2::Instance",
        "release-1",
        "Pre patch hook",
    )
    assert description["Tags"] == [{"Key": "team", "Value": "web"}]


def test_platform_types_follow_the_plugins_and_preconditions(ssm):
    windows = ssm.create_document(Name=unique(), Content=content(WINDOWS_HOOK))["DocumentDescription"]
    legacy = ssm.create_document(Name=unique(), Content=content(LEGACY))["DocumentDescription"]
    only_linux = dict(
        HOOK, mainSteps=[dict(HOOK["mainSteps"][0], precondition={"StringEquals": ["platformType", "Linux"]})]
    )
    linux = ssm.create_document(Name=unique(), Content=content(only_linux))["DocumentDescription"]
    assert windows["PlatformTypes"] == ["Windows"]
    assert legacy["PlatformTypes"] == ["Linux", "MacOS"]
    assert linux["PlatformTypes"] == ["Linux"]


def test_automation_document_uses_schema_0_3(ssm):
    runbook = {
        "schemaVersion": "0.3",
        "assumeRole": "{{ AutomationAssumeRole }}",
        "parameters": {"AutomationAssumeRole": {"type": "String", "default": ""}},
        "mainSteps": [{"name": "wait", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}],
    }
    description = ssm.create_document(Name=unique(), Content=content(runbook), DocumentType="Automation")[
        "DocumentDescription"
    ]
    assert (description["DocumentType"], description["SchemaVersion"]) == ("Automation", "0.3")
    assert error_code(ssm.create_document, Name=unique(), Content=content(runbook)) == "InvalidDocumentContent"


def test_yaml_document_comes_back_as_stored_or_converted(ssm):
    text = yaml.safe_dump(HOOK, sort_keys=False)
    name = create(ssm, Content=text, DocumentFormat="YAML")
    stored = ssm.get_document(Name=name)
    assert (stored["Content"], stored["DocumentFormat"]) == (text, "YAML")
    as_json = ssm.get_document(Name=name, DocumentFormat="JSON")
    assert as_json["DocumentFormat"] == "JSON"
    assert json.loads(as_json["Content"]) == HOOK
    assert ssm.describe_document(Name=name)["Document"]["DocumentFormat"] == "YAML"


def test_json_document_converts_to_yaml(ssm):
    name = create(ssm)
    converted = ssm.get_document(Name=name, DocumentFormat="YAML")
    assert yaml.safe_load(converted["Content"]) == HOOK
    assert converted["DocumentType"] == "Command"


def test_text_document_is_not_converted(ssm):
    name = create(ssm, Content=CALENDAR, DocumentFormat="TEXT", DocumentType="ChangeCalendar")
    assert ssm.get_document(Name=name)["Content"] == CALENDAR
    assert error_code(ssm.get_document, Name=name, DocumentFormat="JSON") == "ValidationException"


def test_same_name_twice_is_refused(ssm):
    name = create(ssm)
    assert error_code(ssm.create_document, Name=name, Content=content(description="other")) == "DocumentAlreadyExists"


@pytest.mark.parametrize(
    "name", ["AWS-RunMyPatches", "aws-lowercase", "amazon-hook", "AmazonHook", "amzn.hook", "AWSSupport-Mine"]
)
def test_reserved_name_prefixes_are_refused(ssm, name):
    error = error_of(ssm.create_document, Name=name, Content=content())
    assert error["Code"] == "ValidationException"
    assert "Invalid document name" in error["Message"]


@pytest.mark.parametrize(
    ("text", "document_format"),
    [
        ('{"schemaVersion": "2.2", ', "JSON"),
        ("schemaVersion: '2.2'\nmainSteps: [", "YAML"),
        (content(schemaVersion="3.0"), "JSON"),
        (content(schemaVersion="0.3"), "JSON"),
        (json.dumps({key: value for key, value in HOOK.items() if key != "schemaVersion"}), "JSON"),
        (json.dumps({key: value for key, value in HOOK.items() if key != "mainSteps"}), "JSON"),
        (content(mainSteps=[{"name": "no-action"}]), "JSON"),
        (content(parameters={}), "JSON"),
        (content(parameters={"service": {"type": "Number"}}), "JSON"),
        ('["a list"]', "JSON"),
        (content(), "YAML_AS_TEXT"),
    ],
    ids=[
        "bad-json",
        "bad-yaml",
        "unknown-schema",
        "automation-schema",
        "no-schema",
        "no-steps",
        "step-without-action",
        "undeclared-parameter",
        "bad-parameter-type",
        "not-a-map",
        "text-command",
    ],
)
def test_invalid_command_content_is_refused(ssm, text, document_format):
    document_format = "TEXT" if document_format == "YAML_AS_TEXT" else document_format
    name = unique()
    code = error_code(ssm.create_document, Name=name, Content=text, DocumentFormat=document_format)
    assert code == "InvalidDocumentContent"
    assert error_code(ssm.describe_document, Name=name) == "InvalidDocument"


def test_malformed_json_names_the_line(ssm):
    error = error_of(ssm.create_document, Name=unique(), Content='{\n  "schemaVersion": "2.2",\n  oops\n}')
    assert "Line: 3" in error["Message"]


def test_content_over_64_kb_is_refused(ssm):
    big = content(description="x" * (64 * 1024))
    assert error_code(ssm.create_document, Name=unique(), Content=big) == "MaxDocumentSizeExceeded"


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("describe_document", {}),
        ("get_document", {}),
        ("update_document", {"Content": content()}),
        ("update_document_default_version", {"DocumentVersion": "1"}),
        ("delete_document", {}),
        ("list_document_versions", {}),
    ],
)
def test_unknown_document_is_invalid_document(ssm, operation, params):
    assert error_code(getattr(ssm, operation), Name=unique("missing"), **params) == "InvalidDocument"


@pytest.mark.parametrize(("field", "value"), [("DocumentFormat", "XML"), ("DocumentType", "Script")])
def test_values_outside_the_enums_are_refused_by_the_model(ssm, field, value):
    error = error_of(ssm.create_document, Name=unique(), Content=content(), **{field: value})
    assert error["Code"] == "ValidationException"
    assert "Member must satisfy enum value set" in error["Message"]


def test_update_adds_a_version_without_moving_the_default(ssm):
    name = create(ssm)
    updated = ssm.update_document(Name=name, Content=content(description="v2"), DocumentVersion="$LATEST")[
        "DocumentDescription"
    ]
    assert (updated["DocumentVersion"], updated["LatestVersion"], updated["DefaultVersion"]) == ("2", "2", "1")
    assert updated["Description"] == "v2"
    assert ssm.describe_document(Name=name)["Document"]["Description"] == "Pre-patch Web Server Document"
    assert ssm.describe_document(Name=name, DocumentVersion="$LATEST")["Document"]["Description"] == "v2"
    assert json.loads(ssm.get_document(Name=name, DocumentVersion="2")["Content"])["description"] == "v2"


def test_update_by_number_must_name_the_latest_version(ssm):
    name = create(ssm)
    ssm.update_document(Name=name, Content=content(description="v2"), DocumentVersion="1")
    error = error_of(ssm.update_document, Name=name, Content=content(description="v3"), DocumentVersion="1")
    assert error["Code"] == "InvalidDocumentVersion"
    assert "is not latest" in error["Message"]
    code = error_code(ssm.update_document, Name=name, Content=content(description="v3"), DocumentVersion="$DEFAULT")
    assert code == "InvalidDocumentVersion"
    updated = ssm.update_document(Name=name, Content=content(description="v3"), DocumentVersion="2")
    assert updated["DocumentDescription"]["DocumentVersion"] == "3"


def test_update_with_the_latest_content_is_a_duplicate(ssm):
    name = create(ssm)
    code = error_code(ssm.update_document, Name=name, Content=content(), DocumentVersion="$LATEST")
    assert code == "DuplicateDocumentContent"
    assert ssm.describe_document(Name=name)["Document"]["LatestVersion"] == "1"


def test_version_names_are_unique_within_a_document(ssm):
    name = create(ssm, VersionName="release-1")
    code = error_code(ssm.update_document, Name=name, Content=content(description="v2"), VersionName="release-1")
    assert code == "DuplicateDocumentVersionName"


def test_update_keeps_display_name_and_target_type_unless_given(ssm):
    name = create(ssm, DisplayName="Hook", TargetType="/AWS::EC2::Instance")
    kept = ssm.update_document(Name=name, Content=content(description="v2"))["DocumentDescription"]
    assert (kept["DisplayName"], kept["TargetType"]) == ("Hook", "/AWS::EC2::Instance")
    changed = ssm.update_document(Name=name, Content=content(description="v3"), DisplayName="Hook v3")
    assert changed["DocumentDescription"]["DisplayName"] == "Hook v3"


def test_update_checks_the_new_content(ssm):
    name = create(ssm)
    code = error_code(ssm.update_document, Name=name, Content=content(schemaVersion="9.9"))
    assert code == "InvalidDocumentContent"
    yaml_text = yaml.safe_dump(dict(HOOK, description="yaml now"))
    assert error_code(ssm.update_document, Name=name, Content=yaml_text) == "InvalidDocumentContent"
    updated = ssm.update_document(Name=name, Content=yaml_text, DocumentFormat="YAML")["DocumentDescription"]
    assert updated["DocumentFormat"] == "YAML"


def test_schema_1_2_documents_cannot_be_updated(ssm):
    name = create(ssm, Content=content(LEGACY))
    code = error_code(ssm.update_document, Name=name, Content=content(LEGACY, description="changed"))
    assert code == "InvalidDocumentSchemaVersion"


def test_default_version_switches_and_shows_everywhere(ssm):
    name = create(ssm)
    ssm.update_document(Name=name, Content=content(description="v2"), VersionName="release-2")
    switched = ssm.update_document_default_version(Name=name, DocumentVersion="2")["Description"]
    assert switched == {"Name": name, "DefaultVersion": "2", "DefaultVersionName": "release-2"}
    document = ssm.describe_document(Name=name)["Document"]
    assert (document["DocumentVersion"], document["DefaultVersion"], document["Description"]) == ("2", "2", "v2")
    assert ssm.get_document(Name=name)["VersionName"] == "release-2"
    versions = ssm.list_document_versions(Name=name)["DocumentVersions"]
    assert {v["DocumentVersion"]: v["IsDefaultVersion"] for v in versions} == {"1": False, "2": True}
    [identifier] = ssm.list_documents(Filters=[{"Key": "Name", "Values": [name]}])["DocumentIdentifiers"]
    assert identifier["DocumentVersion"] == "2"


def test_default_version_must_exist(ssm):
    name = create(ssm)
    code = error_code(ssm.update_document_default_version, Name=name, DocumentVersion="7")
    assert code == "InvalidDocumentVersion"


def test_versions_are_selected_by_number_or_name(ssm):
    name = create(ssm, VersionName="one")
    ssm.update_document(Name=name, Content=content(description="v2"), VersionName="two")
    assert ssm.get_document(Name=name, VersionName="two")["DocumentVersion"] == "2"
    assert ssm.describe_document(Name=name, VersionName="one")["Document"]["DocumentVersion"] == "1"
    assert error_code(ssm.get_document, Name=name, DocumentVersion="9") == "InvalidDocumentVersion"
    assert error_code(ssm.get_document, Name=name, VersionName="three") == "InvalidDocumentVersion"
    assert error_code(ssm.get_document, Name=name, DocumentVersion="1", VersionName="two") == "InvalidDocumentVersion"


def test_documents_are_found_by_arn(ssm):
    name = create(ssm)
    arn = f"arn:aws:ssm:us-east-1:123456789012:document/{name}"
    assert ssm.describe_document(Name=arn)["Document"]["Name"] == name
    assert ssm.get_document(Name="arn:aws:ssm:us-east-1::document/AWS-Noop")["Name"] == "AWS-Noop"


def test_deleting_the_default_version_is_refused(ssm):
    name = create(ssm)
    error = error_of(ssm.delete_document, Name=name, DocumentVersion="1")
    assert (error["Code"], error["Message"]) == (
        "InvalidDocumentOperation",
        "Default version of the document can't be deleted.",
    )
    assert ssm.describe_document(Name=name)["Document"]["LatestVersion"] == "1"


def test_one_version_can_be_deleted_by_number_or_name(ssm):
    name = create(ssm)
    ssm.update_document(Name=name, Content=content(description="v2"), VersionName="two")
    ssm.update_document(Name=name, Content=content(description="v3"))
    ssm.delete_document(Name=name, VersionName="two")
    ssm.delete_document(Name=name, DocumentVersion="3")
    versions = ssm.list_document_versions(Name=name)["DocumentVersions"]
    assert [version["DocumentVersion"] for version in versions] == ["1"]
    assert error_code(ssm.get_document, Name=name, DocumentVersion="2") == "InvalidDocumentVersion"
    assert error_code(ssm.delete_document, Name=name, DocumentVersion="2") == "InvalidDocument"


def test_deleting_a_document_removes_it_and_its_tags(ssm):
    name = create(ssm, Tags=[{"Key": "team", "Value": "web"}])
    ssm.update_document(Name=name, Content=content(description="v2"))
    ssm.delete_document(Name=name)
    assert error_code(ssm.describe_document, Name=name) == "InvalidDocument"
    assert error_code(ssm.list_tags_for_resource, ResourceType="Document", ResourceId=name) == "InvalidResourceId"
    create(ssm, name)
    assert ssm.list_tags_for_resource(ResourceType="Document", ResourceId=name)["TagList"] == []
    assert ssm.describe_document(Name=name)["Document"]["LatestVersion"] == "1"


def parameters_of(ssm, name):
    return {p["Name"]: p for p in ssm.describe_document(Name=name)["Document"]["Parameters"]}


def test_aws_run_patch_baseline_is_there_with_its_parameters(ssm):
    document = ssm.describe_document(Name="AWS-RunPatchBaseline")["Document"]
    assert (document["Owner"], document["DocumentType"], document["SchemaVersion"]) == ("Amazon", "Command", "2.2")
    assert document["PlatformTypes"] == ["Windows", "Linux", "MacOS"]
    parameters = parameters_of(ssm, "AWS-RunPatchBaseline")
    assert set(parameters) == {"Operation", "SnapshotId", "InstallOverrideList", "BaselineOverride", "RebootOption"}
    assert parameters["RebootOption"]["DefaultValue"] == "RebootIfNeeded"
    assert "DefaultValue" not in parameters["Operation"]
    operation = json.loads(ssm.get_document(Name="AWS-RunPatchBaseline")["Content"])["parameters"]["Operation"]
    assert operation["allowedValues"] == ["Scan", "Install"]


def test_aws_run_patch_baseline_with_hooks_defaults_its_hooks_to_noop(ssm):
    parameters = parameters_of(ssm, "AWS-RunPatchBaselineWithHooks")
    assert set(parameters) == {
        "Operation",
        "SnapshotId",
        "RebootOption",
        "PreInstallHookDocName",
        "PostInstallHookDocName",
        "OnExitHookDocName",
    }
    hooks = ("PreInstallHookDocName", "PostInstallHookDocName", "OnExitHookDocName")
    assert {parameters[hook]["DefaultValue"] for hook in hooks} == {"AWS-Noop"}
    assert ssm.describe_document(Name="AWS-Noop")["Document"]["Owner"] == "Amazon"
    assert parameters_of(ssm, "AWS-RunShellScript")["commands"]["Type"] == "StringList"


def test_aws_documents_exist_in_every_region(local_aws):
    ssm = local_aws.client("ssm", region="ap-southeast-2")
    assert ssm.describe_document(Name="AWS-RunPatchBaselineWithHooks")["Document"]["Status"] == "Active"


def test_aws_documents_cannot_be_changed(ssm):
    name = "AWS-RunPatchBaseline"
    changed = content(description="mine now")
    assert error_code(ssm.update_document, Name=name, Content=changed) == "InvalidDocumentOperation"
    assert error_code(ssm.delete_document, Name=name) == "InvalidDocumentOperation"
    assert error_code(ssm.create_document, Name=name, Content=changed) == "ValidationException"
    tags = [{"Key": "team", "Value": "web"}]
    code = error_code(ssm.add_tags_to_resource, ResourceType="Document", ResourceId=name, Tags=tags)
    assert code == "InvalidResourceId"
    assert ssm.describe_document(Name=name)["Document"]["LatestVersion"] == "1"


def names_listed(ssm, **params):
    pages = ssm.get_paginator("list_documents").paginate(**params)
    return {identifier["Name"] for page in pages for identifier in page["DocumentIdentifiers"]}


def test_list_documents_filters_by_owner(ssm):
    mine = create(ssm)
    self_owned = names_listed(ssm, Filters=[{"Key": "Owner", "Values": ["Self"]}])
    amazon = names_listed(ssm, Filters=[{"Key": "Owner", "Values": ["Amazon"]}])
    assert mine in self_owned and "AWS-RunPatchBaseline" not in self_owned
    assert "AWS-RunPatchBaseline" in amazon and mine not in amazon


def test_list_documents_filters_by_name_type_platform_target_and_tag(ssm):
    prefix = unique("filters")
    linux = create(ssm, f"{prefix}-linux", Tags=[{"Key": "role", "Value": "hook"}], TargetType="/AWS::EC2::Instance")
    windows = create(ssm, f"{prefix}-windows", Content=content(WINDOWS_HOOK))
    name_filter = {"Key": "Name", "Values": [prefix]}
    assert names_listed(ssm, Filters=[name_filter]) == {linux, windows}
    assert names_listed(ssm, Filters=[name_filter, {"Key": "PlatformTypes", "Values": ["Windows"]}]) == {windows}
    assert names_listed(ssm, Filters=[name_filter, {"Key": "tag:role", "Values": ["hook"]}]) == {linux}
    assert names_listed(ssm, Filters=[name_filter, {"Key": "TargetType", "Values": ["/AWS::EC2::Instance"]}]) == {linux}
    assert names_listed(ssm, Filters=[name_filter, {"Key": "DocumentType", "Values": ["Automation"]}]) == set()
    assert names_listed(ssm, Filters=[{"Key": "SearchKeyword", "Values": [prefix.upper()]}]) == {linux, windows}
    legacy = [{"key": "Name", "value": prefix}, {"key": "PlatformTypes", "value": "Linux"}]
    assert names_listed(ssm, DocumentFilterList=legacy) == {linux}


def test_list_documents_refuses_unknown_filter_keys(ssm):
    assert error_code(ssm.list_documents, Filters=[{"Key": "Colour", "Values": ["red"]}]) == "InvalidFilterKey"


def test_list_documents_pages_with_next_token(ssm):
    prefix = unique("paged")
    created = {create(ssm, f"{prefix}-{index}") for index in range(5)}
    seen, pages, token = [], 0, None
    while True:
        page = ssm.list_documents(
            Filters=[{"Key": "Name", "Values": [prefix]}], MaxResults=2, **({"NextToken": token} if token else {})
        )
        seen += [identifier["Name"] for identifier in page["DocumentIdentifiers"]]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert (pages, len(seen), set(seen)) == (3, 5, created)
    paginator = ssm.get_paginator("list_documents")
    pages = paginator.paginate(Filters=[{"Key": "Name", "Values": [prefix]}], PaginationConfig={"PageSize": 2})
    assert sum(len(page["DocumentIdentifiers"]) for page in pages) == 5


def test_list_documents_refuses_a_made_up_token(ssm):
    assert error_code(ssm.list_documents, NextToken="not-a-token") == "InvalidNextToken"


def test_list_document_versions_pages_with_next_token(ssm):
    name = create(ssm)
    for number in range(2, 6):
        ssm.update_document(Name=name, Content=content(description=f"v{number}"))
    first = ssm.list_document_versions(Name=name, MaxResults=2)
    second = ssm.list_document_versions(Name=name, MaxResults=2, NextToken=first["NextToken"])
    third = ssm.list_document_versions(Name=name, MaxResults=2, NextToken=second["NextToken"])
    numbers = [v["DocumentVersion"] for page in (first, second, third) for v in page["DocumentVersions"]]
    assert numbers == ["1", "2", "3", "4", "5"]
    assert "NextToken" not in third


def test_document_responses_match_the_output_shapes(local_aws, ssm):
    mark = local_aws.mark()
    name = create(ssm, DisplayName="Shapes", VersionName="v1", Tags=[{"Key": "k", "Value": "v"}])
    ssm.update_document(Name=name, Content=content(description="v2"), VersionName="v2")
    ssm.update_document_default_version(Name=name, DocumentVersion="2")
    ssm.describe_document(Name=name, VersionName="v1")
    ssm.get_document(Name=name, DocumentFormat="YAML")
    ssm.list_document_versions(Name=name)
    ssm.list_documents(Filters=[{"Key": "Name", "Values": ["AWS-RunPatch"]}])
    for aws_name in ("AWS-RunPatchBaseline", "AWS-RunPatchBaselineWithHooks", "AWS-Noop", "AWS-RunShellScript"):
        ssm.describe_document(Name=aws_name)
    ssm.delete_document(Name=name)
    answered = [entry for entry in local_aws.requests(mark) if entry["service"] == "ssm" and entry["status"] == 200]
    assert len(answered) == 12
    assert [problem for entry in answered for problem in output_problems(entry["operation"], entry["response"])] == []
