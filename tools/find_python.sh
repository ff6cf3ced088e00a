#!/usr/bin/env bash
# Print the path of a working Python interpreter of version $1 (e.g. 3.13) and exit 0, or say where it looked and
# exit 1. The Makefile's second ansible-core leg (`make setup-next`) uses it, so no machine path is written down.
# Looks at: pythonX.Y on PATH, then pyenv (`pyenv prefix X.Y`, or $PYENV_ROOT / ~/.pyenv versions/X.Y.*).
# A pyenv shim for a version that is not selected is on PATH but fails when run: every candidate is run and must
# report the wanted version; the interpreter's own sys.executable is printed (never the shim).
set -uo pipefail

want=${1:?usage: tools/find_python.sh X.Y}
candidates=("python$want")
if command -v pyenv >/dev/null 2>&1; then
    prefix=$(pyenv prefix "$want" 2>/dev/null) && candidates+=("$prefix/bin/python$want")
fi
for root in "${PYENV_ROOT:-}" "$HOME/.pyenv"; do
    [[ -n $root ]] || continue
    for dir in "$root"/versions/"$want".*; do
        [[ -x $dir/bin/python$want ]] && candidates+=("$dir/bin/python$want")
    done
done

for candidate in "${candidates[@]}"; do
    found=$("$candidate" -c '
import sys
want = tuple(int(part) for part in sys.argv[1].split("."))
if sys.version_info[: len(want)] == want:
    print(sys.executable)' "$want" 2>/dev/null) && [[ -n $found ]] && { echo "$found"; exit 0; }
done
echo "tools/find_python.sh: no working python$want (looked for: ${candidates[*]})" >&2
exit 1
