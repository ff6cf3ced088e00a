"""ssm_document against the local endpoint: create, rerun, updates in place, check and diff, absent, bad input."""

import json
import uuid

import pytest

from tests.helpers.ansible_run import run_module, run_playbook

# The three hook documents of the Amazon Linux 2 seed tutorial, value for value.
PRE_PATCH = """---
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
POST_INSTALL = """---
schemaVersion: '2.2'
description: Post-install Web Server Document
parameters: {}
mainSteps:
- action: aws:runShellScript
  name: configureServer
  inputs:
    runCommand:
    - sudo systemctl stop httpd
"""
POST_REBOOT = """---
schemaVersion: '2.2'
description: Post-reboot Web Server Document
parameters: {}
mainSteps:
- action: aws:runShellScript
  name: configureServer
  inputs:
    runCommand:
    - sudo systemctl start httpd
    - sudo systemctl status httpd
"""
PRE_PATCH_DATA = {
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


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def operations(entries):
    return [entry["operation"] for entry in entries]


def reordered(data):
    """The same document with every mapping's keys in reverse order."""
    if isinstance(data, dict):
        return {key: reordered(data[key]) for key in reversed(list(data))}
    if isinstance(data, list):
        return [reordered(item) for item in data]
    return data


def with_commands(*commands):
    data = json.loads(json.dumps(PRE_PATCH_DATA))
    data["mainSteps"][0]["inputs"]["runCommand"] = list(commands)
    return data


def test_create_rerun_and_delete_with_check_and_diff(local_aws, ssm):
    name = unique("Pre-patch-WebServer-Document")
    args = {"name": name, "content": PRE_PATCH, "tags": {"Patch Group": "WebServer-Prd"}}

    mark = local_aws.mark()
    checked = run_module(local_aws, "ssm_document", args, check=True, diff=True)
    assert checked["changed"] and local_aws.mutating(mark) == []
    assert checked["diff"]["before"] == {} and checked["diff"]["after"]["content"] == PRE_PATCH_DATA
    with pytest.raises(ssm.exceptions.InvalidDocument):
        ssm.describe_document(Name=name)

    mark = local_aws.mark()
    created = run_module(local_aws, "ssm_document", args, diff=True)
    assert created["changed"] and operations(local_aws.mutating(mark)) == ["CreateDocument"]
    document = created["document"]
    assert document["name"] == name and document["content"] == PRE_PATCH_DATA
    assert (document["document_version"], document["default_version"], document["latest_version"]) == ("1", "1", "1")
    assert document["status"] == "Active" and document["document_type"] == "Command"
    assert document["document_format"] == "YAML" and len(document["hash"]) == 64
    assert document["tags"] == {"Patch Group": "WebServer-Prd"}
    assert ssm.get_document(Name=name)["Content"] == PRE_PATCH  # the user's text, comments and layout kept

    # The same document as a dict with every key re-ordered is no change, and makes no write.
    mark = local_aws.mark()
    again = run_module(local_aws, "ssm_document", dict(args, content=reordered(PRE_PATCH_DATA)))
    assert not again["changed"] and local_aws.mutating(mark) == []
    assert again["document"]["document_version"] == "1"

    mark = local_aws.mark()
    check_delete = run_module(local_aws, "ssm_document", {"name": name, "state": "absent"}, check=True, diff=True)
    assert check_delete["changed"] and local_aws.mutating(mark) == []
    assert check_delete["diff"]["before"]["name"] == name and check_delete["diff"]["after"] == {}

    mark = local_aws.mark()
    deleted = run_module(local_aws, "ssm_document", {"name": name, "state": "absent"})
    assert deleted["changed"] and operations(local_aws.mutating(mark)) == ["DeleteDocument"]
    with pytest.raises(ssm.exceptions.InvalidDocument):
        ssm.describe_document(Name=name)

    mark = local_aws.mark()
    gone = run_module(local_aws, "ssm_document", {"name": name, "state": "absent"})
    assert not gone["changed"] and local_aws.mutating(mark) == []


