# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit report and its Markdown and HTML forms (plugin_utils/audit_report.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The code behind each filter is imported when the filter is called: Ansible imports every filter file
# of the collection in each worker process that looks up one of its filters (a worker per host and
# task), so a filter file must cost nothing to import.


def audit_report(audits, hosts, generated):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.audit_report import audit_report as build
    return build(audits, hosts, generated)


def audit_markdown(report):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.audit_report import render_markdown
    return render_markdown(report)


def audit_html(report):
    from ansible_collections.amdgpu.stability.plugins.plugin_utils.audit_report import render_html
    return render_html(report)


class FilterModule(object):
    def filters(self):
        return {"audit_report": audit_report, "audit_markdown": audit_markdown, "audit_html": audit_html}
