# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.amdgpu.stability.plugins.modules import amdgpu_log_scan

SEED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "logs", "seed-dmesg.log")


def run_module(capsys, args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            amdgpu_log_scan.main()
    return json.loads(capsys.readouterr().out)


def test_file_source(capsys):
    result = run_module(capsys, {"source": "file", "paths": [SEED]})
    assert result["changed"] is False and result["source"] == "file"
    assert result["summary"] == {"incidents": 1, "page_faults": 1, "mes_timeouts": 1, "ring_timeouts": 0,
                                 "resets": 1, "failed_resets": 0}


def test_missing_file_is_named(capsys, tmp_path):
    result = run_module(capsys, {"source": "file", "paths": [str(tmp_path / "nope.log")]})
    assert result["failed"] and "nope.log" in result["msg"]


def test_journal_reads_the_previous_boot(capsys, monkeypatch):
    calls = []

    def fake_run_command(self, argv, **kwargs):
        calls.append(argv)
        return 0, "2026-11-26T10:00:00+0000 box kernel: amdgpu 0000:03:00.0: amdgpu: GPU reset begin!\n", ""
    monkeypatch.setattr(amdgpu_log_scan.AnsibleModule, "get_bin_path", lambda self, name, required=False: "/usr/bin/" + name)
    monkeypatch.setattr(amdgpu_log_scan.AnsibleModule, "run_command", fake_run_command)
    result = run_module(capsys, {"source": "journal", "boot": "previous", "since": "-2d"})
    assert calls[-1] == ["/usr/bin/journalctl", "-k", "-o", "short-iso", "--no-pager", "-q", "-b", "-1", "--since", "-2d"]
    assert result["incidents"][0]["outcome"] == "unknown" and result["incidents"][0]["severity"] == "critical"
