# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat
import tarfile

import pytest

from ansible_collections.amdgpu.stability.plugins.modules import amdgpu_collect

import conftest

SEED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "logs", "seed-dmesg.log")


def run_module(capsys, args):
    return conftest.run_module(capsys, amdgpu_collect, args)


def box_after_a_hang(tmp_path, monkeypatch):
    """The current boot's journal holds the seed's hang; there is no previous boot; dmesg is refused
    (as in a container without CAP_SYSLOG)."""
    conftest.fake_commands(tmp_path / "bin", monkeypatch, {
        "journalctl": 'case "$*" in *"-b 0"*) cat %s ;; *) echo "Specifier \'-1\' out of range" >&2; exit 1 ;; esac' % SEED,
        "dmesg": "echo 'dmesg: read kernel buffer failed: Operation not permitted' >&2; exit 1",
        "modprobe": 'printf "options amdgpu runpm=0\\noptions snd_hda_intel power_save=0\\nblacklist radeon # not amdgpu\\n"',
        "uname": "echo Linux gpubox 6.16.12+deb13-amd64 '#1 SMP PREEMPT_DYNAMIC Debian 6.16.12-1' x86_64 GNU/Linux",
        "dpkg-query": 'printf "ii  linux-image-6.16.12+deb13-amd64 6.16.12-1\\nun  linux-firmware <none>\\n'
                      'ii  firmware-amd-graphics 20250410-2\\n"; echo "dpkg-query: no packages found matching linux-generic*" >&2; exit 1',
    })


def members(path):
    with tarfile.open(path) as tar:
        return {member.name.split("/", 1)[1]: tar.extractfile(member).read().decode() for member in tar.getmembers()}


def test_bundle_of_a_box_after_a_hang(capsys, monkeypatch, tmp_path, seed_root):
    box_after_a_hang(tmp_path, monkeypatch)
    dest = tmp_path / "out"
    dest.mkdir()
    result = run_module(capsys, {"root": seed_root, "dest": str(dest), "name": "bundle"})
    assert result["changed"] is True and result["path"] == str(dest / "bundle.tar.gz")
    assert stat.S_IMODE(os.stat(result["path"]).st_mode) == 0o600
    assert not os.path.exists(result["path"] + ".partial")
    files = members(result["path"])
    assert sorted(files) == [
        "MANIFEST", "amdgpu-info.json", "amdgpu-parameters.txt", "debugfs/dri-1-amdgpu_firmware_info.txt",
        "devcoredump/devcd1.data", "firmware-versions.txt", "journal-boot-0.log", "modprobe-c-amdgpu.conf",
        "packages.txt", "proc-cmdline.txt", "scan.json", "uname.txt"]
    with open(SEED) as handle:
        assert files["journal-boot-0.log"] == handle.read()
    assert files["modprobe-c-amdgpu.conf"] == "options amdgpu runpm=0\n"
    assert "dcdebugmask=16\n" in files["amdgpu-parameters.txt"] and "ppfeaturemask=0xfff7bfff" in files["amdgpu-parameters.txt"]
    assert files["packages.txt"] == "linux-image-6.16.12+deb13-amd64 6.16.12-1\nfirmware-amd-graphics 20250410-2\n"
    assert "0000:2f:00.0 Navi 31 gfx1100 vbios 113-D7020100-102\n  mes 0x00000080" in files["firmware-versions.txt"]
    assert "iommu=pt" in files["proc-cmdline.txt"] and "AMDGPU Device Coredump" in files["devcoredump/devcd1.data"]
    scan = json.loads(files["scan.json"])["journal-boot-0.log"]
    assert scan["incidents"][0]["reset_method"] == "mode1" and scan["incidents"][0]["outcome"] == "recovered"
    assert result["scan"] == {"journal-boot-0.log": scan["summary"]}
    # What could not be had is listed with the reason, in the MANIFEST and in the result.
    assert result["missing"] == ["kernel log of the previous boot (journalctl -k -b -1)", "kernel ring buffer (dmesg)"]
    assert "Specifier '-1' out of range" in files["MANIFEST"] and "Operation not permitted" in files["MANIFEST"]
    assert "included  journal-boot-0.log" in files["MANIFEST"]
    assert "MISSING   installed" not in files["MANIFEST"]


def test_a_bare_box_gives_a_bundle_of_what_is_there(capsys, monkeypatch, tmp_path):
    box_after_a_hang(tmp_path, monkeypatch)
    root = tmp_path / "root"
    (root / "proc").mkdir(parents=True)
    (root / "proc" / "cmdline").write_text("ro quiet\n")
    result = run_module(capsys, {"root": str(root), "dest": str(tmp_path), "name": "bare",
                                 "log_paths": [SEED, str(tmp_path / "gone.log")]})
    files = members(result["path"])
    assert "logs/1-seed-dmesg.log" in files and "logs/2-gone.log" not in files
    assert set(json.loads(files["scan.json"])) == {"journal-boot-0.log", "logs/1-seed-dmesg.log"}
    assert "log file %s" % (tmp_path / "gone.log") in result["missing"]
    assert "amdgpu parameter values (/sys/module/amdgpu/parameters)" in result["missing"]
    assert "amdgpu_firmware_info (debugfs)" in result["missing"]
    assert "GPU core dump (devcoredump)" in result["missing"]
    assert "firmware and VBIOS versions (sysfs fw_version)" in result["missing"]


def test_check_mode_writes_nothing(capsys, tmp_path):
    result = run_module(capsys, {"dest": str(tmp_path), "name": "x", "_ansible_check_mode": True})
    assert result["changed"] is True and result["path"] == str(tmp_path / "x.tar.gz")
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize("args, message", [
    ({"dest": "/nonexistent/dir"}, "dest: /nonexistent/dir is not a directory"),
    ({"name": "../escape"}, "name: '../escape' is not a file name"),
])
def test_bad_input_is_named(capsys, tmp_path, args, message):
    result = run_module(capsys, dict({"dest": str(tmp_path)}, **args))
    assert result["failed"] and message in result["msg"]
    assert os.listdir(str(tmp_path)) == []


def test_a_reason_of_several_lines_is_one_manifest_line(capsys, monkeypatch, tmp_path):
    box_after_a_hang(tmp_path, monkeypatch)
    (tmp_path / "bin" / "dpkg-query").write_text('#!/bin/sh\necho "no packages found matching a" >&2\necho "no packages found matching b" >&2\nexit 1\n')
    result = run_module(capsys, {"dest": str(tmp_path), "name": "x"})
    lines = [line for line in members(result["path"])["MANIFEST"].splitlines() if "dpkg-query" in line]
    assert lines == ["MISSING   installed kernel and firmware packages (dpkg-query): dpkg-query found none (rc=1): "
                     "no packages found matching a; no packages found matching b"]
