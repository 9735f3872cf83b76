# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AMD GPUs, their firmware and the kernel's state, read from sysfs and procfs under a root
(the logic of the amdgpu_info module). Files only: no tools, no vendor libraries."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_gpu_data import GC_IP_VERSIONS, KERNEL_LINES
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_release import release_version
from ansible_collections.amdgpu.stability.plugins.module_utils.rocm_support import installed as rocm_installed
from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import read_file, under

AMD_VENDOR = "0x1002"
# PCI display classes: VGA (0x0300xx) and display controller (0x0380xx). Filters out 0x7446, the
# Navi 31 USB-C function, and the audio functions.
DISPLAY_CLASSES = ("0x0300", "0x0380")

# device id -> (family, GC IP version): the fallback when ip_discovery is not in sysfs (kernels
# before 5.19, or no amdgpu). RDNA2 and older: the kernel's amdgpu_drv.c PCI table (0x73BF
# CHIP_SIENNA_CICHLID, ...) joined with the codenames of kgd2kfd_probe(); the parts the kernel finds by
# IP discovery (RDNA3 and later, Raphael, Phoenix) it matches by PCI class, with no ids: theirs are the
# ones the facts list (§7). The gfx target and whether it is an APU come from GC_IP_VERSIONS, the
# kernel's own tables (amdgpu_gpu_data.py).
DEVICES = {
    "0x744c": ("Navi 31", (11, 0, 0)), "0x7448": ("Navi 31", (11, 0, 0)), "0x7449": ("Navi 31", (11, 0, 0)),
    "0x744a": ("Navi 31", (11, 0, 0)), "0x744b": ("Navi 31", (11, 0, 0)), "0x745e": ("Navi 31", (11, 0, 0)),
    "0x747e": ("Navi 32", (11, 0, 3)), "0x7470": ("Navi 32", (11, 0, 3)), "0x7460": ("Navi 32", (11, 0, 3)),
    "0x7461": ("Navi 32", (11, 0, 3)),
    "0x7480": ("Navi 33", (11, 0, 2)), "0x7483": ("Navi 33", (11, 0, 2)), "0x7489": ("Navi 33", (11, 0, 2)),
    "0x7499": ("Navi 33", (11, 0, 2)), "0x749f": ("Navi 33", (11, 0, 2)), "0x7487": ("Navi 33", (11, 0, 2)),
    "0x748b": ("Navi 33", (11, 0, 2)), "0x7481": ("Navi 33", (11, 0, 2)),
    "0x15bf": ("Phoenix", (11, 0, 1)), "0x15c8": ("Phoenix 2", (11, 0, 4)),
    "0x164e": ("Raphael", (10, 3, 6)), "0x1681": ("Rembrandt", (10, 3, 3)), "0x164d": ("Rembrandt", (10, 3, 3)),
    "0x164c": ("Lucienne", (9, 3, 0)), "0x1638": ("Cezanne", (9, 3, 0)),
    "0x73bf": ("Navi 21", (10, 3, 0)), "0x73df": ("Navi 22", (10, 3, 2)), "0x73ff": ("Navi 23", (10, 3, 4)),
    "0x743f": ("Navi 24", (10, 3, 5)), "0x7550": ("Navi 48", (12, 0, 1)),
}
# Family names by GC IP version, for GPUs whose device id is not above: the names AMD publishes (Navi
# numbers for the discrete parts, APU codenames). The kernel's own codenames (Navy Flounder for Navi
# 22) are GC_IP_VERSIONS' "codename".
FAMILIES = {
    (10, 3, 0): "Navi 21", (10, 3, 2): "Navi 22", (10, 3, 4): "Navi 23", (10, 3, 5): "Navi 24",
    (10, 3, 1): "Van Gogh", (10, 3, 3): "Rembrandt", (10, 3, 6): "Raphael", (10, 3, 7): "Mendocino",
    (11, 0, 0): "Navi 31", (11, 0, 3): "Navi 32", (11, 0, 2): "Navi 33", (11, 0, 1): "Phoenix",
    (11, 0, 4): "Phoenix 2", (11, 5, 0): "Strix Point", (11, 5, 1): "Strix Halo", (11, 5, 2): "Krackan Point",
    (12, 0, 0): "Navi 44", (12, 0, 1): "Navi 48",
}
# /proc/sys/kernel/tainted bits (Documentation/admin-guide/tainted-kernels.rst).
TAINT_FLAGS = (
    ("P", "proprietary module loaded"), ("F", "module force-loaded"), ("S", "unsafe or out-of-spec system state"),
    ("R", "module force-unloaded"), ("M", "machine check"), ("B", "bad page"),
    ("U", "taint requested by user or an UNSAFE module parameter"), ("D", "kernel died (oops or BUG)"),
    ("A", "ACPI table overridden"), ("W", "kernel warning"), ("C", "staging driver loaded"),
    ("I", "firmware workaround"), ("O", "out-of-tree module loaded"), ("E", "unsigned module loaded"),
    ("L", "soft lockup"), ("K", "live-patched"), ("X", "auxiliary taint"), ("T", "built with struct randomization"),
    ("N", "in-kernel test run"), ("J", "userspace used a mutating debug operation"),
)


