"""The README's links: each relative one names a file of the checkout (or, for the docs site, what `make docs` builds),
and the README links the docs site, the AWX guide and the execution environment (issue 12's "Done when")."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
# `make docs` builds the site there (Makefile: tools/docsite.py build .docsite; Sphinx writes build/html/).
DOCS_SITE = ".docsite/build/html/index.html"


def relative_links():
    return [m["target"] for m in LINK.finditer(README) if not re.match(r"[a-z]+:", m["target"])]


def headings():
    return {re.sub(r"[^a-z0-9 -]", "", line[3:].strip().lower()).replace(" ", "-") for line in README.splitlines()
            if line.startswith("## ")}


def test_every_relative_link_resolves():
    links = relative_links()
    assert links
    for target in links:
        path, _, anchor = target.partition("#")
        if not path:
            assert anchor in headings(), f"README.md links #{anchor}, which no heading makes"
        elif path == DOCS_SITE:
            assert "tools/docsite.py build .docsite" in (REPO / "Makefile").read_text(encoding="utf-8")
        else:
            assert (REPO / path).exists(), f"README.md links {path}, which the checkout lacks"


def test_the_docs_site_the_awx_guide_and_the_execution_environment_are_linked():
    links = {target.partition("#")[0] for target in relative_links()}
    assert {DOCS_SITE, "docs/awx.md", "execution-environment.yml", "bindep.txt"} <= links, links
