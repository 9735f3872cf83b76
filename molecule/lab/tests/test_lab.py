# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two rollouts of lab.yml (serial 2): max_fail_percentage 0 stops at the broken host's batch, 50
lets it pass. Checked on the controller (reports, ansible-playbook output) and on the hosts."""

import glob
import json
import os
import re
import subprocess

import pytest
import testinfra

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUTPUT = os.path.join(REPO, "tests", "output", "lab")
HOSTS = ["lab-a-deb12", "lab-b-deb13", "lab-c-busy", "lab-d-broken", "lab-e-ubuntu", "lab-f-converged", "lab-g-sentinel"]


def report(run, suffix="json"):
    found = glob.glob(os.path.join(OUTPUT, run, "lab-*." + suffix))
    assert len(found) == 1, "one report per run (the check run writes none): %s" % found
    if suffix != "json":
        return found[0]
    with open(found[0]) as handle:
        return json.load(handle)


def rows(run):
    return dict((row["host"], row) for row in report(run)["hosts"])


def recap(run):
    with open(os.path.join(OUTPUT, run + ".log")) as handle:
        text = handle.read()
    return dict((host, dict((key, int(value)) for key, value in re.findall(r"(\w+)=(\d+)", counts)))
                for host, counts in re.findall(r"^(\S+)\s+: (ok=.*)$", text, re.M))


def test_batches_follow_serial():
    assert report("stop-at-first-failure")["batches"] == [HOSTS[0:2], HOSTS[2:4]]
    assert report("allow-half")["batches"] == [HOSTS[0:2], HOSTS[2:4], HOSTS[4:6], HOSTS[6:]]


def test_max_fail_percentage_0_stops_after_the_failing_batch():
    first = report("stop-at-first-failure")
    assert first["stopped"] is True
    assert first["summary"].endswith("rollout stopped after batch 2 (amdgpu_lab_max_fail_percentage 0)")
    hosts = rows("stop-at-first-failure")
    assert hosts["lab-e-ubuntu"]["outcome"] == hosts["lab-f-converged"]["outcome"] == "not_reached"
    assert hosts["lab-g-sentinel"]["outcome"] == "not_reached"
    # Ansible ran nothing on the hosts after the stop.
    assert "lab-e-ubuntu" not in recap("stop-at-first-failure")


def test_max_fail_percentage_50_lets_one_failure_in_two_pass():
    second = report("allow-half")
    assert second["stopped"] is False and second["summary"].endswith("rollout completed")
    assert second["counts"]["failed"] == 1 and second["counts"]["not_reached"] == 0
    assert second["summary"].startswith("7 host(s) in 4 batch(es): 2 changed, 4 unchanged, 1 failed, 0 unreachable, "
                                        "0 not reached; reboots: 0 done, 2 skipped as busy, 1 handed over, 3 pending")


@pytest.mark.parametrize("run", ["stop-at-first-failure", "allow-half"])
def test_the_broken_host_is_reported_with_its_error(run):
    broken = rows(run)["lab-d-broken"]
    assert broken["outcome"] == "failed" and broken["changed"] is False
    assert broken["failure"]["msg"] == "Destination /etc/default/grub.d not writable"
    assert recap(run)["lab-d-broken"]["failed"] == 1


def test_the_busy_host_is_not_rebooted():
    busy = rows("stop-at-first-failure")["lab-c-busy"]
    assert busy["outcome"] == "busy" and busy["reboot_decision"] == "busy"
    assert busy["busy_processes"] == [977, 4242]
    assert busy["reboot_skipped_because"] == \
        "busy: 2 GPU compute process(es), PIDs 977, 4242 (amdgpu_reboot_when_busy skip)"


def test_the_busy_command_is_waited_for_then_skipped():
    waited = rows("stop-at-first-failure")["lab-b-deb13"]
    assert waited["outcome"] == "busy"
    assert waited["reboot_skipped_because"] == \
        "busy: amdgpu_reboot_busy_command exited 3 after waiting 2 s (amdgpu_reboot_when_busy wait)"


def test_idle_and_forced_hosts_reach_the_reboot():
    # Reboot allowed and required (the command line changed); idle, or busy with force: only the container stops it.
    for host in ("lab-a-deb12", "lab-e-ubuntu"):
        row = rows("allow-half")[host]
        assert row["reboot_decision"] == "impossible", host
        assert row["reboot_skipped_because"] == "the host is a container, which has no boot of its own"
    assert rows("allow-half")["lab-e-ubuntu"]["busy_forced"] is True
    assert rows("allow-half")["lab-a-deb12"]["busy_forced"] is False


def test_first_rollout_changes_second_does_not():
    first, second = rows("stop-at-first-failure"), rows("allow-half")
    for host in ("lab-a-deb12", "lab-b-deb13", "lab-c-busy"):
        assert first[host]["changed"] is True and "/etc/modprobe.d/amdgpu.conf" in first[host]["changed_files"]
        assert second[host]["changed"] is False and second[host]["changed_files"] == []
    assert second["lab-e-ubuntu"]["changed"] is True


def test_the_converged_host_changes_nothing():
    row = rows("allow-half")["lab-f-converged"]
    assert row["changed"] is False and row["reboot_decision"] != "rebooted"
    assert recap("allow-half")["lab-f-converged"]["changed"] == 0


def test_converged_hosts_are_read_once_and_left_alone():
    # amdgpu_plan found nothing to do but report the reboot it may not make: the role ended after it,
    # with the decision the whole run gives (the others, with reboots allowed, went the whole way).
    second = rows("allow-half")
    assert [host for host in HOSTS if second[host].get("converged")] == ["lab-f-converged"]
    assert second["lab-f-converged"]["reboot_decision"] == "not_allowed"
    assert second["lab-f-converged"]["reboot_skipped_because"] == "amdgpu_reboot_ok is false"
    assert not any(row.get("converged") for row in rows("stop-at-first-failure").values())


def test_option_statuses_are_reported():
    statuses = rows("allow-half")["lab-a-deb12"]["option_status"]
    assert statuses and set(statuses.values()) == {"configured"}


def test_html_report_renders():
    page = "file://" + report("allow-half", "html")
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    assert dom.count("<tr>") == 1 + len(HOSTS) and "rollout completed" in dom


def test_markdown_report_lists_every_host():
    with open(report("allow-half", "md")) as handle:
        text = handle.read()
    assert all("| %s |" % host in text for host in HOSTS)


def test_the_broken_host_has_nothing_written():
    broken = testinfra.get_host("podman://lab-d-broken")
    assert not broken.file("/etc/modprobe.d/amdgpu.conf").exists
    assert "amdgpu" not in broken.file("/etc/default/grub").content_string
    assert broken.check_output("ls /etc/default/grub.d") == "README"


def test_the_sentinel_host_hands_its_reboot_over_and_keeps_the_packages_line():
    row = rows("allow-half")["lab-g-sentinel"]
    assert row["outcome"] == "handed_over" and row["reboot_decision"] == "handed_to_sentinel"
    assert row["reboot_skipped_because"].startswith("handed to /var/run/reboot-required")
    host = testinfra.get_host("podman://lab-g-sentinel")
    assert host.file("/var/run/reboot-required").content_string == "*** System restart required ***\n"
    assert host.file("/var/run/reboot-required.pkgs").content_string == "linux-image-6.12.57+deb13-amd64\namdgpu.stability\n"
    assert recap("allow-half")["lab-g-sentinel"]["failed"] == 0
