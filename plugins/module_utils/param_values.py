# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kernel module parameter values: parsed exactly as the kernel's param_set_* functions parse them,
and printed as /sys/module/<m>/parameters shows them.

A value the kernel cannot parse makes a modular amdgpu refuse to load ("`VAL' invalid for parameter
`NAME'"), so parsing here errs on the side of the kernel: what it rejects is rejected.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Integer types: (minimum, maximum, signed).
_INTEGER_RANGES = {
    "byte": (0, 0xFF, False),
    "short": (-0x8000, 0x7FFF, True),
    "ushort": (0, 0xFFFF, False),
    "int": (-0x80000000, 0x7FFFFFFF, True),
    "uint": (0, 0xFFFFFFFF, False),
    "hexint": (0, 0xFFFFFFFF, False),
    "long": (-0x8000000000000000, 0x7FFFFFFFFFFFFFFF, True),
    "ulong": (0, 0xFFFFFFFFFFFFFFFF, False),
    "ullong": (0, 0xFFFFFFFFFFFFFFFF, False),
}
# kstrtobool: the first character decides, "on"/"off" need the second.
_TRUE_FIRST = "yYtTeE1"
_FALSE_FIRST = "nNfFdD0"
CHARP_MAX = 1024      # param_set_charp: longer values are refused (-ENOSPC)
STRING_MAX = 255      # kparam_string of lockup_timeout: a 256-byte buffer, NUL included
_NUMBER = re.compile(r"^(?P<sign>[+-]?)(?P<digits>0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$")


class InvalidValue(ValueError):
    """The kernel would refuse the value; the message says why."""


def _kstrto(text, signed):
    """kstrto{int,uint,ull} with base 0: 0x… hex, 0… octal, else decimal; one trailing newline."""
    text = text[:-1] if text.endswith("\n") else text
    match = _NUMBER.match(text)
    if not match:
        if re.match(r"^[+-]?0[0-7]*[89]", text):
            raise InvalidValue("%r starts with 0, so the kernel reads it as octal, where 8 and 9 are not digits" % text)
        raise InvalidValue("%r is not an integer (decimal, 0x hexadecimal or 0 octal)" % text)
    if match.group("sign") == "-" and not signed:
        raise InvalidValue("%r is negative; the parameter is unsigned" % text)
    digits = match.group("digits")
    if digits[:2].lower() == "0x":
        value = int(digits[2:], 16)
    elif len(digits) > 1 and digits.startswith("0"):
        value = int(digits[1:], 8)
    else:
        value = int(digits)
    return -value if match.group("sign") == "-" else value


def parse(ptype, value):
    """The value the kernel stores for ``value`` given to a parameter of ``ptype``.

    Integers come back as int, bool/bint as bool, charp/string as str. Raises InvalidValue."""
    text = _as_text(value)
    if ptype in _INTEGER_RANGES:
        low, high, signed = _INTEGER_RANGES[ptype]
        number = _kstrto(text, signed)
        if not low <= number <= high:
            raise InvalidValue("%r is out of range for %s (%d to %d)" % (text, ptype, low, high))
        return number
    if ptype in ("bool", "bint", "invbool"):
        return _parse_bool(text, ptype)
    if ptype == "charp":
        if len(text) > CHARP_MAX:
            raise InvalidValue("the value is %d characters; charp takes at most %d" % (len(text), CHARP_MAX))
        return text
    if ptype == "string":
        if len(text) > STRING_MAX:
            raise InvalidValue("the value is %d characters; this string takes at most %d" % (len(text), STRING_MAX))
        return text
    raise InvalidValue("parameter type %r is not one this collection knows how to check" % ptype)


def lockup_timeouts(text):
    """The per-queue values (ms) of a lockup_timeout string, as amdgpu_device_get_job_timeout_settings()
    reads it: comma-separated, each kstrtol base 0, reading stops at an empty element; 0 keeps the
    default, a negative value disables the timeout. Raises InvalidValue where the driver fails."""
    values = []
    for part in text.split(","):
        if not part:
            break
        try:
            values.append(_kstrto(part, True))
        except InvalidValue as error:
            raise InvalidValue("%s: amdgpu then fails to initialise the GPU ('invalid lockup_timeout parameter "
                               "syntax') and the GPU has no driver" % error)
    return values


def _as_text(value):
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value)


def _parse_bool(text, ptype):
    if text == "":
        # param_set_bool treats a missing value as true; "name=" is not missing, it is empty.
        raise InvalidValue("an empty value is not a boolean (use Y or N)")
    first, second = text[0], text[1:2]
    if first in _TRUE_FIRST:
        result = True
    elif first in _FALSE_FIRST:
        result = False
    elif first in "oO" and second in ("n", "N"):
        result = True
    elif first in "oO" and second in ("f", "F"):
        result = False
    else:
        hint = " (bint parameters are booleans: -1 is refused)" if ptype == "bint" else ""
        raise InvalidValue("%r is not a boolean: use Y/N, 1/0 or on/off%s" % (text, hint))
    return not result if ptype == "invbool" else result


def sysfs_form(ptype, parsed):
    """How /sys/module/<m>/parameters/<name> prints the stored value."""
    if ptype == "hexint":
        return "0x%06x" % parsed if parsed else "0x000000"
    if ptype in ("bool", "invbool"):
        return "Y" if parsed else "N"
    if ptype == "bint":
        return "1" if parsed else "0"
    if isinstance(parsed, int):
        return "%d" % parsed
    return parsed


def parse_sysfs(ptype, text):
    """The stored value from what sysfs printed (``(null)`` is an unset charp)."""
    text = text.rstrip("\n")
    if ptype == "charp" and text == "(null)":
        return None
    if ptype in ("bool", "invbool"):
        return text == "Y"
    return parse("int" if ptype == "bint" else ptype, text)


def octal_trap(ptype, value):
    """A note when a value that looks decimal is read as octal (``010`` is 8)."""
    text = _as_text(value)
    if ptype in _INTEGER_RANGES and re.match(r"^[+-]?0[0-7]+$", text):
        return ("%s starts with 0, so the kernel reads it as octal: %s means %d. Write %d, or 0x%x, "
                "if that is what you mean" % (text, text, parse(ptype, text), parse(ptype, text), abs(parse(ptype, text))))
    return None
