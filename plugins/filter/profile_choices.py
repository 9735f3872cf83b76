# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of a hardware-aware profile that suit this host (rules in module_utils/amdgpu_profiles.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.plugin_utils.amdgpu_profiles import choose


def profile_choices(entries, gpus, params_result, kernel=None):
    kept, decisions = choose(entries, gpus, params_result, kernel)
    return {"kept": kept, "decisions": decisions}


class FilterModule(object):
    def filters(self):
        return {"profile_choices": profile_choices}
