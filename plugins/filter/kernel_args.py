# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side validation of role input, before any task touches a host.

Thin wrappers: the rules live in module_utils/kernel_cmdline.py, shared with the modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import (
    kernel_arg_problems,
    module_option_problems,
    option_tokens,
)


class FilterModule(object):
    def filters(self):
        return {
            "kernel_arg_problems": kernel_arg_problems,
            "module_option_problems": module_option_problems,
            "module_option_tokens": option_tokens,
        }
