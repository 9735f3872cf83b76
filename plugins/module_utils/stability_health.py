# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""amdgpu-stability-health: is this host's GPU stable, and what has it done since the last run?

    amdgpu-stability-health [--root DIR] [--log-file PATH]... [--since WHEN] [--window HOURS]
                            [--textfile PATH] [--state-dir DIR] [--format text|json]

Reads the kernel log from where the last run stopped (the journal's cursor, or each --log-file's
inode and offset), finds the hangs with the collection's log scanner, records them in this boot's
ledger, compares the live amdgpu options and kernel arguments with what the host was given
(/etc/amdgpu-stability/expected.json, written by the amdgpu.stability.monitor role), and prints one
summary line first. Exit status, the Nagios / LBNL NHC / Slurm HealthCheckProgram /
node-problem-detector convention: 0 OK, 1 WARNING (a hang that recovered within the window, an
advisory, an option waiting for a reboot), 2 CRITICAL (a failed reset or a GPU gone in this boot, an
option not in effect after a reboot), 3 UNKNOWN (the check itself could not run).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import os
import re
import shutil
import sys
import time

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_log, slurm_node
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_advisories import host_info
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_params import live_value
from ansible_collections.amdgpu.stability.plugins.module_utils.boot_cmdline import running_tokens
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import is_in_effect, token_name
from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import read_under, under
from ansible_collections.amdgpu.stability.plugins.module_utils.stability_ledger import (
    StateDir, StateError, record_hangs, totals)

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
STATUS_NAMES = ("OK", "WARNING", "CRITICAL", "UNKNOWN")
EXPECTED = "/etc/amdgpu-stability/expected.json"
DEFAULT_STATE_DIR = "/var/lib/amdgpu-stability"
DEFAULT_TEXTFILE = "/var/lib/prometheus/node-exporter/amdgpu_stability.prom"
# How long after the end of a hang its aftermath may still come (see settled_count).
ENDED_SETTLE_SECONDS = 30.0
# Kernel arguments worth keeping in a boot's ledger: what decides how amdgpu behaves.
CMDLINE_PREFIXES = ("amdgpu.", "iommu", "amd_iommu", "pcie_aspm", "pci=", "mem_encrypt", "idle", "processor.")


# ---- the kernel log, from where the last run stopped -------------------------------------------

class Read(object):
    """What one source gave: lines per boot, in order, and where to start next time."""

    def __init__(self):
        self.boots = []          # [(boot_id, [(position, raw line)])]
        self.position = None     # where the next run starts when every hang read is settled
        self.end_seconds = None  # the newest line's time (or the clock): what "settled" is measured by
        self.grew = False        # whether the source had anything new since the last run
        self._count = 0

    def next_position(self):
        """A journal line's position: its place in this read."""
        self._count += 1
        return self._count

    def add(self, boot_id, position, raw):
        if not self.boots or self.boots[-1][0] != boot_id:
            self.boots.append((boot_id, []))
        self.boots[-1][1].append((position, raw))


# journalctl's short-iso-precise in UTC: the scanner's own shape, with microseconds. Its own JSON
# output costs journalctl nearly three times as much on a large journal, so the journal is read one
# boot at a time (a boot's id is then known without a field per entry) with the cursor printed last.
JOURNAL_FORMAT = ["-o", "short-iso-precise", "--utc", "--show-cursor", "--no-pager", "-q"]
_CURSOR_LINE = "-- cursor: "
_BOOT_ID = re.compile(r"^[0-9a-f]{32}$")
# Every line -k gives is a kernel message, but journald names only those of the kernel facility
# "kernel": a line a program wrote to /dev/kmsg keeps the identifier it carried, or none
# (journalctl prints "unknown"). The scanner reads "host kernel: message".
_IDENTIFIER = re.compile(r"^(\S+ \S+ )[^\s:]+?(?:\[\d+\])?: ")


def kernel_line(line):
    """A journalctl -k short line with the identifier the scanner expects."""
    return _IDENTIFIER.sub(r"\1kernel: ", line, count=1)


