# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether the monitors hang off the GPU that does compute (controller-side, from amdgpu_info's gpus).

Source: the seed write-up, "Move monitors to the iGPU": the compositor's and the browsers' GPU
contexts on the compute card share its MES scheduler with the training job."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_hardware import compute_gpus, discrete_and_integrated


def display_advice(gpus):
    """Whether the monitors hang off the GPU that does compute, and the seed's advice: the compositor's
    and the browsers' GPU contexts on the compute card are what trips its MES scheduler, so the
    monitors belong on the integrated GPU when there is one. ``{status, advice}``; status is one of
    ``no_gpu``, ``headless``, ``igpu`` (monitors on the iGPU only), ``shared_move`` (on the compute
    card, an iGPU exists), ``shared_only_card`` (on the compute card, no iGPU)."""
    discrete, integrated = discrete_and_integrated(gpus)
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
