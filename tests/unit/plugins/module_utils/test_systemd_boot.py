# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import grub_plan, systemd_boot
from ansible_collections.amdgpu.stability.plugins.module_utils.boot_cmdline import next_boot_tokens

WANTED = ["iommu=pt", "pcie_aspm=off"]
NEW, OLD = "6.12.48+deb13-amd64", "6.12.41+deb13-amd64"
CMDLINE = "root=UUID=abc ro console=ttyS0,115200 quiet\n"


def write(root, path, text):
    full = os.path.join(str(root), path.lstrip("/"))
    if not os.path.isdir(os.path.dirname(full)):
        os.makedirs(os.path.dirname(full))
    with open(full, "w") as handle:
        handle.write(text)


def read(root, path):
    full = os.path.join(str(root), path.lstrip("/"))
    return open(full).read() if os.path.exists(full) else None


def entry_text(version, options):
    return ("# Boot Loader Specification type#1 entry\ntitle      Debian GNU/Linux 13 (trixie)\n"
            "version    %s\nsort-key   debian\noptions    %s\nlinux      /debian/%s/linux\n"
            "initrd     /debian/%s/initrd.img-%s\n" % (version, options, version, version, version))


def install(root, versions=(OLD, NEW)):
    """What kernel-install add would write for each kernel from /etc/kernel/cmdline (test stand-in)."""
    text = read(root, "/etc/kernel/cmdline")
    options = " ".join(systemd_boot.cmdline_file_tokens(text)) if text is not None else "root=UUID=abc ro quiet"
    for version in versions:
        write(root, "/boot/efi/loader/entries/debian-%s.conf" % version, entry_text(version, options))


def sdboot_tree(root, cmdline=CMDLINE):
    write(root, "/usr/bin/kernel-install", "#!/bin/sh\n")
    write(root, "/boot/efi/loader/loader.conf", "timeout 1\n")
    write(root, "/proc/cmdline", "initrd=\\debian\\%s\\initrd.img-%s %s" % (NEW, NEW, cmdline or "root=UUID=abc ro quiet\n"))
    for version in (OLD, NEW):
        write(root, "/boot/vmlinuz-%s" % version, "")
        write(root, "/boot/initrd.img-%s" % version, "")
    if cmdline is not None:
        write(root, "/etc/kernel/cmdline", cmdline)
    install(root)
    return str(root)


def plan(root, args=None, state="present"):
    args = WANTED if args is None else args
    return grub_plan.plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", args, state, "dropin", "zz-amdgpu-stability.cfg", None)


def apply(root, result):
    for path, entry in result["files"].items():
        if entry["changed"]:
            if entry["state"] == "file":
                write(root, path, entry["content"])
            else:
                os.remove(os.path.join(root, path.lstrip("/")))
    install(root)


def test_present_appends_to_the_file_and_every_entry_is_behind(tmp_path):
    root = sdboot_tree(tmp_path)
    result = plan(root)
    assert result["boot_stack"] == "systemd-boot" and result["supported"]
    assert result["changed_files"] == ["/etc/kernel/amdgpu-stability.json", "/etc/kernel/cmdline"]
    assert result["files"]["/etc/kernel/cmdline"]["content"] == (
        "root=UUID=abc ro console=ttyS0,115200 quiet iommu=pt pcie_aspm=off\n")
    assert result["after"]["tokens"][-2:] == WANTED and result["missing"] == []
    assert result["boot_config"]["stale"] and len(result["boot_config"]["stale_entries"]) == 2
    assert result["boot_config"]["path"] == "/boot/efi/loader/entries/debian-%s.conf" % NEW
    assert result["reboot_required"]
    assert result["update_commands"] == [
        ["kernel-install", "add", version, "/boot/vmlinuz-%s" % version, "/boot/initrd.img-%s" % version]
        for version in (OLD, NEW)]


