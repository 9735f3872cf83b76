# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The amdgpu role's decisions: resolve (plugin_utils/amdgpu_request.py), choose, converged, reboot, report
(plugin_utils/amdgpu_role.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest
import yaml

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_choice as choice
from ansible_collections.amdgpu.stability.plugins.plugin_utils import amdgpu_request
from ansible_collections.amdgpu.stability.plugins.plugin_utils import amdgpu_role as role

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))

with open(os.path.join(REPO, "roles", "amdgpu", "vars", "main.yml")) as handle:
    PROFILES = yaml.safe_load(handle)["__amdgpu_profiles"]

RX7900 = {"pci_slot": "0000:03:00.0", "family": "Navi 31", "gc_version": "11.0.0", "is_apu": False,
          "connectors": ["DP-1"], "connected_displays": ["DP-1"]}
RAPHAEL = {"pci_slot": "0000:10:00.0", "family": "Raphael", "gc_version": "10.3.6", "is_apu": True,
           "connectors": ["HDMI-A-1"], "connected_displays": []}
PHOENIX = {"pci_slot": "0000:c5:00.0", "family": "Phoenix", "gc_version": "11.0.1", "is_apu": True,
           "connectors": ["eDP-1", "DP-1"], "connected_displays": ["eDP-1"]}


def resolve(profile="recommended", options=None, options_omit=(), kernel_args=(), kernel_args_omit=()):
    return amdgpu_request.resolve(PROFILES, profile, options or {}, list(options_omit), list(kernel_args), list(kernel_args_omit))


# --- resolve

def test_resolve_the_recommended_profile():
    resolved = resolve()
    assert resolved["problems"] == [] and resolved["hardware_aware"] is True
    assert resolved["kernel_args"] == ["iommu=pt", "pcie_aspm=off"]
    assert list(resolved["candidate_options"]) == ["tmz", "sg_display", "dcdebugmask", "gpu_recovery", "runpm", "ppfeaturemask"]


def test_user_values_override_in_place_and_are_never_candidates_for_dropping():
    resolved = resolve(options={"sg_display": 1, "lockup_timeout": "10000"}, kernel_args=["iommu=soft", "quiet"],
                       kernel_args_omit=["pcie_aspm"], options_omit=["tmz"])
    assert resolved["kernel_args"] == ["iommu=soft", "quiet"]
    assert "sg_display" not in resolved["profile_options"] and "tmz" not in resolved["profile_options"]
    assert resolved["candidate_options"]["sg_display"] == 1 and resolved["candidate_options"]["lockup_timeout"] == "10000"


def test_nuclear_overrides_the_mask():
    assert resolve("nuclear")["candidate_options"]["ppfeaturemask"] == "0xfff53fff"


@pytest.mark.parametrize("kwargs, fragment", [
    ({"profile": "fast"}, "amdgpu_profile fast is not a profile; choose one of seed, recommended"),
    ({"options": {"gfxoff": 0}}, "amdgpu_options.gfxoff: 'gfxoff' is not an amdgpu parameter"),
    ({"options": {"runpm": False}}, "amdgpu_options.runpm is a YAML boolean"),
    ({"kernel_args": ["amdgpu.runpm=0"]}, "amdgpu_kernel_args: 'amdgpu.runpm=0' is an amdgpu option; put it in amdgpu_options"),
    ({"kernel_args": ["amdgpu.gfxoff=0"]}, "amdgpu_kernel_args[0] 'amdgpu.gfxoff=0' 'gfxoff' is not an amdgpu parameter"),
    ({"kernel_args": ["a b"]}, "amdgpu_kernel_args[0] 'a b' contains a space"),
    ({"options_omit": ["mes"]}, "amdgpu_options_omit: 'mes' is not an option of profile recommended"),
    ({"kernel_args_omit": ["quiet"]}, "amdgpu_kernel_args_omit: 'quiet' is not a kernel argument of profile recommended"),
])
def test_every_input_problem_names_the_variable(kwargs, fragment):
    resolved = resolve(**kwargs)
    assert list(resolved) == ["problems"]
    assert any(problem.startswith(fragment) for problem in resolved["problems"]), resolved["problems"]


def test_problems_are_all_reported_at_once():
    resolved = resolve("fast", options={"gfxoff": 0}, kernel_args=["amdgpu.runpm=0"])
    assert len(resolved["problems"]) == 3


