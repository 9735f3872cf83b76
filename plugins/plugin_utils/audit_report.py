# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit report, built on the controller from what each host's read-only checks returned, and
written as JSON (for machines), Markdown (for tickets) and one self-contained HTML page (for people).

A host's record is condensed from ``amdgpu_info``, ``amdgpu_params`` and ``amdgpu_log_scan`` results;
its advice comes from rules that each name what they saw, so a reader can check them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.plugin_utils.display_advice import display_advice
from ansible_collections.amdgpu.stability.plugins.plugin_utils.report_format import badge, escape, html_table, md_table, page, status_cell
from ansible_collections.amdgpu.stability.plugins.plugin_utils.stability_chart import timeline_svg
from ansible_collections.amdgpu.stability.plugins.plugin_utils.stability_stats import host_history, lab_ranking

SEVERITY_ORDER = ("ok", "warning", "critical", "unreachable")
# Log notices that ask for something to be done; the others (TMZ not supported) only inform.
ADVICE_NOTICES = ("lockup_timeout_disabled", "mes_lr_compute_wa_off")


def _gpu_row(gpu):
    name = " ".join(part for part in (gpu.get("family"), gpu.get("gfx_target")) if part) or gpu.get("device_id")
    return {
        "pci_slot": gpu["pci_slot"],
        "name": name,
        "apu": gpu.get("is_apu"),
        "gc_version": gpu.get("gc_version"),
        "tmz": gpu.get("tmz"),
        "vbios": gpu.get("vbios"),
        "firmware": gpu.get("firmware") or {},
        "displays": gpu.get("connected_displays") or [],
    }


def _option_rows(params):
    return [{"name": name, "desired": entry.get("desired"), "live": entry.get("live"),
             "configured": entry.get("configured"), "status": entry.get("status"), "notes": entry.get("notes") or []}
            for name, entry in sorted((params or {}).items())]


def _incident_row(incident):
    return {key: incident.get(key) for key in
            ("start", "end", "device", "stages", "page_fault", "mes_messages", "ring_timeouts", "reset_method",
             "reset_level", "reset_source", "wedged", "outcome", "processes", "severity")}


def _log_rows(scans):
    """``scans``: the loop results of amdgpu_log_scan, each with the read's ``item.label``."""
    rows = []
    for result in scans or []:
        rows.append({
            "label": result["item"]["label"],
            "source": result.get("source"),
            "lines_scanned": result.get("lines_scanned", 0),
            "summary": result.get("summary", {}),
            "incidents": [_incident_row(incident) for incident in result.get("incidents", [])],
            "smu_mismatch": result.get("smu_mismatch", False),
            "unknown_params": result.get("unknown_params", []),
            "tainted_by": result.get("tainted_by", []),
            "notices": result.get("notices", []),
        })
    return rows


def _notices(logs):
    """The notices of every read, once per kind (the reads overlap)."""
    seen = {}
    for log in logs:
        for notice in log["notices"]:
            seen.setdefault(notice["kind"], notice)
    return list(seen.values())


def _union(logs, key):
    seen = []
    for log in logs:
        seen.extend(name for name in log[key] if name not in seen)
    return seen


def widest_incidents(record):
    """The reads overlap (this boot is part of every boot in the journal): the one with most incidents."""
    return max([log["incidents"] for log in record.get("logs", [])] or [[]], key=len)


