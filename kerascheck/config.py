"""Configuration: `[tool.kerascheck]` in pyproject.toml, or a kerascheck.toml, plus CLI flags.

Loaded and validated once per run, never per file. Anything unknown (a key, a rule
code, a format) is an error that names itself: a typo in `select` must not silently
turn every rule off.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Optional

import pathspec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from kerascheck.semantic.target import TARGETS

CONFIG_FILES = ("kerascheck.toml", ".kerascheck.toml", "pyproject.toml")
TARGET_KERAS = TARGETS  # auto, 3, 2, 2.11
OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "github", "sarif", "junit", "gitlab")


class ConfigError(Exception):
    """A problem with the configuration; the CLI prints it and exits 2."""


@dataclass(frozen=True)
class Settings:
    select: Optional[tuple[str, ...]] = None  # None: the default rule set
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: Optional[tuple[str, ...]] = None  # None: the default excludes
    extend_exclude: tuple[str, ...] = ()
    # `extend-keras-bases` (alias: `extra-bases`): dotted names of third-party classes
    # that count as Keras bases, a Model when the class name ends in `Model`, else a Layer.
    extra_bases: tuple[str, ...] = ()
    output_format: str = "full"
    # Whose fixes --fix may apply (kerascheck.fix): `fixable` selectors (None: all rules)
    # minus `unfixable` ones. A finding of another rule shows no fix.
    fixable: Optional[tuple[str, ...]] = None
    unfixable: tuple[str, ...] = ()
    # Which Keras the code runs on, for every rule (kerascheck.semantic.target): "auto"
    # decides per file (dependency pins, tf_keras, TF_USE_LEGACY_KERAS); "3", "2" (2.12+,
    # auto-config) or "2.11" (older) force it. The migration rules run on Keras 3 only.
    # `--show-settings` prints what each file got.
    target_keras: str = "auto"
    # --confirm (kerascheck.confirm): whether to run it, the time limit per class in
    # seconds, and examples for classes: ("module.Class", JSON of {args, kwargs,
    # input-shape, dtype}) pairs, JSON so that the settings stay hashable.
    confirm: bool = False
    confirm_timeout: float = 10.0
    confirm_examples: tuple[tuple[str, str], ...] = ()
    root: str = field(default_factory=os.getcwd)  # patterns are relative to this
    source: Optional[str] = None  # the file the settings came from
    # The selectors written in that file, so an error names the file only for its own.
    configured_selectors: frozenset = frozenset()

    def with_overrides(self, **overrides) -> "Settings":
        """These settings with the command line's values layered on top, as ruff does:
        `select`, `exclude` and `output_format` replace the configured value (a CLI
        `select` also drops the configured `extend-select`); `extend_select`, `ignore` and
        `extend_exclude` add to it, so `--ignore KC101` does not revive a rule the
        config file ignores."""
        given = {key: value for key, value in overrides.items() if value is not None}
        if "select" in given:
            given.setdefault("extend_select", ())
        elif "extend_select" in given:
            given["extend_select"] = (*self.extend_select, *given["extend_select"])
        for additive in ("ignore", "extend_exclude"):
            if additive in given:
                given[additive] = (*getattr(self, additive), *given[additive])
        return replace(self, **given)

    def enabled_codes(self, rules: Mapping[str, object]) -> frozenset:
        """The codes that run: selected (default set, or `select`) plus `extend-select`,
        minus `ignore`. A prefix (`KC2`) picks the default rules under it; opt-in rules
        need their exact code or `ALL`."""
        base = _expand(self.select, rules) if self.select is not None else _defaults(rules)
        chosen = base | _expand(self.extend_select, rules)
        ignored = _expand(self.ignore, rules, include_opt_in=True)
        return frozenset(chosen - ignored)

    def per_file_ignore_matcher(self):
        """(spec, codes) pairs, compiled once per run."""
        return [
            (pathspec.GitIgnoreSpec.from_lines([pattern]), frozenset(codes))
            for pattern, codes in self.per_file_ignores
        ]

    def validate(self, rules: Mapping[str, object]) -> None:
        selectors = [*(self.select or ()), *self.extend_select, *self.ignore]
        selectors += [code for _, codes in self.per_file_ignores for code in codes]
        selectors += [*(self.fixable or ()), *self.unfixable]
        for selector in selectors:
            if selector != "ALL" and not any(code.startswith(selector) for code in rules):
                where = self._where() if selector in self.configured_selectors else ""
                raise ConfigError(f"unknown rule selector '{selector}'{where}")
        if self.output_format not in OUTPUT_FORMATS:
            raise ConfigError(
                f"unknown output format '{self.output_format}'{self._where()}; "
                f"choose one of {', '.join(OUTPUT_FORMATS)}"
            )
        if self.target_keras not in TARGET_KERAS:
            raise ConfigError(
                f"unknown target-keras '{self.target_keras}'{self._where()}; choose one of {', '.join(TARGET_KERAS)}"
            )

    def fixable_codes(self, rules: Mapping[str, object]) -> Optional[frozenset]:
        """The codes whose fixes may be applied and shown; None when every rule's may."""
        if self.fixable is None and not self.unfixable:
            return None
        chosen = set(rules) if self.fixable is None else _expand(self.fixable, rules, include_opt_in=True)
        return frozenset(chosen - _expand(self.unfixable, rules, include_opt_in=True))

    def _where(self) -> str:
        return f" (in {self.source})" if self.source else ""


