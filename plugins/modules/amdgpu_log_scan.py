#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: amdgpu_log_scan
short_description: Find amdgpu GPU hangs (page fault, MES timeout, ring timeout, reset) in kernel logs
version_added: 0.1.0
description:
  - Read-only. Reads kernel log lines from the journal, C(dmesg) or files and groups the lines of each GPU
    hang into an incident - its stages in order of first appearance, the page fault, MES messages, timed-out
    rings, the reset method and outcome, the processes named, and a severity.
  - Accepts bare dmesg, C(dmesg -T), C(dmesg -H), syslog and journalctl short, short-iso, short-full and
    short-monotonic lines, in any locale (month and day names as C(strftime) writes them in German, French,
    Spanish, Italian, Portuguese, Dutch, Polish or Russian are read; a name it does not know leaves only the
    time unknown), with or without the driver's device prefix (C(amdgpu 0000:03:00.0:), followed by
    C(amdgpu:) up to 6.18), C([drm:func [amdgpu]] *ERROR*) and C([drm]) forms, and pastes that lost their
    prefixes, are quoted with C(>) or were cut short.
  - The message forms are data kept with their kernel source (file, function, format string) for the kernel
    lines read - 6.1, 6.12, 7.2, 7.3 - and the first release of the forms that changed between them; see
    the collection README for what is recognised per kernel range.
  - Normal boot lines (IP blocks, C(ring ... uses VM inv eng), an SMU interface mismatch at init) are never
    incidents; the SMU mismatch, C(unknown parameter) and C(Setting dangerous option) lines are reported apart,
    and so are lines that say something about the boot without being a hang (RV(notices)).
  - Reads in blocks (command output through a temporary file); memory does not grow with the size of the log.
author:
  - amdgpu.stability contributors (@amdgpu-stability)
extends_documentation_fragment:
  - amdgpu.stability.platform
  - amdgpu.stability.read_only
options:
  source:
    description:
      - V(auto) reads the journal when C(journalctl) runs, else C(dmesg). V(file) reads O(paths).
    type: str
    choices: [auto, journal, dmesg, file]
    default: auto
  paths:
    description: Log files to read with O(source=file), in order.
    type: list
    elements: path
    default: []
  boot:
    description: Which boots the journal is read for (C(journalctl -k -b 0), C(-b -1), or all).
    type: str
    choices: [current, previous, all]
    default: current
  since:
    description: Passed to C(journalctl --since), for example C(-2d) or C(2026-11-01).
    type: str
notes:
  - The process named in a fault or timeout is the one that submitted last (often a compositor or browser),
    not necessarily the compute job that triggered the hang.
"""

EXAMPLES = r"""
- name: Look for GPU hangs in the previous boot
  amdgpu.stability.amdgpu_log_scan:
    source: journal
    boot: previous
  register: hangs

- name: Scan a saved dmesg
  amdgpu.stability.amdgpu_log_scan:
    source: file
    paths: [/var/log/kern.log]
"""

RETURN = r"""
source:
  description: The source that was read (C(journal), C(dmesg) or C(file)).
  returned: always
  type: str
incidents:
  description:
    - One per GPU hang - C(start), C(end) (timestamps as printed), C(first_line), C(last_line), C(device),
      C(stages) (unique, in order of first appearance), C(page_fault) (C(hub), C(client), C(address), C(pasid)),
      C(mes_messages), C(ring_timeouts), C(reset_method), C(reset_level), C(reset_source), C(wedged),
      C(outcome), C(processes) (C(name), C(pid)) and C(severity) (C(info), C(warning), C(critical)).
    - Stages - C(page_fault); C(smu_timeout), C(smu_hang) (the SMU stopped answering); C(mes_timeout),
      C(mes_ring_full), C(queue_unmap_failed), C(queue_remove_failed) (KFD could not remove a queue from MES),
      C(queue_suspend_failed), C(mes_unrecoverable) (KFD says MES may need a GPU reset), C(hws_hang) (the
      scheduler could not preempt queues), C(queue_hang), C(queue_reset), C(queue_reset_failed); C(ring_timeout),
      C(soft_recovered) (C(ring ... timeout, but soft recovered)), C(ring_reset_begin) (C(Starting ... ring
      reset), 6.16+), C(pipe_reset), C(ring_reset) (C(Ring ... reset succeeded)), C(ring_reset_failed),
      C(cp_halt_failed); C(emergency_restart) (C(GPU jobs stop begin!) - a fatal RAS error, the machine
      restarts), C(reset_begin), C(guilty_signaled) (C(Guilty job already signaled) - the job finished, no
      hardware reset), C(soft_reset_failed), C(reset), C(reset_succeeded), C(reset_failed), C(vram_lost),
      C(recovery_disabled), C(device_lost) (C(device lost from bus!)); C(wedged_recovered) (the DRM wedged
      event after a reset that worked - C(but recovered through reset), from 7.1 C(but no recovery needed)),
      C(wedged_needs_recovery) (C(device wedged, needs recovery)); C(parser_failed).
    - C(reset_method) - the most drastic reset the driver named - C(mode1), C(mode2), C(baco), C(pci),
      C(link), C(ring), C(queue), C(soft) or null. C(reset_level) - the reset that ended the hang - one of
      those, C(full) for a full reset that named no method, or C(none) when nothing recovered it.
      C(reset_source) - who asked for the full reset (6.18+) - C(job), C(ras), C(mes), C(hws), C(user),
      C(user queue), C(unknown), or null. C(wedged) - C(recovered), C(needs recovery) or null.
    - C(outcome) - C(failed) when a reset failed, the GPU fell off the bus, the device is wedged and needs
      recovery, or the machine restarts; C(recovered) when a full reset succeeded (or ended because the job
      was done) or, without a full reset, a ring or queue reset or a soft recovery worked; C(unknown) when a
      reset began whose end is not in the log; C(none) when no recovery was attempted. A ring reset that
      failed and escalated is decided by the full reset that followed.
  returned: always
  type: list
  elements: dict
