# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""After every refused run (check mode, converge, idempotence), nothing changed."""

import os
import sys

import pytest
import testinfra

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "testinfra"))
import baseline  # noqa: E402  (molecule/shared/testinfra, beside the scenarios)


def test_boot_and_module_configuration_unchanged(host):
    assert baseline.differences(host) == ""


def test_no_file_of_ours(host):
    assert not host.file("/etc/default/grub.d/zz-amdgpu-stability.cfg").exists
    assert not host.file("/etc/modprobe.d/amdgpu.conf").exists


# Only where the run had packages on and apt could install them: there a role that installed before
# refusing would have left the package behind. (The plain host ran with packages off; on the host
# without non-free-firmware the package cannot be installed at all, so the assertion could not fail.)
PACKAGE_HOSTS = {"negative-sdboot": "firmware-amd-graphics", "negative-ubuntu-sim": "linux-generic-hwe-22.04"}


@pytest.mark.parametrize("name, package", sorted(PACKAGE_HOSTS.items()))
def test_no_package_installed_before_the_refusal(name, package):
    host = testinfra.get_host("podman://" + name)
    installable = host.run("apt-get --simulate --quiet install %s" % package)
    assert installable.rc == 0, "%s could not have been installed here: %s" % (package, installable.stdout + installable.stderr)
    assert not host.package(package).is_installed
