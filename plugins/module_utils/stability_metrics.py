# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health program's result as Prometheus metrics, for node_exporter's textfile collector.

Written with the Prometheus project's own client (python3-prometheus-client on Debian and Ubuntu):
its ``write_to_textfile`` writes a temporary file beside the target and renames it over, so the
collector never reads half a file. The counters are the sums of the ledgers, which only grow.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_log import wall_clock_seconds

try:
    from prometheus_client import CollectorRegistry, write_to_textfile
    from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily
    PROMETHEUS_CLIENT_MISSING = None
except ImportError as error:     # the metrics need it; the check itself does not
    PROMETHEUS_CLIENT_MISSING = str(error)

PREFIX = "amdgpu_stability_"


class ResultCollector(object):
    """One run's result, as metric families (a custom collector: the values come from the ledgers,
    not from counters kept in this process)."""

    def __init__(self, result):
        self.result = result

    def collect(self):
        result = self.result
        hangs = CounterMetricFamily(PREFIX + "hangs", "GPU hangs seen in the kernel log, by GPU, outcome and the "
                                    "reset level that ended them", labels=["pci_slot", "outcome", "method"])
        for entry in result["hang_totals"]:
            hangs.add_metric([entry["pci_slot"], entry["outcome"], entry["method"]], entry["count"])
        yield hangs
        resets = CounterMetricFamily(PREFIX + "resets", "GPU resets the driver attempted, by GPU and method",
                                     labels=["pci_slot", "method"])
        for entry in result["reset_totals"]:
            resets.add_metric([entry["pci_slot"], entry["method"]], entry["count"])
        yield resets
        last = GaugeMetricFamily(PREFIX + "last_hang_timestamp_seconds", "When the last hang of this boot began",
                                 labels=["pci_slot"])
        for slot, seconds in sorted(_last_hangs(result["hangs_this_boot"]).items()):
            last.add_metric([slot], seconds)
        yield last
        options = GaugeMetricFamily(PREFIX + "option_in_effect", "1 when a wanted amdgpu option or kernel "
                                    "argument is in effect, 0 when not", labels=["kind", "name"])
        for check in result["checks"]:
            options.add_metric([check["kind"], check["name"]], 1 if check["in_effect"] else 0)
        yield options
        firmware = InfoMetricFamily(PREFIX + "firmware", "Firmware versions of each GPU",
                                    labels=["pci_slot", "firmware"])
        for gpu in result["gpus"]:
            for name, version in sorted((gpu.get("firmware") or {}).items()):
                firmware.add_metric([gpu["pci_slot"], name], {"version": version or ""})
        yield firmware
        kernel = result.get("kernel")
        if kernel:
            yield GaugeMetricFamily(PREFIX + "reboot_required", "1 when a reboot is pending",
                                    value=1 if kernel["reboot_required"] else 0)
            taint = kernel.get("taint") or {}
            yield GaugeMetricFamily(PREFIX + "kernel_tainted", "The kernel's taint mask (/proc/sys/kernel/tainted)",
                                    value=taint.get("value", 0))
        yield GaugeMetricFamily(PREFIX + "health_status", "0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the check could "
                                "not run)", value=result["status"])
        if result.get("last_success") is not None:
            yield GaugeMetricFamily(PREFIX + "last_successful_scan_timestamp_seconds",
                                    "When a run last read the log and the host to the end", value=result["last_success"])
        yield GaugeMetricFamily(PREFIX + "scan_errors", "Problems of the last run (corrupt state, unreadable "
                                "input, a failed run); 0 when it read everything", value=len(result["problems"]))


def _last_hangs(hangs):
    last = {}
    for hang in hangs:
        seconds = wall_clock_seconds(hang.get("start"))
        if seconds is not None:
            slot = hang.get("device") or "unknown"
            last[slot] = max(last.get(slot, 0), seconds)
    return last


def write_textfile(path, result):
    if PROMETHEUS_CLIENT_MISSING:
        raise ImportError("the Prometheus client is not installed (Debian and Ubuntu: python3-prometheus-client): "
                          + PROMETHEUS_CLIENT_MISSING)
    registry = CollectorRegistry()
    registry.register(ResultCollector(result))
    write_to_textfile(path, registry)
