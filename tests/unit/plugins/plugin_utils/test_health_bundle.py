# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health program's code as one zip: the collection's own files, the same bytes every time, and a
program that runs from it in a Python that has nothing else of the collection."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys
import zipfile

from ansible_collections.amdgpu.stability.plugins.plugin_utils import health_bundle

REPO = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
MODULE_UTILS = os.path.join(REPO, "plugins", "module_utils")


def test_the_zip_holds_the_programs_imports_byte_for_byte_and_nothing_else(tmp_path):
    path = health_bundle.write_bundle(MODULE_UTILS, str(tmp_path))
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        modules = [name.rsplit("/", 1)[1][:-3] for name in names if "/" in name and not name.endswith("__init__.py")]
        assert names[0] == "__main__.py"
        assert "stability_health" in modules and "amdgpu_log_data" in modules and "amdgpu_collect" not in modules
        assert "bug_report" not in modules          # a module_utils file the program does not import
        for module in modules:
            with open(os.path.join(MODULE_UTILS, module + ".py"), "rb") as handle:
                assert archive.read("%s/%s.py" % (health_bundle.PACKAGE, module)) == handle.read()
    assert health_bundle.bundle_bytes(MODULE_UTILS) == open(path, "rb").read()
    assert health_bundle.write_bundle(MODULE_UTILS, str(tmp_path)) == path


def run_zip(path, cache, *argv):
    # -I -S: no site-packages and no repository on the path, as on a host that only has the zip.
    process = subprocess.run([sys.executable, "-I", "-S", path] + list(argv), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, cwd=os.path.dirname(path), check=False,
                             env=dict(os.environ, AMDGPU_STABILITY_CODE_CACHE=cache))
    assert process.returncode == 0, process.stdout.decode()
    return process.stdout.decode()


def test_the_program_runs_from_the_zip_alone(tmp_path):
    path = health_bundle.write_bundle(MODULE_UTILS, str(tmp_path))
    assert "--log-file" in run_zip(path, "", "--help")
    assert not os.path.exists(str(tmp_path / "cache"))


def unpacked(cache):
    homes = [name for name in os.listdir(cache) if name.startswith("code-")]
    assert len(homes) == 1, homes
    return os.path.join(cache, homes[0])


def test_the_first_run_unpacks_the_code_with_its_bytecode_and_later_runs_import_from_there(tmp_path):
    path = health_bundle.write_bundle(MODULE_UTILS, str(tmp_path))
    cache = str(tmp_path / "cache")
    assert "--log-file" in run_zip(path, cache, "--help")
    home = unpacked(cache)
    package = os.path.join(home, health_bundle.PACKAGE)
    assert os.path.isfile(os.path.join(package, "stability_health.py"))
    assert any(name.startswith("stability_health.") and name.endswith(".pyc")
               for name in os.listdir(os.path.join(package, "__pycache__")))
    # What runs is the unpacked copy: a change made to it shows (and nobody but its owner may make one).
    with open(os.path.join(package, "stability_health.py"), "a") as handle:
        handle.write("\nprint('from the cache')\n")
    assert run_zip(path, cache, "--help").startswith("from the cache")
    os.chmod(home, 0o757)
    assert "from the cache" not in run_zip(path, cache, "--help")


def test_a_new_build_replaces_the_old_unpacked_code(tmp_path):
    cache = str(tmp_path / "cache")
    old = health_bundle.write_bundle(MODULE_UTILS, str(tmp_path))
    run_zip(old, cache, "--help")
    first = unpacked(cache)
    changed = tmp_path / "module_utils"
    changed.mkdir()
    for name in os.listdir(MODULE_UTILS):
        if name.endswith(".py"):
            with open(os.path.join(MODULE_UTILS, name), "rb") as source:
                (changed / name).write_bytes(source.read())
    with open(str(changed / "stability_health.py"), "a") as handle:
        handle.write("\n# a change\n")
    new = health_bundle.write_bundle(str(changed), str(tmp_path))
    assert new != old
    run_zip(new, cache, "--help")
    assert unpacked(cache) != first


def test_a_cache_that_cannot_be_written_leaves_the_program_running_from_the_zip(tmp_path):
    path = health_bundle.write_bundle(MODULE_UTILS, str(tmp_path))
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert "--log-file" in run_zip(path, str(blocker / "cache"), "--help")


BOOT = "0b0b0b0b000040008000000000000001"
JOURNALCTL = """#!/bin/sh
echo "$@" >> "%(argv)s"
if [ "$1" = --list-boots ]; then
    echo " 0 %(boot)s Tue 2026-12-01 08:00:00 UTC Tue 2026-12-01 09:00:00 UTC"
    exit 0
fi
%(body)s
"""
LINES = ("echo '2026-12-01T08:00:00.000000+0000 h kernel: amdgpu 0000:03:00.0: ring gfx_0.0.0 timeout, signaled seq=1, "
         "emitted seq=3'\necho '-- cursor: s=1;i=1;b=%s'" % BOOT)


def journal_run(tmp_path, body):
    """The zip as the timer runs it, with journalctl a script on PATH: the program's own way of
    starting it (posix_spawn, pipes) is what is tested."""
    sys.path.insert(0, os.path.join(REPO, "tests", "fixtures"))
    try:
        import fakeroot
    finally:
        sys.path.pop(0)
    root = str(tmp_path / "root")
    fakeroot.write(root, fakeroot.seed_workstation())
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    journalctl = bindir / "journalctl"
    journalctl.write_text(JOURNALCTL % {"argv": tmp_path / "argv", "body": body, "boot": BOOT})
    journalctl.chmod(0o755)
    path = health_bundle.write_bundle(MODULE_UTILS, str(tmp_path))
    process = subprocess.run([sys.executable, "-I", "-S", path, "--root", root, "--state-dir", str(tmp_path / "state"),
                              "--textfile", "", "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             check=False, env=dict(os.environ, PATH="%s:/usr/bin:/bin" % bindir,
                                                   AMDGPU_STABILITY_CODE_CACHE=str(tmp_path / "cache")))
    return process, (tmp_path / "argv").read_text()


def test_the_program_starts_journalctl_and_reads_its_output(tmp_path):
    process, argv = journal_run(tmp_path, LINES)
    result = json.loads(process.stdout.decode())
    assert argv.splitlines() == ["--list-boots --no-pager -q",
                                 "-k -b %s -o short-iso-precise --utc --show-cursor --no-pager -q" % BOOT]
    # The hang was in another boot: counted there; this boot's status is the seed host's advisory.
    assert [total["count"] for total in result["hang_totals"]] == [1] and result["hangs_this_boot"] == []
    assert process.returncode == 1 and "advisory" in result["summary"], process.stderr.decode()
    assert json.load(open(str(tmp_path / "state" / "positions.json")))["journal_cursor"] == "s=1;i=1;b=" + BOOT


def test_a_journalctl_that_fails_is_reported_with_its_message(tmp_path):
    process, _argv = journal_run(tmp_path, "echo 'Failed to open journal: Permission denied' >&2\nexit 1")
    assert process.returncode == 3
    assert "journalctl failed (rc=1): Failed to open journal: Permission denied" in process.stdout.decode()
