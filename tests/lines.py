# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ansible-core lines the collection claims (meta/runtime.yml ``requires_ansible``), each in a
virtual environment of its own under .venv-lines/<line>, on a controller Python that line supports.

    python tests/lines.py setup      create or update every line's environment; name the missing ones

The pins are tests/lines/<line>.txt (the line's latest patch). A line whose Python cannot be had on
this machine is reported by name and skipped, never counted as passed.
"""

import hashlib
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PINS = os.path.join(REPO, "tests", "lines")
VENVS = os.path.join(REPO, ".venv-lines")

# Controller Pythons each line supports, newest first (ansible-core's support matrix). The newest
# one found is used: it is the one users of that line get from a current distribution.
LINES = (
    ("2.16", ("3.12", "3.11", "3.10")),
    ("2.17", ("3.12", "3.11", "3.10")),
    ("2.18", ("3.13", "3.12", "3.11")),
    ("2.19", ("3.13", "3.12", "3.11")),
    ("2.20", ("3.14", "3.13", "3.12")),
    ("2.21", ("3.14", "3.13", "3.12")),
)
OLDEST = LINES[0][0]


def find_python(versions):
    """The path of the newest of ``versions`` this machine has (tests/tools/pythons.sh), or None."""
    script = '. "$1"; shift; find_python "$@"'
    process = subprocess.run(["bash", "-c", script, "bash", os.path.join(REPO, "tests", "tools", "pythons.sh")]
                             + list(versions), stdout=subprocess.PIPE, universal_newlines=True, check=False)
    return process.stdout.strip() or None


def pins(line):
    return os.path.join(PINS, line + ".txt")


def _stamp(python, line):
    with open(pins(line), "rb") as handle:
        return hashlib.sha256(python.encode() + b"\0" + handle.read()).hexdigest()


def ensure(line, versions, log=print):
    """The bin directory of ``line``'s environment, created or rebuilt when its Python or pins
    changed; None when no Python of ``versions`` can be had (the reason is logged)."""
    python = find_python(versions)
    if python is None:
        log("line %s: no Python %s on this machine: skipped" % (line, " or ".join(versions)))
        return None
    venv = os.path.join(VENVS, line)
    stamp_path = os.path.join(venv, ".pins.sha256")
    want = _stamp(python, line)
    current = open(stamp_path).read() if os.path.exists(stamp_path) else None
    if current != want:
        log("line %s: creating %s with %s" % (line, os.path.relpath(venv, REPO), python))
        subprocess.check_call(["rm", "-rf", venv])
        subprocess.check_call([python, "-m", "venv", venv])
        subprocess.check_call([os.path.join(venv, "bin", "pip"), "install", "-q", "--disable-pip-version-check",
                               "-r", pins(line)])
        with open(stamp_path, "w") as handle:
            handle.write(want)
    # Each line's ansible-test pins its own pip, whose bootstrap script it cannot download here.
    subprocess.check_call([os.path.join(venv, "bin", "python"), os.path.join(REPO, "tests", "tools", "pip_standin.py"),
                           venv])
    return os.path.join(venv, "bin")


def setup():
    missing = [line for line, versions in LINES if ensure(line, versions) is None]
    if missing:
        print("lines without a Python on this machine (skipped by make test): %s" % ", ".join(missing))


if __name__ == "__main__":
    if sys.argv[1:] != ["setup"]:
        sys.exit(__doc__)
    setup()
