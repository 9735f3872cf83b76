# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab rollout report and its Markdown and HTML forms (plugin_utils/lab_report.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amdgpu.stability.plugins.plugin_utils.lab_report import (
    failure_of, host_result, lab_report, render_html, render_markdown)


class FilterModule(object):
    def filters(self):
        return {"lab_report": lab_report, "lab_markdown": render_markdown, "lab_html": render_html,
                "lab_host_result": host_result, "lab_failure": failure_of}
