# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text files written on the controller by the controller itself (the report_files action): what the
copy module does for a report, without a module run per file - the lab report is rewritten after
every batch."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import tempfile


def problems(files, mode):
    """Why the request cannot be carried out, naming the item; [] when it can."""
    found = []
    if not isinstance(files, list) or not files:
        return ["files must be a non-empty list of {path, content}"]
    for index, item in enumerate(files):
        if not isinstance(item, dict) or set(item) != {"path", "content"}:
            found.append("files[%d] must have exactly the keys path and content" % index)
        elif not isinstance(item["path"], str) or not item["path"]:
            found.append("files[%d].path must be a path, not %r" % (index, item["path"]))
        elif not isinstance(item["content"], str):
            found.append("files[%d].content must be text" % index)
    try:
        int(str(mode), 8)
    except ValueError:
        found.append("mode must be octal, such as 0644, not %r" % (mode,))
    return found


def current(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def write_atomically(path, data, mode):
    """Replace ``path`` with ``data`` in one rename, so a reader never sees half a report."""
    directory = os.path.dirname(path)
    handle, temporary = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode)
        os.rename(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write(files, mode="0644", check=False):
    """Write each ``{path, content}`` whose bytes or mode differ, making its directory (0755) first;
    with ``check``, only say which would be. A relative path is the current directory's (where
    ansible-playbook runs). Returns the absolute paths changed (or to change)."""
    bits = int(str(mode), 8)
    changed = []
    for item in files:
        path, data = os.path.abspath(item["path"]), item["content"].encode("utf-8")
        if current(path) == data and os.stat(path).st_mode & 0o7777 == bits:
            continue
        changed.append(path)
        if not check:
            if not os.path.isdir(os.path.dirname(path)):
                os.makedirs(os.path.dirname(path), 0o755)
            write_atomically(path, data, bits)
    return changed
