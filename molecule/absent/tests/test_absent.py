# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""After present then absent, every file is what it was before present, byte for byte."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "testinfra"))
import baseline  # noqa: E402  (molecule/shared/testinfra, beside the scenarios)


def test_files_are_the_originals_byte_for_byte_and_none_added_or_removed(host):
    assert baseline.differences(host, "original") == ""


def test_nothing_of_ours_left(host):
    assert not host.file("/etc/default/grub.d/zz-amdgpu-stability.cfg").exists
    assert not host.file("/etc/modprobe.d/amdgpu.conf").exists
    assert "amdgpu.stability" not in host.file("/etc/default/grub").content_string
