# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The amdgpu hang pattern in kernel logs: line shapes, message kinds and incidents.

Reads line by line and keeps only the incident being built, so memory stays flat with log size.
Messages are matched on their body, after the log shape's prefix (dmesg, dmesg -T/-H, syslog,
journalctl short/short-iso) and the driver's device or DRM prefix are taken off.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import re
import time

# ---- line shapes ---------------------------------------------------------------------------------
# The year given to a stamp that has none (syslog, dmesg -H): a leap year, so that Feb 29 parses.
_YEARLESS = "2000"
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_SHAPES = (
    # dmesg: "[45766.649450] msg"
    ("dmesg", re.compile(r"^\[\s*(?P<ts>\d+\.\d+)\]\s?(?P<body>.*)$")),
    # dmesg -H continuation: "[  +0.000004] msg" (relative to the previous line)
    ("dmesg-H-relative", re.compile(r"^\[\s*\+(?P<ts>\d+\.\d+)\]\s?(?P<body>.*)$")),
    # dmesg -H: "[Nov26 12:00] msg"
    ("dmesg-H", re.compile(r"^\[(?P<ts>(?:%s)\s?\d{1,2} \d{2}:\d{2}(?::\d{2})?)\]\s?(?P<body>.*)$" % _MONTHS)),
    # dmesg -T: "[Thu Nov 26 12:00:00 2026] msg"
    ("dmesg-T", re.compile(r"^\[(?P<ts>\w{3} (?:%s) +\d{1,2} \d{2}:\d{2}:\d{2} \d{4})\]\s?(?P<body>.*)$" % _MONTHS)),
    # journalctl short-iso: "2026-11-26T12:00:00+0000 host kernel: msg" (optionally with fractions)
    ("short-iso", re.compile(r"^(?P<ts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?) \S+ kernel: (?P<body>.*)$")),
    # syslog / journalctl short: "Nov 26 12:00:00 host kernel: msg"
    ("syslog", re.compile(r"^(?P<ts>(?:%s) +\d{1,2} \d{2}:\d{2}:\d{2}) \S+ kernel: (?P<body>.*)$" % _MONTHS)),
)
# A kernel timestamp that syslog kept inside the message: "kernel: [ 123.456] msg".
_INNER_TS = re.compile(r"^\[\s*\d+\.\d+\]\s?")

# ---- the driver's prefixes -----------------------------------------------------------------------
_DEVICE = re.compile(r"^amdgpu (?P<dev>[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]): (?:amdgpu: )?")
_DRM = re.compile(r"^(?:\[drm(?::\S+ \[amdgpu\])?\] )?(?:\*ERROR\* )?")
_AMDGPU = re.compile(r"^amdgpu: ")


class LogLine(object):
    __slots__ = ("number", "shape", "timestamp", "seconds", "device", "message")

    def __init__(self, number, shape, timestamp, seconds, device, message):
        self.number = number
        self.shape = shape
        self.timestamp = timestamp
        self.seconds = seconds
        self.device = device
        self.message = message


class ShapeReader(object):
    """Turns raw lines into LogLines; keeps the clock of dmesg -H's relative lines."""

    def __init__(self):
        self.clock = None

    def read(self, number, raw):
        raw = raw.rstrip("\r\n")
        shape, timestamp, body = None, None, raw
        for name, pattern in _SHAPES:
            match = pattern.match(raw)
            if match:
                shape, timestamp, body = name, match.group("ts"), match.group("body")
                break
        seconds = self._seconds(shape, timestamp)
        body = _INNER_TS.sub("", body)
        device = None
        match = _DEVICE.match(body)
        if match:
            device = match.group("dev")
            body = body[match.end():]
        body = _DRM.sub("", body, count=1)
        body = _AMDGPU.sub("", body, count=1)
        return LogLine(number, shape, timestamp, seconds, device, body.strip())

    def _seconds(self, shape, timestamp):
        if shape == "dmesg":
            return float(timestamp)
        if shape == "dmesg-H-relative":
            self.clock = (self.clock or 0.0) + float(timestamp)
            return self.clock
        parsed = None
        formats = {"dmesg-T": ["%a %b %d %H:%M:%S %Y"], "syslog": ["%b %d %H:%M:%S"],
                   "dmesg-H": ["%b%d %H:%M", "%b %d %H:%M", "%b%d %H:%M:%S"]}
        if shape in formats:
            text = re.sub(r" +", " ", timestamp)
            for fmt in formats[shape]:
                if "%Y" not in fmt:
                    # A year-less stamp is parsed in a leap year: Feb 29 is a valid log date, and
                    # strptime's implicit 1900 (not leap) rejects it (and is deprecated, Python 3.13).
                    stamp, fmt = text + " " + _YEARLESS, fmt + " %Y"
                else:
                    stamp = text
                try:
                    parsed = calendar.timegm(time.strptime(stamp, fmt))
                    break
                except ValueError:
                    continue
        elif shape == "short-iso":
            try:
                parsed = calendar.timegm(time.strptime(timestamp[:19], "%Y-%m-%dT%H:%M:%S"))
            except ValueError:
                parsed = None
        if parsed is not None and shape == "dmesg-H":
            self.clock = float(parsed)
        return float(parsed) if parsed is not None else None


