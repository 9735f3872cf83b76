# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the kernel prints on the amdgpu hang path: message kinds, their patterns and their sources.

Each kind is matched on the message body (after the log shape's prefix and the driver's device or DRM
prefix are taken off) by one pattern; the kind lists the format strings that print it, each with the
source file and function and the kernel lines whose source was read and prints it:

- ``6.1``  Debian linux-source-6.1 6.1.176 (bookworm)
- ``6.12`` Debian linux-source-6.12 6.12.107 (trixie)
- ``7.2``  Debian linux-source-7.2 7.2.13 (sid)
- ``7.3``  Debian linux-source-7.3 7.3~rc7 (experimental)

The kernels between them (6.13 to 6.19, 7.0, 7.1) were not read as trees; where a form changed
between two lines read, ``since`` names the first release that prints it and ``evidence`` where that
comes from. tests/fixtures/kernel/<line>/log-formats.tsv lists every format string of the hang-path
files of a line read (tools/extract_log_formats.py); a unit test holds this table against them, in
both directions, and renders every form into a log line that the scanner must recognise.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections

LINES_READ = ("6.1", "6.12", "7.2", "7.3")
ALL = LINES_READ
SINCE_6_12 = ("6.12", "7.2", "7.3")
SINCE_7_2 = ("7.2", "7.3")

# file is relative to drivers/gpu/drm/; lines are the lines read that print it; args render an example.
Form = collections.namedtuple("Form", "file function format lines args since evidence")


def form(file, function, text, lines, args=(), since=None, evidence=None):
    return Form(file, function, text, tuple(lines), tuple(args), since, evidence)


Message = collections.namedtuple("Message", "kind pattern forms")

# The common process tail of the VM fault printers and of the job timeout.
_TASK = ("Xorg", 977, "Xorg:cs0", 981)
_DEVICE_C = "amd/amdgpu/amdgpu_device.c"
_JOB_C = "amd/amdgpu/amdgpu_job.c"
_MES_C = "amd/amdgpu/amdgpu_mes.c"
_KFD_DQM = "amd/amdkfd/kfd_device_queue_manager.c"
_GFXHUBS = (
    ("amd/amdgpu/gfxhub_v2_0.c", "gfxhub_v2_0_print_l2_protection_fault_status", ALL),
    ("amd/amdgpu/gfxhub_v2_1.c", "gfxhub_v2_1_print_l2_protection_fault_status", ALL),
    ("amd/amdgpu/gfxhub_v3_0.c", "gfxhub_v3_0_print_l2_protection_fault_status", ALL),
    ("amd/amdgpu/gfxhub_v3_0_3.c", "gfxhub_v3_0_3_print_l2_protection_fault_status", ALL),
    ("amd/amdgpu/gfxhub_v11_5_0.c", "gfxhub_v11_5_0_print_l2_protection_fault_status", SINCE_6_12),
    ("amd/amdgpu/gfxhub_v12_0.c", "gfxhub_v12_0_print_l2_protection_fault_status", SINCE_6_12),
)
_MMHUBS = (
    ("amd/amdgpu/mmhub_v2_0.c", "mmhub_v2_0_print_l2_protection_fault_status", ALL),
    ("amd/amdgpu/mmhub_v2_3.c", "mmhub_v2_3_print_l2_protection_fault_status", ALL),
    ("amd/amdgpu/mmhub_v3_0.c", "mmhub_v3_0_print_l2_protection_fault_status", ALL),
    ("amd/amdgpu/mmhub_v3_0_1.c", "mmhub_v3_0_1_print_l2_protection_fault_status", ALL),
    ("amd/amdgpu/mmhub_v3_0_2.c", "mmhub_v3_0_2_print_l2_protection_fault_status", ALL),
    ("amd/amdgpu/mmhub_v3_3.c", "mmhub_v3_3_print_l2_protection_fault_status", SINCE_6_12),
)
# GFX12's MMHUB prints the low half of its 64-bit status register.
_MMHUB_V4 = ("amd/amdgpu/mmhub_v4_1_0.c", "mmhub_v4_1_0_print_l2_protection_fault_status", SINCE_6_12)
# The reset methods as the ASIC and device code name them ("GPU mode1 reset" alone: its failure is below).
_RESET_NAMED = (r"^(?:(?P<m1>MODE1) reset|GPU (?:smu |psp )?(?P<m2>mode1) reset$|(?P<m3>MODE2) reset|"
                r"(?P<m4>BACO) reset|(?P<m5>PCI) reset|GPU (?P<m6>link) reset$)")
_RESET_FAILED = (r"^(?:GPU reset\(\d+\) failed|GPU (?P<method>mode1|mode2|link) reset failed|"
                 r"(?P<smu>Mode2) reset failed!|GPU reset end with ret = -\d+|GPU Recovery Failed|"
                 r"ASIC reset failed with error|GPU pre asic reset failed)")
# The process tail of a fault line (up to 6.1 and in the one-line form).
_PROCESS = r"(?:,? for process (?P<p1>\S*) pid (?P<pid1>\d+) thread \S* pid \d+|" \
           r" in process (?P<p2>\S*) pid (?P<pid2>\d+) thread \S* pid \d+|" \
           r" Process (?P<p3>\S*) pid (?P<pid3>\d+) thread \S* pid \d+)?"

