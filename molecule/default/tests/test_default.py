# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The recommended profile applied with the defaults on hosts without an AMD GPU: drop-in, modprobe.d,
packages."""

SEED_ARGS = ["iommu=pt", "pcie_aspm=off"]
SOURCE_GRUB = '. /etc/default/grub; for f in /etc/default/grub.d/*.cfg; do [ -e "$f" ] && . "$f"; done; printf "%s" "$GRUB_CMDLINE_LINUX_DEFAULT"'


def expected_options(host):
    """The seed's options; gpu_recovery is left out where the kernel (the host's) taints on it."""
    major, minor = (int(part) for part in host.check_output("uname -r").split(".")[:2])
    recovery = [] if (major, minor) >= (6, 16) else ["gpu_recovery=1"]
    return ["tmz=0", "sg_display=0", "dcdebugmask=0x10"] + recovery + ["runpm=0", "ppfeaturemask=0xfff73fff"]


def test_update_grub_sees_the_arguments_once(host):
    value = host.check_output("/bin/sh -c '%s'" % SOURCE_GRUB).split()
    assert value == ["quiet"] + SEED_ARGS


def test_dropin_appends_and_is_root_owned(host):
    dropin = host.file("/etc/default/grub.d/zz-amdgpu-stability.cfg")
    assert dropin.user == "root" and dropin.group == "root" and dropin.mode == 0o644
    assert 'GRUB_CMDLINE_LINUX_DEFAULT="${GRUB_CMDLINE_LINUX_DEFAULT:+$GRUB_CMDLINE_LINUX_DEFAULT }' in dropin.content_string


def test_default_grub_untouched(host):
    assert "amdgpu.stability" not in host.file("/etc/default/grub").content_string


def test_modprobe_file_has_one_option_per_line_and_no_inline_comments(host):
    conf = host.file("/etc/modprobe.d/amdgpu.conf")
    assert conf.mode == 0o644 and conf.user == "root"
    lines = [line for line in conf.content_string.splitlines() if line and not line.startswith("#")]
    assert lines == ["options amdgpu %s" % option for option in expected_options(host)]
    assert "gfxoff" not in "\n".join(lines)


def test_modprobe_reads_the_options(host):
    # kmod's own view of the merged configuration, as used when amdgpu loads.
    merged = host.check_output("modprobe -c | grep '^options amdgpu'").splitlines()
    assert merged == ["options amdgpu %s" % option for option in expected_options(host)]


def test_packages_installed(host):
    release = host.system_info.distribution
    if release == "ubuntu":
        # SIMULATION image: stub packages from the local repository.
        names = ["linux-generic-hwe-22.04", "linux-firmware"]
        assert "simulation" in host.package("linux-firmware").version
    else:
        names = ["firmware-amd-graphics"]
        assert host.file("/usr/lib/firmware/amdgpu").is_directory
    for name in names:
        assert host.package(name).is_installed
