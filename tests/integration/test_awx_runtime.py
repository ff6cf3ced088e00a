"""The AL2 seed model run as an AWX job: through ansible-runner, the engine of AWX's job containers, from a private
data directory laid out as AWX lays one out, with the collection installed from its built tarball.

ansible-runner's input directory (https://docs.ansible.com/projects/runner/en/2.4.0/intro/, "Runner Input Directory
Hierarchy", and its job events): `project/` (the playbooks; the job's working directory), `inventory/` (passed as
`-i`), `env/envvars` (environment variables added to the job's) and `env/extravars` (passed as `-e`). AWX fills them
from its database: the project's checkout, the job's inventory, the credentials' injected variables and the survey
answers. The project is the one docs/awx.md tells a user to keep (its files are read from that page), and the model
sits in the inventory's `estate` group as the page says. The Amazon Web Services credential injects
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SECURITY_TOKEN and AWS_SESSION_TOKEN (see awx_credential). AWX installs
a project's collections/requirements.yml into `requirements_collections/` of the private data directory and puts it
first on the collections path; here the built tarball is installed there.
"""

import json
import os
import pathlib
import re
import shutil
import sys

import ansible_runner
import pytest
import yaml

from tests.helpers.collection_build import built_tarball, install_tarball
from tests.helpers.endpoint import LocalEndpoint

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent
AWX_DOC = REPO / "docs" / "awx.md"
SURVEY = REPO / "playbooks" / "awx" / "surveys" / "apply.json"
MODEL = REPO / "playbooks" / "vars" / "webserver_prd.yml"
PROJECT_FILE = re.compile(r"<!-- project file: (?P<path>\S+) -->\s*```yaml\n(?P<text>.*?)```", re.DOTALL)


def project_files():
    """The project files docs/awx.md shows, by path: what a user copies into the repository AWX checks out."""
    return {match["path"]: match["text"] for match in PROJECT_FILE.finditer(AWX_DOC.read_text(encoding="utf-8"))}


def survey_defaults():
    """The answers of the apply survey when the user keeps its defaults (what a schedule launches with)."""
    spec = json.loads(SURVEY.read_text(encoding="utf-8"))["spec"]
    return {question["variable"]: question["default"] for question in spec}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    # AWS has its managed policies (AmazonSSMManagedInstanceCore); moto loads them only when asked.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
        local = LocalEndpoint(tmp_path_factory.mktemp("awx-endpoint"))
    yield local
    local.stop()


@pytest.fixture(scope="module")
def installed_collection(tmp_path_factory):
    """The built tarball installed once; each job's private data directory gets a copy, as AWX installs per job."""
    return install_tarball(built_tarball(tmp_path_factory), tmp_path_factory.mktemp("awx-collections"))


