# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.amdgpu.stability.plugins.modules import amdgpu_log_scan

import conftest

SEED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "logs", "seed-dmesg.log")


def run_module(capsys, args):
    return conftest.run_module(capsys, amdgpu_log_scan, args)


def test_file_source(capsys):
    result = run_module(capsys, {"source": "file", "paths": [SEED]})
    assert result["changed"] is False and result["source"] == "file"
    assert result["summary"] == {"incidents": 1, "page_faults": 1, "mes_timeouts": 1, "ring_timeouts": 0,
                                 "resets": 1, "failed_resets": 0}


def test_missing_file_is_named(capsys, tmp_path):
    result = run_module(capsys, {"source": "file", "paths": [str(tmp_path / "nope.log")]})
    assert result["failed"] and "nope.log" in result["msg"]


def fake_command(tmp_path, monkeypatch, name, output, rc=0):
    """A real executable on PATH that records its arguments and prints ``output``."""
    (tmp_path / "out.txt").write_text(output)
    conftest.fake_commands(tmp_path, monkeypatch, {
        name: 'printf "%%s\\n" "$@" > %s/argv\ncat %s/out.txt\necho oops >&2\nexit %d' % (tmp_path, tmp_path, rc)})
    return tmp_path / "argv"


def test_journal_reads_the_previous_boot(capsys, monkeypatch, tmp_path):
    argv = fake_command(tmp_path, monkeypatch, "journalctl",
                        "2026-11-26T10:00:00+0000 box kernel: amdgpu 0000:03:00.0: amdgpu: GPU reset begin!\n")
    result = run_module(capsys, {"source": "journal", "boot": "previous", "since": "-2d"})
    assert argv.read_text().split("\n")[:-1] == ["-k", "-o", "short-iso", "--no-pager", "-q", "-b", "-1", "--since", "-2d"]
    assert result["source"] == "journal" and result["lines_scanned"] == 1
    assert result["incidents"][0]["outcome"] == "unknown" and result["incidents"][0]["severity"] == "critical"


def test_since_reaches_journalctl_as_one_word(capsys, monkeypatch, tmp_path):
    argv = fake_command(tmp_path, monkeypatch, "journalctl", "")
    run_module(capsys, {"source": "journal", "boot": "all", "since": "2026-11-01 10:00; rm -rf /"})
    assert argv.read_text().split("\n")[:-1] == ["-k", "-o", "short-iso", "--no-pager", "-q", "--since", "2026-11-01 10:00; rm -rf /"]


def test_a_failing_command_is_reported(capsys, monkeypatch, tmp_path):
    fake_command(tmp_path, monkeypatch, "dmesg", "", rc=1)
    result = run_module(capsys, {"source": "dmesg"})
    assert result["failed"] and "dmesg failed (rc=1): oops" in result["msg"]


def test_dmesg_source(capsys, monkeypatch, tmp_path):
    with open(SEED) as handle:
        fake_command(tmp_path, monkeypatch, "dmesg", handle.read())
    result = run_module(capsys, {"source": "dmesg"})
    assert result["source"] == "dmesg" and result["summary"]["incidents"] == 1