def _defaults(rules: Mapping[str, object]) -> set:
    return {code for code, rule in rules.items() if getattr(rule, "default", True)}


def _expand(selectors: Iterable[str], rules: Mapping[str, object], include_opt_in=False) -> set:
    chosen = set()
    for selector in selectors or ():
        if selector == "ALL":
            chosen |= set(rules)
        elif selector in rules:
            chosen.add(selector)
        else:
            chosen |= {
                code
                for code, rule in rules.items()
                if code.startswith(selector) and (include_opt_in or getattr(rule, "default", True))
            }
    return chosen


# key in the file -> (Settings field, expected type)
_KEYS = {
    "select": ("select", list),
    "extend-select": ("extend_select", list),
    "ignore": ("ignore", list),
    "per-file-ignores": ("per_file_ignores", dict),
    "exclude": ("exclude", list),
    "extend-exclude": ("extend_exclude", list),
    "extend-keras-bases": ("extra_bases", list),
    "extra-bases": ("extra_bases", list),  # the older name of extend-keras-bases
    "output-format": ("output_format", str),
    "fixable": ("fixable", list),
    "unfixable": ("unfixable", list),
    "target-keras": ("target_keras", str),
    "confirm": ("confirm", bool),  # or a table: see _confirm_table
}


def find_config_file(start: str) -> Optional[str]:
    """The nearest kerascheck.toml, or pyproject.toml with a [tool.kerascheck] table,
    from `start` upwards."""
    directory = os.path.abspath(start)
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate) and (
                name != "pyproject.toml" or _has_kerascheck_table(candidate)
            ):
                return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_kerascheck_table(path: str) -> bool:
    try:
        return "kerascheck" in _read_toml(path).get("tool", {})
    except ConfigError:
        return True  # report the broken file rather than skipping past it


