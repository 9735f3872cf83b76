# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  root:
    description:
      - Directory under which every file is read (C(<root>/etc/...), C(<root>/proc/...), ...).
      - Lets the module inspect a chroot or a test tree; V(/) reads the live system.
    type: path
    default: /
"""
