# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health program on the seed's workstation (a fake root), reading the project's log fixtures."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import io
import json
import os
import time
import shutil
import stat
import subprocess

import pytest

from prometheus_client.parser import text_string_to_metric_families

from conftest import fakeroot
from ansible_collections.amdgpu.stability.plugins.module_utils import stability_health as health
from ansible_collections.amdgpu.stability.plugins.module_utils import stability_ledger

LOGS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "logs")
BOOT = "5f0c3c1a-6b4e-4c58-9d1e-0d4b7c2f9e11"
LEDGER = BOOT.replace("-", "") + ".json"


@pytest.fixture
def host(seed_root, tmp_path):
    """The seed workstation with a boot id, an uptime and the options the role said it wants, on a
    kernel no advisory concerns (the seed's 6.16.12 carries the MES workaround: a WARNING of its own)."""
    root = str(seed_root)
    files = {"/proc/sys/kernel/random/boot_id": BOOT + "\n", "/proc/uptime": "93600.00 180000.00\n",
             "/proc/sys/kernel/osrelease": "7.2.13+deb14-amd64\n",
             "/lib/modules/7.2.13+deb14-amd64/kernel/modules.order": "",
             health.EXPECTED: json.dumps({"options": {"runpm": 0, "gpu_recovery": -1}, "kernel_args": ["iommu=pt"]})}
    fakeroot.write(root, files)
    log = tmp_path / "kern.log"
    log.write_text("")
    return {"root": root, "log": str(log), "state": str(tmp_path / "state"), "prom": str(tmp_path / "prom"),
            "tmp": tmp_path}


def append(path, *fixtures):
    with open(path, "a") as out:
        for name in fixtures:
            with open(os.path.join(LOGS, name)) as handle:
                out.write(handle.read())


def check(host, *extra):
    os.makedirs(host["prom"], exist_ok=True)
    argv = ["--root", host["root"], "--log-file", host["log"], "--state-dir", host["state"],
            "--textfile", os.path.join(host["prom"], "amdgpu.prom"), "--format", "json"] + list(extra)
    out, err = io.StringIO(), io.StringIO()
    status = health.main(argv, stdout=out, stderr=err)
    text = out.getvalue()
    result = json.loads(text) if text.startswith("{") else {"summary": text.strip()}
    return status, result, err.getvalue()


def metrics(host):
    with open(os.path.join(host["prom"], "amdgpu.prom")) as handle:
        families = {family.name: family for family in text_string_to_metric_families(handle.read())}
    return families


def hang_counts(host):
    return sorted((sample.labels["pci_slot"], sample.labels["outcome"], sample.labels["method"], sample.value)
                  for sample in metrics(host)["amdgpu_stability_hangs"].samples if sample.name.endswith("_total"))


def test_a_quiet_host_is_ok_and_says_so_first(host):
    status, result, _err = check(host)
    assert status == health.OK, result["reasons"]
    assert result["summary"].startswith("AMDGPU-STABILITY OK - ")
    assert all(check_["in_effect"] for check_ in result["checks"])
    families = metrics(host)
    assert families["amdgpu_stability_health_status"].samples[0].value == 0
    assert families["amdgpu_stability_scan_errors"].samples[0].value == 0
    assert {(s.labels["kind"], s.labels["name"]): s.value for s in families["amdgpu_stability_option_in_effect"].samples} == {
        ("option", "gpu_recovery"): 1, ("option", "runpm"): 1, ("kernel_arg", "iommu"): 1}


def test_a_recovered_hang_warns_and_is_counted_once_however_often_the_log_is_read(host):
    append(host["log"], "seed-dmesg.log")
    status, result, _err = check(host)
    assert status == health.WARNING and "1 GPU hang in the last window" in result["summary"]
    assert hang_counts(host) == [("0000:2f:00.0", "recovered", "mode1", 1.0)]
    for _again in range(2):
        status, result, _err = check(host)
        assert hang_counts(host) == [("0000:2f:00.0", "recovered", "mode1", 1.0)]
    ledger = json.load(open(os.path.join(host["state"], "boots", LEDGER)))
    assert [hang["outcome"] for hang in ledger["hangs"]] == ["recovered"]
    assert ledger["kernel"] == "7.2.13+deb14-amd64" and ledger["cmdline"] == ["iommu=pt"]
    assert ledger["hours_up"] == 26.0 and ledger["options"]["runpm"] == "0"


