# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_params as ap
from ansible_collections.amdgpu.stability.plugins.module_utils import param_values as pv
from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_param_data import KERNELS, PARAMS

REPO = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
LISTINGS = os.path.join(REPO, "tests", "fixtures", "modinfo")
MATRIX = os.path.join(REPO, "tests", "fixtures", "param-matrix.tsv")


def listing(kernel):
    rows = {}
    with open(os.path.join(LISTINGS, kernel + ".txt")) as handle:
        for line in handle:
            if not line.startswith("#"):
                name, ptype, _description = line.split("\t", 2)
                rows[name] = ptype
    return rows


def test_regenerating_the_data_changes_nothing():
    assert subprocess.call([sys.executable, os.path.join(REPO, "tools", "generate_param_data.py"), "--check"]) == 0


@pytest.mark.parametrize("kernel", KERNELS)
def test_bundled_data_matches_the_listing(kernel):
    rows = listing(kernel)
    index = KERNELS.index(kernel)
    bundled = {name: entries[index] for name, entries in PARAMS.items() if entries[index] is not None}
    assert {name: entry[0] for name, entry in bundled.items()} == rows
    specs, builds = ap.bundled_specs(kernel)
    assert builds == [kernel] and set(specs) == set(rows)


@pytest.mark.parametrize("kernel", KERNELS)
def test_modes_and_unsafe_match_the_matrix(kernel):
    with open(MATRIX) as handle:
        lines = [line.rstrip("\n").split("\t") for line in handle if not line.startswith("#")]
    column = lines[0].index(kernel)
    for row in lines[1:]:
        cell = row[column]
        entry = PARAMS[row[0]][KERNELS.index(kernel)]
        if cell == "-":
            assert entry is None
        else:
            assert entry[1] == "0" + cell.rstrip("U") and entry[2] == cell.endswith("U"), row[0]


def test_parameter_counts_per_line():
    counts = {kernel: len(listing(kernel)) for kernel in KERNELS}
    assert counts["6.1.0-56-amd64"] == 83 and counts["6.12.95+deb12-amd64"] == 93
    assert counts["6.18.15+deb13-amd64"] == 96 and counts["7.3.4+deb13-amd64"] == 95


@pytest.mark.parametrize("release, builds", [
    ("6.12.48+deb13-amd64", ["6.12.95+deb12-amd64", "6.12.117+deb13-amd64"]),
    ("6.8.0-90-generic", ["6.1.0-56-amd64", "6.12.95+deb12-amd64"]),
    ("5.15.0-100-generic", ["6.1.0-56-amd64"]),
    ("7.9.1", ["7.3.4+deb13-amd64"]),
    ("7.3-amd64", ["7.3-amd64"]),
])
def test_builds_standing_in_for_a_kernel(release, builds):
    assert ap.bundled_specs(release)[1] == builds


def test_between_lines_a_value_must_parse_under_both_types():
    # abmlevel: uint in 6.1, int in 6.12; -1 would stop a uint kernel's amdgpu from loading.
    spec = ap.bundled_specs("6.8.0-90-generic")[0]["abmlevel"]
    assert spec.types == ["int", "uint"]
    entry = ap.evaluate_param("abmlevel", "-1", spec, "/nonexistent", False, None, (6, 8, 0))
    assert entry["status"] == "invalid" and "negative" in entry["notes"][0]


# ---- fake trees -------------------------------------------------------------------------------

def tree(tmp_path, release="6.12.95+deb12-amd64", live=None, files=None, cmdline="ro quiet", grub_cfg=None):
    root = tmp_path
    (root / "proc/sys/kernel").mkdir(parents=True)
    (root / "proc/sys/kernel/osrelease").write_text(release + "\n")
    (root / "proc/cmdline").write_text(cmdline + "\n")
    if live is not None:
        (root / "sys/module/amdgpu/parameters").mkdir(parents=True)
        for name, value in live.items():
            (root / "sys/module/amdgpu/parameters" / name).write_text(value + "\n")
    for path, text in (files or {}).items():
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.lstrip("/")).write_text(text)
    if grub_cfg is not None:
        (root / "boot/grub").mkdir(parents=True)
        (root / "boot/grub/grub.cfg").write_text("menuentry 'Debian' {\n\tlinux /vmlinuz root=/dev/vda1 %s\n}\n" % grub_cfg)
    return str(root)


def check(root, desired, release="6.12.95+deb12-amd64"):
    specs, _builds = ap.bundled_specs(release)
    return ap.evaluate(desired, root, release, specs)


CONF = "/etc/modprobe.d/amdgpu.conf"