# --- choose

def test_choose_on_a_discrete_card_drops_what_has_no_effect():
    chosen = choice.choose(resolve(), {}, [RX7900], {"gpu_recovery": {"taints": True}})
    assert list(chosen["options"]) == ["runpm", "ppfeaturemask"]
    assert [d["name"] for d in chosen["left_out"]] == ["tmz", "sg_display", "dcdebugmask", "gpu_recovery"]
    assert "TMZ is on by default" in chosen["left_out"][0]["reason"]
    assert "amdgpu_gmc_tmz_set" in chosen["left_out"][0]["reason"]
    assert chosen["kept_without_knowing"] == []
    assert chosen["cmdline_tokens"] == ["iommu=pt", "pcie_aspm=off"]
    assert chosen["reasons"]["runpm"].startswith("Runtime power management off")


def test_choose_with_an_apu_keeps_sg_display_and_without_a_gpu_keeps_it_unknowing():
    assert "sg_display" in choice.choose(resolve(), {}, [RX7900, RAPHAEL], {})["options"]
    blind = choice.choose(resolve(), {}, [], {})
    assert [d["name"] for d in blind["kept_without_knowing"]] == ["tmz", "sg_display", "dcdebugmask"]


def test_choose_on_a_phoenix_laptop_keeps_tmz_sg_display_and_the_psr_bit():
    chosen = choice.choose(resolve(), {}, [PHOENIX], {}, kernel="6.12.95+deb12-amd64")
    assert list(chosen["options"]) == ["tmz", "sg_display", "dcdebugmask", "gpu_recovery", "runpm", "ppfeaturemask"]
    assert chosen["left_out"] == [] and chosen["kept_without_knowing"] == []


def test_seed_profile_writes_tmz_whatever_the_hardware():
    # Not hardware-aware: the write-up's recipe as it is (corrected only where it names non-options).
    assert choice.choose(resolve("seed"), {}, [RX7900], {})["options"]["tmz"] == "0"


def test_every_condition_a_profile_names_exists():
    from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_conditions import condition_problems
    named = [(profile, name, entry["only_with"]) for profile, data in PROFILES.items()
             for name, entry in list(data["options"].items()) + list((data.get("overrides") or {}).items())
             if entry.get("only_with")]
    assert named and [problem for _p, _n, condition in named for problem in [condition_problems(condition)] if problem] == []


def test_choose_keeps_the_user_option_and_puts_options_on_the_command_line():
    resolved = resolve(options={"sg_display": "1"})
    chosen = choice.choose(resolved, {"sg_display": "1"}, [RX7900], {}, options_via="cmdline")
    assert chosen["options"]["sg_display"] == "1" and chosen["reasons"]["sg_display"] == choice.USER_REASON
    assert "amdgpu.sg_display=1" in chosen["cmdline_tokens"] and chosen["cmdline_tokens"][:2] == ["iommu=pt", "pcie_aspm=off"]


def test_choose_for_a_profile_that_is_not_hardware_aware_and_for_absent():
    chosen = choice.choose(resolve("seed"), {}, [RX7900], {"gpu_recovery": {"taints": True}}, state="absent")
    assert "sg_display" in chosen["options"] and "gpu_recovery" in chosen["options"]
    assert chosen["decisions"] == [] and chosen["cmdline_tokens"] == []


# --- reboot

NEEDED = {"state": "present", "grub_reasons": ["iommu=pt is on the next boot's command line but not on the running one"],
          "reboot_ok": True, "connection": "ssh", "container": False, "when_busy": "skip", "busy_timeout": 3600}
IDLE = {"processes": [], "command_rc": None}


def decide(**changes):
    facts = dict(NEEDED)
    facts.update(changes)
    return role.reboot_decision(facts)


def test_not_required():
    decision = decide(grub_reasons=[])
    assert (decision["verdict"], decision["required"], decision["pending"], decision["look_for_busy"]) == (
        "not_required", False, False, False)


