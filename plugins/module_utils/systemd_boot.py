# -*- coding: utf-8 -*-
# Copyright (c) amdgpu.stability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kernel arguments on systemd-boot: ``/etc/kernel/cmdline``, the Boot Loader Specification entries
``kernel-install`` writes from it for each kernel, and the entry that boots next.

systemd's ``90-loaderentry.install`` (systemd 257, Debian 13) writes ``options`` from
``/etc/kernel/cmdline`` (comment lines dropped, whitespace folded), from ``/usr/lib/kernel/cmdline``
when that is missing, else from the running ``/proc/cmdline`` without ``BOOT_IMAGE=``/``initrd=``;
it appends ``systemd.machine_id=`` itself when the entries are named after the machine id. Debian's
``systemd-boot`` package reruns ``kernel-install add`` after every initramfs update
(``/etc/initramfs/post-update.d/systemd-boot``), so a rebuilt initramfs also rewrites the entry.

What the collection changed in the file is recorded beside it (``RECORD``), so that ``absent`` puts
back exactly what was there: the file's own bytes when nobody edited the line since.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch
import glob
import json
import os

from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_cmdline import (
    differences,
    is_in_effect,
    merge_tokens,
    not_in_effect,
    split_cmdline,
    token_name,
    unmerge_tokens,
)
from ansible_collections.amdgpu.stability.plugins.module_utils.kernel_release import release_version
from ansible_collections.amdgpu.stability.plugins.module_utils.rooted import read_under, under

CMDLINE = "/etc/kernel/cmdline"
FALLBACK_CMDLINE = "/usr/lib/kernel/cmdline"
RECORD = "/etc/kernel/amdgpu-stability.json"
# Where bootctl and kernel-install look for $BOOT (XBOOTLDR first, then the ESP mount points).
BOOT_ROOTS = ("/boot", "/efi", "/boot/efi")
# Tokens kernel-install adds to every entry on its own (entries named after the machine id).
KERNEL_INSTALL_TOKENS = ("systemd.machine_id",)
# Tokens a boot loader adds to /proc/cmdline that are not part of the configured line.
LOADER_TOKENS = ("BOOT_IMAGE", "initrd")


class SystemdBootError(Exception):
    """The files systemd-boot's command line comes from cannot be planned safely."""


def cmdline_file_tokens(text):
    """Tokens of an /etc/kernel/cmdline text as kernel-install reads it: lines starting with ``#``
    (after blanks) are comments, the rest is one command line."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return split_cmdline(" ".join(lines))


def parse_entry(text):
    """``{key: value}`` of a BLS type #1 entry; repeated ``options`` lines are joined, as
    systemd-boot does."""
    entry = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, value = line.partition(" ")[::2]
        value = value.strip()
        if key == "options" and "options" in entry:
            entry["options"] = "%s %s" % (entry["options"], value)
        else:
            entry[key] = value
    return entry


def boot_root(root="/"):
    """The directory (as on the host) holding ``loader/entries``, or None."""
    for candidate in BOOT_ROOTS:
        if os.path.isdir(under(root, candidate + "/loader/entries")):
            return candidate
    return None


def loader_entries(root="/"):
    """Every entry in $BOOT/loader/entries, newest kernel first: ``{path, id, version, tokens}``."""
    found = []
    base = boot_root(root)
    if base is None:
        return found
    for path in glob.glob(under(root, base + "/loader/entries/*.conf")):
        entry = parse_entry(read_under(root, os.path.relpath(path, root)) or "")
        name = os.path.basename(path)
        found.append({"path": "%s/loader/entries/%s" % (base, name), "id": name[:-len(".conf")],
                      "version": entry.get("version", ""), "tokens": split_cmdline(entry.get("options", ""))})
    return sorted(found, key=lambda entry: (release_version(entry["version"]), entry["version"], entry["id"]),
                  reverse=True)


def loader_default(root="/"):
    """The ``default`` pattern of loader.conf (an entry id glob), or None."""
    base = boot_root(root)
    for candidate in ([base] if base else []) + [b for b in BOOT_ROOTS if b != base]:
        text = read_under(root, candidate + "/loader/loader.conf")
        if text is None:
            continue
        for line in text.splitlines():
            words = line.split(None, 1)
            if len(words) == 2 and words[0] == "default" and not words[1].startswith("@"):
                return words[1].strip()
    return None


def default_entry(root="/", entries=None):
    """The entry systemd-boot boots when nobody picks one: the first match of loader.conf's
    ``default``, else the newest kernel's (its sort without sort-key tie breaks). None without entries."""
    entries = loader_entries(root) if entries is None else entries
    pattern = loader_default(root)
    if pattern:
        for entry in entries:
            if fnmatch.fnmatch(entry["id"], pattern) or fnmatch.fnmatch(entry["id"] + ".conf", pattern):
                return entry
    return entries[0] if entries else None


def installed_kernels(root="/"):
    """Kernel versions with an image in /boot (vmlinuz-<version>), oldest first."""
    versions = [os.path.basename(path)[len("vmlinuz-"):] for path in glob.glob(under(root, "/boot/vmlinuz-*"))]
    return sorted(versions, key=lambda version: (release_version(version), version))


