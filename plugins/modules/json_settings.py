#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: json_settings
short_description: Merge settings into a JSON file another program owns, or take them back out
version_added: 0.1.0
description:
  - Merges O(settings) into the JSON object in O(path) - nested objects merge key by key, other values are
    replaced - and leaves every other key as it was. Browser policy files (Firefox's C(policies.json)) and
    Electron apps' settings (VS Code's C(argv.json), Discord's C(settings.json)) are shared this way.
  - With O(state=absent), removes each setting the file still holds with the same value; a value somebody
    changed since is left alone. Objects the removal empties go too, and with O(remove_if_empty) so does a
    file the removal left empty (a file that was empty before never held the settings and stays).
  - The file is rewritten (indented by two spaces, atomically) only when its content changes; a file that
    already holds the settings keeps its formatting.
  - A file that is not a JSON object fails the task, naming the file, and is not touched.
author:
  - amdgpu.stability contributors (@amdgpu-stability)
extends_documentation_fragment:
  - amdgpu.stability.platform.posix
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
    description: Reports the change it would make without writing.
  diff_mode:
    support: full
    description: The document before and after, as JSON text.
options:
  path:
    description: The JSON file.
    type: path
    required: true
  settings:
    description: The settings, as the JSON object they form in the file (nested for nested keys).
    type: dict
    required: true
  state:
    description: V(present) merges the settings in, V(absent) takes them out.
    type: str
    choices: [present, absent]
    default: present
  comments:
    description:
      - Accept C(//) and C(/* */) comments and trailing commas (JSON with comments, as VS Code writes
        C(argv.json)). They are not kept when the file is rewritten.
    type: bool
    default: false
  create:
    description: Create the file (and missing parent directories, owned like the file) when it does not exist.
    type: bool
    default: true
  parent_mode:
    description: Mode of the parent directories this module creates.
    type: raw
    default: "0755"
  remove_if_empty:
    description:
      - With O(state=absent), remove the file when taking the settings out left nothing in it.
      - A file that was empty already (V({}) or 0 bytes) never held them and is kept.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Firefox - hardware acceleration off, other policies kept
  amdgpu.stability.json_settings:
    path: /etc/firefox/policies/policies.json
    settings: {policies: {HardwareAcceleration: false}}
    mode: "0644"

- name: VS Code - hardware acceleration off for one user
  amdgpu.stability.json_settings:
    path: /home/alice/.vscode/argv.json
    settings: {disable-hardware-acceleration: true}
    comments: true
    owner: alice
    group: alice
    mode: "0600"
    parent_mode: "0700"
"""

RETURN = r"""
path:
  description: The file.
  returned: always
  type: str
existed:
  description: Whether the file existed before the task.
  returned: always
  type: bool
before:
  description: The document before the task (null when the file did not exist).
  returned: always
  type: dict
after:
  description: The document after the task (null when the file does not exist afterwards).
  returned: always
  type: dict
"""

import os
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_native

from ansible_collections.amdgpu.stability.plugins.module_utils.json_settings import (
    SettingsError, dumps, loads, plan)


def read_document(module, path, comments):
    """(text, document) of the file, (None, None) when it does not exist."""
    if not os.path.exists(path):
        return None, None
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
    except (IOError, OSError, UnicodeDecodeError) as error:
        module.fail_json(msg="%s cannot be read (%s); nothing was changed." % (path, to_native(error)), path=path)
    try:
        return text, loads(text, comments)
    except SettingsError as error:
        module.fail_json(msg="%s %s; fix or remove the file - nothing was changed." % (path, error), path=path)


def make_parents(module, directory, file_args):
    """Create missing parent directories, each owned like the file and with parent_mode."""
    missing = []
    while directory and not os.path.isdir(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    for path in reversed(missing):
        os.mkdir(path)
        dir_args = dict(file_args, path=path, mode=module.params["parent_mode"])
        module.set_fs_attributes_if_different(dir_args, False)


def write_document(module, path, document):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".%s." % os.path.basename(path))
    try:
        os.write(fd, to_bytes(dumps(document)))
    finally:
        os.close(fd)
    module.atomic_move(tmp, path, unsafe_writes=module.params["unsafe_writes"])


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            settings=dict(type="dict", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            comments=dict(type="bool", default=False),
            create=dict(type="bool", default=True),
            parent_mode=dict(type="raw", default="0755"),
            remove_if_empty=dict(type="bool", default=False),
        ),
        add_file_common_args=True,
        supports_check_mode=True,
    )
    path, settings, state = module.params["path"], module.params["settings"], module.params["state"]
    text, before = read_document(module, path, module.params["comments"])
    existed = before is not None
    result = dict(changed=False, path=path, existed=existed, before=before, after=before)

    if state == "present" and not existed and not module.params["create"]:
        module.exit_json(msg="%s does not exist and create is false; nothing to do." % path, **result)
    after, rewrite = plan(before, settings, state, module.params["remove_if_empty"])

    result["after"] = after
    if rewrite:
        result["changed"] = True
        if module._diff:
            result["diff"] = dict(before_header=path, after_header=path, before=text or "",
                                  after=dumps(after) if after is not None else "")
        if not module.check_mode:
            file_args = module.load_file_common_arguments(module.params)
            if after is None:
                os.remove(path)
            else:
                make_parents(module, os.path.dirname(path), file_args)
                write_document(module, path, after)
    # Owner and mode are checked on every run (a file already holding the settings may still have the
    # wrong ones); in check mode this only reports.
    if after is not None and os.path.exists(path):
        file_args = module.load_file_common_arguments(module.params)
        result["changed"] = module.set_fs_attributes_if_different(file_args, result["changed"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
