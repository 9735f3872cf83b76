# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""After every refused run (check mode, converge, idempotence), nothing changed."""


def test_boot_and_module_configuration_unchanged(host):
    check = host.run("sha256sum --quiet -c /var/tmp/amdgpu-stability-baseline.sha256")
    assert check.rc == 0, check.stdout + check.stderr
    listing = host.run("find /etc/default /etc/modprobe.d /boot -xdev \\( -type f -o -type l \\) -print | sort"
                       " | diff /var/tmp/amdgpu-stability-baseline.list -")
    assert listing.rc == 0, listing.stdout


def test_no_file_of_ours(host):
    assert not host.file("/etc/default/grub.d/zz-amdgpu-stability.cfg").exists
    assert not host.file("/etc/modprobe.d/amdgpu.conf").exists


def test_no_package_installed_before_the_refusal(host):
    # The systemd-boot and Ubuntu hosts ran with packages on: every check comes before any install.
    assert not host.package("firmware-amd-graphics").is_installed
    assert not host.package("linux-generic-hwe-22.04").is_installed
