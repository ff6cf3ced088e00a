#!/usr/bin/env bash
# `make importer`: build the collection tarball as a user would (`ansible-galaxy collection build`) and run
# galaxy-importer, the checks Galaxy and Automation Hub run on an upload, on it (settings: tools/galaxy-importer.cfg,
# ansible-test off). galaxy-importer exits 0 even when it logs problems, so its log is read: any WARNING, ERROR or
# CRITICAL line (its formatter prefixes every non-INFO record with the level name), a traceback, or a missing
# "Importer processing completed successfully" fails the run.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${IMPORTER_VENV:-$repo/.venv-importer}
work=$repo/.tmp/importer
# ansible-doc and ansible-lint are found on PATH by galaxy-importer: the importer venv's, not .venv's.
export PATH=$venv/bin:$PATH
export GALAXY_IMPORTER_CONFIG=$repo/tools/galaxy-importer.cfg
# Their temporary and cache files stay under .tmp, not in the user's home.
export GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP=$work/ansible-tmp

rm -rf "$work"
mkdir -p "$work/ansible-tmp"
ansible-galaxy collection build --output-path "$work" "$repo" >/dev/null
tarballs=("$work"/patchmodel-ssm-*.tar.gz)
tarball=${tarballs[0]}
echo "== galaxy-importer $(basename "$tarball")"

# It writes importer_result.json to the current directory.
status=0
(cd "$work" && python -m galaxy_importer.main "$tarball") >"$work/importer.log" 2>&1 || status=$?
cat "$work/importer.log"

problems=$(grep -E '^(WARNING|ERROR|CRITICAL):|Traceback \(most recent call last\)' "$work/importer.log" || true)
if ((status)); then
    echo "tools/galaxy_importer.sh: galaxy-importer exited with $status" >&2
    exit 1
fi
if [[ -n $problems ]]; then
    echo "tools/galaxy_importer.sh: galaxy-importer reported $(grep -c . <<<"$problems") problem(s):" >&2
    echo "$problems" >&2
    exit 1
fi
if ! grep -q '^Importer processing completed successfully$' "$work/importer.log"; then
    echo "tools/galaxy_importer.sh: galaxy-importer did not complete the import" >&2
    exit 1
fi
echo "== galaxy-importer: no warnings, no errors"