# ---- message kinds -------------------------------------------------------------------------------
_PROCESS = r"(?:,? for process (?P<p1>\S*) pid (?P<pid1>\d+) thread \S* pid \d+|" \
           r" in process (?P<p2>\S*) pid (?P<pid2>\d+) thread \S* pid \d+|" \
           r" Process (?P<p3>\S*) pid (?P<pid3>\d+) thread \S* pid \d+)?"
KINDS = (
    ("page_fault", re.compile(r"^\[(?P<hub>gfxhub|mmhub)\d*\] (?:retry |no-retry )?page fault "
                              r"\(src_id:\d+ ring:\d+ vmid:\d+ pasid:(?P<pasid>\d+)\)?" + _PROCESS)),
    ("fault_address", re.compile(r"^in page starting at address 0x(?P<address>[0-9a-fA-F]+) from (?:client|IH client) (?P<client>\S+)")),
    ("fault_status", re.compile(r"^(?:GC|MM)?VM_L2_PROTECTION_FAULT_STATUS:0x[0-9a-fA-F]+")),
    ("fault_client", re.compile(r"^Faulty UTCL2 client ID: (?P<utcl2>.+?)\s*$")),
    ("process", re.compile(r"^Process(?: information:)? (?:process )?(?P<p4>\S+) pid (?P<pid4>\d+)")),
    ("mes_timeout", re.compile(r"^MES(?:\(\d+\))? failed to respon(?:se|d to) msg=(?P<msg>\S+)")),
    ("mes_ring_full", re.compile(r"^MES ring buffer is full")),
    ("queue_unmap_failed", re.compile(r"^failed to unmap legacy queue")),
    # KFD, when MES does not answer a queue removal (kfd_device_queue_manager.c, 6.1 to 7.2).
    ("queue_remove_failed", re.compile(r"^failed to remove hardware queue from MES")),
    ("mes_unrecoverable", re.compile(r"^MES might be in unrecoverable state")),
    ("ring_timeout", re.compile(r"^ring (?P<ring>\S+) timeout")),
    ("ring_reset", re.compile(r"^(?:Starting (?P<ring_a>\S+) ring reset|Ring (?P<ring_b>\S+) reset succeeded)")),
    ("ring_reset_failed", re.compile(r"^Ring (?P<ring>\S+) reset failed")),
    ("cp_halt_failed", re.compile(r"^failed to (?:un)?halt cp gfx")),
    ("reset_begin", re.compile(r"^GPU reset begin!")),
    ("soft_reset_failed", re.compile(r"^soft reset failed, will fallback to full reset")),
    ("reset", re.compile(r"^(?:(?P<m1>MODE1) reset|GPU (?:smu |psp )?(?P<m2>mode1) reset$|(?P<m3>MODE2) reset|(?P<m4>BACO) reset)")),
    ("reset_failed", re.compile(r"^(?:GPU reset\(\d+\) failed|GPU (?P<method>mode1) reset failed|GPU reset end with ret = -\d+)")),
    ("reset_succeeded", re.compile(r"^(?:GPU reset succeeded|GPU reset\(\d+\) succeeded|GPU reset end with ret = 0\b)")),
    ("vram_lost", re.compile(r"^VRAM is lost")),
    ("recovery_disabled", re.compile(r"^GPU recovery disabled")),
    ("parser_failed", re.compile(r"^Failed to initialize parser -?\d+")),
    ("smu_not_matched", re.compile(r"^SMU driver if version not matched")),
    ("smu_versions", re.compile(r"^smu driver if version = 0x(?P<drv>[0-9a-fA-F]+), smu fw if version = 0x(?P<fw>[0-9a-fA-F]+)")),
    ("unknown_param", re.compile(r"^unknown parameter '(?P<param>[^']+)' ignored")),
    ("tainting", re.compile(r"^Setting dangerous option (?P<param>\S+) - tainting kernel")),
    ("mes_lr_compute_wa_off", re.compile(r"^MES FW version must be >= 0x(?P<version>[0-9a-fA-F]+) to enable LR compute workaround")),
    ("lockup_timeout_disabled", re.compile(r"^lockup timeout disabled")),
    ("tmz_not_supported", re.compile(r"^Trusted Memory Zone \(TMZ\) feature not supported")),
)
# Lines that are no hang but say something about this boot: kind -> what it means.
NOTICES = {
    "mes_lr_compute_wa_off": (
        "this kernel carries the MES long-running compute workaround (added in 6.12.52, 6.16.12, 6.17.2 and 6.18, "
        "removed again upstream in 7.0), and the MES firmware is older than it needs (0x7f on GFX11, 0x82 on "
        "GFX12), so the workaround is off; harmless on its own (mes_v11_0.c, mes_v12_0.c)"),
    "lockup_timeout_disabled": (
        "a negative amdgpu.lockup_timeout disabled the job timeout and tainted the kernel ('L'): a real GPU hang "
        "now waits forever instead of being reset, and needs a reboot (amdgpu_device.c)"),
    "tmz_not_supported": (
        "this GPU does not support TMZ: an amdgpu.tmz setting has no effect on it (amdgpu_gmc.c "
        "amdgpu_gmc_tmz_set)"),
}
STAGES = ("page_fault", "mes_timeout", "queue_unmap_failed", "queue_remove_failed", "mes_unrecoverable",
          "ring_timeout", "ring_reset", "ring_reset_failed",
          "cp_halt_failed", "reset_begin", "soft_reset_failed", "reset", "reset_succeeded", "reset_failed",
          "vram_lost", "recovery_disabled", "parser_failed")
