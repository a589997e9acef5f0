"""Configuration: `[tool.kerascheck]` in pyproject.toml, or a kerascheck.toml, plus CLI flags.

Loaded and validated once per run, never per file. Anything unknown (a key, a rule
code, a format) is an error that names itself: a typo in `select` must not silently
turn every rule off.

`extend = "../pyproject.toml"` inherits another configuration file, as ruff's does: the
path is relative to the directory of the file that says it; that file is read first
(and what it extends, in turn), then this file's settings are layered on top, as the
command line's are on the configuration (see Settings.with_overrides). Patterns stay
relative to the file that wrote them. A cycle is an error.
"""
from __future__ import annotations

import fnmatch
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
    # The files it extends (`extend`), nearest first: their settings are under its own.
    extends: tuple[str, ...] = ()
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
        if not self.source:
            return ""
        if self.extends:
            return f" (in {self.source}, or {' or '.join(self.extends)} which it extends)"
        return f" (in {self.source})"


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
    return settings_from_table(_table(path), source=path, root=os.path.dirname(os.path.abspath(path)))


def _table(path: str) -> Mapping:
    """kerascheck's table of a configuration file: `[tool.kerascheck]` of a pyproject.toml
    (empty when it has none), the whole of a kerascheck.toml."""
    data = _read_toml(path)
    if os.path.basename(path) == "pyproject.toml" or "tool" in data:
        return data.get("tool", {}).get("kerascheck", {})
    return data


def settings_from_table(data: Mapping, source: Optional[str] = None, root: str = "", _chain: tuple = ()) -> Settings:
    """The settings of one configuration table (from `source`, whose patterns are relative
    to `root`), on top of those of the file it extends, if any. `_chain`: the files
    being read, for the cycle check."""
    where = f" in {source}" if source else ""
    root = root or os.getcwd()
    base = None
    if "extend" in data:
        data = dict(data)
        base = _extended(data.pop("extend"), source, root, _chain, where)
    values = {}
    for key, value in data.items():
        if key == "confirm" and isinstance(value, dict):
            values.update(_confirm_table(value, where))
            continue
        if key not in _KEYS:
            known = ", ".join(sorted([*_KEYS, "extend"]))
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
    own = Settings(root=root, source=source, configured_selectors=frozenset(selectors), **values)
    return own if base is None else _on_top(base, values, own)


def _extended(extend, source: Optional[str], root: str, chain: tuple, where: str) -> Settings:
    """The settings of the file `extend` names (relative to `root`, the directory of the
    file that names it); ConfigError for a bad value, a missing file or a cycle."""
    if not isinstance(extend, str) or not extend.strip():
        raise ConfigError(f"option 'extend'{where} must be the path of a configuration file")
    path = os.path.normpath(os.path.join(root, os.path.expanduser(os.path.expandvars(extend))))
    seen = chain or ((os.path.realpath(source),) if source else ())
    real = os.path.realpath(path)
    if real in seen:
        shown = " -> ".join([*seen, real])
        raise ConfigError(f"circular 'extend'{where}: {shown}")
    if not os.path.isfile(path):
        raise ConfigError(f"option 'extend'{where} names {extend!r}, which is not a file ({path})")
    return settings_from_table(_table(path), source=path, root=os.path.dirname(real), _chain=(*seen, real))


def _on_top(base: Settings, values: dict, own: Settings) -> Settings:
    """`own` (the extending file, whose table gave `values`) layered on `base` (what it
    extends) as the command line is on a file: `select`, `exclude` and the others
    replace, `extend-select`, `ignore`, `extend-exclude` and `extend-keras-bases` add.
    The base's patterns are rewritten relative to `own`'s root."""
    rebased = replace(
        base,
        exclude=None if base.exclude is None else _rebased_all(base.exclude, base.root, own.root),
        extend_exclude=_rebased_all(base.extend_exclude, base.root, own.root),
        per_file_ignores=tuple(
            (pattern, codes) for spec, codes in base.per_file_ignores
            for pattern in [_rebased(spec, base.root, own.root)] if pattern is not None
        ),
    )
    given = dict(values)
    if "extra_bases" in given:
        given["extra_bases"] = (*base.extra_bases, *given["extra_bases"])
    return replace(
        rebased.with_overrides(**given),
        root=own.root, source=own.source, extends=(base.source, *base.extends),
        configured_selectors=base.configured_selectors | own.configured_selectors,
    )


def _rebased_all(patterns: Iterable[str], defined_in: str, root: str) -> tuple[str, ...]:
    return tuple(found for found in (_rebased(p, defined_in, root) for p in patterns) if found is not None)


def _rebased(pattern: str, defined_in: str, root: str) -> Optional[str]:
    """A gitignore pattern written relative to the directory `defined_in`, written
    relative to `root` instead; None when it cannot match anything below `root`."""
    here = os.path.relpath(defined_in, root).replace(os.sep, "/")
    if here == ".":
        return pattern
    negated, body = (True, pattern[1:]) if pattern.startswith("!") else (False, pattern)
    directory = "/" if body.endswith("/") else ""
    core = body.rstrip("/")
    down = os.path.relpath(root, defined_in).replace(os.sep, "/")
    if "/" not in core or core.startswith("**/"):  # matches at any depth below defined_in
        name = core.removeprefix("**/")
        if not here.startswith(".."):
            found = f"/{here}/**/{name}{directory}"
        elif down.startswith(".."):
            found = None  # root is not below defined_in
        elif "/" not in name and any(fnmatch.fnmatchcase(step, name) for step in down.split("/")):
            found = "**"  # it names a directory root is in: all of root
        else:
            found = core + directory
    elif not here.startswith(".."):
        found = f"/{here}/{core.lstrip('/')}{directory}"
    else:
        found = _below(core.lstrip("/").split("/"), down)
        if found is not None and found != "**":
            found += directory
    if found is None:
        return None
    return ("!" if negated else "") + found


def _below(parts: list[str], down: str) -> Optional[str]:
    """An anchored pattern's components `parts`, seen from the directory `down` below
    the one they are anchored at; None when they lead elsewhere."""
    if down.startswith(".."):
        return None
    steps = down.split("/")
    for number, step in enumerate(steps):
        if number == len(parts):
            return "**"  # the pattern names a directory above root: all of root
        if parts[number] == "**":
            return "/".join(parts[number:])
        if not fnmatch.fnmatchcase(step, parts[number]):
            return None
    rest = parts[len(steps):]
    return "/" + "/".join(rest) if rest else "**"


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
