# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The amdgpu hang pattern in kernel logs: line shapes, message kinds and incidents.

Reads line by line and keeps only the incident being built, so memory stays flat with log size.
Messages are matched on their body, after the log shape's prefix (dmesg, dmesg -T/-H, syslog,
journalctl short/short-iso/short-full/short-monotonic, in the locales strftime writes) and the
driver's device or DRM prefix are taken off. What the messages are, and which kernel prints each,
is data: amdgpu_log_data. Here: how their kinds make an incident, its outcome and its severity.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import re

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_log_data import (
    INTEREST, MESSAGES, RESET_SOURCES, STAGES)

# ---- line shapes ---------------------------------------------------------------------------------
# The year given to a stamp that has none (syslog, dmesg -H): a leap year, so that Feb 29 parses.
_YEARLESS = 2000
# Month names as strftime's %b writes them (dmesg -T, dmesg -H and journalctl short follow the locale):
# English, German, French, Spanish, Italian, Portuguese, Dutch, Polish, Russian. A name not here still
# gives the line its shape (its message is read); only its time is unknown.
_MONTH_NAMES = (
    ("jan", "ene", "gen", "sty", "janv", "janvier", "\u044f\u043d\u0432"),
    ("feb", "fev", "f\u00e9v", "f\u00e9vr", "lut", "\u0444\u0435\u0432"),
    ("mar", "m\u00e4r", "mars", "mrt", "\u043c\u0430\u0440"),
    ("apr", "abr", "avr", "avril", "kwi", "\u0430\u043f\u0440"),
    ("may", "mai", "mag", "mei", "maj", "\u043c\u0430\u044f", "\u043c\u0430\u0439"),
    ("jun", "juin", "giu", "cze", "\u0438\u044e\u043d"),
    ("jul", "juil", "lug", "lip", "\u0438\u044e\u043b"),
    ("aug", "ago", "ao\u00fbt", "sie", "\u0430\u0432\u0433"),
    ("sep", "sept", "set", "wrz", "\u0441\u0435\u043d"),
    ("oct", "okt", "ott", "out", "pa\u017a", "\u043e\u043a\u0442"),
    ("nov", "lis", "\u043d\u043e\u044f"),
    ("dec", "dez", "d\u00e9c", "dic", "gru", "\u0434\u0435\u043a"),
)
MONTHS = dict((name, number) for number, names in enumerate(_MONTH_NAMES, 1) for name in names)
# A month or weekday name in any script, as %b/%a abbreviate it ("Nov", "Mär", "déc.", "ноя").
_NAME = r"[^\W\d_]{2,7}\.?"
_CLOCK = r"(?P<H>\d{2}):(?P<M>\d{2})"
_SHAPES = (
    # journalctl -o short-monotonic: "[ 9531.004113] host kernel: msg"
    ("short-monotonic", re.compile(r"^\[\s*(?P<ts>\d+\.\d+)\] \S+ kernel: (?P<body>.*)$")),
    # dmesg: "[45766.649450] msg"
    ("dmesg", re.compile(r"^\[\s*(?P<ts>\d+\.\d+)\]\s?(?P<body>.*)$")),
    # dmesg -H continuation: "[  +0.000004] msg" (relative to the previous line)
    ("dmesg-H-relative", re.compile(r"^\[\s*\+(?P<ts>\d+\.\d+)\]\s?(?P<body>.*)$")),
    # dmesg -H: "[Nov26 12:00] msg", "[Dez 1 12:00:07] msg"
    ("dmesg-H", re.compile(r"^\[(?P<ts>(?P<mon>%s) ?(?P<d>\d{1,2}) %s(?::(?P<S>\d{2}))?)\]\s?(?P<body>.*)$"
                           % (_NAME, _CLOCK))),
    # dmesg -T: "[Thu Nov 26 12:00:00 2026] msg", "[Do Nov 26 ...]", "[jeu. déc.  3 ...]"
    ("dmesg-T", re.compile(r"^\[(?P<ts>%s +(?P<mon>%s) +(?P<d>\d{1,2}) %s:(?P<S>\d{2}) (?P<Y>\d{4}))\]\s?(?P<body>.*)$"
                           % (_NAME, _NAME, _CLOCK))),
    # journalctl short-iso: "2026-11-26T12:00:00+0000 host kernel: msg" (optionally with fractions)
    ("short-iso", re.compile(r"^(?P<ts>(?P<Y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})T%s:(?P<S>\d{2})(?:[.,]\d+)?"
                             r"(?:Z|[+-]\d{2}:?\d{2})?) \S+ kernel: (?P<body>.*)$" % _CLOCK)),
    # journalctl short-full: "Tue 2026-11-24 23:41:57 UTC host kernel: msg"
    ("short-full", re.compile(r"^(?P<ts>%s (?P<Y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2}) %s:(?P<S>\d{2})(?:\.\d+)? \S+) "
                              r"\S+ kernel: (?P<body>.*)$" % (_NAME, _CLOCK))),
    # syslog / journalctl short: "Nov 26 12:00:00 host kernel: msg", "Dez  1 ...", "déc. 01 ..."
    ("syslog", re.compile(r"^(?P<ts>(?P<mon>%s) +(?P<d>\d{1,2}) %s:(?P<S>\d{2})) \S+ kernel: (?P<body>.*)$"
                          % (_NAME, _CLOCK))),
)
_FLOAT_SHAPES = ("dmesg", "short-monotonic")
# A kernel timestamp that syslog kept inside the message: "kernel: [ 123.456] msg".
_INNER_TS = re.compile(r"^\[\s*\d+\.\d+\]\s?")
# What a paste in a mail or a forum puts before a line: quote marks and indentation.
_QUOTING = "> \t"