def list_boots_argv(journalctl):
    return [journalctl, "--list-boots", "--no-pager", "-q"]


def journal_boots(output):
    """Boot ids, oldest first, from ``journalctl --list-boots`` (its table: index, boot id, first and
    last entry - the same columns in every systemd version)."""
    boots = []
    for line in output.splitlines():
        fields = line.split()
        if len(fields) > 1 and _BOOT_ID.match(fields[1]):
            boots.append(fields[1])
    return boots


def cursor_boot(cursor):
    """The boot a journal cursor is in (its b= field), or None."""
    for part in (cursor or "").split(";"):
        if part.startswith("b="):
            return part[2:]
    return None


def boots_to_read(boots, positions):
    """The boots with entries after the saved cursor: the cursor's own boot and those after it (all
    of them when there is no cursor, or when its boot has left the journal)."""
    at = cursor_boot(positions.get("journal_cursor"))
    return boots[boots.index(at):] if at in boots else boots


def journal_argv(journalctl, boot, positions, since):
    argv = [journalctl, "-k", "-b", boot] + JOURNAL_FORMAT
    cursor = positions.get("journal_cursor")
    if cursor:
        # journal_inclusive: a state written before pending lines were kept (its cursor is a hang's start).
        argv += ["--cursor" if positions.get("journal_inclusive") else "--after-cursor", cursor]
    elif since:
        argv += ["--since", since]
    return argv


def output_of(spawn, argv):
    """A process's whole output (bytes); IOError with its message when it fails."""
    process = spawn(argv)
    output = process.stdout.read()
    _finish(process, argv)
    return output


def _finish(process, argv, silent_1_is_empty=False):
    error = process.stderr.read().decode("utf-8", "replace").strip()
    if process.wait() == 0:
        return
    # journalctl --show-cursor exits 1, silently, when the boot has no entry to show (systemd 252):
    # that is no news, not a failure. A failure says why on its error output.
    if silent_1_is_empty and process.returncode == 1 and not error:
        return
    raise IOError("%s failed (rc=%d): %s" % (os.path.basename(argv[0]), process.returncode, error or "no message"))


def read_journal(spawn, journalctl, positions, since, now):
    """Read the kernel's journal entries after the saved cursor, boot by boot, behind the lines of an
    unfinished hang the last run kept (``journal_pending``); only lines that can be a hang are kept.
    ``spawn(argv)`` starts a process with its output and errors on pipes: the program's entry point
    hands it in (module_utils start no processes of their own)."""
    read = Read()
    pending = positions.get("journal_pending") or {}
    for raw in pending.get("lines", []):
        read.add(pending["boot"], read.next_position(), raw)
    cursor = positions.get("journal_cursor")
    boots = journal_boots(output_of(spawn, list_boots_argv(journalctl)).decode("utf-8", "replace"))
    for boot in boots_to_read(boots, positions):
        argv = journal_argv(journalctl, boot, positions, since)
        process = spawn(argv)
        printed = False
        for raw in process.stdout:
            printed = True
            # The driver's name is in the line as it is in the message: most lines are never decoded.
            if b"amdgpu" not in raw and b"drm" not in raw and not raw.startswith(b"--"):
                continue
            text = raw.decode("utf-8", "replace")
            if text.startswith(_CURSOR_LINE):
                read.grew = read.grew or text[len(_CURSOR_LINE):].strip() != cursor
                cursor = text[len(_CURSOR_LINE):].strip()
            elif amdgpu_log.of_interest(text):
                read.add(boot, read.next_position(), kernel_line(text))
        _finish(process, argv, silent_1_is_empty=not printed)
    # What the last run kept is in this read: the next one starts from this cursor (None: dropped).
    read.position = {"journal_cursor": cursor, "journal_pending": None, "journal_inclusive": None}
    read.end_seconds = now
    return read


