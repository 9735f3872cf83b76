# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import run_module

from ansible_collections.amdgpu.stability.plugins.modules import amdgpu_info


def test_empty_tree_reports_no_gpu(tmp_path, capsys):
    result = run_module(capsys, amdgpu_info, {"root": str(tmp_path), "_ansible_check_mode": True})
    assert result["changed"] is False and not result.get("failed")
    assert result["gpus"] == [] and result["amdgpu_loaded"] is False