def test_new_content_makes_a_new_default_version(local_aws, ssm):
    name = unique("Post-install-WebServer-Document")
    run_module(local_aws, "ssm_document", {"name": name, "content": POST_INSTALL, "version_name": "v1"})
    changed_args = {
        "name": name,
        "content": POST_REBOOT,
        "version_name": "v2",
        "display_name": "Post install hook",
    }

    mark = local_aws.mark()
    checked = run_module(local_aws, "ssm_document", changed_args, check=True, diff=True)
    assert checked["changed"] and local_aws.mutating(mark) == []
    before, after = checked["diff"]["before"], checked["diff"]["after"]
    assert before["content"]["description"] == "Post-install Web Server Document"
    assert after["content"]["description"] == "Post-reboot Web Server Document"
    assert (before["version_name"], after["version_name"]) == ("v1", "v2")
    assert (after["document_version"], after["default_version"]) == ("2", "2")

    mark = local_aws.mark()
    updated = run_module(local_aws, "ssm_document", changed_args, diff=True)
    writes = local_aws.mutating(mark)
    assert updated["changed"] and operations(writes) == ["UpdateDocument", "UpdateDocumentDefaultVersion"]
    assert writes[0]["parameters"]["DocumentVersion"] == "$LATEST"
    document = updated["document"]
    assert (document["document_version"], document["default_version"], document["latest_version"]) == ("2", "2", "2")
    assert document["version_name"] == "v2" and document["display_name"] == "Post install hook"
    assert document["content"]["mainSteps"][0]["inputs"]["runCommand"] == [
        "sudo systemctl start httpd",
        "sudo systemctl status httpd",
    ]
    assert updated["diff"]["before"]["document_version"] == "1"
    assert ssm.describe_document(Name=name)["Document"]["DefaultVersion"] == "2"

    mark = local_aws.mark()
    again = run_module(local_aws, "ssm_document", changed_args)
    assert not again["changed"] and local_aws.mutating(mark) == []


def test_format_target_type_and_tags_change_in_place(local_aws, ssm):
    name = unique("Post-reboot-WebServer-Document")
    args = {"name": name, "content": with_commands("sudo systemctl start httpd"), "tags": {"Patch Group": "A"}}
    created = run_module(local_aws, "ssm_document", args)
    assert created["document"]["document_format"] == "YAML"

    # The same data stored as JSON with a target type: a new version, nothing recreated.
    mark = local_aws.mark()
    moved = dict(args, document_format="JSON", target_type="/AWS::EC2::Instance")
    result = run_module(local_aws, "ssm_document", moved)
    assert result["changed"] and operations(local_aws.mutating(mark)) == [
        "UpdateDocument",
        "UpdateDocumentDefaultVersion",
    ]
    document = result["document"]
    assert document["document_format"] == "JSON" and document["target_type"] == "/AWS::EC2::Instance"
    assert document["document_version"] == "2" and document["created_date"]
    assert json.loads(ssm.get_document(Name=name)["Content"]) == args["content"]

    # Tags alone: check mode predicts without writing, then only the tag calls are made.
    retagged = dict(moved, tags={"Patch Group": "WebServer-Prd", "Owner": "A-Engineering"})
    mark = local_aws.mark()
    checked = run_module(local_aws, "ssm_document", retagged, check=True, diff=True)
    assert checked["changed"] and local_aws.mutating(mark) == []
    assert checked["diff"]["after"]["tags"] == retagged["tags"] and checked["diff"]["before"]["tags"] == args["tags"]

    mark = local_aws.mark()
    result = run_module(local_aws, "ssm_document", dict(retagged, tags={"Owner": "A-Engineering"}))
    assert result["changed"] and operations(local_aws.mutating(mark)) == ["RemoveTagsFromResource", "AddTagsToResource"]
    assert result["document"]["tags"] == {"Owner": "A-Engineering"} and result["document"]["document_version"] == "2"

    # purge_tags=false only adds; the JSON content, unchanged, makes no new version.
    mark = local_aws.mark()
    kept = run_module(local_aws, "ssm_document", dict(moved, tags={"New": "x"}, purge_tags=False))
    assert kept["changed"] and operations(local_aws.mutating(mark)) == ["AddTagsToResource"]
    assert kept["document"]["tags"] == {"Owner": "A-Engineering", "New": "x"}


