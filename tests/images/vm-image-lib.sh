# Sourced by build-vm.sh and build-vm-uefi.sh: what every VM image of the tests shares - the
# harness's ssh key, root's login with it, DHCP on systemd-networkd, GRUB's serial console, and the
# last step that turns the raw disk into the cached base image. The image scripts hash this file with
# their own, so a change here rebuilds every image.
#
# Expects: cache (the image cache directory) and loopdev (the raw disk's loop device, or empty).

vm_image_log() { printf '%s vm-image: %s\n' "$(date +%T)" "$*" >&2; }

# The harness's ssh key: the VM scenarios log in as root with it.
vm_image_ssh_key() {
    [ -f "$cache/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C amdgpu-stability-vm -f "$cache/id_ed25519"
}

# root logs in with the harness's key; the first ethernet interface takes DHCP from qemu's user
# network, which forwards the ssh port.
vm_image_guest_access() {  # root of the guest's file system
    local root=$1
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
}

# Test harness only: the serial console, in GRUB_CMDLINE_LINUX. GRUB_CMDLINE_LINUX_DEFAULT stays
# Debian's "quiet": it belongs to the code under test.
vm_image_grub_serial_console() {  # root of the guest's file system
    local root=$1
    mkdir -p "$root/etc/default/grub.d"
    cat >"$root/etc/default/grub.d/00-test-harness.cfg" <<'GRUB'
# amdgpu.stability test harness: serial console for the VM's log. Not part of the collection.
GRUB_CMDLINE_LINUX="console=tty0 console=ttyS0,115200"
GRUB_TIMEOUT=1
GRUB_TERMINAL="console serial"
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
GRUB
}

# Detach the raw disk's loop device (the caller's cleanup then has none left to detach).
vm_image_detach() {
    partx -d "$loopdev" 2>/dev/null || true
    losetup -d "$loopdev"
    loopdev=
}

# Keep the raw disk, compressed, as the base image; prints its path.
vm_image_publish() {  # raw disk, base image path, start (SECONDS at the build's start)
    local raw=$1 base=$2 start=$3
    qemu-img convert -q -c -O qcow2 "$raw" "$base.tmp"
    mv "$base.tmp" "$base"
    vm_image_log "built $base in $((SECONDS - start)) s ($(du -m "$base" | cut -f1) MiB)"
    echo "$base"
}
