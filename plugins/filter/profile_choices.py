# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of a hardware-aware profile that suit this host (rules in module_utils/amdgpu_choice.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The code behind each filter is imported when the filter is called: Ansible imports every filter file
# of the collection in each worker process that looks up one of its filters (a worker per host and
# task), so a filter file must cost nothing to import.


def profile_choices(entries, gpus, params_result, kernel=None):
    from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_choice import choose_for_hardware
    kept, decisions = choose_for_hardware(entries, gpus, params_result, kernel)
    return {"kept": kept, "decisions": decisions}


class FilterModule(object):
    def filters(self):
        return {"profile_choices": profile_choices}
