# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every test layer and end with one line: ``N passed, N failed``.

Layers: unit (each pytest test counts), yamllint, ansible-lint, changelog lint, ansible-test sanity
(each sanity test counts), collection build + offline install, Molecule container scenarios (each
scenario counts), the VM scenario (a real GRUB reboot under qemu; one count, stage times printed).
 Output of each layer goes to tests/output/<layer>.log; a failing layer prints its tail.

    python tests/run.py [layer ...]      layers: unit lint sanity build molecule vm (default: all)
    python tests/run.py molecule:default  one scenario
    python tests/run.py vm                the VM scenario, stage by stage
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(REPO, "tests", "output")
VENV_BIN = os.path.join(REPO, ".venv", "bin")
SCENARIOS = ["default", "shapes", "absent", "negative", "audit", "lab", "desktop"]


class Tally(object):
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.lines = []

    def add(self, layer, passed, failed, seconds, detail=""):
        self.passed += passed
        self.failed += failed
        line = "%-22s %4d passed, %d failed  %6.1f s  %s" % (layer, passed, failed, seconds, detail)
        self.lines.append(line)
        print(line, flush=True)


def env():
    environ = dict(os.environ)
    environ["PATH"] = VENV_BIN + os.pathsep + environ.get("PATH", "")
    environ["CONTAINERS_CONF"] = os.path.join(REPO, "tests", "containers.conf")
    environ.setdefault("ANSIBLE_FORCE_COLOR", "0")
    environ["PY_COLORS"] = "0"
    environ["NO_COLOR"] = "1"
    return environ


def venv_python_version(venv_bin=VENV_BIN):
    """X.Y of the Python a virtual environment runs."""
    return subprocess.check_output([os.path.join(venv_bin, "python"), "-c",
                                    "import sys; print('%d.%d' % sys.version_info[:2])"]).decode().strip()


def run(layer, argv, cwd=REPO, extra_env=None):
    """Run ``argv`` with its output in tests/output/<layer>.log; return (rc, output, seconds)."""
    log_path = os.path.join(OUTPUT, layer.replace(":", "-") + ".log")
    environ = env()
    environ.update(extra_env or {})
    start = time.time()
    with open(log_path, "w") as log:
        process = subprocess.run(argv, cwd=cwd, env=environ, stdout=log, stderr=subprocess.STDOUT, check=False)
    with open(log_path) as log:
        output = log.read()
    seconds = time.time() - start
    if process.returncode != 0:
        print("---- %s failed (rc=%d), last lines of %s:" % (layer, process.returncode, log_path))
        print("\n".join(output.splitlines()[-40:]))
        print("----", flush=True)
    return process.returncode, output, seconds


def layer_unit(tally):
    junit = os.path.join(OUTPUT, "unit.xml")
    argv = [os.path.join(VENV_BIN, "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml", junit,
            # A deprecation raised by this collection's own code fails its test.
            "-W", "error::DeprecationWarning:ansible_collections.amdgpu", "tests/unit"]
    _rc, _output, seconds = run("unit", argv)
    if not os.path.exists(junit):
        tally.add("unit", 0, 1, seconds, "pytest did not run")
        return
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total = int(suite.get("tests"))
    failed = int(suite.get("failures")) + int(suite.get("errors"))
    skipped = int(suite.get("skipped"))
    # A skipped test is not a pass.
    tally.add("unit", total - failed - skipped, failed + skipped, seconds,
              "(%d skipped, counted as failed)" % skipped if skipped else "")


def working_tree_collections():
    """A collections path whose amdgpu.stability is this working tree (a symlink), ahead of the
    copies Molecule installs under ~/.ansible/collections, which may be older."""
    top = tempfile.mkdtemp(prefix="amdgpu-stability-collections-")
    os.makedirs(os.path.join(top, "ansible_collections", "amdgpu"))
    os.symlink(REPO, os.path.join(top, "ansible_collections", "amdgpu", "stability"))
    return top


def layer_lint(tally):
    top = working_tree_collections()
    paths = os.pathsep.join([top, os.path.expanduser("~/.ansible/collections"), "/usr/share/ansible/collections"])
    try:
        for layer, argv in (("yamllint", ["yamllint", "-s", "."]),
                            ("ansible-lint", ["ansible-lint", "--offline"]),
                            ("changelog-lint", ["antsibull-changelog", "lint"])):
            rc, _output, seconds = run(layer, argv, extra_env={"ANSIBLE_COLLECTIONS_PATH": paths})
            tally.add(layer, int(rc == 0), int(rc != 0), seconds)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def collection_copy():
    """A copy of the tracked files under .../ansible_collections/amdgpu/stability."""
    top = tempfile.mkdtemp(prefix="amdgpu-stability-sanity-")
    dest = os.path.join(top, "ansible_collections", "amdgpu", "stability")
    files = subprocess.check_output(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO).decode().split("\n")
    for name in filter(None, files):
        source = os.path.join(REPO, name)
        if not os.path.isfile(source):
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, name)), exist_ok=True)
        shutil.copy2(source, os.path.join(dest, name))
    return top, dest