@pytest.mark.parametrize("facts, reason", [
    ({"option_status": {"runpm": {"status": "pending_reboot"}, "tmz": {"status": "in_effect"}}},
     "amdgpu option runpm is configured but not live yet"),
    ({"state": "absent", "modprobe_changed": True, "amdgpu_loaded": True},
     "amdgpu options were removed but stay live until amdgpu reloads"),
    ({"packages_changed": "True"}, "packages were installed or upgraded"),
    ({"distribution_asks": True}, "/run/reboot-required exists (the distribution asks for a reboot)"),
])
def test_every_reason(facts, reason):
    decision = decide(grub_reasons=[], **facts)
    assert decision["reasons"] == [reason] and decision["required"]


def test_options_removed_from_an_unloaded_driver_need_no_reboot():
    assert not decide(grub_reasons=[], state="absent", modprobe_changed=True, amdgpu_loaded=False)["required"]


@pytest.mark.parametrize("facts, because", [
    ({"reboot_ok": False}, "amdgpu_reboot_ok is false"),
    ({"reboot_ok": "false"}, "amdgpu_reboot_ok is false"),
    ({"connection": "local"}, "the connection is local, and Ansible would reboot the machine it runs on"),
])
def test_not_allowed_comes_before_the_busy_check(facts, because):
    decision = decide(busy={"processes": [4242], "command_rc": None}, **facts)
    assert (decision["verdict"], decision["skipped_because"], decision["look_for_busy"]) == ("not_allowed", because, False)
    assert decision["pending"] and not decision["reboot_now"]


def test_allowed_asks_for_the_busy_check_first():
    decision = decide()
    assert decision["verdict"] is None and decision["look_for_busy"] and not decision["reboot_now"]


def test_busy_with_processes_and_command():
    decision = decide(busy={"processes": [4242, 4243], "command_rc": 1}, when_busy="wait", busy_timeout=600)
    assert decision["verdict"] == "busy" and decision["pending"] and not decision["reboot_now"]
    assert decision["skipped_because"] == ("busy: 2 GPU compute process(es), PIDs 4242, 4243 and amdgpu_reboot_busy_command "
                                           "exited 1 after waiting 600 s (amdgpu_reboot_when_busy wait)")
    assert decision["busy"] == {"processes": [4242, 4243], "command_busy": True, "forced": False}


def test_busy_command_alone():
    decision = decide(busy={"processes": [], "command_rc": "3"})
    assert decision["skipped_because"] == "busy: amdgpu_reboot_busy_command exited 3 (amdgpu_reboot_when_busy skip)"


def test_force_reboots_over_the_work():
    decision = decide(busy={"processes": [4242], "command_rc": 0}, when_busy="force")
    assert decision["reboot_now"] and decision["busy"]["forced"] and decision["verdict"] == "rebooted"


def test_a_container_is_impossible_after_the_busy_check():
    assert decide(busy=IDLE, container=True)["verdict"] == "impossible"
    busy_container = decide(busy={"processes": [1], "command_rc": None}, container=True)
    assert busy_container["verdict"] == "busy"


def test_idle_reboots_and_after_the_reboot_nothing_is_pending():
    before = decide(busy=IDLE)
    assert before["reboot_now"] and before["pending"]
    after = decide(busy=IDLE, rebooted=True)
    assert (after["verdict"], after["pending"], after["reboot_now"]) == ("rebooted", False, False)


@pytest.mark.parametrize("facts", [{}, {"reboot_ok": False}, {"connection": "local"}, {"container": True},
                                   {"busy": {"processes": [4242], "command_rc": 1}}])
def test_sentinel_hands_the_reboot_over_whatever_this_role_would_have_decided(facts):
    decision = decide(reboot_via="sentinel", **facts)
    assert (decision["verdict"], decision["write_sentinel"], decision["pending"]) == ("handed_to_sentinel", True, True)
    assert not decision["reboot_now"] and not decision["look_for_busy"]
    assert decision["sentinel"] == {"flag": "/var/run/reboot-required", "packages": "/var/run/reboot-required.pkgs",
                                    "name": "amdgpu.stability"}
    assert decision["skipped_because"] == ("handed to /var/run/reboot-required for kured or the operator "
                                           "(amdgpu_reboot_via sentinel)")


def test_sentinel_raises_no_flag_when_no_reboot_is_needed():
    decision = decide(reboot_via="sentinel", grub_reasons=[])
    assert (decision["verdict"], decision["write_sentinel"]) == ("not_required", False)


# --- Slurm

