# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The look shared by the collection's reports (audit, lab): Markdown tables and one self-contained
HTML page with inline styles, no scripts and no external resources, every value escaped."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import html

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1b1b1b;background:#fafafa}
h1{margin:0 0 .2em}h2{margin:1.6em 0 .4em}
table{border-collapse:collapse;margin:.5em 0 1em;background:#fff}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#eee}.summary{font-size:1.1em;font-weight:600}
.badge{display:inline-block;padding:.1em .6em;border-radius:.8em;color:#fff;font-weight:600}
.s{color:#fff;padding:.05em .4em;border-radius:.3em}
.ok,.in_effect,.unchanged,.rebooted,.passed{background:#2e7d32}
.changed,.not_required,.handed_over{background:#1565c0}
.warning,.pending_reboot,.not_persistent,.configured,.not_configured,.busy,.not_reached,.not_allowed,.impossible{background:#b26a00}
.critical,.invalid,.unknown,.unreachable,.failed{background:#c62828}
"""


def escape(text):
    return html.escape("" if text is None else str(text))


def badge(status):
    return '<span class="badge %s">%s</span>' % (escape(status), escape(status))


def status_cell(status):
    return '<span class="s %s">%s</span>' % (escape(status), escape(status))


def html_table(header, rows):
    """``rows`` hold HTML already escaped by the caller (cells may carry badges)."""
    head = "".join("<th>%s</th>" % escape(cell) for cell in header)
    body = "".join("<tr>%s</tr>" % "".join("<td>%s</td>" % cell for cell in row) for row in rows)
    return "<table><thead><tr>%s</tr></thead><tbody>%s</tbody></table>" % (head, body)


def page(title, generated, summary, body):
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>%s</title><style>%s</style></head>'
            '<body><h1>%s</h1><p>Generated %s</p><p class="summary" id="summary">%s</p>%s</body></html>\n') % (
        escape(title), STYLE, escape(title), escape(generated), escape(summary), body)


def md_cell(text):
    return str("" if text is None else text).replace("|", "\\|").replace("\n", " ")


def md_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(md_cell(cell) for cell in row) + " |" for row in rows)
    return lines
