# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health program's code as one file: the collection's module_utils that the program imports,
byte for byte, in a zip that Python imports from (zipimport), with fixed timestamps so that the same
code always gives the same bytes (the role's copy is then idempotent, and one transfer, not twenty)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import hashlib
import io
import os
import tempfile
import zipfile

PACKAGE = "ansible_collections/amdgpu/stability/plugins/module_utils"
PREFIX = "ansible_collections.amdgpu.stability.plugins.module_utils"
ENTRY_POINTS = ("stability_health", "stability_metrics")
# 1980-01-01, the earliest time a zip entry can carry: the archive depends on the code only.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# What `python3 <zip>` runs: the program, given the means to start journalctl.
MAIN = b'''"""amdgpu-stability-health: the amdgpu.stability collection's module_utils, run as a program."""
import subprocess
import sys

from ansible_collections.amdgpu.stability.plugins.module_utils.stability_health import main


def spawn(argv):
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


sys.exit(main(spawn=spawn))
'''


def imports(module_utils, name, seen=None):
    """``name`` and every module_utils module it imports, transitively."""
    seen = set() if seen is None else seen
    if name in seen:
        return seen
    seen.add(name)
    with open(os.path.join(module_utils, name + ".py")) as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            if node.module == PREFIX:
                for alias in node.names:
                    imports(module_utils, alias.name, seen)
            else:
                imports(module_utils, node.module.rsplit(".", 1)[1], seen)
    return seen


def program_modules(module_utils):
    modules = set()
    for entry in ENTRY_POINTS:
        imports(module_utils, entry, modules)
    return sorted(modules)


def _entry(archive, name, data):
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def bundle_bytes(module_utils):
    """The zip: its __main__.py, a regular package at every level (no other ansible_collections tree
    on sys.path can shadow it), then the modules in name order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _entry(archive, "__main__.py", MAIN)
        parts = PACKAGE.split("/")
        for depth in range(1, len(parts) + 1):
            _entry(archive, "/".join(parts[:depth]) + "/__init__.py", b"")
        for name in program_modules(module_utils):
            with open(os.path.join(module_utils, name + ".py"), "rb") as handle:
                _entry(archive, "%s/%s.py" % (PACKAGE, name), handle.read())
    return buffer.getvalue()


def write_bundle(module_utils, directory=None):
    """Write the zip on the controller, named by its content; returns its path."""
    data = bundle_bytes(module_utils)
    directory = directory or tempfile.gettempdir()
    path = os.path.join(directory, "amdgpu-stability-health-%s.zip" % hashlib.sha256(data).hexdigest()[:16])
    if not os.path.exists(path):
        temporary = path + ".%d.tmp" % os.getpid()
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.rename(temporary, path)
    return path
