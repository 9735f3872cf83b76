#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: report_files
short_description: Write report files on the controller in one step
version_added: 0.3.0
description:
  - Writes text files on the B(controller), whatever host the task runs for, each replaced in one rename and only
    when its bytes or mode differ; makes missing directories (mode C(0755)). The playbooks write their reports
    (JSON, Markdown, HTML) with it.
  - It is an action that runs in the controller's own process, without a module run per file - the lab report is
    rewritten after every batch.
author:
  - amdgpu.stability contributors (@amdgpu-stability)
options:
  files:
    description:
      - The files, each C(path) (on the controller; a relative one is the directory C(ansible-playbook) runs in) and
        C(content) (text, written as UTF-8).
    type: list
    elements: dict
    required: true
  mode:
    description: The files' mode, octal.
    type: str
    default: "0644"
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Says which files would change; writes nothing.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
notes:
  - Run it with C(delegate_to) C(localhost) and C(run_once) to make plain that the files are the controller's.
seealso:
  - module: ansible.builtin.copy
"""

EXAMPLES = r"""
- name: Write the report as JSON and Markdown
  amdgpu.stability.report_files:
    files:
      - path: "{{ playbook_dir }}/reports/lab.json"
        content: "{{ report | to_nice_json }}"
      - path: "{{ playbook_dir }}/reports/lab.md"
        content: "{{ report | amdgpu.stability.lab_markdown }}"
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
changed_files:
  description: The paths written (or, in check mode, to be written), absolute.
  returned: always
  type: list
  elements: str
paths:
  description: Every path given.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule


def main():
    # Only reached when the action plugin is missing: the files are the controller's to write.
    module = AnsibleModule(argument_spec=dict(files=dict(type="list", elements="dict", required=True),
                                              mode=dict(type="str", default="0644")),
                           supports_check_mode=True)
    module.fail_json(msg="amdgpu.stability.report_files runs on the controller as an action; its action plugin was not found")


if __name__ == "__main__":
    main()
