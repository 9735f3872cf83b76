# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from conftest import fakeroot, run_module

from ansible_collections.amdgpu.stability.plugins.modules import rocm_kernel_support

SIMULATION = "Inst linux-image-6.17.0-14-generic (6.17.0-14.14~24.04.1 Ubuntu:24.04/noble-updates [amd64])\n"


def test_the_hwe_kernel_outside_the_installed_rocm_is_a_warning_not_a_failure(tmp_path, capsys):
    fakeroot.write(str(tmp_path), {"/etc/os-release": "ID=ubuntu\nVERSION_ID=\"24.04\"\n",
                                   "/opt/rocm/.info/version": "7.0.2\n"})
    result = run_module(capsys, rocm_kernel_support, {"root": str(tmp_path), "apt_output": [SIMULATION],
                                                      "kernels": ["6.14.0-29-generic"], "_ansible_check_mode": True})
    assert result["changed"] is False and not result.get("failed")
    assert result["kernels"] == ["6.14.0-29-generic", "6.17.0-14-generic"]
    assert result["supported_lines"] == ["6.8", "6.14"]
    assert [(f["kernel"], f["problem"]) for f in result["findings"]] == [("6.17.0-14-generic", "kernel_unsupported")]
    # Warnings are strings up to 2.18 and structured events from 2.19: the text is in both.
    assert "outside what ROCm 7.0.2 supports" in json.dumps(result["warnings"])


def test_without_rocm_nothing_is_said(tmp_path, capsys):
    fakeroot.write(str(tmp_path), {"/etc/os-release": "ID=debian\nVERSION_ID=\"12\"\n"})
    result = run_module(capsys, rocm_kernel_support, {"root": str(tmp_path), "apt_output": [SIMULATION], "radeon": True})
    assert result["findings"] == [] and result["rocm"]["version"] is None and result["supported_lines"] is None
