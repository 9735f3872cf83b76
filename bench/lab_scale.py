# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: a converged lab.yml against `ansible -m ping` on the same container hosts with the
same forks, in the same run - through the podman connection and over SSH, as labs connect (sshd in
each container on a loopback port, pipelining on, ControlPersist); and a converged workstation.yml
against a one-task playbook with minimal facts on one host.

    python bench/lab_scale.py [--hosts 24] [--forks 24] [--connection podman,ssh] [--repeat 3]

Starts N podman containers (Debian 12 test image; for ssh the sshd image, built here when missing),
converges them once (not timed), then times each pair (alternated, --repeat times; medians compared)
and prints wall times, ratios, module executions per host (a callback counts the tasks that ran a
module on the host) and the memory the containers took. Needs the test images (make images).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGES = {"podman": "localhost/amdgpu-stability-debian:12", "ssh": "localhost/amdgpu-stability-sshd:12"}
PREFIX = "amdgpu-bench-"
# Loopback ports of the ssh hosts: PORT_BASE + the host's number.
PORT_BASE = 22200
# What labs run: one master connection per host kept between tasks, modules piped through it.
SSH_ARGS = "-C -o ControlMaster=auto -o ControlPersist=60s -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"


def podman(*args, **kwargs):
    return subprocess.run(["podman"] + list(args), check=True, capture_output=True, text=True, **kwargs).stdout


def start(count, connection, work):
    names = ["%s%02d" % (PREFIX, number) for number in range(1, count + 1)]
    for number, name in enumerate(names, 1):
        if connection == "ssh":
            podman("run", "-d", "--name", name, "--stop-timeout=1", "-p", "127.0.0.1:%d:22" % (PORT_BASE + number),
                   "-v", "%s:/root/.ssh/authorized_keys:ro" % os.path.join(work, "id_ed25519.pub"), IMAGES["ssh"])
        else:
            podman("run", "-d", "--name", name, "--stop-timeout=1", IMAGES["podman"], "sleep", "infinity")
    if connection == "ssh":
        wait_for_sshd(count, work)
    return names


def wait_for_sshd(count, work, seconds=60):
    deadline = time.time() + seconds
    for number in range(1, count + 1):
        while subprocess.run(["ssh", "-i", os.path.join(work, "id_ed25519"), "-p", str(PORT_BASE + number),
                              "-o", "BatchMode=yes", "-o", "ConnectTimeout=2"] + SSH_ARGS.split()[1:]
                             + ["-o", "ControlMaster=no", "root@127.0.0.1", "true"],
                             capture_output=True, check=False).returncode != 0:
            if time.time() > deadline:
                sys.exit("sshd of host %d did not answer within %d s" % (number, seconds))
            time.sleep(0.5)


def stop(names):
    if names:
        subprocess.run(["podman", "rm", "-f", "-t", "0"] + names, capture_output=True, check=False)


def used_memory_mb():
    with open("/proc/meminfo") as handle:
        info = dict((line.split(":")[0], int(line.split()[1])) for line in handle)
    return (info["MemTotal"] - info["MemAvailable"]) / 1024.0


def write_inventory(directory, names, connection):
    path = os.path.join(directory, "inventory-%s.yml" % connection)
    with open(path, "w") as handle:
        handle.write("all:\n  vars:\n    ansible_python_interpreter: /usr/bin/python3\n    amdgpu_install_packages: false\n")
        if connection == "ssh":
            handle.write("    ansible_connection: ansible.builtin.ssh\n    ansible_host: 127.0.0.1\n    ansible_user: root\n"
                         "    ansible_ssh_private_key_file: %s\n" % os.path.join(directory, "id_ed25519"))
        else:
            handle.write("    ansible_connection: containers.podman.podman\n")
        handle.write("  children:\n    rocm_lab:\n      hosts:\n")
        for number, name in enumerate(names, 1):
            handle.write("        %s: {%s}\n" % (name, "ansible_port: %d" % (PORT_BASE + number) if connection == "ssh" else ""))
    return path


def timed(argv, env, counts_file=None):
    environ = dict(env)
    if counts_file:
        environ.update(MODULE_COUNT_FILE=counts_file, ANSIBLE_CALLBACKS_ENABLED="module_count",
                       ANSIBLE_CALLBACK_PLUGINS=os.path.join(REPO, "bench", "callback_plugins"))
    begin = time.time()
    process = subprocess.run(argv, env=environ, capture_output=True, text=True, check=False)
    seconds = time.time() - begin
    if process.returncode != 0:
        sys.exit("failed (rc=%d): %s\n%s" % (process.returncode, " ".join(argv), process.stdout[-3000:]))
    return seconds, process.stdout


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


def seconds_list(values):
    return ", ".join("%.1f" % value for value in values)


