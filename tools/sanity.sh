#!/usr/bin/env bash
# `make lint`, second half: ansible-test sanity, then ansible-lint (settings in .ansible-lint), offline except PyPI.
# ansible-test wants the collection at .../ansible_collections/patchmodel/ssm and takes its file list from git,
# so both run on a fresh copy of the working tree (tracked + untracked, not ignored) committed in a repo of its
# own: uncommitted work is checked, files a fresh clone lacks are not, and the checkout's git state is untouched.
# Arguments narrow the run to ansible-test sanity with them (e.g. --test pylint plugins/): ansible-lint is skipped.
set -euo pipefail

# Ansible runs every executable file under an inventory directory as `<file> --list`. Answer such a call at
# once instead of starting a sanity run from inside a playbook run (and, through ansible-lint, recursively).
if [[ "$*" == --list || ${1:-} == --host ]]; then
    echo "tools/sanity.sh: called as an inventory script; the inventory setting points at a directory above it" >&2
    exit 1
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$repo/.tmp/sanity
copy=$work/ansible_collections/patchmodel/ssm
# A home of its own: ansible-test keeps its per-test venvs and the get-pip cache under ~/.ansible, and CI
# runs should not share them with (or depend on) the user's home. Kept between runs so warm runs are quick.
export HOME=$work/home
export PATH=$repo/.venv/bin:$PATH

# Runs share the copy and the cached venvs: one at a time.
mkdir -p "$work"
exec 9>"$work/lock"
if ! flock --nonblock 9; then
    echo "tools/sanity.sh: waiting for another sanity run to finish" >&2
    flock 9
fi

# Sanity checks what the collection ships. The local endpoint, the benchmarks and the pytest suites that drive
# them are development tools, left out of the built collection (galaxy.yml build_ignore) and so out of here;
# ruff checks them instead.
shipped() {
    case $1 in
        tools/* | benchmarks/* | tests/unit/* | tests/emulator/* | tests/integration/* | tests/helpers/*) return 1 ;;
        tests/conftest.py | tests/__init__.py) return 1 ;;
        *) return 0 ;;
    esac
}

copy_working_tree() {
    rm -rf "$work/ansible_collections"
    mkdir -p "$copy"
    # ls-files also lists tracked files deleted in the working tree; copy only what exists.
    (cd "$repo" && git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' path; do
            if shipped "$path" && [[ -e $path || -L $path ]]; then printf '%s\0' "$path"; fi
        done \
        | tar --null --files-from=- -cf -) | tar -xf - -C "$copy"
    git -C "$copy" init --quiet
    git -C "$copy" add -A
    git -C "$copy" -c user.name=sanity -c user.email=sanity@example.invalid \
        commit --quiet --no-verify --allow-empty -m "working tree snapshot for ansible-test"
}

# ansible-test (import, validate-modules) and ansible-lint resolve other collections only beside this one:
# link in the galaxy.yml dependencies that the venv's ansible package installed.
link_dependencies() {
    python - "$copy/galaxy.yml" "$work/ansible_collections" <<'PYTHON'
import os, sys, yaml
import ansible_collections

galaxy_yml, collections_root = sys.argv[1:]
with open(galaxy_yml, encoding="utf-8") as file:
    dependencies = yaml.safe_load(file).get("dependencies") or {}
for fqcn in dependencies:
    namespace, name = fqcn.split(".")
    found = [os.path.join(base, namespace, name) for base in ansible_collections.__path__]
    found = [path for path in found if os.path.isfile(os.path.join(path, "MANIFEST.json"))]
    if not found:
        sys.exit(f"tools/sanity.sh: dependency {fqcn} is not installed in the venv")
    os.makedirs(os.path.join(collections_root, namespace), exist_ok=True)
    os.symlink(found[0], os.path.join(collections_root, namespace, name))
PYTHON
}

# ansible-test downloads get-pip.py for every venv it builds unless its cache already holds it: put the offline
# stand-in there, under the pip version this ansible-test pins.
install_get_pip_standin() {
    local pip_version
    pip_version=$(python -c 'import types
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(types.SimpleNamespace(version="3.11"))["pip"])')
    mkdir -p "$HOME/.ansible/test/cache"
    cp "$repo/tools/get_pip_standin.py" "$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
}

copy_working_tree
link_dependencies
install_get_pip_standin
cd "$copy"
status=0

echo "== ansible-test sanity --python 3.11 $*"
ansible-test sanity --python 3.11 "$@" || status=1

# Only directories with files: ansible-lint fails on a path that does not exist (git keeps no empty folders).
lint_paths=()
for path in roles playbooks execution-environment.yml; do
    [[ -n $(git ls-files "$path") ]] && lint_paths+=("$path")
done
if (($#)); then
    echo "== ansible-lint skipped: arguments given"
elif ((${#lint_paths[@]})); then
    echo "== ansible-lint ${lint_paths[*]}"
    # The copy's own ansible.cfg points collections_path at .collections, which a fresh clone lacks.
    ANSIBLE_COLLECTIONS_PATH=$work ansible-lint "${lint_paths[@]}" || status=1
else
    echo "== ansible-lint skipped: roles/ and playbooks/ hold no files yet"
fi

exit $status
