# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kernel command line update-grub will really write, computed the way update-grub does it:
/bin/sh sources /etc/default/grub, then every /etc/default/grub.d/*.cfg in the shell's glob order.

Proposed contents (a drop-in not yet written, a rewritten /etc/default/grub) are sourced in place
of the files on disk, from a private temporary directory, so the result can be known before
anything is written. The shell's own expansion is the only parser of these files here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import tempfile

from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import (
    is_in_effect,
    split_cmdline,
)
from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import under

# Run by /bin/sh (dash on Debian, as update-grub). Names are prefixed because the sourced files
# run in the same shell and could otherwise clobber them.
_TRACE_SCRIPT = r"""
__amdgpu_stability_emit() {
    printf '%s\0%s\0%s\0' "$1" "${GRUB_CMDLINE_LINUX-}" "${GRUB_CMDLINE_LINUX_DEFAULT-}"
}
__amdgpu_stability_main=$1
__amdgpu_stability_dir=$2
if test -f "$__amdgpu_stability_main"; then . "$__amdgpu_stability_main"; fi
__amdgpu_stability_emit /etc/default/grub
for __amdgpu_stability_f in "$__amdgpu_stability_dir"/*.cfg; do
    if [ -e "$__amdgpu_stability_f" ]; then
        . "$__amdgpu_stability_f"
        __amdgpu_stability_emit "/etc/default/grub.d/${__amdgpu_stability_f##*/}"
    fi
done
"""


class TraceError(Exception):
    pass


def _stage_files(root, proposed, workdir):
    """Mirror /etc/default/grub and grub.d/*.cfg under ``workdir``, with ``proposed`` contents
    (``{"/etc/default/grub.d/x.cfg": text or None for removed}``) in place of the real files."""
    main = os.path.join(workdir, "grub")
    confdir = os.path.join(workdir, "grub.d")
    os.mkdir(confdir)
    real_main = under(root, "/etc/default/grub")
    if "/etc/default/grub" in proposed:
        if proposed["/etc/default/grub"] is not None:
            with open(main, "w") as handle:
                handle.write(proposed["/etc/default/grub"])
    elif os.path.exists(real_main):
        os.symlink(os.path.abspath(real_main), main)
    real_dir = under(root, "/etc/default/grub.d")
    names = set(os.listdir(real_dir)) if os.path.isdir(real_dir) else set()
    for path in proposed:
        if path.startswith("/etc/default/grub.d/"):
            names.add(os.path.basename(path))
    for name in names:
        target = "/etc/default/grub.d/" + name
        staged = os.path.join(confdir, name)
        if target in proposed:
            if proposed[target] is not None:
                with open(staged, "w") as handle:
                    handle.write(proposed[target])
        else:
            os.symlink(os.path.abspath(os.path.join(real_dir, name)), staged)
    return main, confdir


def trace(run_command, root="/", proposed=None, shell="/bin/sh"):
    """``[{file, GRUB_CMDLINE_LINUX, GRUB_CMDLINE_LINUX_DEFAULT}, …]``: the two variables after
    each sourced file, in the order update-grub sources them.

    ``run_command(argv, cwd)`` runs a command and returns ``(rc, stdout, stderr)`` as text: the
    module's own ``AnsibleModule.run_command`` (one way to run commands in a module, with its
    logging and error handling)."""
    workdir = tempfile.mkdtemp(prefix="amdgpu-stability-grub-")
    try:
        main, confdir = _stage_files(root, proposed or {}, workdir)
        # An empty environment: update-grub runs from root's login environment, not Ansible's.
        rc, out, err = run_command(["/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                                    shell, "-c", _TRACE_SCRIPT, "sh", main, confdir], workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if rc != 0:
        raise TraceError("sourcing the GRUB defaults with %s failed (rc=%d): %s" % (shell, rc, err.strip()))
    fields = out.split("\0")[:-1]
    return [
        {"file": fields[i], "GRUB_CMDLINE_LINUX": fields[i + 1],
         "GRUB_CMDLINE_LINUX_DEFAULT": fields[i + 2]}
        for i in range(0, len(fields) - 2, 3)
    ]


def boot_tokens(step):
    """Tokens of the normal (non-recovery) boot entry: update-grub writes
    ``${GRUB_CMDLINE_LINUX} ${GRUB_CMDLINE_LINUX_DEFAULT}``."""
    return split_cmdline(step["GRUB_CMDLINE_LINUX"]) + split_cmdline(step["GRUB_CMDLINE_LINUX_DEFAULT"])


def overriding_file(steps, token):
    """The file after which ``token`` stopped being in effect, or None if it never was."""
    culprit = None
    was = False
    for step in steps:
        now = is_in_effect(boot_tokens(step), token)
        if was and not now:
            culprit = step["file"]
        was = now
    return culprit
