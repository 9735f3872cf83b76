# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""/etc/default/grub and /etc/default/grub.d: parsing, the collection's drop-in, the full-file
rewrite (method ``template``) and the plan that says which file changes how.

update-grub is a /bin/sh script that sources /etc/default/grub and then, on Debian and Ubuntu
only, every /etc/default/grub.d/*.cfg in glob order. Files here are parsed only as far as needed to
rewrite one assignment line without touching any other byte; the value update-grub really sees is
computed by the shell itself (:mod:`grub_effective`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import (
    merge_tokens,
    split_cmdline,
    unmerge_tokens,
)

DROPIN_HEADER = (
    "# Managed by Ansible (amdgpu.stability.grub_cmdline); local changes will be overwritten.\n"
    "# Appends kernel arguments to {variable}. update-grub sources this file after\n"
    "# /etc/default/grub and every grub.d/*.cfg that sorts before it; its name sorts after\n"
    "# digits and letters so that files which assign {variable} cannot wipe these arguments.\n"
)
# A comment line the template method keeps above the line it rewrote: what it added and what it
# replaced, so that state=absent can undo exactly that and nothing else.
MARKER_PREFIX = "# amdgpu.stability.grub_cmdline "
_MARKER = re.compile(r"^# amdgpu\.stability\.grub_cmdline (?P<var>[A-Z_]+) (?P<json>\{.*\})\s*$")
_ASSIGNMENT = re.compile(
    r"^(?P<lead>\s*(?:export\s+)?)(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<rest>.*?)(?P<eol>\r?\n?)$",
    re.DOTALL,
)
_DROPIN_LINE = re.compile(
    r'^(?P<var>GRUB_CMDLINE_LINUX(?:_DEFAULT)?)="\$\{(?P=var):\+\$(?P=var) \}(?P<args>[^"$`\\]*)"$'
)


class GrubDefaultsError(Exception):
    """A file cannot be handled safely; the message says which and what to do."""


def parse_shell_word(text):
    """Parse the value part of ``KEY=<text>`` as /bin/sh would, for the static cases.

    Returns ``(value, suffix, static)``: ``value`` with quotes removed, ``suffix`` the rest of the
    line after the word (spaces, a comment), ``static`` False when the word expands something
    (``$VAR``, backticks, ``$(…)``) so that its value is only known by running the shell."""
    value = []
    static = True
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace() or char in ";#&|":
            break
        if char == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise GrubDefaultsError("unterminated single quote")
            value.append(text[i + 1:end])
            i = end + 1
        elif char == '"':
            i += 1
            while True:
                if i >= len(text):
                    raise GrubDefaultsError("unterminated double quote")
                char = text[i]
                if char == '"':
                    i += 1
                    break
                if char == "\\" and i + 1 < len(text) and text[i + 1] in '"\\$`\n':
                    value.append(text[i + 1])
                    i += 2
                    continue
                if char in "$`":
                    static = False
                value.append(char)
                i += 1
        elif char == "\\" and i + 1 < len(text):
            value.append(text[i + 1])
            i += 2
        else:
            if char in "$`":
                static = False
            value.append(char)
            i += 1
    return "".join(value), text[i:], static


def quote_shell_value(value):
    """``value`` as a double-quoted /bin/sh word that expands to exactly ``value``."""
    escaped = re.sub(r'(["\\$`])', r"\\\1", value)
    return '"%s"' % escaped


class Line(object):
    """One line of /etc/default/grub: kept verbatim unless it is rewritten."""

    def __init__(self, text, key=None, value=None, static=True, lead="", suffix="", eol=""):
        self.text = text
        self.key = key
        self.value = value
        self.static = static
        self.lead = lead
        self.suffix = suffix
        self.eol = eol

    def with_value(self, value):
        text = "%s%s=%s%s%s" % (self.lead, self.key, quote_shell_value(value), self.suffix, self.eol)
        return Line(text, self.key, value, True, self.lead, self.suffix, self.eol)


def parse_default_grub(text):
    """Lines of /etc/default/grub; assignments carry key and (when static) value."""
    lines = []
    for raw in text.splitlines(True):
        match = _ASSIGNMENT.match(raw)
        if not match:
            lines.append(Line(raw))
            continue
        try:
            value, suffix, static = parse_shell_word(match.group("rest"))
        except GrubDefaultsError:
            lines.append(Line(raw))
            continue
        lines.append(Line(raw, match.group("key"), value, static, match.group("lead"),
                          suffix, match.group("eol")))
    return lines


def _last_assignment(lines, key):
    found = None
    for index, line in enumerate(lines):
        if line.key == key:
            found = index
    return found


def marker_record(text, variable):
    """The record of a marker line for ``variable``, or None when ``text`` is not one."""
    match = _MARKER.match(text)
    if not match or match.group("var") != variable:
        return None
    try:
        return json.loads(match.group("json"))
    except ValueError:
        raise GrubDefaultsError(
            "the amdgpu.stability marker comment for %s in /etc/default/grub is damaged; restore "
            "the file from a backup or delete the comment" % variable)


def _find_marker(lines, variable):
    for index, line in enumerate(lines):
        record = marker_record(line.text, variable)
        if record is not None:
            return index, record
    return None, None


def _render(lines):
    return "".join(line.text for line in lines)


def _append_line(lines, text):
    if lines and not lines[-1].text.endswith("\n"):
        lines[-1] = Line(lines[-1].text + "\n", lines[-1].key, lines[-1].value, lines[-1].static,
                         lines[-1].lead, lines[-1].suffix, "\n")
    lines.append(Line(text))


def plan_default_grub(text, variable, wanted, state, settings=None):
    """New content of /etc/default/grub for the template method (or for undoing it).

    ``wanted``: tokens that must be in ``variable`` (state present); an earlier record of what the
    collection added is undone first, so a shorter list removes what is no longer wanted. With
    ``state`` absent (or ``wanted`` None: another method owns the arguments) only the undo is
    done: the file returns to its bytes from before, when nobody changed the line since.
    ``settings``: other keys to set (template method). Returns the new text."""
    lines = parse_default_grub(text)
    marker_index, record = _find_marker(lines, variable)
    line_index = _last_assignment(lines, variable)
    if line_index is not None and not lines[line_index].static and (record or wanted):
        raise GrubDefaultsError(
            "%s in /etc/default/grub is computed by the shell (%s); the template method can only "
            "rewrite a plain value: use the drop-in method" % (variable, lines[line_index].text.strip()))

    if record is not None:
        line_index = _undo(lines, marker_index, line_index, record)

    if state == "present" and wanted is not None:
        line_index = _apply_wanted(lines, line_index, variable, wanted)

    for key, value in (settings or {}).items():
        index = _last_assignment(lines, key)
        if index is None:
            _append_line(lines, "%s=%s\n" % (key, quote_shell_value(value)))
        elif lines[index].value != value or not lines[index].static:
            lines[index] = lines[index].with_value(value)
    return _render(lines)


def _undo(lines, marker_index, line_index, record):
    """Undo what the marker ``record`` says was done to the line at ``line_index``; drop the
    marker. Returns the line's new index (None when the line is gone)."""
    del lines[marker_index]
    if line_index is None:
        return None
    if marker_index < line_index:
        line_index -= 1
    line = lines[line_index]
    original = unmerge_tokens(split_cmdline(line.value), record.get("added", []),
                              record.get("replaced", {}))
    original_text = record.get("original")
    if original_text is None and not original:
        # The collection appended the whole line: remove it, and the newline it had to add.
        del lines[line_index]
        if record.get("eof_newline_added") and lines and line_index == len(lines):
            last = lines[-1]
            lines[-1] = Line(last.text.rstrip("\r\n"), last.key, last.value, last.static,
                             last.lead, last.suffix, "")
        return None
    if original_text is not None:
        restored = parse_default_grub(original_text + line.eol)[0]
        if restored.key == line.key and split_cmdline(restored.value or "") == original:
            lines[line_index] = restored
            return line_index
    lines[line_index] = line.with_value(" ".join(original))
    return line_index


def _apply_wanted(lines, line_index, variable, wanted):
    current_line = lines[line_index] if line_index is not None else None
    current = split_cmdline(current_line.value) if current_line is not None else []
    tokens, added, replaced = merge_tokens(current, wanted)
    if not added and not replaced:
        return line_index
    record = {"added": added, "replaced": replaced,
              "original": current_line.text.rstrip("\r\n") if current_line is not None else None}
    if current_line is None:
        record["eof_newline_added"] = bool(lines) and not lines[-1].text.endswith("\n")
        _append_line(lines, "%s=%s\n" % (variable, quote_shell_value(" ".join(tokens))))
        line_index = len(lines) - 1
    else:
        lines[line_index] = current_line.with_value(" ".join(tokens))
    record_text = json.dumps(record, sort_keys=True, separators=(",", ":"))
    marker = Line("%s%s %s\n" % (MARKER_PREFIX, variable, record_text))
    lines.insert(line_index, marker)
    return line_index + 1


def render_dropin(variable, tokens):
    """Content of the collection's grub.d drop-in: one line that appends ``tokens``.

    ``${VAR:+$VAR }`` adds the separating space only when the variable already holds something,
    so an unset or empty variable does not gain a leading space."""
    return "%s%s=\"${%s:+$%s }%s\"\n" % (
        DROPIN_HEADER.format(variable=variable), variable, variable, variable, " ".join(tokens))


def parse_dropin(text):
    """``(variable, tokens)`` of a drop-in written by :func:`render_dropin`, or None."""
    for line in text.splitlines():
        match = _DROPIN_LINE.match(line)
        if match:
            return match.group("var"), split_cmdline(match.group("args"))
    return None
