# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import html.parser

from ansible_collections.amdgpu.stability.plugins.plugin_utils import lab_report
from ansible_collections.amdgpu.stability.plugins.plugin_utils import lab_report as lab

SETTINGS = {"serial": 2, "max_fail_percentage": 0}


def result(host, changed=True, decision="impossible", failure=None, **report):
    base = {"profile": "recommended", "changed_files": ["/etc/modprobe.d/amdgpu.conf"] if changed else [],
            "packages_changed": False, "reboot_required": decision not in ("not_required", "rebooted"),
            "reboot_decision": decision, "reboot_reasons": ["kernel arguments changed"],
            "reboot_skipped_because": "the host is a container, which has no boot of its own",
            "option_status": {"runpm": "configured"}, "rebooted": decision == "rebooted"}
    base.update(report)
    return {"host": host, "report": base, "changed": changed, "verified": "not_run", "verified_status": {}, "failure": failure}


def test_a_stopped_rollout():
    busy = result("b", decision="busy", busy={"processes": [4242], "command_busy": False, "forced": False},
                  reboot_skipped_because="busy: 1 GPU compute process(es), PIDs 4242")
    failed = result("c", changed=False, failure={"task": "Write the drop-in", "msg": "Read-only file system"})
    results = [result("a"), busy, failed]
    report = lab_report.lab_report(results, ["a", "b", "c", "d"], [["a", "b"], ["c", "d"]], SETTINGS, "2026-11-26T10:00:00Z")
    assert report["summary"] == ("4 host(s) in 2 batch(es): 2 changed, 0 unchanged, 1 failed, 1 unreachable, 0 not reached; "
                                 "reboots: 0 done, 1 skipped as busy, 0 handed over, 1 pending; rollout completed")
    outcomes = dict((row["host"], (row["outcome"], row["batch"])) for row in report["hosts"])
    # d was in a batch but left no result: unreachable, not "not reached".
    assert outcomes == {"a": ("pending_reboot", 1), "b": ("busy", 1), "c": ("failed", 2), "d": ("unreachable", 2)}


def test_hosts_after_the_stop_are_not_reached():
    report = lab_report.lab_report([result("a", failure={"task": "t", "msg": "m"})], ["a", "b", "c"], [["a"]], SETTINGS, "now")
    assert report["stopped"] is True
    assert report["summary"].endswith("rollout stopped after batch 1 (amdgpu_lab_max_fail_percentage 0)")
    assert [row["outcome"] for row in report["hosts"]] == ["failed", "not_reached", "not_reached"]
    assert report["hosts"][1]["reason"] == "the rollout stopped before this host's batch"


def test_outcomes_of_finished_hosts():
    assert lab_report.host_outcome(result("a", changed=False, decision="not_required"), True) == "unchanged"
    assert lab_report.host_outcome(result("a", decision="not_required"), True) == "changed"
    assert lab_report.host_outcome(result("a", decision="rebooted"), True) == "rebooted"
    assert lab_report.host_outcome(result("a", decision="handed_to_sentinel"), True) == "handed_over"


def test_hosts_handed_over_are_counted_apart_from_the_pending_ones():
    report = lab_report.lab_report([result("a", decision="handed_to_sentinel"), result("b", decision="not_allowed")],
                                   ["a", "b"], [["a", "b"]], SETTINGS, "now")
    assert report["summary"].endswith("reboots: 0 done, 0 skipped as busy, 1 handed over, 1 pending; rollout completed")
    assert report["counts"]["handed_over"] == 1


def test_verified_statuses_win_over_the_apply_time_ones():
    done = result("a", decision="rebooted")
    done.update(verified="passed", verified_status={"runpm": "in_effect"})
    row = lab_report.lab_report([done], ["a"], [["a"]], SETTINGS, "now")["hosts"][0]
    assert row["option_status"] == {"runpm": "in_effect"} and row["verified"] == "passed"


class _Text(html.parser.HTMLParser):
    def __init__(self):
        html.parser.HTMLParser.__init__(self)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_renderings():
    bad = result("<b>x</b>", failure={"task": "t", "msg": "<script>"})
    report = lab_report.lab_report([result("a"), bad], ["a", "<b>x</b>"], [["a", "<b>x</b>"]], SETTINGS, "now")
    parser = _Text()
    parser.feed(lab_report.render_html(report))
    assert "script" not in parser.tags and "b" not in parser.tags
    assert "<b>x</b>" in "".join(parser.text) and parser.tags.count("tr") == 3
    text = lab_report.render_markdown(report)
    assert "Batches (serial 2): a, <b>x</b>" in text and "| a | 1 | pending_reboot |" in text


def test_host_result_counts_packages_on_the_failure_path_too():
    # Regression: lab.yml's rescue counted changed files only, the success path files and packages.
    report = {"changed_files": [], "packages_changed": True, "rebooted": False}
    failed = lab.host_result("gpu1", report, None, {"task": "Reboot", "msg": "timed out"})
    assert failed["changed"] is True and failed["verified"] == "not_run"
    assert lab.host_result("gpu1", report)["changed"] is True
    assert lab.host_result("gpu1", dict(report, packages_changed=False))["changed"] is False