def test_set_default_version_false_adds_a_version_and_keeps_the_default(local_aws, ssm):
    name = unique("Pre-patch-WebServer-Document")
    run_module(local_aws, "ssm_document", {"name": name, "content": PRE_PATCH})
    newer = {"name": name, "content": with_commands("sudo systemctl is-active httpd"), "set_default_version": False}

    mark = local_aws.mark()
    added = run_module(local_aws, "ssm_document", newer)
    assert added["changed"] and operations(local_aws.mutating(mark)) == ["UpdateDocument"]
    document = added["document"]
    assert (document["document_version"], document["default_version"], document["latest_version"]) == ("2", "1", "2")

    mark = local_aws.mark()
    assert not run_module(local_aws, "ssm_document", newer)["changed"] and local_aws.mutating(mark) == []

    # Asking for it as the default now only moves the default to the version that already holds it.
    mark = local_aws.mark()
    promoted = run_module(local_aws, "ssm_document", dict(newer, set_default_version=True))
    assert promoted["changed"] and operations(local_aws.mutating(mark)) == ["UpdateDocumentDefaultVersion"]
    assert promoted["document"]["default_version"] == "2"
    assert ssm.describe_document(Name=name)["Document"]["DefaultVersion"] == "2"


def playbook_of(tmp_path, tasks):
    playbook = tmp_path / "play.yml"
    playbook.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]))
    return playbook


def test_what_aws_cannot_update_fails_clearly_without_writing(local_aws, ssm, tmp_path):
    name = unique("Pre-patch-WebServer-Document")
    args = {"name": name, "content": PRE_PATCH, "version_name": "v1"}
    cases = [
        ({"document_type": "Automation"}, "document_type: document '%s' is a Command document and AWS cannot change"),
        ({"display_name": "Renamed"}, "display_name: AWS makes a new version of document '%s' only for new content"),
        (
            {"content": with_commands("sudo systemctl restart httpd")},
            "version_name: 'v1' already names version 1 of document '%s'",
        ),
        ({"requires": [{"name": "Some-Schema"}]}, "requires: AWS sets the required documents of '%s' only when"),
    ]
    tasks = [{"name": "create", "patchmodel.ssm.ssm_document": args}] + [
        {"name": f"case {index}", "patchmodel.ssm.ssm_document": dict(args, **overrides), "ignore_errors": True}
        for index, (overrides, _) in enumerate(cases)
    ]
    mark = local_aws.mark()
    _, results, _, output = run_playbook(local_aws, playbook_of(tmp_path, tasks))
    assert results[0]["changed"] and len(results) == 1 + len(cases), output
    for (_, expected), result in zip(cases, results[1:], strict=True):
        assert result.get("failed") and expected % name in result["msg"], result
        assert "Traceback" not in json.dumps(result) and "module_stderr" not in result
    assert operations(local_aws.mutating(mark)) == ["CreateDocument"]
    assert ssm.describe_document(Name=name)["Document"]["LatestVersion"] == "1"