# ---- the driver's prefixes -----------------------------------------------------------------------
# "amdgpu 0000:03:00.0: amdgpu: msg" up to 6.18, "amdgpu 0000:03:00.0: msg" from 7.x (dev_* calls).
_DEVICE = re.compile(r"^amdgpu (?P<dev>[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]): (?:amdgpu: )?")
# DRM_ERROR: "[drm:func [amdgpu]] *ERROR* msg"; drm_err/drm_info: "[drm] *ERROR* msg", "[drm] msg".
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
        raw = raw.rstrip("\r\n").lstrip(_QUOTING)
        shape, match, body = None, None, raw
        for name, pattern in _SHAPES:
            match = pattern.match(raw)
            if match:
                shape, body = name, match.group("body")
                break
        timestamp = match.group("ts") if shape else None
        seconds = self._seconds(shape, match) if shape else None
        body = _INNER_TS.sub("", body)
        device = None
        found = _DEVICE.match(body)
        if found:
            device = found.group("dev")
            body = body[found.end():]
        body = _DRM.sub("", body, count=1)
        body = _AMDGPU.sub("", body, count=1)
        return LogLine(number, shape, timestamp, seconds, device, body.strip())

    def _seconds(self, shape, match):
        if shape in _FLOAT_SHAPES:
            return float(match.group("ts"))
        if shape == "dmesg-H-relative":
            self.clock = (self.clock or 0.0) + float(match.group("ts"))
            return self.clock
        fields = match.groupdict()
        if fields.get("m"):
            month = int(fields["m"])
        else:
            month = MONTHS.get(fields["mon"].rstrip(".").lower())
            if month is None:
                return None
        try:
            parsed = float(calendar.timegm((int(fields.get("Y") or _YEARLESS), month, int(fields["d"]),
                                            int(fields["H"]), int(fields["M"]), int(fields.get("S") or 0), 0, 0, 0)))
        except (ValueError, OverflowError):
            return None
        if shape == "dmesg-H":
            self.clock = parsed
        return parsed


# Shapes whose stamp carries a date: their seconds are wall-clock time (UTC where no zone is given).
_DATED = ("dmesg-T", "short-iso", "short-full")


def wall_clock_seconds(stamp):
    """Epoch seconds of a timestamp as an incident's ``start`` prints it, when it carries a date; else
    None (dmesg's seconds since boot, a year-less syslog stamp)."""
    if not stamp:
        return None
    for raw in ("[%s] x" % stamp, "%s host kernel: x" % stamp):
        line = ShapeReader().read(0, raw)
        if line.shape in _DATED:
            return line.seconds
    return None


# ---- message kinds -------------------------------------------------------------------------------
# From the data (amdgpu_log_data.MESSAGES), in its order: the first pattern that matches decides.
# Compiled on first use: compiling them is most of what importing this module costs, and a caller that
# classifies no line (the health program's timer run when nothing new was logged) never needs them.
_KINDS = []


