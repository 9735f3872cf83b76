#!/usr/bin/env bash
# make demo: start (or reuse) a Debian 12 container standing in for a workstation and apply
# playbooks/workstation.yml to it. A second run reports 0 changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
export CONTAINERS_CONF=$repo/tests/containers.conf PATH=$repo/.venv/bin:$PATH
name=amdgpu-stability-demo

if [ "$(podman inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != "true" ]; then
    podman rm -f "$name" >/dev/null 2>&1 || true
    podman run -d --name "$name" --hostname workstation --stop-timeout=1 \
        localhost/amdgpu-stability-debian:12 sleep infinity >/dev/null
    echo "demo: started container $name (Debian 12)"
fi

# The collection straight from this checkout, ahead of the installed ones (containers.podman).
collections=$repo/.cache/collections
mkdir -p "$collections/ansible_collections/amdgpu"
ln -sfn "$repo" "$collections/ansible_collections/amdgpu/stability"
export ANSIBLE_COLLECTIONS_PATH=$collections:$HOME/.ansible/collections:/usr/share/ansible/collections
export ANSIBLE_STDOUT_CALLBACK=default

log=$repo/.cache/demo.log
if ansible-playbook -i tests/demo/inventory.yml playbooks/workstation.yml "$@" >"$log" 2>&1; then
    sed -n '/TASK \[Summary\]/,$p' "$log"
    echo "demo: full output in $log; 'make demo' again reports changed=0; 'make demo-clean' removes the container."
else
    tail -n 60 "$log"
    echo "demo: the playbook failed; full output in $log" >&2
    exit 1
fi
