# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The metrics the health program writes, checked by Prometheus' own promtool, and the alerting
rules shipped with the monitor role, run by promtool's rule unit tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess

import pytest

from test_stability_health import append, check, host  # noqa: F401  pylint: disable=unused-import

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def promtool():
    path = os.path.join(REPO, ".tools", "promtool")
    found = path if os.access(path, os.X_OK) else shutil.which("promtool")
    assert found, "promtool is missing: run make setup (it takes it from Debian's prometheus package)"
    return found


def check_metrics(path):
    with open(path, "rb") as handle:
        process = subprocess.run([promtool(), "check", "metrics"], input=handle.read(), stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, check=False)
    return process.returncode, process.stdout.decode()


@pytest.mark.parametrize("story", ["quiet", "recovered", "failed", "lock held"])
def test_every_file_the_program_writes_is_clean_for_promtool(host, story):  # noqa: F811
    import fcntl
    if story in ("recovered", "failed", "lock held"):
        append(host["log"], "seed-dmesg.log")
    if story == "failed":
        append(host["log"], "failed-reset-7.2-syslog.log")
    check(host)
    if story == "lock held":
        with open(os.path.join(host["state"], "lock"), "a") as held:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX)
            check(host)
    path = os.path.join(host["prom"], "amdgpu.prom")
    rc, output = check_metrics(path)
    assert rc == 0 and output == "", output
    text = open(path).read()
    assert "# TYPE amdgpu_stability_hangs_total counter" in text or "# TYPE amdgpu_stability_hangs counter" in text
    assert os.listdir(host["prom"]) == ["amdgpu.prom"]      # no temporary file left


def test_promtool_finds_what_is_wrong_in_a_bad_file(tmp_path):
    bad = tmp_path / "bad.prom"
    bad.write_text("# TYPE amdgpu_stability_hangs counter\namdgpu_stability_hangs{pci_slot=\"x\"} 1\n")
    rc, output = check_metrics(str(bad))
    assert rc != 0 or "counter metrics should have \"_total\" suffix" in output


def test_the_alerting_rules_pass_their_unit_tests():
    process = subprocess.run([promtool(), "test", "rules", "amdgpu_stability.rules.test.yml"],
                             cwd=os.path.join(REPO, "tests", "prometheus"), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, check=False)
    assert process.returncode == 0, process.stdout.decode()
    assert "SUCCESS" in process.stdout.decode()
