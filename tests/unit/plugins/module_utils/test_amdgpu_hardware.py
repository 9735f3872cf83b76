# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_hardware as hw

from conftest import fakeroot


def write(root, files):
    fakeroot.write(str(root), files)


pci = fakeroot.pci


def test_workstation(seed_root):
    result = hw.info(seed_root)
    assert [gpu["pci_slot"] for gpu in result["gpus"]] == ["0000:2f:00.0", "0000:7a:00.0"]
    dgpu, igpu = result["gpus"]
    assert dgpu == {
        "pci_slot": "0000:2f:00.0", "device_id": "0x744c", "family": "Navi 31", "gfx_target": "gfx1100",
        "gc_version": "11.0.0", "is_apu": False, "tmz": "unsupported", "kfd_node": 1, "hip_index": 0, "card": "card1", "connected_displays": ["DP-1"],
        "connectors": ["DP-1", "HDMI-A-1"],
        "firmware": {"mes": "0x00000080", "smc": "0x004e7300"}, "vbios": "113-D7020100-102"}
    assert igpu["is_apu"] is True and igpu["family"] == "Raphael" and igpu["gfx_target"] == "gfx1036"
    assert igpu["connected_displays"] == [] and igpu["firmware"] == {} and igpu["vbios"] is None
    assert (igpu["kfd_node"], igpu["hip_index"]) == (2, 1)
    assert result["amdgpu_loaded"] is True
    assert result["kernel"]["release"] == "6.16.12+deb13-amd64"
    assert result["kernel"]["taint"]["flags"] == ["U", "E"]
    # Version order, not string order; a directory without kernel/ (a leftover) is not a kernel.
    assert result["kernel"]["installed"] == ["6.9.7+bpo-amd64", "6.12.95+deb12-amd64", "6.16.12+deb13-amd64"]
    assert result["kernel"]["reboot_requested"] is False
    assert result["kfd_processes"] == [977, 4242]
    assert result["amdgpu_dkms"] is True


def test_kfd_target_wins_over_tables(tmp_path):
    files = pci("0000:03:00.0", "0x1002", "0x7480", "0x038000")
    files["/sys/class/kfd/kfd/topology/nodes/1/properties"] = "gfx_target_version 110002\nlocation_id 768\ndomain 0\n"
    write(tmp_path, files)
    gpu = hw.info(str(tmp_path))["gpus"][0]
    assert gpu["gfx_target"] == "gfx1102" and gpu["family"] == "Navi 33" and gpu["card"] is None


def test_hip_index_follows_kfd_node_order_not_pci_order(tmp_path):
    # The iGPU probed first: node 1. HIP numbers agents by node, so the dGPU (lower PCI address) is 1.
    write(tmp_path, fakeroot.igpu_first_workstation())
    dgpu, igpu = hw.info(str(tmp_path))["gpus"]
    assert (dgpu["pci_slot"], dgpu["kfd_node"], dgpu["hip_index"], dgpu["gfx_target"]) == ("0000:03:00.0", 2, 1, "gfx1101")
    assert (igpu["pci_slot"], igpu["kfd_node"], igpu["hip_index"], igpu["is_apu"]) == ("0000:0e:00.0", 1, 0, True)


def test_gpu_missing_from_kfd_has_no_hip_index(tmp_path):
    write(tmp_path, pci("0000:03:00.0", "0x1002", "0x744c", "0x030000"))
    gpu = hw.info(str(tmp_path))["gpus"][0]
    assert gpu["kfd_node"] is None and gpu["hip_index"] is None


def test_unknown_device_falls_back_to_gc_version(tmp_path):
    write(tmp_path, pci("0000:03:00.0", "0x1002", "0x7999", "0x030000", {
        "ip_discovery/die/0/GC/0/major": "11\n", "ip_discovery/die/0/GC/0/minor": "0\n",
        "ip_discovery/die/0/GC/0/revision": "3\n"}))
    gpu = hw.info(str(tmp_path))["gpus"][0]
    # The family by GC version: the device table does not know 0x7999.
    assert gpu["family"] == "Navi 32" and gpu["gfx_target"] == "gfx1101" and gpu["is_apu"] is False


def test_no_amd_gpu_is_not_an_error(tmp_path):
    write(tmp_path, pci("0000:01:00.0", "0x10de", "0x2684", "0x030000"))
    result = hw.info(str(tmp_path))
    assert result["gpus"] == [] and result["amdgpu_loaded"] is False
    assert result["kfd_processes"] == [] and result["amdgpu_dkms"] is False
    assert result["kernel"] == {"release": None, "taint": None, "installed": [], "next_boot": None, "reboot_requested": False}


