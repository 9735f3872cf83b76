# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _tool():
    spec = importlib.util.spec_from_file_location("role_readme", os.path.join(REPO, "tools", "role_readme.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


role_readme = _tool()


def test_every_role_readme_lists_the_argument_specs_as_they_are():
    assert role_readme.main(["--check"]) == 0


def test_a_changed_spec_makes_the_readme_stale():
    specs = {"argument_specs": {"main": {"short_description": "S", "options": {
        "x_state": {"description": ["V(present) adds.", "C(absent) removes."], "type": "str",
                    "choices": ["present", "absent"], "default": "present"}}}}}
    readme = role_readme.expected("# x\n\nHand-written.\n", specs)
    assert readme.startswith("# x\n\nHand-written.\n")
    assert "- `x_state` (str; default `present`; one of `present`, `absent`): `present` adds.\n  `absent` removes." in readme
    specs["argument_specs"]["main"]["options"]["x_state"]["default"] = "absent"
    again = role_readme.expected(readme, specs)
    assert again != readme and again.count(role_readme.BEGIN) == 1 and "default `absent`" in again


def test_markup_becomes_markdown():
    assert role_readme.markdown("P(amdgpu.stability.grub_cmdline#role) and O(a_b=c), I(x), U(https://e.org)") == \
        "`amdgpu.stability.grub_cmdline` and `a_b=c`, *x*, <https://e.org>"