# Kinds that belong to a fault already being reported: they extend an incident, they do not open one.
_FAULT_DETAIL = ("fault_address", "fault_status", "fault_client", "process")
# How long after its last line a hang may still continue (resets come minutes later on RDNA3).
INCIDENT_GAP_SECONDS = 300.0
# Lines that follow a reset's first outcome line: the end of the resume ("GPU reset(2) succeeded!"
# after "GPU reset succeeded, trying to resume"), lost VRAM, and processes still submitting to the
# dead context (parser -125).
AFTERMATH = ("reset_succeeded", "reset_failed", "vram_lost", "recovery_disabled", "parser_failed")


def classify(message):
    for kind, pattern in KINDS:
        match = pattern.match(message)
        if match:
            return kind, match
    return None, None


# ---- incidents -----------------------------------------------------------------------------------
class Incident(object):
    def __init__(self, line):
        self.start = line.timestamp
        self.end = line.timestamp
        self.first_line = line.number
        self.last_line = line.number
        self.last_seconds = line.seconds
        self.device = line.device
        self.stages = []
        self.page_fault = None
        self.mes_messages = []
        self.ring_timeouts = []
        self.reset_method = None
        self.processes = []
        self.finished = False

    def add(self, kind, match, line):
        self.end = line.timestamp
        self.last_line = line.number
        if line.seconds is not None:
            self.last_seconds = line.seconds
        self.device = self.device or line.device
        if kind in STAGES and kind not in self.stages:
            self.stages.append(kind)
        if kind in ("fault_status", "fault_client", "fault_address") and "page_fault" not in self.stages:
            self.stages.insert(0, "page_fault")
        fault = self.page_fault
        if kind in ("page_fault", "fault_address", "fault_client") and fault is None:
            fault = self.page_fault = {"hub": None, "client": None, "address": None, "pasid": None}
        if kind == "page_fault" and fault["hub"] is None:
            fault["hub"] = match.group("hub")
            fault["pasid"] = int(match.group("pasid"))
            for name, pid in (("p1", "pid1"), ("p2", "pid2"), ("p3", "pid3")):
                if match.group(pid):
                    self._process(match.group(name), match.group(pid))
        elif kind == "fault_address" and fault["address"] is None:
            fault["address"] = "0x" + match.group("address").lower()
            fault["client"] = fault["client"] or match.group("client")
        elif kind == "fault_client":
            fault["client"] = match.group("utcl2")
        elif kind == "process":
            self._process(match.group("p4"), match.group("pid4"))
        elif kind == "mes_timeout" and match.group("msg") not in self.mes_messages:
            self.mes_messages.append(match.group("msg"))
        elif kind == "ring_timeout" and match.group("ring") not in self.ring_timeouts:
            self.ring_timeouts.append(match.group("ring"))
        elif kind == "reset" and self.reset_method in (None, "ring"):
            # A full reset supersedes a ring reset that came first.
            self.reset_method = (match.group("m1") or match.group("m2") or match.group("m3") or match.group("m4")).lower()
        elif kind == "ring_reset" and self.reset_method is None:
            self.reset_method = "ring"
        elif kind == "reset_failed" and match.group("method") and self.reset_method in (None, "ring"):
            # "GPU mode1 reset failed" may be the only line that names the method (7.x prints no "MODE1 reset").
            self.reset_method = match.group("method").lower()
        if kind in ("reset_succeeded", "reset_failed"):
            self.finished = True

    def _process(self, name, pid):
        entry = {"name": name or None, "pid": int(pid)}
        if entry["pid"] and entry not in self.processes:
            self.processes.append(entry)

    def continues_with(self, kind, line):
        """Whether ``line`` of ``kind`` belongs to this hang rather than opening a new one."""
        near = (line.seconds is None or self.last_seconds is None
                or line.seconds - self.last_seconds <= INCIDENT_GAP_SECONDS)
        if not near:
            return False
        if self.finished:
            # After the reset: only its aftermath; a new fault is a new hang.
            return kind in AFTERMATH or (kind in _FAULT_DETAIL and kind != "fault_status")
        return True

    def outcome(self):
        # A full reset decides; a ring reset only when the driver did not escalate to a full one.
        if "reset_failed" in self.stages:
            return "failed"
        if "reset_succeeded" in self.stages:
            return "recovered"
        if any(stage in self.stages for stage in ("reset_begin", "soft_reset_failed", "reset")):
            return "unknown"
        if "ring_reset_failed" in self.stages:
            return "failed"
        if "ring_reset" in self.stages:
            return "recovered"
        return "none"

    def severity(self):
        outcome = self.outcome()
        if outcome in ("failed", "unknown") or "vram_lost" in self.stages or "recovery_disabled" in self.stages:
            return "critical"
        if self.stages == ["page_fault"] and outcome == "none":
            return "info"
        return "warning"

    def as_dict(self):
        return {
            "start": self.start, "end": self.end, "first_line": self.first_line, "last_line": self.last_line,
            "device": self.device, "stages": list(self.stages), "page_fault": self.page_fault,
            "mes_messages": list(self.mes_messages), "ring_timeouts": list(self.ring_timeouts),
            "reset_method": self.reset_method, "outcome": self.outcome(), "processes": list(self.processes),
            "severity": self.severity(),
        }


