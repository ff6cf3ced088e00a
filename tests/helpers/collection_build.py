"""Build the collection tarball once per test session, and install it where a test wants it.

`ansible-galaxy collection build` packs what galaxy.yml's build_ignore lets through, as a release does; a test that
installs the result runs the code a user gets, not the checkout. pytest-xdist workers share one build: the first
to take the lock builds into a directory beside the workers' own temporary directories, the others reuse it.
"""

import fcntl
import os
import pathlib
import subprocess
import sys

import ansible_collections
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent


def collection_version():
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))
    return f"{galaxy['namespace']}-{galaxy['name']}-{galaxy['version']}"


def _galaxy_env():
    """ansible-galaxy without the checkout's settings: no ANSIBLE_* variables, and run outside the checkout, so its
    ansible.cfg (collections_path at the checkout) is not read."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env["ANSIBLE_NOCOLOR"] = "1"
    return env


def built_tarball(tmp_path_factory):
    """The path of the built tarball, built on the first call of the session (of every xdist worker)."""
    # Under xdist each worker's basetemp is <session root>/popen-gwN; the session root is shared by the workers.
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    output = shared / "collection-build"
    output.mkdir(exist_ok=True)
    tarball = output / f"{collection_version()}.tar.gz"
    with open(output / "lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not tarball.exists():
            build = subprocess.run(
                [str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(output), str(REPO)],
                cwd=output,
                env=_galaxy_env(),
                capture_output=True,
                text=True,
                timeout=300,
            )
            if build.returncode or not tarball.exists():
                raise RuntimeError(f"ansible-galaxy collection build failed:\n{build.stdout}\n{build.stderr}")
    return tarball


def install_tarball(tarball, collections_path):
    """`ansible-galaxy collection install` of the tarball into `collections_path` (dependencies not fetched: amazon.aws
    and community.aws come with the `ansible` package, and Galaxy may be unreachable). Answers the installed
    collection's directory."""
    install = subprocess.run(
        [
            str(BIN / "ansible-galaxy"),
            "collection",
            "install",
            "--no-deps",
            "--force",
            "--collections-path",
            str(collections_path),
            str(tarball),
        ],
        cwd=collections_path,
        env=_galaxy_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    installed = pathlib.Path(collections_path) / "ansible_collections" / "patchmodel" / "ssm"
    if install.returncode or not (installed / "MANIFEST.json").is_file():
        raise RuntimeError(f"ansible-galaxy collection install failed:\n{install.stdout}\n{install.stderr}")
    return installed


def link_dependencies(collections_path):
    """Link the collections galaxy.yml depends on (amazon.aws, community.aws), as the venv's ansible package installed
    them, into `collections_path` beside an installed copy: with ANSIBLE_COLLECTIONS_SCAN_SYS_PATH off, a tool then
    sees this collection and its dependencies only, not the ansible package's other collections."""
    dependencies = yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))["dependencies"]
    for fqcn in dependencies:
        namespace, name = fqcn.split(".")
        found = [pathlib.Path(base) / namespace / name for base in ansible_collections.__path__]
        found = [path for path in found if (path / "MANIFEST.json").is_file()]
        if not found:
            raise RuntimeError(f"{fqcn} (galaxy.yml dependencies) is not installed beside ansible-core")
        link = pathlib.Path(collections_path) / "ansible_collections" / namespace / name
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists():
            link.symlink_to(found[0])