def layer_sanity(tally):
    top, dest = collection_copy()
    try:
        rc, output, seconds = run("sanity", ["ansible-test", "sanity", "--python", venv_python_version(), "--requirements",
                                             "--color", "no"], cwd=dest)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    ran = re.findall(r"^Running sanity test [\"']([^\"']+)[\"']", output, re.M)
    failed = set(re.findall(r"^ERROR: Found \d+ ([\w-]+) issue", output, re.M))
    listed = re.search(r"^(?:ERROR|FATAL): The (\d+) sanity test\(s\) listed below \(out of (\d+)\) failed", output, re.M)
    nfailed = int(listed.group(1)) if listed else len(failed)
    if rc != 0 and nfailed == 0:
        nfailed = 1
    tally.add("sanity", max(len(ran) - nfailed, 0), nfailed, seconds, "(%d tests ran)" % len(ran))


def layer_build(tally):
    build_dir = tempfile.mkdtemp(prefix="amdgpu-stability-build-")
    try:
        rc, _output, seconds = run("build", ["ansible-galaxy", "collection", "build", "--force", "--output-path", build_dir])
        tarballs = glob.glob(os.path.join(build_dir, "amdgpu-stability-*.tar.gz"))
        tally.add("build", int(rc == 0 and len(tarballs) == 1), int(rc != 0 or len(tarballs) != 1), seconds)
        if not tarballs:
            return
        path = os.path.join(build_dir, "collections")
        # Every module, filter, role and playbook as the installed tarball has them.
        names = dict((kind, sorted(os.path.splitext(os.path.basename(found))[0] for found in glob.glob(os.path.join(REPO, pattern))))
                     for kind, pattern in (("module", "plugins/modules/*.py"), ("filter", "plugins/filter/*.yml"),
                                           ("role", "roles/*"), ("playbook", "playbooks/*.yml")))
        docs = "".join(" ansible-doc -t %s amdgpu.stability.%s >/dev/null;" % (kind, name)
                       for kind in ("module", "filter", "role") for name in names[kind])
        playbooks = "".join(" ansible-playbook --syntax-check amdgpu.stability.%s;" % name for name in names["playbook"])
        script = ("set -e; ansible-galaxy collection install --offline --force -p {path} {tarball};"
                  " export ANSIBLE_COLLECTIONS_PATH={path};"
                  " ansible-galaxy collection list amdgpu.stability -p {path};"
                  + docs +
                  " mkdir -p tree/proc/sys/kernel tree/etc/modprobe.d;"
                  " echo 6.12.95+deb12-amd64 > tree/proc/sys/kernel/osrelease; echo ro quiet > tree/proc/cmdline;"
                  " echo 'options amdgpu runpm=0' > tree/etc/modprobe.d/amdgpu.conf;"
                  " ansible localhost -m amdgpu.stability.amdgpu_params"
                  " -a '{{\"params\": {{\"runpm\": 0}}, \"root\": \"'$PWD/tree'\"}}' | grep -q '\"status\": \"configured\"';"
                  + playbooks +
                  # As AWX/AAP and ansible-galaxy -r do: a requirements.yml naming the tarball, a clean path.
                  " printf 'collections:\\n  - name: {tarball}\\n    type: file\\n' > requirements.yml;"
                  " ANSIBLE_COLLECTIONS_PATH={path}-req ansible-galaxy collection install -r requirements.yml -p {path}-req;"
                  " ANSIBLE_COLLECTIONS_PATH={path}-req ansible-playbook --syntax-check amdgpu.stability.lab").format(
                      path=path, tarball=tarballs[0])
        print("install-offline: ansible-doc of %d modules, %d filters, %d roles; --syntax-check of %d playbooks;"
              " requirements.yml install + lab.yml --syntax-check"
              % (len(names["module"]), len(names["filter"]), len(names["role"]), len(names["playbook"])))
        rc, _output, seconds = run("install", ["bash", "-c", script], cwd=build_dir)
        tally.add("install-offline", int(rc == 0), int(rc != 0), seconds)
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)