# Patterns too long for one line.
_PAGE_FAULT = (r"^\[(?P<hub>gfxhub|mmhub|vmc|gfx|mm)\w*\] (?:retry |no-retry )?page fault"
               r"(?: \(src_id:\d+ ring:\d+ vmid:\d+ pasid:(?P<pasid>\d+)\)?)?" + _PROCESS)
_FAULT_ADDRESS = (r"^in page starting at address 0x(?P<address>[0-9a-fA-F]+)"
                  r"(?: from (?:client|IH client) (?P<client>\S+))?")
_PROCESS_LINE = (r"^(?:Process information: process |Process |in process |for process )"
                 r"(?P<p4>\S+) pid (?P<pid4>\d+)")
_QUEUE_REMOVE_FAILED = (r"^(?:failed to remove (?:hardware )?queue(?: from MES)?|"
                        r"Failed to unmap queue in HW|\S+: Failed to remove queue \d+ for dev)")
_QUEUE_SUSPEND_FAILED = (r"^(?:failed to (?:suspend|resume) gangs from MES|"
                         r"(?:Suspending|Resuming) all queues failed|Evicting process queues failed)")
_QUEUE_RESET_FAILED = (r"^(?:failed to reset (?:legacy|user|hardware) queue|"
                       r"Failed to detect (?:and reset )?hung queues|Failed to detect and reset queues|"
                       r"reset via MES failed|fail\(-?\d+\) to reset kcq|Removing bad queue failed|"
                       r"Failed to recover ring \S+ after soft reset)")
_PIPE_RESET = (r"^(?:The (?:ring \S+|gfx) pipe reset|The ring \S+ pipe resets|"
               r"reset (?:gfx|compute|sdma) queue \()")

