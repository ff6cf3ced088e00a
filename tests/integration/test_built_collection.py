"""The collection as a user gets it: the tarball `ansible-galaxy collection build` makes, installed with
`ansible-galaxy collection install` into an empty collections path, used from a project directory outside the
checkout: the playbook imported by its FQCN (patchmodel.ssm.patching_model, which ansible-core resolves to the
collection's playbooks/patching_model.yml) applies the AL2 seed model, and an existing
playbook includes one role (patchmodel.ssm.patch_baseline)."""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import ansible_collections
import yaml

from tests.helpers.ansible_run import BIN, REPO, _host_results
from tests.helpers.collection_build import built_tarball
from tests.integration.test_patching_model import (
    assert_webserver_model_exists,
    baselines_named,
    instance_tags,
    launch_instances,
)

# amazon.aws and community.aws (galaxy.yml dependencies) as the venv's `ansible` package installed them.
DEPENDENCIES = next(
    str(pathlib.Path(base).parent)
    for base in ansible_collections.__path__
    if (pathlib.Path(base) / "amazon" / "aws" / "MANIFEST.json").is_file()
)

SITE_PLAYBOOK = [
    {"name": "Apply the patching model", "ansible.builtin.import_playbook": "patchmodel.ssm.patching_model"}
]

EXISTING_PLAYBOOK = [
    {
        "name": "An existing configuration playbook",
        "hosts": "localhost",
        "connection": "local",
        "gather_facts": False,
        "tasks": [
            {
                "name": "Make the Amazon Linux 2023 baseline with the collection's role",
                "ansible.builtin.include_role": {"name": "patchmodel.ssm.patch_baseline"},
                "vars": {
                    "patch_baseline_baselines": [
                        {
                            "name": "Existing-Playbook-AL2023",
                            "description": "Made by an existing playbook",
                            "operating_system": "AMAZON_LINUX_2023",
                            "approval_rules": [
                                {
                                    "patch_filters": [{"key": "CLASSIFICATION", "values": ["Security"]}],
                                    "approve_after_days": 7,
                                }
                            ],
                            "patch_groups": ["Existing-Group"],
                        }
                    ],
                    "patch_baseline_tags": {"owner": "existing-playbook"},
                },
            }
        ],
    }
]


def user_env(endpoint, project, collections):
    """The environment of a user's shell: nothing of the checkout (no ANSIBLE_* setting, no PYTHONPATH), the
    endpoint's AWS variables, and a collections path of the install directory and the venv's dependencies."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "PYTHONPATH"))}
    env.pop("AWS_PROFILE", None)
    env.update(endpoint.env())
    env.update(
        {
            "ANSIBLE_COLLECTIONS_PATH": os.pathsep.join([str(collections), DEPENDENCIES]),
            "ANSIBLE_HOME": str(project / ".ansible-home"),
            "ANSIBLE_STDOUT_CALLBACK": "json",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_DEPRECATION_WARNINGS": "0",
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    return env


def run(command, cwd, env, timeout=300):
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{command}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout


def playbook(project, env, name, *arguments):
    command = [str(BIN / "ansible-playbook"), name, "-e", f"ansible_python_interpreter={sys.executable}", *arguments]
    proc = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-6000:]
    results, stats = _host_results(proc.stdout)
    return results, stats["localhost"]


def test_built_tarball_installs_and_applies_a_model_from_outside_the_checkout(account, tmp_path, tmp_path_factory):
    collections, project = tmp_path / "collections", tmp_path / "project"
    collections.mkdir()
    project.mkdir()
    env = user_env(account, project, collections)

    # `ansible-galaxy collection build` of the checkout, once per session (tests/helpers/collection_build.py).
    tarball = built_tarball(tmp_path_factory)
    install = [str(BIN / "ansible-galaxy"), "collection", "install", "--offline", "-p", str(collections), str(tarball)]
    run(install, project, env)
    installed = collections / "ansible_collections" / "patchmodel" / "ssm"
    assert (installed / "MANIFEST.json").is_file()
    # Development files stay out of the tarball (galaxy.yml build_ignore).
    dev_only = [".venv", ".collections", ".tmp", "tools", "tests/integration", "tests/helpers", "benchmarks"]
    dev_only += ["Makefile", "ansible.cfg", "requirements-dev.txt", "requirements-importer.txt"]
    assert [path for path in dev_only if (installed / path).exists()] == []
    assert [path.name for path in installed.glob(".venv*")] == []

    # patchmodel.ssm resolves to the installed copy only, never the checkout.
    listed = json.loads(
        run([str(BIN / "ansible-galaxy"), "collection", "list", "patchmodel.ssm", "--format", "json"], project, env)
    )
    assert [path for path, found in listed.items() if "patchmodel.ssm" in found] == [
        str(collections / "ansible_collections")
    ]
    doc = json.loads(run([str(BIN / "ansible-doc"), "--json", "patchmodel.ssm.ssm_patch_baseline"], project, env))
    assert pathlib.Path(doc["patchmodel.ssm.ssm_patch_baseline"]["doc"]["filename"]).is_relative_to(installed)

    # A project of the user's own: a model file and a playbook that imports the collection's playbook by FQCN.
    shutil.copy(REPO / "playbooks" / "vars" / "webserver_prd.yml", project / "model.yml")
    (project / "site.yml").write_text(yaml.safe_dump(SITE_PLAYBOOK, sort_keys=False))
    (project / "existing.yml").write_text(yaml.safe_dump(EXISTING_PLAYBOOK, sort_keys=False))
    (instance_id,) = launch_instances(account, "WebServer-Prd")

    _, stats = playbook(project, env, "site.yml", "-e", "@model.yml")
    assert stats["changed"] > 0 and stats["failures"] == 0
    assert_webserver_model_exists(account, instance_id)
    assert instance_tags(account, instance_id)["Patch Group"] == "WebServer-Prd"

    # (A rerun from the installed tarball changing nothing is the AWX runtime test's, test_awx_runtime.py.)

    # One role of the collection, included from an existing playbook.
    _, stats = playbook(project, env, "existing.yml")
    assert stats["changed"] > 0 and stats["failures"] == 0
    ssm = account.client("ssm")
    (baseline,) = baselines_named(ssm, "Existing-Playbook-AL2023")
    assert (baseline["OperatingSystem"], baseline["Description"]) == (
        "AMAZON_LINUX_2023",
        "Made by an existing playbook",
    )
    (rule,) = baseline["ApprovalRules"]["PatchRules"]
    assert rule["PatchFilterGroup"]["PatchFilters"] == [{"Key": "CLASSIFICATION", "Values": ["Security"]}]
    assert rule["ApproveAfterDays"] == 7
    assert baseline["PatchGroups"] == ["Existing-Group"]
    tags = ssm.list_tags_for_resource(ResourceType="PatchBaseline", ResourceId=baseline["BaselineId"])["TagList"]
    assert {"Key": "owner", "Value": "existing-playbook"} in tags
    _, stats = playbook(project, env, "existing.yml")
    assert stats["changed"] == 0
