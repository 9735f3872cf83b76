# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a command with its standard output going to a file.

``AnsibleModule.run_command`` keeps the whole output in memory (bytes, then text): a kernel journal
over many boots can be gigabytes. The shell redirects the output to a file the caller then reads in
blocks, so memory stays flat. Every word is quoted; nothing from the caller reaches the shell unquoted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import shlex


def run_to_file(module, argv, path):
    """Run ``argv`` with stdout written to ``path``; returns ``(rc, stderr)``."""
    command = "%s > %s" % (" ".join(shlex.quote(word) for word in argv), shlex.quote(path))
    rc, dummy, err = module.run_command(command, use_unsafe_shell=True, environ_update={"LC_ALL": "C"})
    return rc, err.strip()
