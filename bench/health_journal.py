# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: the health program on a real journal file of about 1 GB, against journalctl itself.

    python bench/health_journal.py [--megabytes 1024]

The journal (a directory of files) is written by systemd-journal-remote (in a Debian 12 container: the package is not on the
test machines) from a generated export stream - kernel entries (_TRANSPORT=kernel) of unrelated
drivers, amdgpu chatter and four hangs - and kept under /var/tmp for the next run. Then, in the same
run, on the host's journalctl:

- the first full scan: ``amdgpu-stability-health`` with an empty state against
  ``journalctl -k | grep -cE 'amdgpu|drm'`` (goal: ratio <= 3);
- a timer run with nothing new: the program again (metrics written, as the timer runs it) against
  ``journalctl -k --after-cursor`` of the last entry alone (goal: ratio <= 2), the median of
  several runs of each, with what Python itself costs before the program's first line (starting
  and importing prometheus_client) for the floor;
- the program's peak RSS (goal <= 64 MB).

journalctl reads the file through a stand-in on PATH that adds ``--file``: both sides read the
same file the same way.
"""

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = "/var/tmp/amdgpu-stability-bench"
IMAGE = "localhost/amdgpu-stability-desktop:12"

GENERATOR = r'''
import random, sys
rng = random.Random(7)
target = int(sys.argv[1]) * 1024 * 1024
boot = "6b0d2f9a1c3e4b5d8e7f60718293a4b5"
noise = ["usb 1-2: new high-speed USB device number %d using xhci_hcd",
         "EXT4-fs (nvme0n1p2): re-mounted %d. Quota mode: none.",
         "audit: type=1400 audit(%d.123:456): apparmor=\"STATUS\" operation=\"profile_load\"",
         "nvme nvme0: I/O %d QID 3 timeout, completion polled",
         "r8169 0000:06:00.0 enp6s0: Link is Up - 1Gbps/Full - flow control rx/tx (%d)"]
chatter = ["amdgpu 0000:03:00.0: ring comp_1.%d.0 uses VM inv eng 4 on hub 0",
           "[drm] Initialized amdgpu 3.%d.0 for 0000:03:00.0 on minor 1"]
hang = ["amdgpu 0000:03:00.0: [gfxhub] page fault (src_id:0 ring:24 vmid:3 pasid:32770)",
        "amdgpu 0000:03:00.0: MES failed to respond to msg=REMOVE_QUEUE",
        "amdgpu 0000:03:00.0: ring gfx_0.0.0 timeout, signaled seq=1, emitted seq=3",
        "amdgpu 0000:03:00.0: GPU reset begin!. Source:  1", "amdgpu 0000:03:00.0: MODE1 reset",
        "amdgpu 0000:03:00.0: GPU reset(1) succeeded!"]
out = sys.stdout
size, usec, mono = 0, 1795000000 * 1000000, 1000000
hangs_at = sorted(rng.randrange(target) for _ in range(4))
while size < target:
    usec += rng.randrange(10000); mono += rng.randrange(10000)
    if hangs_at and size >= hangs_at[0]:
        hangs_at.pop(0); block = hang
    elif rng.random() < 0.001:
        block = [rng.choice(chatter) % rng.randrange(1000)]
    else:
        block = [rng.choice(noise) % rng.randrange(1000)]
    for message in block:
        usec += 1000; mono += 1000
        record = ("__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=%s\n_TRANSPORT=kernel\nPRIORITY=6\n"
                  "SYSLOG_FACILITY=0\nSYSLOG_IDENTIFIER=kernel\n_HOSTNAME=benchbox\nMESSAGE=%s\n\n" % (usec, mono, boot, message))
        out.write(record)
        size += len(record)
'''


def journal(megabytes):
    """A directory of journal files (journal-remote rotates at about 128 MB), written once and kept."""
    directory = os.path.join(CACHE, "journal-%dm" % megabytes)
    if os.path.isdir(directory):
        return directory
    os.makedirs(CACHE, exist_ok=True)
    with open(os.path.join(CACHE, "generate.py"), "w") as handle:
        handle.write(GENERATOR)
    start = time.perf_counter()
    env = dict(os.environ, CONTAINERS_CONF=os.path.join(REPO, "tests", "containers.conf"))
    script = ("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "
              "systemd-journal-remote >/dev/null && rm -rf /out/new && mkdir /out/new && python3 /out/generate.py %d | "
              "/lib/systemd/systemd-journal-remote --split-mode=none --compress=no -o /out/new/remote.journal - "
              "&& mv /out/new /out/%s" % (megabytes, os.path.basename(directory)))
    subprocess.check_call(["podman", "run", "--rm", "-v", "%s:/out" % CACHE, IMAGE, "bash", "-c", script], env=env)
    print("journal: %s written in %.0f s" % (directory, time.perf_counter() - start))
    return directory


def timed(argv, env=None, shell=False):
    start = time.perf_counter()
    process = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, shell=shell, check=False)
    return time.perf_counter() - start, process


def median_of(runs, argv, env):
    """The median time of ``runs`` runs, and the last run's process (short runs are noisy here)."""
    times = []
    for _run in range(runs):
        seconds, process = timed(argv, env=env)
        times.append(seconds)
    return sorted(times)[len(times) // 2], process


# The program as the role installs it - the zip, run by Python as it is - with its peak RSS at exit.
PROGRAM = """
import resource, runpy, sys
zip_path = sys.argv[1]
sys.argv = [zip_path] + sys.argv[2:]
try:
    runpy.run_path(zip_path, run_name="__main__")
finally:
    sys.stderr.write("RSS %d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=15, help="runs of each short command (the median is shown)")
    args = parser.parse_args(argv)
    path = journal(args.megabytes)
    work = tempfile.mkdtemp(prefix="amdgpu-stability-bench-")
    try:
        shim = os.path.join(work, "bin")
        os.makedirs(shim)
        with open(os.path.join(shim, "journalctl"), "w") as handle:
            handle.write('#!/bin/sh\nexec /usr/bin/journalctl --directory=%s "$@"\n' % path)
        os.chmod(os.path.join(shim, "journalctl"), 0o755)
        env = dict(os.environ, PATH=shim + ":" + os.environ["PATH"],
                   AMDGPU_STABILITY_CODE_CACHE=os.path.join(work, "cache"))
        root = os.path.join(work, "root")
        subprocess.check_call([sys.executable, os.path.join(REPO, "tests", "fixtures", "fakeroot.py"), root])
        state = os.path.join(work, "state")
        spec = importlib.util.spec_from_file_location(
            "health_bundle", os.path.join(REPO, "plugins", "plugin_utils", "health_bundle.py"))
        health_bundle = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(health_bundle)
        bundle = health_bundle.write_bundle(os.path.join(REPO, "plugins", "module_utils"), work)
        program = ["/usr/bin/python3", "-c", PROGRAM, bundle, "--root", root, "--state-dir", state, "--format", "json",
                   "--textfile", os.path.join(work, "amdgpu_stability.prom")]

        grep_s, grep = timed("journalctl -k | grep -cE 'amdgpu|drm'", env=env, shell=True)
        first_s, first = timed(program, env=env)
        result = json.loads(first.stdout)
        cursor = json.load(open(os.path.join(state, "positions.json")))["journal_cursor"]
        after_s, _after = median_of(args.runs, ["journalctl", "-k", "--after-cursor", cursor], env)
        again_s, again = median_of(args.runs, program, env)
        python_s, _python = median_of(args.runs, ["/usr/bin/python3", "-c", "import prometheus_client"], env)
        rss = max(int(line.split()[1]) for process in (first, again)
                  for line in process.stderr.decode().splitlines() if line.startswith("RSS "))
        hangs = sum(entry["count"] for entry in result["hang_totals"])
        size = sum(os.path.getsize(os.path.join(path, name)) for name in os.listdir(path))
        print("journal: %d MB on disk in %d files, %s lines with amdgpu|drm, %d hangs counted"
              % (size // (1024 * 1024), len(os.listdir(path)), grep.stdout.decode().strip(), hangs))
        print("first scan:  program %.2f s, journalctl -k | grep -cE %.2f s, ratio %.2f (goal <= 3)"
              % (first_s, grep_s, first_s / grep_s))
        print("nothing new: program %.3f s, journalctl -k --after-cursor %.3f s, ratio %.2f (goal <= 2); "
              "python3 -c 'import prometheus_client' alone %.3f s, ratio %.2f"
              % (again_s, after_s, again_s / after_s, python_s, python_s / after_s))
        print("peak RSS %.1f MB (goal <= 64 MB)" % (rss / 1024.0))
        if not os.path.isfile(os.path.join(work, "amdgpu_stability.prom")):
            print("no metrics written: is python3-prometheus-client installed?")
            return 1
        return 0 if hangs == 4 else 1
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
