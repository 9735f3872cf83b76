# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side validation of role input, before any task touches a host.

Thin wrappers: the rules live in module_utils/kernel_cmdline.py, shared with the modules; the names
blog posts give that amdgpu does not have (amdgpu_knowledge.NOT_PARAMETERS) are refused here too."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The code behind each filter is imported when the filter is called: Ansible imports every filter file
# of the collection in each worker process that looks up one of its filters (a worker per host and
# task), so a filter file must cost nothing to import.


def kernel_arg_problems(args, source="kernel arguments"):
    from ansible_collections.amdgpu.stability.plugins.module_utils import kernel_cmdline
    from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_knowledge import not_parameter_messages
    return kernel_cmdline.kernel_arg_problems(args, source, not_parameter_messages())


def module_option_problems(options, module="amdgpu", source="amdgpu_options"):
    from ansible_collections.amdgpu.stability.plugins.module_utils import kernel_cmdline
    from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_knowledge import not_parameter_messages
    return kernel_cmdline.module_option_problems(options, module, source, not_parameter_messages())


def module_option_tokens(options, module="amdgpu"):
    from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import option_tokens
    return option_tokens(options, module)


class FilterModule(object):
    def filters(self):
        return {
            "kernel_arg_problems": kernel_arg_problems,
            "module_option_problems": module_option_problems,
            "module_option_tokens": module_option_tokens,
        }
