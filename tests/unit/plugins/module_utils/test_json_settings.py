# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils.json_settings import (
    SettingsError, holds, loads, merged, strip_comments, unmerged)

# What VS Code writes into a new ~/.vscode/argv.json (abridged), plus a trailing comma.
VSCODE_ARGV = """// This configuration file allows you to pass permanent command line arguments to VS Code.
// Only a subset of arguments is currently supported to reduce the likelihood of breaking
// the installation.
{
\t// Use software rendering instead of hardware accelerated rendering.
\t// This can help in cases where you see rendering issues in VS Code.
\t// "disable-hardware-acceleration": true,

\t/* Unique id used for correlating crash reports sent from this instance. */
\t"crash-reporter-id": "5e1c0a52-http://not-a-comment",
\t"enable-crash-reporter": true,
}
"""


def test_vscode_argv_with_comments_and_trailing_comma():
    expected = {"crash-reporter-id": "5e1c0a52-http://not-a-comment", "enable-crash-reporter": True}
    assert loads(VSCODE_ARGV, comments=True) == expected
    with pytest.raises(SettingsError, match="not valid JSON"):
        loads(VSCODE_ARGV)


def test_strip_comments_keeps_strings():
    assert strip_comments('{"a": "/* x */", "b": "//y"} // z') == '{"a": "/* x */", "b": "//y"} '
    assert strip_comments('[1, 2, ]') == '[1, 2 ]'
    assert strip_comments('{"s": ",}"}') == '{"s": ",}"}'


def test_empty_file_is_an_empty_document_and_other_json_is_refused():
    assert loads("  \n") == {}
    with pytest.raises(SettingsError, match="holds a JSON list, not an object"):
        loads("[1]")


def test_merge_keeps_other_policies():
    document = {"policies": {"DisableTelemetry": True, "HardwareAcceleration": True}, "other": 1}
    result = merged(document, {"policies": {"HardwareAcceleration": False}})
    assert result == {"policies": {"DisableTelemetry": True, "HardwareAcceleration": False}, "other": 1}
    assert document["policies"]["HardwareAcceleration"] is True   # not modified in place
    assert holds(result, {"policies": {"HardwareAcceleration": False}})
    assert not holds(document, {"policies": {"HardwareAcceleration": False}})


def test_unmerge_removes_only_what_still_has_our_value():
    ours = {"policies": {"HardwareAcceleration": False}}
    assert unmerged({"policies": {"HardwareAcceleration": False, "DisableTelemetry": True}}, ours) == {
        "policies": {"DisableTelemetry": True}}
    assert unmerged({"policies": {"HardwareAcceleration": False}}, ours) == {}
    assert unmerged({"policies": {"HardwareAcceleration": True}}, ours) == {"policies": {"HardwareAcceleration": True}}
    assert unmerged({"policies": {}}, ours) == {"policies": {}}     # an empty object that was there stays
    assert unmerged({}, ours) == {}


def test_plan_absent_removes_only_what_it_emptied():
    from ansible_collections.amdgpu.stability.plugins.module_utils import json_settings as js
    settings = {"HardwareAcceleration": False}
    assert js.plan({}, settings, "absent", remove_if_empty=True) == ({}, False)
    assert js.plan(settings, settings, "absent", remove_if_empty=True) == (None, True)
    assert js.plan(settings, settings, "absent") == ({}, True)
    assert js.plan(None, settings, "absent", remove_if_empty=True) == (None, False)
    assert js.plan(None, settings, "present") == (settings, True)
    assert js.plan(settings, settings, "present") == (settings, False)