def test_a_failed_reset_appended_later_is_critical_and_raises_only_its_counter(host):
    append(host["log"], "seed-dmesg.log")
    check(host)
    append(host["log"], "failed-reset-7.2-syslog.log")
    status, result, _err = check(host)
    assert status == health.CRITICAL and "did not recover" in result["summary"]
    assert hang_counts(host) == [("0000:03:00.0", "failed", "none", 1.0), ("0000:2f:00.0", "recovered", "mode1", 1.0)]


def test_an_option_not_in_effect_after_a_reboot_is_critical_and_waiting_for_one_is_a_warning(host):
    os.remove(os.path.join(host["root"], "sys/module/amdgpu/parameters/runpm"))
    status, result, _err = check(host)
    assert status == health.CRITICAL and "option runpm: wanted 0, live None" in result["summary"]
    open(os.path.join(host["root"], "run/reboot-required"), "w").close() if os.path.isdir(
        os.path.join(host["root"], "run")) else (os.makedirs(os.path.join(host["root"], "run")),
                                                 open(os.path.join(host["root"], "run/reboot-required"), "w").close())
    status, result, _err = check(host)
    assert status == health.WARNING and "(a reboot is pending)" in result["summary"]
    assert metrics(host)["amdgpu_stability_reboot_required"].samples[0].value == 1


def write_seed_log_cut_before_the_reset(host):
    """The seed's dmesg up to its MODE1 reset; returns the rest."""
    with open(os.path.join(LOGS, "seed-dmesg.log")) as handle:
        lines = handle.readlines()
    cut = next(index for index, line in enumerate(lines) if "MODE1 reset" in line)
    with open(host["log"], "w") as out:
        out.writelines(lines[:cut])
    return lines[cut:]


def test_a_dmesg_hang_whose_end_is_not_written_yet_is_counted_once_it_is(host):
    rest = write_seed_log_cut_before_the_reset(host)
    status, _result, _err = check(host)
    assert status == health.CRITICAL and hang_counts(host) == []    # a reset under way, not yet counted
    with open(host["log"], "a") as out:
        out.writelines(rest)
    check(host)
    check(host)
    assert hang_counts(host) == [("0000:2f:00.0", "recovered", "mode1", 1.0)]


def test_a_dmesg_hang_that_stays_open_for_a_whole_run_is_counted_as_it_stands(host):
    write_seed_log_cut_before_the_reset(host)
    check(host)
    check(host)                 # nothing new for a whole run: the driver never ended it
    assert hang_counts(host) == [("0000:2f:00.0", "unknown", "none", 1.0)]


def test_an_open_hang_is_read_again_until_settled_and_then_counted_once(host, monkeypatch):
    lines = [
        "2026-12-01T10:00:00.000000+0000 rocm04 kernel: amdgpu 0000:03:00.0: ring gfx_0.0.0 timeout, signaled seq=1, emitted seq=3",
        "2026-12-01T10:00:00.100000+0000 rocm04 kernel: amdgpu 0000:03:00.0: GPU reset begin!. Source:  1",
    ]
    with open(host["log"], "w") as out:
        out.write("\n".join(lines) + "\n")
    clock = [1796119210.0]      # 10 s after the hang began: it may still grow
    real_run = health.run
    monkeypatch.setattr(health, "run", lambda args, spawn=None: real_run(args, now=clock[0], spawn=spawn))
    status, result, _err = check(host)
    assert status == health.CRITICAL                    # a reset under way: the GPU is not usable now
    assert hang_counts(host) == []                      # but nothing is counted until it is settled
    with open(host["log"], "a") as out:
        out.write("2026-12-01T10:00:02.000000+0000 rocm04 kernel: amdgpu 0000:03:00.0: GPU reset(1) succeeded!\n")
    clock[0] = 1796119220.0     # 18 s after the reset ended: its aftermath may still come
    check(host)
    assert hang_counts(host) == []
    clock[0] = 1796119240.0     # 38 s after: settled
    status, result, _err = check(host)
    assert hang_counts(host) == [("0000:03:00.0", "recovered", "full", 1.0)]
    clock[0] += 600
    check(host)
    assert hang_counts(host) == [("0000:03:00.0", "recovered", "full", 1.0)]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "not-an-object"])