def read_files(paths, positions, current_boot, now):
    """Read each log file from the saved offset; a file replaced (another inode) or shorter than the
    offset (rotated, truncated) is read from its start, and that is reported."""
    read, notes = Read(), []
    saved = positions.get("files", {})
    new_positions = {}
    for path in paths:
        info = os.stat(path)
        previous = saved.get(path) or {}
        offset = previous.get("offset", 0)
        if previous and (previous.get("inode") != info.st_ino or info.st_size < offset):
            notes.append("%s was rotated or truncated since the last run: read from its start" % path)
            offset = 0
        with open(path, "rb") as handle:
            handle.seek(offset)
            position = offset
            for raw in handle:
                text = raw.decode("utf-8", "replace")
                if text.endswith("\n") and amdgpu_log.of_interest(text):
                    read.add(current_boot, (path, position), text)
                if not text.endswith("\n"):
                    break               # a line still being written: read it next time
                position += len(raw)
                read.grew = read.grew or position > previous.get("end", previous.get("offset", 0))
        # offset: where the next run starts (moved back to an open hang's start); end: how far this one read.
        new_positions[path] = {"inode": info.st_ino, "offset": position, "end": position}
    read.position = {"files": new_positions}
    read.end_seconds = now
    return read, notes


# ---- hangs --------------------------------------------------------------------------------------

def scan_boot(lines):
    """The incidents of one boot's lines, with the position of each incident's first line."""
    scanner = amdgpu_log.Scanner()
    for number, (_position, raw) in enumerate(lines, 1):
        scanner.feed(number, raw.rstrip("\n"))
    result = scanner.result(len(lines))
    return result["incidents"], [lines[incident["first_line"] - 1][0] for incident in result["incidents"]]


def settled_count(incidents, end_seconds, grew):
    """How many of the incidents can no longer grow: all but the last, and the last once nothing came
    for INCIDENT_GAP_SECONDS after it (a reset minutes after its fault still belongs to it). A stamp
    without a date (dmesg's seconds since boot, syslog's year-less one) cannot be held against the
    clock: the last hang is settled when the driver ended it (recovered, failed) or when the log did
    not grow for a whole run. A dated hang the driver ended is settled ENDED_SETTLE_SECONDS after
    its last line."""
    if not incidents:
        return 0
    last = incidents[-1]
    ended = last["outcome"] in ("recovered", "failed")
    seconds = amdgpu_log.wall_clock_seconds(last["end"])
    if seconds is None or end_seconds is None:
        open_ = grew and not ended
    else:
        # What follows the end of a hang (VRAM lost, the wedged event) comes within a second or two.
        open_ = end_seconds - seconds <= (ENDED_SETTLE_SECONDS if ended else amdgpu_log.INCIDENT_GAP_SECONDS)
    return len(incidents) - 1 if open_ else len(incidents)


# ---- this host now ------------------------------------------------------------------------------

def boot_id(root):
    """This boot's id as the journal writes it (_BOOT_ID: 32 hex digits, no dashes)."""
    return (read_under(root, "/proc/sys/kernel/random/boot_id") or "unknown-boot").strip().replace("-", "")


def uptime_hours(root):
    text = read_under(root, "/proc/uptime")
    try:
        return round(float(text.split()[0]) / 3600.0, 3)
    except (AttributeError, IndexError, ValueError):
        return None


# Written by the amdgpu role when it hands a reboot to Slurm (amdgpu_reboot_via slurm): until that
# reboot, what it was for is pending, not missing (WARNING, not the CRITICAL that drains the node).
SLURM_HANDOVER = slurm_node.HANDOVER_FILE


def handed_to_slurm_this_boot(root, current):
    record = slurm_node.handover_record(read_under(root, SLURM_HANDOVER))
    return str(record.get("boot_id") or "").replace("-", "") == current


def expected(root):
    """What the host was given, or None; StateError when the file is there but unusable."""
    path = under(root, EXPECTED)
    text = read_under(root, EXPECTED)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise StateError("%s: not valid JSON (%s)" % (path, error))
    if not isinstance(data, dict):
        raise StateError("%s: not a JSON object" % path)
    return data


