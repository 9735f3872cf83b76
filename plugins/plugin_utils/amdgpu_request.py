# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the amdgpu role is asked for, on the controller: the profile and the user's overrides
resolved into kernel arguments and candidate options, with every input problem found before a task
reaches the host. Kept apart from the role's other decisions (amdgpu_role.py): every run of the role
resolves its input, and a filter's code is loaded anew in each worker process."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_knowledge import not_parameter_messages
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import (
    kernel_arg_problems,
    module_option_problems,
    token_name,
)

OPTION_HINT = "put it in amdgpu_options (amdgpu_options_via cmdline puts options on the command line)"


def input_problems(profiles, profile, options, options_omit, kernel_args, kernel_args_omit):
    """Every unusable piece of the role's input, each naming the variable and the fix."""
    problems = []
    if profile not in profiles:
        problems.append("amdgpu_profile %s is not a profile; choose one of %s" % (profile, ", ".join(profiles)))
    data = profiles.get(profile) or {"kernel_args": [], "options": {}}
    not_parameters = not_parameter_messages()
    problems.extend(module_option_problems(options, "amdgpu", "amdgpu_options", not_parameters))
    problems.extend(kernel_arg_problems(kernel_args, "amdgpu_kernel_args", not_parameters))
    if isinstance(kernel_args, (list, tuple)):
        problems.extend("amdgpu_kernel_args: '%s' is an amdgpu option; %s" % (arg, OPTION_HINT)
                        for arg in kernel_args if isinstance(arg, str) and arg.startswith("amdgpu."))
    problems.extend("amdgpu_options_omit: '%s' is not an option of profile %s" % (name, profile)
                    for name in options_omit if name not in data["options"])
    profile_arg_names = [token_name(entry["token"]) for entry in data["kernel_args"]]
    problems.extend("amdgpu_kernel_args_omit: '%s' is not a kernel argument of profile %s" % (name, profile)
                    for name in kernel_args_omit if name not in profile_arg_names)
    return problems


def resolve(profiles, profile, options, options_omit, kernel_args, kernel_args_omit):
    """``{problems, hardware_aware, kernel_args, profile_options, candidate_options}``.

    ``kernel_args``: the profile's tokens less ``kernel_args_omit``, a user token replacing the
    profile's of the same name in place. ``profile_options``: the profile's entries (with its
    overrides) less ``options_omit`` and less what ``options`` sets itself - the user's value is never
    dropped by the hardware-aware choice. ``candidate_options``: ``{name: value}`` of both, before
    that choice. Nothing but ``problems`` when there are problems."""
    problems = input_problems(profiles, profile, options, options_omit, kernel_args, kernel_args_omit)
    if problems:
        return {"problems": problems}
    data = profiles[profile]
    args = dict((token_name(entry["token"]), entry["token"]) for entry in data["kernel_args"])
    for name in kernel_args_omit:
        args.pop(name, None)
    args.update((token_name(arg), arg) for arg in kernel_args)
    entries = dict(data["options"])
    entries.update(data.get("overrides") or {})
    profile_options = dict((name, entry) for name, entry in entries.items()
                           if name not in options_omit and name not in options)
    candidates = dict((name, entry["value"]) for name, entry in profile_options.items())
    candidates.update(options)
    return {"problems": [], "hardware_aware": bool(data.get("hardware_aware")), "kernel_args": list(args.values()),
            "profile_options": profile_options, "candidate_options": candidates}
