# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""List the kernel-log format strings of the hang path of one kernel tree.

    python tools/extract_log_formats.py TREE NAME
    python tools/extract_log_formats.py --readme     print README's table of what the scanner recognises

Writes tests/fixtures/kernel/NAME/log-formats.tsv: one row per printing call in the files of
``FILES`` - file, function, printing macro, format string (adjacent literals joined, escapes as in
the source). The log scanner's message data (plugins/module_utils/amdgpu_log_data.py) names, for
each message form, the format string and the kernel lines it is printed by; a unit test holds the
data against these listings, so that a form the data claims for a line is printed by that line's
source and a form it denies is not.

The tree is an unpacked Debian ``linux-source-<line>`` (``/usr/src/linux-source-<line>.tar.xz``
from deb.debian.org's pool: ``tar -xJf ... --wildcards 'linux-source-*/drivers/gpu/drm/amd/*'
'linux-source-*/drivers/gpu/drm/drm_drv.c' 'linux-source-*/Makefile'``).
"""

import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPO, "tests", "fixtures", "kernel")

# The hang path: job timeouts and ring resets, the full reset, MES, VM faults of each GFX generation,
# KFD's queue handling, the DRM core's wedged event, and the SMU's resets.
FILES = (
    "drivers/gpu/drm/amd/amdgpu/amdgpu_job.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu_device.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu_reset.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu_ring.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu_fence.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu_cs.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu_mes.c",
    "drivers/gpu/drm/amd/amdgpu/mes_v11_0.c",
    "drivers/gpu/drm/amd/amdgpu/mes_v12_0.c",
    "drivers/gpu/drm/amd/amdgpu/mes_userqueue.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu_userq.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu_vm.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu_gmc.c",
    "drivers/gpu/drm/amd/amdgpu/gmc_v9_0.c",
    "drivers/gpu/drm/amd/amdgpu/gmc_v10_0.c",
    "drivers/gpu/drm/amd/amdgpu/gmc_v11_0.c",
    "drivers/gpu/drm/amd/amdgpu/gmc_v12_0.c",
    "drivers/gpu/drm/amd/amdgpu/gfxhub_v3_0.c",
    "drivers/gpu/drm/amd/amdgpu/gfxhub_v11_5_0.c",
    "drivers/gpu/drm/amd/amdgpu/gfxhub_v12_0.c",
    "drivers/gpu/drm/amd/amdgpu/gfxhub_v2_0.c",
    "drivers/gpu/drm/amd/amdgpu/gfxhub_v2_1.c",
    "drivers/gpu/drm/amd/amdgpu/gfxhub_v3_0_3.c",
    "drivers/gpu/drm/amd/amdgpu/mmhub_v2_0.c",
    "drivers/gpu/drm/amd/amdgpu/mmhub_v2_3.c",
    "drivers/gpu/drm/amd/amdgpu/mmhub_v3_0.c",
    "drivers/gpu/drm/amd/amdgpu/mmhub_v3_0_1.c",
    "drivers/gpu/drm/amd/amdgpu/mmhub_v3_0_2.c",
    "drivers/gpu/drm/amd/amdgpu/mmhub_v3_3.c",
    "drivers/gpu/drm/amd/amdgpu/mmhub_v4_1_0.c",
    "drivers/gpu/drm/amd/amdgpu/gfx_v10_0.c",
    "drivers/gpu/drm/amd/amdgpu/nv.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu.h",
    "drivers/gpu/drm/amd/amdgpu/gfx_v11_0.c",
    "drivers/gpu/drm/amd/amdgpu/gfx_v12_0.c",
    "drivers/gpu/drm/amd/amdgpu/soc21.c",
    "drivers/gpu/drm/amd/amdgpu/soc24.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu_psp.c",
    "drivers/gpu/drm/amd/amdkfd/kfd_device_queue_manager.c",
    "drivers/gpu/drm/amd/pm/swsmu/amdgpu_smu.c",
    "drivers/gpu/drm/amd/pm/swsmu/smu_cmn.c",
    "drivers/gpu/drm/amd/pm/swsmu/smu13/smu_v13_0.c",
    "drivers/gpu/drm/amd/pm/swsmu/smu13/smu_v13_0_0_ppt.c",
    "drivers/gpu/drm/amd/pm/swsmu/smu13/smu_v13_0_7_ppt.c",
    "drivers/gpu/drm/amd/pm/swsmu/smu14/smu_v14_0.c",
    "drivers/gpu/drm/amd/pm/swsmu/smu14/smu_v14_0_2_ppt.c",
    "drivers/gpu/drm/drm_drv.c",
)
# Every way these files print to the kernel log; the first argument of the device-bound ones is the
# device, not the format.
MACROS = r"(?:dev|drm|pr|DRM|DRM_DEV)_(?:err|warn|info|notice|dbg|ERROR|WARN|INFO|DEBUG|NOTE)" \
         r"(?:_once|_ratelimited|_ONCE|_RATELIMITED)?|printk"
_CALL = re.compile(r"\b(%s)\s*\(" % MACROS)
# A definition's first line at column 0: "static int name(" or, with the type on the line before, "name(".
_FUNCTION = re.compile(r"^(?:[A-Za-z_][\w\s\*]*?[\s\*])?(\w+)\s*\([^;]*$")
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _arguments_text(source, start):
    """The text from ``start`` (after the opening parenthesis) to the matching close."""
    depth, index, quoted = 1, start, False
    while index < len(source) and depth:
        char = source[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        index += 1
    return source[start:index - 1]


def _format_string(arguments, device_first):
    """The joined string literals of the format argument, or None when it is not a literal."""
    if device_first:
        depth, cut = 0, None
        for index, char in enumerate(arguments):
            if char in "([":
                depth += 1
            elif char in ")]":
                depth -= 1
            elif char == "," and depth == 0:
                cut = index + 1
                break
        if cut is None:
            return None
        arguments = arguments[cut:]
    arguments = arguments.lstrip()
    if arguments.startswith("KERN_"):
        arguments = arguments.split(None, 1)[1] if " " in arguments else ""
    pieces = []
    position = 0
    while True:
        match = _LITERAL.match(arguments, position)
        if not match:
            break
        pieces.append(match.group(1))
        position = match.end()
        while position < len(arguments) and arguments[position] in " \t\n":
            position += 1
    return "".join(pieces) if pieces else None


def _functions(source):
    """Offset -> name of the function whose body starts there, in order."""
    starts = []
    offset = 0
    for line in source.splitlines(True):
        match = _FUNCTION.match(line)
        if match and not line.startswith((" ", "\t", "#")):
            starts.append((offset, match.group(1)))
        offset += len(line)
    return starts


def formats_of(path, relative):
    with open(path, errors="replace") as handle:
        source = handle.read()
    starts = _functions(source)
    rows = []
    for match in _CALL.finditer(source):
        macro = match.group(1)
        device_first = macro.startswith(("dev_", "drm_", "DRM_DEV_"))
        text = _format_string(_arguments_text(source, match.end()), device_first)
        if text is None or macro.lower().endswith(("dbg", "debug")):
            continue
        function = "-"
        for offset, name in starts:
            if offset > match.start():
                break
            function = name
        rows.append((relative, function, macro, text.replace("\t", "\\t")))
    return rows


def extract(tree, name):
    release = _release(tree)
    rows = []
    for relative in FILES:
        path = os.path.join(tree, relative)
        if os.path.isfile(path):
            rows.extend(formats_of(path, relative))
    directory = os.path.join(FIXTURES, name)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "log-formats.tsv"), "w") as out:
        out.write("# Log format strings of Linux %s (Debian linux-source-%s), written by "
                  "tools/extract_log_formats.py; the kernel source is GPL-2.0 / MIT.\n" % (release, name))
        out.write("# file\tfunction\tmacro\tformat\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    return len(rows)


def _release(tree):
    """``VERSION.PATCHLEVEL.SUBLEVEL`` from the tree's Makefile (Debian's changelog is not in it)."""
    values = {}
    with open(os.path.join(tree, "Makefile")) as handle:
        for line in handle:
            match = re.match(r"^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION) = ?(\S*)", line)
            if match:
                values[match.group(1)] = match.group(2)
            if len(values) == 4:
                break
    return "%s.%s.%s%s" % (values["VERSION"], values["PATCHLEVEL"], values["SUBLEVEL"], values.get("EXTRAVERSION", ""))


def read_listing(name):
    """The rows of one kernel line's listing: (file, function, macro, format)."""
    rows = []
    with open(os.path.join(FIXTURES, name, "log-formats.tsv")) as handle:
        for line in handle:
            if not line.startswith("#"):
                rows.append(tuple(line.rstrip("\n").split("\t")))
    return rows


