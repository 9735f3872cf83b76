# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The testinfra side of shared/tasks/baseline.yml: the boot and module configuration compared with
the checksums and the file list recorded there."""

PATHS = "/etc/default /etc/modprobe.d /boot"


def differences(host, name="baseline"):
    """What differs from the baseline ``name`` ('' when nothing does): changed bytes, then files
    added or removed."""
    check = host.run("sha256sum --quiet -c /var/tmp/amdgpu-stability-%s.sha256" % name)
    listing = host.run("find %s -xdev \\( -type f -o -type l \\) -print | sort | diff /var/tmp/amdgpu-stability-%s.list -"
                       % (PATHS, name))
    return "".join(result.stdout + result.stderr for result in (check, listing) if result.rc != 0)
