# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report_files action: see plugins/modules/report_files.py for its documentation and
plugin_utils/controller_files.py for the work."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.amdgpu.stability.plugins.plugin_utils import controller_files


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # The files are the controller's: no connection to the host the task runs for is needed.
    _requires_connection = False
    _VALID_ARGS = frozenset(("files", "mode"))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        files = self._task.args.get("files")
        mode = self._task.args.get("mode", "0644")
        found = controller_files.problems(files, mode)
        if found:
            raise AnsibleActionFail("report_files: %s; nothing was written" % "; ".join(found))
        try:
            changed = controller_files.write(files, mode, check=self._task.check_mode)
        except (IOError, OSError) as error:
            raise AnsibleActionFail("report_files: cannot write %s: %s" % (error.filename, error.strerror))
        result.update(changed=bool(changed), changed_files=changed, paths=[item["path"] for item in files])
        return result
