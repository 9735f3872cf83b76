# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The GC IP version table generated from the kernel's own switches, and the tables built on it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import os
import subprocess
import sys

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_hardware as hw
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_gpu_data import GC_IP_VERSIONS, KERNEL_LINES

REPO = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
GENERATOR = os.path.join(REPO, "tools", "generate_gpu_data.py")


def generator():
    spec = importlib.util.spec_from_file_location("generate_gpu_data", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regenerating_the_data_changes_nothing():
    assert subprocess.call([sys.executable, GENERATOR, "--check"]) == 0


def test_every_fixture_names_its_kernel_and_keeps_the_notice():
    for line in KERNEL_LINES:
        for name in ("kfd_device.c", "amdgpu_discovery.c", "amdgpu_gmc.c"):
            with open(os.path.join(REPO, "tests", "fixtures", "kernel", line, name)) as handle:
                text = handle.read()
            assert text.startswith("/* Excerpt of drivers/gpu/drm/amd/") and "(Debian linux-source-%s)" % line in text
            assert "Permission is hereby granted" in text


# RDNA2 numbers do not follow the gfx names: the kernel's kgd2kfd_probe() is the truth.
@pytest.mark.parametrize("gc, target, apu", [
    ((10, 3, 0), "gfx1030", False),   # Navi 21 (Sienna Cichlid)
    ((10, 3, 2), "gfx1031", False),   # Navi 22 (Navy Flounder)
    ((10, 3, 4), "gfx1032", False),   # Navi 23 (Dimgrey Cavefish)
    ((10, 3, 5), "gfx1034", False),   # Navi 24 (Beige Goby): a discrete card
    ((10, 3, 1), "gfx1033", True),    # Van Gogh: an APU
    ((10, 3, 3), "gfx1035", True),    # Yellow Carp (Rembrandt)
    ((10, 3, 6), "gfx1036", True),    # Raphael
    ((10, 3, 7), "gfx1036", True),    # Mendocino: KFD gives it Raphael's target
    ((11, 0, 0), "gfx1100", False), ((11, 0, 3), "gfx1101", False), ((11, 0, 2), "gfx1102", False),
    ((11, 0, 1), "gfx1103", True), ((11, 0, 4), "gfx1103", True),
    ((11, 5, 0), "gfx1150", True), ((11, 5, 1), "gfx1151", True), ((11, 5, 2), "gfx1152", True),
    ((11, 5, 3), "gfx1153", True),
    ((12, 0, 0), "gfx1200", False), ((12, 0, 1), "gfx1201", False),
])
def test_gc_versions_from_the_kernel(gc, target, apu):
    assert (GC_IP_VERSIONS[gc]["gfx_target"], GC_IP_VERSIONS[gc]["apu"]) == (target, apu)


def test_tmz_on_navi_31_is_not_supported_on_any_kernel():
    assert set(GC_IP_VERSIONS[(11, 0, 0)]["tmz"].values()) == {"unsupported"}


def test_tmz_is_on_by_default_only_on_a_few_apus():
    on = sorted(gc for gc, entry in GC_IP_VERSIONS.items() if "on" in entry["tmz"].values())
    assert on == [(9, 1, 0), (9, 2, 2), (9, 3, 0), (10, 3, 7), (11, 0, 1)]


def test_tmz_follows_the_kernel_line():
    assert GC_IP_VERSIONS[(10, 3, 6)]["tmz"] == {"6.1": "unsupported", "6.12": "experimental", "7.2": "experimental"}
    assert hw.tmz_support((11, 5, 0), (6, 1, 170)) == "unsupported"
    assert hw.tmz_support((11, 5, 0), (6, 14, 0)) == "experimental"
    assert hw.tmz_support((11, 5, 0), (5, 15, 0)) == "unsupported"      # older than every line: the oldest
    assert hw.tmz_support((11, 5, 0), None) == "experimental"           # unknown: the newest
    assert hw.tmz_support((13, 0, 0), (6, 12, 0)) is None


def test_a_version_chosen_at_run_time_still_counts_as_known_to_kfd():
    # 6.12 picks GC 9.4.3's target by revision and APU flag; 7.2 names one.
    assert GC_IP_VERSIONS[(9, 4, 3)]["kfd_since"] == "6.12" and GC_IP_VERSIONS[(9, 4, 3)]["gfx_target"] == "gfx942"
    assert GC_IP_VERSIONS[(9, 4, 3)]["apu"] is None


def test_case_groups_share_code_across_comments_and_preprocessor_lines():
    text = "\n".join([
        "\tswitch (gc) {", "\t/* RAVEN */", "\tcase IP_VERSION(9, 1, 0):", "\t/* RENOIR looks like RAVEN */",
        "\tcase IP_VERSION(9, 3, 0):", "#ifdef X", "\t\tgfx_target_version = 90012;", "#endif", "\t\tbreak;",
        "\tcase IP_VERSION(9, 4, 3):", "\t\tgfx_target_version = adev->rev_id >= 1 ? 90402", "\t\t\t: 90401;",
        "\tdefault:", "\t\tbreak;", "\t}"])
    gen = generator()
    assert gen.gfx_targets(text) == {(9, 1, 0): "gfx90c", (9, 3, 0): "gfx90c", (9, 4, 3): None}


def test_the_tmz_classes_of_a_switch():
    text = "\n".join([
        "\tcase IP_VERSION(11, 0, 1):", "\t\tif (amdgpu_tmz == 0) {", '\t\t\t"feature disabled (cmd line)\\n");',
        "\t\t} else {", '\t\t\t"feature enabled\\n");', "\t\t}", "\t\tbreak;",
        "\tcase IP_VERSION(10, 3, 0):", '\t\t\t"feature enabled as experimental (cmd line)\\n");', "\t\tbreak;",
        "\tdefault:", '\t\t"feature not supported\\n");'])
    assert generator().tmz_classes(text) == {(11, 0, 1): "on", (10, 3, 0): "experimental"}


def test_the_device_table_agrees_with_the_kernel_tables():
    for device_id, (family, gc) in hw.DEVICES.items():
        assert gc in GC_IP_VERSIONS, device_id
        assert hw.FAMILIES.get(gc, family) == family, device_id
    assert set(hw.FAMILIES) <= set(GC_IP_VERSIONS)


def test_kernel_line_for_a_release():
    assert [hw.kernel_line(v) for v in [(6, 1, 0), (6, 8, 0), (6, 12, 95), (6, 16, 12), (7, 3, 4), (5, 10, 0)]] == [
        "6.1", "6.1", "6.12", "6.12", "7.2", "6.1"]
