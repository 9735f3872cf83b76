# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What amdgpu options really do, as data with its source: the notes users must hear.

Sources: "driver" = the amdgpu sources of the Debian kernels 6.1, 6.12, 7.2 and 7.3; "listings" = the
modinfo listings and param matrix under tests/fixtures; "seed" = the original write-up.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

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
# Read only on Navi 22, 23 and 24 (pm/swsmu/smu11/sienna_cichlid_ppt.c: MP1 newer than 11.0.7, not an APU).
PP_GFX_DCS = 0x80000

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
    "tmz": ("TMZ is on by default only on GC 9.1.0, 9.2.2, 9.3.0 (Raven, Renoir), 10.3.7 and 11.0.1 "
            "(Phoenix), where tmz=0 turns it off; it is experimental and already off on most RDNA2 GPUs and "
            "the RDNA3.5 APUs, and not supported on the rest - Navi 31, 32 and 33 among them - where the "
            "driver ignores the option and logs 'Trusted Memory Zone (TMZ) feature not supported'",
            "driver: amdgpu_gmc.c amdgpu_gmc_tmz_set(), 6.1 to 7.2"),
    "sg_display": ("read only on APUs (sg_display != 0 && AMD_IS_APU): no effect on a discrete GPU such "
                   "as the RX 7900", "driver: display/amdgpu_dm/amdgpu_dm.c (gpu_vm_support); facts §1"),
    "mes": ("never read on GFX11 (RDNA3), which always uses MES; removed in 7.2, where amdgpu logs "
            "'unknown parameter' and ignores it", "driver; listings 7.2.13"),
    "mes_kiq": ("no effect on GFX11: 6.1 always enables the MES KIQ there, and from 6.12 the parameter is "
                "read nowhere; removed in 7.2", "driver: amdgpu_discovery.c (6.1), amdgpu.h (6.12); listings 7.2.13"),
    "mcbp": ("mid-command-buffer preemption is off by default on bare metal (-1 leaves it off; only SR-IOV "
             "guests force it on): mcbp=0 changes nothing there, mcbp=1 turns it on",
             "driver: amdgpu_device.c amdgpu_device_set_mcbp()"),
    "runpm": ("the default (-1, auto) suspends an idle GPU at run time: BACO or BAMACO on a discrete board "
              "that supports it, BOCO/ATPX on hybrid laptops; runpm=0 does switch that off, and the GPU then "
              "stays powered while idle", "driver: amdgpu_device.c amdgpu_device_detect_runtime_pm_mode()"),
    "cwsr_enable": ("compute wave save/restore: with cwsr_enable=0 the GPU cannot preempt running compute "
                    "waves, so a long compute kernel holds the GPU and the desktop lags under load. ROCm "
                    "threads advise cwsr_enable=0 for some GFX11 MES hangs, all reported on APUs "
                    "(gfx1151, gfx1103); never part of a profile", "ROCm/legacy-rocm-build#5590, #5991, #6273"),
    "lockup_timeout": ("a negative value disables the timeout, logs 'lockup timeout disabled' and taints the "
                       "kernel ('L'): a real hang then needs a reboot; 0 keeps the default; a value that does not "
                       "parse makes amdgpu fail to initialise the GPU ('invalid lockup_timeout parameter syntax')",
                       "driver: amdgpu_device.c amdgpu_device_get_job_timeout_settings(), 6.1 to 7.2"),
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


def not_parameter_messages():
    """``{"amdgpu.<name>": message}`` of NOT_PARAMETERS, for the generic command-line checks."""
    return dict(("amdgpu." + name, note) for name, (note, _source) in NOT_PARAMETERS.items())


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
    if value & PP_GFX_DCS:
        notes.append("the GFX_DCS bit 0x80000 (off by default) is read only on Navi 22, 23 and 24, where this "
                     "mask turns GFX asynchronous DCS on; no effect on other GPUs")
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
