# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the desktops' own programs see after rocm_env and browser_hwaccel: login shells (bash and
dash), the systemd user manager (systemd-run --user), Chromium's chrome://policy and
Firefox's policy engine, and the users' Electron settings files."""

import json

import pytest

SEED_ENV = {
    "HIP_VISIBLE_DEVICES": "0", "HSA_OVERRIDE_GFX_VERSION": "11.0.0", "PYTORCH_ROCM_ARCH": "gfx1100",
    "PYTORCH_HIP_ALLOC_CONF": "garbage_collection_threshold:0.8,max_split_size_mb:512",
}
# The iGPU probed first: KFD node 1 is the Raphael, so the RX 7800 XT is HIP device 1.
IGPU_FIRST_ENV = {
    "HIP_VISIBLE_DEVICES": "1", "PYTORCH_ROCM_ARCH": "gfx1101",
    "PYTORCH_HIP_ALLOC_CONF": "garbage_collection_threshold:0.8,max_split_size_mb:512",
    "MIOPEN_USER_DB_PATH": "/var/tmp/miopen-db",
}
NAMES = sorted(set(SEED_ENV) | set(IGPU_FIRST_ENV))
EXPECTED = {"desk-seed": SEED_ENV, "desk-igpu-first": IGPU_FIRST_ENV, "desk-absent": {}}


def name(host):
    return host.backend.get_hostname()


def environment(text):
    found = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    return dict((key, value) for key, value in found.items() if key in NAMES)


def printenv(host, command):
    return environment(host.check_output(command + " 2>/dev/null || true"))


# As alice, with an empty environment, without a PAM session (su - would open one through pam_systemd
# and tie the shell to the user manager the next test restarts).
AS_ALICE = "runuser -u alice -- env -i HOME=/home/alice USER=alice LOGNAME=alice "


@pytest.mark.parametrize("shell", ["/bin/bash", "/bin/sh"])
def test_login_shells_see_the_environment(host, shell):
    # A login shell (-l; dash is /bin/sh here) reads /etc/profile, which sources /etc/profile.d/*.sh.
    assert printenv(host, AS_ALICE + "%s -l -c printenv" % shell) == EXPECTED[name(host)]


def test_a_non_login_shell_does_not(host):
    # Documented limit: profile.d is for login shells; terminals of a graphical session get the values
    # from the user manager (environment.d), tested below.
    assert printenv(host, AS_ALICE + "/bin/bash -c printenv") == {}


def test_systemd_user_services_see_the_environment(host):
    uid = host.check_output("id -u alice")
    # A fresh user manager, as at a login: it reads /etc/environment.d when it starts. A plain stop of
    # a manager a login left behind waits two minutes in a container; KILL ends it at once.
    host.check_output("systemctl kill -s KILL user@{0}.service; sleep 0.5; systemctl stop user@{0}.service; "
                      "systemctl reset-failed user@{0}.service 2>/dev/null; systemctl start user@{0}.service".format(uid))
    user = "runuser -u alice -- env XDG_RUNTIME_DIR=/run/user/%s " % uid
    assert printenv(host, user + "systemd-run --user --wait --pipe --quiet printenv") == EXPECTED[name(host)]
    assert printenv(host, user + "systemctl --user show-environment") == EXPECTED[name(host)]


def test_environment_files(host):
    profile = host.file("/etc/profile.d/amdgpu-stability-rocm.sh")
    environment_d = host.file("/etc/environment.d/60-amdgpu-stability-rocm.conf")
    if name(host) == "desk-absent":
        assert not profile.exists and not environment_d.exists
        return
    for managed in (profile, environment_d):
        assert managed.user == "root" and managed.mode == 0o644
    assert "export HIP_VISIBLE_DEVICES='%s'" % EXPECTED[name(host)]["HIP_VISIBLE_DEVICES"] in profile.content_string
    assert "# the discrete GPU(s)" in environment_d.content_string
    assert "HSA_OVERRIDE_GFX_VERSION" not in environment_d.content_string or name(host) == "desk-seed"


def policy_probe(host, kind):
    return json.loads(host.check_output("python3 /usr/local/lib/browser_policy.py %s" % kind))


def test_chromium_reports_the_policy_applied(host):
    rows = dict((row[0], row[1:]) for row in policy_probe(host, "chromium")["rows"])
    if name(host) == "desk-absent":
        assert "HardwareAccelerationModeEnabled" not in rows
        assert not host.file("/etc/chromium/policies/managed/amdgpu-stability-hwaccel.json").exists
        return
    # value, source, scope, level, status - as chrome://policy shows them.
    assert rows["HardwareAccelerationModeEnabled"][:5] == ["false", "Platform", "Machine", "Mandatory", "OK"]


def test_firefox_policy_engine_applied_it_and_kept_the_site_policy(host):
    state = policy_probe(host, "firefox")
    assert state["browser"].startswith("firefox ")
    assert state["status"] == "active"
    assert state["active"]["DisableTelemetry"] is True
    if name(host) == "desk-absent":
        assert "HardwareAcceleration" not in state["active"]
        assert state["prefs"]["layers.acceleration.disabled"] == {"value": False, "locked": False}
        assert json.loads(host.file("/etc/firefox/policies/policies.json").content_string) == {
            "policies": {"DisableTelemetry": True}}
        return
    assert state["active"]["HardwareAcceleration"] is False
    # The policy locks the preference that turns acceleration off.
    assert state["prefs"]["layers.acceleration.disabled"] == {"value": True, "locked": True}


def test_policy_files_only_for_the_chosen_browsers(host):
    chrome = host.file("/etc/opt/chrome/policies/managed/amdgpu-stability-hwaccel.json")
    if name(host) == "desk-seed":
        assert json.loads(chrome.content_string) == {"HardwareAccelerationModeEnabled": False}
        assert chrome.user == "root" and chrome.mode == 0o644
        for directory in ("/etc/brave/policies/managed", "/etc/opt/edge/policies/managed"):
            assert host.file(directory + "/amdgpu-stability-hwaccel.json").exists
    elif name(host) == "desk-igpu-first":
        assert not host.file("/etc/opt/chrome").exists and not host.file("/etc/brave").exists
    else:
        assert not chrome.exists


def settings(host, path):
    return json.loads(host.file(path).content_string)


def test_electron_settings_merged_for_alice(host):
    argv, discord = "/home/alice/.vscode/argv.json", "/home/alice/.config/discord/settings.json"
    slack = "/home/alice/.config/Slack/local-settings.json"
    if name(host) == "desk-igpu-first":
        assert "disable-hardware-acceleration" not in host.file(argv).content_string.replace('// "disable', "")
        return
    if name(host) == "desk-absent":
        assert settings(host, argv) == {"enable-crash-reporter": True,
                                        "crash-reporter-id": "5e1c0a52-9d3f-4a61-8c55-2f1c0d5e7a10"}
        assert settings(host, discord) == {"BACKGROUND_COLOR": "#202225", "IS_MAXIMIZED": True}
        assert not host.file(slack).exists       # created by the role, emptied, removed
        return
    assert settings(host, argv) == {"enable-crash-reporter": True, "crash-reporter-id": "5e1c0a52-9d3f-4a61-8c55-2f1c0d5e7a10",
                                    "disable-hardware-acceleration": True}
    assert settings(host, discord) == {"BACKGROUND_COLOR": "#202225", "IS_MAXIMIZED": True, "enableHardwareAcceleration": False}
    assert settings(host, slack) == {"useHwAcceleration": False}
    for path in (argv, discord, slack):
        assert host.file(path).user == "alice" and host.file(path).group == "alice"
    assert host.file(slack).mode == 0o600
    assert host.file(discord).mode == 0o600     # the role's mode, not the 0644 alice had


def test_electron_settings_created_for_bob(host):
    if name(host) != "desk-seed":
        assert not host.file("/home/bob/.vscode").exists
        return
    assert settings(host, "/home/bob/.vscode/argv.json") == {"disable-hardware-acceleration": True}
    for directory in ("/home/bob/.vscode", "/home/bob/.config", "/home/bob/.config/discord", "/home/bob/.config/Slack"):
        created = host.file(directory)
        assert created.is_directory and created.user == "bob" and created.mode == 0o700, directory
