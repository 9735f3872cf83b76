# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What amdgpu options really do, as data with its source: the notes users must hear.

Sources: "driver" = the amdgpu sources of the Debian kernels 6.1, 6.12 and 7.3; "listings" = the
modinfo listings and param matrix under tests/fixtures; "seed" = the original write-up.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_hardware import compute_gpus

# enum PP_FEATURE_MASK (amd_shared.h), the same in 6.1, 6.12 and 7.3.
PPFEATURE_BITS = (
    (0x1, "SCLK_DPM"), (0x2, "MCLK_DPM"), (0x4, "PCIE_DPM"), (0x8, "SCLK_DEEP_SLEEP"),
    (0x10, "POWER_CONTAINMENT"), (0x20, "UVD_HANDSHAKE"), (0x40, "SMC_VOLTAGE_CONTROL"),
    (0x80, "VBI_TIME_SUPPORT"), (0x100, "ULV"), (0x200, "ENABLE_GFX_CG_THRU_SMU"),
    (0x400, "CLOCK_STRETCH"), (0x800, "OD_FUZZY_FAN_CONTROL"), (0x1000, "SOCCLK_DPM"),
    (0x2000, "DCEFCLK_DPM"), (0x4000, "OVERDRIVE"), (0x8000, "GFXOFF"), (0x10000, "ACG"),
    (0x20000, "STUTTER_MODE"), (0x40000, "AVFS"), (0x80000, "GFX_DCS"),
)
PPFEATURE_DEFAULT = 0xFFF7BFFF
PP_OVERDRIVE = 0x4000

# enum DC_DEBUG_MASK (amd_shared.h); later kernels add bits up to 0x200000.
DCDEBUG_BITS = (
    (0x1, "DISABLE_PIPE_SPLIT"), (0x2, "DISABLE_STUTTER"), (0x4, "DISABLE_DSC"),
    (0x8, "DISABLE_CLOCK_GATING"), (0x10, "DISABLE_PSR"), (0x20, "FORCE_SUBVP_MCLK_SWITCH"),
    (0x40, "DISABLE_MPO"), (0x80, "ENABLE_DPIA_TRACE"), (0x100, "ENABLE_DML2"),
    (0x200, "DISABLE_PSR_SU"), (0x400, "DISABLE_REPLAY"), (0x800, "DISABLE_IPS"),
    (0x1000, "DISABLE_IPS_DYNAMIC"), (0x2000, "DISABLE_IPS2_DYNAMIC"), (0x4000, "FORCE_IPS_ENABLE"),
)
# Bits that only matter for an embedded (eDP) panel.
DCDEBUG_EDP_ONLY = 0x10 | 0x200 | 0x400

# Options whose effect depends on the hardware or the kernel: (note, source).
OPTION_NOTES = {
    "sg_display": ("read only on APUs (sg_display != 0 && AMD_IS_APU): no effect on a discrete GPU such "
                   "as the RX 7900", "driver: amdgpu_display.c, facts §1"),
    "mes": ("never read on GFX11 (RDNA3), which always uses MES; removed in 7.2, where amdgpu logs "
            "'unknown parameter' and ignores it", "driver; listings 7.2.13"),
    "gpu_recovery": ("the default (-1, auto) already enables recovery on RDNA3", "driver: amdgpu_device.c"),
    "reset_method": ("RDNA3 honours only 2 (mode1), 3 (mode2) and 4 (BACO)", "driver: soc21.c"),
    "gttsize": ("deprecated in 7.3", "listings 7.3.4"),
    "noretry": ("read only when the driver initialises; writing it at run time changes nothing",
                "driver: amdgpu_gmc.c"),
}
# Names blog posts use that are not amdgpu parameters: (note, source).
NOT_PARAMETERS = {
    "gfxoff": ("'gfxoff' is not an amdgpu parameter in any kernel (6.1 to 7.3): the kernel ignores it. "
               "GFXOFF is switched off with bit 0x8000 of ppfeaturemask: use ppfeaturemask=0xfff73fff "
               "(the default 0xfff7bfff without GFXOFF)",
               "listings 6.1 to 7.3; facts §1"),
}
# Kernel line from which the UNSAFE flag of a parameter taints ('U', bit 6 of /proc/sys/kernel/tainted).
UNSAFE_SINCE = (6, 16)
OVERDRIVE_TAINTS_SINCE = (6, 16)


