# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kernel command-line tokens: splitting, whole-token comparison and input validation.

The one home of the rules for ``name`` / ``name=value`` tokens, used by the modules on the target
and by the filters that validate role input on the controller. Generic: what a particular driver
calls a non-parameter comes in as ``not_parameters`` (``{name: message}``) from its caller.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Characters that would change meaning on their way through /etc/default/grub (a shell file),
# grub.cfg, modprobe.d (``#`` starts a comment even inline) or the kernel's own quoting.
FORBIDDEN_CHARACTERS = {
    " ": "a space",
    "\t": "a tab",
    "\n": "a newline",
    "\r": "a carriage return",
    '"': "a double quote",
    "'": "a single quote",
    "`": "a backtick",
    "$": "a dollar sign",
    ";": "a semicolon",
    "#": "a hash sign",
    "\\": "a backslash",
}

# Kernel parameter names (core_param, __setup, module.param): letters, digits, '_', '-', '.'.
_ARG_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
# Module option names are C identifiers; the kernel treats '-' as '_' in them.
_OPTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


def split_cmdline(text):
    """Split a kernel command line as the kernel does: whitespace separates tokens except
    inside double quotes, which stay part of the token (``acpi_osi="!Windows 2012"``)."""
    tokens = []
    current = []
    in_quotes = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
            current.append(char)
        elif char.isspace() and not in_quotes:
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        tokens.append("".join(current))
    return tokens


def token_name(token):
    """``name`` of ``name=value`` (or of a bare flag)."""
    return token.split("=", 1)[0]


def token_value(token):
    """``value`` of ``name=value``; None for a bare flag such as ``quiet``."""
    parts = token.split("=", 1)
    return parts[1] if len(parts) == 2 else None


def effective_token(tokens, name):
    """The token that decides ``name``: a repeated ``name=`` keeps the last value."""
    found = None
    for token in tokens:
        if token_name(token) == name:
            found = token
    return found


def is_in_effect(tokens, token):
    """True when ``token`` is what the command line ``tokens`` ends up meaning for its name.

    Whole tokens only: ``iommu=pt`` is not found in ``iommu=pt2``, and an earlier ``iommu=pt``
    followed by ``iommu=soft`` is not in effect."""
    return effective_token(tokens, token_name(token)) == token


def merge_tokens(current, wanted):
    """Put each wanted token into ``current``.

    A name already present with another value is replaced in place (its last occurrence: the one
    that decides); a token already in effect stays; a new one is appended. Returns
    ``(tokens, added, replaced)`` where ``replaced`` maps each new token to the one it displaced,
    so that the change can be undone exactly."""
    tokens = list(current)
    added = []
    replaced = {}
    for token in wanted:
        if is_in_effect(tokens, token):
            continue
        name = token_name(token)
        positions = [i for i, existing in enumerate(tokens) if token_name(existing) == name]
        if positions:
            replaced[token] = tokens[positions[-1]]
            tokens[positions[-1]] = token
        else:
            tokens.append(token)
            added.append(token)
    return tokens, added, replaced


def not_in_effect(tokens, wanted):
    """The ``wanted`` tokens that the command line ``tokens`` does not end up meaning (all of them
    when the command line is unknown, None)."""
    return [token for token in wanted if tokens is None or not is_in_effect(tokens, token)]


def differences(running, next_boot, tokens):
    """One sentence per token of ``tokens`` whose state differs between the ``running`` command line
    and the ``next_boot`` one - the reasons to reboot; [] when the running one is unknown (None)."""
    if running is None:
        return []
    return ["%s is %s the next boot's command line but %s the running one"
            % (token, "on" if is_in_effect(next_boot, token) else "off",
               "not on" if not is_in_effect(running, token) else "on")
            for token in tokens if is_in_effect(running, token) != is_in_effect(next_boot, token)]


def unmerge_tokens(current, added, replaced):
    """Undo :func:`merge_tokens`: drop what was added, put back what was replaced - one copy each.

    A copy the user put there by hand later stays. An added token's name was absent when it was
    appended, so the collection's copy is the first one; a replaced token took the place of the
    name's last occurrence, so that is the one put back."""
    tokens = list(current)
    for token in added:
        if token in tokens:
            del tokens[tokens.index(token)]
    for new, old in replaced.items():
        positions = [i for i, token in enumerate(tokens) if token == new]
        if positions:
            tokens[positions[-1]] = old
    return tokens


