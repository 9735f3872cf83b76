# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import html.parser
import json
import os

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_hardware, amdgpu_log, amdgpu_params
from ansible_collections.amdgpu.stability.plugins.plugin_utils import audit_report

LOGS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "logs")
OPTIONS = {"dcdebugmask": "0x10", "runpm": "0", "gpu_recovery": "1", "gfxoff": "0"}


def seed_audit(root, log_lines):
    """What the role's audit entry point gathers, computed by the same module_utils on the fake root."""
    release = amdgpu_params.running_release(root)
    specs, dummy = amdgpu_params.bundled_specs(release)
    scan = amdgpu_log.scan(log_lines)
    scan.update(source="file", changed=False, item={"label": "files /var/log/kern.log", "source": "file"})
    return {"profile": "recommended", "info": amdgpu_hardware.info(root),
            "params": amdgpu_params.evaluate(OPTIONS, root, release, specs),
            "decisions": [{"name": "abmlevel", "kept": False, "reason": "no effect without an eDP panel"}],
            "scans": [scan]}


def seed_log():
    with open(os.path.join(LOGS, "seed-dmesg.log")) as handle:
        return handle.read().splitlines()


def test_the_seed_workstation_after_its_hang(seed_root):
    report = audit_report.audit_report({"gpubox": seed_audit(seed_root, seed_log())}, ["gpubox", "lost"], "2026-11-26T10:00:00Z")
    assert report["summary"] == "2 host(s): 0 ok, 1 warning, 0 critical, 1 unreachable; 1 GPU hang(s) in the logs"
    lost, record = report["hosts"]      # worst first
    assert lost["status"] == "unreachable"
    assert record["status"] == "warning" and record["kernel"] == "6.16.12+deb13-amd64"
    assert [gpu["name"] for gpu in record["gpus"]] == ["Navi 31 gfx1100", "Raphael gfx1036"]
    statuses = {option["name"]: option["status"] for option in record["options"]}
    assert statuses == {"dcdebugmask": "not_persistent", "runpm": "not_persistent", "gpu_recovery": "not_configured",
                        "gfxoff": "unknown"}
    incident = record["logs"][0]["incidents"][0]
    assert incident["reset_method"] == "mode1" and incident["outcome"] == "recovered"
    assert record["advice"][0].startswith("1 GPU hang(s) in the logs and 4 mitigation option(s) not in effect")
    assert any(line.startswith("Option gfxoff=0 is unknown on kernel 6.16.12+deb13-amd64") for line in record["advice"])
    assert any("2 process(es) use the GPU for compute" in line for line in record["advice"])
    assert record["left_out"][0]["name"] == "abmlevel"
    json.dumps(report)    # the JSON report is the report itself


def test_a_quiet_host_is_ok(seed_root):
    audit = seed_audit(seed_root, ["[    1.0] amdgpu 0000:2f:00.0: amdgpu: ring gfx_0.0.0 uses VM inv eng 0 on hub 0"])
    audit["params"] = amdgpu_params.evaluate({"dcdebugmask": "0x10"}, seed_root, "6.16.12+deb13-amd64", {})
    for entry in audit["params"]["params"].values():
        entry["status"] = "in_effect"
    record = audit_report.audit_report({"quiet": audit}, ["quiet"], "now")["hosts"][0]
    assert record["status"] == "ok" and record["logs"][0]["incidents"] == []
    assert record["advice"][0] == "2 process(es) use the GPU for compute now (a reboot would kill them)."
    # The seed's monitor is on the RX 7900 XTX; the Raphael iGPU is idle.
    assert record["advice"][1].startswith("Monitors on the compute GPU Navi 31 0000:2f:00.0 (DP-1): move them")
    assert len(record["advice"]) == 2 and record["displays"]["status"] == "shared_move"


