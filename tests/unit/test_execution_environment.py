"""The execution environment (execution-environment.yml, `make ee`) asks for everything the collection needs.

`make ee` runs tools/build_ee.sh. Here it runs with stand-in `podman` / `docker` commands first on PATH, so the
outcome does not depend on what this machine has: with runtimes that do not answer it must stop after
`ansible-builder create`; with one that answers it must hand the generated context to it. The generated context
is then checked the way the image build would use it, offline: its galaxy requirements are installed with
`ansible-galaxy collection install --offline` next to the amazon.aws / community.aws the project tests with, and
the context's own introspection script (the builder stage's `introspect.py introspect` step) merges the Python
and system requirements of the installed collections with the definition's.
References: https://docs.ansible.com/projects/builder/en/latest/definition/ and
https://docs.ansible.com/projects/builder/en/latest/collection_metadata/
"""

import ast
import importlib.metadata
import json
import os
import pathlib
import re
import subprocess
import sys
import tarfile

import pytest
import yaml
from ansible.galaxy.dependency_resolution.versioning import meets_requirements
from bindep.depends import Depends
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent
BUILD_EE = REPO / "tools" / "build_ee.sh"
# Where ansible-core, amazon.aws and community.aws of the `ansible` package are installed (the tested versions).
SITE_COLLECTIONS = pathlib.Path(importlib.metadata.distribution("ansible").locate_file("ansible_collections"))

# Standard-library modules that read data the operating system provides, and the package that provides it in
# the image (zoneinfo reads the IANA database from the system: https://docs.python.org/3/library/zoneinfo.html).
SYSTEM_DATA_OF_STDLIB = {"zoneinfo": "tzdata"}
# bindep profiles of the image's platform (UBI 9: an rpm distribution); rules without a user profile are the
# ones ansible-builder's assemble step lists for the final image (`bindep -l newline`).
IMAGE_PROFILES = ["default", "platform:rpm", "platform:redhat", "platform:rhel"]
# Task keys, lookups, filters, module_defaults groups and doc fragments that name a collection by FQCN.
FQCN_USES = (
    re.compile(r"^\s*(?:-\s+)?([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.[a-z][a-z0-9_]*:", re.MULTILINE),
    re.compile(r"(?:lookup|query)\(\s*['\"]([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.[a-z]"),
    re.compile(r"\|\s*([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.[a-z][a-z0-9_]*"),
    re.compile(r"group/([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.[a-z]"),
)
SHIPPED_WITH_CORE = {"ansible.builtin", "ansible.legacy"}
# Files whose collections the patching EE does not carry, and why: the AWX configuration playbook talks to the
# AWX API from an administrator's machine (or from AWX's own awx-ee image, whose _build/requirements.yml lists
# awx.awx: https://github.com/ansible/awx-ee); no patching job
# template runs it, and awx.awx would add awxkit and its dependencies to every patching job's image.
NOT_RUN_IN_THE_EE = {"awx.awx": ("playbooks/awx_configure.yml", "playbooks/awx/")}


def fake_runtime(bin_dir, name, answers, log):
    """A `podman` / `docker` stand-in: `info` exits 0 when it answers, every call is logged."""
    script = bin_dir / name
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> "{log}"\n'
        f'if [ "$1" = info ]; then exit {0 if answers else 1}; fi\n'
        f"exit {0 if answers else 125}\n"
    )
    script.chmod(0o755)


