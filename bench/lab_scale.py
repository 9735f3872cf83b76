# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: a converged lab.yml against `ansible -m ping` on the same container hosts with the
same forks, in the same run; and a converged workstation.yml against a one-task playbook with
minimal facts on one host.

    python bench/lab_scale.py [--hosts 24] [--forks 24]

Starts N podman containers (Debian 12 test image), converges them once (not timed), then times each
pair and prints wall times, ratios, module executions per host (a callback counts the tasks that ran
a module on the host) and the memory the containers took. Needs the test images (make images).
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
IMAGE = "localhost/amdgpu-stability-debian:12"
PREFIX = "amdgpu-bench-"


def podman(*args, **kwargs):
    return subprocess.run(["podman"] + list(args), check=True, capture_output=True, text=True, **kwargs).stdout


def start(count):
    names = ["%s%02d" % (PREFIX, number) for number in range(1, count + 1)]
    for name in names:
        podman("run", "-d", "--name", name, "--stop-timeout=1", IMAGE, "sleep", "infinity")
    return names


def stop(names):
    if names:
        subprocess.run(["podman", "rm", "-f", "-t", "0"] + names, capture_output=True, check=False)


def used_memory_mb():
    with open("/proc/meminfo") as handle:
        info = dict((line.split(":")[0], int(line.split()[1])) for line in handle)
    return (info["MemTotal"] - info["MemAvailable"]) / 1024.0


def write_inventory(directory, names):
    path = os.path.join(directory, "inventory.yml")
    with open(path, "w") as handle:
        handle.write("all:\n  vars:\n    ansible_connection: containers.podman.podman\n"
                     "    ansible_python_interpreter: /usr/bin/python3\n    amdgpu_install_packages: false\n"
                     "  children:\n    rocm_lab:\n      hosts:\n")
        handle.writelines("        %s: {}\n" % name for name in names)
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


def executions(counts_file):
    with open(counts_file) as handle:
        counts = json.load(handle)
    totals = sorted(sum(actions.values()) for actions in counts.values())
    return totals, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--hosts", type=int, default=24)
    parser.add_argument("--forks", type=int, default=24)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="amdgpu-bench-lab-")
    # The working tree as the collection (containers.podman comes with the ansible package).
    os.makedirs(os.path.join(work, "ansible_collections", "amdgpu"))
    os.symlink(REPO, os.path.join(work, "ansible_collections", "amdgpu", "stability"))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=work, ANSIBLE_STDOUT_CALLBACK="default",
               ANSIBLE_PIPELINING="True", ANSIBLE_FORKS=str(args.forks))
    memory_before = used_memory_mb()
    names = []
    try:
        names = start(args.hosts)
        memory = used_memory_mb() - memory_before
        inventory = write_inventory(work, names)
        lab = ["ansible-playbook", "-i", inventory, "amdgpu.stability.lab", "-e", "amdgpu_lab_report_dir=" + work]
        single = ["-l", names[0], "-e", "amdgpu_workstation_hosts=" + names[0]]
        print("%d containers started (%.0f MB more memory in use), forks %d" % (args.hosts, memory, args.forks))
        converge, dummy = timed(lab + ["-e", "amdgpu_lab_serial=100%"], env)
        print("first rollout (converging, not compared): %.1f s" % converge)

        ping, dummy = timed(["ansible", "-i", inventory, "rocm_lab", "-m", "ansible.builtin.ping"], env)
        counts_file = os.path.join(work, "lab-counts.json")
        converged, dummy = timed(lab, env, counts_file)
        totals, counts = executions(counts_file)
        print("ansible -m ping, %d hosts:          %6.1f s" % (args.hosts, ping))
        print("lab.yml converged, serial 25%%:      %6.1f s   ratio %.1f (goal <= 4)" % (converged, converged / ping))
        whole, dummy = timed(lab + ["-e", "amdgpu_lab_serial=100%"], env)
        print("lab.yml converged, serial 100%%:     %6.1f s   ratio %.1f" % (whole, whole / ping))
        print("module executions per converged host: min %d, max %d (goal <= 15): %s"
              % (totals[0], totals[-1], json.dumps(counts[names[-1]], sort_keys=True)))

        one_task = os.path.join(work, "one-task.yml")
        with open(one_task, "w") as handle:
            handle.write("- hosts: all\n  gather_facts: true\n  gather_subset: [min]\n  tasks:\n"
                         "    - ansible.builtin.ping:\n")
        baseline, dummy = timed(["ansible-playbook", "-i", inventory, one_task] + single, env)
        counts_file = os.path.join(work, "workstation-counts.json")
        workstation, dummy = timed(["ansible-playbook", "-i", inventory, "amdgpu.stability.workstation"] + single, env, counts_file)
        totals, dummy = executions(counts_file)
        print("one host: one-task playbook (min facts): %5.1f s" % baseline)
        print("one host: workstation.yml converged:     %5.1f s   ratio %.1f (goal <= 3), %d module executions"
              % (workstation, workstation / baseline, totals[0]))
    finally:
        stop(names)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
