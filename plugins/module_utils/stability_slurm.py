# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health program as Slurm's HealthCheckProgram (``--slurm-node NODE``): Slurm runs it when slurmd
starts - before the node registers, so before a rebooted node returns to service - and every
HealthCheckInterval, and acts on nothing but what the program tells it through scontrol (its exit
status is only logged). So, as LBNL NHC does:

- CRITICAL (a failed reset, a GPU gone, an option or argument not in effect after a reboot): drain
  the node with the summary as the reason, prefixed ``amdgpu.stability health:``;
- OK or WARNING: resume the node when its drain is this program's own (the prefix), and only then -
  an operator's drain, Slurm's own, and the amdgpu role's verify drain stay;
- UNKNOWN (the check could not run): leave the node as it is, and say so.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import shutil

from ansible_collections.amdgpu.stability.plugins.module_utils import slurm_node
from ansible_collections.amdgpu.stability.plugins.module_utils.stability_health import (
    CRITICAL, OK, UNKNOWN, WARNING, output_of)

REASON_PREFIX = "amdgpu.stability health: "


def health_reason(summary):
    return slurm_node.one_line_reason(REASON_PREFIX, summary)


def action(status, state, summary):
    """``(what, argv_tail)``: ``drain``, ``resume`` or ``none``, and the scontrol arguments (no
    command name) - from the check's status and the node's parsed state."""
    node = state["node"]
    if status == CRITICAL:
        reason = health_reason(summary)
        if slurm_node.drained(state) and state.get("reason_text") == reason:
            return "none", []
        return "drain", slurm_node.drain_argv(node, reason)[1:]
    if status in (OK, WARNING) and slurm_node.drained(state) and state.get("reason_text", "").startswith(REASON_PREFIX):
        return "resume", slurm_node.resume_argv(node)[1:]
    return "none", []


def tell_slurm(spawn, node, status, summary, which=shutil.which):
    """Run the action for this status; returns one line for the program's error output."""
    scontrol = which("scontrol")
    if scontrol is None:
        return "slurm: scontrol is not on the PATH; node %s left as it is" % node
    shown = output_of(spawn, [scontrol] + slurm_node.show_node_argv(node)[1:]).decode("utf-8", "replace")
    fields = slurm_node.parse_show_node(shown)
    if fields.get("NodeName") != node:
        return "slurm: Slurm does not know node %s; left as it is" % node
    state = dict(slurm_node.node_state(fields), node=node)
    if status == UNKNOWN:
        return "slurm: the check could not run; node %s left %s" % (node, state["state"])
    what, tail = action(status, state, summary)
    if what != "none":
        output_of(spawn, [scontrol] + tail)
    return "slurm: node %s %s" % (node, {"drain": "drained: " + health_reason(summary), "resume": "resumed",
                                         "none": "left %s" % state["state"]}[what])
