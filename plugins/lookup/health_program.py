# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: health_program
version_added: 0.2.0
author: amdgpu.stability contributors (@amdgpu-stability)
short_description: The health program's code as one zip, built on the controller
description:
  - Writes the collection's module_utils that C(amdgpu-stability-health) imports - byte for byte, with fixed
    timestamps - into one zip file on the controller (in the temporary directory, named by its content) and
    returns its path. The P(amdgpu.stability.monitor#role) role copies it to the host, where Python imports
    the program from it.
  - The same code always gives the same file, so a second copy changes nothing.
options: {}
"""

EXAMPLES = r"""
- name: Copy the program's code
  ansible.builtin.copy:
    src: "{{ lookup('amdgpu.stability.health_program') }}"
    dest: /usr/local/lib/amdgpu-stability/amdgpu-stability-health.zip
    mode: "0644"
"""

RETURN = r"""
_raw:
  description: The path of the zip on the controller.
  type: list
  elements: str
"""

import os

from ansible.plugins.lookup import LookupBase

from ansible_collections.amdgpu.stability.plugins.plugin_utils.health_bundle import write_bundle

MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils")


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        return [write_bundle(MODULE_UTILS)]
