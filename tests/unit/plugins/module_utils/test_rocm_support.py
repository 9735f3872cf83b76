# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import rocm_support as rs

from conftest import fakeroot

UBUNTU_2404 = 'NAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\n'
DEBIAN_12 = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nID=debian\n'
DPKG = """Package: rocm-core
Status: install ok installed
Version: 7.1.0.70100-20~24.04

Package: amdgpu-dkms
Status: install ok installed
Version: 1:6.16.6.30200000-2238411.24.04

Package: amdgpu-dkms-firmware
Status: deinstall ok config-files
Version: 1:6.12.12.60400-2187269.24.04
"""
# apt-get --simulate --quiet install linux-generic-hwe-24.04 on a 24.04.4 box (trimmed).
HWE_SIMULATION = """NOTE: This is only a simulation!
The following NEW packages will be installed:
  linux-generic-hwe-24.04 linux-headers-6.17.0-14-generic linux-image-6.17.0-14-generic
Inst linux-modules-6.17.0-14-generic (6.17.0-14.14~24.04.1 Ubuntu:24.04/noble-updates [amd64])
Inst linux-image-6.17.0-14-generic (6.17.0-14.14~24.04.1 Ubuntu:24.04/noble-updates [amd64])
Inst linux-image-generic-hwe-24.04 (6.17.0-14.14~24.04.1 Ubuntu:24.04/noble-updates [amd64])
Conf linux-image-6.17.0-14-generic (6.17.0-14.14~24.04.1 Ubuntu:24.04/noble-updates [amd64])
"""


def root_with(tmp_path, os_release, dpkg=None, version=None):
    files = {"/etc/os-release": os_release}
    if dpkg:
        files["/var/lib/dpkg/status"] = dpkg
    if version:
        files["/opt/rocm/.info/version"] = version
    fakeroot.write(str(tmp_path), files)
    return str(tmp_path)


def test_installed_from_the_version_file_and_dpkg(tmp_path):
    root = root_with(tmp_path, UBUNTU_2404, DPKG, "7.1.0-20\n")
    assert rs.installed(root) == {"version": "7.1.0-20", "line": "7.1", "dkms": "1:6.16.6.30200000-2238411.24.04"}
    assert rs.os_release(root) == ("ubuntu", "24.04")


def test_installed_from_rocm_core_alone_and_nothing(tmp_path):
    assert rs.installed(root_with(tmp_path / "a", UBUNTU_2404, DPKG))["line"] == "7.1"
    assert rs.installed(root_with(tmp_path / "b", UBUNTU_2404)) == {"version": None, "line": None, "dkms": None}


def test_the_newest_versioned_tree_when_there_is_no_link(tmp_path):
    fakeroot.write(str(tmp_path), {"/opt/rocm-6.4.3/.info/version": "6.4.3-128\n",
                                   "/opt/rocm-6.10.0/.info/version": "6.10.0\n"})
    assert rs.installed(str(tmp_path))["version"] == "6.10.0"


def test_the_kernel_an_hwe_package_would_install():
    assert rs.simulated_kernels(HWE_SIMULATION) == ["6.17.0-14-generic"]
    assert rs.simulated_kernels("Inst firmware-amd-graphics (20230210-5 Debian:12 [all])\n") == []


@pytest.mark.parametrize("line, os_id, version, lines", [
    ("7.2", "ubuntu", "24.04", ("6.8", "6.14")),
    ("6.4", "ubuntu", "24.04", ("6.8", "6.11")),
    ("7.0", "ubuntu", "22.04", ("5.15", "6.8")),
    ("7.1", "debian", "13", ("6.12",)),
    ("6.3", "debian", "12", ()),
    ("8.0", "ubuntu", "24.04", None),
])
def test_supported_lines(line, os_id, version, lines):
    assert rs.supported_lines(line, os_id, version) == lines


def test_the_hwe_kernel_of_24_04_4_is_outside_rocm_7_1_and_names_the_dkms():
    rocm = {"version": "7.1.0", "line": "7.1", "dkms": "1:6.16.6.30200000-2238411.24.04"}
    findings = rs.judge(rocm, "ubuntu", "24.04", ["6.17.0-14-generic"])
    assert [f["problem"] for f in findings] == ["kernel_unsupported"]
    message = findings[0]["message"]
    assert "kernel 6.17.0-14-generic (line 6.17) is outside what ROCm 7.1.0 supports on ubuntu 24.04 (6.8, 6.14)" in message
    assert "amdgpu-dkms 1:6.16.6.30200000-2238411.24.04, which must build on the new kernel" in message
    assert rs.judge(rocm, "ubuntu", "24.04", ["6.14.0-29-generic"]) == []


def test_radeon_on_debian_is_outside_rocm_7_1():
    rocm = {"version": "7.1.0", "line": "7.1", "dkms": None}
    findings = rs.judge(rocm, "debian", "12", ["6.1.0-40-amd64"], radeon=True)
    assert [f["problem"] for f in findings] == ["radeon_unsupported"]
    assert "supports Radeon GPUs only on ubuntu 24.04.3, ubuntu 22.04.5, rhel 10.0, rhel 9.6" in findings[0]["message"]
    # Where the matrix records no Radeon limit, none is claimed.
    assert rs.judge(dict(rocm, line="7.2", version="7.2.1"), "debian", "12", [], radeon=True) == []


def test_no_rocm_nothing_to_judge_and_an_unknown_release_is_said():
    assert rs.judge({"version": None, "line": None, "dkms": None}, "ubuntu", "24.04", ["6.17.0-1-generic"]) == []
    unknown = rs.judge({"version": "8.0.0", "line": "8.0", "dkms": None}, "ubuntu", "24.04", ["6.17.0-1-generic"])
    assert [f["problem"] for f in unknown] == ["release_unknown"]
