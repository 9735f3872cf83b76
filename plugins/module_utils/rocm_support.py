# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each ROCm release supports (distributions, their kernel lines, where Radeon GPUs are
supported), as data with its source; the ROCm installed on a host; and whether a kernel is inside
what that release supports.

A kernel outside the matrix is not sure to fail, but ROCm's DKMS driver (amdgpu-dkms) is built for
the kernels of its release: one that does not build on a new kernel leaves the host without a GPU
driver after the reboot, and the ROCm user space is tested against the listed kernels only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import re

from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_release import release_version
from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import read_file, under

SOURCE = ("ROCm compatibility matrix (ROCm/ROCm docs/compatibility/compatibility-matrix.rst, the versions "
          "of ROCm 7.0.0, 7.1.0 and 7.2.3) and its 'Operating systems, kernel and Glibc versions' table")

# Kernel lines of each distribution release ROCm names, from the matrix's lookup table: Ubuntu
# point releases with their GA and HWE lines.
OS_KERNELS = {
    ("ubuntu", "24.04.3"): ("6.8", "6.14"),
    ("ubuntu", "24.04.2"): ("6.8", "6.11"),
    ("ubuntu", "22.04.5"): ("5.15", "6.8"),
    ("debian", "13"): ("6.12",),
    ("debian", "12"): ("6.1",),
}

# ROCm release line -> the distribution releases it supports (of those above), and where it supports
# Radeon (consumer and PRO RDNA) GPUs; None: the matrix gives no limit this collection recorded.
RELEASES = {
    "6.3": {"os": (("ubuntu", "24.04.2"), ("ubuntu", "22.04.5")),
            "radeon_os": None,
            "driver": "6.3.x"},
    "6.4": {"os": (("ubuntu", "24.04.2"), ("ubuntu", "22.04.5"), ("debian", "12")),
            # Debian 12: Instinct MI300X only, single node (footnote single-node).
            "radeon_os": (("ubuntu", "24.04.2"), ("ubuntu", "22.04.5"), ("rhel", "9.6"), ("rhel", "9.4")),
            "driver": "6.4.x"},
    "7.0": {"os": (("ubuntu", "24.04.3"), ("ubuntu", "22.04.5"), ("debian", "13"), ("debian", "12")),
            "radeon_os": (("ubuntu", "24.04.3"), ("ubuntu", "22.04.5"), ("rhel", "10.0"), ("rhel", "9.6")),
            "driver": "30.10"},
    "7.1": {"os": (("ubuntu", "24.04.3"), ("ubuntu", "22.04.5"), ("debian", "13"), ("debian", "12")),
            "radeon_os": (("ubuntu", "24.04.3"), ("ubuntu", "22.04.5"), ("rhel", "10.0"), ("rhel", "9.6")),
            "driver": "30.20"},
    "7.2": {"os": (("ubuntu", "24.04.3"), ("ubuntu", "22.04.5"), ("debian", "13"), ("debian", "12")),
            "radeon_os": None,
            "driver": "30.30"},
}

_DPKG_PACKAGES = ("amdgpu-dkms", "rocm-core")
# "Inst linux-image-6.14.0-29-generic (6.14.0-29.29~24.04.1 Ubuntu:24.04/noble-updates [amd64])"
_SIMULATED_IMAGE = re.compile(r"^Inst linux-image-(?!generic|amd64|unsigned)(?P<release>\d+\.\d+\S*) ", re.M)


def release_line(version):
    """``7.2`` from ``7.2.1`` or ``7.2.1-81``; None for anything else."""
    match = re.match(r"^(\d+)\.(\d+)", version or "")
    return "%s.%s" % match.groups() if match else None


def dpkg_versions(root, names=_DPKG_PACKAGES):
    """``{package: version}`` of the installed packages among ``names``, from dpkg's status file."""
    text = read_file(under(root, "/var/lib/dpkg/status")) or ""
    found = {}
    for stanza in text.split("\n\n"):
        fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", stanza, re.M))
        if fields.get("Package") in names and "installed" in fields.get("Status", "").split():
            found[fields["Package"]] = fields.get("Version")
    return found


