"""`kerascheck --show-settings`: the resolved settings of a run, then the Keras each file
it would check runs on, and why. Renders what kerascheck.api.file_targets computed;
nothing here decides a target."""
from __future__ import annotations

import json
from typing import Optional, TextIO

from kerascheck.config import Settings
from kerascheck.finding import RunError


def entries(
    settings: Settings, rules, *, config: Optional[str], config_note: str, target_origin: str, cache_dir: Optional[str]
) -> list[tuple[str, object, str]]:
    """(name, value, where it comes from or what it means; "" for nothing) for each
    setting, in the order a configuration file would list them. None: the default."""
    return [
        ("config-file", config, config_note),
        ("extend", list(settings.extends), "the files it extends, nearest first" if settings.extends else ""),
        ("select", _list(settings.select), "" if settings.select is not None else "the rules on by default"),
        ("extend-select", list(settings.extend_select), ""),
        ("ignore", list(settings.ignore), ""),
        ("per-file-ignores", {pattern: list(codes) for pattern, codes in settings.per_file_ignores}, ""),
        ("exclude", _list(settings.exclude), "" if settings.exclude is not None else "the default excludes"),
        ("extend-exclude", list(settings.extend_exclude), ""),
        ("extend-keras-bases", list(settings.extra_bases), ""),
        ("fixable", _list(settings.fixable), "" if settings.fixable is not None else "every rule"),
        ("unfixable", list(settings.unfixable), ""),
        ("output-format", settings.output_format, ""),
        ("target-keras", settings.target_keras, target_origin),
        ("confirm", settings.confirm, ""),
        ("confirm-timeout", settings.confirm_timeout, ""),
        ("cache-dir", cache_dir, "" if cache_dir is not None else "--no-cache"),
        ("enabled-rules", sorted(settings.enabled_codes(rules)), ""),
    ]


def _list(value) -> Optional[list]:
    return None if value is None else list(value)


def _toml(value, name: str = "") -> str:
    if value is None:
        return "none" if name in ("config-file", "cache-dir") else "default"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(key)} = {_toml(item)}" for key, item in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value)


def render_text(out: TextIO, settings_entries, targets) -> None:
    """`name = value  # origin` lines, then `path: keras 2 (why)` for each file."""
    out.write("# Settings\n")
    for name, value, note in settings_entries:
        if name == "enabled-rules":
            out.write(f"{name} = {len(value)}: {', '.join(value)}\n")
            continue
        out.write(f"{name} = {_toml(value, name)}{f'  # {note}' if note else ''}\n")
    out.write("\n# The Keras each file runs on, and why (every rule asks this)\n")
    for shown, found in targets:
        if not isinstance(found, RunError):
            out.write(f"{shown}: {found.describe()}\n")


def render_json(out: TextIO, settings_entries, targets) -> None:
    document = {
        "settings": {name: value for name, value, _ in settings_entries},
        "notes": {name: note for name, _, note in settings_entries if note},
        "files": [
            {"path": shown, "keras": found.keras, "label": found.label, "assumed": found.assumed, "reason": found.reason}
            for shown, found in targets if not isinstance(found, RunError)
        ],
        "errors": [{"path": found.path, "message": found.message} for _, found in targets if isinstance(found, RunError)],
    }
    out.write(json.dumps(document, indent=2) + "\n")
