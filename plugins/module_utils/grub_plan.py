# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan of the grub_cmdline role: which files change how, and what the boot loader's generator
(update-grub, or kernel-install on systemd-boot) will write afterwards, computed read-only before
anything is written (the same plan in check mode and in a real run)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils import grub_defaults
from ansible_collections.amdgpu.stability.plugins.module_utils import grub_effective
from ansible_collections.amdgpu.stability.plugins.module_utils import systemd_boot
from ansible_collections.amdgpu.stability.plugins.module_utils.boot_cmdline import GRUB_CFG, grub_cfg_tokens, running_tokens
from ansible_collections.amdgpu.stability.plugins.module_utils.boot_stack import (
    SUPPORTED,
    SYSTEMD_BOOT,
    detect_boot_stack,
    manual_command,
)
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import (
    differences,
    is_in_effect,
    not_in_effect,
)
from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import read_under

DEFAULT_GRUB = "/etc/default/grub"
GRUB_D = "/etc/default/grub.d"


def _managed_tokens(main_text, dropin_text, variable):
    """Tokens the collection put in place earlier (drop-in line or template marker)."""
    tokens = []
    if dropin_text is not None:
        parsed = grub_defaults.parse_dropin(dropin_text)
        if parsed and parsed[0] == variable:
            tokens.extend(parsed[1])
    if main_text is not None:
        for line in grub_defaults.parse_default_grub(main_text):
            record = grub_defaults.marker_record(line.text, variable)
            if record:
                tokens.extend(record.get("added", []))
                tokens.extend(record.get("replaced", {}))
    return tokens


def plan(root, variable, args, state, method, dropin_name, run_command, settings=None):
    """Everything the role needs to act and to report; raises GrubDefaultsError/TraceError.
    ``run_command`` runs the shell that sources the GRUB defaults (see grub_effective.trace)."""
    stack, description, evidence = detect_boot_stack(root)
    wanted = list(args) if state == "present" else []
    # The running command line does not depend on the boot stack: it is read on every stack, so a
    # check after a reboot works wherever the host booted from.
    running = running_tokens(root)
    result = {
        "boot_stack": stack,
        "boot_stack_description": description,
        "boot_stack_evidence": evidence,
        "supported": stack in SUPPORTED,
        "running": running,
        "not_running": not_in_effect(running, wanted),
    }
    if stack not in SUPPORTED:
        # What the user can do instead, with the arguments asked for.
        result["manual"] = manual_command(stack, list(args), state)
        return result
    if stack == SYSTEMD_BOOT:
        result.update(systemd_boot.plan(root, args, state, running))
        return result

    dropin_path = "%s/%s" % (GRUB_D, dropin_name)
    main_text = read_under(root, DEFAULT_GRUB)
    dropin_text = read_under(root, dropin_path)

    # One method at a time: the other method's traces are undone, so switching is one run.
    uses_template = state == "present" and method == "template"
    new_main = grub_defaults.plan_default_grub(
        main_text or "", variable, wanted if uses_template else None, state,
        settings if method == "template" else None)
    if main_text is None and new_main == "":
        new_main = None
    new_dropin = (grub_defaults.render_dropin(variable, wanted)
                  if state == "present" and method == "dropin" and wanted else None)

    files = {}
    for path, before, after in ((DEFAULT_GRUB, main_text, new_main), (dropin_path, dropin_text, new_dropin)):
        files[path] = {"state": "file" if after is not None else "absent", "content": after,
                       "changed": before != after, "before": before}

    before_steps = grub_effective.trace(run_command, root)
    # The same files give the same trace: a plan that changes nothing (a converged host) runs the shell once.
    after_steps = (before_steps if not any(f["changed"] for f in files.values())
                   else grub_effective.trace(run_command, root, {path: f["content"] for path, f in files.items()}))
    after_tokens = grub_effective.boot_tokens(after_steps[-1])
    before_tokens = grub_effective.boot_tokens(before_steps[-1])
    missing = not_in_effect(after_tokens, wanted)
    managed = _managed_tokens(main_text, dropin_text, variable)
    lingering = [token for token in managed
                 if token not in wanted and is_in_effect(after_tokens, token)]
    relevant = list(dict.fromkeys(wanted + managed))
    reboot_reasons = differences(running, after_tokens, relevant)
    generated = grub_cfg_tokens(root)
    stale = generated is not None and any(
        is_in_effect(generated, token) != is_in_effect(after_tokens, token) for token in relevant)
    result.update({
        "files": files,
        "grub_cfg": {"path": GRUB_CFG, "tokens": generated, "stale": stale},
        # The generated configuration of either stack, and how to bring it in line with the files.
        "boot_config": {"path": GRUB_CFG, "tokens": generated, "stale": stale},
        "update_commands": [["update-grub"]],
        "changed_files": sorted(path for path, entry in files.items() if entry["changed"]),
        "before": {"tokens": before_tokens, "trace": before_steps},
        "after": {"tokens": after_tokens, "trace": after_steps},
        "missing": missing,
        "overridden_by": {token: grub_effective.overriding_file(after_steps, token) for token in missing},
        "lingering": lingering,
        "reboot_required": bool(reboot_reasons),
        "reboot_reasons": reboot_reasons,
    })
    return result
