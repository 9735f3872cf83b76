# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which tool builds the initramfs, found from the files of a root."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import initramfs

import conftest


def root_with(tmp_path, *paths):
    return conftest.fakeroot.write(str(tmp_path), dict((path, "") for path in paths))


@pytest.mark.parametrize("paths, tool, rebuild, lister", [
    (["/usr/sbin/update-initramfs", "/boot/initrd.img-6.1.0-18-amd64"], "initramfs-tools",
     ["update-initramfs", "-u", "-k", "all"], ["lsinitramfs"]),
    (["/usr/bin/dracut", "/boot/initrd.img-6.1.0-18-amd64"], "dracut", ["dracut", "--regenerate-all", "--force"], ["lsinitrd"]),
    # Ubuntu's dracut ships in /usr/sbin on some releases; a leftover update-initramfs does not win over it.
    (["/usr/sbin/dracut", "/usr/sbin/update-initramfs"], "dracut", ["dracut", "--regenerate-all", "--force"], ["lsinitrd"]),
])
def test_the_tools_it_rebuilds_with(tmp_path, paths, tool, rebuild, lister):
    found = initramfs.detect(root_with(tmp_path, *paths))
    assert (found["tool"], found["supported"], found["rebuild"], found["list"]) == (tool, True, rebuild, lister)
    assert found["evidence"] and initramfs.refusal(found, "/etc/modprobe.d/amdgpu.conf") == ""


def test_the_images_of_every_kernel(tmp_path):
    root = root_with(tmp_path, "/usr/sbin/update-initramfs", "/boot/initrd.img-6.12.57+deb13-amd64",
                     "/boot/initrd.img-6.1.0-18-amd64", "/boot/vmlinuz-6.1.0-18-amd64")
    assert initramfs.detect(root)["images"] == ["/boot/initrd.img-6.1.0-18-amd64", "/boot/initrd.img-6.12.57+deb13-amd64"]


def test_mkinitcpio_is_refused_saying_what_to_do(tmp_path):
    found = initramfs.detect(root_with(tmp_path, "/usr/bin/mkinitcpio"))
    assert (found["tool"], found["supported"], found["rebuild"]) == ("mkinitcpio", False, None)
    assert initramfs.refusal(found, "/etc/modprobe.d/amdgpu.conf") == (
        "this host builds its initramfs with mkinitcpio (found: /usr/bin/mkinitcpio), which amdgpu.stability does not "
        "rebuild: set amdgpu_options_via: cmdline to give the options on the kernel command line, or write "
        "/etc/modprobe.d/amdgpu.conf by hand and run 'mkinitcpio -P'")


def test_no_tool_nothing_to_rebuild(tmp_path):
    found = initramfs.detect(str(tmp_path))
    assert (found["tool"], found["rebuild"], found["images"]) == ("none", None, [])
    assert initramfs.refusal(found, "/etc/modprobe.d/amdgpu.conf") == ""


@pytest.mark.parametrize("tool_files, stack, hook, copies", [
    (("usr/bin/dracut",), "systemd-boot", False, True),
    # Debian's systemd-boot package hooks into /etc/initramfs/post-update.d, which initramfs-tools and
    # Debian's dracut run after each image.
    (("usr/bin/dracut",), "systemd-boot", True, False),
    (("usr/sbin/update-initramfs",), "systemd-boot", True, False),
    (("usr/sbin/update-initramfs",), "systemd-boot", False, True),
    (("usr/bin/dracut",), "grub", False, False),
    ((), "systemd-boot", False, False),
])
def test_rebuilt_images_reach_systemd_boot(tmp_path, tool_files, stack, hook, copies):
    for path in tool_files + (("etc/initramfs/post-update.d/systemd-boot",) if hook else ()):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    commands = [["kernel-install", "add", "6.12.48+deb13-amd64", "/boot/vmlinuz-6.12.48+deb13-amd64"]]
    found = initramfs.detect(str(tmp_path))
    assert initramfs.boot_loader_copies(found, str(tmp_path), stack, commands) == (commands if copies else [])
