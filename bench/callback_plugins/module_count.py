# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Count the module executions on each host (bench/lab_scale.py): tasks whose action ran on the
target, not controller-only actions (set_fact, debug, assert, include_*, meta) and not tasks
delegated to the controller. Written as JSON to $MODULE_COUNT_FILE at the end of the run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: module_count
type: aggregate
short_description: Count module executions per host (benchmark helper)
description: Counts, per host, the task results of actions that ran a module on the host.
requirements: [MODULE_COUNT_FILE in the environment]
"""

import collections
import json
import os

from ansible.plugins.callback import CallbackBase

CONTROLLER_ONLY = {"set_fact", "debug", "assert", "fail", "meta", "include_tasks", "include_role", "import_tasks",
                   "import_role", "include_vars", "add_host", "group_by", "set_stats", "pause", "validate_argument_spec"}


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "module_count"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.counts = collections.defaultdict(collections.Counter)

    def _count(self, result):
        task = result._task
        action = task.action.rsplit(".", 1)[-1]
        if action in CONTROLLER_ONLY or task.delegate_to:
            return
        self.counts[result._host.get_name()][task.action] += 1

    def v2_runner_on_ok(self, result):
        self._count(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._count(result)

    def v2_playbook_on_stats(self, stats):
        with open(os.environ["MODULE_COUNT_FILE"], "w") as handle:
            json.dump(dict((host, dict(counter)) for host, counter in self.counts.items()), handle, indent=1, sort_keys=True)