def test_taint_decoding():
    assert hw.decode_taint(0) == {"value": 0, "flags": [], "reasons": []}
    assert hw.decode_taint(64 | 4)["flags"] == ["S", "U"]


def test_the_distributions_reboot_marker(tmp_path):
    write(tmp_path, {"/run/reboot-required": "*** System restart required ***\n"})
    assert hw.info(str(tmp_path))["kernel"]["reboot_requested"] is True


def _card(device, gc=None, release="6.12.95+deb12-amd64"):
    extra = {}
    if gc:
        extra = dict(("ip_discovery/die/0/GC/0/%s" % name, "%d\n" % part)
                     for name, part in zip(("major", "minor", "revision"), gc))
    files = pci("0000:03:00.0", "0x1002", device, "0x030000", extra)
    files["/proc/sys/kernel/osrelease"] = release + "\n"
    return files


# One card or APU per generation: (device id, GC version, family, gfx target, APU, TMZ on 6.12).
GENERATIONS = [
    ("0x73bf", (10, 3, 0), "Navi 21", "gfx1030", False, "experimental"),     # RX 6800/6900
    ("0x73df", (10, 3, 2), "Navi 22", "gfx1031", False, "experimental"),     # RX 6700 XT
    ("0x743f", (10, 3, 5), "Navi 24", "gfx1034", False, "experimental"),     # RX 6500 XT: not an APU
    ("0x1681", (10, 3, 3), "Rembrandt", "gfx1035", True, "experimental"),    # Ryzen 6000 APU
    ("0x164e", (10, 3, 6), "Raphael", "gfx1036", True, "experimental"),
    ("0x744c", (11, 0, 0), "Navi 31", "gfx1100", False, "unsupported"),      # RX 7900 XTX
    ("0x747e", (11, 0, 3), "Navi 32", "gfx1101", False, "unsupported"),      # RX 7800 XT
    ("0x7480", (11, 0, 2), "Navi 33", "gfx1102", False, "unsupported"),      # RX 7600
    ("0x15bf", (11, 0, 1), "Phoenix", "gfx1103", True, "on"),                # Radeon 780M
    ("0x1586", (11, 5, 1), "Strix Halo", "gfx1151", True, "experimental"),   # id unknown to the table: by GC
    ("0x7550", (12, 0, 1), "Navi 48", "gfx1201", False, "unsupported"),      # RX 9070 XT
]


@pytest.mark.parametrize("device, gc, family, target, apu, tmz", GENERATIONS)
def test_each_generation_from_ip_discovery(tmp_path, device, gc, family, target, apu, tmz):
    write(tmp_path, _card(device, gc))
    gpu = hw.info(str(tmp_path))["gpus"][0]
    assert (gpu["family"], gpu["gc_version"], gpu["gfx_target"], gpu["is_apu"], gpu["tmz"]) == (
        family, "%d.%d.%d" % gc, target, apu, tmz)


@pytest.mark.parametrize("device, gc, family, target, apu, _tmz", [g for g in GENERATIONS if g[0] != "0x1586"])
def test_each_generation_from_the_device_id_alone(tmp_path, device, gc, family, target, apu, _tmz):
    # No ip_discovery in sysfs (an older kernel): the device table gives the GC version.
    write(tmp_path, _card(device))
    gpu = hw.info(str(tmp_path))["gpus"][0]
    assert (gpu["family"], gpu["gc_version"], gpu["gfx_target"], gpu["is_apu"]) == (family, "%d.%d.%d" % gc, target, apu)


def test_tmz_is_judged_for_the_running_kernel(tmp_path):
    write(tmp_path, _card("0x164e", (10, 3, 6), release="6.1.0-56-amd64"))
    assert hw.info(str(tmp_path))["gpus"][0]["tmz"] == "unsupported"


def test_a_gpu_nobody_knows(tmp_path):
    write(tmp_path, _card("0x9999"))
    gpu = hw.info(str(tmp_path))["gpus"][0]
    assert (gpu["family"], gpu["gc_version"], gpu["gfx_target"], gpu["is_apu"], gpu["tmz"]) == (None, None, None, None, None)


def test_the_kernel_that_boots_next_is_the_newest_installed_else_the_running_one():
    assert hw.next_boot_kernel("6.1.0-56-amd64", ["6.1.0-56-amd64", "6.12.95+deb12-amd64"]) == "6.12.95+deb12-amd64"
    assert hw.next_boot_kernel("6.1.0-56-amd64", []) == "6.1.0-56-amd64"