SHOW_IDLE = ("NodeName=gpu01 Arch=x86_64 CoresPerSocket=1 CPUAlloc=0 CPUTot=1 NodeAddr=10.88.0.5 NodeHostName=gpu01 "
             "Version=22.05.8 OS=Linux 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) "
             "RealMemory=512 State=IDLE ThreadsPerCore=1 Partitions=gpu BootTime=2026-12-02T10:00:00 "
             "SlurmdStartTime=2026-12-02T10:00:05 CfgTRES=cpu=1,mem=512M,billing=1 AllocTRES= CapWatts=n/a")
SHOW_REQUESTED = SHOW_IDLE.replace("State=IDLE", "State=ALLOCATED+DRAIN+REBOOT_REQUESTED NextState=RESUME") + (
    " Reason=amdgpu.stability: reboot to apply: iommu=pt is on the next boot [root@2026-12-02T10:10:00]")
WANTS = {"state": "present", "kernel_args": ["iommu=pt"], "options": {"runpm": "0"}}


def slurm_record(stdout=SHOW_IDLE, jobs=""):
    return role.slurm_node_record({"rc": 0, "stdout": stdout, "stderr": ""}, "gpu01", "slurm-ctl",
                                  {"rc": 0, "stdout": jobs})


def slurm_decide(**changes):
    facts = {"reboot_via": "slurm", "slurm_node": slurm_record(), "slurm_node_name": "gpu01", "boot_id": "boot-a",
             "wants": WANTS, "handover": None}
    facts.update(changes)
    return decide(**facts)


@pytest.mark.parametrize("facts", [{}, {"reboot_ok": False}, {"connection": "local"}, {"container": True},
                                   {"busy": {"processes": [4242], "command_rc": 1}}])
def test_slurm_takes_the_reboot_whatever_this_role_would_have_decided(facts):
    decision = slurm_decide(**facts)
    assert (decision["verdict"], decision["pending"], decision["reboot_now"], decision["look_for_busy"]) == (
        "handed_to_slurm", True, False, False)
    slurm = decision["slurm"]
    assert slurm["request"] is True
    assert slurm["reboot_argv"] == ["scontrol", "reboot", "ASAP", "nextstate=DOWN", "reason=" + slurm["reason"], "gpu01"]
    assert slurm["reason"].startswith("amdgpu.stability: reboot to apply: ")
    assert slurm["handover"] == {"node": "gpu01", "boot_id": "boot-a", "wants": WANTS, "reasons": decision["reasons"]}


def test_slurm_is_not_asked_again_while_its_reboot_is_in_progress():
    decision = slurm_decide(slurm_node=slurm_record(SHOW_REQUESTED, "17\n"),
                            handover='{"boot_id": "boot-a", "wants": %s}' % json.dumps(WANTS))
    assert (decision["verdict"], decision["slurm"]["request"]) == ("handed_to_slurm", False)


def test_a_node_slurm_rebooted_since_the_handover_is_rebooted_not_handed_over_again():
    handover = json.dumps({"node": "gpu01", "boot_id": "boot-a", "wants": WANTS})
    for reasons in ([], ["iommu=pt is on the next boot's command line but not on the running one"]):
        decision = slurm_decide(boot_id="boot-b", handover=handover, grub_reasons=reasons)
        assert (decision["verdict"], decision["rebooted_by"], decision["pending"], decision["slurm"]) == (
            "rebooted", "slurm", False, None)
        report = role.run_report(RUN, choice.choose(resolve(), {}, [RX7900], {}), decision)
        assert (report["rebooted"], report["rebooted_by"]) == (True, "slurm")


def test_a_handover_for_other_wants_or_unreadable_is_no_reboot_of_ours():
    other = json.dumps({"boot_id": "boot-a", "wants": dict(WANTS, kernel_args=["iommu=soft"])})
    assert slurm_decide(boot_id="boot-b", handover=other)["verdict"] == "handed_to_slurm"
    assert slurm_decide(boot_id="boot-b", handover="{not json")["verdict"] == "handed_to_slurm"
    assert slurm_decide(boot_id="boot-b", handover=None, grub_reasons=[])["verdict"] == "not_required"