BAD_INPUTS = [
    ({"name": "ab"}, "name: 'ab' does not match the pattern ^[a-zA-Z0-9_\\-.]{3,128}$"),
    ({"name": "Pre patch hooks!"}, "name: 'Pre patch hooks!' does not match the pattern"),
    ({"name": "AWS-RunPatchBaseline"}, "name: 'AWS-RunPatchBaseline' starts with a prefix AWS reserves"),
    ({"name": "amazon-hooks"}, "(aws-, amazon, amzn, AWSEC2, AWSConfigRemediation, AWSSupport, in any case)"),
    ({"content": "schemaVersion: '2.2'\nmainSteps: [unclosed\n"}, "content: is not valid YAML at line 3"),
    ({"document_format": "JSON"}, "content: is not valid JSON"),
    ({"content": {"schemaVersion": "2.2"}, "document_format": "TEXT"}, "content: a dict or list cannot be stored"),
    ({"content": "description: no schema\n"}, "content: a Command document needs a top-level schemaVersion"),
    ({"content": {"schemaVersion": "2.2", "description": "x" * 66000}}, "AWS allows at most 65536"),
    ({"document_type": "Script"}, "value of document_type must be one of: Command, Policy, Automation"),
    ({"document_format": "XML"}, "value of document_format must be one of: YAML, JSON, TEXT, got: XML"),
    ({"target_type": "AWS::EC2::Instance"}, "target_type: 'AWS::EC2::Instance' does not match the pattern ^\\/"),
    ({"version_name": "release 1"}, "version_name: 'release 1' does not match the pattern"),
    ({"display_name": "x" * 1025}, "display_name: '" + "x" * 1025 + "' must have at most 1024 characters"),
    ({"content": None}, "state is present but all of the following are missing: content"),
    ({"requires": [{"version": "1"}]}, "missing required arguments: name found in requires"),
    ({"tags": {"aws:owner": "me"}}, "tags: key 'aws:owner' starts with 'aws:', which AWS reserves"),
]


def test_bad_input_fails_before_any_call_naming_the_option(local_aws, tmp_path):
    name = unique("Pre-patch-WebServer-Document")
    tasks = [
        {
            "name": f"bad input {index}",
            "patchmodel.ssm.ssm_document": {
                k: v for k, v in dict({"name": name, "content": PRE_PATCH}, **bad).items() if v is not None
            },
            "ignore_errors": True,
        }
        for index, (bad, _) in enumerate(BAD_INPUTS)
    ]
    mark = local_aws.mark()
    _, results, _, output = run_playbook(local_aws, playbook_of(tmp_path, tasks))
    assert len(results) == len(BAD_INPUTS), output
    for (bad, expected), result in zip(BAD_INPUTS, results, strict=True):
        assert result.get("failed"), (bad, result)
        assert expected in result["msg"], (bad, result["msg"])
        assert "Traceback" not in json.dumps(result) and "module_stderr" not in result
    assert local_aws.mutating(mark) == []
    assert local_aws.requests(mark) == []  # refused before even reading


def test_the_seed_hook_documents_are_created_once(local_aws, tmp_path):
    suffix = uuid.uuid4().hex[:8]
    documents = {
        f"Pre-patch-WebServer-Document-{suffix}": PRE_PATCH,
        f"Post-install-WebServer-Document-{suffix}": POST_INSTALL,
        f"Post-reboot-WebServer-Document-{suffix}": POST_REBOOT,
    }
    tasks = [
        {
            "name": f"Create {name}",
            "patchmodel.ssm.ssm_document": {"name": name, "document_type": "Command", "content": text},
        }
        for name, text in documents.items()
    ]
    playbook = playbook_of(tmp_path, tasks)
    code, results, stats, output = run_playbook(local_aws, playbook)
    assert code == 0 and stats["localhost"]["changed"] == 3, output
    assert [r["document"]["platform_types"] for r in results] == [["Linux", "MacOS"]] * 3

    mark = local_aws.mark()
    code, _, stats, output = run_playbook(local_aws, playbook)
    assert code == 0 and stats["localhost"]["changed"] == 0, output
    assert local_aws.mutating(mark) == []