def run_build_ee(tmp, answering, extra_env=None):
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    log = tmp / "runtime.log"
    for name in ("podman", "docker"):
        fake_runtime(bin_dir, name, name in answering, log)
    env = dict(os.environ)
    env.pop("EE_RUNTIME", None)
    env.pop("EE_BASE_IMAGE", None)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env.update(extra_env or {})
    stage = tmp / "stage"
    result = subprocess.run(
        [str(BUILD_EE), str(stage)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return result, stage, calls


@pytest.fixture(scope="module")
def created(tmp_path_factory):
    """`make ee` on a machine where neither podman nor docker can build."""
    tmp = tmp_path_factory.mktemp("ee_create")
    result, stage, calls = run_build_ee(tmp, answering=())
    return result, stage / "context", calls


@pytest.fixture(scope="module")
def image_collections(created, tmp_path_factory):
    """The galaxy stage of the build, offline: the context's requirements.yml installed into a collections path
    that already holds the tested amazon.aws and community.aws (so nothing is fetched)."""
    _, context, _ = created
    root = tmp_path_factory.mktemp("ee_collections")
    for fqcn in ("amazon.aws", "community.aws"):
        namespace, name = fqcn.split(".")
        (root / "ansible_collections" / namespace).mkdir(parents=True, exist_ok=True)
        (root / "ansible_collections" / namespace / name).symlink_to(SITE_COLLECTIONS / namespace / name)
    env = dict(os.environ, ANSIBLE_GALAXY_DISABLE_GPG_VERIFY="1", ANSIBLE_NOCOLOR="1")
    install = subprocess.run(
        [
            str(BIN / "ansible-galaxy"),
            "collection",
            "install",
            "--offline",
            "-r",
            "requirements.yml",
            "--collections-path",
            str(root),
        ],
        cwd=context / "_build",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return root


@pytest.fixture(scope="module")
def introspected(created, image_collections, tmp_path_factory):
    """The builder stage's introspection step, as the generated Containerfile runs it, on those collections."""
    _, context, _ = created
    containerfile = (context / "Containerfile").read_text()
    step = re.search(r"^RUN \$PYCMD /output/scripts/introspect\.py (introspect .*)$", containerfile, re.MULTILINE)
    assert step, "the Containerfile has no introspection step"
    out = tmp_path_factory.mktemp("ee_introspect")
    args = [arg.replace("/tmp/src/", f"{out}/") for arg in step.group(1).split()] + [str(image_collections)]
    result = subprocess.run(
        [sys.executable, str(context / "_build" / "scripts" / "introspect.py"), *args],
        cwd=context / "_build",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return (out / "requirements.txt").read_text(), (out / "bindep.txt").read_text()


def third_party_imports():
    """Top-level names of the modules plugins/ imports that are neither stdlib nor Ansible, by file."""
    found = {}
    for path in sorted((REPO / "plugins").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in {"ansible", "ansible_collections", "__future__"}:
                    continue
                found.setdefault(top, set()).add(str(path.relative_to(REPO)))
    return found


def stdlib_imports():
    return {name for name in third_party_imports() if name in sys.stdlib_module_names}


def required_distributions():
    """{distribution: [import names]} for every third-party import of plugins/."""
    installed = importlib.metadata.packages_distributions()
    wanted = {}
    for name, files in third_party_imports().items():
        if name in sys.stdlib_module_names:
            continue
        assert name in installed, (
            f"plugins import {name!r} ({', '.join(sorted(files))}) but no installed distribution provides it: "
            "add it to requirements.txt (and requirements-dev.txt)"
        )
        for dist in installed[name]:
            wanted.setdefault(canonicalize_name(dist), []).append(name)
    return wanted


def requirement_lines(text):
    reqs = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            reqs[canonicalize_name(req.name)] = req
    return reqs


def introspected_sources(text):
    """{distribution: {collections that asked for it}} from the introspection step's merged pip file."""
    sources = {}
    for line in text.splitlines():
        if "# from collection " in line:
            req, source = line.split("# from collection ")
            sources.setdefault(canonicalize_name(Requirement(req.strip()).name), set()).add(source.strip())
    return sources


def image_system_packages(bindep_text):
    """Packages the final image gets from a bindep file, for the image's platform."""
    text = "\n".join(line.split("#", 1)[0].strip() for line in bindep_text.splitlines()) + "\n"
    rules = Depends(text).active_rules(IMAGE_PROFILES)
    return {rule[0] for rule in rules}


def used_collections():
    """Collections the shipped roles, playbooks and plugins call by FQCN, with the files that call them."""
    used = {}
    for top in ("roles", "playbooks", "meta"):
        for path in sorted((REPO / top).rglob("*.yml")):
            text = path.read_text()
            for pattern in FQCN_USES:
                for namespace, name in pattern.findall(text):
                    used.setdefault(f"{namespace}.{name}", set()).add(str(path.relative_to(REPO)))
    for path in sorted((REPO / "plugins").rglob("*.py")):
        text = path.read_text()
        for namespace, name in re.findall(r"ansible_collections\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.", text):
            used.setdefault(f"{namespace}.{name}", set()).add(str(path.relative_to(REPO)))
        for namespace, name in re.findall(r"^\s+- ([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.[a-z_.]+$", text, re.M):
            used.setdefault(f"{namespace}.{name}", set()).add(str(path.relative_to(REPO)))
    for fqcn, exempt in NOT_RUN_IN_THE_EE.items():
        used[fqcn] = {path for path in used.get(fqcn, ()) if not path.startswith(exempt)}
    return {fqcn: files for fqcn, files in used.items() if files and fqcn not in SHIPPED_WITH_CORE}


def galaxy_requirements(context):
    return yaml.safe_load((context / "_build" / "requirements.yml").read_text())["collections"]


def test_without_a_container_runtime_make_ee_stops_after_create(created):
    result, context, calls = created
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no usable container runtime" in result.stdout
    assert "stopped after" in result.stdout and "'ansible-builder create'" in result.stdout
    assert f"podman build -f {context}/Containerfile" in result.stdout
    assert (context / "Containerfile").is_file()
    # Both runtimes were asked, neither was asked to build.
    assert calls and all(call.split()[0] == "info" for call in calls), calls


def test_with_podman_make_ee_builds_the_image_with_it(tmp_path):
    result, stage, calls = run_build_ee(tmp_path, answering=("podman",), extra_env={"EE_TAG": "ee-under-test:1"})
    assert result.returncode == 0, result.stdout + result.stderr
    builds = [call.split() for call in calls if call.split()[0] == "build"]
    assert len(builds) == 1, calls
    build = builds[0]
    assert build[build.index("-f") + 1] == str(stage / "context" / "Containerfile")
    assert build[build.index("-t") + 1] == "ee-under-test:1"
    assert build[-1] == str(stage / "context")
    assert "built ee-under-test:1 with podman" in result.stdout


def test_the_definition_is_schema_version_3_on_a_python_the_tested_ansible_core_supports():
    definition = yaml.safe_load((REPO / "execution-environment.yml").read_text())
    assert definition["version"] == 3
    deps = definition["dependencies"]
    core = Requirement(deps["ansible_core"]["package_pip"])
    tested_core = importlib.metadata.version("ansible-core")
    assert core.name == "ansible-core" and core.specifier.contains(tested_core), (core, tested_core)
    assert Requirement(deps["ansible_runner"]["package_pip"]).name == "ansible-runner"
    # The interpreter the image installs is one the tested ansible-core runs its controller on.
    python = re.fullmatch(r"/usr/bin/python(\d+\.\d+)", deps["python_interpreter"]["python_path"]).group(1)
    requires_python = importlib.metadata.metadata("ansible-core")["Requires-Python"]
    assert Requirement(f"python{requires_python}").specifier.contains(f"{python}.0"), (python, requires_python)


def test_the_context_installs_this_collection_from_its_built_tarball(created, image_collections):
    _, context, _ = created
    entry = next(item for item in galaxy_requirements(context) if item.get("type") == "file")
    tarball = context / "_build" / entry["name"]
    with tarfile.open(tarball) as archive:
        manifest = yaml.safe_load(archive.extractfile("MANIFEST.json"))["collection_info"]
        members = set(archive.getnames())
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    assert (manifest["namespace"], manifest["name"], manifest["version"]) == (
        galaxy["namespace"],
        galaxy["name"],
        galaxy["version"],
    )
    # ansible-builder reads a collection's requirements from the installed artifact: they must be shipped.
    assert {"requirements.txt", "bindep.txt"} <= members
    # The definition builds an image from the collection and is no part of it (galaxy.yml build_ignore).
    assert "execution-environment.yml" not in members
    assert (image_collections / "ansible_collections" / "patchmodel" / "ssm" / "MANIFEST.json").is_file()


def test_galaxy_requirements_hold_every_collection_the_collection_calls(created):
    _, context, _ = created
    listed = {item["name"]: item.get("version", "*") for item in galaxy_requirements(context) if "type" not in item}
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    needed = dict(used_collections())
    needed.pop("patchmodel.ssm", None)
    for fqcn in galaxy.get("dependencies", {}):
        needed.setdefault(fqcn, set()).add("galaxy.yml")
    assert {"amazon.aws", "community.aws"} <= set(needed), needed
    missing = {fqcn: sorted(files) for fqcn, files in needed.items() if fqcn not in listed}
    assert not missing, f"collections used but not in the EE's galaxy requirements: {missing}"
    # The bounds admit the versions the tests run with, and the collection's own dependency bounds.
    for fqcn, spec in listed.items():
        namespace, name = fqcn.split(".")
        tested = json.loads((SITE_COLLECTIONS / namespace / name / "MANIFEST.json").read_text())["collection_info"][
            "version"
        ]
        assert meets_requirements(tested, spec), (fqcn, spec, tested)
        assert meets_requirements(tested, galaxy["dependencies"][fqcn]), (fqcn, galaxy["dependencies"][fqcn])


def test_python_requirements_hold_every_distribution_plugins_import(created, introspected):
    _, context, _ = created
    wanted = required_distributions()
    assert {"boto3", "botocore"} & set(wanted), wanted
    asked = requirement_lines((context / "_build" / "requirements.txt").read_text())
    missing = {dist: names for dist, names in wanted.items() if dist not in asked}
    assert not missing, f"imported by plugins/ but not in the EE's Python requirements: {missing}"
    for dist in wanted:
        tested = importlib.metadata.version(dist)
        assert any(spec.operator in {">=", "==", "~=", ">"} for spec in asked[dist].specifier), (
            f"{dist} has no lower bound: {asked[dist]}"
        )
        assert asked[dist].specifier.contains(tested), (dist, str(asked[dist].specifier), tested)
    # What the image's pip install gets after introspection, and from where: the collection's own shipped
    # requirements.txt declares its deps (so any EE that includes patchmodel.ssm gets them), except the ones
    # ansible-builder drops from collections as already in every image (PyYAML comes with ansible-core).
    pip_file, _ = introspected
    sources = introspected_sources(pip_file)
    core_requires = {canonicalize_name(Requirement(req).name) for req in importlib.metadata.requires("ansible-core")}
    for dist in wanted:
        assert dist in sources, f"{dist} is not in the merged requirements the image installs:\n{pip_file}"
        assert "patchmodel.ssm" in sources[dist] or dist in core_requires, (dist, sources[dist])


def test_system_requirements_hold_what_the_imports_need(introspected):
    _, bindep_file = introspected
    packages = image_system_packages(bindep_file)
    for module in stdlib_imports() & set(SYSTEM_DATA_OF_STDLIB):
        assert SYSTEM_DATA_OF_STDLIB[module] in packages, (module, bindep_file)
    assert "zoneinfo" in stdlib_imports()
    # The collection's own bindep.txt carries it, so an EE of the user's own that includes patchmodel.ssm gets it.
    own = image_system_packages((REPO / "bindep.txt").read_text())
    assert {SYSTEM_DATA_OF_STDLIB[module] for module in stdlib_imports() & set(SYSTEM_DATA_OF_STDLIB)} <= own
