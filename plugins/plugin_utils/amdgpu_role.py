# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decisions of the amdgpu role, on the controller: what the input asks for, which options suit
the host, whether to reboot, and the report of the run. The role's YAML calls these through filters
(plugins/filter/amdgpu_role.py) and only orchestrates: read, call, write, notify.

Each step a function of plain data (what the input asks for is resolved in amdgpu_request.py, and
which options suit the host's hardware is chosen on the host, module_utils/amdgpu_choice.py):
- :func:`converged` - whether the host already is what the run asks for, read once by amdgpu_plan;
- :func:`reboot_decision` - why a reboot is needed and what happens to it, called before the busy
  check, after it and after the reboot with the facts known by then; :func:`run_report` turns the
  whole run into ``amdgpu_report``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils import slurm_node
from ansible_collections.amdgpu.stability.plugins.plugin_utils.display_advice import display_advice


# The verdicts of reboot_decision, in the order the checks are made.
NOT_REQUIRED, NOT_ALLOWED, BUSY, IMPOSSIBLE, REBOOTED = "not_required", "not_allowed", "busy", "impossible", "rebooted"
HANDED_TO_SENTINEL, HANDED_TO_SLURM = "handed_to_sentinel", "handed_to_slurm"
# What kured, unattended-upgrades and needrestart read: the flag file, and the packages that asked.
SENTINEL = "/var/run/reboot-required"
SENTINEL_PACKAGES = "/var/run/reboot-required.pkgs"
SENTINEL_NAME = "amdgpu.stability"


def as_bool(value):
    """Role variables arrive as YAML booleans, or as text from -e and older templating."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "y")
    return bool(value)


def _exit_code(value):
    """An exit code, or None when the command did not run (older templating renders none as text)."""
    if value is None or str(value) in ("", "None"):
        return None
    return int(value)


# --- reboot --------------------------------------------------------------------------------------

def reboot_reasons(facts):
    """One sentence per reason this run needs a reboot."""
    reasons = list(facts.get("grub_reasons") or [])
    reasons.extend("amdgpu option %s is configured but not live yet" % name
                   for name, result in (facts.get("option_status") or {}).items()
                   if result.get("status") == "pending_reboot")
    if facts.get("state") == "absent" and as_bool(facts.get("modprobe_changed")) and as_bool(facts.get("amdgpu_loaded")):
        reasons.append("amdgpu options were removed but stay live until amdgpu reloads")
    if as_bool(facts.get("packages_changed")):
        reasons.append("packages were installed or upgraded")
    if as_bool(facts.get("distribution_asks")):
        reasons.append("/run/reboot-required exists (the distribution asks for a reboot)")
    return reasons


def _not_allowed_because(facts):
    if not as_bool(facts.get("reboot_ok")):
        return "amdgpu_reboot_ok is false"
    if facts.get("connection") == "local":
        return "the connection is local, and Ansible would reboot the machine it runs on"
    return ""


def busy_verdict(busy, when_busy, busy_timeout):
    """``(record, blocker)`` from the busy check's facts (``processes``, ``command_rc``): the record
    the report shows, and why the reboot must not happen ('' when it may)."""
    processes = list(busy.get("processes") or [])
    command_rc = _exit_code(busy.get("command_rc"))
    command_busy = command_rc is not None and command_rc != 0
    is_busy = bool(processes) or command_busy
    record = {"processes": processes, "command_busy": command_busy, "forced": is_busy and when_busy == "force"}
    if not is_busy or when_busy == "force":
        return record, ""
    why = []
    if processes:
        why.append("%d GPU compute process(es), PIDs %s" % (len(processes), ", ".join(str(pid) for pid in processes)))
    if command_busy:
        why.append("amdgpu_reboot_busy_command exited %s" % command_rc)
    waited = " after waiting %s s" % busy_timeout if when_busy == "wait" else ""
    return record, "busy: %s%s (amdgpu_reboot_when_busy %s)" % (" and ".join(why), waited, when_busy)


def slurm_reason(text):
    """A Slurm reason: this collection's prefix, one line, short enough to read in sinfo."""
    return slurm_node.one_line_reason(slurm_node.ROLE_REASON_PREFIX, text)


def _handover_reason(reasons):
    more = " (and %d more)" % (len(reasons) - 1) if len(reasons) > 1 else ""
    return slurm_node.one_line_reason(slurm_node.HANDOVER_REASON_PREFIX, "%s%s" % (reasons[0], more))


def _came_back(facts):
    """True when Slurm rebooted the node since this collection handed the reboot over for what the
    run still asks for: the handover record names another boot and the same wanted configuration.
    A record that cannot be read is no handover, so the reboot is asked for again (Slurm keeps one)."""
    handover = slurm_node.handover_record(facts.get("handover"))
    return (bool(handover.get("boot_id")) and handover.get("boot_id") != facts.get("boot_id")
            and handover.get("wants") == facts.get("wants"))


def slurm_handover(facts, reasons):
    """The Slurm half of a decision: ``{node, controller, request, reboot_argv, reason, handover}``.

    ``request``: ask Slurm now - not when a reboot is already in progress there (an earlier run of
    this role, or an operator, asked for it). ``handover``: the record
    written on the host (``/var/lib/amdgpu-stability/slurm-handover.json``) so that a later run knows
    the reboot Slurm makes is this collection's: node, this boot's id, what was wanted, why."""
    node = facts.get("slurm_node") or {}
    name = node.get("node") or facts.get("slurm_node_name")
    reason = _handover_reason(reasons)
    in_progress = slurm_node.reboot_in_progress(node) if node.get("state") else False
    return {"node": name, "controller": node.get("controller"), "request": not in_progress, "reason": reason,
            "reboot_argv": slurm_node.reboot_argv(name, reason),
            "handover": {"node": name, "boot_id": facts.get("boot_id"), "wants": facts.get("wants"), "reasons": reasons}}


def reboot_decision(facts):
    """What happens to the reboot, from what is known so far.

    ``facts``: ``state``, ``grub_reasons``, ``option_status``, ``modprobe_changed``, ``amdgpu_loaded``,
    ``packages_changed``, ``distribution_asks`` (why a reboot is needed); ``reboot_ok``, ``connection``
    (whether one is allowed); ``busy`` (``{processes, command_rc}``, once the busy check ran),
    ``when_busy``, ``busy_timeout``; ``container``; ``rebooted`` (after the reboot task); ``reboot_via``
    (``ansible``, the default; ``sentinel`` or ``slurm``: the reboot is handed over, never made); with
    ``slurm``: ``slurm_node`` (:func:`slurm_node_record` of the preflight), ``slurm_node_name``,
    ``boot_id`` (this boot's), ``wants`` (the kernel arguments and options asked for) and ``handover``
    (the record an earlier handover left on the host, or None).

    Returns ``required`` (this run's changes need a reboot), ``reasons``, ``look_for_busy`` (run the
    busy check now), ``reboot_now``, ``write_sentinel`` (with ``sentinel``: the ``flag`` and
    ``packages`` files and the ``name`` to write there), ``slurm`` (with ``slurm``: see
    :func:`slurm_handover`; None otherwise), ``verdict`` (``not_required``, ``not_allowed``, ``busy``,
    ``impossible``, ``rebooted``, ``handed_to_sentinel``, ``handed_to_slurm``; None while the busy check
    is still to run), ``pending`` (required and not done), ``skipped_because`` and the ``busy`` record.
    The order of the checks: Slurm rebooted the node since the handover, not required, handed over,
    not allowed, busy, a container that has no boot of its own."""
    reasons = reboot_reasons(facts)
    via = facts.get("reboot_via", "ansible")
    decision = {"required": bool(reasons), "reasons": reasons, "look_for_busy": False, "reboot_now": False,
                "write_sentinel": False, "slurm": None, "verdict": NOT_REQUIRED, "pending": False,
                "skipped_because": "", "busy": {"processes": [], "command_busy": False, "forced": False}}
    if via == "slurm" and _came_back(facts):
        # The reboot was made: whether it took is the verify's to say (and a node that came back
        # without the arguments is drained there). Handing it over again would loop.
        decision.update(verdict=REBOOTED, rebooted_by="slurm")
        return decision
    if not reasons:
        return decision
    decision["pending"] = True
    if via == "sentinel":
        # The engine that owns the node drains it and reboots when it sees the flag (kured), or the
        # operator does: neither amdgpu_reboot_ok nor a busy check of this role has a say.
        decision.update(verdict=HANDED_TO_SENTINEL, write_sentinel=True,
                        sentinel={"flag": SENTINEL, "packages": SENTINEL_PACKAGES, "name": SENTINEL_NAME},
                        skipped_because="handed to %s for kured or the operator (amdgpu_reboot_via sentinel)" % SENTINEL)
        return decision
    if via == "slurm":
        # Slurm drains the node, waits for its jobs (ASAP) and reboots it; it owns the busy check.
        handover = slurm_handover(facts, reasons)
        decision.update(verdict=HANDED_TO_SLURM, slurm=handover,
                        skipped_because="handed to Slurm: scontrol reboot ASAP nextstate=DOWN %s" % handover["node"])
        return decision
    blocker = _not_allowed_because(facts)
    if blocker:
        decision.update(verdict=NOT_ALLOWED, skipped_because=blocker)
        return decision
    if facts.get("busy") is None:
        decision.update(verdict=None, look_for_busy=True)
        return decision
    decision["busy"], blocker = busy_verdict(facts["busy"], facts.get("when_busy", "skip"), facts.get("busy_timeout"))
    if blocker:
        decision.update(verdict=BUSY, skipped_because=blocker)
    elif as_bool(facts.get("container")):
        decision.update(verdict=IMPOSSIBLE, skipped_because="the host is a container, which has no boot of its own")
    elif as_bool(facts.get("rebooted")):
        decision.update(verdict=REBOOTED, pending=False)
    else:
        decision.update(verdict=REBOOTED, reboot_now=True)
    return decision


# --- converged -----------------------------------------------------------------------------------

# What the role's copy tasks make of the files they write besides their text.
MANAGED_MODE, MANAGED_UID, MANAGED_GID = "0644", 0, 0


def grub_work(grub):
    """Why the GRUB files or grub.cfg would change; [] when they are as planned."""
    if grub.get("error") or not grub.get("supported"):
        return ["GRUB: %s" % (grub.get("error") or grub.get("boot_stack_description") or "not supported")]
    work = ["GRUB: %s to change" % path for path in grub.get("changed_files") or []]
    if grub.get("missing"):
        work.append("GRUB: %s overridden by a later file" % " ".join(grub["missing"]))
    generated = grub.get("boot_config") or grub.get("grub_cfg") or {}
    if generated.get("stale"):
        work.append("boot loader: %s does not match the files" % (generated.get("path") or "its configuration"))
    return work


def file_work(found):
    """Why a file the role manages would change, from amdgpu_plan's record of it (as it is, and
    ``wanted``: its text, or None when the file must not be this collection's)."""
    path, wanted = found["path"], found["wanted"]
    if wanted is None:
        return ["%s: to remove" % path] if found["ours"] else []
    if found["content"] != wanted:
        return ["%s: %s" % (path, "to write" if found["content"] is None else "to rewrite")]
    if (found["mode"], found["uid"], found["gid"]) != (MANAGED_MODE, MANAGED_UID, MANAGED_GID):
        return ["%s: mode or owner to set" % path]
    return []


def converged(plan, request):
    """Whether the host already is what the run would make it: ``{converged, because, decision, report}``.

    ``plan``: amdgpu_plan's result, read before any change. ``request``: :func:`reboot_decision`'s
    facts about what is asked (``state``, ``reboot_ok``, ``reboot_via``, ``connection``, ...) with
    ``profile``, ``options_via``, ``kernel_args`` (resolved) and ``packages_managed``; the facts about
    this run's changes are the plan's (nothing is changed yet).

    A converged host has nothing to write, no packages to manage and no reboot to make or hand over
    (a pending reboot the role may not make is reported, as the whole run would report it). The role
    then ends with ``report``, the ``amdgpu_report`` the whole run would have given; ``because`` says
    what is left to do otherwise (``report`` is None then). ``refusal``: why the modprobe file must not
    be changed here (an initramfs tool this collection does not rebuild), '' when it may."""
    modprobe_changes = file_work(plan["modprobe"])
    # With dracut, its drop-in that names the modprobe file.
    because = grub_work(plan["grub"]) + modprobe_changes + file_work(plan["initramfs"]["include"])
    if as_bool(request.get("packages_managed")):
        because.append("packages: amdgpu_install_packages asks apt")
    if request.get("reboot_via") == "slurm":
        # The node's state belongs in every report, and only Slurm can tell it.
        because.append("slurm: the node is asked for its state")
    chosen = plan["chosen"]
    final = chosen["options"] if request.get("state") == "present" else {}
    option_status = dict((name, result) for name, result in (plan["preflight"].get("params") or {}).items()
                         if name in final)
    facts = dict(request, grub_reasons=plan["grub"].get("reboot_reasons") or [], option_status=option_status,
                 modprobe_changed=False, packages_changed=False, amdgpu_loaded=plan["info"]["amdgpu_loaded"],
                 distribution_asks=plan["info"]["kernel"].get("reboot_requested", False))
    decision = reboot_decision(facts)
    # A reboot this role may not make (amdgpu_reboot_ok false, a local connection) leaves nothing to do
    # but report it; one it may make needs the busy check, and one handed over needs its engine told.
    if decision["verdict"] not in (NOT_REQUIRED, NOT_ALLOWED):
        because.append("reboot: %s" % (decision["skipped_because"] or decision["verdict"] or "; ".join(decision["reasons"])))
    report = None
    if not because:
        run = {"profile": request.get("profile"), "state": request.get("state"), "options_via": request.get("options_via"),
               "kernel_args": request.get("kernel_args") or [], "converged": True, "changed_files": [],
               "packages_changed": False, "option_status": option_status, "kernel": plan["info"]["kernel"]["next_boot"], "slurm": None,
               "gpus": plan["info"].get("gpus") or [], "advisories": plan["info"].get("advisories") or [],
               "kernel_support": {}}
        report = run_report(run, chosen, decision)
    # A changed modprobe file needs the initramfs rebuilt by a tool this collection knows.
    refusal = plan["initramfs"]["refusal"] if modprobe_changes else ""
    return {"converged": not because, "because": because, "decision": decision, "report": report, "refusal": refusal}


# --- Slurm ---------------------------------------------------------------------------------------

def slurm_node_record(show_result, node, controller, jobs_result=None):
    """What Slurm says about the node: ``{problem, node, controller, state, base, flags, reason,
    reason_text, boot_time, next_state, drained, reboot_in_progress, jobs}``.

    ``show_result``: the result of ``scontrol show node -o NODE`` run on ``controller``;
    ``problem`` names the variable to fix when it gave no node ('' otherwise). ``jobs_result``: of
    ``squeue -h -w NODE -t R -o %i`` (the running jobs that hold a reboot back), when it ran."""
    record = {"problem": slurm_node.show_node_problem(show_result or {}, node, controller), "node": node,
              "controller": controller, "jobs": []}
    if record["problem"]:
        return record
    state = slurm_node.node_state(slurm_node.parse_show_node(show_result.get("stdout")))
    record.update(state)
    record.update(drained=slurm_node.drained(state), reboot_in_progress=slurm_node.reboot_in_progress(state))
    if jobs_result and jobs_result.get("rc") == 0:
        record["jobs"] = slurm_node.job_ids(jobs_result.get("stdout"))
    return record


# The reason of a drain made by tasks_from=verify: only a node drained for it is resumed by it.
VERIFY_DRAIN = "not in effect after the reboot: "


def slurm_after_verify(record, failure=None):
    """What ``tasks_from=verify`` does to a Slurm node: ``{action, argv, reason}``.

    ``failure``: the verify's message when it failed - the node is drained with it, never left to
    rejoin. When it passed: a node held for this collection's reboot (DOWN after it, the handover's
    reason) or drained by an earlier verify is resumed; any other drain (an operator's, the health
    check's, which the health check resumes itself) is left as it is."""
    node = record["node"]
    if failure:
        reason = slurm_reason(VERIFY_DRAIN + failure)
        return {"action": "drain", "argv": slurm_node.drain_argv(node, reason), "reason": reason}
    if slurm_node.held_by(record, (slurm_node.HANDOVER_REASON_PREFIX, slurm_node.ROLE_REASON_PREFIX + VERIFY_DRAIN)):
        return {"action": "resume", "argv": slurm_node.resume_argv(node), "reason": ""}
    return {"action": "none", "argv": [], "reason": ""}


# --- report --------------------------------------------------------------------------------------

def run_report(run, chosen, decision):
    """``amdgpu_report``: what the run applied, changed and decided.

    ``run``: ``profile``, ``state``, ``options_via``, ``kernel_args``, ``converged``, ``changed_files``,
    ``packages_changed``, ``option_status`` (amdgpu_params' ``params``), ``kernel``, ``gpus`` and
    ``advisories`` (amdgpu_info's), ``kernel_support`` (rocm_kernel_support's result); ``chosen``: amdgpu_choice.choose's result; ``decision``: the final
    :func:`reboot_decision`."""
    present = run["state"] == "present"
    status = run.get("option_status") or {}
    return {
        "profile": run["profile"],
        "state": run["state"],
        "options_via": run["options_via"],
        "kernel_args": list(run["kernel_args"]) if present else [],
        "options": dict(chosen["options"]) if present else {},
        # Already what the run asks for: read once (amdgpu_plan), nothing else done (converged()).
        "converged": as_bool(run.get("converged")),
        "changed_files": list(run.get("changed_files") or []),
        "packages_changed": as_bool(run.get("packages_changed")),
        "reboot_required": decision["pending"],
        "reboot_reasons": decision["reasons"],
        "rebooted": decision["verdict"] == REBOOTED and not decision["pending"],
        "reboot_decision": decision["verdict"],
        # Who made the reboot of "rebooted": this role, or Slurm since an earlier run handed it over.
        "rebooted_by": decision.get("rebooted_by") or (
            "ansible" if decision["verdict"] == REBOOTED and not decision["pending"] else None),
        # With amdgpu_reboot_via slurm: what Slurm said of the node when the run ended (slurm_node_record).
        "slurm": run.get("slurm") or None,
        "reboot_skipped_because": decision["skipped_because"] if decision["pending"] else "",
        "busy": decision["busy"],
        "option_status": dict((name, result["status"]) for name, result in status.items()),
        "option_notes": dict((name, result.get("notes") or []) for name, result in status.items()),
        "kernel": run["kernel"],
        "left_out": chosen["left_out"],
        "kept_without_knowing": chosen["kept_without_knowing"],
        "gpus": [gpu.get("family") or "unknown AMD GPU" for gpu in run.get("gpus") or []],
        "gpu_details": [gpu_detail(gpu) for gpu in run.get("gpus") or []],
        "advisories": list(run.get("advisories") or []),
        "kernel_support": kernel_support_record(run.get("kernel_support")),
        "displays": display_advice(run.get("gpus") or []),
    }


def kernel_support_record(result):
    """What rocm_kernel_support said about the kernel the packages bring, with a one-line
    ``summary`` ({} when it did not run)."""
    if not result or "findings" not in result:
        return {}
    record = dict((key, result.get(key)) for key in ("rocm", "os", "kernels", "supported_lines", "findings"))
    record["summary"] = kernel_support_summary(record)
    return record


def kernel_support_summary(record):
    rocm = record.get("rocm") or {}
    if not rocm.get("version"):
        return "no ROCm installed"
    if record["findings"]:
        return " | ".join(finding["message"] for finding in record["findings"])
    os_release = record.get("os") or {}
    return "ROCm %s supports %s on %s %s (lines %s)" % (
        rocm["version"], ", ".join(record.get("kernels") or []) or "the current kernel",
        os_release.get("id"), os_release.get("version"), ", ".join(record.get("supported_lines") or []))


def gpu_detail(gpu):
    """One line of what the collection knows about a GPU, for the run's summary."""
    facts = ", ".join(part for part in (
        "GC " + gpu["gc_version"] if gpu.get("gc_version") else "",
        gpu.get("gfx_target") or "",
        "APU" if gpu.get("is_apu") else "",
        "TMZ " + gpu["tmz"] if gpu.get("tmz") else "") if part)
    return "%s %s%s" % (gpu.get("pci_slot") or "?", gpu.get("family") or "unknown AMD GPU",
                        " (%s)" % facts if facts else "")
