"""Lines of code in plugins/: every non-blank, non-comment line of the Python files, without the DOCUMENTATION,
EXAMPLES and RETURN texts of the modules (they are documentation, however long). Issue 10 asks that it shrink.

    .venv/bin/python tools/plugin_loc.py [REV]     # REV: count a commit's tree instead of the working tree
"""

import ast
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
DOC_NAMES = {"DOCUMENTATION", "EXAMPLES", "RETURN"}


def code_lines(text):
    """The lines of `text` that count: not blank, not a comment, not inside a DOCUMENTATION/EXAMPLES/RETURN text."""
    skipped = set()
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) in DOC_NAMES for t in node.targets):
            skipped.update(range(node.lineno, node.end_lineno + 1))
    return sum(
        1
        for number, line in enumerate(text.splitlines(), start=1)
        if number not in skipped and line.strip() and not line.strip().startswith("#")
    )


def files(revision=None):
    """(path, text) of every Python file under plugins/, in the working tree or at `revision`."""
    if revision is None:
        for path in sorted((REPO / "plugins").rglob("*.py")):
            yield str(path.relative_to(REPO)), path.read_text()
        return
    listing = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", revision, "plugins"], cwd=REPO, capture_output=True, text=True
    )
    for name in listing.stdout.split():
        if name.endswith(".py"):
            shown = subprocess.run(["git", "show", f"{revision}:{name}"], cwd=REPO, capture_output=True, text=True)
            yield name, shown.stdout


def main(argv):
    revision = argv[1] if len(argv) > 1 else None
    counts = {name: code_lines(text) for name, text in files(revision)}
    for name, count in counts.items():
        print(f"{count:6d}  {name}")
    print(f"{sum(counts.values()):6d}  total ({revision or 'working tree'})")


if __name__ == "__main__":
    main(sys.argv)
