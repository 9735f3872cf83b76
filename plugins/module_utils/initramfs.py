# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which tool builds the initramfs, how to rebuild the image of every installed kernel, and how to
list what an image holds.

A module that loads from the initramfs reads the copy of /etc/modprobe.d inside the image: a changed
modprobe.d file takes effect only once every image is rebuilt, by the tool that built it. Debian and
Ubuntu use initramfs-tools; dracut replaces it where installed (the packages conflict, so one of them
is found); Arch's mkinitcpio is not supported. Detection reads files only.

initramfs-tools copies all of /etc/modprobe.d into every image. dracut copies it only in hostonly
mode (modules.d/90kernel-modules: ``[[ $hostonly ]] && inst_multiple -H -o /etc/modprobe.d/*.conf``),
and Debian's dracut builds generic images: a file must be named in ``install_items`` to get in.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os

from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import under

# (tool, evidence relative to the root, rebuild argv, list argv before the image's path); the first
# tool with evidence wins.
_TOOLS = (
    ("dracut", ("usr/bin/dracut", "usr/sbin/dracut"), ["dracut", "--regenerate-all", "--force"], ["lsinitrd"]),
    ("initramfs-tools", ("usr/sbin/update-initramfs", "sbin/update-initramfs"),
     ["update-initramfs", "-u", "-k", "all"], ["lsinitramfs"]),
    ("mkinitcpio", ("usr/bin/mkinitcpio",), None, ["lsinitcpio"]),
)
SUPPORTED = ("dracut", "initramfs-tools")
# Where the collection names its modprobe file for dracut, which reads *.conf there in name order.
DRACUT_CONF = "/etc/dracut.conf.d/amdgpu-stability.conf"


def _found(root, paths):
    return ["/" + path for path in paths if os.path.exists(under(root, path))]


def images(root="/"):
    """The initramfs images in /boot, as Debian's tools name them (initrd.img-<release>)."""
    return sorted("/boot/" + os.path.basename(path) for path in glob.glob(under(root, "boot/initrd.img-*")))


def detect(root="/"):
    """``{tool, evidence, supported, rebuild, list, images}``: ``tool`` is ``dracut``,
    ``initramfs-tools``, ``mkinitcpio`` or ``none``; ``rebuild`` the argv that rebuilds the image of
    every installed kernel (None where the collection does not rebuild); ``list`` the argv that,
    with an image's path appended, lists the files inside."""
    for tool, paths, rebuild, lister in _TOOLS:
        evidence = _found(root, paths)
        if evidence:
            return {"tool": tool, "evidence": evidence, "supported": tool in SUPPORTED,
                    "rebuild": rebuild if tool in SUPPORTED else None, "list": lister, "images": images(root)}
    return {"tool": "none", "evidence": [], "supported": True, "rebuild": None, "list": None, "images": images(root)}


def refusal(found, path):
    """Why the options in ``path`` (a modprobe.d file) cannot be applied here, with what to do;
    '' when they can."""
    if found["tool"] != "mkinitcpio":
        return ""
    return ("this host builds its initramfs with mkinitcpio (found: %s), which amdgpu.stability does not "
            "rebuild: set amdgpu_options_via: cmdline to give the options on the kernel command line, or "
            "write %s by hand and run 'mkinitcpio -P'" % (", ".join(found["evidence"]), path))


def dracut_include(path, mark):
    """The dracut.conf.d file that puts ``path`` into every image dracut builds, hostonly or not;
    its first line begins with ``mark``, by which a later run knows the file is its own."""
    return ("%s); local changes will be overwritten.\n"
            "# dracut copies /etc/modprobe.d into the initramfs only in hostonly mode: name the file.\n"
            "install_items+=\" %s \"\n" % (mark, path))


# initramfs-tools, and Debian's dracut (its /usr/bin/dracut runs ``run-parts
# /etc/initramfs/post-update.d`` unless NO_POST_UPDATE_HOOKS is set), run the hooks there after writing
# an image, and Debian's systemd-boot package puts one there that copies the image to the ESP
# (kernel-install add). Without that hook - systemd-boot set up by hand, another distribution's
# dracut - the entries would go on loading the old images from the ESP.
SYSTEMD_BOOT_HOOK = "/etc/initramfs/post-update.d/systemd-boot"


def boot_loader_copies(found, root, stack, update_commands):
    """The commands that bring rebuilt images to the boot loader after ``found["rebuild"]``: [] where
    the boot loader reads /boot itself (GRUB) or systemd-boot's hook copies them."""
    if stack != "systemd-boot" or found["rebuild"] is None:
        return []
    if os.path.exists(under(root, SYSTEMD_BOOT_HOOK)):
        return []
    return list(update_commands)
