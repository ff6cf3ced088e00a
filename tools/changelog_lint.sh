#!/usr/bin/env bash
# `make lint`, changelog part: the fragments, changelogs/changelog.yaml and CHANGELOG.md, with the pinned
# antsibull-changelog in .venv. What each command checks:
# https://docs.ansible.com/projects/antsibull-changelog/changelogs/ (lint: fragment sections and their RST) and
# https://docs.ansible.com/projects/antsibull-changelog/changelog.yaml-format/ (lint-changelog-yaml --strict).
# ansible-test sanity's own `changelog` test (tools/sanity.sh) lints the fragments too, with the older
# antsibull-changelog that ansible-test pins.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
changelog=$repo/.venv/bin/antsibull-changelog

echo "== antsibull-changelog lint"
"$changelog" lint

echo "== antsibull-changelog lint-changelog-yaml --strict changelogs/changelog.yaml"
"$changelog" lint-changelog-yaml --strict changelogs/changelog.yaml

# CHANGELOG.md is generated from changelog.yaml and committed: it must be what `generate` writes now.
echo "== CHANGELOG.md matches changelogs/changelog.yaml"
generated=$(mktemp)
trap 'rm -f "$generated"' EXIT
"$changelog" generate --output "$generated" --output-format md
if ! cmp -s "$generated" CHANGELOG.md; then
    diff -u CHANGELOG.md "$generated" | head -40 >&2 || true
    echo "tools/changelog_lint.sh: CHANGELOG.md is out of date; run .venv/bin/antsibull-changelog generate" >&2
    exit 1
fi