def installed(root="/"):
    """The ROCm on a host: ``version`` (from ``/opt/rocm/.info/version``, else the rocm-core
    package, else the newest ``/opt/rocm-*``), ``line``, ``dkms`` (the amdgpu-dkms package version
    or None)."""
    packages = dpkg_versions(root)
    version = (read_file(under(root, "/opt/rocm/.info/version")) or "").strip() or None
    if version is None and packages.get("rocm-core"):
        version = packages["rocm-core"].split(":")[-1]
    if version is None:
        versioned = [(read_file(path) or "").strip() for path in glob.glob(under(root, "/opt/rocm-*/.info/version"))]
        versioned = [text for text in versioned if text]
        version = max(versioned, key=release_version) if versioned else None
    return {"version": version, "line": release_line(version), "dkms": packages.get("amdgpu-dkms")}


def os_release(root="/"):
    """``(id, version)`` from os-release (``("ubuntu", "24.04")``; Debian's VERSION_ID is ``12``)."""
    text = read_file(under(root, "/etc/os-release")) or read_file(under(root, "/usr/lib/os-release")) or ""
    fields = dict((key, value.strip('"')) for key, value in re.findall(r"^([A-Z_]+)=(.*)$", text, re.M))
    return fields.get("ID"), fields.get("VERSION_ID")


def simulated_kernels(apt_output):
    """The kernel releases an ``apt-get --simulate install`` would install."""
    return sorted(set(match.group("release") for match in _SIMULATED_IMAGE.finditer(apt_output or "")),
                  key=release_version)


def _same_release(entry, os_id, os_version):
    """Whether a matrix entry (``("ubuntu", "24.04.3")``) names this distribution release: Ubuntu's
    os-release gives ``24.04`` for every point release, so the point release is not asked for."""
    return entry[0] == os_id and (entry[1] == os_version or entry[1].startswith((os_version or "") + "."))


def supported_lines(line, os_id, os_version):
    """The kernel lines ROCm ``line`` supports on this distribution release: () when it does not
    support the release at all, None when the release is not in the data."""
    data = RELEASES.get(line)
    if data is None:
        return None
    lines = []
    for entry in data["os"]:
        if _same_release(entry, os_id, os_version):
            lines.extend(kernel for kernel in OS_KERNELS[entry] if kernel not in lines)
    return tuple(lines)


def radeon_supported(line, os_id, os_version):
    """Whether ROCm ``line`` supports Radeon GPUs on this distribution release (None: not recorded)."""
    data = RELEASES.get(line) or {}
    if data.get("radeon_os") is None:
        return None
    return any(_same_release(entry, os_id, os_version) for entry in data["radeon_os"])


def _kernel_line(release):
    return "%d.%d" % release_version(release)[:2]


def judge(rocm, os_id, os_version, kernels, radeon=False):
    """Findings for the kernel releases ``kernels`` (those a package would install) against the
    installed ROCm ``rocm`` (:func:`installed`): a list of ``{kernel, problem, message}``."""
    line = (rocm or {}).get("line")
    if not line:
        return []
    dkms = rocm.get("dkms")
    driver = ("its amdgpu-dkms %s, which must build on the new kernel or the GPU has no driver after the reboot"
              % dkms) if dkms else "its user space"
    lines = supported_lines(line, os_id, os_version)
    findings = []
    if lines is None:
        return [{"kernel": None, "problem": "release_unknown",
                 "message": "ROCm %s is newer than the support data of this collection (6.3 to 7.2): "
                            "its kernel support was not checked" % rocm.get("version")}]
    for kernel in kernels:
        if not lines:
            findings.append({"kernel": kernel, "problem": "os_unsupported",
                             "message": "ROCm %s does not support %s %s at all (%s); kernel %s was not judged"
                                        % (rocm["version"], os_id, os_version, SOURCE, kernel)})
        elif _kernel_line(kernel) not in lines:
            findings.append({"kernel": kernel, "problem": "kernel_unsupported",
                             "message": "kernel %s (line %s) is outside what ROCm %s supports on %s %s (%s), and so "
                                        "is %s" % (kernel, _kernel_line(kernel), rocm["version"], os_id, os_version,
                                                   ", ".join(lines), driver)})
    if radeon and radeon_supported(line, os_id, os_version) is False:
        findings.append({"kernel": None, "problem": "radeon_unsupported",
                         "message": "ROCm %s supports Radeon GPUs only on %s: this %s %s host is outside it"
                                    % (rocm["version"], ", ".join("%s %s" % entry for entry in RELEASES[line]["radeon_os"]),
                                       os_id, os_version)})
    return findings