def kinds():
    """((kind, compiled pattern), ...) in the data's order."""
    if not _KINDS:
        _KINDS.extend((message.kind, re.compile(message.pattern)) for message in MESSAGES)
    return _KINDS


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
# Kinds that belong to a fault already being reported: they extend an incident, they do not open one.
_FAULT_DETAIL = ("fault_address", "fault_status", "fault_client", "process")
# Kinds that only ever come inside a hang already open (a ring reset's pipe and queue lines).
_INSIDE_ONLY = ("process", "pipe_reset")
# How long after its last line a hang may still continue (resets come minutes later on RDNA3).
INCIDENT_GAP_SECONDS = 300.0
# The interrupt handler prints a fault while the reset thread finishes (7.x ring resets): a fault this
# close after the end of a hang is part of it.
AFTERMATH_FAULT_SECONDS = 1.0
# Lines that end a hang: a full reset's outcome, a ring reset that worked, a soft recovery.
_ENDS = ("reset_succeeded", "reset_failed", "ring_reset", "soft_recovered")
# Lines that follow the end: the end of the resume ("GPU reset(2) succeeded!" after "GPU reset
# succeeded, trying to resume"), lost VRAM, the DRM wedged event, a GPU that fell off the bus, and
# processes still submitting to the dead context (parser -125).
AFTERMATH = ("reset_succeeded", "reset_failed", "vram_lost", "recovery_disabled", "parser_failed", "device_lost",
             "wedged_recovered", "wedged_needs_recovery")
# What the named reset lines say the method was.
_METHOD_GROUPS = ("m1", "m2", "m3", "m4", "m5", "m6")
# Lines after which the GPU is not usable: the incident failed, whatever else it says.
_FATAL = ("reset_failed", "device_lost", "wedged_needs_recovery", "emergency_restart")
# A full reset under way (amdgpu_device_gpu_recover).
_FULL_RESET = ("reset_begin", "soft_reset_failed", "reset", "guilty_signaled")
# How a hang was recovered without a full reset, most drastic first.
_LESSER_RECOVERIES = (("ring_reset", "ring"), ("queue_reset", "queue"), ("soft_recovered", "soft"),
                      ("wedged_recovered", "soft"))


def classify(message):
    for kind, pattern in kinds():
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
        self.reset_source = None
        self.processes = []
        self.finished = False

    def _stage(self, stage):
        if stage not in self.stages:
            self.stages.append(stage)

    def add(self, kind, match, line):
        self.end = line.timestamp
        self.last_line = line.number
        if line.seconds is not None:
            self.last_seconds = line.seconds
        self.device = self.device or line.device
        if kind in STAGES:
            self._stage(kind)
        if kind in ("fault_status", "fault_client", "fault_address") and "page_fault" not in self.stages:
            self.stages.insert(0, "page_fault")
        if kind in ("page_fault", "fault_address", "fault_client"):
            self._fault(kind, match)
        elif kind == "process":
            self._process(match.group("p4"), match.group("pid4"))
        elif kind == "mes_timeout" and match.group("msg") not in self.mes_messages:
            self.mes_messages.append(match.group("msg"))
        elif kind in ("ring_timeout", "soft_recovered"):
            self._stage("ring_timeout")
            if "soft_recovered" in self.stages:
                # Keep the driver's order: the timeout, then its soft recovery.
                self.stages.remove("soft_recovered")
                self.stages.append("soft_recovered")
            if match.group("ring") not in self.ring_timeouts:
                self.ring_timeouts.append(match.group("ring"))
        elif kind == "reset_begin" and match.group("source") is not None:
            number = int(match.group("source"))
            self.reset_source = RESET_SOURCES[number] if number < len(RESET_SOURCES) else str(number)
        self._method(kind, match)
        if kind in _ENDS:
            self.finished = True

    def _fault(self, kind, match):
        fault = self.page_fault
        if fault is None:
            fault = self.page_fault = {"hub": None, "client": None, "address": None, "pasid": None}
        if kind == "page_fault" and fault["hub"] is None:
            fault["hub"] = match.group("hub")
            fault["pasid"] = int(match.group("pasid")) if match.group("pasid") is not None else None
            for name, pid in (("p1", "pid1"), ("p2", "pid2"), ("p3", "pid3")):
                if match.group(pid):
                    self._process(match.group(name), match.group(pid))
        elif kind == "fault_address" and fault["address"] is None:
            fault["address"] = "0x" + match.group("address").lower()
            fault["client"] = fault["client"] or match.group("client")
        elif kind == "fault_client":
            fault["client"] = match.group("utcl2")

    def _method(self, kind, match):
        """The most drastic reset the driver named: a full reset supersedes a ring or queue reset."""
        lesser = self.reset_method in (None, "ring", "queue", "soft")
        if kind == "reset" and lesser:
            method = next(match.group(group) for group in _METHOD_GROUPS if match.group(group))
            self.reset_method = method.lower()
        elif kind == "reset_failed" and lesser and (match.group("method") or match.group("smu")):
            # "GPU mode1 reset failed" may be the only line that names the method (7.x prints no "MODE1 reset").
            self.reset_method = (match.group("method") or match.group("smu")).lower()
        elif kind in ("ring_reset_begin", "ring_reset") and self.reset_method in (None, "queue", "soft"):
            self.reset_method = "ring"
        elif kind == "queue_reset" and self.reset_method in (None, "soft"):
            self.reset_method = "queue"
        elif kind in ("soft_recovered", "guilty_signaled") and self.reset_method is None:
            self.reset_method = "soft"

    def _process(self, name, pid):
        entry = {"name": name or None, "pid": int(pid)}
        if entry["pid"] and entry not in self.processes:
            self.processes.append(entry)

    def continues_with(self, kind, line):
        """Whether ``line`` of ``kind`` belongs to this hang rather than opening a new one."""
        gap = None if line.seconds is None or self.last_seconds is None else line.seconds - self.last_seconds
        if gap is not None and gap > INCIDENT_GAP_SECONDS:
            return False
        if self.finished:
            # After the end: only its aftermath; a new fault is a new hang unless it comes at once.
            if kind in AFTERMATH or kind == "process":
                return True
            if kind in ("page_fault",) + _FAULT_DETAIL:
                return gap is not None and gap <= AFTERMATH_FAULT_SECONDS
            return False
        return True

    def outcome(self):
        stages = self.stages
        if any(stage in stages for stage in _FATAL):
            return "failed"
        if any(stage in stages for stage in _FULL_RESET):
            # The full reset decides; "Guilty job already signaled" ends it without touching the hardware.
            return "recovered" if "reset_succeeded" in stages or "guilty_signaled" in stages else "unknown"
        if "ring_reset" in stages:
            return "recovered"
        if any(stage in stages for stage, _level in _LESSER_RECOVERIES):
            return "recovered"
        if "ring_reset_failed" in stages:
            # Failed, and no escalation that recovered it is in the log.
            return "failed"
        if "ring_reset_begin" in stages:
            return "unknown"
        return "none"

    def reset_level(self):
        """The reset that ended the hang: the full reset's method, ring, queue, soft, or none."""
        if self.outcome() != "recovered":
            return "none"
        if "guilty_signaled" in self.stages and "reset" not in self.stages:
            return "soft"
        if any(stage in self.stages for stage in _FULL_RESET):
            return self.reset_method if self.reset_method not in (None, "ring", "queue", "soft") else "full"
        for stage, level in _LESSER_RECOVERIES:
            if stage in self.stages:
                return level
        return "none"

    def wedged(self):
        if "wedged_needs_recovery" in self.stages:
            return "needs recovery"
        if "wedged_recovered" in self.stages:
            return "recovered"
        return None

    def severity(self):
        outcome = self.outcome()
        if outcome in ("failed", "unknown") or any(
                stage in self.stages for stage in ("vram_lost", "recovery_disabled")):
            return "critical"
        if self.stages == ["page_fault"] and outcome == "none":
            return "info"
        return "warning"

    def as_dict(self):
        return {
            "start": self.start, "end": self.end, "first_line": self.first_line, "last_line": self.last_line,
            "device": self.device, "stages": list(self.stages), "page_fault": self.page_fault,
            "mes_messages": list(self.mes_messages), "ring_timeouts": list(self.ring_timeouts),
            "reset_method": self.reset_method, "reset_level": self.reset_level(), "reset_source": self.reset_source,
            "wedged": self.wedged(), "outcome": self.outcome(), "processes": list(self.processes),
            "severity": self.severity(),
        }


