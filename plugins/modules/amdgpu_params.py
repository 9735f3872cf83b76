#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: amdgpu_params
short_description: Check desired amdgpu parameters against the target kernel, sysfs and the next boot
version_added: 0.1.0
description:
  - Read-only. For each desired amdgpu parameter, says whether the target kernel has it and can parse
    the value, what is live in C(/sys/module/amdgpu/parameters), and what the next load of amdgpu will
    be given, and sums that up in a status.
  - The parameter set comes from C(modinfo -k <kernel> -F parmtype amdgpu) when that works (O(root=/));
    it covers a DKMS amdgpu too. Otherwise the bundled data of real Debian kernel builds 6.1 to 7.3
    stands in - the builds of the same kernel line, or for a line in between the nearest line below and
    the nearest above, and a value must then parse under both.
  - The configured value follows kmod - C(*.conf) in C(/etc/modprobe.d), C(/run/modprobe.d),
    C(/usr/local/lib/modprobe.d), C(/usr/lib/modprobe.d), C(/lib/modprobe.d) (a basename shadows later
    ones; files parsed in basename order), then C(amdgpu.<name>=) on the next boot's command line (the
    first C(linux) line of C(/boot/grub/grub.cfg), else C(/proc/cmdline)); the last setting wins.
  - Values are compared as the kernel stores them - C(0x10) equals sysfs C(16), C(ppfeaturemask)
    reads back in hex, booleans as C(Y)/C(N).
  - Facts about the check itself, such as bundled data standing in for modinfo, are returned as warnings.
author:
  - amdgpu.stability contributors (@amdgpu-stability)
extends_documentation_fragment:
  - amdgpu.stability.platform
  - amdgpu.stability.root
  - amdgpu.stability.read_only
options:
  params:
    description:
      - The desired parameters, name (without C(amdgpu.)) to value.
    type: dict
    required: true
  kernel:
    description:
      - The kernel release whose parameter set judges names and types, for example the newest installed
        kernel that will boot next. Defaults to the running one (C(<root>/proc/sys/kernel/osrelease)).
    type: str
  fail_on:
    description:
      - Statuses that fail the task; the message names each parameter and why.
    type: list
    elements: str
    choices: [unknown, invalid, in_effect, not_persistent, pending_reboot, configured, not_configured]
    default: [unknown, invalid]
notes:
  - C(unknown) - not a parameter of that kernel; C(invalid) - the kernel would refuse the value (negative
    for unsigned, not a boolean, octal with 8 or 9, out of range, a string over 255 characters), which
    stops amdgpu from loading; C(in_effect) - live and configured equal the desired value;
    C(not_persistent) - live but lost at the next boot; C(pending_reboot) - configured, not live yet;
    C(configured) - amdgpu not loaded, configured; C(not_configured) - neither.
seealso:
  - name: amdgpu module parameters
    description: The kernel's documentation of every parameter.
    link: https://docs.kernel.org/gpu/amdgpu/module-parameters.html
"""

EXAMPLES = r"""
- name: Check the options the next kernel will get
  amdgpu.stability.amdgpu_params:
    params:
      ppfeaturemask: "0xfff73fff"
      dcdebugmask: "0x10"
      runpm: 0
  register: amdgpu_check

- name: After the reboot, insist that every option is live and persistent
  amdgpu.stability.amdgpu_params:
    params: "{{ wanted_options }}"
    fail_on: [unknown, invalid, not_persistent, pending_reboot, not_configured]
"""

RETURN = r"""
kernel:
  description: The kernel release the parameters were judged against.
  returned: always
  type: str
  sample: 6.12.95+deb12-amd64
metadata_source:
  description: C(modinfo) or C(bundled).
  returned: always
  type: str
metadata_kernels:
  description: The bundled builds that stood in for RV(kernel) (empty with modinfo).
  returned: always
  type: list
  elements: str
module_loaded:
  description: Whether C(<root>/sys/module/amdgpu) exists.
  returned: always
  type: bool
reboot_required:
  description: Whether any parameter is C(pending_reboot).
  returned: always
  type: bool
next_boot_cmdline_source:
  description: Where the next boot's command line was read (C(/boot/grub/grub.cfg) or C(/proc/cmdline)).
  returned: always
  type: str
params:
  description:
    - Per parameter - C(desired), C(type), C(live) (sysfs text or null), C(configured) (value or null),
      C(configured_by) (file:line or command line), C(expected_sysfs) (how sysfs will print the desired
      value), C(taints) (setting it taints this kernel - an UNSAFE parameter from 6.16, the OverDrive
      bit of C(ppfeaturemask), a negative C(lockup_timeout)), C(taint_reason) (which of these, with the
      taint flag; null when it does not taint), C(status) and C(notes) (no effect on this hardware,
      UNSAFE taint, octal trap, mask bits, ...).
  returned: always
  type: dict
  sample:
    dcdebugmask:
      desired: "0x10"
      type: uint
      live: "16"
      configured: "0x10"
      configured_by: /etc/modprobe.d/amdgpu.conf:5
      expected_sysfs: "16"
      taints: false
      taint_reason: null
      status: in_effect
      notes: ["dcdebugmask 0x10 sets DISABLE_PSR"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_params import (
    STATUSES,
    check,
    failure,
    running_release,
)


def build_module():
    return AnsibleModule(
        argument_spec=dict(
            root=dict(type="path", default="/"),
            params=dict(type="dict", required=True),
            kernel=dict(type="str"),
            fail_on=dict(type="list", elements="str", choices=list(STATUSES), default=["unknown", "invalid"]),
        ),
        supports_check_mode=True,
    )


def main():
    module = build_module()
    root = module.params["root"]
    release = module.params["kernel"] or running_release(root)
    if not release:
        module.fail_json(msg="kernel is not set and %s/proc/sys/kernel/osrelease cannot be read; give kernel" % root.rstrip("/"))
    result, warnings = check(module.params["params"], root, release, module.get_bin_path("modinfo"), module.run_command)
    # Facts about the check itself (bundled data standing in for modinfo) reach the user as warnings.
    for warning in warnings:
        module.warn(warning)
    message = failure(result, module.params["fail_on"])
    if message:
        module.fail_json(msg=message, changed=False, **result)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
