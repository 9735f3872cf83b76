# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Known firmware and kernel problems of AMD GPUs, as data with their sources, and which of them
concern a host.

Firmware advisories are keyed on the firmware file and its version: MES version numbers are per
ASIC (``gc_11_5_1_mes_2.bin`` 0x83 is not ``gc_11_0_0_mes_2.bin`` 0x83), so a version alone means
nothing. The file a GPU loads follows from its GC IP version as the driver names it
(amdgpu_mes.c amdgpu_mes_init_microcode: ``amdgpu/gc_<major>_<minor>_<rev>_mes_2.bin`` for the
scheduler pipe on GFX11); the version is what sysfs reports (``fw_version/mes_fw_version``, the
scheduler's version under AMDGPU_MES_VERSION_MASK).

Kernel advisories are keyed on the change and the releases that carry it: per stable line, the first
release with the change and the first without it again (None: still there, or not known to be gone),
and on the GC IP versions concerned (None: every GPU). Only releases named by their upstream stable
level are judged; distribution kernels numbered by their ABI are not.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_hardware import info, parse_gc_version
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_release import release_version

FIRMWARE = (
    {
        "id": "mes-gc_11_5_1-0x83",
        "file": "gc_11_5_1_mes_2.bin",
        "firmware": "mes",
        "versions": (0x83,),
        "severity": "critical",
        "text": ("MES firmware 0x83 for Strix Halo (gfx1151) is reported to cause GPU hangs and memory access "
                 "faults under compute; linux-firmware went back to 0x80 on 2025-12-01: update linux-firmware, "
                 "or remove a package that still ships 0x83 (amdgpu-dkms-firmware)"),
        "good": (0x80,),
        "source": "ROCm/legacy-rocm-build#5724, #5991",
    },
    {
        "id": "mes-gc_11_5_0-0x83",
        "file": "gc_11_5_0_mes_2.bin",
        "firmware": "mes",
        "versions": (0x83,),
        "severity": "critical",
        "text": ("MES firmware 0x83 for Strix Point (gfx1150) carries the same fault as Strix Halo's and was reverted "
                 "in linux-firmware (commit 3d5c8135206c): update linux-firmware"),
        "good": (0x80,),
        "source": "ROCm/legacy-rocm-build#5724 (comment of 2025-12-29)",
    },
)

KERNEL = (
    {
        "id": "mes-lr-compute-wa",
        "gc_ranges": (((11, 0, 0), (11, 255, 255)), ((12, 0, 0), (12, 255, 255))),
        "severity": "warning",
        "text": ("this kernel carries the MES long-running compute workaround (1fb710793ce2 'drm/amdgpu: Enable "
                 "MES lr_compute_wa by default'), enabled when the MES firmware is at least 0x7f (GFX11) or 0x82 "
                 "(GFX12). It did not fix the gfx1151 hangs it was meant for (the VGPR size fix b42f3bf9536c did) "
                 "and is suspected of instability on other GPUs with newer GC microcode; it was removed again "
                 "(6b0d81297137 'drm/amd: Disable MES LR compute W/A')"),
        # stable line -> (first release with it, first release without it again, or None). 6.12: added
        # in 6.12.52, absent from Debian's 6.12.107 source (the release that dropped it is earlier, not
        # pinned here); 6.18/6.19: the removal was queued for stable on 2026-03-17; 7.0 and later do
        # not carry it.
        "carried": {
            (6, 12): ((6, 12, 52), (6, 12, 107)),
            (6, 16): ((6, 16, 12), None),
            (6, 17): ((6, 17, 2), None),
            (6, 18): ((6, 18, 0), None),
            (6, 19): ((6, 19, 0), None),
        },
        "source": ("Linux 6.12.52, 6.16.12 and 6.17.2 stable releases; stable review '[PATCH 6.18 186/333] drm/amd: "
                   "Disable MES LR compute W/A' (2026-03-17); Debian linux-source-6.12 6.12.107 and 7.2.13"),
    },
    {
        "id": "tlb-fence-cpu-update",
        "gc_ranges": None,
        "severity": "warning",
        "text": ("this kernel has the TLB flush fence (d8a3f0a0348d 'drm/amdgpu: implement TLB flush fence', 6.10) "
                 "without its fix for page-table updates made by the CPU, which produce no fence (4453808d9eab "
                 "'drm/amdgpu: fix invalid fence handling in amdgpu_vm_tlb_flush'): with CPU updates (large-BAR "
                 "compute, amdgpu.vm_update_mode) the TLB flush is not tracked; upgrade to 6.10.13, 6.11.2 or later"),
        # 6.12 and later carry the fix from the start (merged for 6.12-rc1).
        "carried": {
            (6, 10): ((6, 10, 0), (6, 10, 13)),
            (6, 11): ((6, 11, 0), (6, 11, 2)),
        },
        "source": ("stable reviews '[PATCH 6.10 214/634]' and '[PATCH 6.11 241/695] drm/amdgpu: fix invalid fence handling "
                   "in amdgpu_vm_tlb_flush' (2024-10-02), upstream 4453808d9eab"),
    },
)
# Releases numbered by their package ABI (Ubuntu's 6.8.0-90-generic, Debian 12's 6.1.0-56-amd64) hide the
# upstream stable level they are built from, and carry backports of their own: a stable range says
# nothing about them.
_ABI_NUMBERED = re.compile(r"^\d+\.\d+\.0-\d+-")


def mes_firmware_file(gc):
    """The scheduler firmware a GFX11 GPU loads, or None where the naming differs (GFX12's unified
    MES) or the GC version is unknown."""
    if gc and gc[0] == 11:
        return "gc_%d_%d_%d_mes_2.bin" % tuple(gc)
    return None


def _version(text):
    try:
        return int(text, 0) if text else None
    except ValueError:
        return None


def firmware_advisories(gpu):
    """The firmware advisories that concern one amdgpu_info GPU."""
    gc = parse_gc_version(gpu.get("gc_version"))
    found = []
    for entry in FIRMWARE:
        if mes_firmware_file(gc) != entry["file"]:
            continue
        version = _version((gpu.get("firmware") or {}).get(entry["firmware"]))
        if version in entry["versions"]:
            found.append(_advisory(entry, "firmware", gpu, "%s %s 0x%x" % (entry["file"], entry["firmware"], version)))
    return found


def carries(entry, kernel_version):
    """Whether a kernel release ((major, minor, patch)) carries the change: None when its line is one
    the data does not cover."""
    span = entry["carried"].get(tuple(kernel_version[:2]))
    if span is None:
        return None
    first, gone = span
    return tuple(kernel_version) >= first and (gone is None or tuple(kernel_version) < gone)


def kernel_advisories(gpu, release, which):
    """The kernel advisories that concern one GPU on kernel ``release``; ``which`` names the kernel
    (``running``, ``next boot``) in the advisory."""
    gc = parse_gc_version(gpu.get("gc_version"))
    if _ABI_NUMBERED.match(release or ""):
        return []
    version = release_version(release)
    found = []
    for entry in KERNEL:
        ranges = entry["gc_ranges"]
        if ranges is not None and (gc is None or not any(low <= gc <= high for low, high in ranges)):
            continue
        if carries(entry, version):
            found.append(_advisory(entry, "kernel", gpu, "%s kernel %s" % (which, release)))
    return found


def _advisory(entry, kind, gpu, subject):
    return {"id": entry["id"], "kind": kind, "severity": entry["severity"], "pci_slot": gpu.get("pci_slot"),
            "subject": subject, "text": entry["text"], "source": entry["source"]}


def host_advisories(gpus, running, next_boot=None):
    """Every advisory for a host: firmware of each GPU, the running kernel, and the kernel that boots
    next when it differs (its advisory says so: a reboot would bring it in)."""
    found = []
    for gpu in gpus:
        found.extend(firmware_advisories(gpu))
        if running:
            found.extend(kernel_advisories(gpu, running, "running"))
        if next_boot and next_boot != running:
            found.extend(kernel_advisories(gpu, next_boot, "next boot"))
    return found


def host_info(root="/"):
    """amdgpu_info's result: the hardware and kernel facts, and the advisories that concern them
    (the kernel that boots next is the newest installed, as Debian's and Ubuntu's GRUB default)."""
    facts = info(root)
    kernel = facts["kernel"]
    next_boot = kernel["installed"][-1] if kernel["installed"] else None
    facts["advisories"] = host_advisories(facts["gpus"], kernel["release"], next_boot)
    return facts
