# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Slurm says about a node, read from its own commands: ``scontrol show node -o NODE`` (one line
of ``Key=Value`` fields) and ``squeue -h -w NODE -t R -o %i`` (the ids of the jobs running there),
and the argv of the commands that hand a reboot to Slurm or drain a node.

Sources: scontrol(1) and squeue(1) of Slurm 22.05 (Debian 12) and later; the node state names and
flags of ``slurm/slurm.h`` (``node_state_string``): a base state (IDLE, ALLOCATED, MIXED, DOWN, ...)
and ``+``-joined flags (DRAIN, REBOOT_REQUESTED, REBOOT_ISSUED, NOT_RESPONDING, ...).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import json
import re

# A field starts where a space is followed by a key and '='. Two fields hold spaces: OS= (uname's
# version) and Reason=, which scontrol prints last ("text [user@time]").
_FIELD = re.compile(r"(?:^| )([A-Za-z][A-Za-z_]*)=")
_REASON_STAMP = re.compile(r"\s*\[[^\]]*@[^\]]*\]\s*$")

# The flags of a reboot in progress: asked for (REBOOT_REQUESTED: "scontrol reboot", waiting for the
# node's jobs with ASAP), then issued to slurmd (REBOOT_ISSUED) until the node registers again with
# a boot time after the request.
REBOOT_FLAGS = ("REBOOT_REQUESTED", "REBOOT_ISSUED")
DRAIN_FLAG = "DRAIN"
# Slurm keeps a reason whole, but sinfo and the operator read one line.
REASON_MAX = 200
# What the amdgpu role leaves on the host when it hands a reboot to Slurm (under its test root); the
# health program reads it too.
HANDOVER_FILE = "/var/lib/amdgpu-stability/slurm-handover.json"


# The reasons this collection gives Slurm. The role's, on a node it handed a reboot to (the node keeps
# it after the boot, with Slurm's " : reboot issued : reboot complete" appended) or drained after a
# verify that failed; the health program's, on a node it drained.
ROLE_REASON_PREFIX = "amdgpu.stability: "
HANDOVER_REASON_PREFIX = ROLE_REASON_PREFIX + "reboot to apply: "
HEALTH_REASON_PREFIX = "amdgpu.stability health: "


def one_line_reason(prefix, text):
    """A Slurm reason: the prefix, the text on one line, cut to REASON_MAX."""
    reason = prefix + " ".join(str(text).split())
    return reason if len(reason) <= REASON_MAX else reason[:REASON_MAX - 3] + "..."


def handover_record(text):
    """The handover record (JSON text), or {} when there is none or it is unreadable."""
    if isinstance(text, dict):
        return text
    try:
        record = json.loads(text or "{}")
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def parse_show_node(text):
    """The fields of ``scontrol show node -o``'s first line, as text: {key: value}."""
    line = (text or "").strip().splitlines()
    if not line:
        return {}
    line = line[0]
    fields = {}
    marks = list(_FIELD.finditer(line))
    for index, mark in enumerate(marks):
        key = mark.group(1)
        end = marks[index + 1].start() if index + 1 < len(marks) else len(line)
        if key == "Reason":
            # Everything after Reason= is the reason, whatever '=' it holds.
            fields[key] = line[mark.end():].strip()
            break
        fields[key] = line[mark.end():end].strip()
    return fields


def node_state(fields):
    """``{state, base, flags, reason, reason_text, boot_time, next_state}`` of a parsed node."""
    state = fields.get("State", "")
    parts = [part for part in state.split("+") if part]
    # scontrol marks a flag with a trailing '*' (not responding) in some versions: keep the name.
    parts = [part.rstrip("*") for part in parts]
    reason = fields.get("Reason", "")
    if reason in ("(null)", "none", "None"):
        reason = ""
    return {
        "state": state,
        "base": parts[0] if parts else "",
        "flags": parts[1:],
        "reason": reason,
        # The reason as given, without the "[user@time]" scontrol appends.
        "reason_text": _REASON_STAMP.sub("", reason),
        "boot_time": fields.get("BootTime", ""),
        "next_state": fields.get("NextState", ""),
    }


