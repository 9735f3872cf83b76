# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which boot loader stack owns the kernel command line on a system.

Only Debian/Ubuntu GRUB (update-grub sourcing /etc/default/grub and grub.d) is supported; every
other stack keeps the command line somewhere else, and writing /etc/default/grub there would
change nothing or the wrong thing. Detection reads files only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os

from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import under

SUPPORTED = "grub"

# (stack, description, evidence paths relative to the root); the first stack with evidence wins,
# so the more specific ones come first.
_UNSUPPORTED = (
    ("kernelstub", "kernelstub with systemd-boot (Pop!_OS)",
     ("usr/bin/kernelstub", "etc/kernelstub/configuration")),
    ("systemd-boot", "systemd-boot; its entries carry the command line (/etc/kernel/cmdline)",
     ("boot/efi/loader/loader.conf", "efi/loader/loader.conf", "boot/loader/loader.conf")),
    ("bls", "Boot Loader Specification entries managed by grubby",
     ("boot/loader/entries/*.conf", "usr/sbin/grubby", "sbin/grubby")),
)
_GRUB = ("usr/sbin/update-grub", "sbin/update-grub", "usr/sbin/grub-mkconfig", "sbin/grub-mkconfig")
_UPSTREAM_GRUB = ("usr/sbin/grub2-mkconfig", "sbin/grub2-mkconfig", "usr/bin/grub-mkconfig")


def _present(root, patterns):
    found = []
    for pattern in patterns:
        found.extend(sorted(glob.glob(under(root, pattern))))
    return ["/" + os.path.relpath(path, root) for path in found]


def detect_boot_stack(root="/"):
    """``(stack, description, evidence)``; ``stack`` is ``grub`` when supported."""
    for stack, description, patterns in _UNSUPPORTED:
        evidence = _present(root, patterns)
        if evidence:
            return stack, description, evidence
    grub = _present(root, _GRUB)
    if grub:
        default = _present(root, ("etc/default/grub",))
        if not default:
            return ("grub-without-defaults", "GRUB tools without /etc/default/grub; "
                    "reinstall grub2-common or the grub-pc/grub-efi package", grub)
        return SUPPORTED, "GRUB with Debian's update-grub (/etc/default/grub, grub.d)", grub + default
    upstream = _present(root, _UPSTREAM_GRUB)
    if upstream:
        return ("upstream-grub", "GRUB without Debian's update-grub, which reads no grub.d drop-ins",
                upstream)
    return ("none", "no boot loader tools found (no update-grub, grub-mkconfig, grubby, "
            "kernelstub or systemd-boot loader.conf)", [])


def _quoted(tokens):
    return '"%s"' % " ".join(tokens)


def manual_command(stack, tokens, state="present"):
    """What to run by hand on a stack the collection does not change, to add (``present``) or remove
    (``absent``) the kernel arguments ``tokens``; '' when there is nothing to do."""
    if not tokens:
        return ""
    adding = state == "present"
    if stack == "bls":
        return "grubby --update-kernel=ALL %s=%s" % ("--args" if adding else "--remove-args", _quoted(tokens))
    if stack == "kernelstub":
        return "kernelstub %s %s" % ("--add-options" if adding else "--delete-options", _quoted(tokens))
    if stack == "systemd-boot":
        return ("%s %s %s /etc/kernel/cmdline, then for each installed kernel "
                "'kernel-install add VERSION /boot/vmlinuz-VERSION'"
                % ("append" if adding else "remove", _quoted(tokens), "to" if adding else "from"))
    if stack == "upstream-grub":
        return ("%s %s %s GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then "
                "'grub2-mkconfig -o /boot/grub2/grub.cfg' (or grub-mkconfig with your distribution's path)"
                % ("add" if adding else "remove", _quoted(tokens), "to" if adding else "from"))
    return "%s %s %s the kernel command line of your boot loader" % (
        "add" if adding else "remove", _quoted(tokens), "to" if adding else "from")
