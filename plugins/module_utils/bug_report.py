# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bug-report bundle: what a ROCm/amdgpu bug report needs, in one tarball with a MANIFEST.

A piece that cannot be had (no previous boot in the journal, debugfs not mounted, no core dump) is
listed in the MANIFEST with the reason; it never stops the collection, because a partial bundle from
a box that just hung is worth more than none.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import io
import json
import os
import tarfile
import time

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_params import live_value
from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import under

# The packages a report is read against: the kernels, the firmware, and the HWE meta package.
PACKAGE_PATTERNS = ("linux-image-*", "linux-generic*", "linux-firmware*", "firmware-amd-graphics", "firmware-linux*")
PACKAGE_FORMAT = "${db:Status-Abbrev} ${binary:Package} ${Version}\n"


def installed_packages(text):
    """``dpkg-query -W`` lines of installed packages ("ii "), without the status column."""
    return [line[3:].strip() for line in text.splitlines() if line.startswith("ii ")]


def parameter_values(root):
    """Every ``/sys/module/amdgpu/parameters`` value as ``name=value`` lines, or None without amdgpu."""
    directory = under(root, "/sys/module/amdgpu/parameters")
    if not os.path.isdir(directory):
        return None
    lines = []
    for name in sorted(os.listdir(directory)):
        try:
            lines.append("%s=%s" % (name, live_value(root, name)))
        except (IOError, OSError) as error:    # some parameters are write-only (0200)
            lines.append("%s: unreadable (%s)" % (name, error.strerror))
    return lines


def firmware_lines(gpus):
    lines = []
    for gpu in gpus:
        lines.append("%s %s %s vbios %s" % (gpu["pci_slot"], gpu.get("family") or gpu["device_id"],
                                            gpu.get("gfx_target") or "", gpu.get("vbios") or "unknown"))
        lines.extend("  %s %s" % item for item in sorted(gpu.get("firmware", {}).items()))
    return lines


def debugfs_firmware_files(root):
    return sorted(glob.glob(under(root, "/sys/kernel/debug/dri/*/amdgpu_firmware_info")))


def devcoredump_files(root):
    return sorted(glob.glob(under(root, "/sys/class/devcoredump/devcd*/data")))


class Bundle(object):
    """A gzip tarball written under a temporary name and renamed when complete, readable by root only
    (kernel logs name processes and paths), with every piece accounted for in ``manifest``."""

    def __init__(self, path, top):
        self.path = path
        self.top = top
        self.manifest = []
        self.partial = path + ".partial"
        old_umask = os.umask(0o077)
        try:
            self.tar = tarfile.open(self.partial, "w:gz")
        finally:
            os.umask(old_umask)

    def _member(self, name, size):
        info = tarfile.TarInfo("%s/%s" % (self.top, name))
        info.size = size
        info.mtime = int(time.time())
        info.mode = 0o600
        return info

    def add_text(self, name, text, what):
        data = text.encode("utf-8", "replace")
        self.tar.addfile(self._member(name, len(data)), io.BytesIO(data))
        self.manifest.append({"piece": what, "file": name, "included": True, "detail": "%d bytes" % len(data)})

    def add_json(self, name, value, what):
        self.add_text(name, json.dumps(value, indent=2, sort_keys=True) + "\n", what)

    def add_file(self, name, path, what):
        """Copy a file. Pseudo files report a size of 0 (procfs, binary sysfs attributes such as a core
        dump) or 4096 (sysfs text) whatever they hold: those are read whole, the rest streamed."""
        try:
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size in (0, 4096):
                    data = handle.read()
                    size = len(data)
                    self.tar.addfile(self._member(name, size), io.BytesIO(data))
                else:
                    self.tar.addfile(self._member(name, size), handle)
        except (IOError, OSError) as error:
            self.missing(what, "%s: %s" % (path, error.strerror))
            return
        self.manifest.append({"piece": what, "file": name, "included": True, "detail": "%d bytes" % size})

    def missing(self, what, reason):
        # One MANIFEST line per piece: a command's several stderr lines are joined.
        reason = "; ".join(line.strip() for line in reason.splitlines() if line.strip())
        self.manifest.append({"piece": what, "file": None, "included": False, "detail": reason})

    def close(self):
        self.add_text("MANIFEST", manifest_text(self.manifest), "this list")
        self.tar.close()
        os.rename(self.partial, self.path)

    def abandon(self):
        self.tar.close()
        os.unlink(self.partial)


def manifest_text(manifest):
    lines = ["# amdgpu.stability bug-report bundle: what is here, and what could not be had and why", ""]
    for entry in manifest:
        if entry["included"]:
            lines.append("included  %-34s %s (%s)" % (entry["file"], entry["piece"], entry["detail"]))
        else:
            lines.append("MISSING   %s: %s" % (entry["piece"], entry["detail"]))
    return "\n".join(lines) + "\n"
