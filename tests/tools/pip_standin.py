# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Put the stand-in for ansible-test's pip bootstrap script where the ansible-test of VENV looks.

    python tests/tools/pip_standin.py VENV

ansible-test downloads get_pip_<pinned pip>.py from a host the test machines cannot reach, and looks
in ~/.ansible/test/cache first. Each ansible-core line pins its own pip, hence one file per line.
"""

import glob
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def pinned_pip(venv):
    for path in glob.glob(os.path.join(venv, "lib", "python3*", "site-packages", "ansible_test", "_internal",
                                       "python_requirements.py")):
        with open(path) as handle:
            match = re.search(r"pip='([0-9.]+)'", handle.read())
        if match:
            return match.group(1)
    return None


def main(venv):
    version = pinned_pip(venv)
    if not version:
        sys.exit("pip_standin: no ansible-test pip pin found in %s" % venv)
    target = os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % version.replace(".", "_"))
    source = os.path.join(HERE, "get_pip_standin.py")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if not os.path.exists(target) or open(target).read() != open(source).read():
        shutil.copy(source, target)
        print("ansible-test pip bootstrap stand-in at %s" % target)


if __name__ == "__main__":
    main(sys.argv[1])
