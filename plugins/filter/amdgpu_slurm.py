# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The amdgpu role's Slurm handover (amdgpu_reboot_via slurm): the commands it runs, what Slurm said of
the node, and the drain of a node that came back wrong (plugin_utils/amdgpu_role.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The code behind each filter is imported when the filter is called: Ansible imports every filter file
# of the collection in each worker process that looks up one of its filters (a worker per host and
# task), so a filter file must cost nothing to import.


def amdgpu_slurm_commands(node):
    from ansible_collections.amdgpu.stability.plugins.module_utils import slurm_node
    return {"show_node": slurm_node.show_node_argv(node), "running_jobs": slurm_node.running_jobs_argv(node)}


def amdgpu_slurm_node(show_result, node, controller, jobs_result=None):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.amdgpu_role import slurm_node_record
    return slurm_node_record(show_result, node, controller, jobs_result)


def amdgpu_slurm_after_verify(record, failure=None):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.amdgpu_role import slurm_after_verify
    return slurm_after_verify(record, failure)


class FilterModule(object):
    def filters(self):
        return {
            "amdgpu_slurm_commands": amdgpu_slurm_commands,
            "amdgpu_slurm_node": amdgpu_slurm_node,
            "amdgpu_slurm_after_verify": amdgpu_slurm_after_verify,
        }
