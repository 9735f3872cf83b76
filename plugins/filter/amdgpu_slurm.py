# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The amdgpu role's Slurm handover (amdgpu_reboot_via slurm): the commands it runs, what Slurm said of
the node, and the drain of a node that came back wrong (plugin_utils/amdgpu_role.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils import slurm_node
from ansible_collections.amdgpu.stability.plugins.plugin_utils import amdgpu_role


def amdgpu_slurm_commands(node):
    return {"show_node": slurm_node.show_node_argv(node), "running_jobs": slurm_node.running_jobs_argv(node)}


def amdgpu_slurm_node(show_result, node, controller, jobs_result=None):
    return amdgpu_role.slurm_node_record(show_result, node, controller, jobs_result)


def amdgpu_slurm_after_verify(record, failure=None):
    return amdgpu_role.slurm_after_verify(record, failure)


class FilterModule(object):
    def filters(self):
        return {
            "amdgpu_slurm_commands": amdgpu_slurm_commands,
            "amdgpu_slurm_node": amdgpu_slurm_node,
            "amdgpu_slurm_after_verify": amdgpu_slurm_after_verify,
        }
