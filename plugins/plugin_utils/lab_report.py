# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab rollout report: per host what changed, the reboot decision and why, the option statuses
after the boot, failures; which batches ran and whether the rollout stopped. Same look as the audit
report (report_format.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils import slurm_node
from ansible_collections.amdgpu.stability.plugins.plugin_utils.report_format import (
    badge, escape, html_table, md_table, page, status_cell)

OUTCOMES = ("failed", "unreachable", "busy", "handed_over", "pending_reboot", "rebooted", "changed", "unchanged",
            "not_reached")


def host_result(host, report, verify=None, failure=None):
    """What lab.yml records for a host, on success and on failure alike (one rule for both paths).

    ``report``: the role's ``amdgpu_report`` (None when the role failed before setting it);
    ``verify``: ``amdgpu_verify`` of the verify after a reboot (None when it did not run);
    ``failure``: ``{task, msg}`` when the host failed."""
    report = report or {}
    rebooted = bool(report.get("rebooted"))
    if not rebooted:
        verified = "not_run"
    else:
        verified = "failed" if failure else "passed"
    params = (verify or {}).get("params") or {}
    return {
        "host": host,
        "report": report,
        "changed": bool(report.get("changed_files")) or bool(report.get("packages_changed")),
        "verified": verified,
        "verified_status": dict((name, result["status"]) for name, result in params.items()) if rebooted else {},
        "failure": failure,
    }


def failure_of(task_name, failed_result):
    """``{task, msg}`` of a failed task; a loop task's own message only says that an item failed,
    so the first failed item's message is taken."""
    failed_result = failed_result or {}
    items = [item for item in failed_result.get("results") or [] if isinstance(item, dict) and item.get("failed")]
    msg = items[0].get("msg") if items and items[0].get("msg") else failed_result.get("msg") or "failed"
    return {"task": task_name or "?", "msg": msg}


def host_outcome(result, ran):
    """One word for a host: what a lab admin acts on first."""
    if result is None:
        return "unreachable" if ran else "not_reached"
    if result.get("failure"):
        return "failed"
    report = result.get("report") or {}
    decision = report.get("reboot_decision")
    if decision == "busy":
        return "busy"
    if (decision or "").startswith("handed_to_"):
        return "handed_over"
    if decision == "rebooted":
        return "rebooted"
    if report.get("reboot_required"):
        return "pending_reboot"
    return "changed" if result.get("changed") else "unchanged"


# What a Slurm node is doing, as the operator acts on it (amdgpu_reboot_via slurm).
SLURM_PHASES = ("waiting_for_jobs", "rebooting", "awaiting_check", "drained", "resumed_verified", "in_service")


def slurm_phase(record, verified):
    """One of SLURM_PHASES from the node's record (amdgpu_report.slurm), or None without one."""
    if not record or record.get("problem") or not record.get("state"):
        return None
    flags = record.get("flags") or []
    if "REBOOT_REQUESTED" in flags and record.get("jobs"):
        return "waiting_for_jobs"
    if record.get("reboot_in_progress"):
        return "rebooting"
    if slurm_node.held_by(record, (slurm_node.HANDOVER_REASON_PREFIX,)) and not slurm_node.drained(record):
        # Rebooted, and held DOWN (nextstate=DOWN) until a passing check returns it.
        return "awaiting_check"
    if slurm_node.out_of_service(record):
        return "drained"
    return "resumed_verified" if verified == "passed" else "in_service"


def slurm_text(row):
    """The scheduler cell: the phase, the node's state and what holds it."""
    slurm = row.get("slurm")
    if not slurm:
        return ""
    detail = {"waiting_for_jobs": "waiting for job(s) %s" % ", ".join(slurm["jobs"]),
              "drained": "drained: %s" % slurm["reason"], "rebooting": "rebooting",
              "awaiting_check": "rebooted, held DOWN until a check passes",
              "resumed_verified": "back in service, verified", "in_service": "in service"}[slurm["phase"]]
    return "%s %s - %s" % (slurm["node"], slurm["state"], detail)


def host_row(host, result, batch):
    outcome = host_outcome(result, batch is not None)
    row = {"host": host, "outcome": outcome, "batch": batch}
    if result is None:
        row["reason"] = ("no result: the host became unreachable" if batch is not None
                         else "the rollout stopped before this host's batch")
        return row
    report = result.get("report") or {}
    row.update(
        profile=report.get("profile"),
        changed=bool(result.get("changed")),
        # Read once and left alone: it already was what the rollout asks for.
        converged=bool(report.get("converged")),
        changed_files=report.get("changed_files", []),
        packages_changed=bool(report.get("packages_changed")),
        reboot_decision=report.get("reboot_decision"),
        reboot_reasons=report.get("reboot_reasons", []),
        reboot_skipped_because=report.get("reboot_skipped_because") or "",
        busy_processes=(report.get("busy") or {}).get("processes", []),
        busy_forced=bool((report.get("busy") or {}).get("forced")),
        option_status=result.get("verified_status") or report.get("option_status") or {},
        verified=result.get("verified", "not_run"),
        failure=result.get("failure"),
        slurm=_slurm_row(report.get("slurm"), result.get("verified", "not_run")),
    )
    return row


def _slurm_row(record, verified):
    phase = slurm_phase(record, verified)
    if phase is None:
        return None
    return {"node": record["node"], "state": record["state"], "phase": phase, "jobs": list(record.get("jobs") or []),
            "reason": record.get("reason_text") or ""}


def lab_report(results, hosts, batches, settings, generated):
    """``results``: the ``amdgpu_lab_result`` of every host that finished its batch (each names its
    ``host``); ``hosts``: every host of the rollout; ``batches``: the host lists of the batches that ran."""
    by_host = dict((result["host"], result) for result in results)
    batch_of = dict((host, number) for number, batch in enumerate(batches, 1) for host in batch)
    rows = [host_row(host, by_host.get(host), batch_of.get(host)) for host in hosts]
    counts = dict((outcome, sum(1 for row in rows if row["outcome"] == outcome)) for outcome in OUTCOMES)
    finished = [row for row in rows if row["outcome"] not in ("failed", "unreachable", "not_reached")]
    changed = sum(1 for row in finished if row["changed"])
    stopped = counts["not_reached"] > 0
    # The outcome word puts the reboot first; the summary counts changes and reboots apart.
    summary = ("%d host(s) in %d batch(es): %d changed, %d unchanged, %d failed, %d unreachable, %d not reached; "
               "reboots: %d done, %d skipped as busy, %d handed over, %d pending; rollout %s") % (
        len(rows), len(batches), changed, len(finished) - changed, counts["failed"], counts["unreachable"],
        counts["not_reached"], counts["rebooted"], counts["busy"], counts["handed_over"], counts["pending_reboot"],
        ("stopped after batch %d (amdgpu_lab_max_fail_percentage %s)" % (len(batches), settings.get("max_fail_percentage"))
         if stopped else "completed"))
    slurm_rows = [row for row in rows if row.get("slurm")]
    slurm_counts = dict((phase, sum(1 for row in slurm_rows if row["slurm"]["phase"] == phase)) for phase in SLURM_PHASES)
    if slurm_rows:
        summary += ("; slurm: %d waiting for jobs, %d rebooting, %d waiting for the health check, %d drained, "
                    "%d back and verified, %d in service") % tuple(
            slurm_counts[phase] for phase in SLURM_PHASES)
    return {"generated": generated, "summary": summary, "counts": counts, "stopped": stopped,
            "settings": settings, "batches": batches, "hosts": rows, "slurm_counts": slurm_counts if slurm_rows else {},
            "actions": operator_actions(rows)}


def operator_actions(rows):
    """What the operator should do, one line per Slurm node that needs a person."""
    actions = []
    for row in rows:
        slurm = row.get("slurm") or {}
        if slurm.get("phase") == "drained":
            actions.append("%s: drained (%s) - fix it, then run lab.yml (or tasks_from: verify) again; a node this "
                           "collection drained is resumed by the verify that passes" % (slurm["node"], slurm["reason"]))
        elif slurm.get("phase") == "awaiting_check":
            actions.append("%s: rebooted, held DOWN until a check passes - its next health check (HealthCheckInterval) "
                           "returns it, or run lab.yml (or tasks_from: verify) again now" % slurm["node"])
        elif slurm.get("phase") == "waiting_for_jobs":
            actions.append("%s: reboots when job(s) %s end - nothing to do; run lab.yml again after it to verify"
                           % (slurm["node"], ", ".join(slurm["jobs"])))
    return actions


def _reboot_text(row):
    decision = row.get("reboot_decision")
    if decision in (None, "not_required", "rebooted"):
        return decision or ""
    return "%s: %s" % (decision, row.get("reboot_skipped_because") or "")


def _statuses_text(statuses):
    return " ".join("%s=%s" % item for item in sorted(statuses.items()))


def _failure_text(row):
    failure = row.get("failure")
    return "%s: %s" % (failure.get("task"), failure.get("msg")) if failure else ""


def _cells(row):
    return (row["host"], row.get("batch") or "", row["outcome"], " ".join(row.get("changed_files", [])),
            _reboot_text(row), slurm_text(row), row.get("verified", ""), _statuses_text(row.get("option_status", {})),
            _failure_text(row) or row.get("reason", ""))


HEADER = ["host", "batch", "outcome", "changed files", "reboot", "scheduler", "verified", "options", "failure / note"]


def render_markdown(report):
    lines = ["# amdgpu.stability lab rollout", "", "Generated %s. **%s.**" % (report["generated"], report["summary"]), "",
             "Batches (serial %s): %s" % (report["settings"].get("serial"),
                                          " | ".join(", ".join(batch) for batch in report["batches"])), ""]
    lines += md_table(HEADER, [_cells(row) for row in report["hosts"]])
    if report.get("actions"):
        lines += ["", "To do:", ""] + ["- " + action for action in report["actions"]]
    return "\n".join(lines) + "\n"


def render_html(report):
    rows = []
    for row in report["hosts"]:
        cells = [escape(cell) for cell in _cells(row)]
        cells[2] = badge(row["outcome"])
        cells[7] = " ".join(status_cell(status) + " " + escape(name) for name, status in sorted(row.get("option_status", {}).items()))
        rows.append(cells)
    batches = "".join("<li>%s</li>" % escape(", ".join(batch)) for batch in report["batches"])
    body = "<h2>Batches (serial %s)</h2><ol>%s</ol><h2>Hosts</h2>%s" % (
        escape(report["settings"].get("serial")), batches, html_table(HEADER, rows))
    if report.get("actions"):
        body += "<h2>To do</h2><ul>%s</ul>" % "".join("<li>%s</li>" % escape(action) for action in report["actions"])
    return page("amdgpu.stability lab rollout", report["generated"], report["summary"], body)
