# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monitor role's decisions: its inputs checked, the health program's command line, the packages
it must install (and so may remove again), and what the host is expected to run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.amdgpu.stability.plugins.plugin_utils.amdgpu_role import as_bool
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import (
    kernel_arg_problems, module_option_problems)

PROGRAM = "/usr/local/sbin/amdgpu-stability-health"
TEXTFILE_NAME = "amdgpu_stability.prom"
CLIENT_PACKAGE = "python3-prometheus-client"
NODE_EXPORTER_PACKAGE = "prometheus-node-exporter"
# systemd.time(7) time spans: "5min", "1h 30min", "90s", "2h".
_SPAN_UNITS = r"(?:usec|us|µs|msec|ms|seconds|second|sec|s|minutes|minute|min|m|hours|hour|hr|h|days|day|d|weeks|week|w)"
_SPAN = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*%s\s*)+$" % _SPAN_UNITS)
# What may stand in a path or a --since value on an ExecStart= line without quoting.
_PLAIN = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")


def _path_problem(name, value):
    if not isinstance(value, str) or not value.startswith("/"):
        return "%s: %r is not an absolute path" % (name, value)
    if not _PLAIN.match(value):
        return "%s: %r has characters a systemd command line would need quoted (spaces, quotes, $, ...)" % (name, value)
    return None


_NODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _interval_problems(value):
    try:
        seconds = int(str(value))
    except ValueError:
        seconds = 0
    if isinstance(value, bool) or seconds <= 0:
        return ["monitor_slurm_health_check_interval: %r must be a whole number of seconds above 0 (slurm.conf "
                "HealthCheckInterval)" % (value,)]
    return []


def problems(settings):
    """One message per unusable setting, naming the variable and the fix."""
    found = []
    interval = settings.get("monitor_interval")
    if not isinstance(interval, str) or not _SPAN.match(interval):
        found.append("monitor_interval: %r is not a systemd time span; write e.g. '5min', '1h', '90s'" % (interval,))
    window = settings.get("monitor_window_hours")
    if isinstance(window, bool) or not isinstance(window, (int, float)) or window <= 0:
        found.append("monitor_window_hours: %r must be a number of hours above 0" % (window,))
    textfile_dir = settings.get("monitor_textfile_dir")
    if textfile_dir:
        problem = _path_problem("monitor_textfile_dir", textfile_dir)
        if problem:
            found.append(problem + "; or '' for no metrics")
    state_dir = settings.get("monitor_state_dir")
    problem = _path_problem("monitor_state_dir", state_dir)
    if problem:
        found.append(problem)
    log_files = settings.get("monitor_log_files")
    if not isinstance(log_files, list):
        found.append("monitor_log_files: must be a list of absolute paths ([] reads the journal)")
    else:
        found.extend(filter(None, (_path_problem("monitor_log_files[%d]" % index, path)
                                   for index, path in enumerate(log_files))))
    since = settings.get("monitor_since")
    if since and (not isinstance(since, str) or not _PLAIN.match(since.replace(" ", "_"))):
        found.append("monitor_since: %r is not a journalctl --since value (e.g. '-7d', '2026-11-01')" % (since,))
    if settings.get("monitor_node_exporter") and not textfile_dir:
        found.append("monitor_node_exporter: node_exporter would have nothing to read; set monitor_textfile_dir")
    if as_bool(settings.get("monitor_slurm_health_check")):
        node = settings.get("monitor_slurm_node")
        if not isinstance(node, str) or not _NODE.match(node):
            found.append("monitor_slurm_node: %r is not a Slurm NodeName (letters, digits, '-', '_', '.')" % (node,))
        found.extend(_interval_problems(settings.get("monitor_slurm_health_check_interval")))
    root = settings.get("monitor_test_root", "/")
    if root != "/":
        problem = _path_problem("monitor_test_root", root)
        if problem:
            found.append(problem)
    found.extend(module_option_problems(settings.get("monitor_expected_options"), source="monitor_expected_options"))
    found.extend(kernel_arg_problems(settings.get("monitor_expected_kernel_args"), source="monitor_expected_kernel_args"))
    return found


def command_line(settings):
    """The health program's arguments for the systemd service (each checked to need no quoting)."""
    argv = [PROGRAM, "--state-dir", settings["monitor_state_dir"], "--window", "%g" % settings["monitor_window_hours"]]
    if settings.get("monitor_test_root", "/") != "/":
        argv += ["--root", settings["monitor_test_root"]]
    if settings.get("monitor_textfile_dir"):
        argv += ["--textfile", "%s/%s" % (settings["monitor_textfile_dir"].rstrip("/"), TEXTFILE_NAME)]
    for path in settings.get("monitor_log_files") or []:
        argv += ["--log-file", path]
    if settings.get("monitor_since"):
        argv += ["--since", '"%s"' % settings["monitor_since"]]
    return argv


def wanted_packages(settings):
    wanted = []
    if settings.get("monitor_textfile_dir"):
        wanted.append(CLIENT_PACKAGE)
    if settings.get("monitor_node_exporter"):
        wanted.append(NODE_EXPORTER_PACKAGE)
    return wanted


def plan(settings, installed, recorded=None):
    """``installed``: the packages dpkg has now; ``recorded``: those an earlier run of the role
    installed itself. ``to_install`` are installed and recorded; ``absent`` removes only recorded ones."""
    wanted = wanted_packages(settings)
    recorded = list(recorded or [])
    to_install = [name for name in wanted if name not in installed]
    return {
        "problems": problems(settings),
        "command": command_line(settings),
        "exec_start": " ".join(command_line(settings)),
        "packages": wanted,
        "to_install": to_install,
        "record": sorted(set(recorded) | set(to_install)),
        "expected": {"options": dict(settings.get("monitor_expected_options") or {}),
                     "kernel_args": list(settings.get("monitor_expected_kernel_args") or [])},
        "textfile": ("%s/%s" % (settings["monitor_textfile_dir"].rstrip("/"), TEXTFILE_NAME)
                     if settings.get("monitor_textfile_dir") else None),
    }
