# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ask a real, headless browser which enterprise policies it applied; prints JSON.

    python3 browser_policy.py chromium [BINARY]   rows of chrome://policy that have a value
    python3 browser_policy.py firefox [BINARY]    Firefox's policy engine: status, active policies, prefs

Chromium: the DevTools protocol over --remote-debugging-pipe (file descriptors 3 and 4, NUL-separated
JSON; no websocket library needed) opens chrome://policy and reads the policy rows, which live in
shadow DOM (--dump-dom does not show them). Firefox: Marionette (length-prefixed JSON over TCP) in
the chrome context asks Services.policies, the engine itself, and the preference the policy locks.
Runs in the test containers (Debian's chromium and firefox-esr), as root, without a display.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

POLICY_ROWS = r"""
(() => {
  const texts = (node, out) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentNode && node.parentNode.nodeName;
      const text = node.data.trim();
      if (text && parent !== 'STYLE' && parent !== 'SCRIPT') out.push(text);
      return out;
    }
    if (node.shadowRoot) node.shadowRoot.childNodes.forEach(child => texts(child, out));
    node.childNodes.forEach(child => texts(child, out));
    return out;
  };
  const rows = [];
  const walk = (root) => root.querySelectorAll('*').forEach(element => {
    if (element.tagName === 'POLICY-ROW') rows.push(texts(element, []));
    if (element.shadowRoot) walk(element.shadowRoot);
  });
  walk(document);
  return JSON.stringify(rows);
})()
"""

FIREFOX_STATE = """
const pref = "layers.acceleration.disabled";
return {status: Services.policies.status, active: Services.policies.getActivePolicies() || {},
        prefs: {[pref]: {value: Services.prefs.getBoolPref(pref, false), locked: Services.prefs.prefIsLocked(pref)}}};
"""


class DevToolsPipe(object):
    def __init__(self, binary, profile):
        commands_read, self._commands = os.pipe()
        self._results, results_write = os.pipe()

        def as_fds_3_and_4():
            os.dup2(commands_read, 3)
            os.dup2(results_write, 4)

        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--user-data-dir=" + profile, "about:blank"],
            pass_fds=(3, 4), preexec_fn=as_fds_3_and_4, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(commands_read)
        os.close(results_write)
        self._buffer, self._id = b"", 0

    def call(self, method, params=None, session=None):
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._results, 1 << 16)
                if not chunk:
                    raise SystemExit("chromium closed the DevTools pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw.decode())
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise SystemExit("%s: %s" % (method, reply["error"]))
                return reply["result"]


def chromium(binary):
    profile = tempfile.mkdtemp()
    pipe = DevToolsPipe(binary, profile)
    try:
        target = pipe.call("Target.createTarget", {"url": "chrome://policy"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        rows = []
        for _attempt in range(80):     # the page fills its table asynchronously
            result = pipe.call("Runtime.evaluate", {"expression": POLICY_ROWS, "returnByValue": True}, session)
            rows = json.loads(result["result"]["value"])
            if rows:
                break
            time.sleep(0.25)
        if not rows:
            raise SystemExit("chrome://policy showed no policy rows")
        version = pipe.call("Browser.getVersion")["product"]
        # [name, value, source, scope, level, status, ...] for the policies that are set.
        return {"browser": version, "rows": [row for row in rows if len(row) > 1 and row[1] != "Not set."]}
    finally:
        pipe.process.kill()
        pipe.process.wait()
        shutil.rmtree(profile, ignore_errors=True)


def _marionette_receive(sock):
    length = b""
    while not length.endswith(b":"):
        byte = sock.recv(1)
        if not byte:
            raise SystemExit("firefox closed the Marionette connection")
        length += byte
    size, data = int(length[:-1]), b""
    while len(data) < size:
        data += sock.recv(size - len(data))
    return json.loads(data.decode())


def _marionette_call(sock, message_id, command, params):
    body = json.dumps([0, message_id, command, params]).encode()
    sock.sendall(str(len(body)).encode() + b":" + body)
    reply = _marionette_receive(sock)
    if reply[2]:
        raise SystemExit("%s: %s" % (command, reply[2]))
    return reply[3]


def _free_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def firefox(binary):
    profile, port = tempfile.mkdtemp(), _free_port()
    with open(os.path.join(profile, "user.js"), "w") as handle:
        handle.write('user_pref("marionette.port", %d);\n' % port)
    # --remote-allow-system-access: newer Firefox refuses chrome-context scripts without it.
    process = subprocess.Popen(
        [binary, "--headless", "--marionette", "--remote-allow-system-access", "--no-remote", "--profile", profile],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        sock = None
        for _attempt in range(240):
            try:
                sock = socket.create_connection(("127.0.0.1", port))
                break
            except socket.error:
                time.sleep(0.25)
        if sock is None:
            raise SystemExit("firefox did not open Marionette on port %d" % port)
        _marionette_receive(sock)
        capabilities = _marionette_call(sock, 1, "WebDriver:NewSession", {})["capabilities"]
        _marionette_call(sock, 2, "Marionette:SetContext", {"value": "chrome"})
        state = _marionette_call(sock, 3, "WebDriver:ExecuteScript", {"script": FIREFOX_STATE, "args": []})["value"]
        state["browser"] = "%s %s" % (capabilities["browserName"], capabilities["browserVersion"])
        # nsIEnterprisePolicies: 0 inactive, 1 active, 2 failed (policies.json did not parse).
        state["status"] = {0: "inactive", 1: "active", 2: "failed"}.get(state["status"], state["status"])
        sock.close()
        return state
    finally:
        process.kill()
        process.wait()
        shutil.rmtree(profile, ignore_errors=True)


def main(argv):
    kind = argv[1]
    binary = argv[2] if len(argv) > 2 else {"chromium": "chromium", "firefox": "firefox-esr"}[kind]
    print(json.dumps({"chromium": chromium, "firefox": firefox}[kind](binary)))


if __name__ == "__main__":
    main(sys.argv)
