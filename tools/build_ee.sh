#!/usr/bin/env bash
# `make ee`: the execution environment image of execution-environment.yml, built with ansible-builder.
#   tools/build_ee.sh [STAGE_DIR]      (default .tmp/ee; the tests pass a directory of their own)
# Environment: EE_TAG (image tag, default patchmodel-ssm-ee:latest), EE_BASE_IMAGE (overrides the base image),
# EE_RUNTIME (podman, docker or none; default: podman if it answers, else docker if its daemon answers, else none).
# With no usable container runtime it stops after `ansible-builder create`, says so, and exits 0.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
stage=${1:-$repo/.tmp/ee}
bin=${VENV:-$repo/.venv}/bin
tag=${EE_TAG:-patchmodel-ssm-ee:latest}

# ansible-builder resolves the definition's paths (requirements.txt, bindep.txt, dist/...) relative to the
# definition file, so it runs on a staged copy next to a freshly built tarball, never on the checkout.
rm -rf "$stage"
mkdir -p "$stage/dist"
cp "$repo/execution-environment.yml" "$repo/requirements.txt" "$repo/bindep.txt" "$stage/"
"$bin/ansible-galaxy" collection build --force --output-path "$stage/dist" "$repo" >/dev/null
tarballs=("$stage"/dist/patchmodel-ssm-*.tar.gz)
mv "${tarballs[0]}" "$stage/dist/patchmodel-ssm.tar.gz"
echo "tools/build_ee.sh: collection built: ${tarballs[0]##*/}"

runtime=${EE_RUNTIME:-}
if [[ -z $runtime ]]; then
    runtime=none
    for candidate in podman docker; do
        # `info` answers only when the runtime can build (docker: its daemon is up).
        if command -v "$candidate" >/dev/null && "$candidate" info >/dev/null 2>&1; then
            runtime=$candidate
            break
        fi
    done
fi

args=(--file "$stage/execution-environment.yml" --context "$stage/context")
if [[ $runtime == none ]]; then
    "$bin/ansible-builder" create "${args[@]}" --output-filename Containerfile
    echo "tools/build_ee.sh: no usable container runtime (podman, or docker with a running daemon): stopped after"
    echo "  'ansible-builder create'. The build context is $stage/context; build it where one runs with"
    echo "  podman build -f $stage/context/Containerfile -t $tag $stage/context"
    exit 0
fi

build_args=()
if [[ -n ${EE_BASE_IMAGE:-} ]]; then
    build_args=(--build-arg "EE_BASE_IMAGE=$EE_BASE_IMAGE")
fi
"$bin/ansible-builder" build "${args[@]}" --container-runtime "$runtime" --tag "$tag" "${build_args[@]}"
echo "tools/build_ee.sh: built $tag with $runtime"
