# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

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
