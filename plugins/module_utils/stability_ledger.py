# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health program's state directory: one ledger per boot, the read positions, and a lock.

The ledgers are the truth: every counter the program exports is summed from them, so a counter never
goes backwards (ledgers are only ever added to) and a hang is counted once (it is keyed by its
identity, whatever reads it again). The read positions only save work: when they are lost or
corrupt, the log is read again from the start of the boot and nothing is counted twice.

    <state dir>/boots/<boot id>.json    one boot: when seen, kernel, command line, options, firmware,
                                        and its hangs (settled ones count; an open one is updated)
    <state dir>/positions.json          journal cursor, log files' inode and offset, scan errors
    <state dir>/lock                    held (flock) for the whole run

Every file is written to a temporary file in the same directory, flushed to disk and renamed over
the old one: a crash leaves the old file or the new one, never half of one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import fcntl
import json
import os
import time

LEDGER_VERSION = 1
# What a settled hang keeps: enough for the stability history and the counters.
HANG_FIELDS = ("id", "start", "end", "device", "stages", "outcome", "reset_method", "reset_level", "reset_source",
               "wedged", "severity", "processes", "settled")


class StateError(Exception):
    """A state file that cannot be used; the message says which and why."""


def hang_id(boot_id, incident):
    """The identity of a hang: its boot, GPU, first line's time as printed and first stage."""
    key = "|".join(str(part) for part in (boot_id, incident.get("device"), incident.get("start"),
                                          (incident.get("stages") or [""])[0]))
    # Imported here: loading OpenSSL is a tenth of a timer run, and most runs record no hang.
    import hashlib  # pylint: disable=import-outside-toplevel

    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def write_json_atomically(path, data):
    directory = os.path.dirname(path)
    temporary = os.path.join(directory, ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    try:
        with open(temporary, "w") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(temporary, path)
    except (IOError, OSError):
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def read_json(path):
    """The file's JSON object; None when there is no file; StateError when it cannot be used."""
    try:
        with open(path) as handle:
            data = json.load(handle)
    except (IOError, OSError) as error:
        if error.errno == errno.ENOENT:
            return None
        raise StateError("%s: cannot be read (%s)" % (path, error.strerror))
    except ValueError as error:
        raise StateError("%s: not valid JSON (%s) - truncated or corrupt" % (path, error))
    if not isinstance(data, dict):
        raise StateError("%s: not a JSON object - corrupt" % path)
    return data


class StateDir(object):
    def __init__(self, path):
        self.path = path
        self.boots = os.path.join(path, "boots")
        self.positions_path = os.path.join(path, "positions.json")
        self._lock = None

    def prepare(self):
        for directory in (self.path, self.boots):
            if not os.path.isdir(directory):
                os.makedirs(directory, 0o755)

    def lock(self):
        """Hold the lock for this run; StateError when another run holds it."""
        self._lock = open(os.path.join(self.path, "lock"), "a")
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (IOError, OSError) as error:
            self._lock.close()
            self._lock = None
            if error.errno in (errno.EAGAIN, errno.EACCES):
                raise StateError("%s: another run of the health program holds the lock" % self.path)
            raise

    def unlock(self):
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    # ---- read positions -----------------------------------------------------------------------
    def positions(self):
        """(positions, problem): a corrupt file gives empty positions and says why."""
        try:
            return read_json(self.positions_path) or {}, None
        except StateError as error:
            return {}, str(error)

    def save_positions(self, positions):
        write_json_atomically(self.positions_path, positions)

    # ---- ledgers ----------------------------------------------------------------------------------
    def ledger_path(self, boot_id):
        return os.path.join(self.boots, "%s.json" % boot_id)

    def ledger(self, boot_id):
        """This boot's ledger (a new one when there is none); StateError when it is corrupt."""
        ledger = read_json(self.ledger_path(boot_id))
        if ledger is None:
            ledger = {"version": LEDGER_VERSION, "boot_id": boot_id, "hangs": []}
        return ledger

    def set_aside(self, boot_id):
        """Move a damaged ledger out of the way (kept for a human); returns its new name."""
        aside = "%s.corrupt-%d" % (self.ledger_path(boot_id), int(time.time()))
        os.rename(self.ledger_path(boot_id), aside)
        return os.path.basename(aside)

    def save_ledger(self, ledger):
        write_json_atomically(self.ledger_path(ledger["boot_id"]), ledger)

    def ledgers(self):
        """(ledgers, problems) of every boot seen, oldest first; a corrupt one is named, not used."""
        found, problems = [], []
        for name in sorted(os.listdir(self.boots)) if os.path.isdir(self.boots) else []:
            if not name.endswith(".json"):
                continue
            try:
                ledger = read_json(os.path.join(self.boots, name))
            except StateError as error:
                problems.append(str(error))
                continue
            if ledger is not None:
                found.append(ledger)
        found.sort(key=lambda ledger: ledger.get("first_seen") or 0)
        return found, problems


def record_hangs(ledger, boot_id, incidents, settled_until):
    """Add or update this boot's hangs; ``settled_until`` is how many of ``incidents`` are settled
    (the rest may still grow). A settled hang is never changed again. Returns the new settled hangs."""
    known = dict((hang["id"], hang) for hang in ledger["hangs"])
    new = []
    for index, incident in enumerate(incidents):
        identity = hang_id(boot_id, incident)
        entry = dict((field, incident.get(field)) for field in HANG_FIELDS if field in incident)
        entry["id"] = identity
        entry["settled"] = index < settled_until
        previous = known.get(identity)
        if previous is not None and previous.get("settled"):
            continue
        if previous is None:
            ledger["hangs"].append(entry)
        else:
            previous.update(entry)
        known[identity] = entry if previous is None else previous
        if entry["settled"]:
            new.append(entry)
    return new


def totals(ledgers):
    """Counts of settled hangs and resets over all ledgers: the exported counters."""
    hangs, resets = {}, {}
    for ledger in ledgers:
        for hang in ledger.get("hangs", []):
            if not hang.get("settled"):
                continue
            slot = hang.get("device") or "unknown"
            key = (slot, hang.get("outcome") or "unknown", hang.get("reset_level") or "none")
            hangs[key] = hangs.get(key, 0) + 1
            method = hang.get("reset_method")
            if method:
                resets[(slot, method)] = resets.get((slot, method), 0) + 1
    return hangs, resets
