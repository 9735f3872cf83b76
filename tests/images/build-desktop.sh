#!/usr/bin/env bash
# Build localhost/amdgpu-stability-desktop:12 (tests/images/desktop/Containerfile) on top of the
# Debian 12 image build.sh makes. Labelled with the hash of its inputs like the others; a current
# image is kept.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${CONTAINERS_CONF:=$here/../containers.conf}"
export CONTAINERS_CONF
tag=localhost/amdgpu-stability-desktop:12
label=org.amdgpu-stability.inputs
base_id=$(podman image inspect --format '{{ .Id }}' localhost/amdgpu-stability-debian:12)
inputs_hash=$(cat "$here/build-desktop.sh" "$here/desktop/Containerfile" <(echo "$base_id") | sha256sum | cut -c1-16)

if [ "$(podman image inspect --format "{{ index .Labels \"$label\" }}" "$tag" 2>/dev/null)" = "$inputs_hash" ]; then
    printf '%s images: %s current (%s)\n' "$(date +%T)" "$tag" "$inputs_hash"
    exit 0
fi
start=$SECONDS
podman build --quiet --label "$label=$inputs_hash" -t "$tag" -f "$here/desktop/Containerfile" "$here/desktop" >/dev/null
printf '%s images: built %s in %d s\n' "$(date +%T)" "$tag" $((SECONDS - start))