def test_in_effect_with_hex_read_back_in_decimal(tmp_path):
    root = tree(tmp_path, live={"dcdebugmask": "16", "ppfeaturemask": "0xfff73fff"},
                files={CONF: "options amdgpu dcdebugmask=0x10\noptions amdgpu ppfeaturemask=0xfff73fff\n"})
    result = check(root, {"dcdebugmask": "0x10", "ppfeaturemask": "0xfff73fff"})
    assert result["module_loaded"]
    assert result["params"]["dcdebugmask"]["status"] == "in_effect"
    assert result["params"]["dcdebugmask"]["expected_sysfs"] == "16"
    assert result["params"]["ppfeaturemask"]["status"] == "in_effect"
    assert result["params"]["ppfeaturemask"]["configured_by"] == "/etc/modprobe.d/amdgpu.conf:2"
    assert any("GFXOFF" in note for note in result["params"]["ppfeaturemask"]["notes"])
    assert not result["reboot_required"]


def test_not_persistent_and_pending_reboot(tmp_path):
    root = tree(tmp_path, live={"runpm": "0", "tmz": "-1"}, files={CONF: "options amdgpu tmz=0\n"})
    result = check(root, {"runpm": 0, "tmz": 0})
    assert result["params"]["runpm"]["status"] == "not_persistent"
    assert result["params"]["tmz"]["status"] == "pending_reboot"
    assert result["reboot_required"]


def test_not_loaded_configured_and_not_configured(tmp_path):
    root = tree(tmp_path, files={CONF: "options amdgpu runpm=0\n"})
    result = check(root, {"runpm": "0", "tmz": "0"})
    assert not result["module_loaded"]
    assert result["params"]["runpm"]["status"] == "configured"
    assert result["params"]["tmz"]["status"] == "not_configured"
    assert result["params"]["tmz"]["live"] is None


def test_loaded_but_set_nowhere_is_not_configured(tmp_path):
    root = tree(tmp_path, live={"tmz": "-1"})
    assert check(root, {"tmz": 0})["params"]["tmz"]["status"] == "not_configured"


def test_command_line_beats_modprobe_d(tmp_path):
    root = tree(tmp_path, files={CONF: "options amdgpu runpm=0\n"}, grub_cfg="quiet amdgpu.runpm=1")
    entry = check(root, {"runpm": 0})["params"]["runpm"]
    assert entry["configured"] == "1" and entry["configured_by"] == "/boot/grub/grub.cfg"
    assert entry["status"] == "not_configured"


def test_next_boot_falls_back_to_proc_cmdline(tmp_path):
    root = tree(tmp_path, cmdline="ro amdgpu.runpm=0")
    assert check(root, {"runpm": 0})["params"]["runpm"]["configured_by"] == "/proc/cmdline"


def test_later_file_and_later_line_win(tmp_path):
    root = tree(tmp_path, files={
        "/etc/modprobe.d/10-first.conf": "options amdgpu runpm=1\noptions amdgpu runpm=2 tmz=1\n",
        "/etc/modprobe.d/20-second.conf": "options amdgpu tmz=0\n# options amdgpu tmz=1\n",
    })
    params = check(root, {"runpm": 2, "tmz": 0})["params"]
    assert params["runpm"]["configured"] == "2" and params["runpm"]["configured_by"] == "/etc/modprobe.d/10-first.conf:2"
    assert params["tmz"]["configured_by"] == "/etc/modprobe.d/20-second.conf:1"


def test_etc_shadows_usr_lib_of_the_same_name(tmp_path):
    root = tree(tmp_path, files={
        "/usr/lib/modprobe.d/amdgpu.conf": "options amdgpu runpm=1\n",
        "/etc/modprobe.d/amdgpu.conf": "options amdgpu tmz=0\n",
        "/usr/lib/modprobe.d/50-other.conf": "options amdgpu sg_display=0\n",
    })
    params = check(root, {"runpm": 1, "tmz": 0, "sg_display": 0})["params"]
    assert params["runpm"]["configured"] is None
    assert params["tmz"]["status"] == "configured"
    assert params["sg_display"]["configured_by"] == "/usr/lib/modprobe.d/50-other.conf:1"


def test_inline_comment_is_part_of_the_value(tmp_path):
    root = tree(tmp_path, files={CONF: "options amdgpu runpm=0 # no runtime pm\n"})
    entry = check(root, {"runpm": 0})["params"]["runpm"]
    assert entry["status"] == "configured"
    # '#' and the words after it become parameters named '#', 'no', ... which amdgpu calls unknown.


def test_configured_value_that_does_not_parse_is_called_out(tmp_path):
    root = tree(tmp_path, files={CONF: "options amdgpu dcdebugmask=-1\n"})
    entry = check(root, {"dcdebugmask": 16})["params"]["dcdebugmask"]
    assert entry["status"] == "not_configured"
    assert any("amdgpu will refuse to load" in note for note in entry["notes"])


def test_unknown_gfxoff_and_removed_mes(tmp_path):
    root = tree(tmp_path, release="7.2.13+deb14-amd64")
    params = check(root, {"gfxoff": 0, "mes": 1}, release="7.2.13+deb14-amd64")["params"]
    assert params["gfxoff"]["status"] == "unknown" and "0xfff73fff" in params["gfxoff"]["notes"][0]
    assert params["mes"]["status"] == "unknown"
    assert "6.1.0-56-amd64 to 6.18.15+deb13-amd64" in params["mes"]["notes"][0]