class _Collector(html.parser.HTMLParser):
    def __init__(self):
        html.parser.HTMLParser.__init__(self)
        self.tags = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_and_escaped(seed_root):
    audit = seed_audit(seed_root, seed_log())
    audit["scans"][0]["incidents"][0]["processes"] = [{"name": "<script>alert(1)</script>", "pid": 7}]
    page = audit_report.render_html(audit_report.audit_report({"gpu<box>": audit}, ["gpu<box>"], "now"))
    parser = _Collector()
    parser.feed(page)
    tags = [tag for tag, attrs in parser.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags      # nothing loaded from elsewhere
    assert "gpu<box>" in "".join(parser.text) and "<script>alert(1)</script>" in "".join(parser.text)
    assert tags.count("section") == 1 and tags.count("table") == 3


def test_markdown_tables(seed_root):
    report = audit_report.audit_report({"gpubox": seed_audit(seed_root, seed_log())}, ["gpubox"], "now")
    text = audit_report.render_markdown(report)
    assert "## gpubox — warning" in text
    assert "| dcdebugmask | 0x10 | 16 | None | not_persistent |" in text.replace("|  |", "| None |")
    assert "page_fault → soft_reset_failed → mes_timeout" in text
    assert "Left out on this host: abmlevel (no effect without an eDP panel)" in text


def test_a_failed_reset_is_critical_and_says_collect(seed_root):
    lines = ["[100.0] amdgpu 0000:2f:00.0: amdgpu: GPU reset begin!",
             "[101.0] amdgpu 0000:2f:00.0: amdgpu: GPU reset(2) failed"]
    report = audit_report.audit_report({"gpubox": seed_audit(seed_root, lines)}, ["gpubox"], "now")
    record = report["hosts"][0]
    assert record["status"] == "critical" and report["counts"]["critical"] == 1
    assert record["advice"][0].startswith("A GPU reset failed (100.0): the GPU needed a reboot. Collect a bundle")


def test_overlapping_reads_count_a_hang_once(seed_root):
    audit = seed_audit(seed_root, seed_log())
    every_boot = dict(audit["scans"][0], item={"label": "every boot in the journal"})
    audit["scans"].append(every_boot)
    report = audit_report.audit_report({"gpubox": audit}, ["gpubox"], "now")
    assert report["summary"].endswith("1 GPU hang(s) in the logs")
    assert report["hosts"][0]["advice"][0].startswith("1 GPU hang(s)")


def test_advisories_and_log_notices_reach_the_report(seed_root):
    from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_advisories
    audit = seed_audit(seed_root, ["2026-03-02T09:14:02+0000 gpubox kernel: amdgpu 0000:2f:00.0: amdgpu: lockup timeout disabled",
                                   "2026-03-02T09:14:03+0000 gpubox kernel: amdgpu 0000:2f:00.0: amdgpu: Trusted Memory Zone "
                                   "(TMZ) feature not supported"])
    # The seed box runs 6.16.12, one of the releases that carry the MES LR compute workaround.
    audit["info"] = amdgpu_advisories.host_info(seed_root)
    for entry in audit["params"]["params"].values():
        entry["status"] = "in_effect"
    record = audit_report.audit_report({"gpubox": audit}, ["gpubox"], "now")["hosts"][0]
    assert record["status"] == "warning"
    assert [(a["id"], a["pci_slot"]) for a in record["advisories"]] == [("mes-lr-compute-wa", "0000:2f:00.0")]
    assert any(line.startswith("GPU 0000:2f:00.0, running kernel 6.16.12+deb13-amd64: this kernel carries the MES long-running")
               for line in record["advice"])
    assert any("a real GPU hang now waits forever" in line for line in record["advice"])
    assert not any("does not support TMZ" in line for line in record["advice"])    # informs, asks nothing
    assert record["gpus"][0]["tmz"] == "unsupported" and record["gpus"][0]["gc_version"] == "11.0.0"
    text = audit_report.render_markdown(audit_report.audit_report({"gpubox": audit}, ["gpubox"], "now"))
    assert "Advisories:\n- warning 0000:2f:00.0 (running kernel 6.16.12+deb13-amd64)" in text
    assert "Source: Linux 6.12.52, 6.16.12 and 6.17.2" in text
    assert "| Navi 31 gfx1100 | 0000:2f:00.0 | 11.0.0 | unsupported |" in text
    assert "Log notices: " in text and "does not support TMZ" in text


def test_an_incident_names_the_reset_that_ended_it_when_it_is_not_the_one_tried():
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "logs",
                           "gfx11-navi31-7.2-dmesg-T-de-from-source.log")) as handle:
        ring, escalated = amdgpu_log.scan(handle)["incidents"]
    assert audit_report._incident_text(ring).endswith("; reset ring, recovered (warning)")
    assert audit_report._incident_text(escalated).endswith("; reset ring, ended by soft, recovered (warning)")


def test_the_stability_history_is_in_every_rendering_with_a_self_contained_chart():
    from test_stability_stats import ledger
    boots = [ledger("a", 1796000000, 30, hangs=2), ledger("b", 1796200000, 26, failed=1),
             ledger("c", 1796400000, 40, runpm="0")]
    boots[0]["hangs"][0]["start"] = "2026-11-29T08:00:00.000000+0000"
    audit = {"profile": "recommended", "info": {"gpus": []}, "scans": [], "history": {"boots": boots, "problems": []}}
    report = audit_report.audit_report({"rocm01": audit, "rocm02": audit}, ["rocm01", "rocm02"], "2026-12-01T10:00:00Z")
    history = report["hosts"][0]["history"]
    assert [group["hangs"] for group in history["configurations"]] == [3, 0]
    markdown = audit_report.render_markdown(report)
    assert "| kernel 6.12.107+deb13-amd64, cmdline iommu=pt, runpm=-1 | 2 | 56.0 | 3 | 1 | 5.36 (1.10-15.66) | 18.7 h |" in markdown
    assert "no hang in 40 h means at most 9.22 per 100 h (95 %), not a fix" in markdown
    assert "## Lab: configurations by hang rate" in markdown
    page = audit_report.render_html(report)
    assert page.count("<svg") == 2 and "<script" not in page
    assert [url for url in ("http://", "https://") if url in page.replace('xmlns="http://www.w3.org/2000/svg"', "")] == []
    assert 'fill="none"' in page            # the hangs without a dated stamp are drawn hollow
