# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the next load of a module will be given: modprobe.d as kmod reads it, then the command line;
and the text of a modprobe.d file that gives options.

kmod (libkmod-config.c) reads *.conf files from these directories; a file shadows every later
file of the same basename, and all files are parsed in basename order. Options of a module are
appended in that order, then ``module.name=value`` from the kernel command line, and the kernel
applies them left to right: the last one wins.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import textwrap

from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import split_cmdline
from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import under

MODPROBE_DIRS = ("/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
                 "/usr/lib/modprobe.d", "/lib/modprobe.d")


def _normalise(name):
    # The kernel and kmod treat '-' and '_' in module and parameter names as the same.
    return name.replace("-", "_")


def config_files(root="/"):
    """``[(basename, path)]`` in the order kmod parses them, shadowed files left out."""
    chosen = {}
    for directory in MODPROBE_DIRS:
        full = under(root, directory)
        if not os.path.isdir(full):
            continue
        for name in os.listdir(full):
            if name.endswith(".conf") and name not in chosen:
                path = os.path.join(full, name)
                if os.path.isfile(path):
                    chosen[name] = (directory + "/" + name, path)
    return [(name, chosen[name][0], chosen[name][1]) for name in sorted(chosen)]


def _logical_lines(text):
    """Lines with backslash-newline continuations joined, as kmod reads them."""
    pending = ""
    for line in text.splitlines():
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        yield pending + line
        pending = ""
    if pending:
        yield pending


def lines_naming(text, module):
    """The lines of ``modprobe -c`` output that name ``module`` outside a comment (options, blacklist,
    install, softdep, alias)."""
    return [line for line in text.splitlines() if module in line.split("#", 1)[0]]


def _unquoted(value):
    """A value as kmod passes it on: the double quotes around it (``"a b"``) are not part of it."""
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        return value[1:-1]
    return value


def _option_pairs(words):
    for word in words:
        name, sep, value = word.partition("=")
        yield _normalise(name), (_unquoted(value) if sep else None)


def modprobe_options(module, root="/"):
    """``[(param, value, source)]`` for ``module`` from modprobe.d, in kmod's order."""
    module = _normalise(module)
    found = []
    for _name, shown, path in config_files(root):
        with open(path) as handle:
            text = handle.read()
        for number, line in enumerate(_logical_lines(text), 1):
            words = split_cmdline(line)
            # Only a line that starts with '#' is a comment; an inline '#' is part of an option.
            if len(words) < 3 or words[0] != "options" or _normalise(words[1]) != module:
                continue
            for param, value in _option_pairs(words[2:]):
                found.append((param, value, "%s:%d" % (shown, number)))
    return found


def cmdline_options(module, tokens, source):
    """``[(param, value, source)]`` from ``module.param=value`` command-line tokens."""
    module = _normalise(module)
    found = []
    for token in tokens:
        name, sep, value = token.partition("=")
        prefix, dot, param = name.partition(".")
        if dot and _normalise(prefix) == module:
            found.append((_normalise(param), _unquoted(value) if sep else None, source))
    return found


def configured(module, root, next_boot_tokens, next_boot_source):
    """``{param: (value, source)}``: what the next load gets, the last setting of each winning."""
    result = {}
    for param, value, source in modprobe_options(module, root) + cmdline_options(module, next_boot_tokens, next_boot_source):
        result[param] = (value, source)
    return result


def comment(text, width=96):
    """``text`` as comment lines of at most ``width`` columns (a longer word stays whole)."""
    # As Jinja's wordwrap: each line of the text wrapped on its own.
    paragraphs = ["\n".join(textwrap.wrap(line, width=width, expand_tabs=False, replace_whitespace=False,
                                          break_long_words=False))
                  for line in text.splitlines()]
    return ["# " + line for line in "\n".join(paragraphs).split("\n")]


def render(module, options, reasons, header):
    """A modprobe.d file: the ``header`` lines, then per option its reason as comments and
    ``options <module> name=value``. One option per line and comments on lines of their own:
    modprobe reads an inline '#' as part of the value."""
    lines = list(header)
    for name, value in options.items():
        lines.append("")
        lines.extend(comment(reasons.get(name) or ""))
        lines.append("options %s %s=%s" % (module, name, value))
    return "\n".join(lines) + "\n"
