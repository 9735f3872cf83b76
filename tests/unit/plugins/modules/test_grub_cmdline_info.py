# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.amdgpu.stability.plugins.modules import grub_cmdline_info

import conftest

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "default-grub")


def run_module(capsys, args):
    return conftest.run_module(capsys, grub_cmdline_info, args)


def fake_root(tmp_path, main="debian-13.grub"):
    for path, text in (("usr/sbin/update-grub", "#!/bin/sh\n"),
                       ("etc/default/grub", open(os.path.join(FIXTURES, main)).read()),
                       ("proc/cmdline", "ro quiet\n")):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    return str(tmp_path)


def test_plans_without_writing(tmp_path, capsys):
    root = fake_root(tmp_path)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    result = run_module(capsys, {"root": root, "args": ["iommu=pt"]})
    assert result["changed"] is False and not result.get("failed")
    assert result["changed_files"] == ["/etc/default/grub.d/zz-amdgpu-stability.cfg"]
    assert result["after"]["tokens"] == ["quiet", "iommu=pt"]
    assert result["reboot_required"] is True
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_check_mode_gives_the_same_plan(tmp_path, capsys):
    root = fake_root(tmp_path)
    normal = run_module(capsys, {"root": root, "args": ["iommu=pt"]})
    checked = run_module(capsys, {"root": root, "args": ["iommu=pt"], "_ansible_check_mode": True})
    assert checked["files"] == normal["files"]


@pytest.mark.parametrize("args, message", [
    ({"args": [True]}, "args[0] is a YAML boolean"),
    ({"args": ["a=1", "a=2"]}, "already given"),
    ({"dropin_name": "../grub"}, "dropin_name '../grub' must be a plain file name"),
    ({"dropin_name": "zz.conf"}, "ending in .cfg"),
    ({"settings": {"GRUB_CMDLINE_LINUX": "x"}}, "kernel arguments go in args"),
    ({"settings": {"GRUB_TIMEOUT": "1\n2"}}, "single-line"),
])
def test_refuses_bad_input(tmp_path, capsys, args, message):
    result = run_module(capsys, dict({"root": fake_root(tmp_path)}, **args))
    assert result["failed"] and message in result["msg"]
    assert result["msg"].startswith("Invalid input, nothing was read or changed")


def test_reports_unsupported_stack(tmp_path, capsys):
    (tmp_path / "usr/bin").mkdir(parents=True)
    (tmp_path / "usr/bin/kernelstub").write_text("")
    result = run_module(capsys, {"root": str(tmp_path), "args": ["iommu=pt"]})
    assert result["supported"] is False and result["boot_stack"] == "kernelstub"
    assert "files" not in result


def test_template_on_computed_value_fails_with_advice(tmp_path, capsys):
    root = fake_root(tmp_path)
    (tmp_path / "etc/default/grub").write_text('GRUB_CMDLINE_LINUX_DEFAULT="$X quiet"\n')
    result = run_module(capsys, {"root": root, "args": ["iommu=pt"], "method": "template"})
    assert result["failed"] and "use the drop-in method" in result["msg"]


def test_not_running_uses_the_last_value(tmp_path, capsys):
    # Regression: tasks_from verify passed iommu=pt on "iommu=pt iommu=soft" (membership check).
    root = fake_root(tmp_path)
    (tmp_path / "proc" / "cmdline").write_text("ro quiet iommu=pt iommu=soft pcie_aspm=off\n")
    result = run_module(capsys, {"root": root, "args": ["iommu=pt", "pcie_aspm=off"]})
    assert result["not_running"] == ["iommu=pt"]


def test_running_is_read_on_any_boot_stack(tmp_path, capsys):
    (tmp_path / "proc").mkdir()
    (tmp_path / "proc" / "cmdline").write_text("ro iommu=pt iommu=soft\n")
    result = run_module(capsys, {"root": str(tmp_path), "args": ["iommu=pt"]})
    assert result["supported"] is False and result["running"] == ["ro", "iommu=pt", "iommu=soft"]
    assert result["not_running"] == ["iommu=pt"]