def _data():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "amdgpu_log_data", os.path.join(REPO, "plugins", "module_utils", "amdgpu_log_data.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _between(forms):
    """What the kernels that were not read (6.13 to 7.1) print, as far as the data knows."""
    sinces = sorted({f.since for f in forms if f.since and f.since[0] in "67" and f.since not in ("all",)})
    printed = {line for f in forms for line in f.lines}
    if sinces and "6.12" in printed and "7.2" in printed:
        return "yes; a form new in " + ", ".join(sinces)
    if sinces:
        return "from " + ", ".join(sinces)
    if "6.12" in printed and "7.2" in printed:
        return "yes"
    if "7.2" in printed:
        return "appears 6.13-7.2"
    if "6.12" in printed:
        return "gone by 7.2"
    return "-"


def readme_table():
    """The README's table: per message kind, its formats and the kernel ranges that print them."""
    data = _data()
    rows = ["| kind | format strings (source) | 6.1 | 6.12 | 6.13-7.1 | 7.2 | 7.3 |",
            "|---|---|---|---|---|---|---|"]
    for message in data.MESSAGES:
        files = {}
        for f in message.forms:
            text = "`%s`" % f.format.replace("\\t", "").strip().replace("|", "\\|")
            names = files.setdefault(text, [])
            if f.file.split("/")[-1] not in names:
                names.append(f.file.split("/")[-1])
        formats = ["%s (%s)" % (text, ", ".join(names) if len(names) <= 2 else "%d files" % len(names))
                   for text, names in files.items()]
        shown = " · ".join(formats[:3]) + (" · %d more" % (len(formats) - 3) if len(formats) > 3 else "")
        printed = {line for f in message.forms for line in f.lines}
        cells = ["yes" if line in printed else "-" for line in data.LINES_READ]
        rows.append("| `%s` | %s | %s | %s | %s | %s | %s |" % (
            message.kind, shown, cells[0], cells[1], _between(message.forms), cells[2], cells[3]))
    return "\n".join(rows) + "\n"


def main(argv):
    if argv[1:] == ["--readme"]:
        sys.stdout.write(readme_table())
        return 0
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    count = extract(argv[1], argv[2])
    print("%d format strings -> tests/fixtures/kernel/%s/log-formats.tsv" % (count, argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