def test_slurm_node_record_reads_state_flags_reason_and_jobs():
    record = slurm_record(SHOW_REQUESTED, "17\n18\n")
    assert (record["problem"], record["base"], record["flags"], record["drained"], record["reboot_in_progress"]) == (
        "", "ALLOCATED", ["DRAIN", "REBOOT_REQUESTED"], True, True)
    assert record["reason_text"] == "amdgpu.stability: reboot to apply: iommu=pt is on the next boot"
    assert (record["jobs"], record["boot_time"], record["next_state"]) == (["17", "18"], "2026-12-02T10:00:00", "RESUME")


@pytest.mark.parametrize("result, expect", [
    ({"rc": 2, "msg": "[Errno 2] No such file or directory: b'scontrol'", "stdout": "", "stderr": ""},
     "amdgpu_reboot_via slurm: scontrol is not on the PATH on slurm-ctl (amdgpu_slurm_controller)"),
    # ansible-core 2.21 and later: the errno alone, with a message that names no file.
    ({"rc": 2, "msg": "Error executing command.", "stdout": "", "stderr": "", "failed": True},
     "amdgpu_reboot_via slurm: scontrol is not on the PATH on slurm-ctl (amdgpu_slurm_controller)"),
    ({"rc": 1, "stdout": "Node gpu01 not found", "stderr": ""},
     "amdgpu_slurm_node: Slurm does not know the node 'gpu01'"),
    ({"rc": 1, "stdout": "", "stderr": "slurm_load_node error: Unable to contact slurm controller (connect failure)"},
     "amdgpu_slurm_controller: the Slurm controller does not answer scontrol on slurm-ctl"),
    ({"rc": 1, "stdout": "", "stderr": "something else"}, "scontrol show node gpu01 on slurm-ctl"),
])
def test_slurm_node_problems_name_the_variable(result, expect):
    assert expect in role.slurm_node_record(result, "gpu01", "slurm-ctl")["problem"]


def test_verify_drains_a_node_that_came_back_wrong_and_resumes_only_its_own_drain():
    drained = role.slurm_after_verify(slurm_record(), "Not on the running command line (/proc/cmdline): iommu=pt")
    assert drained["action"] == "drain"
    assert drained["argv"][:3] == ["scontrol", "update", "nodename=gpu01"]
    assert drained["argv"][-1] == ("reason=amdgpu.stability: not in effect after the reboot: Not on the running "
                                   "command line (/proc/cmdline): iommu=pt")
    ours = SHOW_IDLE.replace("State=IDLE", "State=IDLE+DRAIN") + " Reason=%s [root@t]" % drained["reason"]
    assert role.slurm_after_verify(slurm_record(ours))["argv"] == ["scontrol", "update", "nodename=gpu01", "state=RESUME"]
    operator = SHOW_IDLE.replace("State=IDLE", "State=IDLE+DRAIN") + " Reason=bad fan [admin@t]"
    assert role.slurm_after_verify(slurm_record(operator))["action"] == "none"
    assert role.slurm_after_verify(slurm_record())["action"] == "none"
    # After the handed-over reboot Slurm keeps the node DOWN with the handover's reason: a passing
    # verify returns it; a failing one drains it.
    down = SHOW_IDLE.replace("State=IDLE", "State=DOWN") + (" Reason=amdgpu.stability: reboot to apply: iommu=pt is on the "
                                                            "next boot : reboot issued : reboot complete [root@t]")
    assert role.slurm_after_verify(slurm_record(down))["argv"] == ["scontrol", "update", "nodename=gpu01", "state=RESUME"]
    assert role.slurm_after_verify(slurm_record(down), "x")["action"] == "drain"
    still = SHOW_IDLE.replace("State=IDLE", "State=DOWN+DRAIN+REBOOT_ISSUED") + " Reason=amdgpu.stability: reboot to apply: x [root@t]"
    assert role.slurm_after_verify(slurm_record(still))["action"] == "none"


def test_a_long_reason_is_cut_to_one_readable_line():
    reason = role.slurm_reason("x\n" * 300)
    assert len(reason) == role.slurm_node.REASON_MAX and "\n" not in reason and reason.endswith("...")


# --- converged

MODPROBE_TEXT = ("# Managed by Ansible (amdgpu.stability.amdgpu, profile recommended); local changes will be overwritten.\n"
                 "options amdgpu runpm=0\noptions amdgpu ppfeaturemask=0xfff73fff\n")