def advice(record):
    """What to do, most urgent first; every line says what it is based on."""
    lines = []
    incidents = widest_incidents(record)
    failed = [incident for incident in incidents if incident["outcome"] == "failed"]
    if failed:
        lines.append("A GPU reset failed (%s): the GPU needed a reboot. Collect a bundle with the collect playbook "
                     "and attach it to a bug report." % failed[0]["start"])
    not_in_effect = [option for option in record["options"] if option["status"] != "in_effect"]
    bad = [option for option in not_in_effect if option["status"] in ("invalid", "unknown")]
    if incidents:
        if not_in_effect:
            lines.append("%d GPU hang(s) in the logs and %d mitigation option(s) not in effect: apply profile %s "
                         "(workstation playbook) and reboot." % (len(incidents), len(not_in_effect), record["profile"]))
        else:
            lines.append("%d GPU hang(s) in the logs although every option of profile %s is in effect: collect a "
                         "bundle and report it (kernel %s)." % (len(incidents), record["profile"], record["kernel"]))
    for option in bad:
        notes = "; ".join(option["notes"]) or "see amdgpu_params"
        lines.append("Option %s=%s is %s on kernel %s: %s" % (option["name"], option["desired"], option["status"], record["kernel"], notes))
    pending = [option["name"] for option in not_in_effect if option["status"] == "pending_reboot"]
    if pending:
        lines.append("Configured but not live until a reboot: %s." % ", ".join(pending))
    if not_in_effect and not incidents and len(bad) < len(not_in_effect):
        lines.append("%d option(s) of profile %s not in effect: %s." % (
            len(not_in_effect) - len(bad), record["profile"],
            ", ".join("%s (%s)" % (option["name"], option["status"]) for option in not_in_effect if option not in bad)))
    if record["unknown_params"]:
        lines.append("amdgpu ignored unknown parameter(s) %s: remove them from modprobe.d or the command line."
                     % ", ".join(record["unknown_params"]))
    if record["tainted_by"]:
        lines.append("The kernel is tainted by UNSAFE amdgpu parameter(s) %s." % ", ".join(record["tainted_by"]))
    if record["smu_mismatch"]:
        lines.append("The driver's and the firmware's SMU interface versions differ: install the linux-firmware meant "
                     "for this kernel.")
    for advisory in record["advisories"]:
        lines.append("GPU %s, %s: %s (source: %s)." % (advisory["pci_slot"], advisory["subject"], advisory["text"],
                                                       advisory["source"]))
    for notice in record["notices"]:
        if notice["kind"] in ADVICE_NOTICES:
            lines.append("The log says: %s." % notice["meaning"])
    if not record["gpus"]:
        lines.append("No AMD GPU found: the options take effect when amdgpu loads on this host.")
    if record["kfd_processes"]:
        lines.append("%d process(es) use the GPU for compute now (a reboot would kill them)." % len(record["kfd_processes"]))
    if record["displays"]["status"] in ("shared_move", "shared_only_card"):
        lines.append(record["displays"]["advice"])
    return lines


def _severity(record):
    incidents = widest_incidents(record)
    if any(incident["severity"] == "critical" for incident in incidents):
        return "critical"
    if (incidents or record["unknown_params"] or record["advisories"]
            or any(notice["kind"] in ADVICE_NOTICES for notice in record["notices"])
            or any(option["status"] != "in_effect" for option in record["options"])):
        return "warning"
    return "ok"


def host_record(host, audit):
    """One host's record from what the amdgpu role's audit entry point set (``amdgpu_audit``)."""
    info = audit.get("info") or {}
    kernel = info.get("kernel") or {}
    taint = kernel.get("taint") or {}
    logs = _log_rows(audit.get("scans"))
    record = {
        "host": host,
        "profile": audit.get("profile"),
        "kernel": kernel.get("release"),
        "taint": {"flags": taint.get("flags", []), "reasons": taint.get("reasons", [])},
        "amdgpu_loaded": info.get("amdgpu_loaded", False),
        "gpus": [_gpu_row(gpu) for gpu in info.get("gpus", [])],
        "displays": display_advice(info.get("gpus", [])),
        "kfd_processes": info.get("kfd_processes", []),
        "options": _option_rows((audit.get("params") or {}).get("params")),
        "left_out": [decision for decision in audit.get("decisions", []) if not decision.get("kept")],
        "logs": logs,
        "unknown_params": _union(logs, "unknown_params"),
        "tainted_by": _union(logs, "tainted_by"),
        "smu_mismatch": any(log["smu_mismatch"] for log in logs),
        "advisories": list(info.get("advisories") or []),
        "notices": _notices(logs),
        # The monitor's ledgers, when the host has the monitor role: hang rate per configuration.
        "history": host_history((audit.get("history") or {}).get("boots") or []) if audit.get("history") else None,
    }
    record["status"] = _severity(record)
    record["advice"] = advice(record)
    return record


def unreachable_record(host):
    return {"host": host, "status": "unreachable", "advice": ["The audit did not finish on this host (unreachable or failed)."]}


def audit_report(audits, hosts, generated):
    """``audits``: host -> ``amdgpu_audit``; ``hosts``: every host the play targeted."""
    records = [host_record(host, audits[host]) if audits.get(host) else unreachable_record(host) for host in hosts]
    # Worst first: in a lab of many boxes the ones to look at are on top.
    records.sort(key=lambda record: (-SEVERITY_ORDER.index(record["status"]), record["host"]))
    counts = dict((status, sum(1 for record in records if record["status"] == status)) for status in SEVERITY_ORDER)
    hangs = sum(len(widest_incidents(record)) for record in records)
    summary = "%d host(s): %d ok, %d warning, %d critical, %d unreachable; %d GPU hang(s) in the logs" % (
        len(records), counts["ok"], counts["warning"], counts["critical"], counts["unreachable"], hangs)
    histories = dict((record["host"], record["history"]) for record in records if record.get("history"))
    return {"generated": generated, "summary": summary, "counts": counts, "hosts": records,
            "stability": lab_ranking(histories) if histories else None}


