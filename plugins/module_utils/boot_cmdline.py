# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kernel command lines of this boot (/proc/cmdline) and of the next one (the default entry of
grub.cfg as update-grub generated it, or of systemd-boot's loader entries), as tokens."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils import systemd_boot
from ansible_collections.amdgpu.stability.plugins.module_utils.boot_stack import SYSTEMD_BOOT, detect_boot_stack
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import split_cmdline
from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import read_under

GRUB_CFG = "/boot/grub/grub.cfg"


def running_tokens(root="/"):
    """Tokens of ``/proc/cmdline``, or None when it cannot be read."""
    text = read_under(root, "/proc/cmdline")
    return split_cmdline(text) if text is not None else None


def grub_cfg_tokens(root="/"):
    """Tokens of the first ``linux`` line of /boot/grub/grub.cfg (the default entry), or None."""
    text = read_under(root, GRUB_CFG)
    if text is None:
        return None
    for line in text.splitlines():
        words = line.strip().split(None, 2)
        if len(words) >= 2 and words[0] in ("linux", "linuxefi"):
            return split_cmdline(words[2]) if len(words) == 3 else []
    return None


def next_boot_tokens(root="/"):
    """``(tokens, source)`` of the command line the next boot will use: the default entry of the
    boot loader that boots this system (grub.cfg's first entry, systemd-boot's default loader entry),
    else the running one."""
    stack = detect_boot_stack(root)[0]
    if stack == SYSTEMD_BOOT:
        entry = systemd_boot.default_entry(root)
        if entry is not None:
            return entry["tokens"], entry["path"]
    tokens = grub_cfg_tokens(root)
    if tokens is not None:
        return tokens, GRUB_CFG
    return running_tokens(root) or [], "/proc/cmdline"
