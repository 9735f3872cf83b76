# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""report_files' work: text files on the controller, written whole or not at all."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.amdgpu.stability.plugins.plugin_utils import controller_files


def files(tmp_path, **contents):
    return [{"path": str(tmp_path / "reports" / name.replace("_", ".")), "content": text} for name, text in contents.items()]


def test_writes_makes_the_directory_and_sets_the_mode(tmp_path):
    wanted = files(tmp_path, lab_json="{}", lab_md="# Lab \u2713\n")
    assert controller_files.write(wanted) == [item["path"] for item in wanted]
    assert (tmp_path / "reports" / "lab.md").read_text(encoding="utf-8") == "# Lab \u2713\n"
    assert oct(os.stat(str(tmp_path / "reports")).st_mode & 0o777) == "0o755"
    assert oct(os.stat(wanted[0]["path"]).st_mode & 0o777) == "0o644"
    # Nothing but the files: no temporary file is left behind.
    assert sorted(os.listdir(str(tmp_path / "reports"))) == ["lab.json", "lab.md"]


def test_a_second_write_changes_nothing_and_a_new_mode_or_text_does(tmp_path):
    wanted = files(tmp_path, lab_json="{}")
    controller_files.write(wanted)
    assert controller_files.write(wanted) == []
    assert controller_files.write(wanted, mode="0600") == [wanted[0]["path"]]
    assert controller_files.write(files(tmp_path, lab_json="{\"a\": 1}"), mode="0600") == [wanted[0]["path"]]


def test_check_mode_says_what_would_change_and_writes_nothing(tmp_path):
    wanted = files(tmp_path, lab_json="{}")
    assert controller_files.write(wanted, check=True) == [wanted[0]["path"]]
    assert not (tmp_path / "reports").exists()


def test_a_relative_path_is_the_current_directorys(tmp_path, monkeypatch):
    monkeypatch.chdir(str(tmp_path))
    assert controller_files.write([{"path": "reports/lab.md", "content": "x"}]) == [str(tmp_path / "reports" / "lab.md")]


def test_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    wanted = files(tmp_path, lab_json="old")
    controller_files.write(wanted)

    def broken_rename(source, target):
        raise OSError(28, "No space left on device", target)
    monkeypatch.setattr(controller_files.os, "rename", broken_rename)
    with pytest.raises(OSError):
        controller_files.write(files(tmp_path, lab_json="new"))
    assert (tmp_path / "reports" / "lab.json").read_text() == "old"
    assert os.listdir(str(tmp_path / "reports")) == ["lab.json"]


@pytest.mark.parametrize("given, mode, problem", [
    ([], "0644", "files must be a non-empty list of {path, content}"),
    ([{"path": "/tmp/x"}], "0644", "files[0] must have exactly the keys path and content"),
    ([{"path": "", "content": "x"}], "0644", "files[0].path must be a path, not ''"),
    ([{"path": "/tmp/x", "content": 3}], "0644", "files[0].content must be text"),
    ([{"path": "/tmp/x", "content": "x"}], "rw-r--r--", "mode must be octal, such as 0644, not 'rw-r--r--'"),
])
def test_bad_input_is_named(given, mode, problem):
    assert controller_files.problems(given, mode) == [problem]
