# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monitor under a real systemd: the timer fires, the program counts each recorded hang once,
node_exporter serves its metrics, promtool finds them clean, and absent leaves only the history."""

import hashlib
import os
import subprocess
import time

import pytest

REPO = os.environ.get("MOLECULE_PROJECT_DIRECTORY", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PROGRAM = "/usr/local/sbin/amdgpu-stability-health"
CODE = "/usr/local/lib/amdgpu-stability/amdgpu-stability-health.zip"
TEXTFILE = "/var/lib/prometheus/node-exporter/amdgpu_stability.prom"
SERVICE = "amdgpu-stability-health.service"


def name(host):
    return host.backend.get_hostname()


def present(host):
    if name(host) == "mon-absent":
        pytest.skip("mon-absent: the monitor was removed (its own test below)")


def show(host, prop):
    return host.check_output("systemctl show -p %s --value %s" % (prop, SERVICE)).strip()


def run_check(host):
    """One run by systemd, as the timer starts it; returns the program's exit status."""
    host.check_output("systemctl start %s" % SERVICE)
    return int(show(host, "ExecMainStatus"))


def samples(host, family):
    found = {}
    for line in host.file(TEXTFILE).content_string.splitlines():
        if line.startswith(family + "{") or line.startswith(family + " "):
            labels, _space, value = line.rpartition(" ")
            found[labels[len(family):]] = float(value)
    return found


def promtool_clean(text):
    promtool = os.path.join(REPO, ".tools", "promtool")
    process = subprocess.run([promtool, "check", "metrics"], input=text.encode(), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, check=False)
    return process.returncode == 0 and process.stdout == b"", process.stdout.decode()


def test_the_program_is_the_collections_own_code(host):
    present(host)
    program = host.file(PROGRAM)
    assert program.mode == 0o755 and program.user == "root"
    for module in ("stability_health.py", "amdgpu_log.py", "amdgpu_log_data.py", "stability_ledger.py"):
        with open(os.path.join(REPO, "plugins", "module_utils", module), "rb") as handle:
            wanted = hashlib.sha256(handle.read()).hexdigest()
        inside = host.check_output(
            "python3 -c \"import hashlib, zipfile; print(hashlib.sha256(zipfile.ZipFile('%s').read("
            "'ansible_collections/amdgpu/stability/plugins/module_utils/%s')).hexdigest())\"" % (CODE, module))
        assert inside == wanted, module
    assert host.run(PROGRAM + " --help").rc == 0
    # The timer's first run unpacked it, with bytecode compiled by the host's own Python.
    unpacked = host.check_output("find /var/cache/amdgpu-stability -path '*/module_utils/__pycache__/stability_health.*.pyc'")
    assert unpacked.startswith("/var/cache/amdgpu-stability/code-"), unpacked


def test_the_timer_is_enabled_and_really_fires(host):
    present(host)
    assert host.check_output("systemctl is-enabled amdgpu-stability-health.timer") == "enabled"
    assert host.check_output("systemctl is-active amdgpu-stability-health.timer") == "active"
    before = show(host, "ExecMainExitTimestampMonotonic")
    deadline = time.time() + 60
    while show(host, "ExecMainExitTimestampMonotonic") == before and time.time() < deadline:
        time.sleep(2)
    assert show(host, "ExecMainExitTimestampMonotonic") != before, "the timer did not start the check in 60 s"


def test_node_exporter_serves_the_metrics_on_loopback(host):
    if name(host) != "mon-exporter":
        pytest.skip("node_exporter runs on mon-exporter")
    assert run_check(host) == 0                  # no GPU, no hang, nothing expected: OK
    fetch = ("python3 -c \"import urllib.request; "
             "print(urllib.request.urlopen('http://127.0.0.1:9100/metrics', timeout=10).read().decode())\"")
    deadline = time.time() + 30
    text = ""
    while "amdgpu_stability_health_status" not in text and time.time() < deadline:
        text = host.run(fetch).stdout
        time.sleep(1)
    assert "amdgpu_stability_health_status 0" in text
    assert "amdgpu_stability_scan_errors 0" in text
    assert 'node_textfile_scrape_error 0' in text
    clean, output = promtool_clean(host.file(TEXTFILE).content_string)
    assert clean, output


def test_each_recorded_hang_is_counted_once(host):
    if name(host) != "mon-files":
        pytest.skip("mon-files reads a kernel log file")
    log = "/var/log/amdgpu-test/kern.log"
    host.check_output("cat /var/log/amdgpu-test/seed-dmesg.log >> %s" % log)
    assert run_check(host) == 1                  # a hang the driver recovered: WARNING
    hangs = "amdgpu_stability_hangs_total"
    assert samples(host, hangs) == {'{method="mode1",outcome="recovered",pci_slot="0000:2f:00.0"}': 1.0}
    assert run_check(host) == 1
    assert samples(host, hangs) == {'{method="mode1",outcome="recovered",pci_slot="0000:2f:00.0"}': 1.0}
    host.check_output("cat /var/log/amdgpu-test/failed-reset-7.2-syslog.log >> %s" % log)
    assert run_check(host) == 2                  # a failed reset in this boot: CRITICAL
    assert samples(host, hangs) == {'{method="mode1",outcome="recovered",pci_slot="0000:2f:00.0"}': 1.0,
                                    '{method="none",outcome="failed",pci_slot="0000:03:00.0"}': 1.0}
    assert samples(host, "amdgpu_stability_health_status") == {"": 2.0}
    boot = host.file("/proc/sys/kernel/random/boot_id").content_string.strip().replace("-", "")
    ledger = host.file("/var/lib/amdgpu-stability/boots/%s.json" % boot)
    assert ledger.exists and '"outcome": "failed"' in ledger.content_string
    clean, output = promtool_clean(host.file(TEXTFILE).content_string)
    assert clean, output
    summary = host.run(PROGRAM + " --log-file %s" % log)
    assert summary.rc == 2 and summary.stdout.startswith("AMDGPU-STABILITY CRITICAL - 0000:03:00.0")


def test_absent_removes_what_the_role_added_and_keeps_the_history(host):
    if name(host) != "mon-absent":
        pytest.skip("only mon-absent had the monitor removed")
    for path in (PROGRAM, "/usr/local/lib/amdgpu-stability", "/var/cache/amdgpu-stability", "/etc/amdgpu-stability",
                 "/etc/systemd/system/amdgpu-stability-health.service",
                 "/etc/systemd/system/amdgpu-stability-health.timer", TEXTFILE):
        assert not host.file(path).exists, path
    # The client package came with the role: it went with it.
    assert not host.package("python3-prometheus-client").is_installed
    assert host.run("systemctl cat amdgpu-stability-health.timer").rc != 0
    boots = host.check_output("ls /var/lib/amdgpu-stability/boots")
    assert boots.endswith(".json")
