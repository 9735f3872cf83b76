# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether the monitors share the compute GPU (rules in module_utils/amdgpu_knowledge.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The code behind each filter is imported when the filter is called: Ansible imports every filter file
# of the collection in each worker process that looks up one of its filters (a worker per host and
# task), so a filter file must cost nothing to import.


def display_advice(gpus):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.display_advice import display_advice as advise
    return advise(gpus)


class FilterModule(object):
    def filters(self):
        return {"display_advice": display_advice}
