# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drop-in method never touches a main file with escaped inner quotes."""

import os

import testinfra

# One host only: these tests take no "host" fixture, so testinfra runs them once, here.
HOST = testinfra.get_host("podman://shapes-hetzner")
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "fixtures", "default-grub")


def test_escaped_inner_quotes_survive():
    content = HOST.file("/etc/default/grub").content_string
    assert 'acpi_osi=\\"!Windows 2012\\"' in content
    assert content == open(os.path.join(FIXTURES, "escaped-quotes.grub")).read()


def test_provider_file_untouched():
    assert HOST.file("/etc/default/grub.d/hetzner.cfg").content_string == open(os.path.join(FIXTURES, "hetzner.cfg")).read()