def option_checks(root, wanted, loaded, reboot_pending):
    """Per wanted amdgpu option and kernel argument: in effect, or why not."""
    checks = []
    for name, value in sorted((wanted.get("options") or {}).items()):
        live = live_value(root, name) if loaded else None
        in_effect = live is not None and _same_value(live, value)
        checks.append({"kind": "option", "name": name, "wanted": str(value), "live": live, "in_effect": in_effect})
    tokens = running_tokens(root) or []
    for token in wanted.get("kernel_args") or []:
        checks.append({"kind": "kernel_arg", "name": token_name(token), "wanted": token,
                       "live": " ".join(t for t in tokens if token_name(t) == token_name(token)) or None,
                       "in_effect": is_in_effect(tokens, token)})
    for check in checks:
        check["pending_reboot"] = not check["in_effect"] and reboot_pending
    return checks


def _same_value(live, wanted):
    live, wanted = str(live).strip(), str(wanted).strip()
    if live == wanted:
        return True
    try:
        return int(live, 0) == int(wanted, 0)
    except ValueError:
        return {live.upper(), wanted.upper()} <= {"Y", "1"} or {live.upper(), wanted.upper()} <= {"N", "0"}


def amdgpu_cmdline(root):
    return [token for token in running_tokens(root) or [] if token.startswith(CMDLINE_PREFIXES)]


# ---- the verdict ---------------------------------------------------------------------------------

def verdict(hangs_this_boot, window_start, checks, gpus_gone, advisories, problems):
    """(status, reasons): the worst first."""
    reasons = []
    for hang in hangs_this_boot:
        if hang.get("outcome") in ("failed", "unknown"):
            reasons.append((CRITICAL, "%s %s: a GPU hang the driver did not recover (%s, %s)" % (
                hang.get("device") or "GPU", hang.get("start"), hang.get("outcome"), " → ".join(hang["stages"][-3:]))))
    for slot in gpus_gone:
        reasons.append((CRITICAL, "%s: the GPU seen earlier in this boot is gone from the PCI bus" % slot))
    for check in checks:
        if not check["in_effect"]:
            status = WARNING if check["pending_reboot"] else CRITICAL
            reasons.append((status, "%s %s: wanted %s, live %s%s" % (
                check["kind"].replace("_", " "), check["name"], check["wanted"], check["live"],
                " (a reboot is pending)" if check["pending_reboot"] else " - not in effect after a reboot")))
    # A hang the driver got over, or one it printed no reset for (6.12 resets a ring without a word);
    # a lone page fault it survived is no hang. A stamp without a date counts for the whole boot.
    recent = [hang for hang in hangs_this_boot if hang.get("outcome") in ("recovered", "none")
              and hang.get("severity") != "info"
              and (hang.get("_seconds") is None or hang["_seconds"] >= window_start)]
    if recent:
        last = recent[-1]
        reasons.append((WARNING, "%d GPU hang%s in the last window (last: %s, %s)" % (
            len(recent), "" if len(recent) == 1 else "s", last.get("start"),
            "%s reset" % last.get("reset_level") if last.get("outcome") == "recovered" else "no reset in the log")))
    for advisory in advisories:
        reasons.append((WARNING, "advisory %s: %s" % (advisory["id"], advisory["subject"])))
    for problem in problems:
        reasons.append((WARNING, "scan: %s" % problem))
    reasons.sort(key=lambda reason: -reason[0])
    return (reasons[0][0] if reasons else OK), [text for _status, text in reasons]


def summary_line(status, reasons, facts):
    gpus = facts.get("gpus") or []
    head = "AMDGPU-STABILITY %s" % STATUS_NAMES[status]
    if reasons:
        more = " (+%d more)" % (len(reasons) - 1) if len(reasons) > 1 else ""
        return "%s - %s%s" % (head, reasons[0], more)
    return "%s - %d GPU%s, no hang in the window, every option in effect" % (
        head, len(gpus), "" if len(gpus) == 1 else "s")


