# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab rollout report and its Markdown and HTML forms (plugin_utils/lab_report.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The code behind each filter is imported when the filter is called: Ansible imports every filter file
# of the collection in each worker process that looks up one of its filters (a worker per host and
# task), so a filter file must cost nothing to import.


def lab_report(results, hosts, batches, settings, generated):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.lab_report import lab_report as build
    return build(results, hosts, batches, settings, generated)


def lab_markdown(report):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.lab_report import render_markdown
    return render_markdown(report)


def lab_html(report):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.lab_report import render_html
    return render_html(report)


def lab_host_result(host, report, verify=None, failure=None):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.lab_report import host_result
    return host_result(host, report, verify, failure)


def lab_failure(task_name, failed_result):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.lab_report import failure_of
    return failure_of(task_name, failed_result)


class FilterModule(object):
    def filters(self):
        return {"lab_report": lab_report, "lab_markdown": lab_markdown, "lab_html": lab_html,
                "lab_host_result": lab_host_result, "lab_failure": lab_failure}