def install_commands(root="/"):
    """The ``kernel-install add`` argv for every installed kernel, with its initramfs when there is one,
    as Debian's hooks call it."""
    commands = []
    for version in installed_kernels(root):
        argv = ["kernel-install", "add", version, "/boot/vmlinuz-%s" % version]
        if os.path.exists(under(root, "/boot/initrd.img-%s" % version)):
            argv.append("/boot/initrd.img-%s" % version)
        commands.append(argv)
    return commands


def _without(tokens, names):
    return [token for token in tokens if token_name(token) not in names]


def configured_tokens(root="/", entries=None):
    """``(tokens, source)`` of the command line kernel-install writes into new entries today."""
    text = read_under(root, CMDLINE)
    if text is not None:
        return cmdline_file_tokens(text), CMDLINE
    text = read_under(root, FALLBACK_CMDLINE)
    if text is not None:
        return cmdline_file_tokens(text), FALLBACK_CMDLINE
    # No file: the entries were written from the command line that was running then. The next boot's
    # entry is the better base than /proc/cmdline now (a one-off edit at the boot menu is not kept).
    entry = default_entry(root, entries)
    if entry is not None:
        return _without(entry["tokens"], KERNEL_INSTALL_TOKENS), entry["path"]
    running = read_under(root, "/proc/cmdline")
    return _without(split_cmdline(running or ""), LOADER_TOKENS), "/proc/cmdline"


def _read_record(root):
    text = read_under(root, RECORD)
    if text is None:
        return None
    try:
        record = json.loads(text)
    except ValueError:
        record = None
    if not isinstance(record, dict) or not isinstance(record.get("added"), list) \
            or not isinstance(record.get("replaced"), dict):
        raise SystemdBootError(
            "%s, the collection's record of what it changed in %s, is damaged; restore %s from a backup "
            "and delete the record" % (RECORD, CMDLINE, CMDLINE))
    return record


def render_cmdline(tokens):
    """/etc/kernel/cmdline holding ``tokens``: one line."""
    return " ".join(tokens) + "\n"


def plan_files(root, wanted, state, entries):
    """``(files, after_tokens, managed, source)``: the new /etc/kernel/cmdline and record
    (``{path: {state, content, changed, before}}``), the command line kernel-install will then write,
    the tokens the collection had put there before, and where today's line comes from."""
    text = read_under(root, CMDLINE)
    record_text = read_under(root, RECORD)
    record = _read_record(root)
    current, source = configured_tokens(root, entries)
    managed = list(record["added"]) + list(record["replaced"]) if record else []

    base = unmerge_tokens(current, record["added"], record["replaced"]) if record else list(current)
    original = record.get("original") if record else text
    created = record.get("created", False) if record else text is None
    tokens, added, replaced = merge_tokens(base, wanted if state == "present" else [])

    if added or replaced:
        new_record = {"added": added, "replaced": replaced, "created": created, "original": original}
        new_text = text if text is not None and tokens == current else render_cmdline(tokens)
        new_record_text = json.dumps(new_record, sort_keys=True, indent=1, separators=(",", ": ")) + "\n"
    else:
        # Nothing of ours is left: the file's bytes from before when the line is what it was. A file
        # the collection created stays, holding the line from before: without it kernel-install would
        # copy the running command line, which carries the arguments until the next boot.
        if record is None:
            new_text = text
        elif original is not None and cmdline_file_tokens(original) == base:
            new_text = original
        else:
            new_text = render_cmdline(base)
        new_record_text = None
    files = {}
    for path, before, after in ((CMDLINE, text, new_text), (RECORD, record_text, new_record_text)):
        files[path] = {"state": "file" if after is not None else "absent", "content": after,
                       "changed": before != after, "before": before}
    return files, tokens, managed, source


def plan(root, args, state, running):
    """The plan of the grub_cmdline role on systemd-boot, in the shape of grub_plan.plan's."""
    wanted = list(args) if state == "present" else []
    entries = loader_entries(root)
    files, after_tokens, managed, source = plan_files(root, wanted, state, entries)
    entry = default_entry(root, entries)
    relevant = list(dict.fromkeys(wanted + managed))
    stale_entries = [e["path"] for e in entries
                     if any(is_in_effect(e["tokens"], token) != is_in_effect(after_tokens, token)
                            for token in relevant)]
    before_tokens = entry["tokens"] if entry else None
    reboot_reasons = differences(running, after_tokens, relevant)
    return {
        "files": files,
        "changed_files": sorted(path for path, entry_ in files.items() if entry_["changed"]),
        "source": source,
        "entries": entries,
        "boot_config": {"path": entry["path"] if entry else None, "tokens": before_tokens,
                        "stale": bool(stale_entries), "stale_entries": stale_entries},
        "before": {"tokens": before_tokens},
        "after": {"tokens": after_tokens},
        "missing": not_in_effect(after_tokens, wanted),
        "overridden_by": {},
        "lingering": [],
        "update_commands": install_commands(root),
        "reboot_required": bool(reboot_reasons),
        "reboot_reasons": reboot_reasons,
    }
