# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_hardware as hw
from ansible_collections.amdgpu.stability.plugins.plugin_utils.rocm_env import gfx_version, plan

from conftest import fakeroot

AUTO = {"rocm_env_hip_visible_devices": "auto", "rocm_env_hsa_override_gfx_version": "",
        "rocm_env_pytorch_rocm_arch": "auto",
        "rocm_env_pytorch_hip_alloc_conf": "garbage_collection_threshold:0.8,max_split_size_mb:512"}


def values(result):
    return dict((item["name"], item["value"]) for item in result["variables"])


def gpus_of(tmp_path, tree):
    fakeroot.write(str(tmp_path), tree)
    return hw.info(str(tmp_path))["gpus"]


@pytest.mark.parametrize("target, version", [
    ("gfx1100", "11.0.0"), ("gfx1101", "11.0.1"), ("gfx1102", "11.0.2"), ("gfx1036", "10.3.6"),
    ("gfx90c", "9.0.12"), ("gfx1201", "12.0.1"), ("gfx", None), (None, None), ("sm_90", None)])
def test_gfx_version(target, version):
    assert gfx_version(target) == version


def test_seed_workstation_gets_the_seed_values_from_its_hardware(seed_root):
    result = plan(hw.info(seed_root)["gpus"], dict(AUTO, rocm_env_hsa_override_gfx_version="auto"))
    assert result["problems"] == []
    assert values(result) == {"HIP_VISIBLE_DEVICES": "0", "HSA_OVERRIDE_GFX_VERSION": "11.0.0",
                              "PYTORCH_ROCM_ARCH": "gfx1100",
                              "PYTORCH_HIP_ALLOC_CONF": "garbage_collection_threshold:0.8,max_split_size_mb:512"}
    assert [item["name"] for item in result["variables"]] == [
        "HIP_VISIBLE_DEVICES", "HSA_OVERRIDE_GFX_VERSION", "PYTORCH_ROCM_ARCH", "PYTORCH_HIP_ALLOC_CONF"]
    assert "0000:7a:00.0" in result["variables"][0]["reason"]


def test_igpu_enumerated_first_moves_the_discrete_gpu_to_index_1(tmp_path):
    result = plan(gpus_of(tmp_path, fakeroot.igpu_first_workstation()), dict(AUTO, rocm_env_hsa_override_gfx_version="auto"))
    assert values(result)["HIP_VISIBLE_DEVICES"] == "1"
    assert values(result)["PYTORCH_ROCM_ARCH"] == "gfx1101"
    assert values(result)["HSA_OVERRIDE_GFX_VERSION"] == "11.0.1"


def test_hsa_override_is_opt_in():
    gpus = [{"pci_slot": "0000:03:00.0", "is_apu": False, "gfx_target": "gfx1100", "hip_index": 0}]
    result = plan(gpus, AUTO)
    assert "HSA_OVERRIDE_GFX_VERSION" not in values(result)
    assert {"name": "HSA_OVERRIDE_GFX_VERSION", "reason": "not set (rocm_env_hsa_override_gfx_version is empty)"} in result["skipped"]


def test_no_igpu_leaves_hip_visible_devices_unset():
    gpus = [{"pci_slot": "0000:03:00.0", "is_apu": False, "gfx_target": "gfx1100", "hip_index": 0}]
    result = plan(gpus, AUTO)
    assert "HIP_VISIBLE_DEVICES" not in values(result)
    assert "nothing to hide" in result["skipped"][0]["reason"]


def test_discrete_gpu_missing_from_kfd_is_reported_not_guessed():
    gpus = [{"pci_slot": "0000:03:00.0", "is_apu": False, "gfx_target": "gfx1100", "hip_index": None},
            {"pci_slot": "0000:0e:00.0", "is_apu": True, "gfx_target": "gfx1036", "hip_index": None}]
    result = plan(gpus, AUTO)
    assert "HIP_VISIBLE_DEVICES" not in values(result)
    assert "KFD topology does not list 0000:03:00.0" in result["skipped"][0]["reason"]


def test_two_discrete_gpus_of_different_targets():
    gpus = [{"pci_slot": "0000:03:00.0", "is_apu": False, "gfx_target": "gfx1100", "hip_index": 0},
            {"pci_slot": "0000:04:00.0", "is_apu": False, "gfx_target": "gfx1101", "hip_index": 2},
            {"pci_slot": "0000:0e:00.0", "is_apu": True, "gfx_target": "gfx1036", "hip_index": 1}]
    result = plan(gpus, dict(AUTO, rocm_env_hsa_override_gfx_version="auto"))
    assert result["problems"] == ["rocm_env_hsa_override_gfx_version: auto needs exactly one gfx target on the compute "
                                  "GPUs, found gfx1100, gfx1101; set a version such as 11.0.0 or leave it empty"]
    result = plan(gpus, AUTO)
    assert values(result)["HIP_VISIBLE_DEVICES"] == "0,2" and values(result)["PYTORCH_ROCM_ARCH"] == "gfx1100;gfx1101"


