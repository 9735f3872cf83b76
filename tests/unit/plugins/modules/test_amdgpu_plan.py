# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""amdgpu_plan: one read of the host gives what amdgpu_info, amdgpu_params and grub_cmdline_info
give one by one, and the choice the role made from them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_choice import choose
from ansible_collections.amdgpu.stability.plugins.modules import amdgpu_info, amdgpu_params, amdgpu_plan, grub_cmdline_info
from ansible_collections.amdgpu.stability.plugins.plugin_utils import amdgpu_request

import conftest

REPO = conftest.REPO
with open(os.path.join(REPO, "roles", "amdgpu", "vars", "main.yml")) as handle:
    PROFILES = yaml.safe_load(handle)["__amdgpu_profiles"]
DEBIAN_GRUB = os.path.join(REPO, "tests", "fixtures", "default-grub", "debian-13.grub")


def resolved(profile="recommended", options=None):
    return amdgpu_request.resolve(PROFILES, profile, options or {}, [], [], [])


def grub_host(root):
    """The seed's workstation booting with Debian's GRUB."""
    conftest.fakeroot.write(root, {"/usr/sbin/update-grub": "#!/bin/sh\n", "/etc/default/grub": open(DEBIAN_GRUB).read()})
    return root


def tree(root):
    return sorted((str(path), path.stat().st_mtime_ns) for path in __import__("pathlib").Path(root).rglob("*"))


def run(capsys, args, module=amdgpu_plan):
    return conftest.run_module(capsys, module, args)


def result_of(module_result):
    """A module's own keys: without what Ansible adds (and the warnings it keeps between runs in one process)."""
    return dict((key, value) for key, value in module_result.items() if key not in ("changed", "invocation", "warnings"))


def test_one_read_gives_what_the_three_modules_give(capsys, seed_root):
    root = grub_host(seed_root)
    request = resolved()
    plan = run(capsys, {"root": root, "resolved": request})
    assert plan["changed"] is False and not plan.get("failed")

    info = run(capsys, {"root": root}, amdgpu_info)
    assert plan["info"] == result_of(info)
    # The newest installed kernel boots next; the options are judged by its parameter set.
    assert plan["info"]["kernel"]["next_boot"] == info["kernel"]["installed"][-1] == "6.16.12+deb13-amd64"
    params = run(capsys, {"root": root, "params": request["candidate_options"], "kernel": plan["info"]["kernel"]["next_boot"]}, amdgpu_params)
    for key in ("params", "kernel", "metadata_source", "module_loaded", "reboot_required"):
        assert plan["preflight"][key] == params[key]
    assert plan["chosen"] == choose(request, {}, info["gpus"], params["params"], kernel=plan["info"]["kernel"]["next_boot"])
    grub = run(capsys, {"root": root, "args": plan["chosen"]["cmdline_tokens"]}, grub_cmdline_info)
    assert plan["grub"] == result_of(grub)


def test_the_choice_on_the_seed_workstation(capsys, seed_root):
    plan = run(capsys, {"root": grub_host(seed_root), "resolved": resolved()})
    # The RX 7900 XTX drives the display; the idle Raphael iGPU makes sg_display count.
    assert plan["chosen"]["cmdline_tokens"] == ["iommu=pt", "pcie_aspm=off"]
    assert "runpm" in plan["chosen"]["options"] and "tmz" not in plan["chosen"]["options"]
    assert plan["grub"]["changed_files"] == ["/etc/default/grub.d/zz-amdgpu-stability.cfg"]
    modprobe = plan["modprobe"]
    assert (modprobe["path"], modprobe["content"], modprobe["mode"], modprobe["ours"]) == ("/etc/modprobe.d/amdgpu.conf", None, None, False)
    assert modprobe["wanted"].startswith("# Managed by Ansible (amdgpu.stability.amdgpu, profile recommended)")
    assert "\noptions amdgpu runpm=0\n" in modprobe["wanted"] and "tmz" not in modprobe["wanted"]


def test_no_modprobe_file_is_wanted_with_options_on_the_command_line_or_when_removing(capsys, seed_root):
    root = grub_host(seed_root)
    assert run(capsys, {"root": root, "resolved": resolved(), "options_via": "cmdline"})["modprobe"]["wanted"] is None
    assert run(capsys, {"root": root, "resolved": resolved(), "state": "absent"})["modprobe"]["wanted"] is None


