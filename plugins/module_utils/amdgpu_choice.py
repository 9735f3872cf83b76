# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardware- and kernel-aware choice of a profile's options: what the amdgpu role applies on a host.

A profile option may carry ``only_with`` (a hardware condition of module_utils/amdgpu_conditions.py:
``apu``, ``tmz_on_by_default``, ``gfx_dcs``, ``edp``) and ``unless`` (``taints``: setting it
taints the kernel that boots next). The facts come from amdgpu_info and amdgpu_params; where the
hardware cannot be judged (no AMD GPU, or a GPU the kernel's tables do not know) such options are
kept, with that said.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_conditions import CONDITIONS, holds_on_host
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import option_tokens
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_release import release_version

USER_REASON = "Set by amdgpu_options."


def _hardware_decision(name, entry, gpus, kernel_version):
    """``(keep, decision or None)`` for an option's ``only_with``."""
    condition = entry["only_with"]
    description = CONDITIONS[condition]["text"]
    if not gpus:
        return True, {"name": name, "kept": True,
                      "reason": "no AMD GPU found, so whether this host has %s is unknown: kept" % description}
    answer, unknown = holds_on_host(condition, gpus, kernel_version)
    if answer:
        return True, None
    if answer is None:
        return True, {"name": name, "kept": True,
                      "reason": "the kernel's tables do not know the GPU at %s, so whether it is %s is unknown: kept"
                                % (", ".join(unknown), description)}
    return False, {"name": name, "kept": False,
                   "reason": "no effect without %s, and none was found (%s; %s)"
                             % (description, entry["reason"], CONDITIONS[condition]["source"])}


def choose_for_hardware(options, gpus, params_result, kernel=None):
    """``(kept, decisions)`` for a profile's ``options`` (``{name: {value, reason, only_with?, unless?}}``).

    ``gpus``: amdgpu_info's ``gpus``; ``params_result``: amdgpu_params' ``params`` for the kernel that
    boots next, ``kernel`` its release (what TMZ does depends on it; None: the newest kernel line
    known). ``kept`` keeps the order and entries; ``decisions`` says, per option that a condition
    touched, whether it was kept and why."""
    kernel_version = release_version(kernel) if kernel else None
    kept = {}
    decisions = []
    for name, entry in options.items():
        if entry.get("only_with"):
            keep, decision = _hardware_decision(name, entry, gpus, kernel_version)
            if decision:
                decisions.append(decision)
            if not keep:
                continue
        if entry.get("unless") == "taints" and (params_result.get(name) or {}).get("taints"):
            reason = (params_result.get(name) or {}).get("taint_reason") or "an UNSAFE parameter there"
            decisions.append({"name": name, "kept": False,
                              "reason": "setting it taints the kernel that boots next (%s)" % reason})
            continue
        kept[name] = entry
    return kept, decisions


def choose(resolved, user_options, gpus, params_result, state="present", options_via="modprobe", kernel=None):
    """The options this host gets: ``{options, reasons, decisions, left_out, kept_without_knowing,
    cmdline_tokens}``.

    ``resolved``: the role's resolved request (plugin_utils/amdgpu_role.py resolve). A hardware-aware
    profile keeps an option only where it has an effect and does not taint the kernel that boots next
    (``params_result``: amdgpu_params' ``params`` for that kernel, ``kernel`` its release); the user's
    ``amdgpu_options`` always stay. ``cmdline_tokens``: the kernel arguments, and the options too with
    ``options_via: cmdline``; none when removing."""
    entries = resolved["profile_options"]
    if resolved["hardware_aware"]:
        kept, decisions = choose_for_hardware(entries, gpus or [], params_result or {}, kernel)
    else:
        kept, decisions = entries, []
    options = dict((name, entry["value"]) for name, entry in kept.items())
    options.update(user_options)
    reasons = dict((name, entry["reason"]) for name, entry in kept.items())
    reasons.update((name, USER_REASON) for name in user_options)
    tokens = []
    if state == "present":
        tokens = list(resolved["kernel_args"]) + (option_tokens(options, "amdgpu") if options_via == "cmdline" else [])
    return {"options": options, "reasons": reasons, "decisions": decisions,
            "left_out": [d for d in decisions if not d["kept"]],
            "kept_without_knowing": [d for d in decisions if d["kept"]],
            "cmdline_tokens": tokens}
