# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_conditions import holds, holds_on_host
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_choice import choose_for_hardware as choose

ENTRIES = {
    "tmz": {"value": "0", "reason": "TMZ off", "only_with": "tmz_on_by_default"},
    "sg_display": {"value": "0", "reason": "scatter-gather display", "only_with": "apu"},
    "dcdebugmask": {"value": "0x10", "reason": "PSR off", "only_with": "edp"},
    "gpu_recovery": {"value": "1", "reason": "recovery", "unless": "taints"},
    "runpm": {"value": "0", "reason": "runtime PM off"},
}


def gpu(gc, apu, connectors=("DP-1",), slot="0000:03:00.0"):
    return {"pci_slot": slot, "gc_version": gc, "is_apu": apu, "connectors": list(connectors)}


DGPU = gpu("11.0.0", False, ["DP-1", "HDMI-A-1"])
IGPU = gpu("10.3.6", True, ["HDMI-A-2"], "0000:7a:00.0")
LAPTOP = gpu("11.0.1", True, ["eDP-1"], "0000:c5:00.0")


def names(kept):
    return list(kept)


def test_desktop_with_discrete_gpu_only():
    kept, decisions = choose(ENTRIES, [DGPU], {"gpu_recovery": {"taints": False}})
    assert names(kept) == ["gpu_recovery", "runpm"]
    assert [(d["name"], d["kept"]) for d in decisions] == [("tmz", False), ("sg_display", False), ("dcdebugmask", False)]
    assert "no effect without a GPU whose TMZ is on by default" in decisions[0]["reason"]
    assert "no effect without an APU" in decisions[1]["reason"]


def test_seed_machine_with_igpu_keeps_sg_display_but_not_tmz():
    # Raphael's TMZ is experimental (already off): tmz=0 changes nothing there either.
    kept, _decisions = choose(ENTRIES, [DGPU, IGPU], {}, "6.12.95+deb12-amd64")
    assert names(kept) == ["sg_display", "gpu_recovery", "runpm"]


def test_phoenix_laptop_keeps_tmz_and_the_psr_bit():
    kept, decisions = choose(ENTRIES, [LAPTOP], {})
    assert names(kept) == ["tmz", "sg_display", "dcdebugmask", "gpu_recovery", "runpm"] and decisions == []


@pytest.mark.parametrize("gc, apu, kernel, tmz_kept", [
    ("10.3.0", False, None, False),                    # Navi 21: experimental, off by default
    ("10.3.2", False, None, False),                    # Navi 22
    ("10.3.3", True, None, False),                     # Rembrandt APU
    ("10.3.7", True, "6.1.0-56-amd64", True),          # Mendocino: on by default
    ("11.0.0", False, "7.3.4+deb13-amd64", False),     # Navi 31: not supported
    ("11.0.1", True, "6.16.12+deb13-amd64", True),     # Phoenix
    ("11.0.4", True, None, False),                     # Phoenix 2: experimental
    ("11.5.1", True, "6.12.95+deb12-amd64", False),    # Strix Halo
    ("12.0.1", False, None, False),                    # Navi 48
])
def test_tmz_per_generation(gc, apu, kernel, tmz_kept):
    kept, _decisions = choose({"tmz": ENTRIES["tmz"]}, [gpu(gc, apu)], {}, kernel)
    assert ("tmz" in kept) is tmz_kept


def test_tainting_kernel_drops_gpu_recovery_and_says_why():
    kept, decisions = choose(ENTRIES, [DGPU, IGPU], {"gpu_recovery": {"taints": True, "taint_reason": "an UNSAFE parameter on this kernel ('U')"}})
    assert "gpu_recovery" not in names(kept)
    assert decisions[-1] == {"name": "gpu_recovery", "kept": False,
                             "reason": "setting it taints the kernel that boots next (an UNSAFE parameter on this kernel ('U'))"}


def test_no_gpu_keeps_hardware_dependent_options_and_says_so():
    kept, decisions = choose(ENTRIES, [], {})
    assert names(kept) == ["tmz", "sg_display", "dcdebugmask", "gpu_recovery", "runpm"]
    assert all(d["kept"] and "no AMD GPU found" in d["reason"] for d in decisions)


def test_a_gpu_the_tables_do_not_know_keeps_the_option_and_names_it():
    kept, decisions = choose({"tmz": ENTRIES["tmz"]}, [gpu(None, None, slot="0000:09:00.0")], {})
    assert names(kept) == ["tmz"]
    assert decisions[0]["kept"] and "0000:09:00.0" in decisions[0]["reason"] and "unknown" in decisions[0]["reason"]


def test_one_gpu_that_qualifies_is_enough_even_beside_an_unknown_one():
    assert holds_on_host("tmz_on_by_default", [gpu(None, None), LAPTOP]) == (True, ["0000:03:00.0"])
    assert holds_on_host("tmz_on_by_default", [DGPU, IGPU]) == (False, [])
    assert holds_on_host("tmz_on_by_default", []) == (None, [])        # no GPU: nothing to judge


@pytest.mark.parametrize("gc, reads", [("10.3.0", False), ("10.3.2", True), ("10.3.4", True), ("10.3.5", True),
                                       ("10.3.3", False), ("11.0.0", False)])
def test_gfx_dcs_is_read_on_navi_22_23_24_only(gc, reads):
    assert holds("gfx_dcs", gpu(gc, False)) is reads
