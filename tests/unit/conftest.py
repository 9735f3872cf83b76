# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the repository importable as ansible_collections.amdgpu.stability for plain pytest."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import atexit
import os
import shutil
import sys
import tempfile

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
