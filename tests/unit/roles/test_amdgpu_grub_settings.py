# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The amdgpu role plans the GRUB files with the grub_cmdline role's settings (amdgpu_plan), so the
defaults it falls back to must be that role's: otherwise a converged host would be planned as not."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import yaml

import conftest


def load(path):
    with open(os.path.join(conftest.REPO, path)) as handle:
        return yaml.safe_load(handle)


def test_the_fallbacks_are_the_grub_cmdline_roles_defaults():
    settings = load("roles/amdgpu/vars/main.yml")["__amdgpu_grub_settings"]
    defaults = load("roles/grub_cmdline/defaults/main.yml")
    for key, variable in (("variable", "grub_cmdline_variable"), ("dropin_name", "grub_cmdline_dropin_name"),
                          ("settings", "grub_cmdline_template_settings")):
        fallback = re.search(r"\| default\((.*)\) \}\}$", settings[key]).group(1)
        assert "{{ %s |" % variable in settings[key]
        assert yaml.safe_load(fallback) == defaults[variable]
    assert settings["method"] == "{{ amdgpu_grub_method }}"
