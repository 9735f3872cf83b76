# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health program's code as one file: the collection's module_utils that the program imports,
byte for byte, in a zip that Python runs, with fixed timestamps so that the same code always gives
the same bytes (the role's copy is then idempotent, and one transfer, not twenty). Its first run
unpacks the code beside its bytecode (see MAIN)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import hashlib
import io
import os
import tempfile
import zipfile

PACKAGE = "ansible_collections/amdgpu/stability/plugins/module_utils"
PREFIX = "ansible_collections.amdgpu.stability.plugins.module_utils"
ENTRY_POINTS = ("stability_health", "stability_metrics")
# 1980-01-01, the earliest time a zip entry can carry: the archive depends on the code only.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# What `python3 <zip>` runs: the program, given the means to start journalctl. Python compiles every
# module it imports from a zip on every run (zipimport writes no bytecode) - more than half of a timer
# run that finds nothing new - so the first run unpacks the code once, with its bytecode compiled by
# the host's own Python, into CACHE/code-BUILD, and every run after imports from there. A cache that
# cannot be written, or that someone else could have written, is not used: the zip still runs.
MAIN = '''"""amdgpu-stability-health: the amdgpu.stability collection's module_utils, run as a program."""
import os
import signal
import sys

BUILD = "%s"
CACHE = os.environ.get("AMDGPU_STABILITY_CODE_CACHE", "/var/cache/amdgpu-stability")


def trusted(path):
    status = os.lstat(path)
    return status.st_uid in (0, os.getuid()) and not status.st_mode & 0o022


def unpack(zip_path, home):
    import compileall
    import shutil
    import tempfile
    import zipfile

    if not os.path.isdir(CACHE):
        os.makedirs(CACHE, 0o755)
    if not trusted(CACHE):
        return False
    work = tempfile.mkdtemp(prefix=".unpack-", dir=CACHE)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(work)
        if not compileall.compile_dir(work, quiet=2):
            return False
        os.chmod(work, 0o755)
        os.rename(work, home)
    except OSError:
        # Another run unpacked the same build first: use that one.
        return os.path.isdir(home)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name in os.listdir(CACHE):
        if name.startswith("code-") and name != os.path.basename(home):
            shutil.rmtree(os.path.join(CACHE, name), ignore_errors=True)
    return True


def code_home(zip_path):
    if not CACHE:
        return None
    home = os.path.join(CACHE, "code-" + BUILD)
    try:
        if os.path.isdir(home) or unpack(zip_path, home):
            return home if trusted(home) else None
    except OSError:
        pass
    return None


home = code_home(sys.argv[0])
if home:
    sys.path.insert(0, home)

from ansible_collections.amdgpu.stability.plugins.module_utils.stability_health import main  # noqa: E402


class Spawned(object):
    """A process with its output and errors on pipes, started as subprocess.Popen would start it
    (posix_spawn) - importing subprocess alone is a sixth of a run that finds nothing new."""

    def __init__(self, argv):
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        actions = [(os.POSIX_SPAWN_DUP2, out_write, 1), (os.POSIX_SPAWN_DUP2, err_write, 2)]
        try:
            # SIGPIPE and SIGXFSZ back to their defaults in the child, as subprocess does.
            self.pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions,
                                      setsigdef=(signal.SIGPIPE, signal.SIGXFSZ))
        finally:
            os.close(out_write)
            os.close(err_write)
        self.stdout = os.fdopen(out_read, "rb")
        self.stderr = os.fdopen(err_read, "rb")
        self.returncode = None

    def wait(self):
        if self.returncode is None:
            self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        return self.returncode


sys.exit(main(spawn=Spawned))
'''


def imports(module_utils, name, seen=None):
    """``name`` and every module_utils module it imports, transitively."""
    seen = set() if seen is None else seen
    if name in seen:
        return seen
    seen.add(name)
    with open(os.path.join(module_utils, name + ".py")) as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            if node.module == PREFIX:
                for alias in node.names:
                    imports(module_utils, alias.name, seen)
            else:
                imports(module_utils, node.module.rsplit(".", 1)[1], seen)
    return seen


def program_modules(module_utils):
    modules = set()
    for entry in ENTRY_POINTS:
        imports(module_utils, entry, modules)
    return sorted(modules)


def _entry(archive, name, data):
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def bundle_bytes(module_utils):
    """The zip: its __main__.py, a regular package at every level (no other ansible_collections tree
    on sys.path can shadow it), then the modules in name order."""
    files = []
    parts = PACKAGE.split("/")
    for depth in range(1, len(parts) + 1):
        files.append(("/".join(parts[:depth]) + "/__init__.py", b""))
    for name in program_modules(module_utils):
        with open(os.path.join(module_utils, name + ".py"), "rb") as handle:
            files.append(("%s/%s.py" % (PACKAGE, name), handle.read()))
    build = build_id(files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _entry(archive, "__main__.py", (MAIN % build).encode("utf-8"))
        for name, data in files:
            _entry(archive, name, data)
    return buffer.getvalue()


def build_id(files):
    """What names the unpacked code: its files' names and bytes."""
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode("utf-8") + b"\0" + data + b"\0")
    return digest.hexdigest()[:16]


def write_bundle(module_utils, directory=None):
    """Write the zip on the controller, named by its content; returns its path."""
    data = bundle_bytes(module_utils)
    directory = directory or tempfile.gettempdir()
    path = os.path.join(directory, "amdgpu-stability-health-%s.zip" % hashlib.sha256(data).hexdigest()[:16])
    if not os.path.exists(path):
        temporary = path + ".%d.tmp" % os.getpid()
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.rename(temporary, path)
    return path
