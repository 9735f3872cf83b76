# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decisions of the amdgpu role: resolve (plugin_utils/amdgpu_request.py), choose
(module_utils/amdgpu_choice.py), converged, reboot, report (plugin_utils/amdgpu_role.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The code behind each filter is imported when the filter is called: Ansible imports every filter file
# of the collection in each worker process that looks up one of its filters (a worker per host and
# task), so a filter file must cost nothing to import.


def amdgpu_resolve(profiles, profile, options, options_omit, kernel_args, kernel_args_omit):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.amdgpu_request import resolve
    return resolve(profiles, profile, options, options_omit, kernel_args, kernel_args_omit)


def amdgpu_choose(resolved, options, gpus, params, state="present", options_via="modprobe", kernel=None):
    from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_choice import choose
    return choose(resolved, options, gpus, params, state, options_via, kernel)


def amdgpu_converged(plan, request):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.amdgpu_role import converged
    return converged(plan, request)


def amdgpu_reboot_decision(facts):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.amdgpu_role import reboot_decision
    return reboot_decision(facts)


def amdgpu_run_report(run, chosen, decision):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.amdgpu_role import run_report
    return run_report(run, chosen, decision)


class FilterModule(object):
    def filters(self):
        return {
            "amdgpu_resolve": amdgpu_resolve,
            "amdgpu_choose": amdgpu_choose,
            "amdgpu_converged": amdgpu_converged,
            "amdgpu_reboot_decision": amdgpu_reboot_decision,
            "amdgpu_run_report": amdgpu_run_report,
        }
