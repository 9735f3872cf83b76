# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils.boot_stack import detect_boot_stack, manual_command
from ansible_collections.amdgpu.stability.plugins.module_utils import grub_plan
from conftest import run_in_subprocess

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "default-grub")
WANTED = ["iommu=pt", "pcie_aspm=off"]
DROPIN = "/etc/default/grub.d/zz-amdgpu-stability.cfg"


def plan(root, variable, args, state, method, dropin_name, settings=None):
    return grub_plan.plan(root, variable, args, state, method, dropin_name, run_in_subprocess, settings)


LOADER_INFO = "/sys/firmware/efi/efivars/LoaderInfo-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"


def efivar(text):
    """An efivarfs file: 4 bytes of attributes, then the NUL-terminated UTF-16LE value."""
    return b"\x06\x00\x00\x00" + (text + "\0").encode("utf-16-le")


def write(root, path, text):
    full = os.path.join(str(root), path.lstrip("/"))
    if not os.path.isdir(os.path.dirname(full)):
        os.makedirs(os.path.dirname(full))
    with open(full, "wb" if isinstance(text, bytes) else "w") as handle:
        handle.write(text)


def grub_tree(root, main="debian-13.grub", cmdline="BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro quiet\n"):
    write(root, "/usr/sbin/update-grub", "#!/bin/sh\n")
    write(root, "/etc/default/grub", open(os.path.join(FIXTURES, main)).read())
    write(root, "/proc/cmdline", cmdline)
    return str(root)


def apply(root, result):
    """Write the planned files, as the role does."""
    for path, entry in result["files"].items():
        full = os.path.join(root, path.lstrip("/"))
        if entry["content"] is None:
            if os.path.exists(full):
                os.remove(full)
        else:
            write(root, path, entry["content"])


def test_dropin_on_plain_debian(tmp_path):
    root = grub_tree(tmp_path)
    result = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "dropin", "zz-amdgpu-stability.cfg")
    assert result["supported"] and result["missing"] == []
    assert result["files"][DROPIN]["changed"] and not result["files"]["/etc/default/grub"]["changed"]
    assert result["after"]["tokens"] == ["quiet", "iommu=pt", "pcie_aspm=off"]
    assert result["before"]["tokens"] == ["quiet"]
    assert result["reboot_required"] and len(result["reboot_reasons"]) == 2
    apply(root, result)
    again = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "dropin", "zz-amdgpu-stability.cfg")
    assert not any(entry["changed"] for entry in again["files"].values())
    gone = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", [], "absent", "dropin", "zz-amdgpu-stability.cfg")
    assert gone["files"][DROPIN] == dict(gone["files"][DROPIN], state="absent", changed=True)
    assert gone["after"]["tokens"] == ["quiet"]


def test_cloud_image_settings_are_beaten_by_zz_dropin(tmp_path):
    root = grub_tree(tmp_path)
    write(root, "/etc/default/grub.d/50-cloudimg-settings.cfg", open(os.path.join(FIXTURES, "cloudimg-settings.cfg")).read())
    result = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "dropin", "zz-amdgpu-stability.cfg")
    assert result["missing"] == []
    assert result["after"]["tokens"] == ["console=tty1", "console=ttyS0", "iommu=pt", "pcie_aspm=off"]
    # The template method edits /etc/default/grub, which the cloud file then overrides: caught.
    template = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "template", "zz-amdgpu-stability.cfg")
    assert template["missing"] == WANTED
    assert template["overridden_by"] == {t: "/etc/default/grub.d/50-cloudimg-settings.cfg" for t in WANTED}


def test_provider_file_sorting_after_99_overrides_a_99_dropin(tmp_path):
    root = grub_tree(tmp_path)
    write(root, "/etc/default/grub.d/hetzner.cfg", open(os.path.join(FIXTURES, "hetzner.cfg")).read())
    result = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "dropin", "99-amdgpu.cfg")
    assert result["missing"] == WANTED
    assert result["overridden_by"]["iommu=pt"] == "/etc/default/grub.d/hetzner.cfg"
    ours = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "dropin", "zz-amdgpu-stability.cfg")
    assert ours["missing"] == []


def test_template_then_dropin_switches_in_one_plan(tmp_path):
    root = grub_tree(tmp_path, main="other-values.grub")
    original = open(os.path.join(root, "etc/default/grub")).read()
    first = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "template", "zz-amdgpu-stability.cfg")
    apply(root, first)
    switched = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "dropin", "zz-amdgpu-stability.cfg")
    assert switched["files"]["/etc/default/grub"]["content"] == original
    assert switched["missing"] == []


def test_running_cmdline_already_has_the_arguments(tmp_path):
    root = grub_tree(tmp_path, cmdline="ro quiet iommu=pt pcie_aspm=off\n")
    result = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "dropin", "zz-amdgpu-stability.cfg")
    assert not result["reboot_required"]
    gone = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", [], "absent", "dropin", "zz-amdgpu-stability.cfg")
    # Nothing of ours on disk: removing changes nothing and needs no reboot.
    assert not gone["reboot_required"] and not any(e["changed"] for e in gone["files"].values())


