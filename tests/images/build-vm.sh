#!/usr/bin/env bash
# Build the bootable Debian 12 disk image of the vm-bios scenario: real GRUB in the MBR of a virtio
# disk, dracut in place of initramfs-tools (the generator of Fedora, RHEL and SUSE, optional on
# Debian; the UEFI guests keep initramfs-tools), root's ssh key from the test harness and
# systemd-networkd on DHCP (vm-image-lib.sh).
#
# dracut builds the image's first initramfs in generic mode (it must find virtio on first boot, and
# the chroot is not the guest); every rebuild inside the VM is hostonly, as Fedora's dracut builds
# them, strict and zstd-compressed: 70 s under TCG, against 122 s for Debian's hostonly defaults
# (gzip) and minutes for a generic image.
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
inputs_hash=$(cat "$here/build-vm.sh" "$here/vm-image-lib.sh" | sha256sum | cut -c1-16)
base=$cache/base-$inputs_hash.qcow2
# shellcheck source=vm-image-lib.sh
. "$here/vm-image-lib.sh"

if [ -f "$base" ]; then
    echo "$base"
    exit 0
fi
mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
loopdev=
cleanup() {
    set +e
    for mount in "$work/mnt/dev" "$work/mnt/proc" "$work/mnt/sys" "$work/mnt" \
                 "$work/rootfs/dev" "$work/rootfs/proc" "$work/rootfs/sys"; do
        mountpoint -q "$mount" && umount -l "$mount"
    done
    [ -n "$loopdev" ] && { partx -d "$loopdev" 2>/dev/null; losetup -d "$loopdev"; }
    rm -rf "$work"
}
trap cleanup EXIT
start=$SECONDS

vm_image_ssh_key
vm_image_log "debootstrap bookworm with linux-image-amd64 and grub-pc"
debootstrap --variant=minbase --components=main,non-free-firmware \
    --include=linux-image-amd64,grub-pc,openssh-server,python3,python3-apt,systemd-sysv,sudo,udev,kmod,initramfs-tools,dbus,iproute2,netbase,zstd,procps,python3-prometheus-client \
    bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
vm_image_log "debootstrap done in $((SECONDS - start)) s"

root=$work/rootfs
echo "deb $mirror bookworm main non-free-firmware" >"$root/etc/apt/sources.list"
echo amdgpu-vm >"$root/etc/hostname"
: >"$root/etc/machine-id"
vm_image_guest_access "$root"
vm_image_grub_serial_console "$root"

# debootstrap resolves linux-image's "initramfs-tools | linux-initramfs-tool" to initramfs-tools;
# apt then swaps in dracut (the packages conflict), whose postinst builds the kernel's image.
vm_image_log "dracut in place of initramfs-tools"
cp -a "$root/etc/resolv.conf" "$work/resolv.conf" 2>/dev/null || :
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
# A private /dev with the nodes apt and dracut use, not the host's.
mount -t tmpfs tmpfs "$root/dev"
mknod -m 666 "$root/dev/null" c 1 3
mknod -m 666 "$root/dev/zero" c 1 5
mknod -m 666 "$root/dev/urandom" c 1 9
ln -s /proc/self/fd "$root/dev/fd"
{ chroot "$root" apt-get update -q && DEBIAN_FRONTEND=noninteractive chroot "$root" \
      apt-get install -y -q --no-install-recommends dracut; } >"$work/dracut.log" 2>&1 \
    || { tail -n 30 "$work/dracut.log" >&2; exit 1; }
for mount in "$root/dev" "$root/proc" "$root/sys"; do umount "$mount"; done
if [ -e "$work/resolv.conf" ]; then cp -a "$work/resolv.conf" "$root/etc/resolv.conf"; else rm -f "$root/etc/resolv.conf"; fi
[ ! -e "$root/usr/sbin/update-initramfs" ] || { echo "initramfs-tools is still installed" >&2; exit 1; }
chroot "$root" sh -c 'lsinitrd /boot/initrd.img-*' | grep virtio_blk >/dev/null \
    || { echo "the first dracut image has no virtio_blk: the VM would not find its disk" >&2; exit 1; }
# Set after the first image: every rebuild inside the VM only needs what that VM uses.
cat >"$root/etc/dracut.conf.d/00-amdgpu-stability-test-harness.conf" <<'DRACUT'
# amdgpu.stability test harness: small images, quick to build under TCG. Not part of the collection.
hostonly="yes"
hostonly_mode="strict"
compress="zstd"
DRACUT
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
touch -d @0 "$root/var/lib/apt/lists"

vm_image_log "disk with one bootable partition and GRUB in the MBR"
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
vm_image_detach
vm_image_publish "$work/disk.raw" "$base" "$start"