def test_host_result_verification():
    report = {"changed_files": ["/etc/modprobe.d/amdgpu.conf"], "rebooted": True}
    verify = {"params": {"runpm": {"status": "in_effect"}}}
    passed = lab.host_result("gpu1", report, verify)
    assert passed["verified"] == "passed" and passed["verified_status"] == {"runpm": "in_effect"}
    failed = lab.host_result("gpu1", report, None, {"task": "Every amdgpu option is in effect", "msg": "runpm: pending_reboot"})
    assert failed["verified"] == "failed" and failed["verified_status"] == {}
    early = lab.host_result("gpu1", None, None, {"task": "x", "msg": "y"})
    assert early["report"] == {} and early["changed"] is False and early["verified"] == "not_run"


def test_failure_of_takes_the_failed_item_message():
    loop = {"msg": "One or more items failed", "results": [{"failed": False, "msg": "ok"}, {"failed": True, "msg": "no space"}]}
    assert lab.failure_of("Write", loop) == {"task": "Write", "msg": "no space"}
    assert lab.failure_of(None, {"msg": "boom"}) == {"task": "?", "msg": "boom"}
    assert lab.failure_of("t", None) == {"task": "t", "msg": "failed"}


def slurm(state, jobs=(), reason="", drained=False, in_progress=False):
    flags = state.split("+")[1:]
    return {"problem": "", "node": "n", "state": state, "flags": flags, "jobs": list(jobs), "reason_text": reason,
            "drained": drained, "reboot_in_progress": in_progress}


def test_slurm_nodes_show_what_holds_them_and_what_the_operator_does():
    waiting = result("n1", decision="handed_to_slurm", slurm=dict(slurm("ALLOCATED+DRAIN+REBOOT_REQUESTED", ["17"], "amdgpu.stability: reboot",
                                                                        True, True), node="n1"))
    rebooting = result("n2", decision="handed_to_slurm", slurm=dict(slurm("DOWN+REBOOT_ISSUED", in_progress=True), node="n2"))
    drained = result("n3", decision="rebooted", failure={"task": "Every kernel argument is in effect", "msg": "iommu=pt"},
                     slurm=dict(slurm("IDLE+DRAIN", reason="amdgpu.stability: not in effect after the reboot: iommu=pt",
                                      drained=True), node="n3"))
    back = dict(result("n4", decision="rebooted", slurm=dict(slurm("IDLE"), node="n4")), verified="passed")
    # Rebooted and held DOWN by Slurm (nextstate=DOWN) with the handover's reason until a check passes.
    held = result("n5", decision="handed_to_slurm", slurm=dict(
        slurm("DOWN", reason="amdgpu.stability: reboot to apply: iommu=pt : reboot issued : reboot complete"), node="n5", base="DOWN"))
    down = result("n6", slurm=dict(slurm("DOWN", reason="Not responding"), node="n6", base="DOWN"))
    plain = result("a")
    hosts = ["n1", "n2", "n3", "n4", "n5", "n6", "a"]
    report = lab_report.lab_report([waiting, rebooting, drained, back, held, down, plain], hosts, [hosts], SETTINGS,
                                   "2026-12-02T10:00:00Z")
    phases = dict((row["host"], (row["outcome"], (row["slurm"] or {}).get("phase"))) for row in report["hosts"])
    assert phases == {"n1": ("handed_over", "waiting_for_jobs"), "n2": ("handed_over", "rebooting"),
                      "n3": ("failed", "drained"), "n4": ("rebooted", "resumed_verified"), "n5": ("handed_over", "awaiting_check"),
                      "n6": ("pending_reboot", "drained"), "a": ("pending_reboot", None)}
    assert report["summary"].endswith("slurm: 1 waiting for jobs, 1 rebooting, 1 waiting for the health check, 2 drained, "
                                      "1 back and verified, 0 in service")
    assert report["actions"] == [
        "n1: reboots when job(s) 17 end - nothing to do; run lab.yml again after it to verify",
        "n3: drained (amdgpu.stability: not in effect after the reboot: iommu=pt) - fix it, then run lab.yml (or tasks_from: "
        "verify) again; a node this collection drained is resumed by the verify that passes",
        "n5: rebooted, held DOWN until a check passes - its next health check (HealthCheckInterval) returns it, or run "
        "lab.yml (or tasks_from: verify) again now",
        "n6: drained (Not responding) - fix it, then run lab.yml (or tasks_from: verify) again; a node this collection "
        "drained is resumed by the verify that passes"]
    markdown = lab_report.render_markdown(report)
    assert "| n1 ALLOCATED+DRAIN+REBOOT_REQUESTED - waiting for job(s) 17 |" in markdown and "To do:" in markdown
    assert "<h2>To do</h2>" in lab_report.render_html(report)


def test_a_report_without_slurm_has_no_slurm_summary():
    report = lab_report.lab_report([result("a")], ["a"], [["a"]], SETTINGS, "t")
    assert "slurm:" not in report["summary"] and report["actions"] == [] and report["slurm_counts"] == {}
