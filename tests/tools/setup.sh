#!/usr/bin/env bash
# Install everything the demo and the tests need, on a fresh Debian 12 machine, as root.
# Each step is skipped when already done, so a second run takes seconds.
#   tests/tools/setup.sh [--no-images]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
log() { printf '%s setup: %s\n' "$(date +%T)" "$*"; }

# Host packages. runc must be named: podman depends on crun | runc, and crun cannot run with the
# hybrid cgroup layout of the test machines. qemu, fdisk and ssh for the VM scenarios, ovmf (the UEFI
# firmware) and dosfstools (the EFI system partition) for the UEFI guests; chromium
# renders the audit report headless in the audit scenario; the health benchmark runs the program with
# the host's Python, which needs the Prometheus client for its metrics.
host_packages=(podman runc debootstrap zstd python3-venv dpkg-dev qemu-system-x86 qemu-utils ovmf dosfstools fdisk openssh-client chromium
               python3-prometheus-client)
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

# promtool (checks the health program's metrics and runs the alerting rules' unit tests), taken out
# of Debian's prometheus package rather than installed: the package would also set up a server.
if [ ! -x .tools/promtool ]; then
    log "promtool from Debian's prometheus package"
    work=$(mktemp -d)
    (cd "$work" && { apt-get download -qq prometheus >/dev/null 2>&1 || { apt-get update -qq && apt-get download -qq prometheus >/dev/null; }; } \
        && dpkg-deb -x prometheus_*.deb tree)
    mkdir -p .tools
    cp "$work/tree/usr/bin/promtool" .tools/promtool
    rm -rf "$work"
fi

# The main line runs on the newest ansible-core a Python of this machine allows: 2.21 on Python 3.13
# or 3.12 (pyenv, /usr/local or the distribution's python3.1x), 2.19 on Debian 12's own 3.11.
# tests/tools/pythons.sh finds them (and installs one where the package manager offers it).
# shellcheck source=tests/tools/pythons.sh
. tests/tools/pythons.sh
if main_python=$(find_python 3.13 3.12); then
    requirements=tests/requirements.txt
else
    main_python=$(command -v python3)
    requirements=tests/requirements-2.19.txt
    log "no Python >= 3.12 found: the main line runs ansible-core 2.19 on $($main_python -V)"
fi

# The virtual environment, rebuilt when the Python or the pinned requirements change.
stamp=.venv/.requirements.sha256
want=$( (echo "$main_python"; cat requirements.txt "$requirements") | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "creating .venv with $($main_python -V) from $requirements"
    rm -rf .venv
    "$main_python" -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt -r "$requirements"
    echo "$want" >"$stamp"
fi

# ansible-test bootstraps pip in each of its virtual environments with a script it downloads from
# a host the test machines cannot reach; put the stand-in where it looks first.
.venv/bin/python tests/tools/pip_standin.py .venv

# One virtual environment per ansible-core line the collection claims (tests/lines.py).
.venv/bin/python tests/lines.py setup

if [ "${1:-}" != "--no-images" ]; then
    CONTAINERS_CONF=$repo/tests/containers.conf bash tests/images/build.sh
    CONTAINERS_CONF=$repo/tests/containers.conf bash tests/images/build-derived.sh desktop slurm kernel dracut
fi
log "ready"
