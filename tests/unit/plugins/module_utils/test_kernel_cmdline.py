# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import kernel_cmdline as kc
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_knowledge import not_parameter_messages


@pytest.mark.parametrize("text, tokens", [
    ("quiet splash", ["quiet", "splash"]),
    ("  quiet\tsplash \n", ["quiet", "splash"]),
    ('quiet acpi_osi="!Windows 2012" iommu=pt', ["quiet", 'acpi_osi="!Windows 2012"', "iommu=pt"]),
    ("", []),
    ("root=UUID=abc ro", ["root=UUID=abc", "ro"]),
])
def test_split_cmdline(text, tokens):
    assert kc.split_cmdline(text) == tokens


def test_whole_tokens_not_substrings():
    assert not kc.is_in_effect(["iommu=pt2"], "iommu=pt")
    assert not kc.is_in_effect(["bizbuz"], "buz")
    assert kc.is_in_effect(["quiet", "iommu=pt"], "iommu=pt")


def test_last_occurrence_decides():
    assert not kc.is_in_effect(["iommu=pt", "iommu=soft"], "iommu=pt")
    assert kc.is_in_effect(["iommu=soft", "iommu=pt"], "iommu=pt")
    assert kc.effective_token(["a=1", "b", "a=2"], "a") == "a=2"
    assert kc.effective_token(["a=1"], "c") is None


def test_merge_appends_replaces_and_keeps():
    current = ["quiet", "iommu=pt", "amdgpu.ppfeaturemask=0xffffbfff"]
    tokens, added, replaced = kc.merge_tokens(current, ["iommu=pt", "amdgpu.ppfeaturemask=0xfff73fff", "pcie_aspm=off"])
    assert tokens == ["quiet", "iommu=pt", "amdgpu.ppfeaturemask=0xfff73fff", "pcie_aspm=off"]
    assert added == ["pcie_aspm=off"]
    assert replaced == {"amdgpu.ppfeaturemask=0xfff73fff": "amdgpu.ppfeaturemask=0xffffbfff"}
    assert kc.unmerge_tokens(tokens, added, replaced) == current


def test_merge_is_idempotent():
    tokens, added, replaced = kc.merge_tokens(["quiet", "iommu=pt"], ["iommu=pt"])
    assert (tokens, added, replaced) == (["quiet", "iommu=pt"], [], {})


AMDGPU_NOT_PARAMETERS = not_parameter_messages()

BAD_ARGS = [
    ([True], "YAML boolean"),
    ([None], "YAML null"),
    ([1.5], "YAML float"),
    ([7], "is a number"),
    (["a b"], "a space"),
    (['acpi_osi="Linux"'], "a double quote"),
    (["x=$(reboot)"], "a dollar sign"),
    (["x=`id`"], "a backtick"),
    (["x=1;reboot"], "a semicolon"),
    (["x=1\nGRUB_X=1"], "a newline"),
    (["x=1#c"], "a hash sign"),
    (["x='1'"], "a single quote"),
    (["x=a\\b"], "a backslash"),
    ([""], "is empty"),
    (["=1"], "invalid name"),
    (["x="], "empty value"),
    (["iommu=pt", "iommu=soft"], "already given"),
    (["amdgpu.gfxoff=0"], "not an amdgpu parameter"),
]


@pytest.mark.parametrize("args, fragment", BAD_ARGS)
def test_kernel_arg_problems_name_the_item(args, fragment):
    problems = kc.kernel_arg_problems(args, source="grub_cmdline_args", not_parameters=AMDGPU_NOT_PARAMETERS)
    assert len(problems) == 1
    assert fragment in problems[0]
    assert problems[0].startswith("grub_cmdline_args[%d]" % (len(args) - 1))


def test_kernel_arg_problems_accepts_good_tokens():
    assert kc.kernel_arg_problems(["quiet", "iommu=pt", "amdgpu.dcdebugmask=0x10", "root=UUID=a-b"]) == []


def test_kernel_arg_problems_rejects_non_list():
    assert "must be a list" in kc.kernel_arg_problems("iommu=pt")[0]


BAD_OPTIONS = [
    ({"runpm": False}, "amdgpu_options.runpm is a YAML boolean"),
    ({"runpm": None}, "amdgpu_options.runpm is a YAML null"),
    ({"gfxoff": 0}, "ppfeaturemask=0xfff73fff"),
    ({"amdgpu.tmz": 0}, "without the 'amdgpu.' prefix"),
    ({"tmz x": 0}, "not a module option name"),
    ({"lockup_timeout": "10000 # x"}, "a space"),
    ({"lockup_timeout": ""}, "is empty"),
    ({"dcdebugmask": [16]}, "is a list"),
    ({"tmz": 0.5}, "YAML float"),
]


@pytest.mark.parametrize("options, fragment", BAD_OPTIONS)
def test_module_option_problems(options, fragment):
    problems = kc.module_option_problems(options, not_parameters=AMDGPU_NOT_PARAMETERS)
    assert len(problems) == 1 and fragment in problems[0]


def test_the_generic_checks_know_no_driver():
    # Generic: what a driver does not have is the caller's knowledge.
    assert kc.kernel_arg_problems(["amdgpu.gfxoff=0"]) == []
    assert kc.module_option_problems({"gfxoff": 0}) == []


def test_module_options_good_and_tokens():
    options = {"tmz": 0, "dcdebugmask": "0x10", "lockup_timeout": "10000,10000"}
    assert kc.module_option_problems(options) == []
    assert kc.option_tokens(options) == ["amdgpu.tmz=0", "amdgpu.dcdebugmask=0x10", "amdgpu.lockup_timeout=10000,10000"]
    assert "must be a mapping" in kc.module_option_problems(["tmz=0"])[0]


def test_unmerge_removes_only_the_recorded_copy():
    # Regression: a copy of an added token that the user put there by hand later stays.
    tokens, added, replaced = kc.merge_tokens(["quiet"], ["iommu=pt"])
    assert (tokens, added) == (["quiet", "iommu=pt"], ["iommu=pt"])
    by_hand = tokens + ["splash", "iommu=pt"]
    assert kc.unmerge_tokens(by_hand, added, replaced) == ["quiet", "splash", "iommu=pt"]


def test_unmerge_restores_one_replaced_copy():
    tokens, added, replaced = kc.merge_tokens(["a=3", "a=2"], ["a=3"])
    assert tokens == ["a=3", "a=3"] and replaced == {"a=3": "a=2"}
    # The earlier a=3 was the user's own: only the replaced one goes back to a=2.
    assert kc.unmerge_tokens(tokens, added, replaced) == ["a=3", "a=2"]


def test_tokens_not_in_effect_follow_the_last_value():
    running = ["ro", "iommu=pt", "iommu=soft", "pcie_aspm=off"]
    assert kc.not_in_effect(running, ["iommu=pt", "pcie_aspm=off"]) == ["iommu=pt"]
    assert kc.not_in_effect(running, ["iommu=soft"]) == []
    assert kc.not_in_effect(None, ["iommu=pt"]) == ["iommu=pt"]


def test_differences_are_the_reasons_to_reboot():
    running = ["ro", "iommu=soft", "quiet"]
    assert kc.differences(running, ["ro", "iommu=pt", "quiet"], ["iommu=pt", "quiet"]) == [
        "iommu=pt is on the next boot's command line but not on the running one"]
    assert kc.differences(["ro", "pcie_aspm=off"], ["ro"], ["pcie_aspm=off"]) == [
        "pcie_aspm=off is off the next boot's command line but on the running one"]
    assert kc.differences(None, ["iommu=pt"], ["iommu=pt"]) == []
