# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_hardware as hw
from ansible_collections.amdgpu.stability.plugins.plugin_utils.display_advice import display_advice

from conftest import fakeroot


def dgpu(displays):
    return {"pci_slot": "0000:03:00.0", "family": "Navi 31", "is_apu": False, "connected_displays": displays}


def igpu(displays):
    return {"pci_slot": "0000:0e:00.0", "family": "Raphael", "is_apu": True, "connected_displays": displays}


def test_seed_workstation_is_told_to_move_its_monitor_to_the_igpu(seed_root):
    result = display_advice(hw.info(seed_root)["gpus"])
    assert result["status"] == "shared_move"
    assert result["advice"].startswith("Monitors on the compute GPU Navi 31 0000:2f:00.0 (DP-1): move them to the "
                                       "motherboard's outputs (integrated 0000:7a:00.0)")


def test_monitors_already_on_the_igpu(tmp_path):
    fakeroot.write(str(tmp_path), fakeroot.igpu_first_workstation())
    result = display_advice(hw.info(str(tmp_path))["gpus"])
    assert result == {"status": "igpu", "advice": "Monitors are on the integrated GPU (Raphael 0000:0e:00.0 (HDMI-A-1)); "
                                                  "the compute GPU drives none."}


def test_only_card_and_headless_and_none():
    assert display_advice([dgpu(["DP-1", "DP-2"])])["status"] == "shared_only_card"
    assert "browser_hwaccel" in display_advice([dgpu(["DP-1"])])["advice"]
    assert display_advice([dgpu([]), igpu([])])["status"] == "headless"
    assert display_advice([])["status"] == "no_gpu"
    # A laptop-style APU alone computes and displays on the same GPU, with nothing to move to.
    assert display_advice([igpu(["eDP-1"])])["status"] == "shared_only_card"
