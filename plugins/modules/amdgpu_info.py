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
    C(ip_discovery), else from the device id.
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
    family: {description: Chip family when the id is known., type: str, sample: Navi 31}
    gfx_target: {description: LLVM/ROCm target., type: str, sample: gfx1100}
    gc_version: {description: GC IP version from ip_discovery., type: str, sample: "11.0.0"}
    is_apu: {description: Integrated GPU (null when unknown)., type: bool}
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
      C(installed), the releases under C(/lib/modules) oldest first - the newest usually boots next, and
      C(reboot_requested), whether C(/run/reboot-required) exists (left by Debian's and Ubuntu's packages).
  returned: always
  type: dict
  sample:
    release: 6.16.12+deb13-amd64
    installed: [6.12.95+deb12-amd64, 6.16.12+deb13-amd64]
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
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_hardware import info


def main():
    module = AnsibleModule(argument_spec=dict(root=dict(type="path", default="/")), supports_check_mode=True)
    module.exit_json(changed=False, **info(module.params["root"]))


if __name__ == "__main__":
    main()
