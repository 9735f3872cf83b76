# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: the log scanner's core against `grep -cE 'amdgpu|drm'` on the same file, same run.

    python bench/logscan.py [--megabytes 100]

Generates a kernel log (unrelated kernel lines, a boot's worth of amdgpu chatter at the start and one
chatter line in a thousand after it, four hangs), then
prints both wall times, their ratio, the scanner's lines/s and its peak RSS (in a child process, so
the generator's memory does not count).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOISE = [
    "usb 1-2: new high-speed USB device number %d using xhci_hcd",
    "EXT4-fs (nvme0n1p2): re-mounted %d. Quota mode: none.",
    "audit: type=1400 audit(%d.123:456): apparmor=\"STATUS\" operation=\"profile_load\"",
    "wlp5s0: associated, aid %d",
    "[UFW BLOCK] IN=enp6s0 OUT= MAC=aa:bb SRC=10.0.0.%d DST=224.0.0.251 LEN=32 PROTO=UDP",
    "nvme nvme0: I/O %d QID 3 timeout, completion polled",
    "r8169 0000:06:00.0 enp6s0: Link is Up - 1Gbps/Full - flow control rx/tx (%d)",
]
# amdgpu's own chatter: a boot's worth of it at the start, then one line in a thousand.
CHATTER = [
    "amdgpu 0000:03:00.0: amdgpu: ring comp_1.%d.0 uses VM inv eng 4 on hub 0",
    "[drm] Initialized amdgpu 3.%d.0 for 0000:03:00.0 on minor 1",
    "amdgpu 0000:03:00.0: amdgpu: SMU is resumed successfully! (%d)",
]
HANG = [
    "amdgpu 0000:03:00.0: amdgpu: [gfxhub] page fault (src_id:0 ring:24 vmid:3 pasid:32770) in process python3 pid 4242 thread python3 pid 4250)",
    "amdgpu 0000:03:00.0: amdgpu:   in page starting at address 0x00007f12deadb000 from client 10",
    "amdgpu 0000:03:00.0: amdgpu: GCVM_L2_PROTECTION_FAULT_STATUS:0x00B01A31",
    "[drm:mes_v11_0_submit_pkt_and_poll_completion.constprop.0 [amdgpu]] *ERROR* MES failed to response msg=3",
    "[drm:amdgpu_mes_unmap_legacy_queue [amdgpu]] *ERROR* failed to unmap legacy queue",
    "amdgpu 0000:03:00.0: amdgpu: MODE1 reset",
    "amdgpu 0000:03:00.0: amdgpu: GPU reset(2) succeeded!",
]


def generate(path, megabytes, seed=7):
    rng = random.Random(seed)
    target = megabytes * 1024 * 1024
    seconds = 0.0
    size = 0
    hangs_at = sorted(rng.randrange(target) for _hang in range(4))
    with open(path, "w") as out:
        while size < target:
            seconds += rng.random() * 0.01
            if hangs_at and size >= hangs_at[0]:
                hangs_at.pop(0)
                block = HANG
            elif size < 50000 or rng.random() < 0.001:
                block = [rng.choice(CHATTER) % rng.randrange(1000)]
            else:
                block = [rng.choice(NOISE) % rng.randrange(1000)]
            for message in block:
                line = "[%12.6f] %s\n" % (seconds, message)
                out.write(line)
                size += len(line)


def timed(argv):
    start = time.perf_counter()
    out = subprocess.check_output(argv)
    return time.perf_counter() - start, out


SCAN = """
import resource, sys, json
sys.path.insert(0, sys.argv[1])
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_log import scan_stream
with open(sys.argv[2], errors="replace") as handle:
    result = scan_stream(handle)
print(json.dumps({"incidents": result["summary"]["incidents"], "lines": result["lines_scanned"],
                  "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=100)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="amdgpu-stability-bench-")
    top = os.path.join(work, "collections")
    os.makedirs(os.path.join(top, "ansible_collections", "amdgpu"))
    os.symlink(REPO, os.path.join(top, "ansible_collections", "amdgpu", "stability"))
    log = os.path.join(work, "kern.log")
    generate(log, args.megabytes)
    subprocess.check_call(["cat", log], stdout=subprocess.DEVNULL)  # warm the page cache for both
    grep_s, grep_out = timed(["grep", "-cE", "amdgpu|drm", log])
    scan_s, scan_out = timed([sys.executable, "-c", SCAN, top, log])
    result = json.loads(scan_out)
    print("log: %d MB, %d lines, %s grep matches, %d incidents found"
          % (args.megabytes, result["lines"], grep_out.decode().strip(), result["incidents"]))
    print("grep -cE 'amdgpu|drm': %.2f s" % grep_s)
    print("amdgpu_log.scan_stream: %.2f s  (%.0f lines/s, peak RSS %.1f MB)"
          % (scan_s, result["lines"] / scan_s, result["rss_kib"] / 1024.0))
    print("ratio scan/grep: %.1f (goal <= 5); RSS goal <= 64 MB" % (scan_s / grep_s))
    subprocess.call(["rm", "-rf", work])


if __name__ == "__main__":
    main()
