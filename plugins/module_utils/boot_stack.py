# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which boot loader stack owns the kernel command line on a system.

Supported: Debian/Ubuntu GRUB (update-grub sourcing /etc/default/grub and grub.d) and systemd-boot
with kernel-install (/etc/kernel/cmdline). Every other stack keeps the command line somewhere else,
and writing either file there would change nothing or the wrong thing. Detection reads files only:
the EFI variable LoaderInfo (which loader booted this system), the loader configuration on $BOOT,
the tools installed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os

from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import under

GRUB = "grub"
SYSTEMD_BOOT = "systemd-boot"
SUPPORTED = (GRUB, SYSTEMD_BOOT)

_KERNELSTUB = ("usr/bin/kernelstub", "etc/kernelstub/configuration")
# The boot loader interface's variable naming the loader that booted this system. Not systemd-boot's
# alone: Debian 13's GRUB (2.12, its bli module) sets it too, to "GRUB 2.12-9+deb13u4" (measured).
LOADER_INFO = "/sys/firmware/efi/efivars/LoaderInfo-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
_SYSTEMD_BOOT_LOADER = ("boot/efi/loader/loader.conf", "efi/loader/loader.conf", "boot/loader/loader.conf")
_KERNEL_INSTALL = ("usr/bin/kernel-install", "bin/kernel-install")
# Debian 13's dracut 106 on systemd-boot (measured): ``dracut --regenerate-all`` writes
# $ESP/<machine-id>/<version>/initrd, and Debian's post-update hook then fails copying it onto itself.
_DRACUT = ("usr/bin/dracut", "usr/sbin/dracut")
_BLS = ("boot/loader/entries/*.conf", "usr/sbin/grubby", "sbin/grubby")
_GRUB = ("usr/sbin/update-grub", "sbin/update-grub", "usr/sbin/grub-mkconfig", "sbin/grub-mkconfig")
_UPSTREAM_GRUB = ("usr/sbin/grub2-mkconfig", "sbin/grub2-mkconfig", "usr/bin/grub-mkconfig")


def _present(root, patterns):
    found = []
    for pattern in patterns:
        found.extend(sorted(glob.glob(under(root, pattern))))
    return ["/" + os.path.relpath(path, root) for path in found]


def booted_by(root="/"):
    """The loader that booted this system as LoaderInfo names it (``systemd-boot 257.13-1~deb13u1``,
    ``GRUB 2.12-9+deb13u4``), or None. efivarfs files start with 4 bytes of attributes, then the
    value: a NUL-terminated UTF-16LE string."""
    try:
        with open(under(root, LOADER_INFO), "rb") as handle:
            data = handle.read()
    except (IOError, OSError):
        return None
    return data[4:].decode("utf-16-le", "replace").split("\0", 1)[0].strip() or None


def _systemd_boot(root):
    """``(stack, description, evidence)`` when systemd-boot boots this system, else None.

    LoaderInfo says which loader booted this system; without it (a chroot, a container, BIOS, a loader
    that does not set it) a loader.conf on $BOOT does - unless GRUB is installed too and the firmware
    is UEFI, where the missing variable means an older GRUB booted and the loader.conf is a leftover."""
    loader_info = booted_by(root)
    if loader_info is not None and not loader_info.startswith("systemd-boot"):
        return None
    booted = [LOADER_INFO] if loader_info is not None else []
    loader = _present(root, _SYSTEMD_BOOT_LOADER)
    if not booted and not loader:
        return None
    if not booted and os.path.isdir(under(root, "sys/firmware/efi/efivars")) and _present(root, _GRUB):
        return None
    evidence = booted + loader
    kernel_install = _present(root, _KERNEL_INSTALL)[:1]  # one name: /bin is /usr/bin on merged-/usr systems
    dracut = _present(root, _DRACUT)[:1]
    if dracut:
        return ("systemd-boot-with-dracut",
                "systemd-boot with dracut, which writes its images into the entries' directory on the ESP "
                "(<machine-id>/<version>/initrd) rather than /boot - not supported yet", evidence + dracut)
    if not kernel_install:
        return ("systemd-boot-without-kernel-install",
                "systemd-boot without kernel-install, which writes its entries from /etc/kernel/cmdline; "
                "install systemd (Debian 13: the systemd-boot package brings it)", evidence)
    return (SYSTEMD_BOOT, "systemd-boot with kernel-install (/etc/kernel/cmdline, loader entries)",
            evidence + kernel_install)


def detect_boot_stack(root="/"):
    """``(stack, description, evidence)``; ``stack`` is in ``SUPPORTED`` when the collection can
    change the command line."""
    kernelstub = _present(root, _KERNELSTUB)
    if kernelstub:
        return "kernelstub", "kernelstub with systemd-boot (Pop!_OS)", kernelstub
    systemd_boot = _systemd_boot(root)
    if systemd_boot:
        return systemd_boot
    bls = _present(root, _BLS)
    if bls:
        return "bls", "Boot Loader Specification entries managed by grubby", bls
    grub = _present(root, _GRUB)
    if grub:
        default = _present(root, ("etc/default/grub",))
        if not default:
            return ("grub-without-defaults", "GRUB tools without /etc/default/grub; "
                    "reinstall grub2-common or the grub-pc/grub-efi package", grub)
        return GRUB, "GRUB with Debian's update-grub (/etc/default/grub, grub.d)", grub + default
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
    if stack in ("systemd-boot-without-kernel-install", "systemd-boot-with-dracut"):
        return ("%s %s %s /etc/kernel/cmdline, then for each installed kernel "
                "'kernel-install add VERSION /boot/vmlinuz-VERSION'"
                % ("append" if adding else "remove", _quoted(tokens), "to" if adding else "from"))
    if stack == "upstream-grub":
        return ("%s %s %s GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then "
                "'grub2-mkconfig -o /boot/grub2/grub.cfg' (or grub-mkconfig with your distribution's path)"
                % ("add" if adding else "remove", _quoted(tokens), "to" if adding else "from"))
    return "%s %s %s the kernel command line of your boot loader" % (
        "add" if adding else "remove", _quoted(tokens), "to" if adding else "from")
