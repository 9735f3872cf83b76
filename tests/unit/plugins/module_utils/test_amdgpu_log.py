# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_log

LOGS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "logs")


def scan_file(name):
    with open(os.path.join(LOGS, name)) as handle:
        return amdgpu_log.scan(handle)


def test_seed_log_is_one_recovered_mode1_hang():
    result = scan_file("seed-dmesg.log")
    assert result["summary"]["incidents"] == 1
    incident = result["incidents"][0]
    assert incident["stages"] == ["page_fault", "soft_reset_failed", "mes_timeout", "queue_unmap_failed",
                                  "cp_halt_failed", "reset", "reset_succeeded", "parser_failed"]
    assert incident["reset_method"] == "mode1"
    assert incident["mes_messages"] == ["3"]
    assert incident["outcome"] == "recovered"
    assert incident["device"] == "0000:2f:00.0"
    assert incident["page_fault"] == {"hub": "gfxhub", "client": "CB/DB (0x0)", "address": "0x0000000000000000", "pasid": 0}
    assert incident["start"] == "45766.649450" and incident["end"] == "45769.572609"
    assert incident["first_line"] == 1 and incident["last_line"] == 66
    assert incident["severity"] == "warning"
    assert result["smu_mismatch"] is True
    assert result["lines_scanned"] == 66


def test_boot_lines_are_not_incidents():
    lines = [
        "[    4.1] amdgpu 0000:03:00.0: amdgpu: SMU driver if version not matched",
        "[    4.2] amdgpu 0000:03:00.0: amdgpu: ring gfx_0.0.0 uses VM inv eng 0 on hub 0",
        "[    4.3] [drm] amdgpu kernel modesetting enabled.",
        "[    4.4] amdgpu: unknown parameter 'gfxoff' ignored",
        "[    4.5] amdgpu: Setting dangerous option gpu_recovery - tainting kernel",
    ]
    result = amdgpu_log.scan(lines)
    assert result["incidents"] == []
    assert result["smu_mismatch"] is True
    assert result["unknown_params"] == ["gfxoff"] and result["tainted_by"] == ["gpu_recovery"]


def test_lone_fault_without_reset_is_info():
    lines = [
        "[100.0] amdgpu 0000:03:00.0: amdgpu: [gfxhub] page fault (src_id:0 ring:169 vmid:0 pasid:0)",
        "[100.0] amdgpu 0000:03:00.0: amdgpu:   in page starting at address 0x0000000000000000 from client 10",
        "[100.0] amdgpu 0000:03:00.0: amdgpu: GCVM_L2_PROTECTION_FAULT_STATUS:0x00000B3A",
        "[100.0] amdgpu 0000:03:00.0: amdgpu:      Faulty UTCL2 client ID: CPC (0x5)",
    ]
    incident = amdgpu_log.scan(lines)["incidents"][0]
    assert incident["stages"] == ["page_fault"] and incident["outcome"] == "none" and incident["severity"] == "info"
    assert incident["page_fault"]["client"] == "CPC (0x5)"


# ---- synthetic logs from the kernel's format strings, in every line shape ------------------------