def plan(**changes):
    """amdgpu_plan's result for a host that already is what the recommended profile makes it."""
    result = {
        "info": {"amdgpu_loaded": True, "gpus": [RX7900],
                 "kernel": {"release": "6.12.95+deb13-amd64", "next_boot": "6.12.95+deb13-amd64", "reboot_requested": False}},
        "initramfs": {"tool": "initramfs-tools", "refusal": "",
                      "include": {"path": "/etc/dracut.conf.d/amdgpu-stability.conf", "content": None, "ours": False,
                                  "wanted": None, "mode": None, "uid": None, "gid": None}},
        "preflight": {"params": {"runpm": {"status": "in_effect"}, "sg_display": {"status": "not_configured"}}},
        "chosen": choice.choose(resolve(), {}, [RX7900], {}),
        "grub": {"supported": True, "changed_files": [], "missing": [], "grub_cfg": {"stale": False}, "reboot_reasons": []},
        "modprobe": {"path": "/etc/modprobe.d/amdgpu.conf", "content": MODPROBE_TEXT, "mode": "0644", "uid": 0, "gid": 0,
                     "ours": True, "wanted": MODPROBE_TEXT},
    }
    for key, value in changes.items():
        result[key] = dict(result[key], **value)
    return result


REQUEST = dict(NEEDED, profile="recommended", options_via="modprobe", kernel_args=["iommu=pt"], packages_managed=False)


def converge(the_plan=None, **request):
    return role.converged(the_plan or plan(), dict(REQUEST, **request))


def test_a_converged_host_ends_with_the_decision_and_report_of_a_whole_run():
    result = converge()
    assert result["converged"] is True and result["because"] == []
    # The facts of an earlier run (NEEDED's grub reason) are not this run's: the plan's are.
    decision = decide(grub_reasons=[], option_status={"runpm": {"status": "in_effect"}})
    assert result["decision"] == decision and decision["verdict"] == "not_required"
    # The report the whole run gives when it changes nothing; only the chosen options count (sg_display was left out).
    the_plan = plan()
    whole_run = role.run_report({"profile": "recommended", "state": "present", "options_via": "modprobe",
                                 "kernel_args": ["iommu=pt"], "changed_files": [], "packages_changed": False,
                                 "option_status": {"runpm": {"status": "in_effect"}}, "kernel": "6.12.95+deb13-amd64",
                                 "gpus": [RX7900], "advisories": []}, the_plan["chosen"], decision)
    assert result["report"] == dict(whole_run, converged=True)
    assert result["report"]["option_status"] == {"runpm": "in_effect"} and result["report"]["converged"] is True


@pytest.mark.parametrize("changes, because", [
    ({"grub": {"changed_files": ["/etc/default/grub.d/zz-amdgpu-stability.cfg"]}},
     "GRUB: /etc/default/grub.d/zz-amdgpu-stability.cfg to change"),
    ({"grub": {"missing": ["iommu=pt"]}}, "GRUB: iommu=pt overridden by a later file"),
    ({"grub": {"grub_cfg": {"stale": True}}}, "boot loader: its configuration does not match the files"),
    ({"grub": {"boot_config": {"path": "/boot/efi/loader/entries/debian-6.12.48+deb13-amd64.conf", "stale": True}}},
     "boot loader: /boot/efi/loader/entries/debian-6.12.48+deb13-amd64.conf does not match the files"),
    ({"grub": {"error": "/etc/default/grub line 3: unterminated quote"}}, "GRUB: /etc/default/grub line 3: unterminated quote"),
    ({"grub": {"supported": False, "boot_stack_description": "systemd-boot"}}, "GRUB: systemd-boot"),
    ({"modprobe": {"content": None}}, "/etc/modprobe.d/amdgpu.conf: to write"),
    ({"modprobe": {"content": "options amdgpu runpm=1\n"}}, "/etc/modprobe.d/amdgpu.conf: to rewrite"),
    ({"modprobe": {"mode": "0600"}}, "/etc/modprobe.d/amdgpu.conf: mode or owner to set"),
    ({"modprobe": {"uid": 1000}}, "/etc/modprobe.d/amdgpu.conf: mode or owner to set"),
])
def test_what_is_left_to_do(changes, because):
    result = converge(plan(**changes))
    assert result["converged"] is False and result["because"] == [because]


PENDING = "iommu=pt is on the next boot's command line but not on the running one"