_OPENS = set(STAGES) | {"fault_status", "fault_client", "fault_address"}
# One C-level search per line decides whether a line can be of any kind above; only those lines are
# taken apart. Every pattern in KINDS contains one of these words.
_INTEREST = re.compile(r"page fault|PROTECTION_FAULT|in page starting|UTCL2|Process|MES|legacy queue|timeout|"
                       r"reset|halt cp|VRAM is lost|recovery disabled|initialize parser|if version|"
                       r"unknown parameter|dangerous option|lockup timeout|Trusted Memory Zone")


class Scanner(object):
    """Feeds on lines of interest; holds only the incident being built."""

    def __init__(self):
        self.reader = ShapeReader()
        self.incidents = []
        self.current = None
        self.smu = {"not_matched": False, "versions": None}
        self.unknown_params = []
        self.tainted_by = []
        self.notices = {}

    def feed(self, number, raw):
        line = self.reader.read(number, raw)
        kind, match = classify(line.message)
        if kind is None:
            return
        if kind == "smu_not_matched":
            self.smu["not_matched"] = True
        elif kind == "smu_versions":
            self.smu["versions"] = (match.group("drv").lower(), match.group("fw").lower())
        elif kind in NOTICES:
            self._notice(kind, line)
        elif kind in ("unknown_param", "tainting"):
            names = self.unknown_params if kind == "unknown_param" else self.tainted_by
            if match.group("param") not in names:
                names.append(match.group("param"))
        elif self.current is not None and self.current.continues_with(kind, line):
            self.current.add(kind, match, line)
        elif kind in _OPENS:
            if self.current is not None:
                self.incidents.append(self.current.as_dict())
            self.current = Incident(line)
            self.current.add(kind, match, line)

    def _notice(self, kind, line):
        notice = self.notices.get(kind)
        if notice is None:
            notice = self.notices[kind] = {"kind": kind, "count": 0, "first_line": line.number, "devices": [],
                                           "meaning": NOTICES[kind]}
        notice["count"] += 1
        if line.device and line.device not in notice["devices"]:
            notice["devices"].append(line.device)

    def result(self, count):
        if self.current is not None:
            self.incidents.append(self.current.as_dict())
            self.current = None
        result = summarise(self.incidents, self.smu, self.unknown_params, self.tainted_by, count)
        result["notices"] = list(self.notices.values())
        return result


