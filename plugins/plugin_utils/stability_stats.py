# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Did the mitigations help? Hang rates per configuration from the health program's ledgers.

Hangs are rare events: a rate is given with its exact (Garwood) 95 % Poisson interval, and two
configurations are compared with the exact conditional test (given the hangs of both, how many fall
to the first is binomial with the share of the hours under equal rates), so that "no hang in 20
hours" is read as what it is - an upper bound - and not as "fixed".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import math

from ansible_collections.amdgpu.stability.plugins.module_utils.amdgpu_log import wall_clock_seconds

CONFIDENCE = 0.95
SIGNIFICANCE = 0.05


# ---- the exact Poisson interval ------------------------------------------------------------------

def _lower_gamma_regularized(a, x):
    """P(a, x), the regularized lower incomplete gamma function (series, or Lentz's continued
    fraction for the upper tail where the series converges slowly)."""
    if x <= 0:
        return 0.0
    if x < a + 1:
        term = total = 1.0 / a
        n = a
        while abs(term) > abs(total) * 1e-15:
            n += 1
            term *= x / n
            total += term
        return total * math.exp(-x + a * math.log(x) - math.lgamma(a))
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return 1.0 - math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def _gamma_quantile(a, p):
    """x with P(a, x) = p, by bisection (monotone, so it cannot miss)."""
    low, high = 0.0, max(1.0, a)
    while _lower_gamma_regularized(a, high) < p:
        high *= 2
    for _step in range(200):
        middle = (low + high) / 2
        if _lower_gamma_regularized(a, middle) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


def poisson_interval(count, confidence=CONFIDENCE):
    """The exact two-sided interval of a Poisson mean given ``count`` events (Garwood 1936):
    chi-square quantiles, i.e. Gamma(count) and Gamma(count + 1) quantiles."""
    alpha = 1 - confidence
    lower = 0.0 if count == 0 else _gamma_quantile(count, alpha / 2)
    upper = _gamma_quantile(count + 1, 1 - alpha / 2)
    return lower, upper


def rate(count, hours):
    """Hangs per 100 hours with its interval, and the mean time between hangs; None without hours."""
    if not hours:
        return None
    lower, upper = poisson_interval(count)
    scale = 100.0 / hours
    return {"hangs": count, "hours": round(hours, 2), "per_100h": round(count * scale, 3),
            "per_100h_low": round(lower * scale, 3), "per_100h_high": round(upper * scale, 3),
            "mtbh_hours": round(hours / count, 1) if count else None}


# ---- comparing two configurations ----------------------------------------------------------------

def _binomial_pmf(k, n, p):
    if p in (0.0, 1.0):
        return 1.0 if (k == 0 and p == 0.0) or (k == n and p == 1.0) else 0.0
    return math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
                    + k * math.log(p) + (n - k) * math.log(1 - p))


def compare(count_a, hours_a, count_b, hours_b):
    """Whether the rates of A and B differ by more than chance: the two-sided p-value of the exact
    conditional test (the sum of the outcomes no likelier than the one seen)."""
    total = count_a + count_b
    share = hours_a / float(hours_a + hours_b)
    if total == 0:
        p_value = 1.0
    else:
        seen = _binomial_pmf(count_a, total, share)
        p_value = min(1.0, sum(probability for probability in (_binomial_pmf(k, total, share) for k in range(total + 1))
                               if probability <= seen * (1 + 1e-9)))
    return {"p_value": round(p_value, 4), "significant": p_value < SIGNIFICANCE}


def verdict(current, previous):
    """A sentence on the current configuration against the one before it."""
    comparison = compare(current["hangs"], current["hours"], previous["hangs"], previous["hours"])
    if comparison["significant"]:
        better = current["per_100h"] < previous["per_100h"]
        text = "the current configuration hangs %s than the one before (%.2f vs %.2f per 100 h, p = %.3f)" % (
            "less" if better else "more", current["per_100h"], previous["per_100h"], comparison["p_value"])
    else:
        text = ("no difference beyond chance yet (%.2f vs %.2f per 100 h, p = %.2f)"
                % (current["per_100h"], previous["per_100h"], comparison["p_value"]))
        if current["hangs"] == 0:
            text += "; no hang in %.0f h means at most %.2f per 100 h (95 %%), not a fix" % (
                current["hours"], current["per_100h_high"])
    return dict(comparison, text=text)


# ---- configurations ----------------------------------------------------------------------------

def configuration(ledger):
    """What a boot ran with: kernel, the amdgpu part of the command line, the live options, firmware.
    None for a boot the monitor did not see running (known only from the journal)."""
    if not ledger.get("kernel"):
        return None
    return {"kernel": ledger.get("kernel"), "cmdline": list(ledger.get("cmdline") or []),
            "options": dict(ledger.get("options") or {}),
            "firmware": dict((slot, dict(versions or {})) for slot, versions in (ledger.get("firmware") or {}).items())}