def test_corrupt_positions_are_reported_and_lose_or_double_no_hang(host, damage):
    append(host["log"], "seed-dmesg.log")
    check(host)
    path = os.path.join(host["state"], "positions.json")
    text = {"truncated": open(path).read()[:15], "garbage": "\x00\x01zz", "not-an-object": "[1, 2]"}[damage]
    with open(path, "w") as handle:
        handle.write(text)
    status, result, _err = check(host)
    assert "positions.json" in result["problems"][0] and "counted twice" in result["problems"][0]
    assert metrics(host)["amdgpu_stability_scan_errors"].samples[0].value == 1
    assert hang_counts(host) == [("0000:2f:00.0", "recovered", "mode1", 1.0)]
    status, result, _err = check(host)
    assert result["problems"] == [] and hang_counts(host) == [("0000:2f:00.0", "recovered", "mode1", 1.0)]


def test_a_corrupt_ledger_of_this_boot_is_set_aside_and_its_hangs_read_again(host):
    append(host["log"], "seed-dmesg.log")
    check(host)
    path = os.path.join(host["state"], "boots", LEDGER)
    with open(path, "w") as handle:
        handle.write('{"boot_id": "x", "hangs": [')
    status, result, _err = check(host)
    assert any("set aside" in problem for problem in result["problems"])
    assert [name for name in os.listdir(os.path.join(host["state"], "boots")) if "corrupt" in name]
    assert hang_counts(host) == [("0000:2f:00.0", "recovered", "mode1", 1.0)]


def test_a_rotated_log_is_read_from_its_start_and_nothing_is_counted_twice(host):
    append(host["log"], "seed-dmesg.log")
    check(host)
    os.rename(host["log"], host["log"] + ".1")
    append(host["log"], "seed-dmesg.log", "failed-reset-7.2-syslog.log")
    status, result, _err = check(host)
    assert any("rotated" in problem for problem in result["problems"])
    assert hang_counts(host) == [("0000:03:00.0", "failed", "none", 1.0), ("0000:2f:00.0", "recovered", "mode1", 1.0)]


def test_a_second_run_at_once_is_refused_and_counts_nothing(host):
    append(host["log"], "seed-dmesg.log")
    check(host)
    with open(os.path.join(host["state"], "lock"), "a") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        status, result, _err = check(host)
    assert status == health.UNKNOWN and "another run of the health program holds the lock" in result["summary"]
    families = metrics(host)
    assert families["amdgpu_stability_health_status"].samples[0].value == 3
    assert families["amdgpu_stability_scan_errors"].samples[0].value == 1
    last_success = json.load(open(os.path.join(host["state"], "positions.json")))["last_success"]
    assert families["amdgpu_stability_last_successful_scan_timestamp_seconds"].samples[0].value == last_success
    assert hang_counts(host) == [("0000:2f:00.0", "recovered", "mode1", 1.0)]


def test_a_read_only_textfile_directory_is_a_clear_error_and_the_check_still_answers(host):
    if os.geteuid() == 0:
        # root writes through a mode 0555 directory: a file in its place is what stops it.
        os.makedirs(host["prom"], exist_ok=True)
        shutil.rmtree(host["prom"])
        open(host["prom"], "w").close()
    else:
        os.makedirs(host["prom"], exist_ok=True)
        os.chmod(host["prom"], stat.S_IRUSR | stat.S_IXUSR)
    out, err = io.StringIO(), io.StringIO()
    status = health.main(["--root", host["root"], "--log-file", host["log"], "--state-dir", host["state"],
                          "--textfile", os.path.join(host["prom"], "amdgpu.prom")], stdout=out, stderr=err)
    assert status == health.OK
    assert out.getvalue().startswith("AMDGPU-STABILITY OK")
    assert "--textfile %s" % os.path.join(host["prom"], "amdgpu.prom") in err.getvalue()


def test_bad_input_names_the_option(host, capsys):
    status, result, _err = check(host, "--log-file", "/nonexistent/kern.log")
    assert status == health.UNKNOWN and "--log-file: not a readable file: /nonexistent/kern.log" in result["summary"]
    with pytest.raises(SystemExit):
        health.parse_args(["--window", "0"])
    assert "--window: must be more than 0 hours" in capsys.readouterr().err


def test_the_ledger_keeps_settled_hangs_as_they_were():
    ledger = {"boot_id": BOOT, "hangs": []}
    incident = {"device": "0000:03:00.0", "start": "1.0", "stages": ["ring_timeout"], "outcome": "none"}
    assert len(stability_ledger.record_hangs(ledger, BOOT, [incident], 1)) == 1
    changed = dict(incident, outcome="recovered")
    assert stability_ledger.record_hangs(ledger, BOOT, [changed], 1) == []
    assert ledger["hangs"][0]["outcome"] == "none"