# ---- one run ------------------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(prog="amdgpu-stability-health", description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--root", default="/", help="read the host's files under this directory (tests)")
    parser.add_argument("--log-file", action="append", default=[], dest="log_files",
                        help="read this kernel log file instead of the journal (repeatable)")
    parser.add_argument("--since", help="on the first run, read the journal from this time (journalctl --since)")
    parser.add_argument("--window", type=float, default=24.0,
                        help="hours in which a recovered hang makes the status WARNING (default 24)")
    parser.add_argument("--textfile", default=None,
                        help="write Prometheus metrics here (node_exporter's textfile collector); default %s when "
                             "that directory exists, '' for none" % DEFAULT_TEXTFILE)
    parser.add_argument("--state-dir", default=DEFAULT_STATE_DIR)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--slurm-node", default=None,
                        help="as Slurm's HealthCheckProgram: drain this node on CRITICAL; when the check passes, "
                             "return it to service if this program drained it or it is held for the reboot the "
                             "amdgpu role handed to Slurm")
    args = parser.parse_args(argv)
    if args.window <= 0:
        parser.error("--window: must be more than 0 hours, got %s" % args.window)
    if args.textfile is None:
        default = os.path.join(args.root, DEFAULT_TEXTFILE.lstrip("/"))
        args.textfile = default if os.path.isdir(os.path.dirname(default)) else ""
    return args


def run(args, now=None, spawn=None):
    """One check; returns the result (``status`` and the rest). Raises StateError when it cannot run."""
    now = time.time() if now is None else now
    state = StateDir(args.state_dir)
    state.prepare()
    state.lock()
    try:
        return _run_locked(args, state, now, spawn)
    finally:
        state.unlock()


def _run_locked(args, state, now, spawn):
    problems = []
    current = boot_id(args.root)
    positions, problem = state.positions()
    if problem:
        problems.append(problem + "; the log is read again from the start and nothing is counted twice")
    read, notes = read_log(args, positions, current, now, spawn)
    problems.extend(notes)

    facts = host_info(args.root)
    try:
        ledger = state.ledger(current)
    except StateError as error:
        # The boot's hangs are still in the log: set the damaged file aside and read them again.
        aside = state.set_aside(current)
        problems.append("%s; set aside as %s, this boot's log is read again" % (error, aside))
        ledger = state.ledger(current)
        read = _reread(args, current, now, spawn)
    _describe_boot(ledger, args.root, facts, now)
    resume = None
    for boot, lines in read.boots:
        incidents, starts = scan_boot(lines)
        # An earlier boot's hangs cannot grow any more.
        settled = settled_count(incidents, read.end_seconds, read.grew) if boot == current else len(incidents)
        if settled < len(incidents) and resume is None:
            resume = (boot, lines, starts[settled])
        target = ledger if boot == current else _other_boot(state, boot, lines)
        record_hangs(target, boot, incidents, settled)
        if target is not ledger:
            state.save_ledger(target)
    state.save_ledger(ledger)

    new_positions = dict(positions)
    new_positions.update(read.position or {})
    if resume is not None:
        _resume_at(new_positions, *resume)
    new_positions = dict((key, value) for key, value in new_positions.items() if value is not None)
    new_positions["last_success"] = now
    state.save_positions(new_positions)

    ledgers, ledger_problems = state.ledgers()
    problems.extend(ledger_problems)
    wanted = expected(args.root)
    kernel = facts["kernel"]
    reboot_pending = bool(kernel.get("reboot_requested")) or handed_to_slurm_this_boot(args.root, current)
    checks = option_checks(args.root, wanted, facts["amdgpu_loaded"], reboot_pending) if wanted else []
    gone = [slot for slot in ledger.get("gpus_seen", []) if slot not in [gpu["pci_slot"] for gpu in facts["gpus"]]]
    hangs = [dict(hang, _seconds=_hang_seconds(hang)) for hang in ledger["hangs"]]
    status, reasons = verdict(hangs, now - args.window * 3600.0, checks, gone, facts.get("advisories") or [],
                              problems)
    hang_totals, reset_totals = totals(ledgers)
    return {"status": status, "status_name": STATUS_NAMES[status], "summary": summary_line(status, reasons, facts),
            "reasons": reasons, "boot_id": current, "hangs_this_boot": ledger["hangs"], "checks": checks,
            "gpus": [{"pci_slot": gpu["pci_slot"], "family": gpu["family"], "firmware": gpu["firmware"]}
                     for gpu in facts["gpus"]],
            "kernel": {"release": kernel["release"], "taint": kernel["taint"], "reboot_required": reboot_pending},
            "hang_totals": [{"pci_slot": slot, "outcome": outcome, "method": method, "count": count}
                            for (slot, outcome, method), count in sorted(hang_totals.items())],
            "reset_totals": [{"pci_slot": slot, "method": method, "count": count}
                             for (slot, method), count in sorted(reset_totals.items())],
            "boots": len(ledgers), "problems": problems, "last_success": now}


