# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json


from ansible_collections.amdgpu.stability.plugins.modules import amdgpu_params

import conftest


def run_module(capsys, args):
    return conftest.run_module(capsys, amdgpu_params, args)


def fake_root(tmp_path, release="6.18.15+deb13-amd64"):
    (tmp_path / "proc/sys/kernel").mkdir(parents=True)
    (tmp_path / "proc/sys/kernel/osrelease").write_text(release + "\n")
    (tmp_path / "proc/cmdline").write_text("ro quiet amdgpu.runpm=0\n")
    return str(tmp_path)


def test_bundled_data_under_a_root(tmp_path, capsys):
    result = run_module(capsys, {"root": fake_root(tmp_path), "params": {"runpm": 0, "tmz": "0"}})
    assert not result.get("failed") and result["changed"] is False
    assert result["kernel"] == "6.18.15+deb13-amd64"
    assert result["metadata_source"] == "bundled" and result["metadata_kernels"] == ["6.18.15+deb13-amd64"]
    assert result["params"]["runpm"]["status"] == "configured"
    assert result["params"]["tmz"]["status"] == "not_configured"
    assert "bundled parameter data" in json.dumps(result["warnings"])


def test_fails_on_unknown_and_invalid_naming_each(tmp_path, capsys):
    result = run_module(capsys, {"root": fake_root(tmp_path), "params": {"gfxoff": 0, "dcdebugmask": -1, "tmz": 0}})
    assert result["failed"]
    assert "dcdebugmask: invalid" in result["msg"] and "gfxoff: unknown" in result["msg"]
    assert "tmz" not in result["msg"]
    assert result["params"]["tmz"]["status"] == "not_configured"


def test_fail_on_is_configurable(tmp_path, capsys):
    result = run_module(capsys, {"root": fake_root(tmp_path), "params": {"tmz": 0},
                                 "fail_on": ["not_configured"]})
    assert result["failed"] and "tmz: not_configured" in result["msg"]


def test_kernel_option_picks_the_parameter_set(tmp_path, capsys):
    result = run_module(capsys, {"root": fake_root(tmp_path), "params": {"mes": 0}, "kernel": "7.3.4+deb13-amd64"})
    assert result["failed"] and "mes: unknown" in result["msg"]
    result = run_module(capsys, {"root": fake_root(tmp_path / "x"), "params": {"mes": 0}, "kernel": "6.12.95+deb12-amd64"})
    assert not result.get("failed")


def test_modinfo_output_is_used_on_the_live_root(monkeypatch, capsys):
    def fake_run_command(self, argv, **kwargs):
        assert argv[1:] == ["-k", "6.8.0-90-generic", "-F", "parmtype", "amdgpu"]
        return 0, "runpm:int\nsg_display:int\n", ""
    monkeypatch.setattr(amdgpu_params.AnsibleModule, "get_bin_path", lambda self, name: "/sbin/modinfo")
    monkeypatch.setattr(amdgpu_params.AnsibleModule, "run_command", fake_run_command)
    result = run_module(capsys, {"params": {"runpm": 0, "tmz": 0}, "kernel": "6.8.0-90-generic", "fail_on": []})
    assert result["metadata_source"] == "modinfo"
    assert result["params"]["runpm"]["type"] == "int"
    assert result["params"]["tmz"]["status"] == "unknown"