def _relative_clock(raw):
    return raw.startswith("[  +") or raw.startswith("[ +")


def scan(lines):
    """Scan an iterable of raw log lines; returns the module's result (without ``source``)."""
    scanner = Scanner()
    count = 0
    for count, raw in enumerate(lines, 1):
        if _INTEREST.search(raw):
            scanner.feed(count, raw)
        elif _relative_clock(raw):
            scanner.reader.read(count, raw)  # dmesg -H: keep the relative clock running
    return scanner.result(count)


CHUNK = 4 * 1024 * 1024


def scan_stream(handle):
    """Scan a text file object in large blocks: the regex engine finds the lines of interest and
    Python touches only those, so a big log costs little more than reading it. Logs in dmesg -H's
    relative form need every line for their clock and go line by line."""
    first = handle.read(CHUNK)
    if "\n[  +" in first or "\n[ +" in first or _relative_clock(first):
        return scan(_chain_lines(first, handle))
    scanner = Scanner()
    count = 0
    pending = first
    while pending:
        more = handle.read(CHUNK)
        if more:
            cut = pending.rfind("\n") + 1
            if cut == 0:
                pending += more
                continue
            block, pending = pending[:cut], pending[cut:] + more
        else:
            block, pending = pending, ""
        count = _scan_block(scanner, block, count)
    return scanner.result(count)


# Every line of interest names the driver ("amdgpu 0000:…", "[drm:… [amdgpu]]", "amdgpu: …") or DRM
# ("[drm] *ERROR*"). A single literal is found at memchr speed; an alternation of words is not.
_ANCHORS = (re.compile("amdgpu"), re.compile("drm"))


def _scan_block(scanner, block, count):
    """Feed the block's lines of interest; returns the line count after the block."""
    starts = set()
    for anchor in _ANCHORS:
        for match in anchor.finditer(block):
            starts.add(block.rfind("\n", 0, match.start()) + 1)
    position = 0          # where ``count`` was taken (start of a line)
    for start in sorted(starts):
        line_end = block.find("\n", start)
        line = block[start:line_end if line_end >= 0 else len(block)]
        if not _INTEREST.search(line):
            continue
        count += block.count("\n", position, start)
        position = start
        scanner.feed(count + 1, line)
    trailing = block.count("\n", position)
    if block and not block.endswith("\n"):
        trailing += 1
    return count + trailing


class ConcatReader(object):
    """``read(size)`` across several text files in turn, each ending with a newline."""

    def __init__(self, paths):
        self.paths = list(paths)
        self.handle = None
        self.ends_with_newline = True

    def read(self, size=-1):
        while True:
            if self.handle is None:
                if not self.paths:
                    return ""
                self.handle = open(self.paths.pop(0), errors="replace")
                self.ends_with_newline = True
            data = self.handle.read(size)
            if data:
                self.ends_with_newline = data.endswith("\n")
                return data
            self.handle.close()
            self.handle = None
            if not self.ends_with_newline:
                return "\n"


def _chain_lines(first, handle):
    """The lines of ``first`` and then of the rest of ``handle``, one block in memory at a time."""
    pending = first
    while True:
        more = handle.read(CHUNK)
        if not more:
            break
        pending += more
        lines = pending.split("\n")
        pending = lines.pop()
        yield from lines
    yield from pending.splitlines()


def summarise(incidents, smu, unknown_params, tainted_by, count):
    def with_stage(*stages):
        return sum(1 for incident in incidents if any(stage in incident["stages"] for stage in stages))
    versions = smu["versions"]
    return {
        "incidents": incidents,
        "summary": {
            "incidents": len(incidents),
            "page_faults": with_stage("page_fault"),
            "mes_timeouts": with_stage("mes_timeout"),
            "ring_timeouts": with_stage("ring_timeout"),
            "resets": with_stage("reset", "reset_begin", "ring_reset"),
            "failed_resets": sum(1 for incident in incidents if incident["outcome"] == "failed"),
        },
        "smu_mismatch": smu["not_matched"] or (versions is not None and versions[0] != versions[1]),
        "unknown_params": unknown_params,
        "tainted_by": tainted_by,
        "lines_scanned": count,
    }
