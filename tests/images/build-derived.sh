#!/usr/bin/env bash
# Build localhost/amdgpu-stability-NAME:12 (tests/images/NAME/Containerfile) on top of the Debian 12
# image build.sh makes, or of one of these built before it: desktop (browsers, a user session), slurm
# (Slurm and MUNGE), sshd (a lab host reached over SSH, for bench/lab_scale.py), kernel (a kernel and
# its initramfs-tools image) and dracut (kernel with dracut instead). Labelled with the hash of its
# inputs like the others; a current image is kept.
#   tests/images/build-derived.sh desktop slurm sshd kernel dracut
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${CONTAINERS_CONF:=$here/../containers.conf}"
export CONTAINERS_CONF
label=org.amdgpu-stability.inputs

for name in "$@"; do
    tag=localhost/amdgpu-stability-$name:12
    # The image it is built on (its FROM line) is one of its inputs: dracut builds on kernel.
    base_id=$(podman image inspect --format '{{ .Id }}' "$(awk '/^FROM /{print $2; exit}' "$here/$name/Containerfile")")
    inputs_hash=$(cat "$here/build-derived.sh" "$here/$name/Containerfile" <(echo "$base_id") | sha256sum | cut -c1-16)
    if [ "$(podman image inspect --format "{{ index .Labels \"$label\" }}" "$tag" 2>/dev/null)" = "$inputs_hash" ]; then
        printf '%s images: %s current (%s)\n' "$(date +%T)" "$tag" "$inputs_hash"
        continue
    fi
    start=$SECONDS
    podman build --quiet --label "$label=$inputs_hash" -t "$tag" -f "$here/$name/Containerfile" "$here/$name" >/dev/null
    printf '%s images: built %s in %d s\n' "$(date +%T)" "$tag" $((SECONDS - start))
done
