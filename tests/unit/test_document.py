"""SSM document content is parsed, serialised and compared by meaning, and checked before any call."""

import json

import pytest
import yaml
from ansible_collections.patchmodel.ssm.plugins.module_utils.document import (
    DOCUMENT_TYPES,
    OWNERS,
    content_problems,
    content_text,
    document_view,
    name_problems,
    parse_content,
)

# The pre-patch hook document of the Amazon Linux 2 seed tutorial, exactly as it gives it.
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
PRE_PATCH = {
    "schemaVersion": "2.2",
    "description": "Pre-patch Web Server Document",
    "parameters": {},
    "mainSteps": [
        {
            "action": "aws:runShellScript",
            "name": "configureServer",
            "inputs": {"runCommand": ["sudo systemctl status httpd"]},
        }
    ],
}


def test_document_types_and_owners_follow_botocore():
    import botocore.session

    model = botocore.session.get_session().get_service_model("ssm")
    assert set(DOCUMENT_TYPES) == set(model.shape_for("DocumentType").enum)
    owner_doc = model.shape_for("DocumentKeyValuesFilter").documentation
    assert all(owner in owner_doc for owner in OWNERS if owner != "All")


def test_seed_yaml_parses_to_the_seed_data():
    assert parse_content(PRE_PATCH_YAML, "YAML") == PRE_PATCH


@pytest.mark.parametrize(
    "text",
    [
        # Keys re-ordered, other quoting, flow style, no document marker: the same document.
        'mainSteps: [{name: configureServer, action: "aws:runShellScript", inputs: {runCommand: '
        '["sudo systemctl status httpd"]}}]\nparameters: {}\ndescription: "Pre-patch Web Server Document"\n'
        'schemaVersion: "2.2"\n',
        json.dumps(PRE_PATCH, indent=4, sort_keys=True),
    ],
)
def test_reordered_or_reformatted_content_is_the_same(text):
    assert parse_content(text, "YAML") == parse_content(PRE_PATCH_YAML, "YAML")


def test_a_changed_value_or_list_order_is_a_change():
    changed = json.loads(json.dumps(PRE_PATCH))
    changed["mainSteps"][0]["inputs"]["runCommand"] = ["sudo systemctl start httpd", "sudo systemctl status httpd"]
    swapped = json.loads(json.dumps(changed))
    swapped["mainSteps"][0]["inputs"]["runCommand"].reverse()
    assert PRE_PATCH != changed
    assert changed != swapped


def test_a_quoted_and_an_unquoted_schema_version_differ():
    # AWS sees the string '2.2' and the number 2.2 as different content, so the module does too.
    assert parse_content("schemaVersion: 2.2", "YAML") != parse_content("schemaVersion: '2.2'", "YAML")


def test_dates_in_yaml_stay_strings_so_results_serialise():
    data = parse_content("description: released 2022-07-06\nday: 2022-07-06\n", "YAML")
    assert data == {"description": "released 2022-07-06", "day": "2022-07-06"}
    json.dumps(data)


def test_text_format_is_compared_as_text():
    assert parse_content("BEGIN:VCALENDAR\n", "TEXT") == "BEGIN:VCALENDAR\n"
    assert parse_content("a\n", "TEXT") != parse_content("a", "TEXT")


@pytest.mark.parametrize("document_format", ["YAML", "JSON"])
def test_structured_content_is_serialised_in_the_document_format_and_round_trips(document_format):
    text = content_text(PRE_PATCH, document_format)
    assert parse_content(text, document_format) == PRE_PATCH
    if document_format == "JSON":
        assert json.loads(text) == PRE_PATCH
    else:
        assert text.startswith("schemaVersion: '2.2'\n")  # key order kept, as the user wrote it


def test_string_content_is_sent_as_given():
    assert content_text(PRE_PATCH_YAML, "YAML") == PRE_PATCH_YAML
    assert content_text(PRE_PATCH_YAML, "JSON") == PRE_PATCH_YAML


def test_a_list_is_serialised_too():
    assert yaml.safe_load(content_text([{"a": 1}], "YAML")) == [{"a": 1}]


@pytest.mark.parametrize(
    "content, document_format, document_type",
    [
        (PRE_PATCH_YAML, "YAML", "Command"),
        (PRE_PATCH, "JSON", "Command"),
        (json.dumps(PRE_PATCH), "YAML", "Command"),
        ("BEGIN:VCALENDAR\nEND:VCALENDAR\n", "TEXT", "ChangeCalendar"),
        ({"free": "form"}, "JSON", "ApplicationConfiguration"),
    ],
)
def test_valid_content_has_no_problems(content, document_format, document_type):
    assert content_problems(content, document_format, document_type) == []


@pytest.mark.parametrize(
    "content, document_format, document_type, expected",
    [
        ("mainSteps: [unclosed", "YAML", "Command", "content: is not valid YAML at line 1"),
        (PRE_PATCH_YAML, "JSON", "Command", "content: is not valid JSON"),
        (PRE_PATCH, "TEXT", "ChangeCalendar", "content: a dict or list cannot be stored as document_format TEXT"),
        ("text", "TEXT", "Command", "document_format: TEXT is not allowed for Command documents"),
        ("- just\n- a list\n", "YAML", "Command", "content: a Command document must be a mapping"),
        ({"description": "no schema"}, "YAML", "Automation", "content: a Automation document needs a top-level"),
        ({"description": "x" * 70000, "schemaVersion": "2.2"}, "YAML", "Command", "AWS allows at most 65536"),
        (42, "YAML", "Command", "content: must be a string, a dict or a list, got int"),
    ],
)
def test_content_problems_name_the_option_and_what_is_allowed(content, document_format, document_type, expected):
    problems = content_problems(content, document_format, document_type)
    assert len(problems) == 1 and expected in problems[0]


@pytest.mark.parametrize(
    "name", ["AWS-RunPatchBaseline", "aws-mine", "Amazon-Hooks", "amznHooks", "AWSSupport-x", "awsec2-doc"]
)
def test_reserved_name_prefixes_are_refused_in_any_case(name):
    problems = name_problems(name)
    assert len(problems) == 1 and problems[0].startswith(f"name: '{name}' starts with a prefix AWS reserves")


@pytest.mark.parametrize("name", ["Pre-patch-WebServer-Document", "awsome-hooks", "my-aws-doc"])
def test_other_names_are_allowed(name):
    assert name_problems(name) == []


def test_document_view_is_snake_case_with_tags_as_a_dict_and_content_parsed():
    description = {
        "Name": "Pre-patch-WebServer-Document",
        "DocumentVersion": "1",
        "DefaultVersion": "1",
        "LatestVersion": "1",
        "DocumentFormat": "YAML",
        "PlatformTypes": ["Linux"],
        "Tags": [{"Key": "Patch Group", "Value": "WebServer-Prd"}],
    }
    view = document_view(description, PRE_PATCH_YAML, None)
    assert view["document_version"] == "1" and view["platform_types"] == ["Linux"]
    assert view["tags"] == {"Patch Group": "WebServer-Prd"}
    assert view["content"] == PRE_PATCH
    assert document_view(description, None, {"a": "b"})["tags"] == {"a": "b"}
    assert "content" not in document_view(description, None, {})
