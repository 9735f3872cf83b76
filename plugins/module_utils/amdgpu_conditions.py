# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hardware an amdgpu option has an effect on, as data with its source.

A condition holds for one GPU (an amdgpu_info ``gpus`` item) and the kernel that loads amdgpu. It is
one of:
- ``gc_ranges``: the GPU's GC IP version lies in one of the inclusive ranges;
- ``gc_fact``: ``(name, value)`` of the kernel's own GC tables (amdgpu_gpu_data.py, generated), such
  as ``("tmz", "on")``, read for the kernel line that speaks for the kernel;
- ``connector_prefix``: the GPU has a connector of that kind (``eDP``: a built-in panel).
A GPU whose GC version is unknown (no ip_discovery in sysfs and a device id not in the table) can
not be judged: the answer is None, never a guess.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_hardware import (
    gc_facts,
    parse_gc_version,
    tmz_support,
)

CONDITIONS = {
    "apu": {
        "text": "an APU",
        "gc_fact": ("apu", True),
        "source": "amdgpu_discovery.c: the GC switch that sets AMD_IS_APU",
    },
    "tmz_on_by_default": {
        "text": "a GPU whose TMZ is on by default (Raven, Renoir, GC 10.3.7, Phoenix GC 11.0.1)",
        "gc_fact": ("tmz", "on"),
        "source": "amdgpu_gmc.c amdgpu_gmc_tmz_set(): elsewhere TMZ is experimental and off, or not supported",
    },
    "gfx_dcs": {
        "text": "a GPU that reads the GFX_DCS bit (Navi 22, 23, 24)",
        # sienna_cichlid_ppt.c allows FEATURE_GFX_DCS only when MP1 > 11.0.7 and not an APU: the
        # Sienna Cichlid family without Navi 21 (MP1 11.0.7), that is GC 10.3.2, 10.3.4 and 10.3.5.
        "gc_ranges": (((10, 3, 2), (10, 3, 2)), ((10, 3, 4), (10, 3, 5))),
        "source": "pm/swsmu/smu11/sienna_cichlid_ppt.c: PP_GFX_DCS_MASK",
    },
    "edp": {
        "text": "a built-in eDP panel",
        "connector_prefix": "eDP",
        "source": "amd_shared.h DC_DEBUG_MASK: PSR, PSR-SU and Replay are eDP panel features",
    },
}


def condition_problems(name):
    """Why ``name`` cannot be used as a condition ('' when it can)."""
    if name in CONDITIONS:
        return ""
    return "%s is not a hardware condition; use one of %s" % (name, ", ".join(sorted(CONDITIONS)))


def _gc(gpu):
    return parse_gc_version(gpu.get("gc_version"))


def holds(name, gpu, kernel_version=None):
    """True or False for one GPU, or None when its GC version is unknown."""
    condition = CONDITIONS[name]
    if condition.get("gc_fact") == ("apu", True) and gpu.get("is_apu") is not None:
        # amdgpu_info's own answer, made from the same table (or the device table where GC is unknown).
        return bool(gpu["is_apu"])
    if "connector_prefix" in condition:
        return any(connector.startswith(condition["connector_prefix"]) for connector in gpu.get("connectors") or [])
    gc = _gc(gpu)
    if gc is None or (gc_facts(gc) is None and "gc_fact" in condition):
        return None
    if "gc_ranges" in condition:
        return any(low <= gc <= high for low, high in condition["gc_ranges"])
    fact, wanted = condition["gc_fact"]
    value = tmz_support(gc, kernel_version) if fact == "tmz" else gc_facts(gc)[fact]
    return None if value is None else value == wanted


def holds_on_host(name, gpus, kernel_version=None):
    """``(answer, unknown)`` for a host's GPUs: True when the condition holds for one of them, False
    when it holds for none and every GPU could be judged, None otherwise (no GPU at all among them);
    ``unknown``: the GPUs that could not be judged (their PCI slots)."""
    answers = [(gpu, holds(name, gpu, kernel_version)) for gpu in gpus]
    unknown = [gpu.get("pci_slot") or "?" for gpu, answer in answers if answer is None]
    if any(answer for _gpu, answer in answers):
        return True, unknown
    return (None if unknown or not gpus else False), unknown