# A stand-in for journalctl: --list-boots, and -k -b BOOT -o short-iso-precise --utc --show-cursor
# after (or at) a cursor, from entries in a file, printed as journald's journalctl prints them (the
# cursor of the last entry shown, or the one given when none is; exit 1 and no word when there is
# neither). The real journal is read in the
# monitor's systemd scenario, the VM and the benchmark.
FAKE_JOURNALCTL = r'''
exec python3 - "$@" <<'PY'
import json, sys, time
argv = sys.argv[1:]
with open("%s") as handle:
    entries = [json.loads(line) for line in handle]
if "--list-boots" in argv:
    boots = []
    for entry in entries:
        if entry["_BOOT_ID"] not in boots:
            boots.append(entry["_BOOT_ID"])
    for index, boot in enumerate(boots):
        print("%%d %%s Tue 2026-12-01 08:00:00 UTC Tue 2026-12-01 09:00:00 UTC" %% (index - len(boots) + 1, boot))
    sys.exit(0)
assert argv[:2] == ["-k", "-b"] and "short-iso-precise" in argv and "--utc" in argv, argv
start, cursor = 0, None
for flag, skip in (("--after-cursor", 1), ("--cursor", 0)):
    if flag in argv:
        cursor = argv[argv.index(flag) + 1]
        start = [entry["__CURSOR"] for entry in entries].index(cursor) + skip
for entry in entries[start:]:
    if entry["_BOOT_ID"] != argv[2]:
        continue
    micro = int(entry["__REALTIME_TIMESTAMP"])
    stamp = time.strftime("%%Y-%%m-%%dT%%H:%%M:%%S", time.gmtime(micro // 1000000)) + ".%%06d+0000" %% (micro %% 1000000)
    print("%%s %%s kernel: %%s" %% (stamp, entry["_HOSTNAME"], entry["MESSAGE"]))
    cursor = entry["__CURSOR"]
if cursor:
    print("-- cursor: " + cursor)
else:
    sys.exit(1)        # what journalctl --show-cursor does when there is nothing to show
PY
'''


def spawn(argv):
    """What the program's entry point hands in."""
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def journal_entries(path, boot, lines, first=0, start_usec=1796119200000000):
    with open(path, "a") as out:
        for number, message in enumerate(lines, first):
            out.write(json.dumps({"__CURSOR": "s=1;i=%x;b=%s" % (number, boot.replace("-", "")), "__REALTIME_TIMESTAMP": str(start_usec + number * 1000),
                                  "_BOOT_ID": boot.replace("-", ""), "_HOSTNAME": "rocm04", "MESSAGE": message}) + "\n")


def test_the_journal_is_read_from_its_cursor_and_earlier_boots_get_their_own_ledgers(host, tmp_path, monkeypatch):
    entries, journal_check = journal_host(host, tmp_path, monkeypatch)
    earlier = "0a0a0a0a-0000-4000-8000-000000000001"
    hang = ["amdgpu 0000:03:00.0: ring gfx_0.0.0 timeout, signaled seq=1, emitted seq=3",
            "amdgpu 0000:03:00.0: GPU reset begin!. Source:  1", "amdgpu 0000:03:00.0: MODE1 reset",
            "amdgpu 0000:03:00.0: GPU reset(1) succeeded!"]
    journal_entries(entries, earlier, ["usb 1-2: new device"] + hang)
    journal_entries(entries, BOOT.replace("-", ""), ["EXT4-fs (nvme0n1p2): re-mounted"], first=10)
    status, result, positions = journal_check()
    assert status == health.OK                       # the hang was in another boot
    assert hang_counts(host) == [("0000:03:00.0", "recovered", "mode1", 1.0)]
    assert sorted(os.listdir(os.path.join(host["state"], "boots"))) == [
        "0a0a0a0a000040008000000000000001.json", BOOT.replace("-", "") + ".json"]
    earlier_ledger = json.load(open(os.path.join(host["state"], "boots", "0a0a0a0a000040008000000000000001.json")))
    assert [hang["outcome"] for hang in earlier_ledger["hangs"]] == ["recovered"]
    assert earlier_ledger["first_seen"] == 1796119200.0      # whole seconds, as the scanner keeps them
    assert positions["journal_cursor"] == "s=1;i=a;b=" + BOOT.replace("-", "")
    assert "journal_pending" not in positions and "journal_inclusive" not in positions
    journal_entries(entries, BOOT.replace("-", ""), [hang[0].replace("seq=1", "seq=9")], first=11)
    status, result, positions = journal_check()
    # Twelve hours old by now: settled, a ring timeout that nothing followed (6.12's silent ring reset).
    assert hang_counts(host) == [("0000:03:00.0", "none", "none", 1.0), ("0000:03:00.0", "recovered", "mode1", 1.0)]
    assert [hang["stages"] for hang in result["hangs_this_boot"]] == [["ring_timeout"]]
    assert positions["journal_cursor"] == "s=1;i=b;b=" + BOOT.replace("-", "")