def _read_toml(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None


def load_settings(
    config_path: Optional[str] = None, isolated: bool = False, cwd: Optional[str] = None
) -> Settings:
    """Settings from `config_path`, or from the nearest config file above `cwd`."""
    cwd = cwd or os.getcwd()
    if isolated:
        return Settings(root=cwd)
    path = config_path or find_config_file(cwd)
    if path is None:
        return Settings(root=cwd)
    if config_path and not os.path.isfile(config_path):
        raise ConfigError(f"config file not found: {config_path}")
    data = _read_toml(path)
    if os.path.basename(path) == "pyproject.toml" or "tool" in data:
        data = data.get("tool", {}).get("kerascheck", {})
    return settings_from_table(data, source=path, root=os.path.dirname(os.path.abspath(path)))


def settings_from_table(data: Mapping, source: Optional[str] = None, root: str = "") -> Settings:
    values = {}
    where = f" in {source}" if source else ""
    for key, value in data.items():
        if key == "confirm" and isinstance(value, dict):
            values.update(_confirm_table(value, where))
            continue
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(f"unknown option '{key}'{where}; known options: {known}")
        field_name, expected = _KEYS[key]
        if key == "target-keras" and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # `target-keras = 3` (or 2.11) reads as well as "3"
        if not isinstance(value, expected):
            raise ConfigError(f"option '{key}'{where} must be a {expected.__name__}")
        if expected is list:
            if not all(isinstance(item, str) for item in value):
                raise ConfigError(f"option '{key}'{where} must be a list of strings")
            value = tuple(value)
            if field_name == "extra_bases":  # both spellings given: both count
                value = (*values.get(field_name, ()), *value)
        elif expected is dict:
            value = tuple((pattern, tuple(_as_codes(codes, key, where))) for pattern, codes in value.items())
        values[field_name] = value
    selectors = [
        *values.get("select", ()), *values.get("extend_select", ()), *values.get("ignore", ()),
        *(code for _, codes in values.get("per_file_ignores", ()) for code in codes),
        *values.get("fixable", ()), *values.get("unfixable", ()),
    ]
    return Settings(
        root=root or os.getcwd(), source=source, configured_selectors=frozenset(selectors), **values
    )


def _as_codes(codes, key: str, where: str) -> list:
    if isinstance(codes, str):
        return [codes]
    if isinstance(codes, list) and all(isinstance(code, str) for code in codes):
        return codes
    raise ConfigError(f"option '{key}'{where} maps patterns to lists of rule codes")


_CONFIRM_EXAMPLE_KEYS = {"args": list, "kwargs": dict, "input-shape": list, "dtype": str}


def _confirm_table(table: Mapping, where: str) -> dict:
    """`[tool.kerascheck.confirm]`: `enabled`, `timeout`, and one sub-table per class,
    `[tool.kerascheck.confirm."module.Class"]` with args, kwargs, input-shape, dtype."""
    import json

    values: dict = {}
    examples = []
    for key, value in table.items():
        if key == "enabled":
            if not isinstance(value, bool):
                raise ConfigError(f"option 'confirm.enabled'{where} must be true or false")
            values["confirm"] = value
        elif key == "timeout":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"option 'confirm.timeout'{where} must be a positive number of seconds")
            values["confirm_timeout"] = float(value)
        elif isinstance(value, dict):
            for name, item in value.items():
                expected = _CONFIRM_EXAMPLE_KEYS.get(name)
                if expected is None:
                    raise ConfigError(
                        f"unknown key '{name}' in [confirm.\"{key}\"]{where}; known keys: "
                        f"{', '.join(_CONFIRM_EXAMPLE_KEYS)}"
                    )
                if not isinstance(item, expected):
                    raise ConfigError(f"'{name}' in [confirm.\"{key}\"]{where} must be a {expected.__name__}")
            shape = value.get("input-shape", [])
            if not all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in shape):
                raise ConfigError(
                    f"'input-shape' in [confirm.\"{key}\"]{where} must list positive integers, "
                    "without the batch dimension (as keras.Input(shape=...))"
                )
            examples.append((key, json.dumps(value, default=str)))
        else:
            raise ConfigError(
                f"unknown option 'confirm.{key}'{where}: the [confirm] table takes enabled, timeout "
                f"and one [confirm.\"module.Class\"] table per class"
            )
    values["confirm_examples"] = tuple(examples)
    return values