def _read(path):
    """A sysfs/procfs value without its newline, or None."""
    text = read_file(path)
    return text.strip() if text is not None else None


def decode_taint(value):
    flags = [flag for bit, (flag, _text) in enumerate(TAINT_FLAGS) if value & (1 << bit)]
    reasons = [text for bit, (_flag, text) in enumerate(TAINT_FLAGS) if value & (1 << bit)]
    return {"value": value, "flags": flags, "reasons": reasons}


def gc_version(device_dir):
    base = os.path.join(device_dir, "ip_discovery/die/0/GC/0")
    parts = [_read(os.path.join(base, name)) for name in ("major", "minor", "revision")]
    if None in parts:
        return None
    try:
        return tuple(int(part, 0) for part in parts)
    except ValueError:
        return None


def kfd_nodes(root):
    """PCI address -> ``(node, gfx target)`` from the KFD topology (gfx_target_version 110000 = gfx1100).
    CPU nodes (gfx_target_version 0) are left out."""
    nodes = {}
    for properties in glob.glob(under(root, "/sys/class/kfd/kfd/topology/nodes/*/properties")):
        node = os.path.basename(os.path.dirname(properties))
        values = {}
        for line in (_read(properties) or "").splitlines():
            key, _sep, value = line.partition(" ")
            values[key] = value.strip()
        version = int(values.get("gfx_target_version", "0") or 0)
        location = int(values.get("location_id", "0") or 0)
        if not version or not node.isdigit():
            continue
        major, minor, step = version // 10000, (version // 100) % 100, version % 100
        slot = "%04x:%02x:%02x.%x" % (int(values.get("domain", "0") or 0), location >> 8, (location >> 3) & 0x1F, location & 7)
        nodes[slot] = (int(node), "gfx%d%x%x" % (major, minor, step))
    return nodes


def hip_indices(nodes):
    """PCI address -> HIP/ROCr device index: the runtime numbers the GPU agents in KFD node order."""
    ordered = sorted(nodes.items(), key=lambda item: item[1][0])
    return dict((slot, index) for index, (slot, _node) in enumerate(ordered))


def connectors(root, card):
    """``{connector: status}`` of a DRM card (DP-1, HDMI-A-1, eDP-1, ...)."""
    found = {}
    for status in sorted(glob.glob(under(root, "/sys/class/drm/%s-*/status" % card))):
        found[os.path.basename(os.path.dirname(status))[len(card) + 1:]] = _read(status)
    return found


def firmware_versions(device_dir):
    versions = {}
    for path in sorted(glob.glob(os.path.join(device_dir, "fw_version", "*_fw_version"))):
        versions[os.path.basename(path)[:-len("_fw_version")]] = _read(path)
    return versions


def kernel_line(kernel_version):
    """The kernel source line of GC_IP_VERSIONS that speaks for ``kernel_version`` ((major, minor,
    patch)): the newest line not newer than it; the oldest line for older kernels; the newest when the
    version is unknown."""
    if not kernel_version or kernel_version == (0, 0, 0):
        return KERNEL_LINES[-1]
    earlier = [line for line in KERNEL_LINES if release_version(line) <= tuple(kernel_version)]
    return earlier[-1] if earlier else KERNEL_LINES[0]


def gc_facts(gc):
    """What the kernel's tables say about a GC IP version ((11, 0, 0)), or None when they do not know it."""
    return GC_IP_VERSIONS.get(tuple(gc)) if gc else None


def tmz_support(gc, kernel_version):
    """``on`` (TMZ on by default: tmz=0 turns it off), ``experimental`` (off unless tmz=1) or
    ``unsupported`` (the option is ignored) on the kernel line that speaks for ``kernel_version``;
    None for a GC version the kernel's tables do not list."""
    facts = gc_facts(gc)
    return facts["tmz"][kernel_line(kernel_version)] if facts else None


