# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health program's code as one zip: the collection's own files, the same bytes every time, and a
program that runs from it in a Python that has nothing else of the collection."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys
import zipfile

from ansible_collections.amdgpu.stability.plugins.plugin_utils import health_bundle

REPO = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
MODULE_UTILS = os.path.join(REPO, "plugins", "module_utils")


def test_the_zip_holds_the_programs_imports_byte_for_byte_and_nothing_else(tmp_path):
    path = health_bundle.write_bundle(MODULE_UTILS, str(tmp_path))
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        modules = [name.rsplit("/", 1)[1][:-3] for name in names if "/" in name and not name.endswith("__init__.py")]
        assert names[0] == "__main__.py"
        assert "stability_health" in modules and "amdgpu_log_data" in modules and "amdgpu_collect" not in modules
        assert "bug_report" not in modules          # a module_utils file the program does not import
        for module in modules:
            with open(os.path.join(MODULE_UTILS, module + ".py"), "rb") as handle:
                assert archive.read("%s/%s.py" % (health_bundle.PACKAGE, module)) == handle.read()
    assert health_bundle.bundle_bytes(MODULE_UTILS) == open(path, "rb").read()
    assert health_bundle.write_bundle(MODULE_UTILS, str(tmp_path)) == path


def test_the_program_runs_from_the_zip_alone(tmp_path):
    path = health_bundle.write_bundle(MODULE_UTILS, str(tmp_path))
    # -I -S: no site-packages and no repository on the path, as on a host that only has the zip.
    process = subprocess.run([sys.executable, "-I", "-S", path, "--help"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, cwd=str(tmp_path), check=False)
    assert process.returncode == 0, process.stdout.decode()
    assert b"--log-file" in process.stdout
