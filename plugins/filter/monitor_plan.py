# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monitor role's plan (rules in plugin_utils/monitor_role.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.plugin_utils.monitor_role import plan


def monitor_plan(settings, installed, recorded=None):
    return plan(settings, installed, recorded)


class FilterModule(object):
    def filters(self):
        return {"monitor_plan": monitor_plan}