@pytest.fixture(scope="module")
def awx_credential(endpoint):
    """Temporary keys, as an Amazon Web Services credential holds them when its token field is filled: STS keys with
    their session token. AWX injects the token as AWS_SECURITY_TOKEN and, since AWX 21.10, as AWS_SESSION_TOKEN too
    (ansible/awx pull request 13297). Both matter: amazon.aws's module options read AWS_SESSION_TOKEN only
    (module_utils/modules.py, session_token's env fallback) and hand boto3 explicit keys, so botocore's own reading
    of AWS_SECURITY_TOKEN (credentials.EnvProvider) never happens; a job with AWS_SECURITY_TOKEN alone sends no token.
    """
    keys = endpoint.client("sts").get_session_token()["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": keys["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": keys["SecretAccessKey"],
        "AWS_SECURITY_TOKEN": keys["SessionToken"],
        "AWS_SESSION_TOKEN": keys["SessionToken"],
    }


@pytest.fixture(scope="module")
def web_server(endpoint):
    """The instance the seed model's fleet section tags with its Patch Group."""
    ec2 = endpoint.client("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    tags = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "WebServer-Prd"}]}]
    (instance,) = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", TagSpecifications=tags
    )["Instances"]
    return instance["InstanceId"]


@pytest.fixture(autouse=True)
def job_process_environment(monkeypatch):
    """The environment ansible-runner seeds the job's from: no AWS or Ansible settings of the test process (the
    job must get them from env/envvars alone), and this venv's ansible-playbook first on PATH."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "ANSIBLE_", "BOTO")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def write_yaml(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def private_data_dir(base, endpoint, credential, collection, model, answers):
    """A job's private data directory: project, inventory (the estate group, with the model), credential variables,
    survey answers, and the collection where AWX installs a project's collections."""
    for path, text in project_files().items():
        (base / "project" / path).parent.mkdir(parents=True, exist_ok=True)
        (base / "project" / path).write_text(text, encoding="utf-8")
    write_yaml(
        base / "inventory" / "estate.yml",
        {"estate": {"hosts": {"localhost": {"ansible_connection": "local"}}}},
    )
    write_yaml(base / "inventory" / "group_vars" / "estate" / "patch_model.yml", model)
    collections = base / "requirements_collections"
    shutil.copytree(collection.parents[2], collections, symlinks=True)
    write_yaml(
        base / "env" / "envvars",
        {
            **credential,
            # Not the credential's: how the job reaches the local endpoint (botocore's AWS_ENDPOINT_URL), and the
            # region a host without aws_region uses.
            "AWS_ENDPOINT_URL": endpoint.url,
            "AWS_REGION": "us-east-1",
            "ANSIBLE_COLLECTIONS_PATH": str(collections),
        },
    )
    write_yaml(base / "env" / "extravars", answers)
    return base


class Job:
    """A finished ansible-runner job: its status, its events and the play recap."""

    def __init__(self, runner):
        self.status = runner.status
        self.events = list(runner.events)
        self.stdout = runner.stdout.read()
        (self.recap,) = [event["event_data"] for event in self.events if event["event"] == "playbook_on_stats"]

    def changed(self, host="localhost"):
        return self.recap.get("changed", {}).get(host, 0)

    def messages(self):
        """The `msg` of every task (and loop item) result: the roles report one line per changed resource."""
        found = []
        for event in self.events:
            result = event.get("event_data", {}).get("res")
            if isinstance(result, dict) and isinstance(result.get("msg"), str):
                found.append(result["msg"])
        return found

    def module_args(self, task):
        """The module arguments of a task's successful result (Ansible masks no_log values, never drops them)."""
        for event in self.events:
            data = event.get("event_data", {})
            if event["event"] == "runner_on_ok" and data.get("task") == task:
                return data["res"]["invocation"]["module_args"]
        raise AssertionError(f"no successful result of {task!r}")

    def task_paths(self):
        return {
            event["event_data"]["task_path"] for event in self.events if event.get("event_data", {}).get("task_path")
        }


def run_job(tmp_path, endpoint, credential, collection, model=None, answers=None):
    model = model if model is not None else yaml.safe_load(MODEL.read_text(encoding="utf-8"))
    answers = answers if answers is not None else survey_defaults()
    base = private_data_dir(tmp_path, endpoint, credential, collection, model, answers)
    runner = ansible_runner.run(private_data_dir=str(base), playbook="patching_model.yml", quiet=True, timeout=600)
    return Job(runner)


def test_the_job_applies_the_model_from_the_installed_tarball_then_reruns_without_a_change(
    tmp_path, endpoint, installed_collection, awx_credential, web_server
):
    answers = survey_defaults()
    assert answers["patch_model_hosts"] == "estate"  # the inventory group docs/awx.md puts the model in
    mark = endpoint.mark()
    first = run_job(tmp_path / "first", endpoint, awx_credential, installed_collection, answers=answers)
    assert first.status == "successful", first.stdout[-6000:]

    # The changed resources, by name, in the job's events (AWX shows them in the job's output).
    messages = first.messages()
    for line in (
        "maintenance window 'Patch-WebServer-Prd': created",
        "patch baseline 'AmazonLinux2AllPatchesBaseline': created",
        "document 'Pre-patch-WebServer-Document': created",
    ):
        assert any(line in message for message in messages), (line, messages)
    assert first.changed() > 0

    # The collection's tasks ran from the copy installed from the tarball, none from the checkout.
    installed = str(tmp_path / "first" / "requirements_collections" / "ansible_collections" / "patchmodel" / "ssm")
    ours = {path for path in first.task_paths() if "/patchmodel/ssm/" in path or path.startswith(str(REPO))}
    assert any("/roles/maintenance_window/" in path for path in ours), ours
    assert all(path.startswith(installed + os.sep) for path in ours), ours

    # The calls were signed with the credential's keys from env/envvars.
    calls = endpoint.requests(mark)
    assert calls and {call["access_key"] for call in calls} == {awx_credential["AWS_ACCESS_KEY_ID"]}
    # ... and the session token reached the modules (the local endpoint, like moto, does not check it; AWS does).
    caller = first.module_args("Identify the account the model applies to")
    assert caller["access_key"] == awx_credential["AWS_ACCESS_KEY_ID"]
    assert caller["session_token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    (window,) = endpoint.client("ssm").describe_maintenance_windows(
        Filters=[{"Key": "Name", "Values": ["Patch-WebServer-Prd"]}]
    )["WindowIdentities"]
    assert (window["Schedule"], window["Duration"], window["Cutoff"]) == ("cron(0 21 ? * WED#1 *)", 2, 1)
    tags = endpoint.client("ec2").describe_tags(Filters=[{"Name": "resource-id", "Values": [web_server]}])["Tags"]
    assert {tag["Key"]: tag["Value"] for tag in tags}["Patch Group"] == "WebServer-Prd"

    second_mark = endpoint.mark()
    second = run_job(tmp_path / "second", endpoint, awx_credential, installed_collection, answers=answers)
    assert second.status == "successful", second.stdout[-6000:]
    assert second.changed() == 0, second.recap
    assert not [message for message in second.messages() if re.search(r": (created|updated|deleted)$", message)]
    assert endpoint.mutating(second_mark) == []


def test_a_model_with_an_unknown_key_fails_the_job_with_the_key_named_before_any_change(
    tmp_path, endpoint, installed_collection, awx_credential
):
    """A model given at launch as an extra variable (a template's extra variables, or a prompt on launch) overrides
    the inventory's: here with `maintenance_window` for `maintenance_windows`, a typo that would otherwise drop every
    window from the model."""
    model = yaml.safe_load(MODEL.read_text(encoding="utf-8"))
    model["patch_model"]["maintenance_window"] = model["patch_model"].pop("maintenance_windows")
    mark = endpoint.mark()
    job = run_job(tmp_path, endpoint, awx_credential, installed_collection, answers={**survey_defaults(), **model})

    assert job.status == "failed", job.stdout[-6000:]
    failures = [event["event_data"] for event in job.events if event["event"] == "runner_on_failed"]
    assert [failure["task"] for failure in failures] == ["Check the model's top-level settings"]
    message = failures[0]["res"]["msg"]
    assert "patch_model.maintenance_window. Supported parameters include:" in message, message
    assert "maintenance_windows" in message
    assert job.changed() == 0
    # Nothing was written, not even the model's lock: the model is checked before the lock is taken.
    assert endpoint.mutating(mark, include_lock=True) == []


def test_a_bad_survey_answer_fails_the_job_naming_it_before_any_call(
    tmp_path, endpoint, installed_collection, awx_credential
):
    """The apply survey's aws_max_attempts answered with text (a prompt on launch or an API launch bypasses the
    survey's own integer check): the job fails at once, naming the answer, and calls AWS not once."""
    mark = endpoint.mark()
    answers = {**survey_defaults(), "aws_max_attempts": "ten"}
    job = run_job(tmp_path, endpoint, awx_credential, installed_collection, answers=answers)

    assert job.status == "failed", job.stdout[-6000:]
    failures = [event["event_data"] for event in job.events if event["event"] == "runner_on_failed"]
    assert [failure["task"] for failure in failures] == ["Check the retry settings"]
    message = failures[0]["res"]["msg"]
    assert "aws_max_attempts must be a whole number of at least 1 (got 'ten')" in message, message
    assert endpoint.requests(mark) == []


def test_a_survey_answer_naming_no_inventory_host_fails_the_job_instead_of_a_successful_empty_run(
    tmp_path, endpoint, installed_collection, awx_credential
):
    """The hosts answer naming a group the job's inventory lacks (a typo, or the template pointed at another
    inventory): Ansible alone would skip the play, "no hosts matched", and AWX would show the job successful."""
    mark = endpoint.mark()
    answers = {**survey_defaults(), "patch_model_hosts": "estat"}
    job = run_job(tmp_path, endpoint, awx_credential, installed_collection, answers=answers)

    assert job.status == "failed", job.stdout[-6000:]
    failures = [event["event_data"] for event in job.events if event["event"] == "runner_on_failed"]
    assert [failure["task"] for failure in failures] == ["Check that the hosts pattern matches inventory hosts"]
    message = failures[0]["res"]["msg"]
    assert "The hosts 'estat' (patch_model_hosts) match no host of the inventory" in message, message
    assert "its groups: estate, ungrouped" in message, message
    assert endpoint.requests(mark) == []
