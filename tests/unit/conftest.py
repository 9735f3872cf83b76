# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the repository importable as ansible_collections.amdgpu.stability for plain pytest."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import atexit
import contextlib
import json
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _collection_root():
    # Inside an ansible_collections tree already (ansible-test's copy): use it as it is.
    parts = REPO.split(os.sep)
    if len(parts) >= 3 and parts[-3] == "ansible_collections":
        return os.sep.join(parts[:-3])
    top = tempfile.mkdtemp(prefix="amdgpu-stability-pytest-")
    atexit.register(shutil.rmtree, top, True)
    os.makedirs(os.path.join(top, "ansible_collections", "amdgpu"))
    os.symlink(REPO, os.path.join(top, "ansible_collections", "amdgpu", "stability"))
    return top


sys.path.insert(0, _collection_root())


def _load_fixture_module(name):
    path = os.path.join(REPO, "tests", "fixtures", name + ".py")
    spec = importlib.util.spec_from_file_location("amdgpu_stability_" + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The seed's workstation as a fake root (tests/fixtures/fakeroot.py; Molecule writes the same tree).
fakeroot = _load_fixture_module("fakeroot")


@pytest.fixture
def seed_root(tmp_path):
    return fakeroot.write(str(tmp_path), fakeroot.seed_workstation())


def run_module(capsys, module, args):
    """Run an Ansible module's main() with ``args``; its JSON result."""
    with _module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


@contextlib.contextmanager
def _module_args(args):
    """ansible-core's own way of giving a module its arguments in a test: patch_module_args from
    2.19 on; before it, the serialized arguments AnsibleModule reads from basic._ANSIBLE_ARGS."""
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:
        from ansible.module_utils import basic
        previous = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode("utf-8")
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = previous
        return
    with patch_module_args(args):
        yield


def run_in_subprocess(argv, cwd=None):
    """What AnsibleModule.run_command gives a module: ``(rc, stdout, stderr)`` as text."""
    process = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    return process.returncode, process.stdout.decode("utf-8", "replace"), process.stderr.decode("utf-8", "replace")


def fake_commands(bin_dir, monkeypatch, scripts):
    """Real executables (``/bin/sh`` bodies) first on PATH, standing in for journalctl, dmesg, ..."""
    bin_dir.mkdir(exist_ok=True)
    for name, body in scripts.items():
        script = bin_dir / name
        script.write_text("#!/bin/sh\n" + body + "\n")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", "%s:%s" % (bin_dir, os.environ["PATH"]))
