# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.filter.kernel_args import FilterModule

FILTERS = FilterModule().filters()


def test_filters_are_registered():
    assert sorted(FILTERS) == ["kernel_arg_problems", "module_option_problems", "module_option_tokens"]


def test_kernel_arg_problems_names_the_variable():
    assert FILTERS["kernel_arg_problems"](["x y"], "my_args") == [
        "my_args[0] 'x y' contains a space, which would change its meaning in /etc/default/grub or grub.cfg"]


def test_module_option_problems_and_tokens():
    assert FILTERS["module_option_problems"]({"runpm": True}, "amdgpu", "opts")[0].startswith("opts.runpm is a YAML boolean")
    assert FILTERS["module_option_tokens"]({"runpm": 0}, "amdgpu") == ["amdgpu.runpm=0"]


def test_profile_choices_filter():
    from ansible_collections.amdgpu.stability.plugins.filter.profile_choices import FilterModule as Choices
    result = Choices().filters()["profile_choices"]({"sg_display": {"value": "0", "reason": "r", "only_with": "apu"}},
                                                    [{"is_apu": False, "connectors": []}], {})
    assert result["kept"] == {} and result["decisions"][0]["kept"] is False
