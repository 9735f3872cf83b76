# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat

from ansible_collections.amdgpu.stability.plugins.modules import json_settings

from conftest import run_module

FIREFOX = {"policies": {"HardwareAcceleration": False}}


def run(capsys, **args):
    return run_module(capsys, json_settings, args)


def test_merge_into_existing_policies_then_nothing_to_do(tmp_path, capsys):
    path = tmp_path / "policies.json"
    path.write_text('{"policies": {"DisableTelemetry": true}}')
    result = run(capsys, path=str(path), settings=FIREFOX, _ansible_diff=True)
    assert result["changed"] is True and result["existed"] is True
    assert json.loads(path.read_text()) == {"policies": {"DisableTelemetry": True, "HardwareAcceleration": False}}
    assert '"HardwareAcceleration": false' in result["diff"]["after"]
    assert result["diff"]["before"] == '{"policies": {"DisableTelemetry": true}}'
    again = run(capsys, path=str(path), settings=FIREFOX)
    assert again["changed"] is False


def test_a_file_already_holding_the_settings_keeps_its_formatting(tmp_path, capsys):
    path = tmp_path / "settings.json"
    path.write_text('{"enableHardwareAcceleration":false,"theme":"dark"}')
    assert run(capsys, path=str(path), settings={"enableHardwareAcceleration": False})["changed"] is False
    assert path.read_text() == '{"enableHardwareAcceleration":false,"theme":"dark"}'


def test_check_mode_writes_nothing(tmp_path, capsys):
    path = tmp_path / "new" / "dir" / "argv.json"
    result = run(capsys, path=str(path), settings={"disable-hardware-acceleration": True}, _ansible_check_mode=True)
    assert result["changed"] is True and result["after"] == {"disable-hardware-acceleration": True}
    assert not (tmp_path / "new").exists()


def test_create_with_parents_and_modes(tmp_path, capsys):
    path = tmp_path / "home" / ".config" / "discord" / "settings.json"
    (tmp_path / "home").mkdir()
    result = run(capsys, path=str(path), settings={"enableHardwareAcceleration": False}, mode="0600", parent_mode="0700")
    assert result["changed"] is True and result["existed"] is False
    assert json.loads(path.read_text()) == {"enableHardwareAcceleration": False}
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(str(tmp_path / "home" / ".config")).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(str(tmp_path / "home" / ".config" / "discord")).st_mode) == 0o700


def test_create_false_leaves_a_missing_file_missing(tmp_path, capsys):
    path = tmp_path / "local-settings.json"
    result = run(capsys, path=str(path), settings={"useHwAcceleration": False}, create=False)
    assert result["changed"] is False and not path.exists()


def test_mode_drift_alone_is_a_change(tmp_path, capsys):
    path = tmp_path / "policies.json"
    path.write_text(json.dumps(FIREFOX))
    os.chmod(str(path), 0o600)
    assert run(capsys, path=str(path), settings=FIREFOX, mode="0644")["changed"] is True
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o644


def test_jsonc_is_read_when_asked(tmp_path, capsys):
    path = tmp_path / "argv.json"
    path.write_text('// comment\n{"enable-crash-reporter": true, }\n')
    result = run(capsys, path=str(path), settings={"disable-hardware-acceleration": True}, comments=True)
    assert json.loads(path.read_text()) == {"enable-crash-reporter": True, "disable-hardware-acceleration": True}
    assert result["changed"] is True


def test_broken_json_fails_naming_the_file_and_changes_nothing(tmp_path, capsys):
    path = tmp_path / "policies.json"
    path.write_text('{"policies": {')
    result = run(capsys, path=str(path), settings=FIREFOX)
    assert result["failed"] is True
    assert result["msg"].startswith("%s not valid JSON" % path) and "nothing was changed" in result["msg"]
    assert path.read_text() == '{"policies": {'


def test_absent_takes_out_only_ours(tmp_path, capsys):
    path = tmp_path / "policies.json"
    path.write_text(json.dumps({"policies": {"DisableTelemetry": True, "HardwareAcceleration": False}}))
    result = run(capsys, path=str(path), settings=FIREFOX, state="absent", remove_if_empty=True)
    assert result["changed"] is True
    assert json.loads(path.read_text()) == {"policies": {"DisableTelemetry": True}}
    assert run(capsys, path=str(path), settings=FIREFOX, state="absent", remove_if_empty=True)["changed"] is False


def test_absent_removes_a_file_left_empty(tmp_path, capsys):
    path = tmp_path / "amdgpu-stability-hwaccel.json"
    path.write_text(json.dumps({"HardwareAccelerationModeEnabled": False}))
    settings = {"HardwareAccelerationModeEnabled": False}
    result = run(capsys, path=str(path), settings=settings, state="absent", remove_if_empty=True, _ansible_check_mode=True)
    assert result["changed"] is True and path.exists()
    result = run(capsys, path=str(path), settings=settings, state="absent", remove_if_empty=True)
    assert result["changed"] is True and result["after"] is None and not path.exists()
    assert run(capsys, path=str(path), settings=settings, state="absent", remove_if_empty=True)["changed"] is False


def test_absent_keeps_an_empty_file_it_never_wrote(tmp_path, capsys):
    # Regression: remove_if_empty deleted a site's empty policies.json that never held the settings.
    for content in ("{}", "", "{}\n"):
        path = tmp_path / "policies.json"
        path.write_text(content)
        result = run(capsys, path=str(path), settings=FIREFOX, state="absent", remove_if_empty=True)
        assert result["changed"] is False, content
        assert path.read_text() == content


def test_absent_removes_the_file_its_settings_emptied(tmp_path, capsys):
    path = tmp_path / "policies.json"
    path.write_text('{"policies": {"HardwareAcceleration": false}}')
    result = run(capsys, path=str(path), settings=FIREFOX, state="absent", remove_if_empty=True)
    assert result["changed"] is True and result["after"] is None
    assert not path.exists()