@pytest.mark.parametrize("files, stack", [
    ({"/usr/bin/kernelstub": "", "/usr/sbin/update-grub": ""}, "kernelstub"),
    ({"/boot/efi/loader/loader.conf": "default @saved\n"}, "systemd-boot-without-kernel-install"),
    ({"/boot/efi/loader/loader.conf": "", "/usr/bin/kernel-install": ""}, "systemd-boot"),
    ({"/boot/efi/loader/loader.conf": "", "/usr/bin/kernel-install": "", "/usr/bin/dracut": ""},
     "systemd-boot-with-dracut"),
    # Booted by systemd-boot (LoaderInfo names it), with GRUB's tools also installed.
    ({LOADER_INFO: efivar("systemd-boot 257.13-1~deb13u1"),
      "/usr/bin/kernel-install": "", "/usr/sbin/update-grub": "", "/etc/default/grub": ""}, "systemd-boot"),
    # Debian 13's GRUB sets LoaderInfo too, and systemd's kernel-install is there on any systemd system.
    ({LOADER_INFO: efivar("GRUB 2.12-9+deb13u4"), "/usr/bin/kernel-install": "",
      "/usr/sbin/update-grub": "", "/etc/default/grub": ""}, "grub"),
    # Booted by GRUB on UEFI: a loader.conf left on the ESP does not make it systemd-boot.
    ({"/sys/firmware/efi/efivars/Boot0000-8be4df61-93ca-11d0-a0c9-00a0c94f5d2d": "",
      "/boot/efi/loader/loader.conf": "", "/usr/bin/kernel-install": "",
      "/usr/sbin/update-grub": "", "/etc/default/grub": ""}, "grub"),
    ({"/boot/loader/entries/abc-6.8.conf": "title x\n", "/usr/sbin/grub2-mkconfig": ""}, "bls"),
    ({"/usr/sbin/grub2-mkconfig": ""}, "upstream-grub"),
    ({"/usr/sbin/update-grub": ""}, "grub-without-defaults"),
    ({}, "none"),
    ({"/usr/sbin/update-grub": "", "/etc/default/grub": ""}, "grub"),
])
def test_boot_stacks(tmp_path, files, stack):
    for path, text in files.items():
        write(tmp_path, path, text)
    found, description, evidence = detect_boot_stack(str(tmp_path))
    assert found == stack
    assert description
    assert all(path in files for path in evidence)
    result = plan(str(tmp_path), "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "dropin", "zz.cfg")
    assert result["supported"] == (stack in ("grub", "systemd-boot"))
    assert ("files" in result) == result["supported"]


def test_grub_cfg_behind_the_files_is_stale(tmp_path):
    root = grub_tree(tmp_path)
    grub_cfg = ("menuentry 'Debian' {\n\tlinux\t/boot/vmlinuz-6.1.0-50-amd64 root=UUID=abc ro  quiet\n"
                "\tinitrd\t/boot/initrd.img-6.1.0-50-amd64\n}\n")
    write(root, "/boot/grub/grub.cfg", grub_cfg)
    result = plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "dropin", "zz-amdgpu-stability.cfg")
    assert result["grub_cfg"]["tokens"] == ["root=UUID=abc", "ro", "quiet"]
    assert result["grub_cfg"]["stale"]
    write(root, "/boot/grub/grub.cfg", grub_cfg.replace("quiet", "quiet iommu=pt pcie_aspm=off"))
    assert not plan(root, "GRUB_CMDLINE_LINUX_DEFAULT", WANTED, "present", "dropin", "zz-amdgpu-stability.cfg")["grub_cfg"]["stale"]


@pytest.mark.parametrize("stack, state, command", [
    ("bls", "present", 'grubby --update-kernel=ALL --args="iommu=pt pcie_aspm=off"'),
    ("bls", "absent", 'grubby --update-kernel=ALL --remove-args="iommu=pt pcie_aspm=off"'),
    ("kernelstub", "present", 'kernelstub --add-options "iommu=pt pcie_aspm=off"'),
    ("systemd-boot-without-kernel-install", "present",
     'append "iommu=pt pcie_aspm=off" to /etc/kernel/cmdline, then for each installed '
     "kernel 'kernel-install add VERSION /boot/vmlinuz-VERSION'"),
    ("none", "present", 'add "iommu=pt pcie_aspm=off" to the kernel command line of your boot loader'),
])
def test_what_to_run_by_hand_names_the_arguments(stack, state, command):
    assert manual_command(stack, ["iommu=pt", "pcie_aspm=off"], state) == command
    assert manual_command(stack, [], state) == ""


def test_a_plan_on_a_stack_it_does_not_change_says_what_to_run(tmp_path):
    (tmp_path / "usr/sbin").mkdir(parents=True)
    (tmp_path / "usr/sbin/grubby").write_text("")
    result = grub_plan.plan(str(tmp_path), "GRUB_CMDLINE_LINUX_DEFAULT", ["iommu=pt"], "present", "dropin",
                            "zz-amdgpu-stability.cfg", None)
    assert result["supported"] is False and result["manual"] == 'grubby --update-kernel=ALL --args="iommu=pt"'
