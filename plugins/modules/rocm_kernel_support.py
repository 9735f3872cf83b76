#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rocm_kernel_support
short_description: Say whether a kernel is inside what the installed ROCm release supports
version_added: 0.2.0
description:
  - Read-only. Reads the installed ROCm (C(/opt/rocm/.info/version), else the C(rocm-core) package, else the newest
    C(/opt/rocm-*)) and its C(amdgpu-dkms) package, and the distribution release (C(/etc/os-release)), and judges
    each kernel in O(kernels) and in O(apt_output) against the ROCm compatibility matrix of that release - the
    distribution releases it supports and their kernel lines (Ubuntu 24.04.3 - 6.8 GA and 6.14 HWE), and where it
    supports Radeon GPUs.
  - A kernel outside the matrix is not sure to fail, but C(amdgpu-dkms) is built for the kernels of its release -
    one that does not build leaves the host without a GPU driver after the reboot. Each finding is also returned
    as a warning; the module never fails on a finding (the P(amdgpu.stability.amdgpu#role) role refuses with
    C(amdgpu_kernel_support=strict)).
  - Without ROCm installed there is nothing to judge - RV(findings) is empty.
author:
  - amdgpu.stability contributors (@amdgpu-stability)
extends_documentation_fragment:
  - amdgpu.stability.platform.debian
  - amdgpu.stability.root
  - amdgpu.stability.read_only
options:
  kernels:
    description: Kernel releases to judge, such as C(6.14.0-29-generic).
    type: list
    elements: str
    default: []
  apt_output:
    description:
      - Outputs of C(apt-get --simulate install ...); the C(linux-image-*) packages they would install are judged
        too (how the role learns which kernel the hardware-enablement package brings).
    type: list
    elements: str
    default: []
  radeon:
    description: Whether the host has a Radeon (RDNA) GPU, so that ROCm's limits on where Radeon is supported apply.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Would ROCm support the kernel the HWE package brings?
  ansible.builtin.command:
    argv: [apt-get, --simulate, --quiet, install, linux-generic-hwe-24.04]
  register: hwe
  changed_when: false

- name: Judge it
  amdgpu.stability.rocm_kernel_support:
    apt_output: ["{{ hwe.stdout }}"]
    radeon: true
  register: support
"""

RETURN = r"""
rocm:
  description: The installed ROCm - C(version) (null when none), C(line) (C(7.2)), C(dkms) (the C(amdgpu-dkms) package version or null).
  returned: always
  type: dict
  sample: {version: 7.1.0, line: "7.1", dkms: "1:6.16.6.30200000-2238411.24.04"}
os:
  description: C(id) and C(version) from os-release.
  returned: always
  type: dict
  sample: {id: ubuntu, version: "24.04"}
kernels:
  description: The kernel releases judged (from O(kernels) and O(apt_output)).
  returned: always
  type: list
  elements: str
supported_lines:
  description: The kernel lines the ROCm release supports on this distribution release; null when ROCm is not installed or its release is not in the data.
  returned: always
  type: list
  elements: str
findings:
  description:
    - One per problem - C(kernel) (or null), C(problem) (V(kernel_unsupported), V(os_unsupported),
      V(radeon_unsupported), V(release_unknown)) and C(message) (with its source).
  returned: always
  type: list
  elements: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.amdgpu.stability.plugins.module_utils import rocm_support


def main():
    module = AnsibleModule(
        argument_spec=dict(
            kernels=dict(type="list", elements="str", default=[]),
            apt_output=dict(type="list", elements="str", default=[]),
            radeon=dict(type="bool", default=False),
            root=dict(type="path", default="/"),
        ),
        supports_check_mode=True,
    )
    root = module.params["root"]
    rocm = rocm_support.installed(root)
    os_id, os_version = rocm_support.os_release(root)
    kernels = list(module.params["kernels"])
    for output in module.params["apt_output"]:
        kernels.extend(kernel for kernel in rocm_support.simulated_kernels(output) if kernel not in kernels)
    findings = rocm_support.judge(rocm, os_id, os_version, kernels, module.params["radeon"])
    for finding in findings:
        module.warn(finding["message"])
    lines = rocm_support.supported_lines(rocm["line"], os_id, os_version) if rocm["line"] else None
    module.exit_json(changed=False, rocm=rocm, os={"id": os_id, "version": os_version}, kernels=kernels,
                     supported_lines=list(lines) if lines is not None else None, findings=findings)


if __name__ == "__main__":
    main()
