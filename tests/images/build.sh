#!/usr/bin/env bash
# Build the container images the Molecule scenarios and `make demo` run against, without a registry:
# debootstrap a minimal Debian root filesystem and `podman import` it.
#
#   localhost/amdgpu-stability-debian:12        Debian 12 (bookworm)
#   localhost/amdgpu-stability-debian:13        Debian 13 (trixie)
#   localhost/amdgpu-stability-ubuntu-sim:22.04 SIMULATION of Ubuntu 22.04: the Debian 12 root
#       filesystem relabelled as Ubuntu jammy, whose only apt source is a local repository of stub
#       packages (linux-generic-hwe-22.04 and the linux-image-6.8.0-90-generic it depends on,
#       linux-firmware). Ubuntu's archive is not reachable from
#       the test machines; this image exercises the role's Ubuntu code path, not Ubuntu itself.
#
# Each image carries a label with the hash of this script and its inputs; an image whose label
# matches is kept, so a second run costs a few podman calls.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${CONTAINERS_CONF:=$here/../containers.conf}"
export CONTAINERS_CONF
mirror=${AMDGPU_TEST_MIRROR:-http://deb.debian.org/debian}
work=${AMDGPU_IMAGE_WORKDIR:-/var/tmp/amdgpu-stability-images}
label=org.amdgpu-stability.inputs
inputs_hash=$(cat "$here/build.sh" "$here"/stubs/*.control | sha256sum | cut -c1-16)

# kmod + initramfs-tools: the role's handler runs update-initramfs for real (a no-op without a
# kernel); grub2-common: update-grub and the packaged /etc/default/grub, as an installed system has;
# sudo: the playbooks use become, as they must on a real workstation; python3-apt: ansible.builtin.apt
# needs it and would otherwise install it itself, even in check mode.
packages=python3,python3-apt,ca-certificates,initramfs-tools,kmod,grub2-common,procps,sudo

image_is_current() {
    [ "$(podman image inspect --format "{{ index .Labels \"$label\" }}" "$1" 2>/dev/null)" = "$inputs_hash" ]
}

log() { printf '%s images: %s\n' "$(date +%T)" "$*"; }

debootstrap_rootfs() {  # suite dir
    local suite=$1 dir=$2
    rm -rf "$dir"
    debootstrap --variant=minbase --components=main,non-free-firmware \
        --include="$packages" "$suite" "$dir" "$mirror" >"$dir.log" 2>&1 \
        || { tail -n 30 "$dir.log" >&2; return 1; }
    cat >"$dir/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main non-free-firmware
SOURCES
    # What an installed system has; grub-pc's postinst would copy it there.
    cp "$dir/usr/share/grub/default/grub" "$dir/etc/default/grub"
    finish_rootfs "$dir"
}

finish_rootfs() {  # dir: strip what every container must not share
    local dir=$1
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb
    # Without lists, apt's cache must also look old: ansible.builtin.apt's cache_valid_time goes by
    # the mtime of the lists directory, which the removal above has just made new.
    touch -d @0 "$dir/var/lib/apt/lists"
    : >"$dir/etc/machine-id"; : >"$dir/etc/hostname"; : >"$dir/etc/resolv.conf"
}

import_rootfs() {  # dir image
    tar --numeric-owner -C "$1" -c . | podman import --quiet --change 'CMD ["/bin/bash"]' \
        --change "LABEL $label=$inputs_hash" - "$2" >/dev/null
    log "built $2"
}

build_stub_repo() {  # dir: a flat apt repository of SIMULATION stub packages
    local repo=$1 control pkg
    rm -rf "$repo" && mkdir -p "$repo"
    for control in "$here"/stubs/*.control; do
        pkg=$(mktemp -d)
        mkdir -p "$pkg/DEBIAN" "$pkg/usr/share/doc/amdgpu-stability-simulation"
        cp "$control" "$pkg/DEBIAN/control"
        echo "SIMULATION stub built by amdgpu.stability's test harness; installs nothing real." \
            >"$pkg/usr/share/doc/amdgpu-stability-simulation/$(basename "$control" .control)"
        dpkg-deb --root-owner-group -b "$pkg" "$repo/" >/dev/null
        rm -rf "$pkg"
    done
    (cd "$repo" && dpkg-scanpackages -m . /dev/null >Packages 2>/dev/null)
}

make_ubuntu_simulation() {  # debian-rootfs dir
    local src=$1 dir=$2
    rm -rf "$dir" && cp -a "$src" "$dir"
    # /etc/os-release is a symlink into /usr/lib on Debian: replace the link, not its target.
    rm -f "$dir/etc/os-release" "$dir/usr/lib/os-release"
    cat >"$dir/etc/os-release" <<'OSR'
PRETTY_NAME="Ubuntu 22.04.5 LTS (simulation)"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.5 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=jammy
OSR
    cat >"$dir/etc/lsb-release" <<'LSB'
DISTRIB_ID=Ubuntu
DISTRIB_RELEASE=22.04
DISTRIB_CODENAME=jammy
DISTRIB_DESCRIPTION="Ubuntu 22.04.5 LTS (SIMULATION)"
LSB
    # Not in os-release: Ansible takes any os-release that mentions Debian for Debian.
    echo "This root filesystem is Debian 12 relabelled as Ubuntu 22.04 for tests." \
        >"$dir/etc/amdgpu-stability-simulation"
    build_stub_repo "$dir/opt/simulation-repo"
    echo 'deb [trusted=yes] file:/opt/simulation-repo ./' >"$dir/etc/apt/sources.list"
}

main() {
    local want=() tag
    for tag in localhost/amdgpu-stability-debian:12 localhost/amdgpu-stability-debian:13 \
               localhost/amdgpu-stability-ubuntu-sim:22.04; do
        image_is_current "$tag" || want+=("$tag")
    done
    if [ ${#want[@]} -eq 0 ]; then log "all images current ($inputs_hash)"; return 0; fi
    mkdir -p "$work"
    local start=$SECONDS
    debootstrap_rootfs bookworm "$work/bookworm" & local pid12=$!
    debootstrap_rootfs trixie "$work/trixie" & local pid13=$!
    wait $pid12; wait $pid13
    log "debootstrap done in $((SECONDS - start)) s"
    import_rootfs "$work/bookworm" localhost/amdgpu-stability-debian:12
    import_rootfs "$work/trixie" localhost/amdgpu-stability-debian:13
    make_ubuntu_simulation "$work/bookworm" "$work/jammy-sim"
    import_rootfs "$work/jammy-sim" localhost/amdgpu-stability-ubuntu-sim:22.04
    rm -rf "$work"
    log "images built in $((SECONDS - start)) s"
}

main "$@"
