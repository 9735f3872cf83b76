# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The message data against the kernel sources it names, and every form through the scanner."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import os
import re

import pytest

from ansible_collections.amdgpu.stability.plugins.module_utils import amdgpu_log, amdgpu_log_data as data

REPO = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
_SPEC = importlib.util.spec_from_file_location("extract_log_formats", os.path.join(REPO, "tools", "extract_log_formats.py"))
extract_log_formats = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(extract_log_formats)

# The kernel's own printf conversions, as Python's % knows them: length modifiers go, %u is %d.
_CONVERSION = re.compile(r"%([-+ #0]*\d*)(?:hh|h|ll|l|z)?([diuxXsp])")
DEVICE = "0000:03:00.0"


def python_format(text):
    text = text.replace("\\t", "\t").replace("\\n", "")
    return _CONVERSION.sub(lambda match: "%" + match.group(1) + ("d" if match.group(2) in "iu" else
                                                                 "s" if match.group(2) == "p" else match.group(2)),
                           text)


def render(form_, values=None):
    text = python_format(form_.format)
    values = form_.args if values is None else values
    count = len(_CONVERSION.findall(form_.format))
    if not form_.args and count:
        values = tuple("x" if conversion == "s" else 1 for _flags, conversion in _CONVERSION.findall(form_.format))
    return text % tuple(values)


def prefixed(message, line, macro, function):
    """The line as the kernel of ``line`` prints it with ``macro`` (before any log shape's prefix)."""
    if macro.startswith("DRM_ERROR"):
        return "[drm:%s [amdgpu]] *ERROR* %s" % (function, message)
    if macro.startswith(("DRM_INFO", "DRM_WARN")):
        return "[drm] %s" % message
    if macro.startswith("drm_err"):
        return "amdgpu %s: [drm] *ERROR* %s" % (DEVICE, message)
    if macro.startswith(("drm_info", "drm_warn")):
        return "amdgpu %s: [drm] %s" % (DEVICE, message)
    if macro.startswith("pr_"):
        return "amdgpu: %s" % message
    # dev_*: up to 6.18 with the driver's own "amdgpu: " after the device (domain facts, section 6).
    return "amdgpu %s: %s%s" % (DEVICE, "amdgpu: " if line in ("6.1", "6.12") else "", message)


LISTINGS = {line: extract_log_formats.read_listing(line) for line in data.LINES_READ}


def _norm(text):
    return text[:-2] if text.endswith("\\n") else text


def _macros(line, form_):
    return [row[2] for row in LISTINGS[line]
            if row[0] == "drivers/gpu/drm/" + form_.file and row[1] == form_.function and _norm(row[3]) == form_.format]


FORMS = [(message.kind, form_) for message in data.MESSAGES for form_ in message.forms]


def _claims():
    """(file, function, format) -> the lines the data says print it (forms may share a format)."""
    claims = {}
    for _kind, form_ in FORMS:
        if not form_.file.startswith("../"):
            claims.setdefault(("drivers/gpu/drm/" + form_.file, form_.function, form_.format), set()).update(form_.lines)
    return claims


@pytest.mark.parametrize("key,lines", sorted(_claims().items()), ids=lambda value: str(value)[:60])
def test_every_format_is_printed_by_exactly_the_lines_the_data_names(key, lines):
    for line in data.LINES_READ:
        printed = any(row[:2] == key[:2] and _norm(row[3]) == key[2] for row in LISTINGS[line])
        assert printed == (line in lines), "%s %r is %s in Linux %s" % (
            key[1], key[2], "absent" if line in lines else "present", line)


@pytest.mark.parametrize("kind,form_", FORMS, ids=["%s:%s:%s" % (kind, f.function, f.format[:30]) for kind, f in FORMS])
def test_a_form_not_read_in_every_line_says_where_it_comes_from(kind, form_):
    """A form that the lines read do not all print names its first release and the evidence, unless
    it is printed from the first line read on, or the gap before it is between two lines read."""
    if not form_.lines:
        assert form_.since and form_.evidence, kind
    if form_.since is not None:
        assert form_.evidence, kind


@pytest.mark.parametrize("kind,form_", FORMS, ids=["%s:%s:%s" % (kind, f.function, f.format[:30]) for kind, f in FORMS])
def test_every_form_renders_to_a_line_of_its_kind(kind, form_):
    lines = form_.lines or ("7.3",)
    for line in lines:
        macros = _macros(line, form_) or ["dev_err"]
        for macro in macros:
            raw = "[ 9531.004113] " + prefixed(render(form_), line, macro, form_.function)
            result = amdgpu_log.scan([raw])
            seen = amdgpu_log.Scanner()
            parsed = seen.reader.read(1, raw)
            assert amdgpu_log.classify(parsed.message)[0] == kind, (line, macro, raw)
            assert re.search(data.INTEREST, raw), raw
            assert "amdgpu" in raw or "drm" in raw, raw
            assert result["lines_scanned"] == 1


def _claimed(line):
    return {("drivers/gpu/drm/" + f.file, f.function, f.format) for _kind, f in FORMS if line in f.lines}


@pytest.mark.parametrize("line", data.LINES_READ)
def test_no_other_message_of_the_hang_path_opens_an_incident(line):
    """Every other format string of these files, rendered, is no incident: a boot stays quiet."""
    claimed = _claimed(line)
    log = []
    for number, (path, function, macro, text) in enumerate(LISTINGS[line]):
        if (path, function, _norm(text)) in claimed:
            continue
        fake = data.Form(path, function, _norm(text), (line,), (), None, None)
        try:
            message = render(fake)
        except (TypeError, ValueError):
            continue        # a format Python's % cannot take (%pM, %*ph, ...)
        log.append("[%6d.000000] %s" % (number, prefixed(message, line, macro, function)))
    result = amdgpu_log.scan(log)
    assert len(log) > 500
    assert result["incidents"] == [], [log[incident["first_line"] - 1] for incident in result["incidents"]]


def test_stages_are_the_hang_kinds():
    kinds = {message.kind for message in data.MESSAGES}
    assert set(data.STAGES) <= kinds
    assert len({message.kind for message in data.MESSAGES}) == len(data.MESSAGES)


def test_listings_name_the_release_they_were_read_from():
    for line in data.LINES_READ:
        path = os.path.join(REPO, "tests", "fixtures", "kernel", line, "log-formats.tsv")
        with open(path) as handle:
            assert re.match(r"# Log format strings of Linux %s[.-]" % re.escape(line), handle.readline())


def test_readme_table_is_the_data():
    with open(os.path.join(REPO, "README.md")) as handle:
        readme = handle.read()
    assert extract_log_formats.readme_table() in readme, "run: python tools/extract_log_formats.py --readme"
