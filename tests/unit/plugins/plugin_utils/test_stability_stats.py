# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.amdgpu.stability.plugins.plugin_utils import stability_stats as stats


# Garwood's exact 95 % limits, as tabulated (e.g. Ulm 1990; the chi-square quantiles halved).
@pytest.mark.parametrize("count,low,high", [
    (0, 0.0, 3.6889), (1, 0.0253, 5.5716), (2, 0.2422, 7.2247), (5, 1.6235, 11.6683), (10, 4.7954, 18.3904),
    (50, 37.1110, 65.9188),     # chi-square(0.025, 100) = 74.2219, (0.975, 102) = 131.8384
])
def test_the_exact_poisson_interval_matches_the_tables(count, low, high):
    lower, upper = stats.poisson_interval(count)
    assert lower == pytest.approx(low, abs=1e-4) and upper == pytest.approx(high, abs=1e-4)


def test_a_rate_per_100_hours_carries_its_interval_and_mean_time_between_hangs():
    assert stats.rate(2, 400.0) == {"hangs": 2, "hours": 400.0, "per_100h": 0.5, "per_100h_low": 0.061,
                                    "per_100h_high": 1.806, "mtbh_hours": 200.0}
    assert stats.rate(0, 20.0)["per_100h_high"] == pytest.approx(18.444, abs=1e-3)
    assert stats.rate(3, 0) is None


def test_the_conditional_test_tells_chance_from_a_difference():
    assert stats.compare(0, 20, 5, 100) == {"p_value": 1.0, "significant": False}   # 20 h are too few
    assert stats.compare(10, 100, 0, 100) == {"p_value": 0.002, "significant": True}
    assert stats.compare(0, 0.5, 0, 0.5)["p_value"] == 1.0


def test_no_hang_in_twenty_hours_is_never_read_as_fixed():
    before = stats.rate(3, 60.0)
    after = stats.rate(0, 20.0)
    text = stats.verdict(after, before)["text"]
    assert text.startswith("no difference beyond chance yet")
    assert "no hang in 20 h means at most 18.44 per 100 h (95 %), not a fix" in text
    long_after = stats.rate(0, 400.0)
    many_before = stats.rate(12, 100.0)
    assert stats.verdict(long_after, many_before)["text"].startswith("the current configuration hangs less")


def ledger(boot, first, hours, kernel="6.12.107+deb13-amd64", runpm="-1", hangs=0, failed=0):
    return {"boot_id": boot, "first_seen": first, "last_seen": first + hours * 3600, "hours_up": hours,
            "kernel": kernel, "cmdline": ["iommu=pt"], "options": {"runpm": runpm, "mes": "1"},
            "firmware": {"0000:03:00.0": {"mes": "0x80", "smc": "0x4e7300"}},
            "hangs": [{"settled": True, "outcome": "recovered"}] * hangs + [{"settled": True, "outcome": "failed"}] * failed
            + [{"settled": False, "outcome": "unknown"}]}


def test_boots_are_grouped_by_what_they_ran_and_labelled_by_what_differs():
    history = stats.host_history([
        ledger("a", 0, 30, hangs=2), ledger("b", 200000, 26, hangs=1, failed=1),
        ledger("c", 400000, 40, runpm="0"), {"boot_id": "old", "first_seen": -5, "hangs": [{"settled": True}]}])
    first, second = history["configurations"]
    assert (first["boots"], first["hours"], first["hangs"], first["failed"]) == (2, 56.0, 4, 1)
    assert (second["boots"], second["hours"], second["hangs"]) == (1, 40.0, 0)
    assert history["differences"][first["key"]] == "kernel 6.12.107+deb13-amd64, cmdline iommu=pt, runpm=-1"
    assert history["not_measured"] == {"boots": 1, "hangs": 1}
    assert history["current_vs_previous"]["significant"] is False


def test_the_lab_ranking_pools_hosts_that_share_a_configuration():
    shared = [ledger("a", 0, 100, hangs=4)]
    histories = {"rocm01": stats.host_history(shared), "rocm02": stats.host_history([ledger("b", 0, 100, hangs=2)]),
                 "rocm03": stats.host_history([ledger("c", 0, 50, runpm="0")])}
    ranking = stats.lab_ranking(histories)
    assert [entry["host"] for entry in ranking["hosts"]] == ["rocm01", "rocm02", "rocm03"]
    worst = ranking["configurations"][0]
    assert worst["hosts"] == ["rocm01", "rocm02"] and worst["rate"]["hangs"] == 6 and worst["rate"]["hours"] == 200.0