def bit_names(bits, value):
    return [name for bit, name in bits if value & bit]


def ppfeaturemask_notes(value, kernel_version):
    """Explain a ppfeaturemask against the default, bit by bit."""
    notes = []
    cleared = bit_names(PPFEATURE_BITS, PPFEATURE_DEFAULT & ~value)
    added = bit_names(PPFEATURE_BITS, value & ~PPFEATURE_DEFAULT)
    if cleared:
        notes.append("ppfeaturemask 0x%08x turns off, compared with the default 0x%08x: %s"
                     % (value, PPFEATURE_DEFAULT, ", ".join(cleared)))
    if added:
        notes.append("ppfeaturemask 0x%08x turns on, compared with the default: %s" % (value, ", ".join(added)))
    if value & PP_OVERDRIVE:
        taint = (" and taints the kernel ('S') on this kernel" if kernel_version >= OVERDRIVE_TAINTS_SINCE
                 else "; from 6.16 it also taints the kernel")
        notes.append("the OVERDRIVE bit 0x4000 is set: amdgpu asks for it to be off in bug reports%s" % taint)
    return notes


def dcdebugmask_notes(value):
    notes = []
    names = bit_names(DCDEBUG_BITS, value)
    if names:
        notes.append("dcdebugmask 0x%x sets %s" % (value, ", ".join(names)))
    if value & DCDEBUG_EDP_ONLY:
        notes.append("DISABLE_PSR/PSR_SU/REPLAY concern embedded (eDP) panels only: no effect on desktop monitors")
    unknown = value & ~sum(bit for bit, _name in DCDEBUG_BITS)
    if unknown:
        notes.append("dcdebugmask bits 0x%x are not named in 6.12 (newer kernels add bits up to 0x200000)" % unknown)
    return notes


def display_advice(gpus):
    """Whether the monitors hang off the GPU that does compute, and the seed's advice: the compositor's
    and the browsers' GPU contexts on the compute card are what trips its MES scheduler, so the
    monitors belong on the integrated GPU when there is one. ``{status, advice}``; status is one of
    ``no_gpu``, ``headless``, ``igpu`` (monitors on the iGPU only), ``shared_move`` (on the compute
    card, an iGPU exists), ``shared_only_card`` (on the compute card, no iGPU)."""
    discrete = [gpu for gpu in gpus if gpu.get("is_apu") is False]
    integrated = [gpu for gpu in gpus if gpu.get("is_apu")]
    if not gpus:
        return {"status": "no_gpu", "advice": "No AMD GPU found: nothing to say about displays."}
    compute = compute_gpus(gpus)

    def shown(gpu):
        return "%s %s (%s)" % (gpu.get("family") or "AMD GPU", gpu["pci_slot"], ", ".join(gpu.get("connected_displays") or []))

    on_compute = [gpu for gpu in compute if gpu.get("connected_displays")]
    if not on_compute:
        if any(gpu.get("connected_displays") for gpu in integrated):
            return {"status": "igpu", "advice": "Monitors are on the integrated GPU (%s); the compute GPU drives none." % (
                "; ".join(shown(gpu) for gpu in integrated if gpu.get("connected_displays")))}
        return {"status": "headless", "advice": "No monitor is connected to an AMD GPU; the compute GPU drives none."}
    if discrete and integrated:
        return {"status": "shared_move", "advice": (
            "Monitors on the compute GPU %s: move them to the motherboard's outputs (integrated %s) so that the desktop "
            "and browsers render there and the compute card runs training only." % (
                "; ".join(shown(gpu) for gpu in on_compute), ", ".join(gpu["pci_slot"] for gpu in integrated)))}
    return {"status": "shared_only_card", "advice": (
        "Monitors on the compute GPU %s and no integrated GPU to move them to: keep GPU work off the desktop "
        "(the browser_hwaccel role), or train with no session on that card." % "; ".join(shown(gpu) for gpu in on_compute))}
