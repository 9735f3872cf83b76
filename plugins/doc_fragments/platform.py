# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


_PLATFORM = r"""
attributes:
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: %s
"""


class ModuleDocFragment(object):
    # The platform attribute of the collection's modules: amdgpu.stability.platform (Linux: /proc, /sys),
    # amdgpu.stability.platform.debian (Debian's update-grub), amdgpu.stability.platform.posix (plain files).
    DOCUMENTATION = _PLATFORM % "linux"
    DEBIAN = _PLATFORM % "debian"
    POSIX = _PLATFORM % "posix"