def executions(counts_file):
    with open(counts_file) as handle:
        counts = json.load(handle)
    totals = sorted(sum(actions.values()) for actions in counts.values())
    return totals, counts


def bench_lab(connection, args, work, env):
    """The lab figures through one connection, printed; the workstation pair too with podman."""
    memory_before = used_memory_mb()
    names = []
    try:
        names = start(args.hosts, connection, work)
        memory = used_memory_mb() - memory_before
        inventory = write_inventory(work, names, connection)
        lab = ["ansible-playbook", "-i", inventory, "amdgpu.stability.lab", "-e", "amdgpu_lab_report_dir=" + work]
        print("[%s] %d containers started (%.0f MB more memory in use), forks %d" % (connection, args.hosts, memory, args.forks))
        converge, dummy = timed(lab + ["-e", "amdgpu_lab_serial=100%"], env)
        print("[%s] first rollout (converging, not compared): %.1f s" % (connection, converge))
        # Each pair alternated and repeated, the medians compared: the machines here are noisy.
        pings, rollouts, wholes = [], [], []
        counts_file = os.path.join(work, "lab-counts-%s.json" % connection)
        for dummy in range(args.repeat):
            pings.append(timed(["ansible", "-i", inventory, "rocm_lab", "-m", "ansible.builtin.ping"], env)[0])
            rollouts.append(timed(lab, env, counts_file)[0])
            wholes.append(timed(lab + ["-e", "amdgpu_lab_serial=100%"], env)[0])
        totals, counts = executions(counts_file)
        ping, converged, whole = median(pings), median(rollouts), median(wholes)
        print("[%s] ansible -m ping, %d hosts:          %6.1f s   (median of %d: %s)"
              % (connection, args.hosts, ping, args.repeat, seconds_list(pings)))
        print("[%s] lab.yml converged, serial 25%%:      %6.1f s   ratio %.1f (goal <= 3)   (%s)"
              % (connection, converged, converged / ping, seconds_list(rollouts)))
        print("[%s] lab.yml converged, serial 100%%:     %6.1f s   ratio %.1f   (%s)"
              % (connection, whole, whole / ping, seconds_list(wholes)))
        print("[%s] module executions per converged host: min %d, max %d (goal <= 5): %s"
              % (connection, totals[0], totals[-1], json.dumps(counts[names[-1]], sort_keys=True)))
        if connection == "podman":
            bench_workstation(inventory, names[0], work, env)
    finally:
        stop(names)


def bench_workstation(inventory, name, work, env):
    single = ["-l", name, "-e", "amdgpu_workstation_hosts=" + name]
    one_task = os.path.join(work, "one-task.yml")
    with open(one_task, "w") as handle:
        handle.write("- hosts: all\n  gather_facts: true\n  gather_subset: [min]\n  tasks:\n"
                     "    - ansible.builtin.ping:\n")
    baseline, dummy = timed(["ansible-playbook", "-i", inventory, one_task] + single, env)
    counts_file = os.path.join(work, "workstation-counts.json")
    workstation, dummy = timed(["ansible-playbook", "-i", inventory, "amdgpu.stability.workstation"] + single, env, counts_file)
    totals, dummy = executions(counts_file)
    print("[podman] one host: one-task playbook (min facts): %5.1f s" % baseline)
    print("[podman] one host: workstation.yml converged:     %5.1f s   ratio %.1f (goal <= 3), %d module executions"
          % (workstation, workstation / baseline, totals[0]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--hosts", type=int, default=24)
    parser.add_argument("--forks", type=int, default=24)
    parser.add_argument("--connection", default="podman,ssh", help="comma-separated: podman, ssh")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each, alternated; medians compared")
    args = parser.parse_args()
    connections = [name for name in args.connection.split(",") if name]
    unknown = sorted(set(connections) - set(IMAGES))
    if unknown:
        parser.error("--connection: unknown %s (podman, ssh)" % ", ".join(unknown))
    work = tempfile.mkdtemp(prefix="amdgpu-bench-lab-")
    # The working tree as the collection (containers.podman comes with the ansible package).
    os.makedirs(os.path.join(work, "ansible_collections", "amdgpu"))
    os.symlink(REPO, os.path.join(work, "ansible_collections", "amdgpu", "stability"))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=work, ANSIBLE_STDOUT_CALLBACK="default",
               ANSIBLE_PIPELINING="True", ANSIBLE_FORKS=str(args.forks), ANSIBLE_SSH_ARGS=SSH_ARGS,
               ANSIBLE_HOST_KEY_CHECKING="False")
    try:
        if "ssh" in connections:
            subprocess.run([os.path.join(REPO, "tests", "images", "build-derived.sh"), "sshd"], check=True)
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(work, "id_ed25519")], check=True)
        for connection in connections:
            bench_lab(connection, args, work, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
