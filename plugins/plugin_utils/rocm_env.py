# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ROCm/PyTorch environment of a host (the rocm_env role's logic): values derived from the
AMD GPUs amdgpu_info reports, the user's overrides, and the checks every value passes before it
reaches /etc/profile.d or /etc/environment.d."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_hardware import compute_gpus, discrete_and_integrated

AUTO = "auto"
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The same value is written for a POSIX shell (single-quoted) and for systemd's environment.d, which
# expands $VAR and ${VAR} and treats backslashes and quotes specially: characters that would mean
# something different in one of the two are refused rather than escaped.
FORBIDDEN = (
    ("\n", "a newline"), ("\r", "a carriage return"), ("'", "a single quote"), ('"', "a double quote"),
    ("$", "a dollar sign"), ("\\", "a backslash"), ("`", "a backtick"),
)
FORMATS = {
    "HSA_OVERRIDE_GFX_VERSION": (re.compile(r"^\d+\.\d+\.\d+$"), "a version such as 11.0.0"),
    "HIP_VISIBLE_DEVICES": (re.compile(r"^[A-Za-z0-9-]+(,[A-Za-z0-9-]+)*$"), "device indices or UUIDs separated by commas, such as 0 or 0,1"),
    "PYTORCH_ROCM_ARCH": (re.compile(r"^gfx[0-9a-f]+(:[a-z+-]+)*(;gfx[0-9a-f]+(:[a-z+-]+)*)*$"),
                          "gfx targets separated by semicolons, such as gfx1100 or gfx1100;gfx1101"),
}
# role variable -> environment variable, in the order the files list them.
SETTINGS = (
    ("rocm_env_hip_visible_devices", "HIP_VISIBLE_DEVICES"),
    ("rocm_env_hsa_override_gfx_version", "HSA_OVERRIDE_GFX_VERSION"),
    ("rocm_env_pytorch_rocm_arch", "PYTORCH_ROCM_ARCH"),
    ("rocm_env_pytorch_hip_alloc_conf", "PYTORCH_HIP_ALLOC_CONF"),
)


def gfx_version(target):
    """``gfx1100`` -> ``11.0.0``, ``gfx90c`` -> ``9.0.12``: the last two digits are minor and stepping, in hex."""
    match = re.match(r"^gfx(\d+)([0-9a-f])([0-9a-f])$", target or "")
    if not match:
        return None
    return "%d.%d.%d" % (int(match.group(1)), int(match.group(2), 16), int(match.group(3), 16))


def _auto_hip_visible_devices(gpus):
    discrete, integrated = discrete_and_integrated(gpus)
    if not discrete or not integrated:
        return None, "not set: no integrated GPU next to a discrete one, so there is nothing to hide"
    missing = [gpu["pci_slot"] for gpu in discrete if gpu.get("hip_index") is None]
    if missing:
        return None, ("not set: the KFD topology does not list %s (amdgpu or KFD not loaded?); "
                      "set rocm_env_hip_visible_devices explicitly" % ", ".join(missing))
    value = ",".join(str(gpu["hip_index"]) for gpu in discrete)
    return value, "the discrete GPU(s) %s; hides the integrated %s" % (
        ", ".join(gpu["pci_slot"] for gpu in discrete), ", ".join(gpu["pci_slot"] for gpu in integrated))


def _targets(gpus):
    targets = []
    for gpu in compute_gpus(gpus):
        if gpu.get("gfx_target") and gpu["gfx_target"] not in targets:
            targets.append(gpu["gfx_target"])
    return targets


def _auto_pytorch_rocm_arch(gpus):
    targets = _targets(gpus)
    if not targets:
        return None, "not set: no AMD GPU with a known gfx target"
    return ";".join(targets), "gfx target(s) of the compute GPU(s)"


def _auto_hsa_override(gpus):
    targets = _targets(gpus)
    if len(targets) != 1:
        found = ", ".join(targets) or "none"
        return None, None, ("rocm_env_hsa_override_gfx_version: auto needs exactly one gfx target on the compute "
                            "GPUs, found %s; set a version such as 11.0.0 or leave it empty" % found)
    version = gfx_version(targets[0])
    if not version:
        return None, None, "rocm_env_hsa_override_gfx_version: auto cannot read %s as a gfx target; set a version" % targets[0]
    return version, "the detected %s" % targets[0], None


def value_problems(option, name, value):
    problems = []
    for char, what in FORBIDDEN:
        if char in value:
            problems.append("%s: %s=%r contains %s; remove it (values go unquoted into environment.d and "
                            "single-quoted into profile.d)" % (option, name, value, what))
    if value != value.strip():
        problems.append("%s: %s=%r starts or ends with white space; remove it" % (option, name, value))
    pattern, expected = FORMATS.get(name, (None, None))
    if pattern and not problems and not pattern.match(value):
        problems.append("%s: %s=%r is not %s" % (option, name, value, expected))
    return problems


def _derive(option, name, setting, gpus):
    """(value or None, reason, problem or None) of one managed variable."""
    if setting is None or setting == "":
        return None, "not set (%s is empty)" % option, None
    if setting != AUTO:
        return setting, "set by %s" % option, None
    if name == "HIP_VISIBLE_DEVICES":
        value, reason = _auto_hip_visible_devices(gpus)
        return value, reason, None
    if name == "PYTORCH_ROCM_ARCH":
        value, reason = _auto_pytorch_rocm_arch(gpus)
        return value, reason, None
    if name == "HSA_OVERRIDE_GFX_VERSION":
        return _auto_hsa_override(gpus)
    return None, None, "%s: auto is not a value for %s; set the value itself" % (option, name)


def plan(gpus, settings, extra=None):
    """The variables to write: ``{variables: [{name, value, reason}], skipped: [{name, reason}],
    problems: [...]}``. ``settings`` maps the role variables of SETTINGS to a value, ``auto`` or empty;
    ``extra`` adds variables by name. Nothing may be written while ``problems`` is not empty."""
    variables, skipped, problems = [], [], []
    for option, name in SETTINGS:
        value, reason, problem = _derive(option, name, settings.get(option), gpus or [])
        if problem:
            problems.append(problem)
        elif value is None:
            skipped.append({"name": name, "reason": reason})
        else:
            problems.extend(value_problems(option, name, str(value)))
            variables.append({"name": name, "value": str(value), "reason": reason})
    managed = [name for _option, name in SETTINGS]
    for name, value in (extra or {}).items():
        if not NAME.match(str(name)):
            problems.append("rocm_env_extra_variables: %r is not a variable name (letters, digits, _; not starting "
                            "with a digit)" % (name,))
        elif name in managed:
            problems.append("rocm_env_extra_variables: %s has its own variable, %s; set it there" % (
                name, [option for option, managed_name in SETTINGS if managed_name == name][0]))
        elif value is None or isinstance(value, (dict, list)):
            problems.append("rocm_env_extra_variables: %s needs a plain value, got %r" % (name, value))
        else:
            value = str(value).lower() if isinstance(value, bool) else str(value)
            problems.extend(value_problems("rocm_env_extra_variables", name, value))
            variables.append({"name": name, "value": value, "reason": "set by rocm_env_extra_variables"})
    return {"variables": variables, "skipped": skipped, "problems": problems}
