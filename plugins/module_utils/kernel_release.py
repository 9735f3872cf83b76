# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kernel release names (6.12.95+deb12-amd64, 6.8.0-90-generic, 7.3-amd64) as comparable versions."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re


def release_version(release):
    """(major, minor, patch) of a kernel release; (0, 0, 0) when it does not start with a version."""
    match = re.match(r"^(\d+)\.(\d+)(?:\.(\d+))?", release or "")
    return tuple(int(n or 0) for n in match.groups()) if match else (0, 0, 0)
