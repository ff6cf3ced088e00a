"""What meta/runtime.yml and galaxy.yml promise covers the ansible-core and collections this run tests with.

`make test` runs this file on both legs (.venv: ansible 12; .venv-next: ansible 14, LEG2_TESTS in the Makefile), so
a leg moved to an ansible-core or amazon.aws release outside the stated bounds fails here instead of being shipped
with a promise nobody tested."""

import json
import pathlib
import sys

import ansible_collections
import yaml
from ansible.release import __version__ as ansible_core_version
from packaging.specifiers import SpecifierSet

REPO = pathlib.Path(__file__).resolve().parents[2]


def installed_collection_version(fqcn):
    namespace, name = fqcn.split(".")
    for base in ansible_collections.__path__:
        manifest = pathlib.Path(base) / namespace / name / "MANIFEST.json"
        if manifest.is_file():
            return json.loads(manifest.read_text(encoding="utf-8"))["collection_info"]["version"]
    raise AssertionError(f"{fqcn} is not installed beside ansible-core {ansible_core_version} ({sys.executable})")


def test_requires_ansible_admits_the_ansible_core_under_test():
    runtime = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    assert ansible_core_version in SpecifierSet(runtime["requires_ansible"]), (
        f"meta/runtime.yml requires_ansible {runtime['requires_ansible']!r} excludes the tested {ansible_core_version}"
    )


def test_galaxy_dependency_bounds_admit_the_collections_under_test():
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))
    for fqcn, bounds in galaxy["dependencies"].items():
        version = installed_collection_version(fqcn)
        assert version in SpecifierSet(bounds), f"galaxy.yml {fqcn} {bounds!r} excludes the tested {version}"


def test_roles_state_the_same_minimum_ansible_core_as_the_collection():
    runtime = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    lower = [spec.version for spec in SpecifierSet(runtime["requires_ansible"]) if spec.operator == ">="]
    assert len(lower) == 1, f"requires_ansible {runtime['requires_ansible']!r} has no single lower bound"
    minimum = ".".join(lower[0].split(".")[:2])
    for meta in sorted(REPO.glob("roles/*/meta/main.yml")):
        stated = str(yaml.safe_load(meta.read_text(encoding="utf-8"))["galaxy_info"]["min_ansible_version"])
        assert stated == minimum, f"{meta.relative_to(REPO)} min_ansible_version {stated} != requires_ansible {minimum}"