@pytest.mark.parametrize("changes, reason", [
    ({"grub": {"reboot_reasons": [PENDING]}}, PENDING),
    ({"preflight": {"params": {"runpm": {"status": "pending_reboot"}}}}, "amdgpu option runpm is configured but not live yet"),
    ({"info": {"amdgpu_loaded": True, "gpus": [RX7900], "kernel": {"next_boot": "6.12.95+deb13-amd64", "reboot_requested": True}}},
     "/run/reboot-required exists (the distribution asks for a reboot)"),
])
def test_a_reboot_the_role_may_make_goes_the_whole_way_and_one_it_may_not_is_reported(changes, reason):
    allowed = converge(plan(**changes))
    assert allowed["converged"] is False and allowed["because"] == ["reboot: " + reason]
    for forbidding in ({"reboot_ok": False}, {"connection": "local"}):
        result = converge(plan(**changes), **forbidding)
        assert result["converged"] is True
        assert (result["decision"]["verdict"], result["decision"]["pending"], result["decision"]["reasons"]) == (
            "not_allowed", True, [reason])


def test_packages_to_manage_leave_the_run_to_apt():
    result = converge(packages_managed=True)
    assert result["because"] == ["packages: amdgpu_install_packages asks apt"] and result["report"] is None


def test_the_modprobe_file_when_none_is_wanted():
    # A file of this collection's is removed; one the user wrote is not the role's to touch.
    assert converge(plan(modprobe={"wanted": None}))["because"] == ["/etc/modprobe.d/amdgpu.conf: to remove"]
    theirs = plan(modprobe={"wanted": None, "content": "options amdgpu runpm=0\n", "ours": False})
    assert converge(theirs)["converged"] is True
    assert converge(plan(modprobe={"wanted": None, "content": None, "ours": False}))["converged"] is True


MKINITCPIO = {"tool": "mkinitcpio", "refusal": "this host builds its initramfs with mkinitcpio (...)",
              "include": plan()["initramfs"]["include"]}


def test_an_initramfs_it_cannot_rebuild_refuses_only_a_change_of_the_modprobe_file():
    assert converge(plan(initramfs=MKINITCPIO))["refusal"] == ""
    changing = converge(plan(initramfs=MKINITCPIO, modprobe={"content": None}))
    assert changing["refusal"] == MKINITCPIO["refusal"] and changing["converged"] is False
    assert converge(plan(modprobe={"content": None}))["refusal"] == ""


def test_dracut_needs_its_drop_in_naming_the_modprobe_file():
    include = dict(plan()["initramfs"]["include"], wanted="install_items+=\" /etc/modprobe.d/amdgpu.conf \"\n")
    dracut = plan(initramfs={"tool": "dracut", "refusal": "", "include": include})
    assert converge(dracut)["because"] == ["/etc/dracut.conf.d/amdgpu-stability.conf: to write"]
    there = dict(include, content=include["wanted"], mode="0644", uid=0, gid=0, ours=True)
    assert converge(plan(initramfs={"tool": "dracut", "refusal": "", "include": there}))["converged"] is True
    left = dict(there, wanted=None)
    assert converge(plan(initramfs={"tool": "initramfs-tools", "refusal": "", "include": left}))["because"] == [
        "/etc/dracut.conf.d/amdgpu-stability.conf: to remove"]


def test_removing_when_nothing_is_left_to_remove():
    result = converge(state="absent", the_plan=plan(modprobe={"content": None, "ours": False, "wanted": None}))
    assert result["converged"] is True and result["decision"]["reasons"] == []
    assert result["report"]["options"] == {} and result["report"]["kernel_args"] == [] and result["report"]["option_status"] == {}


def test_a_reboot_handed_over_goes_the_whole_way_whatever_this_role_may_do():
    pending = plan(grub={"reboot_reasons": [PENDING]})
    assert converge(pending, reboot_via="sentinel", reboot_ok=False)["because"] == [
        "reboot: handed to /var/run/reboot-required for kured or the operator (amdgpu_reboot_via sentinel)"]
    # Slurm is asked for the node's state every run, even with nothing left to do.
    assert converge(reboot_via="slurm")["because"] == ["slurm: the node is asked for its state"]


# --- report

