#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: amdgpu_collect
short_description: Gather what an amdgpu/ROCm bug report needs into one tarball with a MANIFEST
version_added: 0.1.0
description:
  - Writes one gzip tarball (mode 0600) under O(dest) holding the kernel log of the current and the previous boot
    (C(journalctl -k -b 0), C(-b -1)), C(dmesg), C(/proc/cmdline), the lines of C(modprobe -c) that concern amdgpu,
    every C(/sys/module/amdgpu/parameters) value, the firmware and VBIOS versions of every AMD GPU, C(amdgpu_firmware_info)
    from debugfs, GPU core dumps (C(/sys/class/devcoredump)), C(uname -a), the installed kernel and firmware packages,
    the O(log_paths) files, the M(amdgpu.stability.amdgpu_info) facts, and an M(amdgpu.stability.amdgpu_log_scan) result
    for every log in the bundle.
  - A piece that cannot be had is listed in the bundle's C(MANIFEST) with the reason instead of failing the task.
  - Changes nothing on the host but the tarball; fetch it and remove it (the C(amdgpu.stability.collect) playbook does).
author:
  - amdgpu.stability contributors (@amdgpu-stability)
extends_documentation_fragment:
  - amdgpu.stability.platform
  - amdgpu.stability.root
attributes:
  check_mode:
    support: full
    description: In check mode nothing is written; RV(path) is where the tarball would go.
  diff_mode:
    support: none
    description: Nothing to compare; the result lists what the bundle holds.
options:
  dest:
    description: Existing directory the tarball is written to.
    type: path
    default: /var/tmp
  name:
    description:
      - Name of the bundle (the tarball is C(NAME.tar.gz), its top directory C(NAME)).
      - Without it, C(amdgpu-bug-report-HOSTNAME-UTCSTAMP).
    type: str
  log_paths:
    description: Further kernel log files (for example C(/var/log/kern.log)) to include and scan.
    type: list
    elements: path
    default: []
notes:
  - O(root) applies to the files read (C(/proc), C(/sys)); the commands (C(journalctl), C(dmesg), C(modprobe -c),
    C(uname), C(dpkg-query)) always describe the live system.
  - C(amdgpu_firmware_info) needs debugfs (root, C(/sys/kernel/debug) mounted); core dumps exist only after a GPU
    reset on kernels with devcoredump support, and are freed after 5 minutes or when read and cleared.
"""

EXAMPLES = r"""
- name: Bundle what a bug report needs
  amdgpu.stability.amdgpu_collect:
    log_paths: [/var/log/kern.log]
  register: bundle

- name: Bring it home
  ansible.builtin.fetch:
    src: "{{ bundle.path }}"
    dest: reports/bundles/
    flat: true
"""

RETURN = r"""
path:
  description: The tarball on the host.
  returned: always
  type: str
  sample: /var/tmp/amdgpu-bug-report-gpubox-20261126T101500Z.tar.gz
manifest:
  description: Every piece - C(piece) (what it is), C(file) (name in the bundle, null when missing), C(included), C(detail) (size or why missing).
  returned: success, not in check mode
  type: list
  elements: dict
missing:
  description: The pieces that could not be had.
  returned: success, not in check mode
  type: list
  elements: str
scan:
  description: The M(amdgpu.stability.amdgpu_log_scan) C(summary) of every log in the bundle, by file name.
  returned: success, not in check mode
  type: dict
