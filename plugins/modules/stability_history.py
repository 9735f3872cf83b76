#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: stability_history
short_description: Read the per-boot ledgers the amdgpu-stability-health program keeps
version_added: 0.2.0
description:
  - Read-only. Returns every boot the health program of the P(amdgpu.stability.monitor#role) role recorded - when
    it was seen, hours up, kernel, the amdgpu part of the command line, the live amdgpu options, the firmware,
    and its hangs - for the audit's stability history (hang rate per configuration).
  - A host without the monitor has no history - C(boots) is empty, not a failure. A damaged ledger is named in
    C(problems) and left out.
author:
  - amdgpu.stability contributors (@amdgpu-stability)
extends_documentation_fragment:
  - amdgpu.stability.platform
  - amdgpu.stability.read_only
options:
  state_dir:
    description: The health program's state directory (its C(--state-dir)).
    type: path
    default: /var/lib/amdgpu-stability
"""

EXAMPLES = r"""
- name: Read the stability history
  amdgpu.stability.stability_history:
  register: history
"""

RETURN = r"""
boots:
  description:
    - One per boot, oldest first - C(boot_id), C(first_seen), C(last_seen) (seconds since the epoch), C(hours_up)
      (null for a boot known only from the journal), C(kernel), C(cmdline), C(options), C(firmware), C(gpus_seen)
      and C(hangs) (C(id), C(start), C(device), C(stages), C(outcome), C(reset_method), C(reset_level),
      C(severity), C(settled) - only settled hangs are counted).
  returned: always
  type: list
  elements: dict
problems:
  description: Ledgers that could not be read, and why.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.amdgpu.stability.plugins.module_utils.stability_ledger import StateDir


def main():
    module = AnsibleModule(argument_spec=dict(state_dir=dict(type="path", default="/var/lib/amdgpu-stability")),
                           supports_check_mode=True)
    boots, problems = StateDir(module.params["state_dir"]).ledgers()
    module.exit_json(changed=False, boots=boots, problems=problems)


if __name__ == "__main__":
    main()
