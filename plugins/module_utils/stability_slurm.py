# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health program as Slurm's HealthCheckProgram (``--slurm-node NODE``): Slurm runs it when slurmd
starts - before the node registers, so before a rebooted node returns to service - and every
HealthCheckInterval, and acts on nothing but what the program tells it through scontrol (its exit
status is only logged). So, as LBNL NHC does:

- while a reboot is in progress (requested, or issued and not yet registered - the run at slurmd's
  start): leave the node, whose state Slurm sets when it registers;
- CRITICAL (a failed reset, a GPU gone, an option or argument not in effect after a reboot): drain
  the node with the summary as the reason, prefixed ``amdgpu.stability health:`` - unless it is
  drained already, whose reason (an operator's, the amdgpu role's verify's) is kept;
- OK or WARNING with no reboot pending: resume the node when it is out of service for this program's
  own drain or for the reboot the amdgpu role handed to Slurm (which leaves it DOWN with the role's
  reason, ``nextstate=DOWN``), and only then - an operator's drain, Slurm's own, and the amdgpu
  role's verify drain stay. So a handed-over reboot returns the node to service at the first passing
  check after the boot (HealthCheckInterval);
- UNKNOWN (the check could not run): leave the node as it is, and say so.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import shutil

from ansible_collections.amdgpu.stability.plugins.module_utils import slurm_node
from ansible_collections.amdgpu.stability.plugins.module_utils.stability_health import (
    CRITICAL, OK, UNKNOWN, WARNING, output_of)

# The out-of-service reasons a passing check ends: its own drain's, and the handed-over reboot's.
RESUMES = (slurm_node.HEALTH_REASON_PREFIX, slurm_node.HANDOVER_REASON_PREFIX)


def health_reason(summary):
    return slurm_node.one_line_reason(slurm_node.HEALTH_REASON_PREFIX, summary)


def action(status, state, summary, reboot_pending=False):
    """``(what, argv_tail)``: ``drain``, ``resume`` or ``none``, and the scontrol arguments (no
    command name) - from the check's status, the node's parsed state and whether what the check
    expects still waits for a reboot (an argument pending is no reason to return the node)."""
    node = state["node"]
    if slurm_node.reboot_in_progress(state):
        return "none", []
    if status == CRITICAL:
        if slurm_node.drained(state):
            # Out of service already: its reason (an operator's, the verify's, an earlier check's) stays.
            return "none", []
        return "drain", slurm_node.drain_argv(node, health_reason(summary))[1:]
    if status in (OK, WARNING) and not reboot_pending and slurm_node.held_by(state, RESUMES):
        return "resume", slurm_node.resume_argv(node)[1:]
    return "none", []


def tell_slurm(spawn, node, status, summary, which=shutil.which, reboot_pending=False):
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
    what, tail = action(status, state, summary, reboot_pending)
    if what != "none":
        output_of(spawn, [scontrol] + tail)
    return "slurm: node %s %s" % (node, {"drain": "drained: " + health_reason(summary), "resume": "resumed",
                                         "none": "left %s" % state["state"]}[what])
