# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health program as Slurm's HealthCheckProgram (--slurm-node): drain on CRITICAL, resume only its
own drain, leave the node alone on UNKNOWN. scontrol here is a stand-in script that prints a node and
records what it is asked; the real Slurm daemons run in the slurm Molecule scenario."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io
import json
import os
import subprocess

import pytest

from conftest import fakeroot
from ansible_collections.amdgpu.stability.plugins.module_utils import slurm_node
from ansible_collections.amdgpu.stability.plugins.module_utils import stability_health as health
from ansible_collections.amdgpu.stability.plugins.module_utils import stability_slurm

LINE = ("NodeName=gpu01 Arch=x86_64 CPUTot=1 OS=Linux 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 "
        "RealMemory=512 State=%s BootTime=2026-12-02T10:00:00 SlurmdStartTime=2026-12-02T10:00:05%s")


def state(flags="IDLE", reason=""):
    fields = slurm_node.parse_show_node(LINE % (flags, " Reason=%s [root@2026-12-02T10:01:00]" % reason if reason else ""))
    return dict(slurm_node.node_state(fields), node="gpu01")


def test_critical_drains_with_the_summary_and_not_twice():
    what, tail = stability_slurm.action(2, state(), "AMDGPU-STABILITY CRITICAL - kernel arg iommu: wanted iommu=pt")
    assert (what, tail) == ("drain", ["update", "nodename=gpu01", "state=DRAIN",
                                      "reason=amdgpu.stability health: AMDGPU-STABILITY CRITICAL - kernel arg iommu: wanted iommu=pt"])
    again = state("IDLE+DRAIN", tail[-1][len("reason="):])
    assert stability_slurm.action(2, again, "AMDGPU-STABILITY CRITICAL - kernel arg iommu: wanted iommu=pt") == ("none", [])
    # Another drain keeps its reason: an operator's, the verify's.
    for reason in ("bad fan", "amdgpu.stability: not in effect after the reboot: x"):
        assert stability_slurm.action(2, state("IDLE+DRAIN", reason), "AMDGPU-STABILITY CRITICAL - x") == ("none", [])


@pytest.mark.parametrize("status", [0, 1])
def test_a_passing_check_resumes_its_own_drain_only(status):
    ours = state("IDLE+DRAIN", "amdgpu.stability health: AMDGPU-STABILITY CRITICAL - gone")
    assert stability_slurm.action(status, ours, "AMDGPU-STABILITY OK") == ("resume", ["update", "nodename=gpu01", "state=RESUME"])
    for other in (state("IDLE+DRAIN", "bad fan"), state("IDLE+DRAIN", "amdgpu.stability: not in effect after the reboot: x"),
                  state("IDLE+DRAIN+REBOOT_REQUESTED", "Reboot ASAP"), state()):
        assert stability_slurm.action(status, other, "AMDGPU-STABILITY OK") == ("none", [])


HANDED_OVER = "amdgpu.stability: reboot to apply: iommu=pt is on the next boot : reboot issued : reboot complete"


@pytest.mark.parametrize("status", [0, 1])
def test_a_passing_check_returns_a_node_held_down_for_the_handed_over_reboot(status):
    # What Slurm 22.05 leaves after scontrol reboot ASAP nextstate=DOWN reason=...: DOWN, the reason kept.
    down = state("DOWN", HANDED_OVER)
    assert stability_slurm.action(status, down, "AMDGPU-STABILITY OK") == ("resume", ["update", "nodename=gpu01", "state=RESUME"])
    # Not while what the check expects still waits for a reboot, nor an operator's DOWN.
    assert stability_slurm.action(status, down, "AMDGPU-STABILITY WARNING", reboot_pending=True) == ("none", [])
    assert stability_slurm.action(status, state("DOWN", "power supply"), "AMDGPU-STABILITY OK") == ("none", [])


@pytest.mark.parametrize("flags", ["DOWN+DRAIN+REBOOT_ISSUED", "IDLE+DRAIN+REBOOT_REQUESTED", "ALLOCATED+DRAIN+REBOOT_REQUESTED"])
@pytest.mark.parametrize("status", [0, 2])
def test_a_reboot_in_progress_is_left_to_slurm(flags, status):
    # The run at slurmd's start comes before the registration, which sets the state after the boot.
    assert stability_slurm.action(status, state(flags, "amdgpu.stability: reboot to apply: x"), "AMDGPU-STABILITY CRITICAL - x") == (
        "none", [])


def test_a_critical_check_drains_a_node_held_down_with_its_own_reason():
    what, tail = stability_slurm.action(2, state("DOWN", HANDED_OVER), "AMDGPU-STABILITY CRITICAL - kernel arg pcie_aspm")
    assert what == "drain" and tail[-1] == "reason=amdgpu.stability health: AMDGPU-STABILITY CRITICAL - kernel arg pcie_aspm"


def test_parse_keeps_spaces_of_os_and_reason():
    fields = slurm_node.parse_show_node(LINE % ("MIXED+DRAIN", " Reason=a=b c: d [u@t]"))
    assert fields["OS"].startswith("Linux 6.1.0-18-amd64 #1 SMP") and fields["Reason"] == "a=b c: d [u@t]"
    assert slurm_node.node_state(fields)["reason_text"] == "a=b c: d"
    assert slurm_node.parse_show_node("") == {}


