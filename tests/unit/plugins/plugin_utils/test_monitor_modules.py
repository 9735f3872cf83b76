# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monitor role copies exactly the module_utils the health program imports."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import os

import yaml

REPO = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
MODULE_UTILS = os.path.join(REPO, "plugins", "module_utils")
PREFIX = "ansible_collections.amdgpu.stability.plugins.module_utils"


def imports(name, seen):
    if name in seen:
        return seen
    seen.add(name)
    with open(os.path.join(MODULE_UTILS, name + ".py")) as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            if node.module == PREFIX:
                for alias in node.names:
                    imports(alias.name, seen)
            else:
                imports(node.module.rsplit(".", 1)[1], seen)
    return seen


def test_the_role_copies_the_programs_whole_import_closure_and_nothing_else():
    with open(os.path.join(REPO, "roles", "monitor", "vars", "main.yml")) as handle:
        listed = yaml.safe_load(handle)["__monitor_program_modules"]
    assert listed == sorted(listed)
    assert set(listed) == imports("stability_health", set()) | imports("stability_metrics", set())