# ---- the stability history (the monitor's ledgers) ---------------------------------------------------
HISTORY_HEADER = ["configuration", "boots", "hours up", "hangs", "failed", "per 100 h (95 %)", "mean time between hangs"]


def _rate_text(rate):
    if rate is None:
        return "no hours measured"
    return "%.2f (%.2f-%.2f)" % (rate["per_100h"], rate["per_100h_low"], rate["per_100h_high"])


def _mtbh_text(rate):
    if rate is None:
        return ""
    return "%.1f h" % rate["mtbh_hours"] if rate["mtbh_hours"] else "more than %.0f h (no hang)" % rate["hours"]


def _history_rows(history):
    return [(history["differences"][group["key"]], group["boots"], "%.1f" % group["hours"], group["hangs"],
             group["failed"], _rate_text(group["rate"]), _mtbh_text(group["rate"]))
            for group in history["configurations"]]


def _history_notes(history):
    notes = []
    if history.get("current_vs_previous"):
        notes.append("Current against the configuration before it: %s." % history["current_vs_previous"]["text"])
    if history["not_measured"]["boots"]:
        notes.append("%d earlier boot(s) known only from the journal (%d hang(s)): not in the rates, their hours "
                     "and configuration unknown." % (history["not_measured"]["boots"], history["not_measured"]["hangs"]))
    return notes


def _ranking_rows(stability):
    return [(entry["label"], ", ".join(entry["hosts"]), entry["rate"]["hangs"], "%.1f" % entry["rate"]["hours"],
             _rate_text(entry["rate"]), _mtbh_text(entry["rate"])) for entry in stability["configurations"]]


RANKING_HEADER = ["configuration", "hosts", "hangs", "hours up", "per 100 h (95 %)", "mean time between hangs"]


# ---- Markdown ----------------------------------------------------------------------------------------
GPU_HEADER = ["GPU", "PCI", "GC", "TMZ", "VBIOS", "firmware", "displays"]


def _gpu_cells(gpu):
    return (gpu["name"] + (" (iGPU)" if gpu["apu"] else ""), gpu["pci_slot"], gpu.get("gc_version") or "",
            gpu.get("tmz") or "", gpu["vbios"] or "",
            " ".join("%s=%s" % item for item in sorted(gpu["firmware"].items())), " ".join(gpu["displays"]))


def _advisory_text(advisory):
    return "%s %s (%s): %s. Source: %s" % (advisory["severity"], advisory["pci_slot"], advisory["subject"],
                                           advisory["text"], advisory["source"])


def _reset_text(incident):
    """The reset tried and, when it differs, the one that ended the hang ("ring, ended by mode1")."""
    method, level = incident.get("reset_method") or "none", incident.get("reset_level")
    return method if level in (None, "none", method) else "%s, ended by %s" % (method, level)


def _incident_text(incident):
    return "%s: %s; reset %s, %s (%s)" % (incident["start"], " → ".join(incident["stages"]),
                                          _reset_text(incident), incident["outcome"], incident["severity"])


def render_markdown(report):
    lines = ["# amdgpu.stability audit", "", "Generated %s. **%s.**" % (report["generated"], report["summary"]), ""]
    for record in report["hosts"]:
        lines += ["## %s — %s" % (record["host"], record["status"]), ""]
        if record["status"] == "unreachable":
            lines += ["- " + line for line in record["advice"]] + [""]
            continue
        taint = ", ".join(record["taint"]["reasons"]) or "none"
        lines += ["Kernel %s, profile %s, amdgpu %s, taint: %s." % (
            record["kernel"], record["profile"], "loaded" if record["amdgpu_loaded"] else "not loaded", taint), ""]
        if record["gpus"]:
            lines += md_table(GPU_HEADER, [_gpu_cells(gpu) for gpu in record["gpus"]]) + [""]
        lines += md_table(["option", "desired", "live", "configured", "status", "notes"], [
            (option["name"], option["desired"], option["live"], option["configured"], option["status"], "; ".join(option["notes"]))
            for option in record["options"]]) + [""]
        if record["left_out"]:
            lines += ["Left out on this host: " + "; ".join("%s (%s)" % (item["name"], item["reason"]) for item in record["left_out"]), ""]
        if record["advisories"]:
            lines += ["Advisories:"] + ["- " + _advisory_text(advisory) for advisory in record["advisories"]] + [""]
        if record["notices"]:
            lines += ["Log notices: " + "; ".join(notice["meaning"] for notice in record["notices"]), ""]
        for log in record["logs"]:
            lines.append("Log %s: %d line(s), %d incident(s)." % (log["label"], log["lines_scanned"], len(log["incidents"])))
            lines += ["- " + _incident_text(incident) for incident in log["incidents"]]
        if record.get("history"):
            lines += ["", "Stability history (hangs per configuration):", ""] + md_table(HISTORY_HEADER, _history_rows(record["history"]))
            lines += [""] + _history_notes(record["history"])
        lines += ["", "Advice:"] + ["- " + line for line in record["advice"] or ["nothing to do."]] + [""]
    if report.get("stability"):
        lines += ["## Lab: configurations by hang rate (hosts sharing one are pooled)", ""]
        lines += md_table(RANKING_HEADER, _ranking_rows(report["stability"])) + [""]
    return "\n".join(lines)