# A 6.16-era RDNA3 hang: fault with process, MES timeout by op name, ring timeout, ring reset that
# fails, full reset with mode1 that succeeds.
HANG_6_16 = [
    "amdgpu 0000:03:00.0: amdgpu: [gfxhub] page fault (src_id:0 ring:24 vmid:3 pasid:32770) in process python3 pid 4242 thread python3 pid 4250)",
    "amdgpu 0000:03:00.0: amdgpu:   in page starting at address 0x00007f12deadb000 from client 10",
    "amdgpu 0000:03:00.0: amdgpu: GCVM_L2_PROTECTION_FAULT_STATUS:0x00B01A31",
    "amdgpu 0000:03:00.0: amdgpu:      Faulty UTCL2 client ID: CPC (0x5)",
    "amdgpu 0000:03:00.0: amdgpu: MES failed to respond to msg=REMOVE_QUEUE",
    "[drm:amdgpu_job_timedout [amdgpu]] *ERROR* ring gfx_0.0.0 timeout, signaled seq=1234, emitted seq=1236",
    "amdgpu 0000:03:00.0: amdgpu: Starting gfx_0.0.0 ring reset",
    "amdgpu 0000:03:00.0: amdgpu: Ring gfx_0.0.0 reset failed",
    "amdgpu 0000:03:00.0: amdgpu: GPU reset begin!",
    "amdgpu 0000:03:00.0: amdgpu: MODE1 reset",
    "amdgpu 0000:03:00.0: amdgpu: GPU reset(4) succeeded!",
]
# 7.2+: one "amdgpu:" less, 6.17+ process form, RDNA4 MES, a reset that fails.
HANG_7_2 = [
    "amdgpu 0000:03:00.0: [gfxhub] page fault (src_id:0 ring:24 vmid:3 pasid:32771) Process Xorg pid 977 thread Xorg pid 977",
    "amdgpu 0000:03:00.0: MES(1) failed to respond to msg=SUSPEND",
    "amdgpu 0000:03:00.0: GPU reset begin!. Source:  3",
    "amdgpu 0000:03:00.0: GPU mode1 reset failed",
    "amdgpu 0000:03:00.0: GPU reset(5) failed with error -110",
]
UNRELATED = ["usb 1-2: new high-speed USB device number 4 using xhci_hcd", "EXT4-fs (nvme0n1p2): re-mounted."]


