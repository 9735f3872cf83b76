# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What audit.yml and collect.yml left on the controller, checked once; the hosts, checked each."""

import glob
import json
import os
import struct
import subprocess
import tarfile

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUTPUT = os.path.join(REPO, "tests", "output", "audit")
HOSTS = ["audit-failed-reset-box", "audit-quiet-box", "audit-seed-workstation"]


def only(pattern):
    found = glob.glob(os.path.join(OUTPUT, pattern))
    assert len(found) == 1, "expected one %s (check mode must write none), found %s" % (pattern, found)
    return found[0]


@pytest.fixture(scope="module")
def report():
    with open(only("reports/audit-*.json")) as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def records(report):
    return dict((record["host"], record) for record in report["hosts"])


def test_summary_line(report):
    assert report["summary"] == "3 host(s): 0 ok, 2 warning, 1 critical, 0 unreachable; 2 GPU hang(s) in the logs"
    assert [record["host"] for record in report["hosts"]] == HOSTS      # worst first, then by name


def test_seed_workstation(records):
    record = records["audit-seed-workstation"]
    assert record["status"] == "warning" and record["kernel"] == "6.16.12+deb13-amd64"
    assert [gpu["name"] for gpu in record["gpus"]] == ["Navi 31 gfx1100", "Raphael gfx1036"]
    assert record["gpus"][0]["firmware"] == {"mes": "0x00000080", "smc": "0x004e7300"}
    incident = record["logs"][0]["incidents"][0]
    assert incident["stages"] == ["page_fault", "soft_reset_failed", "mes_timeout", "queue_unmap_failed", "cp_halt_failed",
                                  "reset", "reset_succeeded", "parser_failed"]
    assert incident["reset_method"] == "mode1" and incident["outcome"] == "recovered" and incident["mes_messages"] == ["3"]
    statuses = dict((option["name"], option["status"]) for option in record["options"])
    assert statuses["runpm"] == "not_persistent" and statuses["ppfeaturemask"] == "not_configured"
    # TMZ is not supported on Navi 31 and experimental (already off) on Raphael, and there is no eDP
    # panel: tmz=0 and the PSR bit are left out, and said why.
    assert [item["name"] for item in record["left_out"]][:2] == ["tmz", "dcdebugmask"]
    assert "amdgpu_gmc_tmz_set" in record["left_out"][0]["reason"]
    # 6.16.12 carries the MES long-running compute workaround: an advisory for the Navi 31, with its source.
    assert [(item["id"], item["pci_slot"]) for item in record["advisories"]] == [("mes-lr-compute-wa", "0000:2f:00.0")]
    assert "2 process(es) use the GPU for compute now (a reboot would kill them)." in record["advice"]
    assert record["displays"]["status"] == "shared_move"
    assert any(line.startswith("Monitors on the compute GPU Navi 31 0000:2f:00.0 (DP-1)") for line in record["advice"])


def test_seed_workstation_history_compares_before_and_after_the_mitigations(records):
    history = records["audit-seed-workstation"]["history"]
    before, after = history["configurations"]
    assert (before["boots"], before["hours"], before["hangs"], before["failed"]) == (2, 56.0, 3, 1)
    assert (after["boots"], after["hours"], after["hangs"]) == (2, 101.5, 1)
    assert history["differences"][after["key"]].startswith("kernel 6.16.12+deb13-amd64, cmdline amdgpu.runpm=0 iommu=pt")
    assert history["current_vs_previous"]["significant"] is False
    assert history["current_vs_previous"]["text"].startswith("no difference beyond chance yet")
    assert [boot["boot_id"][-1] for boot in history["timeline"]] == ["1", "2", "3", "4"]
    assert records["audit-quiet-box"]["history"] is None


def test_quiet_box(records):
    record = records["audit-quiet-box"]
    assert record["status"] == "warning" and record["logs"][0]["incidents"] == [] and record["gpus"] == []
    assert record["unknown_params"] == ["gfxoff"]
    assert any(line.startswith("amdgpu ignored unknown parameter(s) gfxoff") for line in record["advice"])


def test_failed_reset_box(records):
    record = records["audit-failed-reset-box"]
    assert record["status"] == "critical"
    incident = record["logs"][0]["incidents"][0]
    assert incident["outcome"] == "failed" and incident["reset_method"] == "mode1"
    assert incident["processes"] == [{"name": "Xorg", "pid": 977}]
    assert record["advice"][0].startswith("A GPU reset failed (Nov 24 23:41:57)")


def test_markdown_has_a_section_per_host():
    with open(only("reports/audit-*.md")) as handle:
        text = handle.read()
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## audit-failed-reset-box — critical", "## audit-quiet-box — warning", "## audit-seed-workstation — warning",
        "## Lab: configurations by hang rate (hosts sharing one are pooled)"]


def chromium(*args):
    return subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"] + list(args),
                          check=True, capture_output=True, text=True, timeout=120)


def test_html_renders_in_chromium():
    page = "file://" + only("reports/audit-*.html")
    dom = chromium("--dump-dom", page).stdout
    assert dom.count('<section class="host"') == 3
    assert "3 host(s): 0 ok, 2 warning, 1 critical, 0 unreachable" in dom
    assert dom.count("<svg") == 1            # the seed workstation's timeline
    screenshot = os.path.join(OUTPUT, "audit.png")
    chromium("--window-size=1280,2400", "--screenshot=" + screenshot, page)
    with open(screenshot, "rb") as handle:
        header = handle.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", header[16:24]) == (1280, 2400)
    # A blank page compresses to a few kB; three hosts of tables do not.
    assert os.path.getsize(screenshot) > 50000
    print("screenshot: %s" % screenshot)


def bundle_files(host_name):
    with tarfile.open(only("bundles/amdgpu-bug-report-%s-*.tar.gz" % host_name)) as tar:
        return dict((member.name.split("/", 1)[1], tar.extractfile(member).read().decode("utf-8", "replace"))
                    for member in tar.getmembers())


def test_seed_workstation_bundle():
    files = bundle_files("audit-seed-workstation")
    for name in ("MANIFEST", "proc-cmdline.txt", "amdgpu-parameters.txt", "firmware-versions.txt", "uname.txt",
                 "debugfs/dri-1-amdgpu_firmware_info.txt", "devcoredump/devcd1.data", "logs/1-seed-dmesg.log", "scan.json"):
        assert name in files, name
    assert "dcdebugmask=16" in files["amdgpu-parameters.txt"]
    assert json.loads(files["scan.json"])["logs/1-seed-dmesg.log"]["summary"]["resets"] == 1
    # A container has no journal and may not read the ring buffer: said, not failed.
    assert "MISSING   kernel log of the current boot (journalctl -k -b 0)" in files["MANIFEST"]


@pytest.mark.parametrize("host_name", ["audit-quiet-box", "audit-failed-reset-box"])
def test_bundle_of_a_box_without_gpu_lists_what_is_missing(host_name):
    files = bundle_files(host_name)
    for piece in ("amdgpu parameter values", "firmware and VBIOS versions", "amdgpu_firmware_info (debugfs)",
                  "GPU core dump (devcoredump)"):
        assert "MISSING   " + piece in files["MANIFEST"], piece
    assert "scan.json" in files and "uname.txt" in files


def test_no_bundle_left_on_the_host(host):
    assert host.check_output("find /var/tmp -name 'amdgpu-bug-report-*'") == ""