def configuration_key(config):
    return hashlib.sha1(json.dumps(config, sort_keys=True).encode("utf-8")).hexdigest()[:10]


def settled_hangs(ledger):
    return [hang for hang in ledger.get("hangs", []) if hang.get("settled")]


def host_history(ledgers):
    """Boots grouped by configuration, in the order each configuration was first run."""
    groups = []
    by_key = {}
    unknown = {"boots": 0, "hangs": 0}
    for ledger in sorted(ledgers, key=lambda entry: entry.get("first_seen") or 0):
        config = configuration(ledger)
        hangs = settled_hangs(ledger)
        if config is None or ledger.get("hours_up") is None:
            unknown["boots"] += 1
            unknown["hangs"] += len(hangs)
            continue
        key = configuration_key(config)
        if key not in by_key:
            by_key[key] = {"key": key, "config": config, "boots": 0, "hours": 0.0, "hangs": 0, "failed": 0,
                           "first_seen": ledger.get("first_seen"), "last_seen": ledger.get("last_seen")}
            groups.append(by_key[key])
        group = by_key[key]
        group["boots"] += 1
        group["hours"] += float(ledger["hours_up"])
        group["hangs"] += len(hangs)
        group["failed"] += sum(1 for hang in hangs if hang.get("outcome") in ("failed", "unknown"))
        group["last_seen"] = max(group["last_seen"] or 0, ledger.get("last_seen") or 0)
    for group in groups:
        group["rate"] = rate(group["hangs"], group["hours"])
    history = {"configurations": groups, "not_measured": unknown, "differences": differences(groups),
               "timeline": timeline(ledgers, by_key)}
    measured = [group for group in groups if group["rate"]]
    if len(measured) >= 2:
        history["current_vs_previous"] = verdict(measured[-1]["rate"], measured[-2]["rate"])
    return history


def timeline(ledgers, by_key):
    """Each boot's span, its configuration and its hangs (wall-clock seconds; None when the log's
    stamps carry no date), for the chart."""
    boots = []
    for ledger in sorted(ledgers, key=lambda entry: entry.get("first_seen") or 0):
        if ledger.get("first_seen") is None:
            continue
        config = configuration(ledger)
        key = configuration_key(config) if config is not None and ledger.get("hours_up") is not None else None
        boots.append({"boot_id": ledger.get("boot_id"), "start": ledger["first_seen"],
                      "end": ledger.get("last_seen") or ledger["first_seen"], "key": key if key in by_key else None,
                      "hangs": [{"at": wall_clock_seconds(hang.get("start")), "outcome": hang.get("outcome")}
                                for hang in settled_hangs(ledger)]})
    return boots


def differences(groups):
    """Per configuration, only what sets it apart from the others: a readable label."""
    labels = {}
    if not groups:
        return labels
    options = set()
    for group in groups:
        options.update(group["config"]["options"])
    varying = sorted(name for name in options
                     if len(set(str(group["config"]["options"].get(name)) for group in groups)) > 1)
    for group in groups:
        config = group["config"]
        parts = ["kernel " + config["kernel"], "cmdline " + (" ".join(config["cmdline"]) or "(none)")]
        parts += ["%s=%s" % (name, config["options"].get(name)) for name in varying]
        firmware = sorted(set("%s=%s" % (name, version) for versions in config["firmware"].values()
                              for name, version in versions.items() if name in ("mes", "smc")))
        if len(set(json.dumps(group_["config"]["firmware"], sort_keys=True) for group_ in groups)) > 1:
            parts.append("firmware " + " ".join(firmware))
        labels[group["key"]] = ", ".join(parts)
    return labels


def lab_ranking(histories):
    """Hosts and configurations ranked by hang rate; hosts sharing a configuration are pooled."""
    hosts, pooled = [], {}
    for host, history in sorted(histories.items()):
        groups = [group for group in history["configurations"] if group["rate"]]
        if groups:
            current = groups[-1]
            hosts.append({"host": host, "configuration": current["key"], "rate": current["rate"]})
        for group in groups:
            entry = pooled.setdefault(group["key"], {"key": group["key"], "label": history["differences"][group["key"]],
                                                     "hosts": [], "hangs": 0, "hours": 0.0})
            entry["hosts"].append(host)
            entry["hangs"] += group["hangs"]
            entry["hours"] += group["hours"]
    for entry in pooled.values():
        entry["rate"] = rate(entry["hangs"], entry["hours"])
    return {"hosts": sorted(hosts, key=_by_rate), "configurations": sorted(pooled.values(), key=_by_rate)}


def _by_rate(item):
    """Highest hang rate first; at the same rate, the one measured longer."""
    return (-item["rate"]["per_100h"], -item["rate"]["hours"])
