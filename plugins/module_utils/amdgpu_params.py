# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Desired amdgpu parameters against the target kernel's parameter set, the live values in sysfs
and what the next load of amdgpu will be given (the logic of the amdgpu_params module)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_knowledge as knowledge
from ansible_collections.amdgpu.stability.plugins.module_utils import param_values
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_param_data import KERNELS, PARAMS
from ansible_collections.amdgpu.stability.plugins.module_utils.boot_cmdline import next_boot_tokens
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_release import release_version
from ansible_collections.amdgpu.stability.plugins.module_utils.modprobe_config import configured
from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import read_under, under

MODULE = "amdgpu"
STATUSES = ("unknown", "invalid", "in_effect", "not_persistent", "pending_reboot", "configured", "not_configured")


def running_release(root="/"):
    text = read_under(root, "/proc/sys/kernel/osrelease")
    return text.strip() if text is not None else None


class ParamSpec(object):
    """What the target kernel knows of one parameter."""

    def __init__(self, name, types, unsafe=False, present_in=(), absent_in=()):
        self.name = name
        self.types = list(types)
        self.unsafe = unsafe
        self.present_in = list(present_in)
        self.absent_in = list(absent_in)


def bundled_builds(release):
    """Indexes of the bundled builds that stand for ``release``: its own kernel line when known,
    else the nearest line below and the nearest above (a value must satisfy both)."""
    line = release_version(release)[:2]
    versions = [release_version(kernel) for kernel in KERNELS]
    if release in KERNELS:
        return [KERNELS.index(release)]
    same = [i for i, version in enumerate(versions) if version[:2] == line]
    if same:
        return same
    lower = [i for i, version in enumerate(versions) if version[:2] < line]
    higher = [i for i, version in enumerate(versions) if version[:2] > line]
    return ([lower[-1]] if lower else []) + ([higher[0]] if higher else [])


def bundled_specs(release):
    builds = bundled_builds(release)
    specs = {}
    for name, per_build in PARAMS.items():
        entries = [(KERNELS[i], per_build[i]) for i in builds]
        present = [(kernel, entry) for kernel, entry in entries if entry is not None]
        if not present:
            continue
        types = sorted(set(entry[0] for _kernel, entry in present))
        specs[name] = ParamSpec(name, types, any(entry[2] for _kernel, entry in present),
                                [kernel for kernel, _entry in present],
                                [kernel for kernel, entry in entries if entry is None])
    return specs, [KERNELS[i] for i in builds]


def modinfo_specs(output, release):
    """Specs from ``modinfo -F parmtype`` output (``name:type`` lines); UNSAFE from the bundled data."""
    bundled, _builds = bundled_specs(release)
    specs = {}
    for line in output.splitlines():
        name, sep, ptype = line.partition(":")
        if sep and name.strip():
            name = name.strip()
            unsafe = bundled[name].unsafe if name in bundled else False
            specs[name] = ParamSpec(name, [ptype.strip()], unsafe, ["modinfo"])
    return specs


def _history(name):
    """Where a parameter unknown to the target exists in the bundled builds, in words."""
    if name not in PARAMS:
        return None
    builds = [kernel for kernel, entry in zip(KERNELS, PARAMS[name]) if entry is not None]
    return "it exists in %s to %s" % (builds[0], builds[-1])


def live_value(root, name):
    text = read_under(root, "/sys/module/%s/parameters/%s" % (MODULE, name))
    return text.rstrip("\n") if text is not None else None


def _parsed_or_error(types, value):
    """The value parsed under every candidate type; (parsed, None) or (None, reason)."""
    parsed = None
    for ptype in types:
        try:
            parsed = param_values.parse(ptype, value)
        except param_values.InvalidValue as error:
            return None, "%s (type %s)" % (error, ptype)
    return parsed, None


def _notes(name, spec, desired, parsed, kernel_version):
    notes = []
    if name in knowledge.OPTION_NOTES:
        notes.append(knowledge.OPTION_NOTES[name][0])
    if spec.unsafe:
        if kernel_version >= knowledge.UNSAFE_SINCE:
            notes.append("UNSAFE on this kernel: setting it taints the kernel ('U') and logs "
                         "'Setting dangerous option %s - tainting kernel'" % name)
    if len(spec.types) > 1:
        notes.append("the type differs between %s (%s): the value was checked against each"
                     % (" and ".join(spec.present_in), "/".join(spec.types)))
    if spec.absent_in:
        notes.append("not a parameter of %s, so not verified for this kernel; amdgpu ignores unknown "
                     "parameters with a warning" % ", ".join(spec.absent_in))
    for ptype in spec.types:
        trap = param_values.octal_trap(ptype, desired)
        if trap:
            notes.append(trap)
            break
    if name == "ppfeaturemask" and isinstance(parsed, int):
        notes.extend(knowledge.ppfeaturemask_notes(parsed, kernel_version))
    if name == "dcdebugmask" and isinstance(parsed, int):
        notes.extend(knowledge.dcdebugmask_notes(parsed))
    return notes


def taint_reason(name, spec, parsed, kernel_version):
    """Why setting the parameter to ``parsed`` (as the driver reads it: lockup_timeout's per-queue
    numbers) taints this kernel ('' when it does not)."""
    if spec.unsafe and kernel_version >= knowledge.UNSAFE_SINCE:
        return "an UNSAFE parameter on this kernel ('U')"
    if (name == "ppfeaturemask" and isinstance(parsed, int) and parsed & knowledge.PP_OVERDRIVE
            and kernel_version >= knowledge.OVERDRIVE_TAINTS_SINCE):
        return "the OverDrive bit on this kernel ('S')"
    if name == "lockup_timeout" and any(value < 0 for value in parsed):
        return "a negative lockup_timeout disables the timeout ('L', soft lockup)"
    return ""


