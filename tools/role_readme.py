# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the variables section of each role's README from the role's meta/argument_specs.yml.

    python tools/role_readme.py          rewrite the generated section of roles/*/README.md
    python tools/role_readme.py --check  exit 1 if a README's section is not what the specs give

The argument specs are the one home of a role's variables (ansible-core validates them and
ansible-doc shows them); the README repeats them for Galaxy and for readers of the repository.
Everything outside the markers is written by hand: what the role does and an example.
"""

import glob
import os
import re
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = "<!-- BEGIN variables: generated from meta/argument_specs.yml by tools/role_readme.py, do not edit -->"
END = "<!-- END variables -->"

# Ansible's documentation markup (C(), V(), O(), M(), P(), I(), B(), U(), L()) as Markdown.
_MARKUP = (
    (re.compile(r"\b[CVOM]\(([^()]*(?:\([^()]*\)[^()]*)*)\)"), lambda m: "`%s`" % m.group(1)),
    (re.compile(r"\bP\(([^#()]+)#[a-z]+\)"), lambda m: "`%s`" % m.group(1)),
    (re.compile(r"\bI\(([^()]+)\)"), lambda m: "*%s*" % m.group(1)),
    (re.compile(r"\bB\(([^()]+)\)"), lambda m: "**%s**" % m.group(1)),
    (re.compile(r"\bU\(([^()]+)\)"), lambda m: "<%s>" % m.group(1)),
    (re.compile(r"\bL\(([^,()]+),\s*([^()]+)\)"), lambda m: "[%s](%s)" % (m.group(1), m.group(2))),
)


def markdown(text):
    text = " ".join(str(text).split())
    for pattern, replace in _MARKUP:
        text = pattern.sub(replace, text)
    return text


def _paragraphs(description):
    if description is None:
        return []
    return [markdown(item) for item in (description if isinstance(description, list) else [description])]


def _value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value in ({}, []):
        return "{}" if value == {} else "[]"
    return str(value)


def option_lines(name, spec, indent=""):
    facts = [spec.get("type", "str") + ("/" + spec["elements"] if spec.get("elements") else "")]
    if spec.get("required"):
        facts.append("required")
    if "default" in spec:
        facts.append("default `%s`" % _value(spec["default"]))
    if spec.get("choices"):
        facts.append("one of " + ", ".join("`%s`" % _value(choice) for choice in spec["choices"]))
    paragraphs = _paragraphs(spec.get("description"))
    lines = ["%s- `%s` (%s): %s" % (indent, name, "; ".join(facts), paragraphs[0] if paragraphs else "")]
    lines += ["%s  %s" % (indent, paragraph) for paragraph in paragraphs[1:]]
    for sub_name, sub_spec in sorted((spec.get("options") or {}).items()):
        lines += option_lines(sub_name, sub_spec, indent + "  ")
    return lines


def section(specs):
    """The generated Markdown for one role's argument specs."""
    lines = [BEGIN, "## Entry points and variables", ""]
    for entry, spec in specs["argument_specs"].items():
        lines += ["### `%s` - %s" % (entry, markdown(spec.get("short_description", ""))), ""]
        for paragraph in _paragraphs(spec.get("description")):
            lines += [paragraph, ""]
        options = spec.get("options") or {}
        if options:
            for name in sorted(options):
                lines += option_lines(name, options[name])
        else:
            lines.append("No variables.")
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def expected(readme_text, specs):
    """``readme_text`` with its generated section replaced (appended when it has none)."""
    generated = section(specs)
    if BEGIN in readme_text and END in readme_text:
        head, rest = readme_text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        return head + generated + tail
    return readme_text.rstrip("\n") + "\n\n" + generated + "\n"


def roles():
    return sorted(os.path.basename(os.path.dirname(os.path.dirname(path)))
                  for path in glob.glob(os.path.join(REPO, "roles", "*", "meta", "argument_specs.yml")))


def main(argv):
    check = argv == ["--check"]
    stale = []
    for role in roles():
        with open(os.path.join(REPO, "roles", role, "meta", "argument_specs.yml")) as handle:
            specs = yaml.safe_load(handle)
        path = os.path.join(REPO, "roles", role, "README.md")
        current = open(path).read() if os.path.exists(path) else "# amdgpu.stability.%s\n" % role
        wanted = expected(current, specs)
        if wanted != current:
            stale.append(os.path.relpath(path, REPO))
            if not check:
                with open(path, "w") as handle:
                    handle.write(wanted)
    if check and stale:
        sys.exit("not generated from the argument specs (run python tools/role_readme.py): " + ", ".join(stale))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