# ---- HTML -------------------------------------------------------------------------------------------
def _gpu_table_html(gpus):
    return html_table(GPU_HEADER, [[escape(cell) for cell in _gpu_cells(gpu)] for gpu in gpus])


def _incident_cells(logs):
    rows = []
    for log in logs:
        if not log["incidents"]:
            rows.append((escape(log["label"]), escape(log["lines_scanned"]), "none", "", "", "", "", ""))
        for incident in log["incidents"]:
            processes = ", ".join("%s[%s]" % (process["name"], process["pid"]) for process in incident["processes"] or [])
            rows.append((escape(log["label"]), escape(log["lines_scanned"]), escape(incident["start"]), escape(" → ".join(incident["stages"])),
                         escape(_reset_text(incident)), escape(incident["outcome"]), badge(incident["severity"]),
                         escape(processes)))
    return rows


def _host_html(record):
    parts = ['<section class="host" id="host-%s"><h2>%s %s</h2>' % (escape(record["host"]), escape(record["host"]), badge(record["status"]))]
    if record["status"] != "unreachable":
        parts.append("<p>Kernel <code>%s</code>, profile <b>%s</b>, amdgpu %s, taint: %s</p>" % (
            escape(record["kernel"]), escape(record["profile"]), "loaded" if record["amdgpu_loaded"] else "not loaded",
            escape(", ".join(record["taint"]["reasons"]) or "none")))
        if record["gpus"]:
            parts.append(_gpu_table_html(record["gpus"]))
        parts.append(html_table(["option", "desired", "live", "configured", "status", "notes"], [
            (escape(option["name"]), escape(option["desired"]), escape(option["live"]), escape(option["configured"]),
             status_cell(option["status"]), escape("; ".join(option["notes"])))
            for option in record["options"]]))
        if record["left_out"]:
            parts.append("<p>Left out on this host: %s</p>" % escape("; ".join("%s (%s)" % (item["name"], item["reason"]) for item in record["left_out"])))
        if record["advisories"]:
            parts.append("<h3>Advisories</h3><ul>%s</ul>" % "".join(
                "<li>%s</li>" % escape(_advisory_text(advisory)) for advisory in record["advisories"]))
        if record["notices"]:
            parts.append("<p>Log notices: %s</p>" % escape("; ".join(notice["meaning"] for notice in record["notices"])))
        parts.append(html_table(["log", "lines", "incident", "stages", "reset", "outcome", "severity", "processes"],
                                _incident_cells(record["logs"])))
        if record.get("history"):
            parts.append("<h3>Stability history</h3>" + timeline_svg(record["history"]))
            parts.append(html_table(HISTORY_HEADER, [[escape(cell) for cell in row] for row in _history_rows(record["history"])]))
            parts.append("".join("<p>%s</p>" % escape(note) for note in _history_notes(record["history"])))
    parts.append("<h3>Advice</h3><ul>%s</ul></section>" % "".join("<li>%s</li>" % escape(line) for line in record["advice"] or ["Nothing to do."]))
    return "".join(parts)


def render_html(report):
    """One page, no external resources: it opens from a mail attachment or a ticket as it is."""
    body = ""
    if report.get("stability"):
        body += "<h2>Configurations by hang rate</h2><p>Hosts that share a configuration are pooled.</p>" + html_table(
            RANKING_HEADER, [[escape(cell) for cell in row] for row in _ranking_rows(report["stability"])])
    body += "".join(_host_html(record) for record in report["hosts"])
    body += ("<p><small>The process named in a fault is the last one to submit work, not necessarily the one that "
             "caused the hang.</small></p>")
    return page("amdgpu.stability audit", report["generated"], report["summary"], body)