def shaped(messages, shape, start=1000.0):
    lines = []
    for i, message in enumerate(messages):
        seconds = start + i * 0.5
        if shape == "dmesg":
            lines.append("[%12.6f] %s" % (seconds, message))
        elif shape == "dmesg-T":
            lines.append("[Thu Nov 26 12:%02d:%02d 2026] %s" % (int(seconds) // 60 % 60, int(seconds) % 60, message))
        elif shape == "dmesg-H":
            lines.append(("[Nov26 12:00] %s" if i == 0 else "[  +0.500000] %s") % message)
        elif shape == "syslog":
            lines.append("Nov 26 12:%02d:%02d gpubox kernel: [%12.6f] %s" % (int(seconds) // 60 % 60, int(seconds) % 60, seconds, message))
        elif shape == "journal-short":
            lines.append("Nov 26 12:%02d:%02d gpubox kernel: %s" % (int(seconds) // 60 % 60, int(seconds) % 60, message))
        elif shape == "short-iso":
            lines.append("2026-11-26T12:%02d:%02d+0000 gpubox kernel: %s" % (int(seconds) // 60 % 60, int(seconds) % 60, message))
    return lines


SHAPES = ["dmesg", "dmesg-T", "dmesg-H", "syslog", "journal-short", "short-iso"]


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_gives_the_same_incident(shape):
    result = amdgpu_log.scan(shaped(HANG_6_16, shape))
    assert result["summary"]["incidents"] == 1
    incident = result["incidents"][0]
    assert incident["stages"] == ["page_fault", "mes_timeout", "ring_timeout", "ring_reset_begin", "ring_reset_failed",
                                  "reset_begin", "reset", "reset_succeeded"]
    assert incident["mes_messages"] == ["REMOVE_QUEUE"] and incident["ring_timeouts"] == ["gfx_0.0.0"]
    assert incident["reset_method"] == "mode1" and incident["outcome"] == "recovered"
    # The ring reset failed and escalated: the full reset ended it, not the ring reset.
    assert incident["reset_level"] == "mode1"
    assert incident["processes"] == [{"name": "python3", "pid": 4242}]
    assert incident["page_fault"] == {"hub": "gfxhub", "client": "CPC (0x5)", "address": "0x00007f12deadb000", "pasid": 32770}
    assert incident["device"] == "0000:03:00.0"


def test_two_hangs_with_unrelated_lines_between():
    lines = shaped(HANG_6_16 + UNRELATED + HANG_7_2, "dmesg")
    result = amdgpu_log.scan(lines)
    assert result["summary"] == {"incidents": 2, "page_faults": 2, "mes_timeouts": 2, "ring_timeouts": 1,
                                 "resets": 2, "failed_resets": 1}
    second = result["incidents"][1]
    assert second["stages"] == ["page_fault", "mes_timeout", "reset_begin", "reset_failed"]
    assert second["mes_messages"] == ["SUSPEND"] and second["outcome"] == "failed" and second["severity"] == "critical"
    assert second["processes"] == [{"name": "Xorg", "pid": 977}]


def test_truncated_incident_is_unknown():
    # The ring reset failed and a full reset began whose end is not in the log.
    result = amdgpu_log.scan(shaped(HANG_6_16[:9], "dmesg"))
    assert result["incidents"][0]["outcome"] == "unknown" and result["incidents"][0]["severity"] == "critical"
    result = amdgpu_log.scan(shaped(HANG_6_16[:8], "dmesg"))
    assert result["incidents"][0]["outcome"] == "failed"
    ring_only = HANG_6_16[5:7] + ["amdgpu 0000:03:00.0: amdgpu: Ring gfx_0.0.0 reset succeeded"]
    result = amdgpu_log.scan(shaped(ring_only, "dmesg"))
    assert result["incidents"][0]["outcome"] == "recovered"
    assert result["incidents"][0]["stages"] == ["ring_timeout", "ring_reset_begin", "ring_reset"]
    assert result["incidents"][0]["reset_method"] == "ring"
    result = amdgpu_log.scan(shaped(["amdgpu 0000:03:00.0: amdgpu: GPU reset begin!"], "dmesg"))
    assert result["incidents"][0]["outcome"] == "unknown"


def test_faults_far_apart_are_two_incidents():
    fault = "amdgpu 0000:03:00.0: amdgpu: [gfxhub] page fault (src_id:0 ring:169 vmid:0 pasid:0)"
    result = amdgpu_log.scan(["[100.000000] " + fault, "[900.000000] " + fault])
    assert result["summary"]["incidents"] == 2


def test_gfx9_retry_fault_and_mmhub_status():
    lines = shaped(["amdgpu 0000:43:00.0: amdgpu: [gfxhub0] retry page fault (src_id:0 ring:0 vmid:8 pasid:32769, "
                    "for process python pid 11 thread python pid 11)",
                    "amdgpu 0000:43:00.0: amdgpu: VM_L2_PROTECTION_FAULT_STATUS:0x00800031"], "dmesg")
    incident = amdgpu_log.scan(lines)["incidents"][0]
    assert incident["page_fault"]["hub"] == "gfxhub" and incident["processes"] == [{"name": "python", "pid": 11}]


def test_smu_versions_that_differ_are_a_mismatch():
    line = "[3.0] amdgpu 0000:03:00.0: amdgpu: smu driver if version = 0x0000003d, smu fw if version = 0x0000003f, smu fw program = 0"
    assert amdgpu_log.scan([line])["smu_mismatch"] is True
    assert amdgpu_log.scan([line.replace("0x0000003f", "0x0000003d")])["smu_mismatch"] is False


@pytest.mark.parametrize("shape", SHAPES)
def test_block_scanning_equals_line_scanning(shape, monkeypatch):
    import io
    # Every line stamped, as the tools print them (dmesg -H's relative clock runs through all lines).
    text = "\n".join(shaped(UNRELATED * 50 + HANG_6_16 + UNRELATED + HANG_7_2 + UNRELATED * 30, shape)) + "\n"
    monkeypatch.setattr(amdgpu_log, "CHUNK", 512)   # many blocks, lines cut at block edges
    assert amdgpu_log.scan_stream(io.StringIO(text)) == amdgpu_log.scan(text.splitlines())


def test_block_scanning_of_the_seed_log():
    with open(os.path.join(LOGS, "seed-dmesg.log")) as handle:
        streamed = amdgpu_log.scan_stream(handle)
    assert streamed == scan_file("seed-dmesg.log")


def test_files_read_in_turn_as_one_log(tmp_path):
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    first.write_text("\n".join(shaped(HANG_6_16, "dmesg")))              # no final newline
    second.write_text("\n".join(shaped(HANG_7_2, "dmesg", start=5000.0)) + "\n")
    result = amdgpu_log.scan_stream(amdgpu_log.ConcatReader([str(first), str(second)]))
    assert result["summary"]["incidents"] == 2 and result["lines_scanned"] == len(HANG_6_16) + len(HANG_7_2)
    assert result["incidents"][1]["first_line"] == len(HANG_6_16) + 1


def test_relative_clock_logs_are_read_in_blocks_too(monkeypatch):
    import io

    class SizedReadsOnly(io.StringIO):
        def read(self, size=-1):
            assert size > 0, "a whole-file read would hold the log in memory"
            return super(SizedReadsOnly, self).read(size)
    text = "\n".join(UNRELATED * 20 + shaped(HANG_6_16, "dmesg-H") + UNRELATED * 20) + "\n"
    monkeypatch.setattr(amdgpu_log, "CHUNK", 256)
    assert amdgpu_log.scan_stream(SizedReadsOnly(text)) == amdgpu_log.scan(text.splitlines())


def test_quiet_boot_fixture_has_no_incident_but_an_ignored_parameter():
    result = scan_file("quiet-boot-short-iso.log")
    assert result["incidents"] == [] and result["lines_scanned"] == 10
    assert result["unknown_params"] == ["gfxoff"] and result["smu_mismatch"] is True


def test_failed_reset_fixture_is_one_critical_incident():
    result = scan_file("failed-reset-7.2-syslog.log")
    assert result["summary"] == {"incidents": 1, "page_faults": 1, "mes_timeouts": 1, "ring_timeouts": 1,
                                 "resets": 1, "failed_resets": 1}
    incident = result["incidents"][0]
    assert incident["stages"] == ["page_fault", "mes_timeout", "ring_timeout", "reset_begin", "reset_failed"]
    assert incident["reset_method"] == "mode1" and incident["outcome"] == "failed" and incident["severity"] == "critical"
    assert incident["mes_messages"] == ["SUSPEND"] and incident["ring_timeouts"] == ["gfx_0.0.0"]
    assert incident["processes"] == [{"name": "Xorg", "pid": 977}] and incident["start"] == "Nov 24 23:41:57"


@pytest.mark.parametrize("raw", ["Feb 29 10:00:00 gpubox kernel: amdgpu 0000:03:00.0: amdgpu: ring gfx_0.0.0 timeout",
                                 "[Feb29 10:00] amdgpu 0000:03:00.0: amdgpu: ring gfx_0.0.0 timeout"])
def test_a_year_less_stamp_on_a_leap_day_has_a_time(raw):
    # strptime without a year assumes 1900, which has no Feb 29: the line lost its time before.
    line = amdgpu_log.ShapeReader().read(1, raw)
    assert line.shape in ("syslog", "dmesg-H") and line.seconds is not None
    march_first = amdgpu_log.ShapeReader().read(1, raw.replace("Feb 29", "Mar  1").replace("Feb29", "Mar01"))
    assert march_first.seconds - line.seconds == 24 * 3600


def test_kfd_queue_removal_failure_is_part_of_the_mes_hang():
    # Shape of a 6.1-era RX 7900 XTX hang (ROCm/legacy-rocm-build#2689): KFD's pr_err lines carry no device.
    result = scan_file("mes-queue-removal-6.1-syslog.log")
    assert result["summary"]["incidents"] == 1
    incident = result["incidents"][0]
    assert incident["stages"] == ["mes_timeout", "queue_remove_failed", "mes_unrecoverable", "reset_begin", "reset",
                                  "reset_succeeded"]
    assert incident["device"] == "0000:2f:00.0" and incident["outcome"] == "recovered"
    assert [notice["kind"] for notice in result["notices"]] == ["tmz_not_supported"]


def test_notices_are_counted_once_per_kind_with_their_devices_and_are_no_incident():
    result = scan_file("notices-6.18-short-iso.log")
    assert result["incidents"] == []
    notices = dict((notice["kind"], notice) for notice in result["notices"])
    assert sorted(notices) == ["lockup_timeout_disabled", "mes_lr_compute_wa_off", "tmz_not_supported"]
    assert notices["lockup_timeout_disabled"]["count"] == 2
    assert notices["lockup_timeout_disabled"]["devices"] == ["0000:03:00.0", "0000:0e:00.0"]
    assert notices["lockup_timeout_disabled"]["first_line"] == 2
    assert "tainted the kernel ('L')" in notices["lockup_timeout_disabled"]["meaning"]
    assert notices["tmz_not_supported"]["devices"] == ["0000:03:00.0"]     # the experimental line is not it
    assert "0x7f on GFX11" in notices["mes_lr_compute_wa_off"]["meaning"]


def test_notices_are_found_by_the_block_reader_too():
    with open(os.path.join(LOGS, "notices-6.18-short-iso.log")) as handle:
        streamed = amdgpu_log.scan_stream(handle)
    assert streamed == scan_file("notices-6.18-short-iso.log")


# ---- per kernel range and GPU generation: logs written from each line's format strings -----------

def only(result):
    assert result["summary"]["incidents"] == 1, result["incidents"]
    return result["incidents"][0]


def test_gfx11_discrete_6_12_mes_hang_ends_in_a_mode1_reset_that_lost_vram():
    incident = only(scan_file("gfx11-navi31-6.12-journal-from-source.log"))
    assert incident["stages"] == ["page_fault", "mes_timeout", "queue_remove_failed", "mes_unrecoverable",
                                  "ring_timeout", "reset_begin", "reset", "reset_succeeded", "vram_lost",
                                  "parser_failed"]
    assert incident["processes"] == [{"name": "python3", "pid": 4242}]
    assert incident["page_fault"]["client"] == "CB/DB (0x0)"
    assert (incident["outcome"], incident["reset_level"], incident["reset_method"]) == ("recovered", "mode1", "mode1")
    assert incident["reset_source"] is None      # 6.12 does not print it
    assert incident["severity"] == "critical"    # lost VRAM: the desktop and the job are gone


def test_ring_reset_of_6_16_to_7_0_recovers_with_its_wedged_event_and_the_fault_printed_meanwhile():
    incident = only(scan_file("gfx11-navi31-6.18-dmesg-from-source.log"))
    assert incident["stages"] == ["ring_timeout", "ring_reset_begin", "pipe_reset", "ring_reset", "page_fault",
                                  "wedged_recovered"]
    assert (incident["outcome"], incident["reset_level"], incident["wedged"]) == ("recovered", "ring", "recovered")
    assert incident["processes"] == [{"name": "gnome-shell", "pid": 2743}]
    assert incident["severity"] == "warning"


def test_gfx11_7_2_german_dmesg_T_ring_reset_then_an_escalation_that_ended_softly():
    result = scan_file("gfx11-navi31-7.2-dmesg-T-de-from-source.log")
    assert result["summary"]["incidents"] == 2
    ring, escalated = result["incidents"]
    assert ring["start"] == "Di Dez  1 14:02:11 2026"
    assert (ring["outcome"], ring["reset_level"], ring["wedged"]) == ("recovered", "ring", "recovered")
    assert escalated["stages"] == ["queue_reset_failed", "ring_timeout", "ring_reset_begin", "ring_reset_failed",
                                   "reset_begin", "guilty_signaled", "reset_succeeded", "wedged_recovered"]
    # The ring reset failed and escalated; the full reset found the job done and touched no hardware.
    assert (escalated["outcome"], escalated["reset_level"], escalated["reset_source"]) == ("recovered", "soft", "job")
    assert [notice["kind"] for notice in result["notices"]] == ["tmz_not_supported"]


def test_gfx11_apu_7_3_french_journal_mode2_reset_that_failed_and_lost_the_gpu():
    incident = only(scan_file("gfx11-phoenix-apu-7.3-journal-fr-from-source.log"))
    assert incident["stages"] == ["mes_timeout", "queue_remove_failed", "mes_unrecoverable", "reset_begin", "reset",
                                  "reset_failed", "device_lost"]
    assert (incident["outcome"], incident["reset_method"], incident["reset_source"]) == ("failed", "mode2", "mes")
    assert incident["reset_level"] == "none" and incident["severity"] == "critical"
    assert incident["device"] == "0000:c4:00.0"


def test_gfx11_5_7_2_dmesg_H_fault_then_soft_recovery():
    incident = only(scan_file("gfx115-strix-7.2-dmesg-H-from-source.log"))
    assert incident["stages"] == ["page_fault", "ring_timeout", "soft_recovered"]
    assert (incident["outcome"], incident["reset_level"], incident["reset_method"]) == ("recovered", "soft", "soft")
    assert incident["page_fault"] == {"hub": "gfxhub", "client": "TCP (0x8)", "address": "0x0000800100a00000",
                                      "pasid": 32772}
    assert incident["processes"] == [{"name": "blender", "pid": 5120}]


def test_gfx12_7_3_failed_ring_reset_escalates_to_mode1_and_a_wedged_device_needs_recovery():
    result = scan_file("gfx12-navi48-7.3-short-iso-from-source.log")
    assert result["summary"]["incidents"] == 2 and result["summary"]["failed_resets"] == 1
    escalated, wedged = result["incidents"]
    assert escalated["stages"] == ["mes_timeout", "queue_unmap_failed", "ring_timeout", "ring_reset_begin",
                                   "ring_reset_failed", "queue_reset_failed", "reset_begin", "reset",
                                   "reset_succeeded", "vram_lost", "wedged_recovered"]
    assert escalated["mes_messages"] == ["REMOVE_QUEUE"]
    assert (escalated["outcome"], escalated["reset_level"]) == ("recovered", "mode1")
    assert (wedged["stages"], wedged["wedged"]) == (["wedged_needs_recovery"], "needs recovery")
    assert (wedged["outcome"], wedged["severity"]) == ("failed", "critical")


def test_a_prefix_less_quoted_paste_with_a_wrapped_and_a_cut_line():
    result = scan_file("prefixless-paste.log")
    assert result["summary"]["incidents"] == 2
    hang, cut = result["incidents"]
    assert hang["stages"] == ["page_fault", "mes_timeout", "ring_timeout", "reset_begin", "reset", "reset_succeeded"]
    assert hang["ring_timeouts"] == ["gfx_0.0.0"] and hang["outcome"] == "recovered" and hang["device"] is None
    # A fault line cut short by the user: still a fault, its pasid unknown.
    assert cut["page_fault"]["pasid"] is None and cut["severity"] == "info"
    with open(os.path.join(LOGS, "prefixless-paste.log")) as handle:
        assert amdgpu_log.scan_stream(handle) == result


@pytest.mark.parametrize("raw,seconds", [
    ("[Do Nov 26 12:00:00 2026] x", "2026-11-26 12:00:00"),
    ("[jeu. nov. 26 12:00:00 2026] x", "2026-11-26 12:00:00"),
    ("[mié dic  2 07:05:09 2026] x", "2026-12-02 07:05:09"),
    ("[\u0447\u0442 \u043d\u043e\u044f 26 12:00:00 2026] x", "2026-11-26 12:00:00"),
    ("M\u00e4r 03 04:05:06 host kernel: x", "2000-03-03 04:05:06"),
    ("févr. 29 23:59:59 host kernel: x", "2000-02-29 23:59:59"),
    ("Tue 2026-11-24 23:41:57 UTC host kernel: x", "2026-11-24 23:41:57"),
])
def test_localised_stamps_have_their_time(raw, seconds):
    import calendar
    import time
    line = amdgpu_log.ShapeReader().read(1, raw)
    assert line.message == "x"
    assert line.seconds == calendar.timegm(time.strptime(seconds, "%Y-%m-%d %H:%M:%S"))


def test_an_unknown_month_name_keeps_the_shape_but_not_the_time():
    line = amdgpu_log.ShapeReader().read(1, "Xyz 03 04:05:06 host kernel: amdgpu 0000:03:00.0: GPU reset begin!")
    assert line.shape == "syslog" and line.seconds is None and line.message == "GPU reset begin!"


def test_journal_short_monotonic_is_read_with_its_clock():
    line = amdgpu_log.ShapeReader().read(1, "[ 9531.004113] rocm04 kernel: amdgpu 0000:03:00.0: GPU reset begin!")
    assert (line.shape, line.seconds, line.device, line.message) == (
        "short-monotonic", 9531.004113, "0000:03:00.0", "GPU reset begin!")


@pytest.mark.parametrize("name", sorted(name for name in os.listdir(LOGS) if name.endswith(".log")))
def test_every_fixture_reads_the_same_in_blocks(name, monkeypatch):
    monkeypatch.setattr(amdgpu_log, "CHUNK", 300)
    with open(os.path.join(LOGS, name)) as handle:
        text = handle.read()
    import io
    blocks = amdgpu_log.scan_stream(io.StringIO(text))
    lines = amdgpu_log.scan(text.splitlines())
    # Block reading skips lines without the driver's name: a paste without prefixes is one block.
    if name != "prefixless-paste.log":
        assert blocks == lines
