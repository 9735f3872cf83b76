# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The test runner's own decisions: which deprecation notices fail a scenario."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

TESTS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, TESTS)

import run  # noqa: E402  pylint: disable=wrong-import-position

OUTPUT = """INFO     [default > create] Executing
[DEPRECATION WARNING]: The 'foo' argument is deprecated. This feature will be removed from ansible-core version 2.24.

INFO     [default > converge] Executing
TASK [amdgpu.stability.amdgpu : Write amdgpu.conf] ***
[DEPRECATION WARNING]: Passing a templated module name is deprecated.
This feature will be removed from ansible-core version 2.23.
ok: [host]
TASK [containers.podman.podman_container] ***
[DEPRECATION WARNING]: The 'x' option of containers.podman.podman_container has been deprecated.
This feature will be removed from collection 'containers.podman' version 2.0.0.

TASK [some.other : Task] ***
[DEPRECATION WARNING]: INJECT_FACTS_AS_VARS default to `True` is deprecated. This feature will be removed from ansible-core version 2.24.
Origin: /root/.ansible/collections/ansible_collections/some/other/roles/x/tasks/main.yml:6:14

TASK [amdgpu.stability.amdgpu : Task] ***
[DEPRECATION WARNING]: INJECT_FACTS_AS_VARS default to `True` is deprecated. This feature will be removed from ansible-core version 2.24.
Origin: /tmp/c/ansible_collections/amdgpu/stability/roles/amdgpu/tasks/main.yml:6:14

INFO     [default > destroy] Executing
"""


def test_own_and_third_party_deprecations_are_told_apart():
    own, others = run.deprecations(OUTPUT)
    assert own == [
        "INJECT_FACTS_AS_VARS default to `True` is deprecated. This feature will be removed from ansible-core version 2.24."
        " Origin: /tmp/c/ansible_collections/amdgpu/stability/roles/amdgpu/tasks/main.yml:6:14",
        "Passing a templated module name is deprecated. This feature will be removed from ansible-core version 2.23."]
    assert len(others) == 3
    assert any("ansible_collections/some/other/" in message for message in others)
    assert any("containers.podman" in message for message in others)
    assert any(message.startswith("The 'foo' argument") for message in others)  # Molecule's create playbook


def test_a_run_without_notices_has_none():
    assert run.deprecations("INFO     [default > converge] Executing\nok: [host]\n") == ([], [])
