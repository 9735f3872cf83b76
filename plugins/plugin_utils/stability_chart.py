# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A host's stability timeline as inline SVG: its boots as bars coloured by configuration, its hangs
as marks on them. No script, no external resource: the report opens as a file."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.amdgpu.stability.plugins.plugin_utils.report_format import escape

WIDTH, LANE, TOP, LEFT, RIGHT = 760, 26, 18, 8, 8
# Colour-blind-safe (Okabe-Ito) for the configurations; hangs: recovered orange-red, failed black.
PALETTE = ("#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#F0E442", "#999999")
UNMEASURED = "#DDDDDD"
HANG_COLOURS = {"recovered": "#D55E00", "failed": "#000000", "unknown": "#000000"}


def _x(seconds, start, span):
    return LEFT + (WIDTH - LEFT - RIGHT) * (seconds - start) / span


def _day(seconds):
    return time.strftime("%Y-%m-%d", time.gmtime(seconds))


def timeline_svg(history):
    boots = history.get("timeline") or []
    if not boots:
        return ""
    colours = dict((group["key"], PALETTE[index % len(PALETTE)])
                   for index, group in enumerate(history["configurations"]))
    start = min(boot["start"] for boot in boots)
    end = max(boot["end"] for boot in boots)
    span = max(end - start, 3600.0)
    height = TOP + LANE + 18 + LANE * len(history["configurations"])
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="%d" height="%d" viewBox="0 0 %d %d" '
             'role="img" aria-label="boots and GPU hangs over time">' % (WIDTH, height, WIDTH, height)]
    parts.append('<text x="%d" y="12" font-size="11">%s</text>' % (LEFT, escape(_day(start))))
    parts.append('<text x="%d" y="12" font-size="11" text-anchor="end">%s</text>' % (WIDTH - RIGHT, escape(_day(end))))
    for boot in boots:
        x0, x1 = _x(boot["start"], start, span), _x(boot["end"], start, span)
        colour = colours.get(boot["key"], UNMEASURED)
        parts.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>boot %s: %s to %s, %d hang(s)'
                     '</title></rect>' % (x0, TOP, max(x1 - x0, 1.5), LANE - 8, colour, escape(boot["boot_id"]),
                                          escape(_day(boot["start"])), escape(_day(boot["end"])), len(boot["hangs"])))
        for index, hang in enumerate(boot["hangs"]):
            # A hang whose log stamp has no date is drawn inside its boot, hollow.
            dated = hang["at"] is not None
            at = hang["at"] if dated else boot["start"] + (boot["end"] - boot["start"]) * (index + 1) / (len(boot["hangs"]) + 1)
            colour = HANG_COLOURS.get(hang["outcome"], "#000000")
            values = (_x(at, start, span), TOP + (LANE - 8) // 2, colour if dated else "none", colour,
                      escape(hang["outcome"]), "" if dated else " (time not in the log)")
            parts.append('<circle cx="%.1f" cy="%d" r="5" fill="%s" stroke="%s" stroke-width="2"><title>%s hang%s'
                         '</title></circle>' % values)
    y = TOP + LANE + 14
    for group in history["configurations"]:
        parts.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" font-size="11">%s</text>'
                     % (LEFT, y, colours[group["key"]], LEFT + 18, y + 10, escape(history["differences"][group["key"]])))
        y += LANE
    parts.append("</svg>")
    return "".join(parts)