def test_the_initramfs_tool(capsys, seed_root):
    root = grub_host(seed_root)
    conftest.fakeroot.write(root, {"/usr/sbin/update-initramfs": "", "/boot/initrd.img-6.16.12+deb13-amd64": ""})
    found = run(capsys, {"root": root, "resolved": resolved()})["initramfs"]
    assert (found["tool"], found["rebuild"], found["images"], found["refusal"]) == (
        "initramfs-tools", ["update-initramfs", "-u", "-k", "all"], ["/boot/initrd.img-6.16.12+deb13-amd64"], "")
    conftest.fakeroot.write(root, {"/usr/bin/mkinitcpio": ""})
    os.remove(os.path.join(root, "usr/sbin/update-initramfs"))
    found = run(capsys, {"root": root, "resolved": resolved(), "modprobe_path": "/etc/modprobe.d/gpu.conf"})["initramfs"]
    assert found["tool"] == "mkinitcpio" and "write /etc/modprobe.d/gpu.conf by hand and run 'mkinitcpio -P'" in found["refusal"]


def test_options_via_cmdline_plans_them_on_the_command_line(capsys, seed_root):
    plan = run(capsys, {"root": grub_host(seed_root), "resolved": resolved(), "options_via": "cmdline"})
    assert "amdgpu.runpm=0" in plan["chosen"]["cmdline_tokens"]
    assert "amdgpu.runpm=0" in plan["grub"]["after"]["tokens"]


def test_reads_without_writing_also_in_check_mode(capsys, seed_root):
    root = grub_host(seed_root)
    before = tree(root)
    normal = run(capsys, {"root": root, "resolved": resolved()})
    checked = run(capsys, {"root": root, "resolved": resolved(), "_ansible_check_mode": True})
    assert tree(root) == before
    assert checked["chosen"] == normal["chosen"] and checked["grub"]["files"] == normal["grub"]["files"]


def test_the_modprobe_file_as_it_is(capsys, seed_root):
    root = grub_host(seed_root)
    conftest.fakeroot.write(root, {"/etc/modprobe.d/amdgpu.conf": "options amdgpu runpm=0\n"})
    os.chmod(os.path.join(root, "etc/modprobe.d/amdgpu.conf"), 0o600)
    found = run(capsys, {"root": root, "resolved": resolved()})["modprobe"]
    assert found["content"] == "options amdgpu runpm=0\n" and found["mode"] == "0600"
    assert found["uid"] == os.getuid() and found["ours"] is False
    # A file this collection wrote says so on its first line.
    conftest.fakeroot.write(root, {"/etc/modprobe.d/amdgpu.conf": found["wanted"]})
    again = run(capsys, {"root": root, "resolved": resolved()})["modprobe"]
    assert again["ours"] is True and again["content"] == again["wanted"]


def test_refuses_an_option_the_next_kernel_cannot_parse_naming_it(capsys, seed_root):
    result = run(capsys, {"root": grub_host(seed_root), "resolved": resolved("none", {"dcdebugmask": -1, "runpm": 0})})
    assert result["failed"]
    assert result["msg"].startswith("amdgpu parameters for 6.16.12+deb13-amd64: dcdebugmask: invalid")
    assert "runpm" not in result["msg"]


def test_refuses_an_option_the_running_kernel_does_not_know(capsys, seed_root):
    # Boots next on 6.16 (which knows it), runs 6.1 (which does not have the parameter).
    root = grub_host(seed_root)
    conftest.fakeroot.write(root, {"/proc/sys/kernel/osrelease": "6.1.0-56-amd64\n"})
    result = run(capsys, {"root": root, "resolved": resolved("none", {"debug_mask": 0})})
    assert result["failed"] and result["msg"].startswith("amdgpu parameters for 6.1.0-56-amd64: debug_mask: unknown")


def test_removing_checks_no_option(capsys, seed_root):
    result = run(capsys, {"root": grub_host(seed_root), "resolved": resolved("none", {"dcdebugmask": -1}), "state": "absent"})
    assert not result.get("failed")
    assert result["preflight"] == {} and result["chosen"]["cmdline_tokens"] == []


def test_a_boot_stack_it_cannot_plan_is_no_failure(capsys, seed_root):
    plan = run(capsys, {"root": seed_root, "resolved": resolved()})
    assert not plan.get("failed")
    assert plan["grub"]["supported"] is False and "changed_files" not in plan["grub"]


def test_a_grub_file_it_cannot_read_is_said_not_failed(capsys, seed_root):
    root = grub_host(seed_root)
    conftest.fakeroot.write(root, {"/etc/default/grub": 'GRUB_CMDLINE_LINUX_DEFAULT="quiet\n'})
    plan = run(capsys, {"root": root, "resolved": resolved()})
    assert not plan.get("failed") and plan["grub"]["error"]


def test_a_request_that_is_not_resolved_is_refused(capsys, seed_root):
    result = run(capsys, {"root": seed_root, "resolved": {"kernel_args": []}})
    assert result["failed"]
    assert result["msg"] == ("resolved lacks profile_options, hardware_aware, candidate_options: "
                             "pass the amdgpu.stability.amdgpu_resolve filter's result")