RUN = {"profile": "recommended", "state": "present", "options_via": "modprobe", "kernel_args": ["iommu=pt", "pcie_aspm=off"],
       "changed_files": ["/etc/modprobe.d/amdgpu.conf"], "packages_changed": False,
       "option_status": {"runpm": {"status": "pending_reboot", "notes": []}, "tmz": {"status": "in_effect", "notes": ["n"]}},
       "kernel": "6.12.95+deb13-amd64", "gpus": [RX7900]}


def test_report_of_a_run_handed_to_the_sentinel():
    report = role.run_report(RUN, choice.choose(resolve(), {}, [RX7900], {}), decide(reboot_via="sentinel"))
    assert report["reboot_decision"] == "handed_to_sentinel" and report["reboot_required"] and not report["rebooted"]
    assert report["reboot_skipped_because"].startswith("handed to /var/run/reboot-required")


def test_report_of_a_run_left_pending():
    chosen = choice.choose(resolve(), {}, [RX7900], {})
    decision = decide(reboot_ok=False, option_status=RUN["option_status"])
    report = role.run_report(RUN, chosen, decision)
    assert report["reboot_required"] and not report["rebooted"] and report["reboot_decision"] == "not_allowed"
    assert report["reboot_skipped_because"] == "amdgpu_reboot_ok is false"
    assert report["option_status"] == {"runpm": "pending_reboot", "tmz": "in_effect"}
    assert report["option_notes"] == {"runpm": [], "tmz": ["n"]}
    assert report["gpus"] == ["Navi 31"] and report["displays"]["status"] == "shared_only_card"
    assert report["gpu_details"] == ["0000:03:00.0 Navi 31 (GC 11.0.0)"] and report["advisories"] == []
    assert report["options"] == chosen["options"] and report["kernel_args"] == ["iommu=pt", "pcie_aspm=off"]


def test_report_after_a_reboot_and_for_absent():
    chosen = choice.choose(resolve(), {}, [], {})
    rebooted = role.run_report(RUN, chosen, decide(busy=IDLE, rebooted=True))
    assert rebooted["rebooted"] and not rebooted["reboot_required"] and rebooted["reboot_skipped_because"] == ""
    absent = role.run_report(dict(RUN, state="absent", gpus=[]), chosen, decide(grub_reasons=[]))
    assert absent["options"] == {} and absent["kernel_args"] == [] and absent["reboot_decision"] == "not_required"
    assert absent["gpus"] == [] and absent["displays"]["status"] == "no_gpu"


def test_report_names_gpu_facts_and_advisories():
    phoenix = dict(PHOENIX, gfx_target="gfx1103", tmz="on")
    advisory = {"id": "x", "kind": "kernel", "severity": "warning", "pci_slot": "0000:c5:00.0", "subject": "s",
                "text": "t", "source": "src"}
    report = role.run_report(dict(RUN, gpus=[phoenix], advisories=[advisory]), choice.choose(resolve(), {}, [phoenix], {}),
                             decide(grub_reasons=[]))
    assert report["gpu_details"] == ["0000:c5:00.0 Phoenix (GC 11.0.1, gfx1103, APU, TMZ on)"]
    assert report["advisories"] == [advisory]


def test_a_busy_command_that_did_not_run_is_not_busy():
    for rc in (None, "", "None"):
        assert decide(busy={"processes": [], "command_rc": rc})["reboot_now"]


def test_kernel_support_record_and_its_summary():
    assert role.kernel_support_record(None) == {} and role.kernel_support_record({"skipped": True}) == {}
    result = {"rocm": {"version": "7.1.0-20", "line": "7.1", "dkms": None}, "os": {"id": "ubuntu", "version": "22.04"},
              "kernels": ["6.8.0-90-generic"], "supported_lines": ["5.15", "6.8"], "findings": [], "changed": False}
    record = role.kernel_support_record(result)
    assert "changed" not in record
    assert record["summary"] == "ROCm 7.1.0-20 supports 6.8.0-90-generic on ubuntu 22.04 (lines 5.15, 6.8)"
    outside = dict(result, findings=[{"kernel": "k", "problem": "kernel_unsupported", "message": "m1"},
                                     {"kernel": None, "problem": "radeon_unsupported", "message": "m2"}])
    assert role.kernel_support_record(outside)["summary"] == "m1 | m2"
    none = dict(result, rocm={"version": None, "line": None, "dkms": None}, supported_lines=None)
    assert role.kernel_support_record(none)["summary"] == "no ROCm installed"
