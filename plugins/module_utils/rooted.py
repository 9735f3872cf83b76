# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Files read under a root directory: ``/`` is this host; another directory stands in for it, so
that every reader of /proc, /sys, /etc and /boot can be pointed at a fake tree in tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os


def under(root, path):
    """``path`` (absolute, as on the host) inside ``root``."""
    return os.path.join(root, path.lstrip("/"))


def read_file(path):
    """The text of ``path``, or None when it is missing or unreadable (sysfs files vanish with
    hot-unplugged devices; a fake tree has only what a test wrote)."""
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def read_under(root, path):
    """The text of ``path`` inside ``root``, or None."""
    return read_file(under(root, path))
