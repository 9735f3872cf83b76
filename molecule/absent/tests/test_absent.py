# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""After present then absent, every file is what it was before present, byte for byte."""


def test_files_are_the_originals_byte_for_byte(host):
    check = host.run("sha256sum --quiet -c /var/tmp/amdgpu-stability-original.sha256")
    assert check.rc == 0, check.stdout + check.stderr


def test_no_file_added_or_removed(host):
    listing = host.run("find /etc/default /etc/modprobe.d /boot -xdev \\( -type f -o -type l \\) -print | sort"
                       " | diff /var/tmp/amdgpu-stability-original.list -")
    assert listing.rc == 0, listing.stdout


def test_nothing_of_ours_left(host):
    assert not host.file("/etc/default/grub.d/zz-amdgpu-stability.cfg").exists
    assert not host.file("/etc/modprobe.d/amdgpu.conf").exists
    assert "amdgpu.stability" not in host.file("/etc/default/grub").content_string
