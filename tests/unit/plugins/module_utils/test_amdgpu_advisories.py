# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_advisories as adv

from conftest import fakeroot


def gpu(gc, mes=None, slot="0000:c5:00.0"):
    return {"pci_slot": slot, "gc_version": gc, "firmware": {"mes": mes} if mes else {}}


def test_strix_halo_on_the_bad_mes_release():
    found = adv.firmware_advisories(gpu("11.5.1", "0x00000083"))
    assert [(a["id"], a["severity"], a["subject"]) for a in found] == [
        ("mes-gc_11_5_1-0x83", "critical", "gc_11_5_1_mes_2.bin mes 0x83")]
    assert "#5724" in found[0]["source"]


@pytest.mark.parametrize("gc, mes", [
    ("11.5.1", "0x00000080"),     # the good release
    ("11.0.0", "0x00000083"),     # the same number on Navi 31 is another firmware: no advisory
    ("12.0.1", "0x00000083"),     # GFX12 loads another file
    ("11.5.1", None),             # no firmware version in sysfs (kernels before 6.12)
    (None, "0x00000083"),         # GC version unknown
])
def test_a_version_number_alone_never_matches(gc, mes):
    assert adv.firmware_advisories(gpu(gc, mes)) == []


def test_the_mes_file_follows_the_driver_naming():
    assert adv.mes_firmware_file((11, 0, 0)) == "gc_11_0_0_mes_2.bin"
    assert adv.mes_firmware_file((12, 0, 1)) is None and adv.mes_firmware_file(None) is None


@pytest.mark.parametrize("release, carried", [
    ("6.12.51", False), ("6.12.52", True), ("6.12.95+deb12-amd64", True), ("6.12.107", False),
    ("6.16.12+deb13-amd64", True), ("6.16.11", False), ("6.17.1", False), ("6.17.13+deb13-amd64", True),
    ("6.18.15+deb13-amd64", True), ("6.1.0-56-amd64", None), ("7.2.13+deb14-amd64", None),
])
def test_which_releases_carry_the_lr_compute_workaround(release, carried):
    entry = adv.KERNEL[0]
    assert adv.carries(entry, adv.release_version(release)) is carried


def test_the_kernel_that_boots_next_is_named_when_it_differs():
    navi31 = gpu("11.0.0", "0x00000080", "0000:03:00.0")
    found = adv.host_advisories([navi31], "6.12.107+deb12-amd64", "6.18.15+deb13-amd64")
    assert [(a["id"], a["subject"]) for a in found] == [("mes-lr-compute-wa", "next boot kernel 6.18.15+deb13-amd64")]
    assert adv.host_advisories([gpu("10.3.0")], "6.18.15+deb13-amd64") == []     # RDNA2: no MES


def test_amdgpu_info_reports_the_advisories(tmp_path):
    files = fakeroot.pci("0000:c5:00.0", "0x1002", "0x1586", "0x038000", {
        "ip_discovery/die/0/GC/0/major": "11\n", "ip_discovery/die/0/GC/0/minor": "5\n",
        "ip_discovery/die/0/GC/0/revision": "1\n", "fw_version/mes_fw_version": "0x00000083\n"})
    files["/proc/sys/kernel/osrelease"] = "6.17.13+deb13-amd64\n"
    files["/lib/modules/6.17.13+deb13-amd64/kernel/.keep"] = ""
    fakeroot.write(str(tmp_path), files)
    result = adv.host_info(str(tmp_path))
    assert [a["id"] for a in result["advisories"]] == ["mes-gc_11_5_1-0x83", "mes-lr-compute-wa"]
    assert result["gpus"][0]["family"] == "Strix Halo"


@pytest.mark.parametrize("release, ids", [
    ("6.10.12", ["tlb-fence-cpu-update"]), ("6.10.13", []), ("6.11.1", ["tlb-fence-cpu-update"]), ("6.11.2", []),
    ("6.12.0", []),
    # Numbered by the distribution's ABI: the stable level is unknown, so no stable range applies.
    ("6.11.0-29-generic", []), ("6.8.0-90-generic", []),
])
def test_the_tlb_fence_fix_concerns_every_gpu_on_the_releases_before_it(release, ids):
    found = adv.kernel_advisories(gpu("10.3.0"), release, "running")
    assert [a["id"] for a in found] == ids
