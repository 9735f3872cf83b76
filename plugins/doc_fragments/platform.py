# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The platform attribute of the collection's modules: amdgpu.stability.platform (Linux: /proc, /sys),
    # amdgpu.stability.platform.debian (Debian's update-grub), amdgpu.stability.platform.posix (plain files).
    # Literal strings: ansible-test reads doc fragments without running them.
    DOCUMENTATION = r"""
attributes:
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: linux
"""

    DEBIAN = r"""
attributes:
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: debian
"""

    POSIX = r"""
attributes:
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
"""
