"""The molecule scenario (create, converge, idempotence, verify, destroy) passes against a fresh local endpoint."""

import subprocess

from tests.helpers.ansible_run import BIN, REPO, ansible_env
from tests.helpers.endpoint import LocalEndpoint


def test_patching_model_scenario(tmp_path):
    endpoint = LocalEndpoint(tmp_path)
    try:
        env = ansible_env(
            endpoint,
            {
                "ANSIBLE_STDOUT_CALLBACK": "default",
                "MOLECULE_NO_LOG": "false",
                "XDG_CACHE_HOME": str(tmp_path / "cache"),
            },
        )
        env.pop("ANSIBLE_CONFIG")  # molecule writes an ansible.cfg of its own
        proc = subprocess.run(
            [str(BIN / "molecule"), "test", "-s", "patching_model"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=1200,
        )
        output = proc.stdout + proc.stderr
        assert proc.returncode == 0, output[-6000:]
        assert "idempotence" in output.lower()
        # destroy ran the teardown: nothing the model created is left
        ssm = endpoint.client("ssm")
        windows = ssm.describe_maintenance_windows()["WindowIdentities"]
        assert [w for w in windows if w["Name"] == "Patch-WebServer-Prd"] == []
        owned = ssm.describe_patch_baselines(Filters=[{"Key": "OWNER", "Values": ["Self"]}])["BaselineIdentities"]
        assert owned == []
    finally:
        endpoint.stop()