def test_the_ledger_fixtures_are_what_the_program_writes(tmp_path):
    import importlib.util
    path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "ledgers.py")
    spec = importlib.util.spec_from_file_location("ledgers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_history(str(tmp_path / "out"))
    committed = os.path.join(os.path.dirname(path), "ledgers", "seed-workstation")
    assert sorted(os.listdir(str(tmp_path / "out"))) == sorted(os.listdir(committed))
    for name in os.listdir(committed):
        assert json.load(open(os.path.join(committed, name))) == json.load(open(str(tmp_path / "out" / name))), (
            "run: python tests/fixtures/ledgers.py tests/fixtures/ledgers/seed-workstation")


def test_a_hang_with_no_reset_in_the_log_warns_and_a_lone_fault_does_not(host):
    with open(host["log"], "w") as out:
        out.write("[  100.000000] amdgpu 0000:03:00.0: [gfxhub] page fault (src_id:0 ring:169 vmid:0 pasid:0)\n")
    status, result, _err = check(host)
    assert status == health.OK, result["reasons"]
    with open(host["log"], "a") as out:
        out.write("[ 9000.000000] amdgpu 0000:03:00.0: amdgpu: ring gfx_0.0.0 timeout, signaled seq=1, emitted seq=3\n")
    status, result, _err = check(host)
    assert status == health.WARNING and result["summary"].endswith("no reset in the log)")


def test_without_textfile_the_default_is_used_only_where_node_exporter_reads(host):
    args = health.parse_args(["--root", host["root"]])
    assert args.textfile == ""
    os.makedirs(os.path.join(host["root"], "var/lib/prometheus/node-exporter"))
    args = health.parse_args(["--root", host["root"]])
    assert args.textfile == os.path.join(host["root"], "var/lib/prometheus/node-exporter/amdgpu_stability.prom")
    assert health.parse_args(["--root", host["root"], "--textfile", ""]).textfile == ""


def journal_host(host, tmp_path, monkeypatch):
    from conftest import fake_commands
    entries = tmp_path / "journal.json"
    entries.write_text("")
    fake_commands(tmp_path / "bin", monkeypatch, {"journalctl": FAKE_JOURNALCTL % entries})
    os.makedirs(host["prom"], exist_ok=True)

    def check():
        out = io.StringIO()
        status = health.main(["--root", host["root"], "--state-dir", host["state"], "--format", "json",
                              "--textfile", os.path.join(host["prom"], "amdgpu.prom")], stdout=out, stderr=io.StringIO(),
                             spawn=spawn)
        return status, json.loads(out.getvalue()), json.load(open(os.path.join(host["state"], "positions.json")))
    return str(entries), check


def test_an_unfinished_hang_in_the_journal_is_kept_until_it_ends_and_is_counted_once(host, tmp_path, monkeypatch):
    entries, check = journal_host(host, tmp_path, monkeypatch)
    boot = BOOT.replace("-", "")
    recent = int((time.time() - 90) * 1000000)
    opening = ["amdgpu 0000:03:00.0: ring gfx_0.0.0 timeout, signaled seq=1, emitted seq=3",
               "amdgpu 0000:03:00.0: GPU reset begin!. Source:  1"]
    journal_entries(entries, boot, ["usb 1-2: new device"] + opening, start_usec=recent)
    _status, result, positions = check()
    # Seen, not yet counted: a reset may still follow.
    assert [(hang["outcome"], hang["settled"]) for hang in result["hangs_this_boot"]] == [("unknown", False)]
    assert hang_counts(host) == []
    # The cursor moved on; the hang's lines wait in the state (the short output has no cursor per line).
    assert positions["journal_cursor"] == "s=1;i=2;b=" + boot
    assert positions["journal_pending"]["boot"] == boot
    assert [line.split(" kernel: ")[1].strip() for line in positions["journal_pending"]["lines"]] == opening
    journal_entries(entries, boot, ["amdgpu 0000:03:00.0: MODE1 reset", "amdgpu 0000:03:00.0: GPU reset(1) succeeded!"],
                    first=3, start_usec=recent)
    _status, result, positions = check()
    assert [(hang["stages"][0], hang["outcome"]) for hang in result["hangs_this_boot"]] == [("ring_timeout", "recovered")]
    assert hang_counts(host) == [("0000:03:00.0", "recovered", "mode1", 1.0)]
    assert "journal_pending" not in positions and positions["journal_cursor"] == "s=1;i=4;b=" + boot
    _status, result, positions = check()
    assert hang_counts(host) == [("0000:03:00.0", "recovered", "mode1", 1.0)] and len(result["hangs_this_boot"]) == 1


def test_a_state_from_the_json_reader_is_resumed_at_its_cursor_inclusive(host, tmp_path, monkeypatch):
    entries, check = journal_host(host, tmp_path, monkeypatch)
    boot = BOOT.replace("-", "")
    hang = ["amdgpu 0000:03:00.0: ring gfx_0.0.0 timeout, signaled seq=1, emitted seq=3",
            "amdgpu 0000:03:00.0: GPU reset begin!. Source:  1", "amdgpu 0000:03:00.0: MODE1 reset",
            "amdgpu 0000:03:00.0: GPU reset(1) succeeded!"]
    journal_entries(entries, boot, ["usb 1-2: new device"] + hang)
    os.makedirs(host["state"], exist_ok=True)
    with open(os.path.join(host["state"], "positions.json"), "w") as handle:
        json.dump({"journal_cursor": "s=1;i=1;b=" + boot, "journal_inclusive": True}, handle)
    _status, result, positions = check()
    assert [hang["stages"][0] for hang in result["hangs_this_boot"]] == ["ring_timeout"]
    assert positions == {"journal_cursor": "s=1;i=4;b=" + boot, "last_success": positions["last_success"]}


def test_a_boot_with_no_kernel_entry_is_no_failure(host, tmp_path, monkeypatch):
    entries, check = journal_host(host, tmp_path, monkeypatch)
    # journalctl lists the boot (it has entries), but none from the kernel: a container's journal.
    with open(entries, "w") as out:
        out.write(json.dumps({"__CURSOR": "s=1;i=1;b=" + BOOT.replace("-", ""), "__REALTIME_TIMESTAMP": "1796119200000000",
                              "_BOOT_ID": BOOT.replace("-", ""), "_HOSTNAME": "rocm04", "MESSAGE": "x",
                              "_TRANSPORT": "journal"}) + "\n")
    fake = (tmp_path / "bin" / "journalctl").read_text()
    (tmp_path / "bin" / "journalctl").write_text(fake.replace('    if entry["_BOOT_ID"] != argv[2]:',
                                                              '    if entry["_BOOT_ID"] != argv[2] or "_TRANSPORT" in entry:'))
    _status, result, positions = check()
    assert result["status_name"] == "OK" and result["problems"] == []
    assert "journal_cursor" not in positions


@pytest.mark.parametrize("line, wanted", [
    ("2026-12-02T02:53:21.000000+0000 vm unknown: amdgpu 0000:03:00.0: MODE1 reset",
     "2026-12-02T02:53:21.000000+0000 vm kernel: amdgpu 0000:03:00.0: MODE1 reset"),
    ("2026-12-02T02:53:21.000000+0000 vm logger[812]: amdgpu 0000:03:00.0: MODE1 reset",
     "2026-12-02T02:53:21.000000+0000 vm kernel: amdgpu 0000:03:00.0: MODE1 reset"),
    ("2026-12-02T02:53:21.000000+0000 vm kernel: amdgpu 0000:03:00.0: MODE1 reset",
     "2026-12-02T02:53:21.000000+0000 vm kernel: amdgpu 0000:03:00.0: MODE1 reset"),
])
def test_a_kernel_message_a_program_wrote_to_kmsg_reads_as_the_kernels(line, wanted):
    # journald names only kernel-facility messages "kernel"; journalctl prints "unknown" for none.
    assert health.kernel_line(line) == wanted
