# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.plugin_utils.amdgpu_profiles import choose

ENTRIES = {
    "tmz": {"value": "0", "reason": "r"},
    "sg_display": {"value": "0", "reason": "scatter-gather display", "only_with": "apu"},
    "dcdebugmask": {"value": "0x10", "reason": "PSR off", "only_with": "edp"},
    "gpu_recovery": {"value": "1", "reason": "recovery", "unless": "taints"},
}
DGPU = {"is_apu": False, "connectors": ["DP-1", "HDMI-A-1"]}
IGPU = {"is_apu": True, "connectors": ["HDMI-A-2"]}
LAPTOP = {"is_apu": True, "connectors": ["eDP-1"]}


def names(kept):
    return list(kept)


def test_desktop_with_discrete_gpu_only():
    kept, decisions = choose(ENTRIES, [DGPU], {"gpu_recovery": {"taints": False}})
    assert names(kept) == ["tmz", "gpu_recovery"]
    assert [(d["name"], d["kept"]) for d in decisions] == [("sg_display", False), ("dcdebugmask", False)]
    assert "no effect without an APU" in decisions[0]["reason"]


def test_seed_machine_with_igpu_keeps_sg_display():
    kept, _decisions = choose(ENTRIES, [DGPU, IGPU], {})
    assert names(kept) == ["tmz", "sg_display", "gpu_recovery"]


def test_laptop_keeps_psr_bit():
    kept, _decisions = choose(ENTRIES, [LAPTOP], {})
    assert "dcdebugmask" in names(kept)


def test_tainting_kernel_drops_gpu_recovery():
    kept, decisions = choose(ENTRIES, [DGPU, IGPU], {"gpu_recovery": {"taints": True}})
    assert "gpu_recovery" not in names(kept)
    assert decisions[-1] == {"name": "gpu_recovery", "kept": False,
                             "reason": "setting it taints the kernel that boots next (an UNSAFE parameter there)"}


def test_no_gpu_keeps_hardware_dependent_options_and_says_so():
    kept, decisions = choose(ENTRIES, [], {})
    assert names(kept) == ["tmz", "sg_display", "dcdebugmask", "gpu_recovery"]
    assert all(d["kept"] and "no AMD GPU found" in d["reason"] for d in decisions)
