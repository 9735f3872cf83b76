# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modprobe file's text (modprobe_config.render) is byte for byte what the amdgpu role's Jinja
template wrote before: a host converged by an earlier release stays converged (no rewrite, no
initramfs rebuild) after an upgrade."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import jinja2
import pytest
import yaml

from ansible_collections.amdgpu.stability.plugins.module_utils.modprobe_config import comment, render
from ansible_collections.amdgpu.stability.plugins.modules.amdgpu_plan import modprobe_text

import conftest

# roles/amdgpu/templates/etc/modprobe.d/amdgpu.conf.j2 of 0.2, as the template module rendered it
# (trim_blocks on, the trailing newline kept).
TEMPLATE = """\
# Managed by Ansible (amdgpu.stability.amdgpu, profile {{ amdgpu_profile }}); local changes will be overwritten.
# One option per line, comments on their own lines: modprobe reads an inline '#' as part of the value.
# Takes effect when amdgpu next loads; it loads from the initramfs, rebuilt after every change.
{% for name, value in __amdgpu_chosen.options.items() %}

# {{ __amdgpu_chosen.reasons[name] | default('') | wordwrap(96, break_long_words=false) | replace('\\n', '\\n# ') }}
options amdgpu {{ name }}={{ value }}
{% endfor %}
"""

with open(os.path.join(conftest.REPO, "roles", "amdgpu", "vars", "main.yml")) as handle:
    PROFILES = yaml.safe_load(handle)["__amdgpu_profiles"]


def jinja(profile, options, reasons):
    environment = jinja2.Environment(trim_blocks=True, keep_trailing_newline=True)
    return environment.from_string(TEMPLATE).render(amdgpu_profile=profile,
                                                    __amdgpu_chosen={"options": options, "reasons": reasons})


def plan_text(profile, options, reasons):
    params = {"state": "present", "options_via": "modprobe", "profile": profile}
    return modprobe_text(params, {"options": options, "reasons": reasons})


@pytest.mark.parametrize("profile", sorted(name for name, data in PROFILES.items() if data["options"]))
def test_every_profile_as_the_template_wrote_it(profile):
    entries = dict(PROFILES[profile]["options"], **PROFILES[profile].get("overrides", {}))
    options = dict((name, entry["value"]) for name, entry in entries.items())
    reasons = dict((name, entry["reason"]) for name, entry in entries.items())
    assert plan_text(profile, options, reasons) == jinja(profile, options, reasons)


def test_user_options_long_words_and_missing_reasons_as_the_template_wrote_them():
    options = {"runpm": 0, "lockup_timeout": "10000,10000", "gpu_recovery": True, "dcdebugmask": "0x10"}
    reasons = {"runpm": "Set by amdgpu_options.", "lockup_timeout": "x" * 120 + " then a short tail",
               "gpu_recovery": ""}
    assert plan_text("none", options, reasons) == jinja("none", options, reasons)


def test_comment_lines_stay_within_96_columns():
    lines = comment("word " * 60)
    assert len(lines) == 4 and all(len(line) <= 98 and line.startswith("# ") for line in lines)


def test_no_options_no_file():
    assert plan_text("none", {}, {}) is None
    assert render("amdgpu", {}, {}, ["# header"]) == "# header\n"