@pytest.mark.parametrize("name, value, fragment", [
    ("dcdebugmask", "-1", "negative"),
    ("backlight", "-1", "bint parameters are booleans"),
    ("runpm", "08", "octal"),
    ("runpm", "1 ", "not an integer"),
    ("lockup_timeout", "1" * 256, "at most 255"),
    ("lockup_timeout", "10000,abc", "invalid lockup_timeout parameter syntax"),
    ("lockup_timeout", "10s", "the GPU has no driver"),
    ("debug_evictions", "maybe", "not a boolean"),
    ("ppfeaturemask", "0x1ffffffff", "out of range"),
])
def test_invalid_values(tmp_path, name, value, fragment):
    entry = check(tree(tmp_path), {name: value})["params"][name]
    assert entry["status"] == "invalid" and fragment in entry["notes"][0]


def test_octal_trap_is_explained(tmp_path):
    entry = check(tree(tmp_path, live={"dcdebugmask": "8"}), {"dcdebugmask": "010"})["params"]["dcdebugmask"]
    assert entry["expected_sysfs"] == "8"
    assert any("010 means 8" in note for note in entry["notes"])


def test_unsafe_only_taints_from_6_16(tmp_path):
    old = check(tree(tmp_path / "a"), {"gpu_recovery": 1})["params"]["gpu_recovery"]
    new = check(tree(tmp_path / "b", release="6.16.12+deb13-amd64"), {"gpu_recovery": 1},
                release="6.16.12+deb13-amd64")["params"]["gpu_recovery"]
    assert not any("UNSAFE" in note for note in old["notes"]) and not old["taints"]
    assert any("UNSAFE" in note for note in new["notes"]) and new["taints"]


def test_overdrive_bit_is_named(tmp_path):
    entry = check(tree(tmp_path, release="6.18.15+deb13-amd64"), {"ppfeaturemask": "0xfffd7fff"},
                  release="6.18.15+deb13-amd64")["params"]["ppfeaturemask"]
    assert any("OVERDRIVE" in note and "taints" in note for note in entry["notes"])
    assert entry["taints"]
    gfxoff_only = check(tree(tmp_path / "x", release="6.18.15+deb13-amd64"), {"ppfeaturemask": "0xfff73fff"},
                        release="6.18.15+deb13-amd64")["params"]["ppfeaturemask"]
    assert not gfxoff_only["taints"]


@pytest.mark.parametrize("value, taints", [
    ("-1", True), ("10000,-1", True), ("10000,60000,10000,10000", False), ("0", False),
    # Reading stops at an empty element: the -1 after it is never read.
    ("10000,,-1", False),
])
def test_a_negative_lockup_timeout_taints_every_kernel(tmp_path, value, taints):
    entry = check(tree(tmp_path), {"lockup_timeout": value}, release="6.1.0-56-amd64")["params"]["lockup_timeout"]
    assert entry["status"] != "invalid" and entry["taints"] is taints
    assert (entry["taint_reason"] or "").startswith("a negative lockup_timeout") is taints
    assert any("lockup timeout disabled" in note for note in entry["notes"])


def test_gfx_dcs_bit_is_explained(tmp_path):
    entry = check(tree(tmp_path), {"ppfeaturemask": "0xfffd3fff"})["params"]["ppfeaturemask"]
    assert any("GFX_DCS" in note and "Navi 22, 23 and 24" in note for note in entry["notes"])
    nuclear = check(tree(tmp_path / "n"), {"ppfeaturemask": "0xfff53fff"})["params"]["ppfeaturemask"]
    assert not any("GFX_DCS bit" in note for note in nuclear["notes"])
    assert any("GFXOFF, STUTTER_MODE" in note for note in nuclear["notes"])


def test_bool_reads_back_as_y(tmp_path):
    root = tree(tmp_path, live={"debug_evictions": "Y"}, files={CONF: "options amdgpu debug_evictions=1\n"})
    entry = check(root, {"debug_evictions": "on"})["params"]["debug_evictions"]
    assert entry["status"] == "in_effect" and entry["expected_sysfs"] == "Y"


@pytest.mark.parametrize("ptype, text, value", [
    ("int", "0x10", 16), ("int", "010", 8), ("int", "-1", -1), ("uint", "16\n", 16),
    ("hexint", "4294393855", 0xfff73fff), ("ullong", "18446744073709551615", 2 ** 64 - 1),
    ("bool", "off", False), ("bool", "Yes", True), ("invbool", "Y", False), ("charp", "", ""),
])
def test_parse_like_the_kernel(ptype, text, value):
    assert pv.parse(ptype, text) == value


def test_sysfs_forms():
    assert pv.sysfs_form("hexint", 0) == "0x000000"
    assert pv.sysfs_form("hexint", 0x10) == "0x000010"
    assert pv.sysfs_form("bint", True) == "1"
    assert pv.parse_sysfs("charp", "(null)") is None
