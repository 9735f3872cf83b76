#!/usr/bin/env bash
# Build the bootable Debian 12 disk image of the VM scenario: real GRUB in the MBR of a virtio disk,
# root's ssh key from the test harness, systemd-networkd on DHCP, and initramfs-tools set to
# MODULES=dep (with Debian's MODULES=most an update-initramfs under TCG takes a quarter of an hour).
#
# The image is built once and kept as <cache>/base-<inputs hash>.qcow2; every test run boots a
# copy-on-write overlay of it. Only the harness touches the GRUB command line it needs (the serial
# console, in GRUB_CMDLINE_LINUX via grub.d/00-test-harness.cfg); GRUB_CMDLINE_LINUX_DEFAULT stays
# Debian's "quiet" for the code under test. python3-prometheus-client, which the monitor role would
# install, is in the image: the VM proves the boot path (the containers prove the packages), and an
# apt refresh under TCG costs a minute alone and several beside the container scenarios.
#
#   tests/images/build-vm.sh            prints the path of the base image
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${AMDGPU_VM_CACHE:-/var/tmp/amdgpu-stability-vm}
mirror=${AMDGPU_TEST_MIRROR:-http://deb.debian.org/debian}
inputs_hash=$(sha256sum "$here/build-vm.sh" | cut -c1-16)
base=$cache/base-$inputs_hash.qcow2
log() { printf '%s vm-image: %s\n' "$(date +%T)" "$*" >&2; }

if [ -f "$base" ]; then
    echo "$base"
    exit 0
fi
mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
loopdev=
cleanup() {
    set +e
    for mount in "$work/mnt/dev" "$work/mnt/proc" "$work/mnt/sys" "$work/mnt"; do
        mountpoint -q "$mount" && umount -l "$mount"
    done
    [ -n "$loopdev" ] && { partx -d "$loopdev" 2>/dev/null; losetup -d "$loopdev"; }
    rm -rf "$work"
}
trap cleanup EXIT
start=$SECONDS

# The harness's ssh key: the VM scenario logs in as root with it.
[ -f "$cache/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C amdgpu-stability-vm -f "$cache/id_ed25519"

log "debootstrap bookworm with linux-image-amd64 and grub-pc"
debootstrap --variant=minbase --components=main,non-free-firmware \
    --include=linux-image-amd64,grub-pc,openssh-server,python3,python3-apt,systemd-sysv,sudo,udev,kmod,initramfs-tools,dbus,iproute2,netbase,zstd,procps,python3-prometheus-client \
    bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
log "debootstrap done in $((SECONDS - start)) s"

root=$work/rootfs
echo "deb $mirror bookworm main non-free-firmware" >"$root/etc/apt/sources.list"
echo amdgpu-vm >"$root/etc/hostname"
: >"$root/etc/machine-id"
install -d -m 0700 "$root/root/.ssh"
install -m 0600 "$cache/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
cat >"$root/etc/systemd/network/50-dhcp.network" <<'NET'
[Match]
Name=en*

[Network]
DHCP=yes
NET
ln -sf /lib/systemd/system/systemd-networkd.service "$root/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
ln -sf /lib/systemd/system/ssh.service "$root/etc/systemd/system/multi-user.target.wants/ssh.service"
# Test harness only: the serial console. GRUB_CMDLINE_LINUX_DEFAULT belongs to the code under test.
mkdir -p "$root/etc/default/grub.d"
cat >"$root/etc/default/grub.d/00-test-harness.cfg" <<'GRUB'
# amdgpu.stability test harness: serial console for the VM's log. Not part of the collection.
GRUB_CMDLINE_LINUX="console=tty0 console=ttyS0,115200"
GRUB_TIMEOUT=1
GRUB_TERMINAL="console serial"
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
GRUB
# Set after debootstrap: the image's own initramfs was built with MODULES=most (it must find virtio
# on first boot); every rebuild inside the VM only needs what that VM uses.
echo MODULES=dep >"$root/etc/initramfs-tools/conf.d/amdgpu-stability-test-harness.conf"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
touch -d @0 "$root/var/lib/apt/lists"

log "disk with one bootable partition and GRUB in the MBR"
qemu-img create -q -f raw "$work/disk.raw" 4G
echo 'start=2048, type=83, bootable' | sfdisk -q "$work/disk.raw"
loopdev=$(losetup -f --show -P "$work/disk.raw")
# Without udev the partition node may not appear on its own.
[ -b "${loopdev}p1" ] || partx -a "$loopdev"
mkfs.ext4 -q -L amdgpu-root "${loopdev}p1"
uuid=$(blkid -s UUID -o value "${loopdev}p1")
mkdir -p "$work/mnt"
mount "${loopdev}p1" "$work/mnt"
cp -a "$root/." "$work/mnt/"
echo "UUID=$uuid / ext4 errors=remount-ro 0 1" >"$work/mnt/etc/fstab"
# A private /dev with the loop nodes and the by-uuid link: without the link update-grub writes
# root=/dev/loop0p1 and the VM does not boot.
mount -t tmpfs tmpfs "$work/mnt/dev"
cp -a "$loopdev" "${loopdev}p1" "$work/mnt/dev/"
mknod -m 666 "$work/mnt/dev/null" c 1 3
mkdir -p "$work/mnt/dev/disk/by-uuid"
ln -s "../../$(basename "${loopdev}p1")" "$work/mnt/dev/disk/by-uuid/$uuid"
mount -t proc proc "$work/mnt/proc"
mount -t sysfs sysfs "$work/mnt/sys"
chroot "$work/mnt" grub-install --target=i386-pc "$loopdev" >"$work/grub.log" 2>&1 || { cat "$work/grub.log" >&2; exit 1; }
chroot "$work/mnt" update-grub >>"$work/grub.log" 2>&1 || { cat "$work/grub.log" >&2; exit 1; }
grep -q "root=UUID=$uuid" "$work/mnt/boot/grub/grub.cfg" || { echo "grub.cfg does not boot by UUID" >&2; exit 1; }
sync
for mount in "$work/mnt/dev" "$work/mnt/proc" "$work/mnt/sys" "$work/mnt"; do umount "$mount"; done
partx -d "$loopdev" 2>/dev/null || true
losetup -d "$loopdev"
loopdev=

qemu-img convert -q -c -O qcow2 "$work/disk.raw" "$base.tmp"
mv "$base.tmp" "$base"
log "built $base in $((SECONDS - start)) s ($(du -m "$base" | cut -f1) MiB)"
echo "$base"
