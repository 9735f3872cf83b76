# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scheduler integrations the monitor role ships, run against a stand-in for the health program
that exits with a given status: the LBNL NHC check (in bash, with NHC's die() as NHC defines it) and
the node-problem-detector custom plugin's command (its exit-status convention is 0 OK, 1 problem,
2 unknown)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess

import jinja2
import pytest

REPO = os.path.join(os.path.dirname(__file__), "..", "..", "..")
ROLE = os.path.join(REPO, "roles", "monitor")


def stand_in(tmp_path, status, first_line="AMDGPU-STABILITY CRITICAL - 0000:03:00.0 ...: a GPU hang the driver did not recover"):
    program = tmp_path / "amdgpu-stability-health"
    program.write_text("#!/bin/sh\necho '%s'\necho 'second line'\nexit %d\n" % (first_line, status))
    program.chmod(0o755)
    return str(program)


def nhc_check(program):
    with open(os.path.join(ROLE, "templates", "etc", "nhc", "scripts", "amdgpu_stability.nhc.j2")) as handle:
        template = jinja2.Template(handle.read())
    return template.render(ansible_managed="test", __monitor_plan={"exec_start": program + " --state-dir /tmp/x"})


@pytest.mark.parametrize("status,fails", [(0, False), (1, False), (2, True), (3, True)])
def test_the_nhc_check_fails_the_node_on_critical_and_unknown(tmp_path, status, fails):
    check = tmp_path / "amdgpu_stability.nhc"
    check.write_text(nhc_check(stand_in(tmp_path, status)))
    # NHC's die(): records the message and returns its first argument.
    script = ("die() { echo \"DIE $*\"; return $1; }\n. %s\ncheck_amdgpu_stability; echo \"RC $?\"\n" % check)
    output = subprocess.run(["bash", "-c", script], stdout=subprocess.PIPE, check=True, timeout=60).stdout.decode()
    if fails:
        assert "DIE 1 check_amdgpu_stability: AMDGPU-STABILITY CRITICAL - 0000:03:00.0" in output
        assert "second line" not in output and "RC 1" in output
    else:
        assert "DIE" not in output and "RC 0" in output


def test_the_nhc_check_asks_again_while_the_timer_holds_the_lock(tmp_path):
    marker = tmp_path / "tried"
    program = tmp_path / "amdgpu-stability-health"
    program.write_text("#!/bin/sh\nif [ ! -e %s ]; then touch %s; echo 'AMDGPU-STABILITY UNKNOWN - /x: another run of the "
                       "health program holds the lock'; exit 3; fi\necho 'AMDGPU-STABILITY OK - 1 GPU'; exit 0\n" % (marker, marker))
    program.chmod(0o755)
    check = tmp_path / "amdgpu_stability.nhc"
    check.write_text(nhc_check(str(program)).replace("sleep 5", "sleep 0"))
    output = subprocess.run(["bash", "-c", "die() { echo \"DIE $*\"; return $1; }\n. %s\ncheck_amdgpu_stability; echo \"RC $?\"" % check],
                            stdout=subprocess.PIPE, check=True, timeout=60).stdout.decode()
    assert "DIE" not in output and "RC 0" in output


@pytest.mark.parametrize("status,npd", [(0, 0), (1, 0), (2, 1), (3, 2)])
def test_the_node_problem_detector_plugin_maps_the_status_to_its_convention(tmp_path, status, npd):
    with open(os.path.join(ROLE, "files", "node-problem-detector", "amdgpu-stability.json")) as handle:
        config = json.load(handle)
    rule = config["rules"][0]
    assert config["plugin"] == "custom" and rule["condition"] == config["conditions"][0]["type"]
    command = rule["args"][1].replace("/usr/local/sbin/amdgpu-stability-health", stand_in(tmp_path, status))
    assert subprocess.run([rule["path"], rule["args"][0], command], stdout=subprocess.PIPE, check=False,
                          timeout=60).returncode == npd