def parse_gc_version(text):
    """(11, 0, 0) from amdgpu_info's ``gc_version`` text; None for null or anything else."""
    parts = (text or "").split(".")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def gpu(root, device_dir, nodes, indices, kernel_version=None):
    slot = os.path.basename(device_dir)
    device_id = _read(os.path.join(device_dir, "device"))
    table_family, table_gc = DEVICES.get(device_id, (None, None))
    # ip_discovery is the hardware's own answer; the device table only stands in where it is missing.
    gc = gc_version(device_dir) or table_gc
    facts = gc_facts(gc) or {}
    cards = sorted(os.path.basename(path) for path in glob.glob(os.path.join(device_dir, "drm", "card*")))
    card = cards[0] if cards else None
    ports = connectors(root, card) if card else {}
    return {
        "pci_slot": slot,
        "device_id": device_id,
        "family": table_family or FAMILIES.get(gc),
        "gfx_target": nodes.get(slot, (None, None))[1] or facts.get("gfx_target"),
        "gc_version": ".".join(str(part) for part in gc) if gc else None,
        "is_apu": facts.get("apu"),
        "tmz": tmz_support(gc, kernel_version),
        "kfd_node": nodes.get(slot, (None, None))[0],
        "hip_index": indices.get(slot),
        "card": card,
        "connected_displays": [name for name, status in ports.items() if status == "connected"],
        "connectors": sorted(ports),
        "firmware": firmware_versions(device_dir),
        "vbios": _read(os.path.join(device_dir, "vbios_version")),
    }


def amd_gpus(root="/", kernel_version=None):
    nodes = kfd_nodes(root)
    indices = hip_indices(nodes)
    gpus = []
    for device_dir in sorted(glob.glob(under(root, "/sys/bus/pci/devices/*"))):
        if _read(os.path.join(device_dir, "vendor")) != AMD_VENDOR:
            continue
        if not (_read(os.path.join(device_dir, "class")) or "").startswith(DISPLAY_CLASSES):
            continue
        gpus.append(gpu(root, device_dir, nodes, indices, kernel_version))
    return gpus


def discrete_and_integrated(gpus):
    """``(discrete, integrated)``; a GPU whose kind is unknown (``is_apu`` null) is in neither."""
    return ([gpu for gpu in gpus if gpu.get("is_apu") is False],
            [gpu for gpu in gpus if gpu.get("is_apu")])


def compute_gpus(gpus):
    """The GPUs compute should run on: the discrete ones; the integrated one only when it is alone."""
    discrete, integrated = discrete_and_integrated(gpus)
    return discrete or integrated


def kfd_processes(root="/"):
    pids = []
    for path in glob.glob(under(root, "/sys/class/kfd/kfd/proc/*")):
        name = os.path.basename(path)
        if re.match(r"^\d+$", name):
            pids.append(int(name))
    return sorted(pids)


def dkms_amdgpu(root, release):
    """Whether a DKMS build of amdgpu (ROCm's amdgpu-dkms) is installed for ``release``."""
    if release and glob.glob(under(root, "/lib/modules/%s/updates/dkms/amdgpu.ko*" % release)):
        return True
    return bool(glob.glob(under(root, "/var/lib/dkms/amdgpu/*")))


def installed_kernels(root="/"):
    """Kernel releases with a module tree, oldest first (the newest usually boots next)."""
    releases = [os.path.basename(path) for path in glob.glob(under(root, "/lib/modules/*"))
                if os.path.isdir(os.path.join(path, "kernel"))]
    return sorted(releases, key=lambda release: (release_version(release), release))


def next_boot_kernel(running, installed):
    """The kernel that boots next: the newest installed (Debian's and Ubuntu's GRUB defaults boot it),
    else the running one (a container has no /lib/modules)."""
    return installed[-1] if installed else running


def info(root="/"):
    release = _read(under(root, "/proc/sys/kernel/osrelease"))
    tainted = _read(under(root, "/proc/sys/kernel/tainted"))
    return {
        "gpus": amd_gpus(root, release_version(release)),
        "amdgpu_loaded": os.path.isdir(under(root, "/sys/module/amdgpu")),
        "kernel": {"release": release, "taint": decode_taint(int(tainted)) if tainted and tainted.isdigit() else None,
                   "installed": installed_kernels(root),
                   "next_boot": next_boot_kernel(release, installed_kernels(root)),
                   # Debian's and Ubuntu's kernel packages leave this behind after an install.
                   "reboot_requested": os.path.exists(under(root, "/run/reboot-required"))},
        "kfd_processes": kfd_processes(root),
        "amdgpu_dkms": dkms_amdgpu(root, release),
        "rocm": rocm_installed(root),
    }