def read_log(args, positions, current, now, spawn):
    """(Read, notes) from the --log-file files or the journal, from the saved positions."""
    if args.log_files:
        missing = [path for path in args.log_files if not os.path.isfile(path)]
        if missing:
            raise StateError("--log-file: not a readable file: %s" % ", ".join(missing))
        return read_files(args.log_files, positions, current, now)
    journalctl = shutil.which("journalctl")
    if journalctl is None:
        raise StateError("journalctl is not installed: give the kernel log with --log-file")
    if spawn is None:
        raise StateError("this entry point cannot start journalctl: give the kernel log with --log-file")
    return read_journal(spawn, journalctl, positions, args.since, now), []


def _reread(args, current, now, spawn):
    """Everything again, from no saved position (``--since`` still bounds the journal)."""
    return read_log(args, {}, current, now, spawn)[0]


def _describe_boot(ledger, root, facts, now):
    """What this boot ran with: kept from its first run on, updated when it changes (a module reload)."""
    ledger.setdefault("first_seen", now)
    ledger["last_seen"] = now
    ledger["hours_up"] = uptime_hours(root)
    ledger["kernel"] = facts["kernel"]["release"]
    ledger["cmdline"] = amdgpu_cmdline(root)
    ledger["options"] = _live_options(root)
    ledger["firmware"] = dict((gpu["pci_slot"], gpu["firmware"]) for gpu in facts["gpus"])
    seen = ledger.setdefault("gpus_seen", [])
    for gpu in facts["gpus"]:
        if gpu["pci_slot"] not in seen:
            seen.append(gpu["pci_slot"])


def _live_options(root):
    directory = under(root, "/sys/module/amdgpu/parameters")
    if not os.path.isdir(directory):
        return {}
    return dict((name, live_value(root, name)) for name in sorted(os.listdir(directory)))


def _other_boot(state, boot, lines):
    """The ledger of an earlier boot the journal still holds: its hangs, and when it was seen."""
    ledger = state.ledger(boot)
    stamps = [amdgpu_log.ShapeReader().read(0, raw).seconds for _position, raw in (lines[0], lines[-1])]
    if stamps[0] is not None:
        ledger["first_seen"] = min(ledger.get("first_seen") or stamps[0], stamps[0])
        ledger["last_seen"] = max(ledger.get("last_seen") or stamps[1], stamps[1])
    return ledger


def _resume_at(positions, boot, lines, start):
    """Start the next run at the first line of a hang that may still grow: a file from that line's
    offset; the journal after its cursor, behind the lines of interest from that line on (kept in the
    state: a short output carries no cursor per line)."""
    if isinstance(start, tuple):
        path, offset = start
        positions["files"][path]["offset"] = min(positions["files"][path]["offset"], offset)
    else:
        positions["journal_pending"] = {"boot": boot, "lines": [raw for position, raw in lines if position >= start]}


def _hang_seconds(hang):
    return amdgpu_log.wall_clock_seconds(hang.get("start"))


def render_text(result):
    lines = [result["summary"]]
    lines.extend("  " + reason for reason in result["reasons"][1:])
    return "\n".join(lines)


