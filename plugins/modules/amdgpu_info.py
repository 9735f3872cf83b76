#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: amdgpu_info
short_description: AMD GPUs, their firmware and the kernel's state, from sysfs
version_added: 0.1.0
description:
  - Read-only. Lists the AMD GPUs (PCI vendor C(0x1002), display classes C(0x0300xx)/C(0x0380xx)) with
    family, gfx target, GC version, APU or not, DRM card, connected displays, firmware versions and
    VBIOS; whether amdgpu is loaded; the kernel release and its decoded taint flags; the processes
    running GPU compute work (KFD); whether a DKMS amdgpu is installed.
  - A host without an AMD GPU is not an error - RV(gpus) is empty.
  - The gfx target comes from the KFD topology when amdgpu runs, else from the GC version in
    C(ip_discovery), else from the device id. What a GC version is (gfx target, APU or not, TMZ support) comes
    from the kernel's own tables, generated from the Debian kernel sources 6.1, 6.12 and 7.2.
  - RV(advisories) names known firmware and kernel problems that concern this host.
author:
  - amdgpu.stability contributors (@amdgpu-stability)
extends_documentation_fragment:
  - amdgpu.stability.platform
  - amdgpu.stability.root
  - amdgpu.stability.read_only
options: {}
"""

EXAMPLES = r"""
- name: Read the GPU facts
  amdgpu.stability.amdgpu_info:
  register: gpu

- name: Say which card drives the monitors
  ansible.builtin.debug:
    msg: "{{ item.family }} {{ item.card }}: {{ item.connected_displays | join(', ') | default('no display', true) }}"
  loop: "{{ gpu.gpus }}"
"""

RETURN = r"""
gpus:
  description: One entry per AMD GPU, in PCI order.
  returned: always
  type: list
  elements: dict
  contains:
    pci_slot: {description: PCI address., type: str, sample: "0000:2f:00.0"}
    device_id: {description: PCI device id., type: str, sample: "0x744c"}
    family: {description: Chip family when the id or the GC version is known., type: str, sample: Navi 31}
    gfx_target:
      description: LLVM/ROCm target - the KFD topology's, else the one the kernel's C(kgd2kfd_probe()) gives the GC version.
      type: str
      sample: gfx1100
    gc_version: {description: GC IP version from ip_discovery., type: str, sample: "11.0.0"}
    is_apu:
      description: Integrated GPU, from the kernel's own table of GC versions (null when unknown).
      type: bool
    tmz:
      description:
        - What the running kernel does with TMZ on this GPU, from C(amdgpu_gmc_tmz_set()) - V(on) (on by default;
          C(tmz=0) turns it off), V(experimental) (off unless C(tmz=1)), V(unsupported) (the option is ignored);
          null when the kernel's tables do not know the GPU.
      type: str
      sample: unsupported
      version_added: 0.2.0
    kfd_node:
      description: The GPU's node in the KFD topology (C(/sys/class/kfd/kfd/topology/nodes/N)); null when KFD does not list it.
      type: int
      sample: 1
    hip_index:
      description:
        - The device index HIP and ROCr give this GPU (C(HIP_VISIBLE_DEVICES), C(ROCR_VISIBLE_DEVICES)) - its rank
          among the KFD GPU nodes; null when KFD does not list it.
      type: int
      sample: 0
    card: {description: DRM card name., type: str, sample: card1}
    connected_displays: {description: Connectors whose status is connected., type: list, elements: str, sample: [DP-1]}
    connectors: {description: Every connector of the card (an C(eDP) one means a built-in panel)., type: list, elements: str}
    firmware:
      description: Firmware versions from C(fw_version/*_fw_version), by name.
      type: dict
      sample: {mes: "0x00000080", smc: "0x004e7300"}
    vbios: {description: VBIOS version., type: str, sample: "113-D7020100-102"}
amdgpu_loaded:
  description: Whether C(<root>/sys/module/amdgpu) exists.
  returned: always
  type: bool
kernel:
  description:
    - C(release) (running), C(taint) (C(value), C(flags) letters, C(reasons); null when unreadable),
      C(installed), the releases under C(/lib/modules) oldest first, C(next_boot), the newest of them (it boots
      next with Debian's and Ubuntu's GRUB defaults; the running release where none is installed), and
      C(reboot_requested), whether C(/run/reboot-required) exists (left by Debian's and Ubuntu's packages).
  returned: always
  type: dict
  sample:
    release: 6.16.12+deb13-amd64
    installed: [6.12.95+deb12-amd64, 6.16.12+deb13-amd64]
    next_boot: 6.16.12+deb13-amd64
    taint: {value: 64, flags: [U], reasons: [UNSAFE parameter]}
    reboot_requested: false
kfd_processes:
  description: PIDs with GPU compute work (C(/sys/class/kfd/kfd/proc)); a reboot would kill them.
  returned: always
  type: list
  elements: int
amdgpu_dkms:
  description: Whether a DKMS build of amdgpu is installed for the running kernel.
  returned: always
  type: bool
rocm:
  description:
    - The installed ROCm - C(version) (C(/opt/rocm/.info/version), else the C(rocm-core) package, else the newest
      C(/opt/rocm-*); null when none), C(line) (C(7.2)) and C(dkms) (the C(amdgpu-dkms) package version, or null).
  returned: always
  type: dict
  sample: {version: 7.1.0, line: "7.1", dkms: null}
  version_added: 0.2.0
advisories:
  description:
    - Known firmware and kernel problems that concern this host, each with its source - C(id), C(kind)
      (V(firmware) - the MES firmware a GPU runs, keyed on the firmware file and version; V(kernel) - a change the
      running kernel or the kernel that boots next carries), C(severity) (V(warning), V(critical)), C(pci_slot),
      C(subject) (what matched, such as C(gc_11_5_1_mes_2.bin mes 0x83) or C(next boot kernel 6.18.15+deb13-amd64)),
      C(text) and C(source).
  returned: always
  type: list
  elements: dict
  version_added: 0.2.0
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_advisories import host_info


def main():
    module = AnsibleModule(argument_spec=dict(root=dict(type="path", default="/")), supports_check_mode=True)
    module.exit_json(changed=False, **host_info(module.params["root"]))


if __name__ == "__main__":
    main()