def test_apu_only_box_computes_on_the_apu():
    gpus = [{"pci_slot": "0000:c5:00.0", "is_apu": True, "gfx_target": "gfx1103", "hip_index": 0}]
    result = plan(gpus, dict(AUTO, rocm_env_hsa_override_gfx_version="auto"))
    assert values(result) == {"HSA_OVERRIDE_GFX_VERSION": "11.0.3", "PYTORCH_ROCM_ARCH": "gfx1103",
                              "PYTORCH_HIP_ALLOC_CONF": AUTO["rocm_env_pytorch_hip_alloc_conf"]}


def test_no_gpu_auto_override_is_an_error_naming_the_variable():
    result = plan([], dict(AUTO, rocm_env_hsa_override_gfx_version="auto"))
    assert result["problems"][0].startswith("rocm_env_hsa_override_gfx_version: auto needs exactly one gfx target")
    assert "found none" in result["problems"][0]


def test_explicit_values_win_and_are_checked():
    gpus = [{"pci_slot": "0000:03:00.0", "is_apu": False, "gfx_target": "gfx1101", "hip_index": 0}]
    result = plan(gpus, dict(AUTO, rocm_env_hsa_override_gfx_version="11.0.0", rocm_env_pytorch_rocm_arch="gfx1100;gfx1101"))
    assert values(result)["HSA_OVERRIDE_GFX_VERSION"] == "11.0.0"
    assert values(result)["PYTORCH_ROCM_ARCH"] == "gfx1100;gfx1101"
    assert result["problems"] == []
    result = plan(gpus, dict(AUTO, rocm_env_hsa_override_gfx_version="gfx1100", rocm_env_hip_visible_devices="0 1"))
    assert result["problems"] == [
        "rocm_env_hip_visible_devices: HIP_VISIBLE_DEVICES='0 1' is not device indices or UUIDs separated by commas, such as 0 or 0,1",
        "rocm_env_hsa_override_gfx_version: HSA_OVERRIDE_GFX_VERSION='gfx1100' is not a version such as 11.0.0"]


@pytest.mark.parametrize("value, what", [
    ("a\nb", "a newline"), ("it's", "a single quote"), ('"x"', "a double quote"), ("$HOME/x", "a dollar sign"),
    ("a\\b", "a backslash"), ("`id`", "a backtick"), ("x\r", "a carriage return")])
def test_values_that_would_mean_something_else_in_a_shell_or_environment_d(value, what):
    result = plan([], dict(AUTO, rocm_env_pytorch_hip_alloc_conf=value))
    assert any(what in problem and problem.startswith("rocm_env_pytorch_hip_alloc_conf: PYTORCH_HIP_ALLOC_CONF=")
               for problem in result["problems"])


def test_leading_space_is_refused():
    assert "white space" in plan([], dict(AUTO, rocm_env_pytorch_hip_alloc_conf=" x"))["problems"][0]


def test_extra_variables():
    result = plan([], AUTO, {"MIOPEN_USER_DB_PATH": "/var/tmp/miopen", "AMD_LOG_LEVEL": 1, "HIP_FORCE": True})
    assert values(result)["MIOPEN_USER_DB_PATH"] == "/var/tmp/miopen"
    assert values(result)["AMD_LOG_LEVEL"] == "1" and values(result)["HIP_FORCE"] == "true"
    result = plan([], AUTO, {"1BAD": "x", "HIP_VISIBLE_DEVICES": "0", "LIST": [1], "OK": "$x"})
    assert result["problems"] == [
        "rocm_env_extra_variables: '1BAD' is not a variable name (letters, digits, _; not starting with a digit)",
        "rocm_env_extra_variables: HIP_VISIBLE_DEVICES has its own variable, rocm_env_hip_visible_devices; set it there",
        "rocm_env_extra_variables: LIST needs a plain value, got [1]",
        "rocm_env_extra_variables: OK='$x' contains a dollar sign; remove it (values go unquoted into environment.d and "
        "single-quoted into profile.d)"]


def test_auto_where_no_hardware_rule_exists():
    result = plan([], dict(AUTO, rocm_env_pytorch_hip_alloc_conf="auto"))
    assert result["problems"] == ["rocm_env_pytorch_hip_alloc_conf: auto is not a value for PYTORCH_HIP_ALLOC_CONF; set the value itself"]