MESSAGES = (
    # ---- the VM fault ---------------------------------------------------------------------------
    # Up to 6.1 the process is in the fault line; from 6.12 it is a line of its own (below). A line a
    # user shortened may stop anywhere after "page fault": the fields are optional.
    Message("page_fault", _PAGE_FAULT, (
        form("amd/amdgpu/gmc_v9_0.c", "gmc_v9_0_process_interrupt",
             "[%s] %s page fault (src_id:%u ring:%u vmid:%u pasid:%u, for process %s pid %d thread %s pid %d)",
             ("6.1",), ("gfxhub0", "retry", 0, 24, 8, 32770) + _TASK),
        form("amd/amdgpu/gmc_v9_0.c", "gmc_v9_0_process_interrupt",
             "[%s] %s page fault (src_id:%u ring:%u vmid:%u pasid:%u)", SINCE_6_12,
             ("gfxhub0", "no-retry", 0, 24, 8, 32770)),
        form("amd/amdgpu/gmc_v10_0.c", "gmc_v10_0_process_interrupt",
             "[%s] page fault (src_id:%u ring:%u vmid:%u pasid:%u, for process %s pid %d thread %s pid %d)",
             ("6.1",), ("gfxhub", 0, 24, 3, 32771) + _TASK),
        form("amd/amdgpu/gmc_v10_0.c", "gmc_v10_0_process_interrupt",
             "[%s] page fault (src_id:%u ring:%u vmid:%u pasid:%u)", SINCE_6_12, ("gfxhub", 0, 24, 3, 32771)),
        form("amd/amdgpu/gmc_v11_0.c", "gmc_v11_0_process_interrupt",
             "[%s] page fault (src_id:%u ring:%u vmid:%u pasid:%u, for process %s pid %d thread %s pid %d)",
             ("6.1",), ("gfxhub", 0, 24, 3, 32771) + _TASK),
        form("amd/amdgpu/gmc_v11_0.c", "gmc_v11_0_process_interrupt",
             "[%s] page fault (src_id:%u ring:%u vmid:%u pasid:%u)", SINCE_6_12, ("gfxhub", 0, 24, 3, 32771)),
        form("amd/amdgpu/gmc_v12_0.c", "gmc_v12_0_process_interrupt",
             "[%s] page fault (src_id:%u ring:%u vmid:%u pasid:%u)", SINCE_6_12, ("mmhub", 0, 24, 3, 32771)),
    )),
    Message("fault_address", _FAULT_ADDRESS, (
        form("amd/amdgpu/gmc_v9_0.c", "gmc_v9_0_process_interrupt",
             "  in page starting at address 0x%016llx from IH client 0x%x (%s)", ALL, (0x7f12deadb000, 0x1b, "UTCL2")),
        form("amd/amdgpu/gmc_v10_0.c", "gmc_v10_0_process_interrupt",
             "  in page starting at address 0x%016llx from client 0x%x (%s)", ALL, (0x7f12deadb000, 0x1b, "UTCL2")),
        form("amd/amdgpu/gmc_v11_0.c", "gmc_v11_0_process_interrupt",
             "  in page starting at address 0x%016llx from client %d", ALL, (0x7f12deadb000, 10)),
        form("amd/amdgpu/gmc_v12_0.c", "gmc_v12_0_process_interrupt",
             "  in page starting at address 0x%016llx from client %d", SINCE_6_12, (0x7f12deadb000, 10)),
    )),
    Message("fault_status", r"^(?:GC|MM)?VM_L2_PROTECTION_FAULT_STATUS(?:_LO32)?:0x[0-9a-fA-F]+",
            tuple(form(file, function, "GCVM_L2_PROTECTION_FAULT_STATUS:0x%08X", lines, (0x00B01A31,))
                  for file, function, lines in _GFXHUBS)
            + tuple(form(file, function, "MMVM_L2_PROTECTION_FAULT_STATUS:0x%08X", lines, (0x00B01A31,))
                    for file, function, lines in _MMHUBS)
            + (form(_MMHUB_V4[0], _MMHUB_V4[1], "MMVM_L2_PROTECTION_FAULT_STATUS_LO32:0x%08X", _MMHUB_V4[2],
                    (0x00B01A31,)),
               form("amd/amdgpu/gmc_v9_0.c", "gmc_v9_0_process_interrupt", "VM_L2_PROTECTION_FAULT_STATUS:0x%08X",
                    ALL, (0x00B01A31,)))),
    Message("fault_client", r"^Faulty UTCL2 client ID: (?P<utcl2>.+?)\s*$",
            tuple(form(file, function, "\\t Faulty UTCL2 client ID: %s (0x%x)", lines, ("CB/DB", 0))
                  for file, function, lines in _GFXHUBS + _MMHUBS + (_MMHUB_V4,))
            + (form("amd/amdgpu/gmc_v9_0.c", "gmc_v9_0_process_interrupt", "\\t Faulty UTCL2 client ID: %s (0x%x)",
                    ALL, ("TCP", 8)),)),
    # The process a fault or a timeout names, on a line of its own.
    Message("process", _PROCESS_LINE, (
        form(_JOB_C, "amdgpu_job_timedout", "Process information: process %s pid %d thread %s pid %d",
             ("6.1", "6.12"), _TASK),
        form("amd/amdgpu/amdgpu_vm.c", "amdgpu_vm_print_task_info", " Process %s pid %d thread %s pid %d",
             SINCE_7_2, _TASK, "6.17", "domain facts, section 6 (the process line of 6.17+)"),
        form("amd/amdgpu/gmc_v9_0.c", "gmc_v9_0_process_interrupt", " for process %s pid %d thread %s pid %d)",
             ("6.12",), _TASK),
        form("amd/amdgpu/gmc_v10_0.c", "gmc_v10_0_process_interrupt", " in process %s pid %d thread %s pid %d",
             ("6.12",), _TASK),
        form("amd/amdgpu/gmc_v11_0.c", "gmc_v11_0_process_interrupt", " in process %s pid %d thread %s pid %d)",
             ("6.12",), _TASK),
        form("amd/amdgpu/gmc_v12_0.c", "gmc_v12_0_process_interrupt", " in process %s pid %d thread %s pid %d)",
             ("6.12",), _TASK),
    )),
    # ---- the MES scheduler and KFD's queues -----------------------------------------------------
    Message("mes_timeout", r"^MES(?:\(\d+\))? failed to respon(?:se|d to) msg=(?P<msg>[^\s(]+)", (
        form("amd/amdgpu/mes_v11_0.c", "mes_v11_0_submit_pkt_and_poll_completion", "MES failed to response msg=%d",
             ("6.1",), (3,)),
        form("amd/amdgpu/mes_v11_0.c", "mes_v11_0_submit_pkt_and_poll_completion", "MES failed to respond to msg=%s",
             SINCE_6_12, ("REMOVE_QUEUE",)),
        form("amd/amdgpu/mes_v11_0.c", "mes_v11_0_submit_pkt_and_poll_completion",
             "MES failed to respond to msg=%s (%s)", SINCE_6_12, ("MISC", "WAIT_REG_MEM")),
        form("amd/amdgpu/mes_v11_0.c", "mes_v11_0_submit_pkt_and_poll_completion", "MES failed to respond to msg=%d",
             SINCE_6_12, (20,)),
        form("amd/amdgpu/mes_v12_0.c", "mes_v12_0_submit_pkt_and_poll_completion",
             "MES(%d) failed to respond to msg=%s", SINCE_6_12, (1, "SUSPEND")),
        form("amd/amdgpu/mes_v12_0.c", "mes_v12_0_submit_pkt_and_poll_completion",
             "MES(%d) failed to respond to msg=%s (%s)", SINCE_6_12, (0, "MISC", "WAIT_REG_MEM")),
        form("amd/amdgpu/mes_v12_0.c", "mes_v12_0_submit_pkt_and_poll_completion",
             "MES(%d) failed to respond to msg=%d", SINCE_6_12, (0, 20)),
    )),
    Message("mes_ring_full", r"^MES ring buffer is full", (
        form("amd/amdgpu/mes_v11_0.c", "mes_v11_0_submit_pkt_and_poll_completion", "MES ring buffer is full.", SINCE_6_12),
        form("amd/amdgpu/mes_v12_0.c", "mes_v12_0_submit_pkt_and_poll_completion", "MES ring buffer is full.", SINCE_6_12),
    )),
    Message("queue_unmap_failed", r"^failed to unmap legacy queue", (
        form(_MES_C, "amdgpu_mes_unmap_legacy_queue", "failed to unmap legacy queue", ALL),
    )),
    # KFD, when MES does not answer a queue removal; user queues (7.x) the same.
    Message("queue_remove_failed", _QUEUE_REMOVE_FAILED, (
        form(_KFD_DQM, "remove_queue_mes", "failed to remove hardware queue from MES, doorbell=0x%x",
             ("6.1", "6.12"), (0x1004,)),
        form(_KFD_DQM, "remove_queue_mes_on_reset_option", "failed to remove hardware queue from MES, doorbell=0x%x",
             ("7.2",), (0x1004,)),
        form(_KFD_DQM, "remove_queue_mes_on_reset_option", "failed to remove queue from MES, doorbell=0x%x",
             ("7.3",), (0x1004,)),
        form(_MES_C, "amdgpu_mes_remove_hw_queue", "failed to remove hardware queue, queue id = %d", ("6.1", "6.12"), (3,)),
        form(_MES_C, "amdgpu_mes_destroy_process", "failed to remove hardware queue", ("6.1", "6.12")),
        form(_KFD_DQM, "remove_all_queues_mes", "%s: Failed to remove queue %d for dev %d", ("6.1", "6.12"),
             ("remove_all_queues_mes", 2, 2741)),
        form(_KFD_DQM, "remove_all_kfd_queues_mes", "%s: Failed to remove queue %d for dev %d", SINCE_7_2,
             ("remove_all_kfd_queues_mes", 2, 2741)),
        form("amd/amdgpu/mes_userqueue.c", "mes_userq_unmap", "Failed to unmap queue in HW, err (%d)", SINCE_7_2, (-110,)),
    )),
    Message("queue_suspend_failed", _QUEUE_SUSPEND_FAILED, (
        form(_KFD_DQM, "suspend_all_queues_mes", "failed to suspend gangs from MES", ("6.12", "7.2")),
        form(_KFD_DQM, "resume_all_queues_mes", "failed to resume gangs from MES", ("6.12", "7.2")),
        form(_KFD_DQM, "kfd_dqm_evict_pasid_mes", "Suspending all queues failed", ("6.12",)),
        form(_KFD_DQM, "kfd_dqm_evict_pasid_mes", "Resuming all queues failed", ("6.12",)),
        form(_KFD_DQM, "kfd_dqm_evict_pasid_mes", "Evicting process queues failed", ("6.12",)),
    )),
    Message("mes_unrecoverable", r"^MES might be in unrecoverable state", tuple(
        form(_KFD_DQM, function, "MES might be in unrecoverable state, issue a GPU reset", lines)
        for function, lines in (("add_queue_mes", ALL), ("remove_queue_mes", ("6.1", "6.12")),
                                ("remove_queue_mes_on_reset_option", SINCE_7_2),
                                ("suspend_all_queues_mes", ("6.12", "7.2")), ("resume_all_queues_mes", ("6.12", "7.2")))
    )),
    # The hardware scheduler could not preempt the queues: KFD asks for a GPU reset (source HWS).
    Message("hws_hang", r"^The cp might be in an unrecoverable state", (
        form(_KFD_DQM, "unmap_queues_cpsch",
             "The cp might be in an unrecoverable state due to an unsuccessful queues preemption", ALL),
    )),
    # A compute queue hung and was found (7.x: MES's hung-queue detection).
    Message("queue_hang", r"^(?:Hang detected doorbell|\S+ queue hung, but ring reset disabled)", (
        form(_KFD_DQM, "reset_queues_mes", "Hang detected doorbell %x pipe %d queue %d type %d", ("7.2",),
             (0x1004, 1, 0, 1)),
        form(_KFD_DQM, "reset_queues_on_hws_hang", "%s queue hung, but ring reset disabled", SINCE_7_2, ("compute",)),
    )),
    Message("queue_reset", r"^queue id 0x[0-9a-fA-F]+ at pasid (?:0x)?[0-9a-fA-F]+ is reset", (
        form(_KFD_DQM, "set_queue_as_reset", "queue id 0x%0x at pasid 0x%0x is reset", ("6.12",), (3, 0x8003)),
        form(_KFD_DQM, "set_queue_as_reset", "queue id 0x%0x at pasid %d is reset", SINCE_7_2, (3, 32771)),
    )),
    Message("queue_reset_failed", _QUEUE_RESET_FAILED, (
        form(_MES_C, "amdgpu_mes_reset_legacy_queue", "failed to reset legacy queue", SINCE_6_12),
        form(_MES_C, "amdgpu_mes_reset_queue_mmio", "failed to reset legacy queue", ("7.3",)),
        form(_MES_C, "amdgpu_mes_reset_user_queue", "failed to reset user queue", ("7.3",)),
        form(_MES_C, "amdgpu_mes_reset_hw_queue", "failed to reset hardware queue, queue id = %d", ("6.12",), (3,)),
        form(_MES_C, "amdgpu_mes_reset_hw_queue_mmio", "failed to reset hardware queue by mmio, queue id = %d",
             ("6.12",), (3,)),
        form(_MES_C, "amdgpu_mes_detect_and_reset_hung_queues", "Failed to detect and reset hung queues", SINCE_7_2),
        form(_MES_C, "amdgpu_mes_detect_and_reset_hung_queues", "Failed to detect hung queues", SINCE_7_2),
        form("amd/amdgpu/mes_userqueue.c", "mes_userq_detect_and_reset", "Failed to detect and reset queues, err (%d)",
             ("7.2",), (-110,)),
        form("amd/amdgpu/gfx_v11_0.c", "gfx_v11_0_reset_kgq", "reset via MES failed and try pipe reset %d", ("7.2",), (-110,)),
        form("amd/amdgpu/gfx_v11_0.c", "gfx_v11_0_reset_kcq", "fail(%d) to reset kcq and try pipe reset", ("7.2",), (-110,)),
        form("amd/amdgpu/gfx_v12_0.c", "gfx_v12_0_reset_kgq", "reset via MES failed %d", ("6.12",), (-110,)),
        form("amd/amdgpu/gfx_v12_0.c", "gfx_v12_0_reset_kgq", "reset via MES failed and try pipe reset %d", ("7.2",), (-110,)),
        form("amd/amdgpu/gfx_v12_0.c", "gfx_v12_0_reset_kcq", "fail(%d) to reset kcq  and try pipe reset", ("7.2",), (-110,)),
        form(_KFD_DQM, "kfd_dqm_suspend_bad_queue_mes", "Removing bad queue failed", ("6.12", "7.2")),
        form("amd/amdgpu/amdgpu_ring.c", "amdgpu_multi_ring_reset_helper_end", "Failed to recover ring %s after soft reset",
             ("7.3",), ("gfx_0.0.0",)),
    )),
    # Inside a ring reset: the queue or pipe that was reset (7.x).
    Message("pipe_reset", _PIPE_RESET, (
        form("amd/amdgpu/gfx_v11_0.c", "gfx_v11_reset_gfx_pipe", "The ring %s pipe reset to the ME firmware start PC: %s",
             ("7.2",), ("gfx_0.0.0", "passed")),
        form("amd/amdgpu/gfx_v11_0.c", "gfx_v11_0_reset_compute_pipe", "The ring %s pipe resets to MEC FW start PC: %s",
             ("7.2",), ("comp_1.0.0", "passed")),
        form("amd/amdgpu/gfx_v12_0.c", "gfx_v12_reset_gfx_pipe", "The ring %s pipe reset: %s", ("7.2",), ("gfx_0.0.0", "passed")),
        form("amd/amdgpu/gfx_v12_0.c", "gfx_v12_0_reset_compute_pipe", "The ring %s pipe resets: %s", ("7.2",),
             ("comp_1.0.0", "passed")),
        form("amd/amdgpu/mes_v11_0.c", "mes_v11_0_reset_gfx_pipe_mmio", "The gfx pipe reset to the ME firmware start PC: %s",
             ("7.3",), ("passed",)),
        form("amd/amdgpu/mes_v12_0.c", "mes_v12_0_reset_gfx_pipe_mmio", "The gfx pipe reset: %s", ("7.3",), ("passed",)),
        form("amd/amdgpu/mes_v11_0.c", "mes_v11_0_reset_queue_mmio", "reset gfx queue (%d:%d:%d: vmid:%d)", SINCE_6_12,
             (0, 0, 0, 3)),
        form("amd/amdgpu/mes_v11_0.c", "mes_v11_0_reset_queue_mmio", "reset compute queue (%d:%d:%d)", SINCE_6_12, (1, 1, 0)),
        form("amd/amdgpu/mes_v11_0.c", "mes_v11_0_reset_queue_mmio", "reset sdma queue (%d:%d:%d)", SINCE_7_2, (0, 0, 0)),
        form("amd/amdgpu/mes_v12_0.c", "mes_v12_0_reset_queue_mmio", "reset gfx queue (%d:%d:%d: vmid:%d)", SINCE_7_2,
             (0, 0, 0, 3)),
        form("amd/amdgpu/mes_v12_0.c", "mes_v12_0_reset_queue_mmio", "reset compute queue (%d:%d:%d)", SINCE_7_2, (1, 1, 0)),
        form("amd/amdgpu/mes_v12_0.c", "mes_v12_0_reset_queue_mmio", "reset sdma queue (%d:%d:%d)", SINCE_7_2, (0, 0, 0)),
    )),
    # ---- the job timeout and what the driver does about it (amdgpu_job_timedout) ---------------------
    # Before the plain timeout: its "soft recovered" form starts the same way.
    Message("soft_recovered", r"^ring (?P<ring>\S+) timeout, but soft recovered", (
        form(_JOB_C, "amdgpu_job_timedout", "ring %s timeout, but soft recovered", ALL, ("gfx_0.0.0",)),
    )),
    Message("ring_timeout", r"^ring (?P<ring>\S+) timeout", (
        form(_JOB_C, "amdgpu_job_timedout", "ring %s timeout, signaled seq=%u, emitted seq=%u", ALL,
             ("gfx_0.0.0", 88122, 88124)),
    )),
    # 6.12 resets a ring without a word (success is silent, failure goes on to a full reset); the
    # messages came with 6.16.
    Message("ring_reset_begin", r"^Starting (?P<ring>\S+) ring reset", (
        form(_JOB_C, "amdgpu_job_timedout", "Starting %s ring reset", SINCE_7_2, ("comp_1.1.0",), "6.16",
             "domain facts, section 6 (ring reset messages 6.16+)"),
    )),
    Message("ring_reset", r"^Ring (?P<ring>\S+) reset succeeded", (
        form(_JOB_C, "amdgpu_job_timedout", "Ring %s reset succeeded", SINCE_7_2, ("comp_1.1.0",), "6.16",
             "domain facts, section 6 (ring reset messages 6.16+)"),
    )),
    Message("ring_reset_failed", r"^Ring (?P<ring>\S+) reset failed", (
        form(_JOB_C, "amdgpu_job_timedout", "Ring %s reset failed", SINCE_7_2, ("gfx_0.0.0",), "6.16",
             "domain facts, section 6 (ring reset messages 6.16+)"),
    )),
    Message("cp_halt_failed", r"^failed to (?:un)?halt cp gfx", (
        form("amd/amdgpu/gfx_v10_0.c", "gfx_v10_0_cp_gfx_enable", "failed to %s cp gfx", ALL, ("halt",)),
        form("amd/amdgpu/gfx_v11_0.c", "gfx_v11_0_cp_gfx_enable", "failed to %s cp gfx", ALL, ("halt",)),
        form("amd/amdgpu/gfx_v12_0.c", "gfx_v12_0_cp_gfx_enable", "failed to %s cp gfx", SINCE_6_12, ("unhalt",)),
    )),
    # ---- the full reset (amdgpu_device_gpu_recover) ---------------------------------------------
    # "jobs stop" instead of "reset": a fatal RAS error; the driver stops the jobs and the kernel
    # restarts the machine (emergency_restart), no reset follows.
    Message("emergency_restart", r"^GPU jobs stop begin!", (
        form(_DEVICE_C, "amdgpu_device_gpu_recover", "GPU %s begin!", ("6.1", "6.12"), ("jobs stop",)),
        form(_DEVICE_C, "amdgpu_device_gpu_recover", "GPU %s begin!. Source:  %d", SINCE_7_2, ("jobs stop", 2), "6.18",
             "domain facts, section 6 (the reset source, 6.18+)"),
    )),
    Message("reset_begin", r"^GPU reset begin!(?:\. Source: +(?P<source>\d+))?", (
        form(_DEVICE_C, "amdgpu_device_gpu_recover", "GPU %s begin!", ("6.1", "6.12"), ("reset",)),
        form(_DEVICE_C, "amdgpu_device_gpu_recover", "GPU %s begin!. Source:  %d", SINCE_7_2, ("reset", 1), "6.18",
             "domain facts, section 6 (the reset source, 6.18+)"),
    )),
    # The timed-out job finished after all: no hardware reset (a soft recovery).
    Message("guilty_signaled", r"^Guilty job already signaled", (
        form(_DEVICE_C, "amdgpu_device_gpu_recover", "Guilty job already signaled, skipping HW reset", ALL),
    )),
    Message("soft_reset_failed", r"^soft reset failed, will fallback to full reset", (
        form(_DEVICE_C, "amdgpu_device_pre_asic_reset", "soft reset failed, will fallback to full reset!",
             ("6.1", "6.12", "7.2")),
    )),
    Message("reset", _RESET_NAMED, (
        form("amd/amdgpu/soc21.c", "soc21_asic_reset", "MODE1 reset", ALL),
        form("amd/amdgpu/soc21.c", "soc21_asic_reset", "MODE2 reset", ALL),
        form("amd/amdgpu/soc21.c", "soc21_asic_reset", "BACO reset", ALL),
        form("amd/amdgpu/soc21.c", "soc21_asic_reset", "PCI reset", ALL),
        form("amd/amdgpu/soc24.c", "soc24_asic_reset", "MODE1 reset", SINCE_6_12),
        form("amd/amdgpu/soc24.c", "soc24_asic_reset", "MODE2 reset", SINCE_6_12),
        form("amd/amdgpu/soc24.c", "soc24_asic_reset", "BACO reset", SINCE_6_12),
        form("amd/amdgpu/soc24.c", "soc24_asic_reset", "PCI reset", SINCE_6_12),
        form("amd/amdgpu/nv.c", "nv_asic_reset", "MODE1 reset", ALL),
        form("amd/amdgpu/nv.c", "nv_asic_reset", "MODE2 reset", ALL),
        form("amd/amdgpu/nv.c", "nv_asic_reset", "BACO reset", ALL),
        form("amd/amdgpu/nv.c", "nv_asic_reset", "PCI reset", ALL),
        form(_DEVICE_C, "amdgpu_device_mode1_reset", "GPU mode1 reset", ALL),
        form(_DEVICE_C, "amdgpu_device_mode1_reset", "GPU smu mode1 reset", ALL),
        form(_DEVICE_C, "amdgpu_device_mode1_reset", "GPU psp mode1 reset", ALL),
        form("amd/amdgpu/soc21.c", "soc21_asic_mode1_reset", "GPU smu mode1 reset", ALL),
        form("amd/amdgpu/soc21.c", "soc21_asic_mode1_reset", "GPU psp mode1 reset", ALL),
        form(_DEVICE_C, "amdgpu_device_link_reset", "GPU link reset", SINCE_7_2),
    )),
    Message("reset_failed", _RESET_FAILED, (
        form(_DEVICE_C, "amdgpu_device_gpu_recover", "GPU reset(%d) failed", ("6.1", "6.12"), (2,)),
        form(_DEVICE_C, "amdgpu_device_sched_resume", "GPU reset(%d) failed with error %d", SINCE_7_2, (2, -110), "6.17",
             "domain facts, section 6 (the failed reset's error, 6.17+)"),
        form(_DEVICE_C, "amdgpu_device_gpu_recover", "GPU reset end with ret = %d", ALL, (-110,)),
        form(_JOB_C, "amdgpu_job_timedout", "GPU Recovery Failed: %d", ALL, (-110,)),
        form(_DEVICE_C, "amdgpu_do_asic_reset", "ASIC reset failed with error, %d for drm dev, %s", ALL,
             (-110, "0000:03:00.0")),
        form(_DEVICE_C, "amdgpu_device_xgmi_reset_func", "ASIC reset failed with error, %d for drm dev, %s", ALL,
             (-110, "0000:03:00.0")),
        form(_DEVICE_C, "amdgpu_device_gpu_recover", "GPU pre asic reset failed with err, %d for drm dev, %s ",
             ("6.1", "6.12"), (-110, "0000:03:00.0")),
        form(_DEVICE_C, "amdgpu_device_asic_reset", "GPU pre asic reset failed with err, %d for drm dev, %s ",
             SINCE_7_2, (-110, "0000:03:00.0")),
        form(_DEVICE_C, "amdgpu_device_mode1_reset", "GPU mode1 reset failed", ALL),
        form("amd/amdgpu/soc21.c", "soc21_asic_mode1_reset", "GPU mode1 reset failed", ALL),
        form("amd/amdgpu/nv.c", "nv_asic_mode2_reset", "GPU mode2 reset failed", ALL),
        form("amd/pm/swsmu/amdgpu_smu.c", "smu_mode2_reset", "Mode2 reset failed!", ALL),
        form(_DEVICE_C, "amdgpu_device_link_reset", "GPU link reset failed", SINCE_7_2),
    )),
    Message("reset_succeeded", r"^(?:GPU reset succeeded|GPU reset\(\d+\) succeeded|GPU reset end with ret = 0\b)", (
        form(_DEVICE_C, "amdgpu_do_asic_reset", "GPU reset succeeded, trying to resume", ("6.1", "6.12")),
        form(_DEVICE_C, "amdgpu_device_reinit_after_reset", "GPU reset succeeded, trying to resume", SINCE_7_2),
        form(_DEVICE_C, "amdgpu_device_gpu_recover", "GPU reset(%d) succeeded!", ("6.1", "6.12"), (2,)),
        form(_DEVICE_C, "amdgpu_device_sched_resume", "GPU reset(%d) succeeded!", SINCE_7_2, (2,)),
    )),
    Message("vram_lost", r"^VRAM is lost", (
        form(_DEVICE_C, "amdgpu_do_asic_reset", "VRAM is lost due to GPU reset!", ("6.1", "6.12")),
        form(_DEVICE_C, "amdgpu_device_reinit_after_reset", "VRAM is lost due to GPU reset!", SINCE_7_2),
    )),
    Message("recovery_disabled", r"^GPU recovery disabled", (
        form(_DEVICE_C, "amdgpu_device_should_recover_gpu", "GPU recovery disabled.", ALL),
    )),
    # The GPU no longer answers on PCI (it fell off the bus): nothing but a reboot brings it back.
    Message("device_lost", r"^device lost from bus", (
        form(_DEVICE_C, "amdgpu_device_health_check", "device lost from bus!", ("6.12",)),
        form("amd/amdgpu/amdgpu.h", "amdgpu_device_bus_status_check", "device lost from bus!", SINCE_7_2),
    )),
    # ---- the DRM core's wedged event (drm_dev_wedged_event) -------------------------------------
    # amdgpu sends it with DRM_WEDGE_RECOVERY_NONE after a ring reset, an IP soft reset or a full reset
    # that worked (amdgpu_job.c, amdgpu_device.c, KFD and user queues: every caller in 7.2 and 7.3). The
    # recovery methods (rebind, bus-reset, vendor-specific) go only into the uevent (WEDGED=...); the log
    # tells apart NONE ("recovered through reset", since 7.1 "no recovery needed") from any other method
    # ("needs recovery"), which no amdgpu caller sends in the sources read.
    Message("wedged_recovered", r"^device wedged, but (?:recovered through reset|no recovery needed)", (
        form("drm_drv.c", "drm_dev_wedged_event", "device wedged, %s", (), ("but recovered through reset",), "6.15",
             "b7cf9f4ac1b8 'drm: Introduce device wedged event' (ROCm's DKMS configure check names it v6.15); "
             "the wording lasted until 'drm: Update log for none recovery method' (dri-devel, 2026-03-03)"),
        form("drm_drv.c", "drm_dev_wedged_event", "device wedged, %s", SINCE_7_2, ("but no recovery needed",), "7.1",
             "'drm: Update log for none recovery method' (dri-devel, 2026-03-03); read in 7.2.13"),
    )),
    Message("wedged_needs_recovery", r"^device wedged, needs recovery", (
        form("drm_drv.c", "drm_dev_wedged_event", "device wedged, %s", SINCE_7_2, ("needs recovery",), "6.15",
             "b7cf9f4ac1b8 'drm: Introduce device wedged event'"),
    )),
    # A process still submitting to a context that the reset cancelled (-125 = ECANCELED).
    Message("parser_failed", r"^Failed to initialize parser -?\d+", (
        form("amd/amdgpu/amdgpu_cs.c", "amdgpu_cs_ioctl", "Failed to initialize parser %d!", ALL, (-125,)),
    )),
    # ---- the SMU --------------------------------------------------------------------------------
    Message("smu_hang", r"^SMU is in hanged state", (
        form("amd/pm/swsmu/smu_cmn.c", "smu_cmn_send_msg_without_waiting",
             "SMU is in hanged state, failed to send smu message!", ("6.12",)),
        form("amd/pm/swsmu/smu_cmn.c", "smu_cmn_send_smc_msg_with_param",
             "SMU is in hanged state, failed to send smu message!", ("6.12",)),
        form("amd/pm/swsmu/smu_cmn.c", "smu_msg_v1_send_msg", "SMU is in hanged state, failed to send smu message!",
             SINCE_7_2),
    )),
    Message("smu_timeout", r"^SMU: (?:I'm not done with your previous command|No response msg_reg)", (
        form("amd/pm/swsmu/smu_cmn.c", "__smu_cmn_reg_print_error",
             "SMU: I'm not done with your previous command: SMN_C2PMSG_66:0x%08X SMN_C2PMSG_82:0x%08X",
             ("6.1", "6.12"), (0x1a, 0)),
        form("amd/pm/swsmu/smu_cmn.c", "__smu_msg_v1_print_err_limited", "%s msg_reg: %x resp_reg: %x", SINCE_7_2,
             ("SMU: No response", 0x1a, 0)),
    )),
    # ---- lines that are no hang ------------------------------------------------------------------
    Message("smu_not_matched", r"^SMU driver if version not matched", (
        form("amd/pm/swsmu/smu13/smu_v13_0.c", "smu_v13_0_check_fw_version", "SMU driver if version not matched",
             ("6.1", "6.12")),
    )),
    Message("smu_versions", r"^smu driver if version = 0x(?P<drv>[0-9a-fA-F]+), smu fw if version = 0x(?P<fw>[0-9a-fA-F]+)", (
        form("amd/pm/swsmu/smu_cmn.c", "smu_cmn_check_fw_version",
             "smu driver if version = 0x%08x, smu fw if version = 0x%08x, smu fw program = %d, "
             "smu fw version = 0x%08x (%d.%d.%d)", SINCE_7_2, (0x3d, 0x40, 0, 0x4e7200, 78, 114, 0)),
    )),
    # kernel/params.c, not the driver: not in the listings.
    Message("unknown_param", r"^unknown parameter '(?P<param>[^']+)' ignored", (
        form("../../kernel/params.c", "unknown_module_param_cb", "%s: unknown parameter '%s' ignored", (),
             ("amdgpu", "gfxoff"), "all", "kernel/params.c parse_args: the module loader, not the driver"),
    )),
    Message("tainting", r"^Setting dangerous option (?P<param>\S+) - tainting kernel", (
        form("../../kernel/params.c", "param_check_unsafe", "Setting dangerous option %s - tainting kernel", (),
             ("gpu_recovery",), "all", "kernel/params.c param_check_unsafe: the module loader, not the driver"),
    )),
    Message("mes_lr_compute_wa_off", r"^MES FW version must be >= 0x(?P<version>[0-9a-fA-F]+) to enable LR compute workaround", (
        form("amd/amdgpu/mes_v11_0.c", "mes_v11_0_set_hw_resources", "MES FW version must be >= 0x7f to enable LR compute workaround",
             (), since="6.12.52", evidence="1fb710793ce2 (amdgpu_advisories.KERNEL mes-lr-compute-wa); not in 6.12.107"),
    )),
    Message("lockup_timeout_disabled", r"^lockup timeout disabled", (
        form(_DEVICE_C, "amdgpu_device_get_job_timeout_settings", "lockup timeout disabled", ALL),
    )),
    Message("tmz_not_supported", r"^Trusted Memory Zone \(TMZ\) feature not supported", (
        form("amd/amdgpu/amdgpu_gmc.c", "amdgpu_gmc_tmz_set", "Trusted Memory Zone (TMZ) feature not supported", ALL),
    )),
)

