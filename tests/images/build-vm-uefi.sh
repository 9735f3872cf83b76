#!/usr/bin/env bash
# Build the UEFI Debian 13 disk images of the VM scenarios: a GPT disk with an EFI system partition
# (FAT32, mounted at /boot/efi) that OVMF boots without any boot entry in its variables (the loader
# sits at the removable path EFI/BOOT/BOOTX64.EFI), and an ext4 root.
#
#   grub     GRUB (grub-efi-amd64) reading /boot/grub/grub.cfg, as Debian's installer sets it up
#   sdboot   systemd-boot: loader entries on the ESP written by kernel-install from /etc/kernel/cmdline
#            (Debian 13's systemd-boot package; no GRUB installed)
#
# Both are built from one debootstrap of trixie, kept as <cache>/trixie-rootfs-<hash of its inputs>;
# each image is kept as <cache>/base-<flavor>-<hash of this script and vm-image-lib.sh>.qcow2 and
# booted as a copy-on-write overlay. The root's ssh key, networkd and the harness-only serial
# console come from vm-image-lib.sh, as for the BIOS Debian 12 image.
#
#   tests/images/build-vm-uefi.sh grub|sdboot     prints the path of the base image
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
flavor=${1:?usage: $0 grub|sdboot}
case "$flavor" in grub|sdboot) ;; *) echo "unknown flavor $flavor (grub or sdboot)" >&2; exit 2 ;; esac
cache=${AMDGPU_VM_CACHE:-/var/tmp/amdgpu-stability-vm}
mirror=${AMDGPU_TEST_MIRROR:-http://deb.debian.org/debian}
# systemd-boot-efi is named: debootstrap does not resolve systemd-boot's "-efi-signed | -efi".
packages=linux-image-amd64,grub-efi-amd64,systemd-boot,systemd-boot-efi,dosfstools,openssh-server,python3,python3-apt,systemd-sysv,sudo,udev,kmod,initramfs-tools,dbus,iproute2,netbase,zstd,procps,python3-prometheus-client
rootfs=$cache/trixie-rootfs-$(printf '%s %s' "$packages" "$mirror" | sha256sum | cut -c1-16)
base=$cache/base-$flavor-$(cat "$here/build-vm-uefi.sh" "$here/vm-image-lib.sh" | sha256sum | cut -c1-16).qcow2
# The harness's fixed machine id: kernel-install names the entries' directory after it.
machine_id=a3d9c0f27e5b4d6c8e1f0a2b3c4d5e6f
loopdev=
# shellcheck source=vm-image-lib.sh
. "$here/vm-image-lib.sh"

if [ -f "$base" ]; then
    echo "$base"
    exit 0
fi
mkdir -p "$cache"
vm_image_ssh_key
start=$SECONDS

if [ ! -d "$rootfs" ]; then
    vm_image_log "debootstrap trixie with linux-image-amd64, grub-efi-amd64 and systemd-boot"
    rm -rf "$rootfs.tmp"
    debootstrap --variant=minbase --components=main,non-free-firmware --include="$packages" \
        trixie "$rootfs.tmp" "$mirror" >"$cache/debootstrap-trixie.log" 2>&1 \
        || { tail -n 30 "$cache/debootstrap-trixie.log" >&2; exit 1; }
    rm -rf "$rootfs.tmp"/var/lib/apt/lists/* "$rootfs.tmp"/var/cache/apt/archives/*.deb
    mv "$rootfs.tmp" "$rootfs"
    vm_image_log "debootstrap done in $((SECONDS - start)) s"
fi

work=$(mktemp -d "$cache/build-$flavor.XXXXXX")
mnt=$work/mnt
cleanup() {
    set +e
    mountpoint -q "$mnt" && umount -l "$mnt"
    [ -n "$loopdev" ] && { partx -d "$loopdev" 2>/dev/null; losetup -d "$loopdev"; }
    rm -rf "$work"
}
trap cleanup EXIT

vm_image_log "GPT disk: EFI system partition and root ($flavor)"
qemu-img create -q -f raw "$work/disk.raw" 4G
printf 'label: gpt\nstart=2048, size=512MiB, type=U\ntype=L\n' | sfdisk -q "$work/disk.raw"
loopdev=$(losetup -f --show -P "$work/disk.raw")
[ -b "${loopdev}p2" ] || partx -a "$loopdev"
mkfs.vfat -F 32 -n ESP "${loopdev}p1" >/dev/null
mkfs.ext4 -q -L amdgpu-root "${loopdev}p2"
root_uuid=$(blkid -s UUID -o value "${loopdev}p2")
esp_uuid=$(blkid -s UUID -o value "${loopdev}p1")
mkdir -p "$mnt"
mount "${loopdev}p2" "$mnt"
cp -a "$rootfs/." "$mnt/"
mkdir -p "$mnt/boot/efi"
cat >"$mnt/etc/fstab" <<FSTAB
UUID=$root_uuid / ext4 errors=remount-ro 0 1
UUID=$esp_uuid /boot/efi vfat umask=0077 0 1
FSTAB

echo "deb $mirror trixie main non-free-firmware" >"$mnt/etc/apt/sources.list"
echo "amdgpu-vm-$flavor" >"$mnt/etc/hostname"
echo "$machine_id" >"$mnt/etc/machine-id"
vm_image_guest_access "$mnt"
# Set after debootstrap: the image's own initramfs was built with MODULES=most (it must find virtio
# on first boot); every rebuild inside the VM only needs what that VM uses (with Debian's MODULES=most
# an update-initramfs under TCG takes a quarter of an hour).
echo MODULES=dep >"$mnt/etc/initramfs-tools/conf.d/amdgpu-stability-test-harness.conf"
touch -d @0 "$mnt/var/lib/apt/lists"
version=$(basename "$(ls -d "$mnt"/lib/modules/* | tail -n 1)")
cp "$mnt/boot/vmlinuz-$version" "$mnt/boot/initrd.img-$version" "$work/"

# The boot loader is installed from inside the guest: this host's kernel cannot mount FAT, and
# grub-install and bootctl want the ESP mounted where they write. A direct kernel boot runs
# /root/install-boot-loader as init, which powers the guest off when done.
if [ "$flavor" = grub ]; then
    vm_image_grub_serial_console "$mnt"
    # No EFI variables to write: the removable path, which firmware boots without a boot entry.
    # Purging systemd-boot runs kernel-install remove, whose 50-depmod.install deletes the kernel's
    # modules.dep (seen: no module loaded, not even vfat for /boot/efi): depmod again.
    install_steps="dpkg --purge systemd-boot systemd-boot-efi
depmod $version
grub-install --target=x86_64-efi --efi-directory=/boot/efi --removable --no-nvram
update-grub
grep -q 'root=UUID=$root_uuid' /boot/grub/grub.cfg"
else
    # The command line every entry gets. The harness's serial console is part of it: unlike GRUB,
    # systemd-boot has no second variable to keep it apart from the code under test.
    echo "root=UUID=$root_uuid ro console=tty0 console=ttyS0,115200 quiet" >"$mnt/etc/kernel/cmdline"
    install_steps="dpkg --purge grub-efi-amd64 grub-efi-amd64-bin grub2-common grub-common
bootctl install --esp-path=/boot/efi --no-variables
printf 'timeout 1\nconsole-mode keep\n' >/boot/efi/loader/loader.conf
kernel-install add $version /boot/vmlinuz-$version /boot/initrd.img-$version
grep -q '^options .*root=UUID=$root_uuid' /boot/efi/loader/entries/*-$version.conf"
fi
cat >"$mnt/root/install-boot-loader" <<SCRIPT
#!/bin/sh
# Run once as init by build-vm-uefi.sh, then removed.
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -o remount,rw /
/usr/lib/systemd/systemd-udevd --daemon && udevadm trigger && udevadm settle
modprobe vfat; mount /boot/efi
set -e
(
$install_steps
test -f /boot/efi/EFI/BOOT/BOOTX64.EFI
) >/root/install-boot-loader.log 2>&1 && echo done >/root/install-boot-loader.ok
set +e
cat /root/install-boot-loader.log
umount /boot/efi; mount -o remount,ro /; sync
echo o >/proc/sysrq-trigger
SCRIPT
chmod +x "$mnt/root/install-boot-loader"
umount "$mnt"

vm_image_log "installing the boot loader from inside the guest (direct kernel boot)"
accel=$("$here/../vm/vm.sh" accel)
if [ "$accel" = kvm ]; then accel_args=(-accel kvm -cpu host); else accel_args=(-accel tcg,thread=multi -cpu max); fi
timeout 900 qemu-system-x86_64 "${accel_args[@]}" -machine pc -m 2048 -smp 2 -no-reboot \
    -drive "file=$work/disk.raw,if=virtio,format=raw" -nic none -display none -monitor none \
    -serial "file:$work/install.log" -kernel "$work/vmlinuz-$version" -initrd "$work/initrd.img-$version" \
    -append "root=UUID=$root_uuid rw console=ttyS0,115200 init=/root/install-boot-loader panic=-1" \
    || { tail -n 40 "$work/install.log" >&2; exit 1; }
mount "${loopdev}p2" "$mnt"
[ -f "$mnt/root/install-boot-loader.ok" ] || { tail -n 40 "$work/install.log" >&2; exit 1; }
rm -f "$mnt/root/install-boot-loader" "$mnt/root/install-boot-loader.ok" "$mnt/root/install-boot-loader.log"
umount "$mnt"
vm_image_detach
vm_image_publish "$work/disk.raw" "$base" "$start"