def main(argv=None, stdout=sys.stdout, stderr=sys.stderr, spawn=None):
    """The program; ``spawn(argv)`` (a subprocess.Popen with stdout and stderr on pipes) runs
    journalctl - without it only --log-file can be read."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        result = _run_waiting(args, spawn) if args.slurm_node else run(args, spawn=spawn)
    except (StateError, IOError, OSError) as error:
        stdout.write("AMDGPU-STABILITY UNKNOWN - %s\n" % error)
        _write_failure_metrics(args, str(error), stderr)
        _tell_slurm(args, spawn, UNKNOWN, str(error), stderr)
        return UNKNOWN
    if args.textfile:
        try:
            from ansible_collections.amdgpu.stability.plugins.module_utils.stability_metrics import write_textfile
            write_textfile(args.textfile, result)
        except (ImportError, IOError, OSError) as error:
            result["problems"].append("--textfile %s: %s" % (args.textfile, error))
            stderr.write("amdgpu-stability-health: --textfile %s: %s\n" % (args.textfile, error))
    stdout.write((json.dumps(result, indent=1, sort_keys=True) if args.format == "json" else render_text(result)) + "\n")
    _tell_slurm(args, spawn, result["status"], result["summary"], stderr,
                reboot_pending=bool(result.get("kernel", {}).get("reboot_required")))
    return result["status"]


# Slurm runs the check when slurmd starts, which is also when the timer's first run may hold the lock.
LOCK_TRIES, LOCK_WAIT = 3, 5.0


def _run_waiting(args, spawn, sleep=time.sleep):
    for attempt in range(LOCK_TRIES):
        try:
            return run(args, spawn=spawn)
        except StateError as error:
            if "holds the lock" not in str(error) or attempt == LOCK_TRIES - 1:
                raise
            sleep(LOCK_WAIT)


def _tell_slurm(args, spawn, status, summary, stderr, reboot_pending=False):
    """--slurm-node: drain or resume the node as the status says (stability_slurm.py)."""
    if not args.slurm_node:
        return
    if spawn is None:
        stderr.write("amdgpu-stability-health: --slurm-node: this entry point cannot start scontrol\n")
        return
    from ansible_collections.amdgpu.stability.plugins.module_utils.stability_slurm import tell_slurm
    try:
        told = tell_slurm(spawn, args.slurm_node, status, summary, reboot_pending=reboot_pending)
        stderr.write("amdgpu-stability-health: %s\n" % told)
    except (IOError, OSError) as error:
        stderr.write("amdgpu-stability-health: --slurm-node %s: %s\n" % (args.slurm_node, error))


def failure_result(state_dir, error):
    """What a run that could not check still exports: the counters of the ledgers it can read (no
    counted hang disappears), status UNKNOWN, the error."""
    state = StateDir(state_dir)
    ledgers, problems = state.ledgers() if os.path.isdir(state_dir) else ([], [])
    hang_totals, reset_totals = totals(ledgers)
    # The last run that succeeded is still the last one: the "scan stopped" alert reads it.
    last_success = state.positions()[0].get("last_success") if os.path.isdir(state_dir) else None
    return {"status": UNKNOWN, "problems": [error] + problems, "checks": [], "gpus": [], "kernel": None,
            "last_success": last_success,
            "hang_totals": [{"pci_slot": slot, "outcome": outcome, "method": method, "count": count}
                            for (slot, outcome, method), count in sorted(hang_totals.items())],
            "reset_totals": [{"pci_slot": slot, "method": method, "count": count}
                             for (slot, method), count in sorted(reset_totals.items())],
            "hangs_this_boot": []}


def _write_failure_metrics(args, error, stderr):
    if not args.textfile:
        return
    try:
        from ansible_collections.amdgpu.stability.plugins.module_utils.stability_metrics import write_textfile
        write_textfile(args.textfile, failure_result(args.state_dir, error))
    except (ImportError, IOError, OSError) as failure:
        stderr.write("amdgpu-stability-health: --textfile %s: %s\n" % (args.textfile, failure))
