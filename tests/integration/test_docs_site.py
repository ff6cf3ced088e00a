"""The antsibull-docs site (`make docs`): linted, up to date with docs/*.md, and built by Sphinx with no warning."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.collection_build import built_tarball, install_tarball, link_dependencies
from tools import docsite

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    dest = tmp_path_factory.mktemp("docsite")
    result = subprocess.run([sys.executable, str(REPO / "tools" / "docsite.py"), "build", str(dest)],
                            cwd=REPO, text=True, capture_output=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return dest


def test_lint_collection_docs_passes(tmp_path_factory):
    """The collection as it ships (the built tarball, installed) with only its dependencies beside it:
    --validate-collection-refs all then checks references to it, ansible.builtin, amazon.aws and community.aws, the
    doc fragments resolve against the installed amazon.aws, and --disallow-unknown-collection-refs fails a reference
    to any other collection, which a user may not have. (antsibull-docs copies the collection it lints: the checkout
    would mean copying its venvs.)"""
    collections = tmp_path_factory.mktemp("lint-collections")
    installed = install_tarball(built_tarball(tmp_path_factory), collections)
    link_dependencies(collections)
    env = docsite.docs_environment() | {
        "ANSIBLE_COLLECTIONS_PATH": str(collections),
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
    }
    result = subprocess.run(
        [str(BIN / "antsibull-docs"), "lint-collection-docs", "--plugin-docs", "--validate-collection-refs", "all",
         "--disallow-unknown-collection-refs", "."], cwd=installed, env=env, text=True, capture_output=True,
        check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_extra_docs_are_generated_from_current_sources():
    result = subprocess.run([sys.executable, str(REPO / "tools" / "docsite.py"), "check"],
                            cwd=REPO, text=True, capture_output=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_site_has_every_module_role_playbook_and_guide(site):
    html = site / "build" / "html" / "collections" / "patchmodel" / "ssm"
    modules = sorted(path.stem for path in (REPO / "plugins" / "modules").glob("*.py"))
    roles = sorted(path.name for path in (REPO / "roles").iterdir() if (path / "meta" / "argument_specs.yml").exists())
    assert modules and roles
    for module in modules:
        assert (html / f"{module}_module.html").is_file(), module
    for role in roles:
        assert (html / f"{role}_role.html").is_file(), role
    for page in (*docsite.MARKDOWN_PAGES, docsite.PLAYBOOKS_PAGE):
        assert (html / "docsite" / f"{page}.html").is_file(), page
    index = (html / "index.html").read_text(encoding="utf-8")
    assert "docsite/model.html" in index and "docsite/playbooks.html" in index
    model = (html / "docsite" / "model.html").read_text(encoding="utf-8")
    assert "maintenance_windows" in model
    playbooks = (html / "docsite" / "playbooks.html").read_text(encoding="utf-8")
    for playbook in (REPO / "playbooks").glob("*.yml"):
        assert f"{playbook.stem}.yml" in playbooks, playbook.name
    assert "patch_now_operation" in playbooks and "compliance_report_dir" in playbooks
    # The plugin pages' links to the Ansible docs resolve through the local inventory, to docs.ansible.com.
    module_page = (html / "ssm_patch_baseline_module.html").read_text(encoding="utf-8")
    assert docsite.ANSIBLE_DOCS_URL + "reference_appendices/common_return_values.html" in module_page


def test_a_warning_fails_the_build(site, tmp_path):
    source = tmp_path / "rst"
    source.mkdir()
    (source / "index.rst").write_text("Broken\n======\n\nSee :ref:`no_such_label`.\n", encoding="utf-8")
    result = docsite.sphinx_build(site, source, tmp_path / "build")
    assert result.returncode != 0
    assert "undefined label" in result.stdout + result.stderr
