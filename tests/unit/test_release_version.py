"""The version under development (galaxy.yml) follows semantic versioning, as Ansible collections do: fragments with
breaking changes since the last release make the next one a new major version; new modules say they arrive in it.

Ansible's versioning requirements for collections (https://docs.ansible.com/projects/partner-certification-requirements/
versioning/): "Collections must follow Semantic Versioning 2.0.0"; MAJOR is for "Incompatible API changes such as
breaking argspec changes, removal of plugins, or changes that alter outcomes from previous versions"."""

import re
from pathlib import Path

import yaml
from ansible_collections.patchmodel.ssm.plugins.module_utils import base
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
GALAXY_VERSION = Version(yaml.safe_load((REPO / "galaxy.yml").read_text(encoding="utf-8"))["version"])
RELEASES = yaml.safe_load((REPO / "changelogs" / "changelog.yaml").read_text(encoding="utf-8"))["releases"]
LAST_RELEASE = max(Version(release) for release in RELEASES)
RELEASED_MODULES = {
    module["name"] for release in RELEASES.values() for module in release.get("modules", [])
}


def unreleased_sections():
    sections = set()
    for fragment in (REPO / "changelogs" / "fragments").glob("*.yml"):
        sections |= set(yaml.safe_load(fragment.read_text(encoding="utf-8")) or {})
    return sections


def version_added(module):
    text = module.read_text(encoding="utf-8")
    return Version(re.search(r"^version_added: (\S+)$", text, re.MULTILINE)[1])


def test_the_version_under_development_comes_after_the_last_release_and_breaking_changes_bump_the_major():
    assert GALAXY_VERSION > LAST_RELEASE
    if "breaking_changes" in unreleased_sections() or "removed_features" in unreleased_sections():
        assert GALAXY_VERSION.major > LAST_RELEASE.major, (
            f"changelogs/fragments hold breaking changes: galaxy.yml's {GALAXY_VERSION} must be a new major version"
        )


def test_modules_added_since_the_last_release_arrive_in_the_version_under_development():
    modules = sorted((REPO / "plugins" / "modules").glob("*.py"))
    assert modules
    for module in modules:
        if module.stem in RELEASED_MODULES:
            assert version_added(module) <= LAST_RELEASE, module.name
        else:
            assert version_added(module) == GALAXY_VERSION, module.name


def test_the_user_agent_names_the_version_under_development():
    assert Version(base.COLLECTION_VERSION) == GALAXY_VERSION
