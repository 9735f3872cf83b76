# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every test layer and end with one line: ``N passed, N failed``.

Main line (the newest ansible-core this machine's Pythons allow, .venv): yamllint, ansible-lint,
changelog lint, the ways a user installs the collection (built tarball, requirements.yml,
``git+file://``) and galaxy-importer on the tarball, the Molecule container scenarios, the VM
scenarios (real reboots under qemu: UEFI GRUB and systemd-boot on Debian 13, BIOS GRUB on Debian 12;
stage times printed), run beside the containers.
Lines (``ansible-lines``): on each ansible-core line 2.16 to 2.21, in a virtual environment of its own,
``ansible-test sanity``, the unit tests, build + install, ansible-doc of everything, --syntax-check of
every playbook; Molecule ``default`` and ``negative`` again on the oldest line. Deprecation warnings
of this collection's own making fail the scenario that printed them.
Output of each step goes to tests/output/<step>.log; a failing step prints its tail.

    python tests/run.py [layer ...]   layers: lint install lines molecule molecule-oldest vm
                                      (default: all), and on the main line alone: unit sanity build
    python tests/run.py molecule:default    one scenario
    python tests/run.py vm:vm-sdboot        one VM scenario
    python tests/run.py lines:2.16          one line
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

import lines as ansible_lines

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(REPO, "tests", "output")
VENV_BIN = os.path.join(REPO, ".venv", "bin")
SCENARIOS = ["default", "shapes", "absent", "negative", "audit", "lab", "desktop", "monitor", "slurm", "initramfs"]
OLDEST_LINE_SCENARIOS = ["default", "negative"]


class Tally(object):
    """Counts of every step; steps of layers that run side by side report from their own thread."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = []
        self.lines = []
        self.lock = threading.Lock()
        self.matrix = {}  # ansible-core line -> {"versions": ..., step: passed}

    def mark(self, line, step, passed, versions=None):
        with self.lock:
            row = self.matrix.setdefault(line, {})
            row[step] = passed
            if versions:
                row["versions"] = versions

    def print_matrix(self):
        """One row per ansible-core line: what ran on it and its result."""
        steps = ("sanity", "unit", "build", "docs", "syntax", "molecule:default", "molecule:negative", "molecule:vm",
                 "molecule:vm-sdboot", "molecule:vm-bios",
                 "molecule:others")
        if not self.matrix:
            return
        print("ansible-core lines:")
        for line in sorted(self.matrix, key=lambda name: tuple(int(part) for part in name.split("."))):
            row = self.matrix[line]
            ran = ["%s %s" % (step, {True: "passed", False: "FAILED", None: "skipped"}[row[step]])
                   for step in steps if step in row]
            print("  %-5s %-34s %s" % (line, row.get("versions", ""), ", ".join(ran)), flush=True)

    def add(self, layer, passed, failed, seconds, detail=""):
        line = "%-26s %4d passed, %d failed  %6.1f s  %s" % (layer, passed, failed, seconds, detail)
        with self.lock:
            self.passed += passed
            self.failed += failed
            self.lines.append(line)
            print(line, flush=True)

    def skip(self, layer, why):
        with self.lock:
            self.skipped.append("%s (%s)" % (layer, why))
            print("%-26s skipped: %s" % (layer, why), flush=True)


def env(venv_bin=VENV_BIN):
    environ = dict(os.environ)
    environ["PATH"] = venv_bin + os.pathsep + environ.get("PATH", "")
    environ["VIRTUAL_ENV"] = os.path.dirname(venv_bin)
    environ["CONTAINERS_CONF"] = os.path.join(REPO, "tests", "containers.conf")
    environ.setdefault("ANSIBLE_FORCE_COLOR", "0")
    environ["PY_COLORS"] = "0"
    environ["NO_COLOR"] = "1"
    return environ


def venv_python_version(venv_bin=VENV_BIN):
    """X.Y of the Python a virtual environment runs."""
    return subprocess.check_output([os.path.join(venv_bin, "python"), "-c",
                                    "import sys; print('%d.%d' % sys.version_info[:2])"]).decode().strip()


def ansible_core_version(venv_bin=VENV_BIN):
    output = subprocess.check_output([os.path.join(venv_bin, "ansible"), "--version"]).decode()
    return re.search(r"core ([0-9.]+)", output).group(1)


_MAIN_LINE = []


def main_line():
    """The ansible-core line (X.Y) of the main line's .venv, asked once per run."""
    if not _MAIN_LINE:
        _MAIN_LINE.append(".".join(ansible_core_version().split(".")[:2]))
    return _MAIN_LINE[0]


def log_path_of(step):
    return os.path.join(OUTPUT, re.sub(r"[^\w.@-]+", "-", step).strip("-") + ".log")


def run(step, argv, cwd=REPO, extra_env=None, venv_bin=VENV_BIN):
    """Run ``argv`` with its output in tests/output/<step>.log; return (rc, output, seconds)."""
    log_path = log_path_of(step)
    environ = env(venv_bin)
    environ.update(extra_env or {})
    start = time.time()
    with open(log_path, "w") as log:
        process = subprocess.run(argv, cwd=cwd, env=environ, stdout=log, stderr=subprocess.STDOUT, check=False)
    with open(log_path) as log:
        output = log.read()
    seconds = time.time() - start
    if process.returncode != 0:
        print("---- %s failed (rc=%d), last lines of %s:\n%s\n----"
              % (step, process.returncode, log_path, "\n".join(output.splitlines()[-40:])), flush=True)
    return process.returncode, output, seconds


# ---- steps, each on the environment it is given (the main line's .venv or a line's own)


def step_unit(tally, label="unit", venv_bin=VENV_BIN):
    junit = log_path_of(label)[:-len(".log")] + ".xml"
    if os.path.exists(junit):
        os.remove(junit)
    argv = [os.path.join(venv_bin, "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml", junit,
            # A deprecation raised by this collection's own code fails its test.
            "-W", "error::DeprecationWarning:ansible_collections.amdgpu", "tests/unit"]
    _rc, _output, seconds = run(label, argv, venv_bin=venv_bin)
    if not os.path.exists(junit):
        tally.add(label, 0, 1, seconds, "pytest did not run")
        return False
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total = int(suite.get("tests"))
    failed = int(suite.get("failures")) + int(suite.get("errors"))
    skipped = int(suite.get("skipped"))
    # A skipped test is not a pass.
    tally.add(label, total - failed - skipped, failed + skipped, seconds,
              "(%d skipped, counted as failed)" % skipped if skipped else "")
    return failed + skipped == 0


def collections_path(first):
    """ANSIBLE_COLLECTIONS_PATH with ``first`` ahead of the default paths."""
    return os.pathsep.join([first, os.path.expanduser("~/.ansible/collections"), "/usr/share/ansible/collections"])


def working_tree_collections():
    """A collections path whose amdgpu.stability is this working tree (a symlink), ahead of the
    copies Molecule installs under ~/.ansible/collections, which may be older."""
    top = tempfile.mkdtemp(prefix="amdgpu-stability-collections-")
    os.makedirs(os.path.join(top, "ansible_collections", "amdgpu"))
    os.symlink(REPO, os.path.join(top, "ansible_collections", "amdgpu", "stability"))
    return top


def lint_home(parent=None):
    """An empty ANSIBLE_HOME for a run of ansible-lint (our lint step, galaxy-importer's own). ansible-lint
    puts its cache's collections (ANSIBLE_HOME, else ~/.ansible) ahead of every other path, and a copy of
    this collection left there by an earlier run hides the new plugins of the tree under test."""
    return tempfile.mkdtemp(prefix="amdgpu-stability-lint-home-", dir=parent)


def layer_lint(tally):
    top = working_tree_collections()
    paths = collections_path(top)
    home = lint_home()
    try:
        for layer, argv in (("yamllint", ["yamllint", "-s", "."]),
                            ("ansible-lint", ["ansible-lint", "--offline"]),
                            ("changelog-lint", ["antsibull-changelog", "lint"])):
            rc, _output, seconds = run(layer, argv, extra_env={"ANSIBLE_COLLECTIONS_PATH": paths, "ANSIBLE_HOME": home})
            tally.add(layer, int(rc == 0), int(rc != 0), seconds)
    finally:
        shutil.rmtree(top, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


def tracked_files():
    files = subprocess.check_output(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO).decode().split("\n")
    return [name for name in files if name and os.path.isfile(os.path.join(REPO, name))]


def collection_copy():
    """A copy of the tracked files under .../ansible_collections/amdgpu/stability."""
    top = tempfile.mkdtemp(prefix="amdgpu-stability-sanity-")
    dest = os.path.join(top, "ansible_collections", "amdgpu", "stability")
    for name in tracked_files():
        os.makedirs(os.path.dirname(os.path.join(dest, name)), exist_ok=True)
        shutil.copy2(os.path.join(REPO, name), os.path.join(dest, name))
    return top, dest


def step_sanity(tally, label="sanity", venv_bin=VENV_BIN):
    top, dest = collection_copy()
    try:
        rc, output, seconds = run(label, [os.path.join(venv_bin, "ansible-test"), "sanity", "--python",
                                          venv_python_version(venv_bin), "--requirements", "--color", "no"],
                                  cwd=dest, venv_bin=venv_bin)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    ran = re.findall(r"^Running sanity test [\"']([^\"']+)[\"']", output, re.M)
    failed = set(re.findall(r"^ERROR: Found \d+ ([\w-]+) issue", output, re.M))
    listed = re.search(r"^(?:ERROR|FATAL): The (\d+) sanity test\(s\) listed below \(out of (\d+)\) failed", output, re.M)
    nfailed = int(listed.group(1)) if listed else len(failed)
    if rc != 0 and nfailed == 0:
        nfailed = 1
    tally.add(label, max(len(ran) - nfailed, 0), nfailed, seconds, "(%d tests ran)" % len(ran))
    return nfailed == 0 and len(ran) > 0


def build_tarball(label, venv_bin, build_dir):
    """``ansible-galaxy collection build`` of the working tree; (tarball or None, seconds)."""
    rc, _output, seconds = run(label, [os.path.join(venv_bin, "ansible-galaxy"), "collection", "build", "--force",
                                       "--output-path", build_dir], venv_bin=venv_bin)
    tarballs = glob.glob(os.path.join(build_dir, "amdgpu-stability-*.tar.gz"))
    return (tarballs[0] if rc == 0 and len(tarballs) == 1 else None), seconds


def collection_contents():
    """Every module, filter, lookup, role and playbook the collection ships, by kind."""
    patterns = (("module", "plugins/modules/*.py"), ("filter", "plugins/filter/*.yml"), ("lookup", "plugins/lookup/*.py"),
                ("role", "roles/*"), ("playbook", "playbooks/*.yml"))
    return dict((kind, sorted(os.path.splitext(os.path.basename(found))[0] for found in glob.glob(os.path.join(REPO, pattern))))
                for kind, pattern in patterns)


_DOCS_CHECK = """
import json, sys
kind, names = sys.argv[1], sys.argv[2:]
docs = json.load(sys.stdin)
missing = [name for name in names if not (docs.get("amdgpu.stability." + name) or {})]
if missing:
    sys.exit("ansible-doc -t %s gave no documentation for: %s" % (kind, ", ".join(missing)))
print("ansible-doc -t %s: %d documented" % (kind, len(names)))
"""


def step_build(tally, prefix, venv_bin=VENV_BIN):
    """Build, offline install of the tarball and an ad-hoc module call on it (step ``<prefix>build``),
    ansible-doc of every module, filter and role (``docs``), --syntax-check of every playbook
    (``syntax``), all as the installed tarball has them. {step: passed}."""
    build_dir = tempfile.mkdtemp(prefix="amdgpu-stability-build-")
    results = {}
    try:
        tarball, seconds = build_tarball(prefix + "build", venv_bin, build_dir)
        path = os.path.join(build_dir, "collections")
        installed = {"ANSIBLE_COLLECTIONS_PATH": path}
        script = ("set -e; ansible-galaxy collection install --offline --force -p {path} {tarball};"
                  " ANSIBLE_COLLECTIONS_PATH={path} ansible-galaxy collection list amdgpu.stability -p {path};"
                  " mkdir -p tree/proc/sys/kernel tree/etc/modprobe.d;"
                  " echo 6.12.95+deb12-amd64 > tree/proc/sys/kernel/osrelease; echo ro quiet > tree/proc/cmdline;"
                  " echo 'options amdgpu runpm=0' > tree/etc/modprobe.d/amdgpu.conf;"
                  " ANSIBLE_COLLECTIONS_PATH={path} ansible localhost -m amdgpu.stability.amdgpu_params"
                  " -a '{{\"params\": {{\"runpm\": 0}}, \"root\": \"'$PWD/tree'\"}}'"
                  " | grep -q '\"status\": \"configured\"'").format(path=path, tarball=tarball)
        installed_ok = False
        if tarball:
            rc, _output, more = run(prefix + "install", ["bash", "-c", script], cwd=build_dir, venv_bin=venv_bin)
            seconds += more
            installed_ok = rc == 0
        results["build"] = installed_ok
        tally.add(prefix + "build", int(results["build"]), int(not results["build"]), seconds,
                  "(build, offline install, an ad-hoc module call)")
        if not results["build"]:
            return results
        names = collection_contents()
        docs = " ".join(
            "ansible-doc -t {kind} --json {names} | python -c '{check}' {kind} {bare};".format(
                kind=kind, names=" ".join("amdgpu.stability." + name for name in names[kind]),
                check=_DOCS_CHECK.replace("'", "\""), bare=" ".join(names[kind]))
            for kind in ("module", "filter", "lookup", "role"))
        rc, _output, seconds = run(prefix + "docs", ["bash", "-c", "set -eo pipefail; " + docs], cwd=build_dir,
                                   extra_env=installed, venv_bin=venv_bin)
        results["docs"] = rc == 0
        tally.add(prefix + "docs", int(rc == 0), int(rc != 0), seconds,
                  "(%d modules, %d filters, %d lookups, %d roles)" % (
                      len(names["module"]), len(names["filter"]), len(names["lookup"]), len(names["role"])))
        syntax = " ".join("ansible-playbook --syntax-check amdgpu.stability.%s;" % name for name in names["playbook"])
        rc, _output, seconds = run(prefix + "syntax", ["bash", "-c", "set -e; " + syntax], cwd=build_dir,
                                   extra_env=installed, venv_bin=venv_bin)
        results["syntax"] = rc == 0
        tally.add(prefix + "syntax", int(rc == 0), int(rc != 0), seconds, "(%d playbooks)" % len(names["playbook"]))
        return results
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)


def layer_install(tally):
    """The ways the README tells a new user to get the collection, each from a clean collections path
    and followed by a playbook run from it; then galaxy-importer, Galaxy's own check, on the tarball."""
    work = tempfile.mkdtemp(prefix="amdgpu-stability-install-")
    try:
        tarball, _seconds = build_tarball("install-build", VENV_BIN, work)
        if not tarball:
            tally.add("install", 0, 1, 0, "the collection did not build")
            return
        clone = os.path.join(work, "clone")
        subprocess.check_call(["git", "clone", "-q", REPO, clone])
        # What is committed is what a git install gets: the working tree's changes go in a commit of
        # the clone, so the test installs exactly the tree under test.
        for name in tracked_files():
            os.makedirs(os.path.dirname(os.path.join(clone, name)), exist_ok=True)
            shutil.copy2(os.path.join(REPO, name), os.path.join(clone, name))
        subprocess.check_call("git add -A && git -c user.name=test -c user.email=test@localhost commit -q --allow-empty"
                              " -m 'working tree under test' && git tag under-test", shell=True, cwd=clone)
        ways = (
            ("install:tarball", "ansible-galaxy collection install {tarball}"),
            ("install:requirements", "printf 'collections:\\n  - name: {tarball}\\n    type: file\\n' > requirements.yml;"
                                     " ansible-galaxy collection install -r requirements.yml"),
            ("install:git", "ansible-galaxy collection install git+file://{clone}"),
            ("install:git-ref", "ansible-galaxy collection install git+file://{clone},under-test"),
        )
        for step, command in ways:
            path = os.path.join(work, step.replace(":", "-"))
            script = ("set -e; export ANSIBLE_COLLECTIONS_PATH={path}; " + command + " -p {path};"
                      " ansible-galaxy collection list amdgpu.stability;"
                      " ansible-playbook --syntax-check amdgpu.stability.workstation;"
                      " ansible-doc -t role amdgpu.stability.amdgpu >/dev/null").format(path=path, tarball=tarball, clone=clone)
            rc, _output, seconds = run(step, ["bash", "-c", script], cwd=work)
            tally.add(step, int(rc == 0), int(rc != 0), seconds)
        # galaxy-importer lints an extraction under a placeholder name: its ansible-lint resolves the
        # collection's own FQCNs from its cache's collections only, which here hold the tarball's install.
        home = lint_home(work)
        shutil.copytree(os.path.join(work, "install-tarball", "ansible_collections"),
                        os.path.join(home, "collections", "ansible_collections"))
        rc, output, seconds = run("galaxy-importer", [os.path.join(VENV_BIN, "python"), "-m", "galaxy_importer.main",
                                                      tarball], cwd=work, extra_env={"ANSIBLE_HOME": home})
        problems = [line for line in output.splitlines() if re.match(r"^(WARNING|ERROR)\b", line)]
        ok = rc == 0 and not problems
        tally.add("galaxy-importer", int(ok), int(not ok), seconds,
                  "(%d errors or warnings)" % len(problems) if problems else "(0 errors, 0 warnings)")
        if problems:
            print("\n".join(problems[:20]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---- ansible-core lines


def layer_lines(tally, wanted=None):
    """Sanity, unit, build, docs and syntax on each line (rows of the matrix)."""
    for line, pythons in ansible_lines.LINES:
        if wanted and line not in wanted:
            continue
        venv_bin = ansible_lines.ensure(line, pythons, log=lambda message: print(message, flush=True))
        if venv_bin is None:
            tally.skip("ansible-lines %s" % line, "no Python %s on this machine" % " or ".join(pythons))
            for step in ("sanity", "unit", "build", "docs", "syntax"):
                tally.mark(line, step, None, "no Python %s" % " or ".join(pythons))
            continue
        prefix = "line %s: " % line
        versions = "ansible-core %s, Python %s" % (ansible_core_version(venv_bin), venv_python_version(venv_bin))
        tally.mark(line, "sanity", step_sanity(tally, prefix + "sanity", venv_bin), versions)
        tally.mark(line, "unit", step_unit(tally, prefix + "unit", venv_bin))
        for step, passed in step_build(tally, prefix, venv_bin).items():
            tally.mark(line, step, passed)


# ---- Molecule


_STAGE = re.compile(r"^INFO\s+\[[\w-]+ > (?P<stage>[a-z_]+)\] Executing")
_DEPRECATION = re.compile(r"^\[DEPRECATION WARNING\]: ?(?P<message>.*)")
_FROM_COLLECTION = re.compile(r"collection '(?P<name>[a-z0-9_]+\.[a-z0-9_]+)'"
                              r"|(?P<fqcn>\b[a-z0-9_]+\.[a-z0-9_]+)\.[a-z0-9_]+ (?:is|has been) deprecated"
                              r"|Origin: \S*/ansible_collections/(?P<ns>[a-z0-9_]+)/(?P<coll>[a-z0-9_]+)/")
# ansible-core 2.19+ adds "Origin: <file>:<line>:<col>"; Molecule's own playbooks live in its package.
_MOLECULE_ORIGIN = re.compile(r"Origin: \S*/site-packages/molecule")
# Molecule's own playbooks (molecule-plugins' podman create and destroy) are not this collection's.
_OTHERS_STAGES = ("create", "destroy")


def deprecations(output):
    """(own, others): the deprecation notices in a Molecule run's output. A notice is another
    collection's when it names a collection other than this one as its origin, or when it comes
    from Molecule's own create/destroy playbooks; every other one (ansible-core's included, which
    this collection's playbooks, roles and plugins trigger) is of this collection's own making."""
    own, others = [], []
    stage, notice = None, None
    for line in output.splitlines() + [""]:
        match = _STAGE.match(line)
        if match:
            stage = match.group("stage")
        if notice is not None:
            # A notice goes on until a blank line or the next Ansible header.
            if line.strip() and not re.match(r"^(\[|TASK |PLAY |RUNNING |ok:|changed:|skipping:|fatal:|INFO )", line):
                notice[0] += " " + line.strip()
                continue
            message, where = notice
            origin = _FROM_COLLECTION.search(message)
            name = origin and (origin.group("name") or origin.group("fqcn")
                               or "%s.%s" % (origin.group("ns"), origin.group("coll")))
            foreign = (where in _OTHERS_STAGES or bool(_MOLECULE_ORIGIN.search(message))
                       or bool(name and name != "amdgpu.stability"))
            (others if foreign else own).append(" ".join(message.split()))
            notice = None
        match = _DEPRECATION.match(line)
        if match:
            notice = [match.group("message"), stage]
    return sorted(set(own)), sorted(set(others))


def molecule_collections(track):
    """A collections path of this track's own, first: Molecule installs the collection under test
    into the first path, and two Molecule runs side by side must not reinstall under each other."""
    path = os.path.join(OUTPUT, "collections", track)
    os.makedirs(path, exist_ok=True)
    return collections_path(path)


# A scenario's containers and Molecule's ephemeral directory have fixed names: the same scenario
# never runs on two lines at once.
SCENARIO_LOCKS = dict((scenario, threading.Lock()) for scenario in SCENARIOS)


def layer_molecule(tally, scenarios, line=None, venv_bin=VENV_BIN, track="containers"):
    suffix = "@" + line if line else ""
    for scenario in scenarios:
        step = "molecule:" + scenario + suffix
        with SCENARIO_LOCKS.setdefault(scenario, threading.Lock()):
            rc, output, seconds = run(step, ["molecule", "test", "-s", scenario], venv_bin=venv_bin,
                                      extra_env={"ANSIBLE_COLLECTIONS_PATH": molecule_collections(track + suffix)})
        verified = re.findall(r"(\d+) passed", output)
        own, others = deprecations(output)
        for message in others:
            print("  %s: deprecation raised by another collection (listed, not failed): %s" % (step, message))
        for message in own:
            print("  %s: DEPRECATION of this collection's own making: %s" % (step, message))
        ok = rc == 0 and not own
        row = line or main_line()
        name = "molecule:" + scenario if scenario in ("default", "negative") else "molecule:others"
        tally.mark(row, name, ok and tally.matrix.get(row, {}).get(name, True))
        tally.add(step, int(ok), int(not ok), seconds,
                  ("(testinfra: %s passed)" % verified[-1] if verified else "")
                  + (" (%d own deprecation warnings)" % len(own) if own else ""))


def layer_molecule_oldest(tally):
    """Molecule default and negative on the oldest claimed line, in that line's environment."""
    venv_bin = ansible_lines.ensure(ansible_lines.OLDEST, dict(ansible_lines.LINES)[ansible_lines.OLDEST],
                                    log=lambda message: print(message, flush=True))
    if venv_bin is None:
        for scenario in OLDEST_LINE_SCENARIOS:
            tally.skip("molecule:%s@%s" % (scenario, ansible_lines.OLDEST), "no Python for the line")
            tally.mark(ansible_lines.OLDEST, "molecule:" + scenario, None)
        return
    layer_molecule(tally, OLDEST_LINE_SCENARIOS, line=ansible_lines.OLDEST, venv_bin=venv_bin)


# The VM scenarios, each a guest of its own: UEFI GRUB on Debian 13 with every phase, systemd-boot on
# Debian 13, BIOS GRUB on Debian 12 (phase 1).
VM_SCENARIOS = ["vm", "vm-sdboot", "vm-bios"]


def _stage_start(scenario):
    return re.compile(r"(?:\[%s > |%s \S+ )(?P<stage>[a-z_]+)\]?:? Executing" % (re.escape(scenario), re.escape(scenario)))


# The VM scenarios' process tree (Molecule, ansible-playbook, ssh, the qemu vm.sh starts) runs ahead
# of the container scenarios beside it. It is the longest track, and a TCG guest whose vCPU threads
# are preempted slows far more than its share (measured on 2 cores: its stages took 2 to 5 times as
# long beside the containers as alone - a preempted vCPU holding a guest lock stalls the other).
VM_NICE = -5


def _vm_priority():
    try:
        os.nice(VM_NICE)
    except OSError:  # not root: the same priority as the rest
        pass


def layer_vm(tally, scenarios=None):
    """The VM scenarios one after the other (each guest wants both cores), with the wall time of each
    Molecule stage (image build included in create when the cached image is missing) read off
    Molecule's output as it runs."""
    for scenario in scenarios or VM_SCENARIOS:
        vm_scenario(tally, scenario)


def vm_scenario(tally, scenario):
    log_path = os.path.join(OUTPUT, "molecule-%s.log" % scenario)
    start = time.time()
    stages = []
    stage_start = _stage_start(scenario)
    with open(log_path, "w") as log:
        environ = env()
        environ["PYTHONUNBUFFERED"] = "1"  # stage times are read off the output as it comes
        environ["ANSIBLE_COLLECTIONS_PATH"] = molecule_collections("vm")
        process = subprocess.Popen(["molecule", "test", "-s", scenario], cwd=REPO, env=environ, preexec_fn=_vm_priority,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        for line in process.stdout:
            log.write(line)
            log.flush()
            match = stage_start.search(line)
            if match:
                stages.append((match.group("stage"), time.time()))
        rc = process.wait()
    ends = [when for _stage, when in stages[1:]] + [time.time()]
    report = ["  %s stage %-12s %6.1f s" % (scenario, stage, ended - began) for (stage, began), ended in zip(stages, ends)]
    with open(log_path) as log:
        output = log.read()
    if rc != 0:
        report.append("---- molecule:%s failed (rc=%d), last lines of %s:\n%s\n----"
                      % (scenario, rc, log_path, "\n".join(output.splitlines()[-40:])))
    own, others = deprecations(output)
    report += ["  molecule:%s: deprecation raised by another collection (listed, not failed): %s" % (scenario, message)
               for message in others]
    report += ["  molecule:%s: DEPRECATION of this collection's own making: %s" % (scenario, message) for message in own]
    print("\n".join(report), flush=True)
    accel = subprocess.check_output([os.path.join(REPO, "tests", "vm", "vm.sh"), "accel"]).decode().strip()
    ok = rc == 0 and not own
    tally.mark(main_line(), "molecule:" + scenario, ok)
    tally.add("molecule:" + scenario, int(ok), int(not ok), time.time() - start,
              "(accel %s)" % accel + (" (%d own deprecation warnings)" % len(own) if own else ""))


def main(argv):
    os.makedirs(OUTPUT, exist_ok=True)
    wanted = argv or ["lint", "install", "lines", "molecule", "molecule-oldest", "vm"]
    tally = Tally()
    start = time.time()
    print("main line: ansible-core %s on Python %s (.venv)" % (ansible_core_version(), venv_python_version()), flush=True)
    # Two tracks when several layers run: the VM scenario, which waits on a guest most of the time,
    # and then Molecule on the oldest line beside the rest (see SCENARIO_LOCKS, molecule_collections).
    beside = [name for name in ("vm", "molecule-oldest") if name in wanted] if len(wanted) > 1 else []
    track = None
    if beside:
        track = threading.Thread(target=lambda: [run_layer(tally, name) for name in beside])
        track.start()
    for name in wanted:
        if name not in beside:
            run_layer(tally, name)
    if track is not None:
        track.join()
    tally.print_matrix()
    print("total %.0f s" % (time.time() - start))
    if tally.skipped:
        print("%d skipped, not counted as passed: %s" % (len(tally.skipped), "; ".join(tally.skipped)))
    print("%d passed, %d failed" % (tally.passed, tally.failed))
    return 1 if tally.failed else 0


def run_layer(tally, name):
    layer, _sep, which = name.partition(":")
    if layer == "unit":
        step_unit(tally)
    elif layer == "lint":
        layer_lint(tally)
    elif layer == "sanity":
        step_sanity(tally)
    elif layer == "build":
        step_build(tally, "")
    elif layer == "install":
        layer_install(tally)
    elif layer == "lines":
        layer_lines(tally, [which] if which else None)
    elif layer == "molecule":
        layer_molecule(tally, [which] if which else SCENARIOS)
    elif layer == "molecule-oldest":
        layer_molecule_oldest(tally)
    elif layer == "vm":
        layer_vm(tally, [which] if which else None)
    else:
        raise SystemExit("unknown layer %r" % name)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
