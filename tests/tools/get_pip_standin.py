# Stand-in for ansible-test's pip bootstrap script, which it downloads from a host that the test
# machines cannot reach. Same contract: install pip (and the requested packages) into the running
# Python. ensurepip provides a pip; PyPI, which is reachable, provides the requested version.
import subprocess
import sys

args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
if args:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check"] + args)