"""

import os
import socket
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.amdgpu.stability.plugins.module_utils import bug_report
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_advisories import host_info
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_log import scan_stream
from ansible_collections.amdgpu.stability.plugins.module_utils.command_output import run_to_file
from ansible_collections.amdgpu.stability.plugins.module_utils.modprobe_config import lines_naming

_JOURNALS = (("0", "journal-boot-0.log", "kernel log of the current boot (journalctl -k -b 0)"),
             ("-1", "journal-boot-1.log", "kernel log of the previous boot (journalctl -k -b -1)"))


def add_command_output(module, bundle, name, argv, what, ok_rcs=(0,)):
    """Run a command into a file and add it; returns the file or None. The journal can be large, so
    no command output is held in memory."""
    if argv[0] is None:
        bundle.missing(what, "the command is not installed")
        return None
    path = os.path.join(module.tmpdir, os.path.basename(name))
    rc, err = run_to_file(module, argv, path)
    if rc not in ok_rcs:
        bundle.missing(what, "%s failed (rc=%d): %s" % (" ".join(argv), rc, err or "no message"))
        return None
    if os.path.getsize(path) == 0:
        bundle.missing(what, "%s printed nothing%s" % (" ".join(argv), (": " + err) if err else ""))
        return None
    bundle.add_file(name, path, what)
    return path


def add_logs(module, bundle):
    """The kernel logs; returns ``[(name, path)]`` of those included, for the scan."""
    logs = []
    journalctl = module.get_bin_path("journalctl")
    for boot, name, what in _JOURNALS:
        argv = [journalctl, "-k", "-b", boot, "-o", "short-iso", "--no-pager", "-q"]
        path = add_command_output(module, bundle, name, argv, what)
        if path:
            logs.append((name, path))
    path = add_command_output(module, bundle, "dmesg.log", [module.get_bin_path("dmesg")], "kernel ring buffer (dmesg)")
    if path:
        logs.append(("dmesg.log", path))
    for number, log in enumerate(module.params["log_paths"], 1):
        name = "logs/%d-%s" % (number, os.path.basename(log))
        if os.path.isfile(log):
            bundle.add_file(name, log, "log file %s" % log)
            logs.append((name, log))
        else:
            bundle.missing("log file %s" % log, "not a readable file")
    return logs


def add_driver_state(module, bundle, root):
    bundle.add_file("proc-cmdline.txt", os.path.join(root, "proc/cmdline"), "kernel command line (/proc/cmdline)")

    modprobe = module.get_bin_path("modprobe")
    what = "amdgpu lines of the merged modprobe configuration (modprobe -c)"
    if modprobe is None:
        bundle.missing(what, "modprobe is not installed")
    else:
        rc, out, err = module.run_command([modprobe, "-c"])
        if rc != 0:
            bundle.missing(what, "modprobe -c failed (rc=%d): %s" % (rc, err.strip()))
        else:
            lines = lines_naming(out, "amdgpu") or ["# no line of modprobe -c mentions amdgpu"]
            bundle.add_text("modprobe-c-amdgpu.conf", "\n".join(lines) + "\n", what)

    values = bug_report.parameter_values(root)
    what = "amdgpu parameter values (/sys/module/amdgpu/parameters)"
    if values is None:
        bundle.missing(what, "amdgpu is not loaded (no %s)" % os.path.join(root, "sys/module/amdgpu"))
    else:
        bundle.add_text("amdgpu-parameters.txt", "\n".join(values) + "\n", what)


def add_hardware(bundle, root):
    facts = host_info(root)
    bundle.add_json("amdgpu-info.json", facts, "GPU, driver and kernel facts (amdgpu_info)")
    what = "firmware and VBIOS versions (sysfs fw_version)"
    if facts["gpus"]:
        bundle.add_text("firmware-versions.txt", "\n".join(bug_report.firmware_lines(facts["gpus"])) + "\n", what)
    else:
        bundle.missing(what, "no AMD GPU under %s" % os.path.join(root, "sys/bus/pci/devices"))

    found = bug_report.debugfs_firmware_files(root)
    for path in found:
        minor = os.path.basename(os.path.dirname(path))
        bundle.add_file("debugfs/dri-%s-amdgpu_firmware_info.txt" % minor, path, "amdgpu_firmware_info of DRM minor %s" % minor)
    if not found:
        bundle.missing("amdgpu_firmware_info (debugfs)",
                       "no %s (debugfs not mounted, or amdgpu not loaded)" % os.path.join(root, "sys/kernel/debug/dri/*/amdgpu_firmware_info"))

    found = bug_report.devcoredump_files(root)
    for path in found:
        device = os.path.basename(os.path.dirname(path))
        bundle.add_file("devcoredump/%s.data" % device, path, "GPU core dump %s" % device)
    if not found:
        bundle.missing("GPU core dump (devcoredump)", "none under %s (no reset since boot, or already freed)"
                       % os.path.join(root, "sys/class/devcoredump"))


def add_system(module, bundle):
    add_command_output(module, bundle, "uname.txt", [module.get_bin_path("uname"), "-a"], "uname -a")
    dpkg_query = module.get_bin_path("dpkg-query")
    argv = [dpkg_query, "-W", "-f", bug_report.PACKAGE_FORMAT] + list(bug_report.PACKAGE_PATTERNS)
    what = "installed kernel and firmware packages (dpkg-query)"
    if dpkg_query is None:
        bundle.missing(what, "dpkg-query is not installed (not a Debian or Ubuntu host)")
        return
    rc, out, err = module.run_command(argv)
    packages = bug_report.installed_packages(out)
    if packages:     # rc 1 only says that some pattern matched nothing
        bundle.add_text("packages.txt", "\n".join(packages) + "\n", what)
    else:
        bundle.missing(what, "dpkg-query found none (rc=%d): %s" % (rc, err.strip() or "no message"))


def add_scans(bundle, logs):
    summaries = {}
    results = {}
    for name, path in logs:
        with open(path, errors="replace") as handle:
            result = scan_stream(handle)
        results[name] = result
        summaries[name] = result["summary"]
    if results:
        bundle.add_json("scan.json", results, "amdgpu_log_scan of every log above")
    else:
        bundle.missing("amdgpu_log_scan result", "no kernel log could be read")
    return summaries


def default_name():
    return "amdgpu-bug-report-%s-%s" % (socket.gethostname().split(".")[0], time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            root=dict(type="path", default="/"),
            dest=dict(type="path", default="/var/tmp"),
            name=dict(type="str"),
            log_paths=dict(type="list", elements="path", default=[]),
        ),
        supports_check_mode=True,
    )
    params = module.params
    name = params["name"] or default_name()
    if "/" in name or name in ("", ".", ".."):
        module.fail_json(msg="name: %r is not a file name; leave it out for amdgpu-bug-report-HOSTNAME-UTCSTAMP" % name)
    if not os.path.isdir(params["dest"]):
        module.fail_json(msg="dest: %s is not a directory; create it or choose another" % params["dest"])
    path = os.path.join(params["dest"], name + ".tar.gz")
    if module.check_mode:
        module.exit_json(changed=True, path=path)

    bundle = bug_report.Bundle(path, name)
    try:
        logs = add_logs(module, bundle)
        add_driver_state(module, bundle, params["root"])
        add_hardware(bundle, params["root"])
        add_system(module, bundle)
        summaries = add_scans(bundle, logs)
        bundle.close()
    except Exception:
        bundle.abandon()
        raise
    module.exit_json(changed=True, path=path, manifest=bundle.manifest, scan=summaries,
                     missing=[entry["piece"] for entry in bundle.manifest if not entry["included"]])


if __name__ == "__main__":
    main()