# Words of which every message above contains one: one C-level search per line tells whether a line
# can be of any kind (a unit test renders every form and checks it).
INTEREST = (r"page fault|PROTECTION_FAULT|in page starting|UTCL2|Process|process |MES|legacy queue|queue|"
            r"timeout|reset|Recovery Failed|halt cp|begin!|Guilty|VRAM is lost|recovery disabled|lost from bus|wedged|"
            r"SMU is in hanged|SMU: |SMU driver|smu driver|unknown parameter|dangerous option|kcq|Trusted Memory Zone|initialize parser")

# Where the reset source of "GPU reset begin!. Source:  %d" comes from (amdgpu_reset.h, 7.2 and 7.3).
RESET_SOURCES = ("unknown", "job", "ras", "mes", "hws", "user", "user queue")

# The hang stages, in the order the driver goes through them.
STAGES = ("page_fault", "smu_timeout", "smu_hang", "mes_timeout", "mes_ring_full", "queue_unmap_failed",
          "queue_remove_failed", "queue_suspend_failed", "mes_unrecoverable", "hws_hang", "queue_hang",
          "queue_reset", "queue_reset_failed", "ring_timeout", "soft_recovered", "ring_reset_begin", "pipe_reset",
          "ring_reset", "ring_reset_failed", "cp_halt_failed", "emergency_restart", "reset_begin", "guilty_signaled",
          "soft_reset_failed", "reset", "reset_succeeded", "reset_failed", "vram_lost", "recovery_disabled",
          "device_lost", "wedged_recovered", "wedged_needs_recovery", "parser_failed")
