#!/usr/bin/env bash
# Start and stop the test VM: a copy-on-write overlay of the base image from build-vm.sh, booted by
# qemu with ssh forwarded to a loopback port and no other network exposure.
#
#   tests/vm/vm.sh start NAME PORT [IMAGE]
#                                     boot, wait for ssh; prints the overlay directory. IMAGE: bios
#                                     (Debian 12, GRUB in the MBR; the default), uefi-grub or
#                                     uefi-sdboot (Debian 13 through OVMF, GRUB or systemd-boot)
#   tests/vm/vm.sh stop NAME          power off and delete the overlay
#   tests/vm/vm.sh accel              the accelerator this machine gives (kvm or tcg)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${AMDGPU_VM_CACHE:-/var/tmp/amdgpu-stability-vm}
log() { printf '%s vm: %s\n' "$(date +%T)" "$*" >&2; }

# Real KVM has a vendor module (kvm_intel, kvm_amd). /dev/kvm alone is not enough: some hosts offer
# kvm_pvm, which only runs PVM-built guest kernels (a Debian kernel hangs early there).
accel() {
    if [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
        echo kvm
    else
        echo tcg
    fi
}

ssh_vm() {  # port command...
    local port=$1; shift
    ssh -q -i "$cache/id_ed25519" -p "$port" -o BatchMode=yes -o ConnectTimeout=5 \
        -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.1 "$@"
}

# Debian's ovmf: the firmware read-only, a copy of the variable store per VM.
ovmf=/usr/share/OVMF

start() {
    local name=$1 port=$2 image=${3:-bios} base dir accel cpu firmware=()
    dir=$cache/run/$name
    rm -rf "$dir" && mkdir -p "$dir"
    case "$image" in
        bios) base=$("$here/../images/build-vm.sh") ;;
        uefi-grub|uefi-sdboot)
            base=$("$here/../images/build-vm-uefi.sh" "${image#uefi-}")
            cp "$ovmf/OVMF_VARS_4M.fd" "$dir/efivars.fd"
            firmware=(-drive "if=pflash,format=raw,readonly=on,file=$ovmf/OVMF_CODE_4M.fd"
                      -drive "if=pflash,format=raw,file=$dir/efivars.fd") ;;
        *) echo "unknown image $image (bios, uefi-grub, uefi-sdboot)" >&2; exit 2 ;;
    esac
    qemu-img create -q -f qcow2 -b "$base" -F qcow2 "$dir/disk.qcow2"
    accel=$(accel)
    if [ "$accel" = kvm ]; then cpu=host; else accel=tcg,thread=multi; cpu=max; fi
    qemu_args=(-accel "$accel" -cpu "$cpu" -machine pc -m 2048 -smp 2 "${firmware[@]}"
               -drive "file=$dir/disk.qcow2,if=virtio,format=qcow2"
               -nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$port-:22"
               -display none -serial "file:$dir/console.log" -monitor none
               -daemonize -pidfile "$dir/qemu.pid")
    echo "$port" >"$dir/port"
    # Under TCG the guest kernel has panicked in its first seconds, once in about a dozen Debian 13
    # boots (an int3 Oops while it patches its own code: the emulator, not the code under test). The
    # first boot changes nothing on the disk, so such a boot is started once more.
    local attempt begin=$SECONDS
    for attempt in 1 2; do
        : >"$dir/console.log"
        qemu-system-x86_64 "${qemu_args[@]}"
        until ssh_vm "$port" true 2>/dev/null; do
            if grep -q "Kernel panic" "$dir/console.log"; then
                log "$name: the guest kernel panicked while booting (attempt $attempt):"
                grep -a -m 3 -E "Oops|RIP:|Kernel panic" "$dir/console.log" >&2
                stop_qemu "$dir"
                continue 2
            fi
            if [ $((SECONDS - begin)) -gt 600 ]; then
                log "no ssh on port $port after 600 s; console:"; tail -n 40 "$dir/console.log" >&2; exit 1
            fi
            sleep 3
        done
        log "$name up on 127.0.0.1:$port after $((SECONDS - begin)) s ($(accel))"
        echo "$dir"
        return 0
    done
    log "$name: no boot in $attempt attempts; console:"; tail -n 40 "$dir/console.log" >&2; exit 1
}

stop_qemu() {  # overlay directory
    local dir=$1 pid
    [ -f "$dir/qemu.pid" ] || return 0
    pid=$(cat "$dir/qemu.pid")
    kill "$pid" 2>/dev/null || true
    # A daemonised qemu removes its pidfile when it has exited.
    for _ in $(seq 50); do [ -f "$dir/qemu.pid" ] || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/qemu.pid"
}

stop() {
    local name=$1 dir
    dir=$cache/run/$name
    [ -d "$dir" ] || return 0
    stop_qemu "$dir"
    rm -rf "$dir"
}

case "${1:-}" in
    start) start "$2" "$3" "${4:-bios}" ;;
    stop) stop "$2" ;;
    accel) accel ;;
    *) echo "usage: $0 start NAME PORT [bios|uefi-grub|uefi-sdboot] | stop NAME | accel" >&2; exit 2 ;;
esac
