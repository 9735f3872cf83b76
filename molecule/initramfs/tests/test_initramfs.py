# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modprobe file is inside the initramfs of the installed kernel, as the tool that built the
image lists it: lsinitramfs (initramfs-tools) or lsinitrd (dracut), with the bytes of the file on
the host."""

CONF = "/etc/modprobe.d/amdgpu.conf"


def images(host):
    found = host.check_output("ls /boot/initrd.img-*").split()
    assert found, "the kernel's image is there"
    return found


def test_the_host_has_the_tool_it_is_named_for(host):
    dracut = host.backend.get_hostname() == "initramfs-dracut"
    assert host.exists("dracut") is dracut
    assert host.exists("update-initramfs") is not dracut


def test_the_rebuilt_image_holds_the_modprobe_file(host):
    wanted = host.file(CONF).content_string
    assert "options amdgpu " in wanted
    for image in images(host):
        if host.exists("lsinitrd"):
            assert CONF.lstrip("/") in host.check_output("lsinitrd %s", image).split()
            # lsinitrd -f prints one file of the image.
            assert host.check_output("lsinitrd -f %s %s", CONF.lstrip("/"), image) + "\n" == wanted
        else:
            assert CONF.lstrip("/") in host.check_output("lsinitramfs %s", image).split()
            unpacked = "/var/tmp/unpacked-" + image.rsplit("/", 1)[-1]
            host.run_expect([0], "rm -rf %s && unmkinitramfs %s %s", unpacked, image, unpacked)
            # An image with early microcode unpacks into early*/ and main/; without, into the top.
            path = host.check_output("find %s -path '*/%s' | head -1", unpacked, CONF.lstrip("/"))
            assert host.file(path).content_string == wanted
        # Rebuilt after the file was written.
        assert host.file(image).mtime >= host.file(CONF).mtime