def reboot_in_progress(state):
    return any(flag in state.get("flags", ()) for flag in REBOOT_FLAGS)


def drained(state):
    return DRAIN_FLAG in state.get("flags", ()) or state.get("base") in ("DRAINED", "DRAINING")


def out_of_service(state):
    """Drained, or DOWN (as a handed-over reboot leaves the node, nextstate=DOWN)."""
    return drained(state) or state.get("base") == "DOWN"


def held_by(state, prefixes):
    """True when the node is out of service for a reason starting with one of ``prefixes``, and no
    reboot is in progress - whose registration decides the state, so acting before it would be
    undone or would cancel the drain."""
    return (out_of_service(state) and not reboot_in_progress(state)
            and state.get("reason_text", "").startswith(tuple(prefixes)))


def job_ids(text):
    """The job ids ``squeue -h -o %i`` printed, one per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def show_node_argv(node):
    return ["scontrol", "show", "node", "-o", node]


def running_jobs_argv(node):
    return ["squeue", "-h", "-w", node, "-t", "R", "-o", "%i"]


def reboot_argv(node, reason):
    """Reboot the node once its jobs end (ASAP drains it meanwhile) and keep it out of service after
    the boot, DOWN with the reason, until a check resumes it.

    Not nextstate=RESUME (what ASAP does when no next state is given): measured with Slurm 22.05,
    slurmctld then clears DRAIN and the reason when the rebooted node registers - also a drain the
    HealthCheckProgram made at slurmd's start, which runs before the registration - so the node would
    rejoin before anything checked its boot."""
    return ["scontrol", "reboot", "ASAP", "nextstate=DOWN", "reason=%s" % reason, node]


def drain_argv(node, reason):
    return ["scontrol", "update", "nodename=%s" % node, "state=DRAIN", "reason=%s" % reason]


def resume_argv(node):
    return ["scontrol", "update", "nodename=%s" % node, "state=RESUME"]


def _not_started(result):
    """The command module could not start the program: before ansible-core 2.21 its message is the
    OSError's ("[Errno 2] No such file or directory"), from 2.21 on only ``rc`` carries the errno
    (ENOENT) beside "Error executing command." and empty output; a scontrol that ran prints something."""
    if "No such file or directory" in (result.get("msg") or ""):
        return True
    return result.get("rc") == errno.ENOENT and not result.get("stdout") and not result.get("stderr")


def show_node_problem(result, node, controller):
    """Why ``scontrol show node`` gave no node, naming the variable to fix; '' when it did.

    ``result``: the command task's result (``rc``, ``stdout``, ``stderr``, ``msg``)."""
    rc = result.get("rc")
    # scontrol prints "Node X not found" on its standard output.
    stderr = (result.get("stderr") or "").strip() or ((result.get("stdout") or "").strip() if rc else "")
    message = (result.get("msg") or "").strip()
    where = "on %s (amdgpu_slurm_controller)" % controller
    if rc is None or rc == 127 or _not_started(result):
        return ("amdgpu_reboot_via slurm: scontrol is not on the PATH %s; install Slurm's client commands there "
                "(Debian: slurm-client) or set amdgpu_slurm_controller to a host that has them" % where)
    if rc == 0 and parse_show_node(result.get("stdout")).get("NodeName") == node:
        return ""
    if re.search(r"\bnot found\b|Invalid node name", stderr + " " + (result.get("stdout") or ""), re.IGNORECASE):
        return ("amdgpu_slurm_node: Slurm does not know the node '%s' (scontrol show node %s %s: %s); set "
                "amdgpu_slurm_node to the host's NodeName in slurm.conf" % (node, node, where, stderr or "no such node"))
    if re.search(r"Unable to contact slurm controller|Zero Bytes were transmitted|Connection refused|timed out",
                 stderr, re.IGNORECASE):
        return ("amdgpu_slurm_controller: the Slurm controller does not answer scontrol %s (%s); start slurmctld "
                "or point amdgpu_slurm_controller at a host whose slurm.conf reaches it" % (where, stderr))
    return ("amdgpu_reboot_via slurm: scontrol show node %s %s failed (rc %s): %s"
            % (node, where, rc, stderr or message or "no output"))