_OPENS = (set(STAGES) | {"fault_status", "fault_client", "fault_address"}) - set(_INSIDE_ONLY)
# One C-level search per line decides whether a line can be of any kind above; only those lines are
# taken apart. Every form of the data contains one of these words (a unit test renders them all).
_INTEREST = re.compile(INTEREST)


def of_interest(line):
    """Whether a whole log line (its shape's prefix included) can be a line the block reader feeds
    on: it names the driver or DRM, and holds one of the words every message kind contains."""
    return ("amdgpu" in line or "drm" in line) and _INTEREST.search(line) is not None


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
    more = handle.read(CHUNK) if first else ""
    if not more:
        # A log that fits in one block - a paste, one boot's dmesg - is read line by line: a line a
        # user pasted without the driver's prefix ("ring gfx_0.0.0 timeout") is found there too.
        return scan(first.splitlines())
    if "\n[  +" in first or "\n[ +" in first or _relative_clock(first):
        return scan(_chain_lines(first + more, handle))
    scanner = Scanner()
    count = 0
    pending = first + more
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
            "resets": with_stage("reset", "reset_begin", "ring_reset_begin", "ring_reset", "queue_reset"),
            "failed_resets": sum(1 for incident in incidents if incident["outcome"] == "failed"),
        },
        "smu_mismatch": smu["not_matched"] or (versions is not None and versions[0] != versions[1]),
        "unknown_params": unknown_params,
        "tainted_by": tainted_by,
        "lines_scanned": count,
    }