def test_applied_plan_is_converged_and_absent_restores_the_bytes(tmp_path):
    root = sdboot_tree(tmp_path, cmdline="# kept by hand\nroot=UUID=abc ro  quiet iommu=soft\n")
    original = read(root, "/etc/kernel/cmdline")
    apply(root, plan(root))
    # iommu=soft was replaced where it stood, not followed by a second iommu=.
    assert read(root, "/etc/kernel/cmdline") == "root=UUID=abc ro quiet iommu=pt pcie_aspm=off\n"
    again = plan(root)
    assert again["changed_files"] == [] and not again["boot_config"]["stale"]
    assert next_boot_tokens(root) == (["root=UUID=abc", "ro", "quiet", "iommu=pt", "pcie_aspm=off"],
                                      "/boot/efi/loader/entries/debian-%s.conf" % NEW)
    gone = plan(root, [], "absent")
    assert gone["files"]["/etc/kernel/cmdline"]["content"] == original
    assert gone["files"]["/etc/kernel/amdgpu-stability.json"] == {
        "state": "absent", "content": None, "changed": True, "before": read(root, "/etc/kernel/amdgpu-stability.json")}
    assert gone["boot_config"]["stale"]
    apply(root, gone)
    assert plan(root, [], "absent")["changed_files"] == []


def test_a_shorter_list_removes_what_is_no_longer_wanted(tmp_path):
    root = sdboot_tree(tmp_path)
    apply(root, plan(root))
    fewer = plan(root, ["iommu=pt"])
    assert fewer["files"]["/etc/kernel/cmdline"]["content"] == "root=UUID=abc ro console=ttyS0,115200 quiet iommu=pt\n"
    assert "pcie_aspm=off is off the next boot's command line but on the running one" not in fewer["reboot_reasons"]
    apply(root, fewer)
    assert plan(root, [], "absent")["files"]["/etc/kernel/cmdline"]["content"] == CMDLINE


def test_without_the_file_the_line_comes_from_the_entry_and_absent_keeps_it(tmp_path):
    root = sdboot_tree(tmp_path, cmdline=None)
    write(root, "/boot/efi/loader/entries/debian-%s.conf" % NEW,
          entry_text(NEW, "root=UUID=abc ro quiet systemd.machine_id=0123"))
    result = plan(root)
    assert result["source"] == "/boot/efi/loader/entries/debian-%s.conf" % NEW
    # kernel-install adds systemd.machine_id= itself; the file does not carry it.
    assert result["files"]["/etc/kernel/cmdline"]["content"] == "root=UUID=abc ro quiet iommu=pt pcie_aspm=off\n"
    apply(root, result)
    gone = plan(root, [], "absent")
    # Deleting the file would make kernel-install copy /proc/cmdline, which still carries the arguments.
    assert gone["files"]["/etc/kernel/cmdline"]["content"] == "root=UUID=abc ro quiet\n"
    assert gone["files"]["/etc/kernel/amdgpu-stability.json"]["state"] == "absent"
    apply(root, gone)
    assert plan(root, [], "absent")["changed_files"] == []


def test_absent_on_a_host_the_collection_never_touched_changes_nothing(tmp_path):
    root = sdboot_tree(tmp_path, cmdline=None)
    result = plan(root, [], "absent")
    assert result["changed_files"] == [] and result["files"]["/etc/kernel/cmdline"]["state"] == "absent"
    assert not result["reboot_required"] and not result["boot_config"]["stale"]


def test_arguments_already_there_by_hand_are_not_recorded_as_ours(tmp_path):
    root = sdboot_tree(tmp_path, cmdline="root=UUID=abc ro iommu=pt pcie_aspm=off\n")
    assert plan(root)["changed_files"] == []


def test_a_damaged_record_stops_the_plan(tmp_path):
    root = sdboot_tree(tmp_path)
    write(root, "/etc/kernel/amdgpu-stability.json", "{not json")
    with pytest.raises(systemd_boot.SystemdBootError, match="restore /etc/kernel/cmdline from a backup"):
        plan(root)


@pytest.mark.parametrize("loader, expected", [
    ("timeout 3\n", NEW),
    ("default debian-%s.conf\n" % OLD, OLD),
    ("default debian-6.12.41*\n", OLD),
    ("default @saved\n", NEW),
])
def test_the_entry_that_boots_next(tmp_path, loader, expected):
    root = sdboot_tree(tmp_path)
    write(root, "/boot/efi/loader/loader.conf", loader)
    assert systemd_boot.default_entry(root)["version"] == expected


def test_entries_join_repeated_options_lines_and_skip_comments():
    entry = systemd_boot.parse_entry("# comment\ntitle  Debian\noptions root=UUID=x ro\noptions quiet\n")
    assert entry == {"title": "Debian", "options": "root=UUID=x ro quiet"}
    assert systemd_boot.cmdline_file_tokens("  # a comment\nroot=UUID=x\n ro  quiet\n") == ["root=UUID=x", "ro", "quiet"]
