#!/usr/bin/env bash
# Install everything the demo and the tests need, on a fresh Debian 12 machine, as root.
# Each step is skipped when already done, so a second run takes seconds.
#   tests/tools/setup.sh [--no-images]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
log() { printf '%s setup: %s\n' "$(date +%T)" "$*"; }

# Host packages. runc must be named: podman depends on crun | runc, and crun cannot run with the
# hybrid cgroup layout of the test machines. qemu, fdisk and ssh for the VM scenario; chromium
# renders the audit report headless in the audit scenario.
host_packages=(podman runc debootstrap zstd python3-venv dpkg-dev qemu-system-x86 qemu-utils fdisk openssh-client chromium)
missing=()
for pkg in "${host_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || { echo "setup: run as root to install ${missing[*]}" >&2; exit 1; }
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The virtual environment, rebuilt when the pinned requirements change.
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt tests/requirements.txt | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "creating .venv from tests/requirements.txt"
    rm -rf .venv
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt -r tests/requirements.txt
    echo "$want" >"$stamp"
fi

# ansible-test bootstraps pip in each of its virtual environments with a script it downloads from
# a host the test machines cannot reach; put the stand-in where it looks first.
pip_version=$(grep -oP "pip='\K[0-9.]+" .venv/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -n1)
standin=$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py
if [ -n "$pip_version" ] && ! cmp -s tests/tools/get_pip_standin.py "$standin"; then
    mkdir -p "$(dirname "$standin")"
    cp tests/tools/get_pip_standin.py "$standin"
    log "ansible-test pip bootstrap stand-in at $standin"
fi

if [ "${1:-}" != "--no-images" ]; then
    CONTAINERS_CONF=$repo/tests/containers.conf bash tests/images/build.sh
    CONTAINERS_CONF=$repo/tests/containers.conf bash tests/images/build-desktop.sh
fi
log "ready"
