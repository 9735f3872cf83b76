#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: grub_cmdline_info
short_description: Plan kernel arguments through GRUB or systemd-boot and show what the next boot will really get
version_added: 0.1.0
description:
  - Read-only. Detects the boot loader stack, reads C(/etc/default/grub) and
    C(/etc/default/grub.d/*.cfg), and computes the files the P(amdgpu.stability.grub_cmdline#role)
    role would write for the requested kernel arguments, without writing them.
  - The command line update-grub will generate is computed by C(/bin/sh) sourcing C(/etc/default/grub)
    and then every C(grub.d/*.cfg) in glob order, with the planned contents in place of the files on
    disk, exactly as Debian's update-grub does. A requested argument that a later file overrides is
    reported in RV(missing) with the file that removed it in RV(overridden_by).
  - Arguments are compared as whole tokens (C(name) or C(name=value)); for a repeated name the last
    one decides, as in the kernel.
  - On systemd-boot with C(kernel-install) (Debian 13's C(systemd-boot) package) the plan is for
    C(/etc/kernel/cmdline), which C(kernel-install add) copies into the loader entry of each kernel, and
    C(/etc/kernel/amdgpu-stability.json), the record of what was added or replaced there; RV(boot_config)
    is the loader entry that boots next (C(default) of C(loader.conf), else the newest kernel's). O(method),
    O(variable), O(dropin_name) and O(settings) are GRUB's and ignored there.
  - Supports Debian and Ubuntu GRUB and systemd-boot. Other stacks (BLS/grubby, kernelstub,
    systemd-boot without kernel-install, no boot loader) are reported in RV(boot_stack) with the evidence
    found, and no plan is made.
author:
  - amdgpu.stability contributors (@amdgpu-stability)
extends_documentation_fragment:
  - amdgpu.stability.platform.debian
  - amdgpu.stability.root
  - amdgpu.stability.read_only
options:
  args:
    description:
      - Kernel arguments that must be on the command line, C(name) or C(name=value) each.
      - Values with whitespace, quotes, C($), backticks, C(;), C(#), backslashes or newlines, YAML
        booleans or nulls, and a name given twice are refused with a message naming the item.
    type: list
    elements: raw
    default: []
  state:
    description:
      - V(present) plans the arguments in; V(absent) plans removing exactly what the collection added.
    type: str
    choices: [present, absent]
    default: present
  method:
    description:
      - V(dropin) plans the file C(/etc/default/grub.d/<dropin_name>) that appends to O(variable).
      - V(template) plans C(/etc/default/grub) rewritten line for line, with only O(variable) and the
        keys in O(settings) changed, and a marker comment recording what was added or replaced.
      - Traces of the other method are planned away, so that switching methods takes one run.
    type: str
    choices: [dropin, template]
    default: dropin
  variable:
    description: The GRUB variable that receives the arguments.
    type: str
    choices: [GRUB_CMDLINE_LINUX_DEFAULT, GRUB_CMDLINE_LINUX]
    default: GRUB_CMDLINE_LINUX_DEFAULT
  dropin_name:
    description:
      - File name of the drop-in under C(/etc/default/grub.d/). It must end in C(.cfg) and should sort
        after digits and letters (C(zz-…)), because cloud images' C(50-cloudimg-settings.cfg) and provider
        files such as Hetzner's C(hetzner.cfg) assign the variable and would wipe earlier files.
    type: str
    default: zz-amdgpu-stability.cfg
  settings:
    description:
      - Other C(/etc/default/grub) keys to set with O(method=template), for example C(GRUB_TIMEOUT).
        Keys not named keep the host's current values and bytes.
    type: dict
    default: {}
notes:
  - The shell sources the host's files, as update-grub does; it runs with an empty environment.
seealso:
  - name: Debian update-grub and grub.d
    description: grub-mkconfig sources /etc/default/grub and, on Debian and Ubuntu, /etc/default/grub.d/*.cfg.
    link: https://manpages.debian.org/bookworm/grub2-common/grub-mkconfig.8.en.html
"""

EXAMPLES = r"""
- name: Show what update-grub would put on the command line with iommu=pt added
  amdgpu.stability.grub_cmdline_info:
    args:
      - iommu=pt
  register: grub_plan

- name: Stop when a later grub.d file overrides an argument
  ansible.builtin.assert:
    that: grub_plan.missing | length == 0
    fail_msg: "{{ grub_plan.overridden_by }}"
"""

RETURN = r"""
boot_stack:
  description: C(grub) or C(systemd-boot) when supported; otherwise C(bls), C(kernelstub),
    C(systemd-boot-without-kernel-install), C(upstream-grub), C(grub-without-defaults) or C(none).
  returned: always
  type: str
  sample: grub
boot_stack_description:
  description: What was detected, in words, with a hint for unsupported stacks.
  returned: always
  type: str
boot_stack_evidence:
  description: The files that decided RV(boot_stack).
  returned: always
  type: list
  elements: str
  sample: [/usr/sbin/update-grub, /etc/default/grub]
supported:
  description: Whether RV(boot_stack) is one the collection can change.
  returned: always
  type: bool
manual:
  description:
    - On a stack the collection does not change, what to run by hand for O(args) - for example
      C(grubby --update-kernel=ALL --args="iommu=pt") on BLS systems or C(kernelstub --add-options "iommu=pt") on
      Pop!_OS; empty when there are no arguments.
  returned: when not supported
  type: str
files:
  description:
    - Per path, the planned state (C(file) or C(absent)), C(content) (null when absent), C(before)
      (current content or null) and C(changed).
  returned: when supported
  type: dict
changed_files:
  description: Paths whose content the plan changes.
  returned: when supported
  type: list
  elements: str
before:
  description: C(tokens) of the normal boot entry update-grub would write now, and the C(trace) of both
    variables after each sourced file; on systemd-boot C(tokens) of the entry that boots next.
  returned: when supported
  type: dict
after:
  description: The same as RV(before), with the planned files in place.
  returned: when supported
  type: dict
missing:
  description: Requested arguments not in effect with the plan applied (overridden by a later file).
  returned: when supported
  type: list
  elements: str
overridden_by:
  description: For each item of RV(missing), the file after which it was no longer in effect.
  returned: when supported
  type: dict
  sample: {iommu=pt: /etc/default/grub.d/zzz-provider.cfg}
lingering:
  description: Arguments the collection added earlier that stay in effect with the plan applied, because
    another file also sets them.
  returned: when supported
  type: list
  elements: str
boot_config:
  description:
    - The boot loader's generated configuration for the next boot - C(/boot/grub/grub.cfg), or the
      systemd-boot loader entry that boots next - with its C(path), C(tokens) and C(stale), true when an
      argument this plan manages differs between it and RV(after) (the generator has not run since the
      files changed). On systemd-boot also C(stale_entries), every entry that is behind.
  returned: when supported
  type: dict
  sample: {path: /boot/efi/loader/entries/debian-6.12.48+deb13-amd64.conf, tokens: [root=UUID=x, ro, quiet],
           stale: false, stale_entries: []}
update_commands:
  description: The commands that regenerate RV(boot_config) from the files - C([[update-grub]]), or one
    C(kernel-install add VERSION /boot/vmlinuz-VERSION [/boot/initrd.img-VERSION]) per kernel in C(/boot).
  returned: when supported
  type: list
  elements: list
entries:
  description: On systemd-boot, every loader entry (C(path), C(id), C(version), C(tokens)), newest kernel first.
  returned: on systemd-boot
  type: list
  elements: dict
source:
  description: On systemd-boot, where today's command line for new entries comes from - C(/etc/kernel/cmdline),
    C(/usr/lib/kernel/cmdline), else the entry that boots next.
  returned: on systemd-boot
  type: str
grub_cfg:
  description:
    - C(tokens) of the first C(linux) line of C(/boot/grub/grub.cfg) (null when there is none), and
      C(stale), true when an argument this plan manages is in effect there but not in RV(after), or the
      reverse - update-grub has not run since the files changed. The same as RV(boot_config) on GRUB.
  returned: on GRUB
  type: dict
  sample: {path: /boot/grub/grub.cfg, tokens: [BOOT_IMAGE=/vmlinuz-6.1.0-50-amd64, root=UUID=x, ro, quiet], stale: false}
running:
  description: Tokens of the running command line (C(<root>/proc/cmdline)), or null when unreadable.
  returned: always
  type: list
  elements: str
not_running:
  description:
    - The O(args) (with O(state=present)) that the running command line does not end up meaning - the
      kernel takes the last value of a name, so C(iommu=pt) is not running on C(iommu=pt iommu=soft).
      All of them when C(<root>/proc/cmdline) is unreadable.
  returned: always
  type: list
  elements: str
reboot_required:
  description: Whether an argument this plan manages differs between the running command line and the
    next boot's.
  returned: when supported
  type: bool
reboot_reasons:
  description: One sentence per argument that needs a reboot.
  returned: when supported
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.amdgpu.stability.plugins.module_utils.grub_defaults import GrubDefaultsError
from ansible_collections.amdgpu.stability.plugins.module_utils.grub_effective import TraceError
from ansible_collections.amdgpu.stability.plugins.module_utils.systemd_boot import SystemdBootError
from ansible_collections.amdgpu.stability.plugins.module_utils.grub_plan import plan
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import kernel_arg_problems


def build_module():
    return AnsibleModule(
        argument_spec=dict(
            root=dict(type="path", default="/"),
            args=dict(type="list", elements="raw", default=[]),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            method=dict(type="str", choices=["dropin", "template"], default="dropin"),
            variable=dict(type="str", choices=["GRUB_CMDLINE_LINUX_DEFAULT", "GRUB_CMDLINE_LINUX"],
                          default="GRUB_CMDLINE_LINUX_DEFAULT"),
            dropin_name=dict(type="str", default="zz-amdgpu-stability.cfg"),
            settings=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )


def input_problems(params):
    problems = kernel_arg_problems(params["args"], source="args")
    name = params["dropin_name"]
    if "/" in name or not name.endswith(".cfg") or name.startswith("."):
        problems.append("dropin_name %r must be a plain file name ending in .cfg "
                        "(update-grub sources only grub.d/*.cfg)" % name)
    for key, value in params["settings"].items():
        if key in ("GRUB_CMDLINE_LINUX_DEFAULT", "GRUB_CMDLINE_LINUX"):
            problems.append("settings.%s: kernel arguments go in args, not settings" % key)
        elif isinstance(value, bool) or value is None or "\n" in str(value):
            problems.append("settings.%s must be a single-line string or number" % key)
    return problems


def main():
    module = build_module()
    params = module.params
    problems = input_problems(params)
    if problems:
        module.fail_json(msg="Invalid input, nothing was read or changed: " + "; ".join(problems),
                         problems=problems)
    settings = {key: str(value) for key, value in params["settings"].items()}
    try:
        result = plan(params["root"], params["variable"], [str(arg) for arg in params["args"]],
                      params["state"], params["method"], params["dropin_name"],
                      lambda argv, cwd: module.run_command(argv, cwd=cwd), settings)
    except (GrubDefaultsError, TraceError, SystemdBootError) as error:
        module.fail_json(msg=str(error))
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
