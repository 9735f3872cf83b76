# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.amdgpu.stability.plugins.plugin_utils.monitor_role import plan

SETTINGS = {"monitor_interval": "5min", "monitor_window_hours": 24, "monitor_textfile_dir": "/var/lib/prometheus/node-exporter",
            "monitor_node_exporter": False, "monitor_state_dir": "/var/lib/amdgpu-stability", "monitor_log_files": [],
            "monitor_since": "", "monitor_expected_options": {"runpm": 0}, "monitor_expected_kernel_args": ["iommu=pt"]}


def settings(**changes):
    return dict(SETTINGS, **changes)


def test_defaults_give_the_service_its_command_and_install_the_client_only_when_missing():
    result = plan(SETTINGS, ["python3"])
    assert result["problems"] == []
    assert result["exec_start"] == ("/usr/local/sbin/amdgpu-stability-health --state-dir /var/lib/amdgpu-stability "
                                    "--window 24 --textfile /var/lib/prometheus/node-exporter/amdgpu_stability.prom")
    assert result["to_install"] == ["python3-prometheus-client"] and result["record"] == ["python3-prometheus-client"]
    assert plan(SETTINGS, ["python3-prometheus-client"])["to_install"] == []
    assert result["expected"] == {"options": {"runpm": 0}, "kernel_args": ["iommu=pt"]}


def test_a_package_the_host_had_is_never_recorded_and_a_recorded_one_stays_recorded():
    result = plan(settings(monitor_node_exporter=True), ["prometheus-node-exporter"], recorded=["python3-prometheus-client"])
    assert result["to_install"] == ["python3-prometheus-client"]
    assert result["record"] == ["python3-prometheus-client"]
    assert plan(settings(monitor_textfile_dir=""), [])["packages"] == []


def test_log_files_and_since_reach_the_command_line():
    result = plan(settings(monitor_log_files=["/var/log/kern.log"], monitor_since="-7d", monitor_textfile_dir=""), [])
    assert result["command"][-4:] == ["--log-file", "/var/log/kern.log", "--since", '"-7d"']
    assert result["textfile"] is None


@pytest.mark.parametrize("changes,message", [
    ({"monitor_interval": "5 minutes please"}, "monitor_interval: '5 minutes please' is not a systemd time span"),
    ({"monitor_interval": 300}, "monitor_interval: 300 is not a systemd time span"),
    ({"monitor_window_hours": 0}, "monitor_window_hours: 0 must be a number of hours above 0"),
    ({"monitor_window_hours": True}, "monitor_window_hours: True must be a number"),
    ({"monitor_textfile_dir": "relative/dir"}, "monitor_textfile_dir: 'relative/dir' is not an absolute path"),
    ({"monitor_state_dir": "/var/lib/my state"}, "monitor_state_dir: '/var/lib/my state' has characters"),
    ({"monitor_log_files": "/var/log/kern.log"}, "monitor_log_files: must be a list"),
    ({"monitor_log_files": ["kern.log"]}, "monitor_log_files[0]: 'kern.log' is not an absolute path"),
    ({"monitor_since": "yesterday; rm -rf /"}, "monitor_since: 'yesterday; rm -rf /' is not a journalctl --since value"),
    ({"monitor_node_exporter": True, "monitor_textfile_dir": ""}, "monitor_node_exporter: node_exporter would have nothing"),
    ({"monitor_expected_options": {"amdgpu.runpm": 0}}, "monitor_expected_options.amdgpu.runpm: give the option without"),
    ({"monitor_expected_kernel_args": "iommu=pt"}, "monitor_expected_kernel_args must be a list"),
    ({"monitor_slurm_health_check": True, "monitor_slurm_node": "gpu 01"}, "monitor_slurm_node: 'gpu 01' is not a Slurm NodeName"),
    ({"monitor_slurm_health_check": True, "monitor_slurm_node": "gpu01", "monitor_slurm_health_check_interval": 0},
     "monitor_slurm_health_check_interval: 0 must be a whole number of seconds above 0"),
    ({"monitor_test_root": "srv/box"}, "monitor_test_root: 'srv/box' is not an absolute path"),
])
def test_bad_settings_are_named_with_the_fix(changes, message):
    problems = plan(settings(**changes), [])["problems"]
    assert any(problem.startswith(message) for problem in problems), problems


def test_a_slurm_health_check_is_checked_only_when_asked_for_and_a_test_root_reaches_the_command():
    assert plan(settings(monitor_slurm_health_check="False", monitor_slurm_node="not a name"), [])["problems"] == []
    ok = plan(settings(monitor_slurm_health_check=True, monitor_slurm_node="gpu01.lab", monitor_slurm_health_check_interval="300",
                       monitor_test_root="/srv/box"), [])
    assert ok["problems"] == [] and ok["command"][5:7] == ["--root", "/srv/box"]


@pytest.mark.parametrize("span", ["5min", "1h 30min", "90s", "2h", "1.5h", "10m"])
def test_systemd_time_spans_are_accepted(span):
    assert plan(settings(monitor_interval=span), [])["problems"] == []
