"""ssm_document_info against the local endpoint: AWS-owned documents, versions, prefixes, and bad input."""

import json
import uuid

from tests.helpers.ansible_run import run_playbook

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
POST_INSTALL = PRE_PATCH.replace("Pre-patch", "Post-install").replace("status httpd", "stop httpd")


def run_tasks(local_aws, tmp_path, tasks):
    playbook = tmp_path / "play.yml"
    named = [dict(task, name=f"task {index}", ignore_errors=True) for index, task in enumerate(tasks)]
    playbook.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": named}]))
    _, results, _, output = run_playbook(local_aws, playbook)
    assert len(results) == len(tasks), output
    return results


def info(**args):
    return {"patchmodel.ssm.ssm_document_info": args}


def test_reads_the_documents_aws_owns(local_aws, tmp_path):
    mark = local_aws.mark()
    results = run_tasks(
        local_aws,
        tmp_path,
        [
            info(name="AWS-RunPatchBaselineWithHooks", owner="Amazon"),
            info(name="AWS-RunPatchBaseline"),
            info(name="AWS-Noop", owner="Amazon", include_content=False),
            info(name="AWS-RunPatchBaseline", owner="Self"),
            info(name="arn:aws:ssm:us-east-1::document/AWS-Noop"),
        ],
    )
    assert local_aws.mutating(mark) == []
    hooks, baseline, noop, not_mine, by_arn = (result["documents"] for result in results)

    assert [d["name"] for d in hooks] == ["AWS-RunPatchBaselineWithHooks"] and hooks[0]["owner"] == "Amazon"
    hook_parameters = {p["name"] for p in hooks[0]["parameters"]}
    assert {"PreInstallHookDocName", "PostInstallHookDocName", "OnExitHookDocName"} <= hook_parameters
    assert hooks[0]["content"]["parameters"]["PreInstallHookDocName"]["default"] == "AWS-Noop"
    assert not any(result["changed"] for result in results)

    assert baseline[0]["document_type"] == "Command" and "Operation" in baseline[0]["content"]["parameters"]
    assert noop[0]["name"] == "AWS-Noop" and "content" not in noop[0]
    assert not_mine == []
    assert by_arn[0]["name"] == "AWS-Noop" and by_arn[0]["content"]["schemaVersion"]


def test_versions_prefixes_and_nothing_found(local_aws, ssm, tmp_path):
    prefix = f"Hooks-{uuid.uuid4().hex[:8]}-"
    pre, post = prefix + "Pre-patch-WebServer-Document", prefix + "Post-install-WebServer-Document"
    ssm.create_document(Name=pre, Content=PRE_PATCH, DocumentFormat="YAML", VersionName="v1")
    ssm.update_document(Name=pre, Content=POST_INSTALL, DocumentFormat="YAML", DocumentVersion="$LATEST")
    ssm.create_document(Name=post, Content=POST_INSTALL, DocumentFormat="YAML", Tags=[{"Key": "hook", "Value": "y"}])

    mark = local_aws.mark()
    results = run_tasks(
        local_aws,
        tmp_path,
        [
            info(name=pre),
            info(name=pre, document_version="$LATEST"),
            info(name=pre, version_name="v1", include_content=False),
            info(name_prefix=prefix, owner="Self", include_content=False),
            info(name=prefix + "missing"),
            info(name_prefix=prefix, document_type="Automation"),
        ],
    )
    assert local_aws.mutating(mark) == []
    default, latest, named, listed, missing, automation = (result["documents"] for result in results)

    assert (
        default[0]["document_version"] == "1"
        and default[0]["content"]["description"] == "Pre-patch Web Server Document"
    )
    assert (default[0]["default_version"], default[0]["latest_version"]) == ("1", "2")
    assert latest[0]["document_version"] == "2"
    assert latest[0]["content"]["mainSteps"][0]["inputs"]["runCommand"] == ["sudo systemctl stop httpd"]
    assert named[0]["version_name"] == "v1" and "content" not in named[0]
    assert sorted(d["name"] for d in listed) == [post, pre]
    assert {d["name"]: d["tags"] for d in listed}[post] == {"hook": "y"}
    assert missing == [] and automation == []


def test_bad_input_fails_before_any_call(local_aws, tmp_path):
    cases = [
        (info(name="AWS-Noop", name_prefix="AWS-"), "parameters are mutually exclusive: name|name_prefix"),
        (info(owner="Me"), "value of owner must be one of: Self, Amazon, Private, Public, ThirdParty, All, got: Me"),
        (info(name="AWS-Noop", document_version="latest"), "document_version: 'latest' does not match the pattern"),
        (info(name="AWS-Noop", version_name="v 1"), "version_name: 'v 1' does not match the pattern"),
        (info(name="no"), "name: 'no' does not match the pattern"),
    ]
    mark = local_aws.mark()
    results = run_tasks(local_aws, tmp_path, [task for task, _ in cases])
    assert local_aws.requests(mark) == []
    for (_, expected), result in zip(cases, results, strict=True):
        assert result.get("failed") and expected in result["msg"], result
        assert "Traceback" not in json.dumps(result) and "module_stderr" not in result
