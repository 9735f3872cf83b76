# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import grub_defaults as gd

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "default-grub")
SHAPES = sorted(name for name in os.listdir(FIXTURES) if name.endswith(".grub"))
WANTED = ["iommu=pt", "amdgpu.ppfeaturemask=0xfff73fff"]
VAR = "GRUB_CMDLINE_LINUX_DEFAULT"


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def sourced(text, variable=VAR):
    """The value /bin/sh gives ``variable`` after sourcing ``text``: the ground truth."""
    script = 'eval "$1"; eval "value=\\${$2-}"; printf %s "$value"'
    out = subprocess.check_output(["/bin/sh", "-c", script, "sh", text, variable], env={"PATH": "/usr/bin:/bin"})
    return out.decode()


@pytest.mark.parametrize("text, value, suffix, static", [
    ('"quiet splash"', "quiet splash", "", True),
    ("'quiet'  # c", "quiet", "  # c", True),
    ('quiet', "quiet", "", True),
    ('"a \\"b c\\" d"', 'a "b c" d', "", True),
    ('"$X y"', "$X y", "", False),
    ('`lsb_release -i`', "`lsb_release", " -i`", False),
    ('""', "", "", True),
])
def test_parse_shell_word(text, value, suffix, static):
    assert gd.parse_shell_word(text) == (value, suffix, static)


@pytest.mark.parametrize("value", ['quiet', 'a "b" $c `d` \\e', ""])
def test_quote_round_trips_through_the_shell(value):
    assert sourced("X=%s" % gd.quote_shell_value(value), "X") == value


@pytest.mark.parametrize("shape", SHAPES)
def test_template_present_then_absent_restores_bytes(shape):
    original = fixture(shape)
    applied = gd.plan_default_grub(original, VAR, WANTED, "present")
    value = sourced(applied).split()
    for token in WANTED:
        assert value.count(token) == 1, (shape, value)
    # Every other key keeps its exact line.
    kept = [line for line in original.splitlines() if not line.startswith(VAR + "=")]
    assert all(line in applied.splitlines() for line in kept)
    # A second run changes nothing; absent gives back the original bytes.
    assert gd.plan_default_grub(applied, VAR, WANTED, "present") == applied
    assert gd.plan_default_grub(applied, VAR, None, "absent") == original


def test_template_replaces_other_value_in_place_and_restores_it():
    original = fixture("other-values.grub")
    applied = gd.plan_default_grub(original, VAR, WANTED, "present")
    assert "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet iommu=pt amdgpu.ppfeaturemask=0xfff73fff\"  # tuned by hand\n" in applied
    assert sourced(applied) == "quiet iommu=pt amdgpu.ppfeaturemask=0xfff73fff"


def test_template_keeps_escaped_inner_quotes():
    applied = gd.plan_default_grub(fixture("escaped-quotes.grub"), VAR, ["iommu=pt"], "present")
    assert sourced(applied) == 'quiet acpi_osi="!Windows 2012" acpi_backlight=vendor iommu=pt'


def test_template_without_final_newline_stays_without():
    original = fixture("no-final-newline.grub")
    applied = gd.plan_default_grub(original, VAR, ["iommu=pt"], "present")
    assert not applied.endswith("\n")
    assert sourced(applied) == "quiet iommu=pt"


def test_template_appends_missing_variable_and_removes_it_again():
    original = fixture("both-unset.grub")
    applied = gd.plan_default_grub(original, VAR, ["iommu=pt"], "present")
    assert applied.endswith('GRUB_CMDLINE_LINUX_DEFAULT="iommu=pt"\n')
    assert gd.plan_default_grub(applied, VAR, None, "absent") == original


def test_template_shorter_list_removes_what_is_no_longer_wanted():
    applied = gd.plan_default_grub(fixture("debian-13.grub"), VAR, WANTED, "present")
    shorter = gd.plan_default_grub(applied, VAR, ["iommu=pt"], "present")
    assert sourced(shorter) == "quiet iommu=pt"


def test_template_settings_change_only_their_lines():
    original = fixture("debian-13.grub")
    applied = gd.plan_default_grub(original, VAR, None, "present", {"GRUB_TIMEOUT": "2", "GRUB_NEW": "x y"})
    diff = set(applied.splitlines()) ^ set(original.splitlines())
    assert diff == {"GRUB_TIMEOUT=5", 'GRUB_TIMEOUT="2"', 'GRUB_NEW="x y"'}


def test_template_refuses_computed_value():
    with pytest.raises(gd.GrubDefaultsError, match="drop-in method"):
        gd.plan_default_grub('GRUB_CMDLINE_LINUX_DEFAULT="$X quiet"\n', VAR, ["iommu=pt"], "present")


def test_damaged_marker_is_reported():
    text = '# amdgpu.stability.grub_cmdline GRUB_CMDLINE_LINUX_DEFAULT {broken}\nGRUB_CMDLINE_LINUX_DEFAULT=""\n'
    with pytest.raises(gd.GrubDefaultsError, match="damaged"):
        gd.plan_default_grub(text, VAR, None, "absent")


def test_dropin_appends_without_leading_space():
    content = gd.render_dropin(VAR, WANTED)
    assert sourced(content) == "iommu=pt amdgpu.ppfeaturemask=0xfff73fff"
    assert sourced('GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n' + content) == "quiet iommu=pt amdgpu.ppfeaturemask=0xfff73fff"
    assert gd.parse_dropin(content) == (VAR, WANTED)
    assert gd.parse_dropin("GRUB_CMDLINE_LINUX_DEFAULT=x\n") is None
