# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settings merged into JSON documents that other programs own (browser policies, Electron apps'
settings): parse (optionally with comments, as VS Code writes them), merge, take back out."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

# A string, a // comment or a /* */ comment; strings are matched first so that "//" inside one stays.
_TOKENS = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMA = re.compile(r'("(?:\\.|[^"\\])*")|,(\s*[}\]])', re.S)


class SettingsError(ValueError):
    pass


def strip_comments(text):
    """JSON with comments and trailing commas (VS Code's argv.json) -> JSON."""
    without = _TOKENS.sub(lambda match: match.group(0) if match.group(0).startswith('"') else "", text)
    return _TRAILING_COMMA.sub(lambda match: match.group(1) or match.group(2), without)


def loads(text, comments=False):
    """The document in ``text``; an empty file is an empty document. Raises SettingsError."""
    if comments:
        text = strip_comments(text)
    if not text.strip():
        return {}
    try:
        document = json.loads(text)
    except ValueError as error:
        raise SettingsError("not valid JSON (%s)" % error)
    if not isinstance(document, dict):
        raise SettingsError("holds a JSON %s, not an object" % type(document).__name__)
    return document


def dumps(document):
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def merged(document, settings):
    """``document`` with ``settings`` merged in; nested objects merge, everything else is replaced."""
    result = dict(document)
    for key, value in settings.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def unmerged(document, settings):
    """``document`` without the settings it still holds with the same value (a value somebody changed
    since stays); objects emptied by the removal go too."""
    result = dict(document)
    for key, value in settings.items():
        if key not in result:
            continue
        if isinstance(value, dict) and isinstance(result[key], dict):
            inner = unmerged(result[key], value)
            if inner or not result[key]:
                result[key] = inner
            else:
                del result[key]
        elif result[key] == value:
            del result[key]
    return result


def holds(document, settings):
    """Whether every setting is in ``document`` with its value."""
    return merged(document, settings) == document


def plan(before, settings, state, remove_if_empty=False):
    """``(after, rewrite)`` for a document ``before`` (None: no file) and ``settings``.

    ``after`` None means no file afterwards. ``present`` merges; ``absent`` takes the settings back
    out, and with ``remove_if_empty`` removes the file only when taking them out emptied it: a file
    that was empty already never held them, and it is not ours to remove."""
    if state == "present":
        after = merged(before or {}, settings)
        return after, before is None or not holds(before, settings)
    if before is None:
        return None, False
    after = unmerged(before, settings)
    if remove_if_empty and not after and after != before:
        return None, True
    return after, after != before
