# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What update-grub sees on each shape, computed by /bin/sh sourcing the files as update-grub does."""

import os

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "fixtures", "default-grub")
SEED_OPTIONS = ["amdgpu.tmz=0", "amdgpu.sg_display=0", "amdgpu.dcdebugmask=0x10", "amdgpu.gpu_recovery=1",
                "amdgpu.runpm=0", "amdgpu.ppfeaturemask=0xfff73fff"]
EXPECTED = {
    # The cloud file assigns the variable; the zz- drop-in comes after it and appends.
    "shapes-cloudimg": ["console=tty1", "console=ttyS0", "iommu=pt", "pcie_aspm=off"],
    # hetzner.cfg assigns after 99-*; the zz- drop-in still wins. Options on the command line.
    "shapes-hetzner": ["consoleblank=0", "systemd.show_status=true", "iommu=pt", "pcie_aspm=off"] + SEED_OPTIONS,
    # Template method: a token with another value is replaced in place, the same value kept once.
    "shapes-template": ["quiet", "iommu=pt", "amdgpu.ppfeaturemask=0xfff73fff"],
    "shapes-nonewline": ["quiet", "iommu=pt"],
    # Both variables unset: no leading space, nothing else.
    "shapes-unset": ["iommu=pt", "pcie_aspm=off"],
    "shapes-duplicate": ["quiet", "splash", "iommu=pt", "pcie_aspm=off"],
}
SHAPE = {"shapes-cloudimg": "debian-13.grub", "shapes-hetzner": "escaped-quotes.grub",
         "shapes-template": "other-values.grub", "shapes-nonewline": "no-final-newline.grub",
         "shapes-unset": "both-unset.grub", "shapes-duplicate": "commented-duplicate.grub"}
TEMPLATE_HOSTS = ("shapes-template", "shapes-nonewline", "shapes-duplicate")
SOURCE = ('. /etc/default/grub; for f in /etc/default/grub.d/*.cfg; do [ -e "$f" ] && . "$f"; done; '
          'printf "%s\\n%s" "$GRUB_CMDLINE_LINUX" "$GRUB_CMDLINE_LINUX_DEFAULT"')


def name(host):
    return host.backend.get_hostname()


def test_update_grub_sees_exactly_the_expected_arguments(host):
    _linux, default = host.run("/bin/sh -c '%s'" % SOURCE.replace("'", "'\\''")).stdout.split("\n", 1)
    assert default.split() == EXPECTED[name(host)], default
    # Leading or doubled spaces would mean a sloppy append.
    assert default == " ".join(default.split())


def test_template_changes_only_the_cmdline_line(host):
    original = open(os.path.join(FIXTURES, SHAPE[name(host)])).read()
    current = host.file("/etc/default/grub").content_string
    if name(host) not in TEMPLATE_HOSTS:
        assert current == original
        return
    removed = set(original.splitlines()) - set(current.splitlines())
    added = set(current.splitlines()) - set(original.splitlines())
    assert len(removed) <= 1 and all(line.startswith("GRUB_CMDLINE_LINUX_DEFAULT=") for line in removed)
    assert {line.split("=", 1)[0].split(" ")[0] for line in added} <= {"GRUB_CMDLINE_LINUX_DEFAULT", "#"}
    assert current.endswith("\n") == original.endswith("\n")
    assert not host.file("/etc/default/grub.d/zz-amdgpu-stability.cfg").exists


def test_options_go_where_asked(host):
    conf = host.file("/etc/modprobe.d/amdgpu.conf")
    if name(host) in ("shapes-hetzner", "shapes-template"):
        assert not conf.exists
    else:
        assert conf.exists and "options amdgpu ppfeaturemask=0xfff73fff" in conf.content_string