def layer_molecule(tally, scenarios):
    for scenario in scenarios:
        rc, output, seconds = run("molecule:" + scenario, ["molecule", "test", "-s", scenario])
        verified = re.findall(r"(\d+) passed", output)
        tally.add("molecule:" + scenario, int(rc == 0), int(rc != 0), seconds,
                  "(testinfra: %s passed)" % verified[-1] if verified else "")


_STAGE_START = re.compile(r"(?:\[vm > |vm \S+ )(?P<stage>[a-z_]+)\]?:? Executing")


def layer_vm(tally):
    """The VM scenario, with the wall time of each Molecule stage (image build included in create
    when the cached image is missing) read off Molecule's output as it runs."""
    log_path = os.path.join(OUTPUT, "molecule-vm.log")
    start = time.time()
    stages = []
    with open(log_path, "w") as log:
        environ = env()
        environ["PYTHONUNBUFFERED"] = "1"  # stage times are read off the output as it comes
        process = subprocess.Popen(["molecule", "test", "-s", "vm"], cwd=REPO, env=environ,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        for line in process.stdout:
            log.write(line)
            log.flush()
            match = _STAGE_START.search(line)
            if match:
                stages.append((match.group("stage"), time.time()))
        rc = process.wait()
    ends = [when for _stage, when in stages[1:]] + [time.time()]
    for (stage, began), ended in zip(stages, ends):
        print("  vm stage %-12s %6.1f s" % (stage, ended - began), flush=True)
    if rc != 0:
        with open(log_path) as log:
            print("---- molecule:vm failed (rc=%d), last lines of %s:" % (rc, log_path))
            print("".join(log.readlines()[-40:]))
    accel = subprocess.check_output([os.path.join(REPO, "tests", "vm", "vm.sh"), "accel"]).decode().strip()
    tally.add("molecule:vm", int(rc == 0), int(rc != 0), time.time() - start, "(accel %s)" % accel)


def main(argv):
    os.makedirs(OUTPUT, exist_ok=True)
    wanted = argv or ["unit", "lint", "sanity", "build", "molecule", "vm"]
    tally = Tally()
    start = time.time()
    for name in wanted:
        layer, _sep, scenario = name.partition(":")
        if layer == "unit":
            layer_unit(tally)
        elif layer == "lint":
            layer_lint(tally)
        elif layer == "sanity":
            layer_sanity(tally)
        elif layer == "build":
            layer_build(tally)
        elif layer == "molecule":
            layer_molecule(tally, [scenario] if scenario else SCENARIOS)
        elif layer == "vm":
            layer_vm(tally)
        else:
            sys.exit("unknown layer %r" % name)
    print("total %.0f s" % (time.time() - start))
    print("%d passed, %d failed" % (tally.passed, tally.failed))
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
