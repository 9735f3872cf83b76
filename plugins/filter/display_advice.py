# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether the monitors share the compute GPU (rules in module_utils/amdgpu_knowledge.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.plugin_utils.display_advice import display_advice


class FilterModule(object):
    def filters(self):
        return {"display_advice": display_advice}
