# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decisions of the amdgpu role (plugin_utils/amdgpu_role.py): resolve, choose, reboot, report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.plugin_utils import amdgpu_role


def amdgpu_resolve(profiles, profile, options, options_omit, kernel_args, kernel_args_omit):
    return amdgpu_role.resolve(profiles, profile, options, options_omit, kernel_args, kernel_args_omit)


def amdgpu_choose(resolved, options, gpus, params, state="present", options_via="modprobe", kernel=None):
    return amdgpu_role.choose(resolved, options, gpus, params, state, options_via, kernel)


def amdgpu_reboot_decision(facts):
    return amdgpu_role.reboot_decision(facts)


def amdgpu_run_report(run, chosen, decision):
    return amdgpu_role.run_report(run, chosen, decision)


class FilterModule(object):
    def filters(self):
        return {
            "amdgpu_resolve": amdgpu_resolve,
            "amdgpu_choose": amdgpu_choose,
            "amdgpu_reboot_decision": amdgpu_reboot_decision,
            "amdgpu_run_report": amdgpu_run_report,
        }
