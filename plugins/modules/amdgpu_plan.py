#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: amdgpu_plan
short_description: Read a host once and plan what the amdgpu role would change there
version_added: 0.3.0
description:
  - Read-only. In one run on the host, what the P(amdgpu.stability.amdgpu#role) role needs to know
    before it changes anything - the facts of M(amdgpu.stability.amdgpu_info), the check of every
    candidate option by M(amdgpu.stability.amdgpu_params) against the kernel that boots next (and the
    running one when it differs), the hardware-aware choice of the options, the plan of
    M(amdgpu.stability.grub_cmdline_info) for the chosen kernel arguments, the modprobe file as it is,
    and the tool that builds the initramfs (which carries a copy of the modprobe file).
  - The role runs it first, and when nothing is left to write and no reboot is pending it ends there -
    a converged host costs one module run instead of one per step.
  - Fails, naming each parameter, when a candidate option is unknown to or does not parse for the kernel
    that boots next or the running kernel (a value the kernel cannot parse stops amdgpu from loading).
    A GRUB plan that cannot be made is not a failure here; C(error) in RV(grub) says why.
author:
  - amdgpu.stability contributors (@amdgpu-stability)
extends_documentation_fragment:
  - amdgpu.stability.platform.debian
  - amdgpu.stability.root
  - amdgpu.stability.read_only
options:
  resolved:
    description:
      - The request as the C(amdgpu.stability.amdgpu_resolve) filter resolves it - C(kernel_args),
        C(profile_options), C(hardware_aware), C(candidate_options).
    type: dict
    required: true
  options:
    description: The user's amdgpu options (the role's C(amdgpu_options)); they are kept whatever the hardware.
    type: dict
    default: {}
  state:
    description: V(present) plans the mitigations in; V(absent) plans removing them (no option is checked).
    type: str
    choices: [present, absent]
    default: present
  options_via:
    description: Where the options go - C(/etc/modprobe.d) (V(modprobe)) or the kernel command line (V(cmdline)).
    type: str
    choices: [modprobe, cmdline]
    default: modprobe
  grub:
    description: How the kernel arguments go through GRUB, as the P(amdgpu.stability.grub_cmdline#role) role's variables say.
    type: dict
    default: {}
    suboptions:
      method:
        description: M(amdgpu.stability.grub_cmdline_info)'s O(amdgpu.stability.grub_cmdline_info#module:method).
        type: str
        choices: [dropin, template]
        default: dropin
      variable:
        description: M(amdgpu.stability.grub_cmdline_info)'s O(amdgpu.stability.grub_cmdline_info#module:variable).
        type: str
        choices: [GRUB_CMDLINE_LINUX_DEFAULT, GRUB_CMDLINE_LINUX]
        default: GRUB_CMDLINE_LINUX_DEFAULT
      dropin_name:
        description: M(amdgpu.stability.grub_cmdline_info)'s O(amdgpu.stability.grub_cmdline_info#module:dropin_name).
        type: str
        default: zz-amdgpu-stability.cfg
      settings:
        description: M(amdgpu.stability.grub_cmdline_info)'s O(amdgpu.stability.grub_cmdline_info#module:settings).
        type: dict
        default: {}
  modprobe_path:
    description: The modprobe file the role writes; returned as it is and as it should be in RV(modprobe).
    type: path
    default: /etc/modprobe.d/amdgpu.conf
  profile:
    description: The profile's name, which the modprobe file's first line records.
    type: str
    default: recommended
seealso:
  - module: amdgpu.stability.amdgpu_info
  - module: amdgpu.stability.amdgpu_params
  - module: amdgpu.stability.grub_cmdline_info
"""

EXAMPLES = r"""
- name: Plan the recommended profile on this host
  amdgpu.stability.amdgpu_plan:
    resolved: "{{ profiles | amdgpu.stability.amdgpu_resolve('recommended', {}, [], [], []) }}"
  register: plan

- name: Show the options that suit this host and the GRUB files that would change
  ansible.builtin.debug:
    msg: "{{ plan.chosen.options }} - {{ plan.grub.changed_files | default([]) }}"
"""

RETURN = r"""
info:
  description: What M(amdgpu.stability.amdgpu_info) returns.
  returned: always
  type: dict
preflight:
  description:
    - What M(amdgpu.stability.amdgpu_params) returns for the candidate options and the kernel that boots next (C(kernel.next_boot) of RV(info));
      empty when no option is checked (O(state=absent), or no option asked for).
  returned: always
  type: dict
chosen:
  description:
    - The options this host gets and why - C(options), C(reasons), C(decisions), C(left_out),
      C(kept_without_knowing) - and C(cmdline_tokens), the kernel arguments of the next boot.
  returned: always
  type: dict
grub:
  description:
    - What M(amdgpu.stability.grub_cmdline_info) returns for C(chosen.cmdline_tokens), or
      C({error}) when it cannot plan (the P(amdgpu.stability.grub_cmdline#role) role then says so itself).
  returned: always
  type: dict
modprobe:
  description:
    - The modprobe file as it is - C(path), C(content) (null when absent), C(mode) (octal string), C(uid), C(gid),
      C(ours) (its first line says this collection wrote it) - and C(wanted), the text the role writes there
      (null when no file is wanted - O(state=absent), O(options_via=cmdline), or no option chosen).
  returned: always
  type: dict
  sample: {path: /etc/modprobe.d/amdgpu.conf, content: null, mode: null, uid: null, gid: null, ours: false, wanted: null}
initramfs:
  description:
    - The tool that builds the initramfs - C(tool) (C(initramfs-tools), C(dracut), C(mkinitcpio) or C(none)) with the
      C(evidence) found, C(rebuild) (the command that rebuilds the image of every installed kernel; null where the
      collection does not rebuild), C(list) (the command that lists an image's files, the image's path appended),
      C(images) (C(/boot/initrd.img-*)) and C(refusal) (why a changed modprobe file could not take effect here, and
      what to do; empty when it can).
    - C(include) - dracut's drop-in that names the modprobe file (dracut copies C(/etc/modprobe.d) into its images
      only in hostonly mode), with the keys of RV(modprobe); C(wanted) is null unless dracut builds the images and
      the modprobe file is wanted.
    - C(after_rebuild) - the commands that copy rebuilt images to the boot loader - on systemd-boot C(kernel-install
      add) for each kernel, unless the systemd-boot hook in C(/etc/initramfs/post-update.d) does it (Debian's
      initramfs-tools and dracut run those hooks). Empty on GRUB, which reads C(/boot) itself.
  returned: always
  type: dict
  sample: {tool: initramfs-tools, evidence: [/usr/sbin/update-initramfs], rebuild: [update-initramfs, -u, -k, all],
           list: [lsinitramfs], images: [/boot/initrd.img-6.1.0-18-amd64], supported: true, refusal: "", after_rebuild: []}
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.amdgpu.stability.plugins.module_utils import initramfs
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_advisories import host_info
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_choice import choose
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_params import check, failure
from ansible_collections.amdgpu.stability.plugins.module_utils.grub_defaults import GrubDefaultsError
from ansible_collections.amdgpu.stability.plugins.module_utils.grub_effective import TraceError
from ansible_collections.amdgpu.stability.plugins.module_utils.systemd_boot import SystemdBootError
from ansible_collections.amdgpu.stability.plugins.module_utils.grub_plan import plan as grub_plan
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import kernel_arg_problems
from ansible_collections.amdgpu.stability.plugins.module_utils.modprobe_config import render
from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import read_under, under

REFUSED = ["unknown", "invalid"]
RESOLVED_KEYS = ("kernel_args", "profile_options", "hardware_aware", "candidate_options")
# The first line of the modprobe file the amdgpu role writes begins so: how a later run (and
# state=absent) knows the file is this collection's and not one a user or a blog recipe wrote.
MODPROBE_MARK = "# Managed by Ansible (amdgpu.stability.amdgpu"


def build_module():
    return AnsibleModule(
        argument_spec=dict(
            root=dict(type="path", default="/"),
            resolved=dict(type="dict", required=True),
            options=dict(type="dict", default={}),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            options_via=dict(type="str", choices=["modprobe", "cmdline"], default="modprobe"),
            grub=dict(type="dict", default={}, options=dict(
                method=dict(type="str", choices=["dropin", "template"], default="dropin"),
                variable=dict(type="str", choices=["GRUB_CMDLINE_LINUX_DEFAULT", "GRUB_CMDLINE_LINUX"],
                              default="GRUB_CMDLINE_LINUX_DEFAULT"),
                dropin_name=dict(type="str", default="zz-amdgpu-stability.cfg"),
                settings=dict(type="dict", default={}),
            )),
            modprobe_path=dict(type="path", default="/etc/modprobe.d/amdgpu.conf"),
            profile=dict(type="str", default="recommended"),
        ),
        supports_check_mode=True,
    )


def checked_options(module, candidates, kernels):
    """amdgpu_params' result for the first of ``kernels`` ({} when nothing is checked); fails the
    module, as amdgpu_params would, on an option any of them refuses."""
    if not candidates:
        return {}
    results = []
    for release in kernels:
        result, warnings = check(candidates, module.params["root"], release, module.get_bin_path("modinfo"),
                                 module.run_command)
        for warning in warnings:
            module.warn(warning)
        message = failure(result, REFUSED)
        if message:
            module.fail_json(msg=message, changed=False, **result)
        results.append(result)
    return results[0]


def planned_grub(module, tokens):
    grub = module.params["grub"]
    problems = kernel_arg_problems(tokens, source="args")
    if problems:
        return {"error": "; ".join(problems)}
    settings = dict((key, str(value)) for key, value in grub["settings"].items())
    try:
        return grub_plan(module.params["root"], grub["variable"], tokens, module.params["state"], grub["method"],
                         grub["dropin_name"], lambda argv, cwd: module.run_command(argv, cwd=cwd), settings)
    except (GrubDefaultsError, TraceError, SystemdBootError) as error:
        return {"error": str(error)}


def modprobe_text(params, chosen):
    """What the role writes to the modprobe file, or None when it wants none there."""
    if params["state"] != "present" or params["options_via"] != "modprobe" or not chosen["options"]:
        return None
    header = ["%s, profile %s); local changes will be overwritten." % (MODPROBE_MARK, params["profile"]),
              "# One option per line, comments on their own lines: modprobe reads an inline '#' as part of the value.",
              "# Takes effect when amdgpu next loads; it loads from the initramfs, rebuilt after every change."]
    return render("amdgpu", chosen["options"], chosen["reasons"], header)


def managed_file(root, path, wanted):
    """A file the role writes, as the copy module compares it (content, mode, ownership), whether
    this collection wrote it, and its text as the role wants it (None: no file of ours there)."""
    content = read_under(root, path)
    found = {"path": path, "content": content, "mode": None, "uid": None, "gid": None, "wanted": wanted,
             "ours": content is not None and any(line.startswith(MODPROBE_MARK) for line in content.splitlines())}
    if content is not None:
        status = os.stat(under(root, path))
        found.update(mode="%04o" % (status.st_mode & 0o7777), uid=status.st_uid, gid=status.st_gid)
    return found


def initramfs_tool(root, modprobe_path, modprobe_wanted):
    """The tool and, with dracut, its drop-in that names the modprobe file (as it is and as wanted)."""
    found = initramfs.detect(root)
    found["refusal"] = initramfs.refusal(found, modprobe_path)
    wanted = (initramfs.dracut_include(modprobe_path, MODPROBE_MARK)
              if found["tool"] == "dracut" and modprobe_wanted is not None else None)
    found["include"] = managed_file(root, initramfs.DRACUT_CONF, wanted)
    return found


def main():
    module = build_module()
    params = module.params
    missing = [key for key in RESOLVED_KEYS if key not in params["resolved"]]
    if missing:
        module.fail_json(msg="resolved lacks %s: pass the amdgpu.stability.amdgpu_resolve filter's result"
                             % ", ".join(missing))
    resolved = params["resolved"]
    info = host_info(params["root"])
    kernel = info["kernel"]["next_boot"]
    candidates = resolved["candidate_options"] if params["state"] == "present" else {}
    kernels = [kernel] + ([info["kernel"]["release"]] if info["kernel"]["release"] != kernel else [])
    preflight = checked_options(module, candidates, kernels)
    chosen = choose(resolved, params["options"], info["gpus"], preflight.get("params", {}), params["state"],
                    params["options_via"], kernel)
    wanted = modprobe_text(params, chosen)
    grub = planned_grub(module, chosen["cmdline_tokens"])
    found = initramfs_tool(params["root"], params["modprobe_path"], wanted)
    found["after_rebuild"] = initramfs.boot_loader_copies(found, params["root"], grub.get("boot_stack"),
                                                          grub.get("update_commands") or [])
    module.exit_json(changed=False, info=info, preflight=preflight, chosen=chosen, grub=grub,
                     modprobe=managed_file(params["root"], params["modprobe_path"], wanted), initramfs=found)


if __name__ == "__main__":
    main()
