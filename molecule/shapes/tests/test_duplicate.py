# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The template method rewrites the live line, never the commented duplicate."""

import testinfra
# One host only: these tests take no "host" fixture, so testinfra runs them once, here.
HOST = testinfra.get_host("podman://shapes-duplicate")


def test_commented_duplicate_stays_commented():
    content = HOST.file("/etc/default/grub").content_string
    assert '#GRUB_CMDLINE_LINUX_DEFAULT="quiet splash nomodeset"\n' in content
    assert 'GRUB_CMDLINE_LINUX_DEFAULT="quiet splash iommu=pt pcie_aspm=off"\n' in content
    assert "# amdgpu.stability.grub_cmdline GRUB_CMDLINE_LINUX_DEFAULT " in content