@pytest.fixture
def scontrol(tmp_path, monkeypatch):
    """A stand-in scontrol on the PATH: `show node` prints the node in the state of the file `state`,
    every other call is appended to `calls`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (tmp_path / "state").write_text("IDLE")
    script = bin_dir / "scontrol"
    script.write_text("#!/bin/sh\nif [ \"$1\" = show ]; then\n  [ \"$4\" = gpu01 ] || { echo \"Node $4 not found\" >&2; exit 1; }\n"
                      "  printf '%s\\n' \"" + (LINE % ("$(cat %s)" % (tmp_path / "state"), "")).replace("#", "\\#") + "\"\n"
                      "else\n  echo \"$*\" >> %s\nfi\n" % (tmp_path / "calls"))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", "%s%s%s" % (bin_dir, os.pathsep, os.environ["PATH"]))
    return tmp_path


def spawn(argv):
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def calls(where):
    path = where / "calls"
    return path.read_text().splitlines() if path.exists() else []


def test_tell_slurm_runs_scontrol_and_says_what_it_did(scontrol):
    note = stability_slurm.tell_slurm(spawn, "gpu01", 2, "AMDGPU-STABILITY CRITICAL - a GPU gone")
    assert note == "slurm: node gpu01 drained: amdgpu.stability health: AMDGPU-STABILITY CRITICAL - a GPU gone"
    assert calls(scontrol) == ["update nodename=gpu01 state=DRAIN reason=amdgpu.stability health: AMDGPU-STABILITY CRITICAL - a GPU gone"]
    assert stability_slurm.tell_slurm(spawn, "gpu01", 3, "could not") == "slurm: the check could not run; node gpu01 left IDLE"
    with pytest.raises(IOError, match="Node gpu99 not found"):
        stability_slurm.tell_slurm(spawn, "gpu99", 2, "x")
    assert len(calls(scontrol)) == 1
    assert stability_slurm.tell_slurm(spawn, "gpu01", 2, "x", which=lambda name: None) == (
        "slurm: scontrol is not on the PATH; node gpu01 left as it is")


def test_the_program_drains_the_node_when_an_argument_is_not_in_effect(scontrol, seed_root, tmp_path):
    root = str(seed_root)
    fakeroot.write(root, {"/proc/sys/kernel/random/boot_id": "5f0c3c1a-6b4e-4c58-9d1e-0d4b7c2f9e11\n",
                          "/proc/uptime": "93600.00 180000.00\n",
                          health.EXPECTED: json.dumps({"options": {}, "kernel_args": ["iommu=pt", "amdgpu_test_absent=1"]})})
    log = tmp_path / "kern.log"
    log.write_text("")
    out, err = io.StringIO(), io.StringIO()
    status = health.main(["--root", root, "--log-file", str(log), "--state-dir", str(tmp_path / "st"), "--textfile", "",
                          "--slurm-node", "gpu01"], stdout=out, stderr=err, spawn=spawn)
    assert status == health.CRITICAL
    assert "amdgpu_test_absent" in out.getvalue().splitlines()[0]
    assert calls(scontrol) and calls(scontrol)[0].startswith("update nodename=gpu01 state=DRAIN reason=amdgpu.stability health: "
                                                             "AMDGPU-STABILITY CRITICAL")
    assert "slurm: node gpu01 drained" in err.getvalue()


def test_an_argument_waiting_for_the_reboot_handed_to_slurm_is_pending_not_critical(scontrol, seed_root, tmp_path):
    root = str(seed_root)
    boot = "5f0c3c1a-6b4e-4c58-9d1e-0d4b7c2f9e11"
    fakeroot.write(root, {"/proc/sys/kernel/random/boot_id": boot + "\n", "/proc/uptime": "93600.00 180000.00\n",
                          health.EXPECTED: json.dumps({"options": {}, "kernel_args": ["amdgpu_test_absent=1"]}),
                          health.SLURM_HANDOVER: json.dumps({"node": "gpu01", "boot_id": boot})})
    log = tmp_path / "kern.log"
    log.write_text("")
    argv = ["--root", root, "--log-file", str(log), "--state-dir", str(tmp_path / "st"), "--textfile", "", "--slurm-node", "gpu01"]
    out, err = io.StringIO(), io.StringIO()
    assert health.main(argv, stdout=out, stderr=err, spawn=spawn) == health.WARNING
    assert "(a reboot is pending)" in out.getvalue() and calls(scontrol) == []
    # The same record from an earlier boot: the reboot happened, the argument is missing.
    fakeroot.write(root, {health.SLURM_HANDOVER: json.dumps({"node": "gpu01", "boot_id": "0" * 32})})
    assert health.main(argv, stdout=io.StringIO(), stderr=io.StringIO(), spawn=spawn) == health.CRITICAL
    assert calls(scontrol)[0].startswith("update nodename=gpu01 state=DRAIN")