def _character_problem(text):
    for char, description in FORBIDDEN_CHARACTERS.items():
        if char in text:
            return "contains %s" % description
    return None


def _scalar_problem(value):
    """Why a YAML value cannot stand for a kernel value, or None."""
    if value is None:
        return "is a YAML null (empty value); give the value as text, e.g. '0'"
    if isinstance(value, bool):
        return (
            "is a YAML boolean (%s); kernel values are text: write '1'/'0' (or 'Y'/'N' for a "
            "bool parameter) and quote it" % str(value).lower()
        )
    if isinstance(value, float):
        return "is a YAML float (%r); kernel values are integers or text: quote it" % value
    if not isinstance(value, (str, int)):
        return "is a %s; give a single value as text" % type(value).__name__
    return None


def kernel_arg_problems(args, source="kernel arguments", not_parameters=None):
    """Messages for every unusable item of a list of ``name`` / ``name=value`` tokens.

    Each message names the item (``source[index]``) and says how to fix it. Checks: type,
    forbidden characters, name shape, names in ``not_parameters`` (``{"module.name": message}``),
    and the same name given twice."""
    if not isinstance(args, (list, tuple)):
        return ["%s must be a list of 'name' or 'name=value' strings, got %s"
                % (source, type(args).__name__)]
    problems = []
    seen = {}
    for index, item in enumerate(args):
        where = "%s[%d]" % (source, index)
        scalar = _scalar_problem(item)
        if scalar is None and not isinstance(item, str):
            scalar = "is a number (%r); write it as 'name=value'" % item
        if scalar:
            problems.append("%s %s" % (where, scalar))
            continue
        problem = token_problem(item, not_parameters)
        if problem:
            problems.append("%s %r %s" % (where, item, problem))
            continue
        name = token_name(item)
        if name in seen:
            problems.append(
                "%s %r: the name %r is already given by %s[%d] (%r); give each name once"
                % (where, item, name, source, seen[name][0], seen[name][1])
            )
        else:
            seen[name] = (index, item)
    return problems


def token_problem(token, not_parameters=None):
    """Why a single kernel argument cannot be written, or None."""
    if token == "":
        return "is empty"
    chars = _character_problem(token)
    if chars:
        return "%s, which would change its meaning in /etc/default/grub or grub.cfg" % chars
    name = token_name(token)
    if not _ARG_NAME.match(name):
        return "has an invalid name %r (letters, digits, '_', '-' and '.' only)" % name
    if name in (not_parameters or {}):
        return not_parameters[name]
    if token_value(token) == "":
        return "has an empty value after '='; drop the '=' for a flag or give a value"
    return None


def module_option_problems(options, module="amdgpu", source="amdgpu_options", not_parameters=None):
    """Messages for every unusable entry of a ``{option: value}`` dict of module options;
    ``not_parameters``: ``{"module.name": message}`` for names the module does not have."""
    if not isinstance(options, dict):
        return ["%s must be a mapping of option name to value, got %s"
                % (source, type(options).__name__)]
    problems = []
    for name, value in options.items():
        where = "%s.%s" % (source, name)
        if not isinstance(name, str) or not _OPTION_NAME.match(name):
            if isinstance(name, str) and name.startswith(module + "."):
                problems.append("%s: give the option without the '%s.' prefix (%r)"
                                % (where, module, name[len(module) + 1:]))
            else:
                problems.append("%s: %r is not a module option name (a C identifier)" % (where, name))
            continue
        if "%s.%s" % (module, name) in (not_parameters or {}):
            problems.append("%s: %s" % (where, not_parameters["%s.%s" % (module, name)]))
            continue
        scalar = _scalar_problem(value)
        if scalar:
            problems.append("%s %s" % (where, scalar))
            continue
        text = str(value)
        if text == "":
            problems.append("%s is empty; give a value" % where)
            continue
        chars = _character_problem(text)
        if chars:
            problems.append("%s value %r %s, which modprobe.d or the kernel would misread"
                            % (where, text, chars))
    return problems


def option_tokens(options, module="amdgpu"):
    """``{name: value}`` as command-line tokens ``module.name=value``, in the given order."""
    return ["%s.%s=%s" % (module, name, value) for name, value in options.items()]