def _driver_parse(name, parsed):
    """``(value, error)``: what the driver itself makes of a value beyond the parameter's type -
    lockup_timeout's per-queue numbers; other parameters as they are."""
    if name == "lockup_timeout":
        try:
            return param_values.lockup_timeouts(parsed), None
        except param_values.InvalidValue as error:
            return None, str(error)
    return parsed, None


def _status(loaded, live_matches, configured_matches):
    if not loaded:
        return "configured" if configured_matches else "not_configured"
    if live_matches and configured_matches:
        return "in_effect"
    if live_matches:
        return "not_persistent"
    if configured_matches:
        return "pending_reboot"
    return "not_configured"


def evaluate_param(name, desired, spec, root, loaded, setting, kernel_version):
    """One entry of the module's ``params`` result."""
    entry = {"desired": str(desired) if not isinstance(desired, bool) else ("Y" if desired else "N"),
             "type": None, "live": None, "configured": None, "configured_by": None,
             "expected_sysfs": None, "taints": False, "taint_reason": None, "status": None, "notes": []}
    if setting is not None:
        entry["configured"], entry["configured_by"] = setting
    if spec is None:
        entry["status"] = "unknown"
        if name in knowledge.NOT_PARAMETERS:
            entry["notes"].append(knowledge.NOT_PARAMETERS[name][0])
        else:
            history = _history(name)
            entry["notes"].append("not a parameter of amdgpu on this kernel" + ("; " + history if history else ""))
        if name in knowledge.OPTION_NOTES:
            entry["notes"].append(knowledge.OPTION_NOTES[name][0])
        return entry
    entry["type"] = "/".join(spec.types)
    entry["live"] = live_value(root, name) if loaded else None
    parsed, error = _parsed_or_error(spec.types, desired)
    driver_value = None
    if not error:
        driver_value, error = _driver_parse(name, parsed)
    if error:
        entry["status"] = "invalid"
        entry["notes"].append("the kernel would refuse %r: %s; a value that does not parse stops amdgpu "
                              "from loading" % (entry["desired"], error))
        return entry
    entry["expected_sysfs"] = param_values.sysfs_form(spec.types[-1], parsed)
    live_matches = False
    if entry["live"] is not None:
        try:
            live_matches = param_values.parse_sysfs(spec.types[-1], entry["live"]) == parsed
        except param_values.InvalidValue:
            live_matches = False
    configured_matches = False
    if entry["configured"] is not None:
        conf_parsed, conf_error = _parsed_or_error(spec.types, entry["configured"])
        configured_matches = conf_error is None and conf_parsed == parsed
        if conf_error:
            entry["notes"].append("the configured value %r (%s) does not parse: %s; amdgpu will refuse to load"
                                  % (entry["configured"], entry["configured_by"], conf_error))
    entry["status"] = _status(loaded, live_matches, configured_matches)
    entry["taint_reason"] = taint_reason(name, spec, driver_value, kernel_version) or None
    entry["taints"] = entry["taint_reason"] is not None
    entry["notes"].extend(_notes(name, spec, desired, parsed, kernel_version))
    return entry


def evaluate(desired, root, release, specs):
    """Every desired parameter against ``specs`` (from modinfo or the bundled data)."""
    loaded = os.path.isdir(under(root, "/sys/module/" + MODULE))
    tokens, source = next_boot_tokens(root)
    settings = configured(MODULE, root, tokens, source)
    kernel_version = release_version(release)
    params = {}
    for name, value in desired.items():
        params[name] = evaluate_param(name, value, specs.get(name), root, loaded, settings.get(name), kernel_version)
    return {
        "module_loaded": loaded,
        "params": params,
        "reboot_required": any(entry["status"] == "pending_reboot" for entry in params.values()),
        "next_boot_cmdline_source": source,
    }


def parameter_set(root, release, modinfo, run_command):
    """``(specs, source, bundled builds, warnings)`` for ``release``: the kernel's own list through
    ``modinfo`` (its path, or None) when ``root`` is the live system, else the bundled data of the
    nearest kernel lines. ``run_command(argv)`` gives ``(rc, out, err)``."""
    if root == "/" and modinfo:
        rc, out, _err = run_command([modinfo, "-k", release, "-F", "parmtype", MODULE])
        if rc == 0 and out.strip():
            return modinfo_specs(out, release), "modinfo", [], []
    specs, builds = bundled_specs(release)
    warning = ("no amdgpu module for %s could be read with modinfo here; the bundled parameter data of %s "
               "stands in" % (release, " and ".join(builds)))
    return specs, "bundled", builds, [warning]


def check(desired, root, release, modinfo, run_command):
    """:func:`evaluate` with the parameter set :func:`parameter_set` finds: amdgpu_params' result,
    and the warnings to give (bundled data standing in for modinfo)."""
    specs, source, builds, warnings = parameter_set(root, release, modinfo, run_command)
    result = evaluate(desired, root, release, specs)
    result.update(kernel=release, metadata_source=source, metadata_kernels=builds)
    return result, warnings


def failure(result, fail_on):
    """The message that fails the task, naming every parameter whose status is in ``fail_on``; None."""
    failing = ["%s: %s (%s)" % (name, entry["status"], "; ".join(entry["notes"]) or "no detail")
               for name, entry in sorted(result["params"].items()) if entry["status"] in fail_on]
    if not failing:
        return None
    return "amdgpu parameters for %s: %s" % (result["kernel"], " | ".join(failing))