summary:
  description: Counts - incidents, page_faults, mes_timeouts, ring_timeouts, resets, failed_resets.
  returned: always
  type: dict
smu_mismatch:
  description: The "SMU driver if version not matched" line, or driver and firmware interface versions that differ.
  returned: always
  type: bool
unknown_params:
  description: Parameters amdgpu ignored as unknown (C(unknown parameter 'NAME' ignored)).
  returned: always
  type: list
  elements: str
tainted_by:
  description: UNSAFE parameters that tainted the kernel (C(Setting dangerous option NAME)).
  returned: always
  type: list
  elements: str
notices:
  description:
    - Lines that are no hang but tell something about this boot, one entry per kind - C(kind), C(count),
      C(first_line), C(devices) (PCI addresses named) and C(meaning).
    - Kinds - C(mes_lr_compute_wa_off) (C(MES FW version must be >= 0x7f to enable LR compute workaround)),
      C(lockup_timeout_disabled) (a negative C(lockup_timeout) - no hang is ever reset, the kernel is tainted),
      C(tmz_not_supported) (an C(amdgpu.tmz) setting has no effect on this GPU).
  returned: always
  type: list
  elements: dict
  version_added: 0.2.0
lines_scanned:
  description: How many lines were read.
  returned: always
  type: int
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_log import ConcatReader, scan_stream
from ansible_collections.amdgpu.stability.plugins.module_utils.command_output import run_to_file

_BOOTS = {"current": ["-b", "0"], "previous": ["-b", "-1"], "all": []}


def journal_argv(journalctl, boot, since):
    argv = [journalctl, "-k", "-o", "short-iso", "--no-pager", "-q"] + _BOOTS[boot]
    if since:
        argv += ["--since", since]
    return argv


def scan_command(module, argv):
    """Scan a command's output through a file: the journal of many boots does not fit in memory."""
    path = os.path.join(module.tmpdir, "kernel.log")
    rc, err = run_to_file(module, argv, path)
    if rc != 0:
        module.fail_json(msg="%s failed (rc=%d): %s" % (" ".join(argv), rc, err))
    with open(path, errors="replace") as handle:
        return scan_stream(handle)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            source=dict(type="str", choices=["auto", "journal", "dmesg", "file"], default="auto"),
            paths=dict(type="list", elements="path", default=[]),
            boot=dict(type="str", choices=["current", "previous", "all"], default="current"),
            since=dict(type="str"),
        ),
        required_if=[("source", "file", ("paths",))],
        supports_check_mode=True,
    )
    params = module.params
    source = params["source"]
    journalctl = module.get_bin_path("journalctl")
    if source == "auto":
        source = "journal" if journalctl and module.run_command([journalctl, "-k", "-n", "0", "-q"])[0] == 0 else "dmesg"
    if source == "file":
        missing = [path for path in params["paths"] if not os.path.isfile(path)]
        if missing:
            module.fail_json(msg="paths: not a readable file: %s" % ", ".join(missing))
        result = scan_stream(ConcatReader(params["paths"]))
    elif source == "journal":
        if not journalctl:
            module.fail_json(msg="source=journal, but journalctl is not installed; use source=dmesg or file")
        result = scan_command(module, journal_argv(journalctl, params["boot"], params["since"]))
    else:
        result = scan_command(module, [module.get_bin_path("dmesg", required=True)])
    module.exit_json(changed=False, source=source, **result)


if __name__ == "__main__":
    main()
