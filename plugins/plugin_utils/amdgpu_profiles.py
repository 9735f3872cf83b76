# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardware- and kernel-aware choice of a profile's options.

A profile option may carry ``only_with`` (``apu``: a GPU that is an APU; ``edp``: a built-in eDP
panel) and ``unless`` (``taints``: setting it taints the kernel that boots next). The facts come
from amdgpu_info and amdgpu_params; without an AMD GPU the hardware conditions cannot be judged,
and such options are kept, with that said.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

HARDWARE_CONDITIONS = {
    "apu": ("an APU", lambda gpus: any(gpu.get("is_apu") for gpu in gpus)),
    "edp": ("a built-in eDP panel",
            lambda gpus: any(name.startswith("eDP") for gpu in gpus for name in gpu.get("connectors", []))),
}


def choose(options, gpus, params_result):
    """``(kept, decisions)`` for a profile's ``options`` (``{name: {value, reason, only_with?, unless?}}``).

    ``gpus``: amdgpu_info's ``gpus``; ``params_result``: amdgpu_params' ``params`` for the kernel that
    boots next. ``kept`` keeps the order and entries; ``decisions`` says, per option that a condition
    touched, whether it was kept and why."""
    kept = {}
    decisions = []
    for name, entry in options.items():
        condition = entry.get("only_with")
        if condition:
            description, holds = HARDWARE_CONDITIONS[condition]
            if not gpus:
                decisions.append({"name": name, "kept": True,
                                  "reason": "no AMD GPU found, so whether this host has %s is unknown: kept" % description})
            elif not holds(gpus):
                decisions.append({"name": name, "kept": False,
                                  "reason": "no effect without %s, and none was found (%s)" % (description, entry["reason"])})
                continue
        if entry.get("unless") == "taints" and (params_result.get(name) or {}).get("taints"):
            decisions.append({"name": name, "kept": False,
                              "reason": "setting it taints the kernel that boots next (an UNSAFE parameter there)"})
            continue
        kept[name] = entry
    return kept, decisions
