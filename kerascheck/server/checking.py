"""The one door from the language server into the checker.

Every call the server makes into kerascheck goes through this module: reading the
settings, the first pass over a file, the import closure, the rules, the fixes, the
`# noqa` reading, the rule pages. A change to the engine's internals is adapted here
alone; kerascheck.server.workspace (what to keep, what to check again) and the protocol
layer call only this.

It reaches below the public API (`kerascheck.api`) for one reason: the API builds the
cross-file index anew for every call (`check_stdin` reads the buffer's import closure
from disk each time), and an editor needs it warm. Here the first pass of a file is kept
(`scan`), and a `Checker` (the rules, and the `ProjectIndex` whose answers it memoises)
is built from the kept first passes and lives until one of them changes. The engine
internals used: `engine.scan_file`, `engine.build_plan`, `engine.prepare_options`,
`engine.Checker` (its `check` and its `index`), the fixer's `Fixer`, and
`semantic.context.ImportClosure`.

Nothing here imports pygls. `--confirm` is never run: nothing here builds a class or
imports Keras.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Iterable, Optional, Sequence, Union

from kerascheck import api, engine, notebooks
from kerascheck.config import CONFIG_FILES, ConfigError, Settings, load_settings
from kerascheck.discovery import SUFFIXES, DiscoveryError
from kerascheck.filters import filter_findings, ignored_codes
from kerascheck.finding import Finding
from kerascheck.fix import FixMode
from kerascheck.fix.fixer import Fixer
from kerascheck.fix.textfile import line_opcodes, split_lines  # fix-all's edits are line diffs
from kerascheck.pages import page_text
from kerascheck.report.common import end as finding_end  # where a finding's range ends
from kerascheck.report.common import rule_help_uri
from kerascheck.rules import all_rules
from kerascheck.semantic.context import ImportClosure
from kerascheck.suppress import Suppressions

Scan = engine.FileScan
# The names of the files that hold kerascheck's settings, and the suffixes of the files
# it checks.
SETTINGS_FILES = frozenset(CONFIG_FILES)
SOURCE_SUFFIXES = SUFFIXES


@dataclass(frozen=True)
class Cell:
    """A notebook cell as the editor holds it: `kind` is "code" or "markdown"."""

    kind: str
    text: str


# A document's content: a Python module's text, or a notebook's cells in order.
Content = Union[str, Sequence[Cell]]


def is_python_path(path: str) -> bool:
    return path.endswith((".py", ".pyi"))


def rule_page(code: str) -> Optional[str]:
    """What `kerascheck rule CODE` prints, or None for an unknown code."""
    if code.upper() not in all_rules():
        return None
    page = page_text(code.upper())
    return page.rstrip("\n") if page is not None else None


def rule_url(code: str) -> str:
    return rule_help_uri(code)


def suppresses(text: str, code: str, line: int) -> bool:
    """Whether the `# noqa` comments of `text` silence `code` on the 1-based `line`."""
    return Suppressions.parse(text).suppresses(code, line)


# ---- settings ---------------------------------------------------------------------------------
class ProjectSettings:
    """The settings `kerascheck` run from `root` uses; the defaults, and `error` saying
    why, when the configuration file cannot be used (a broken file must not stop the
    linting in the editor)."""

    def __init__(self, root: str):
        self.root = root
        self.error: Optional[str] = None
        try:
            self.settings = api.resolve_settings(load_settings(cwd=root))
        except ConfigError as error:
            self.error = str(error)
            self.settings = Settings(root=root)
        rules = all_rules()
        self.codes = self.settings.enabled_codes(rules)
        self.fixable = self.settings.fixable_codes(rules)
        self._ignores = self.settings.per_file_ignore_matcher()
        self._exclusions: dict[str, bool] = {}

    def files(self) -> list[str]:
        """The files `kerascheck` run from the root checks."""
        try:
            return api.discover_files([self.root], self.settings)
        except DiscoveryError:
            return []

    def excluded(self, path: str) -> bool:
        """Whether `exclude`/`extend-exclude` leave the file out, as `kerascheck
        --force-exclude PATH` (pre-commit's run) decides. A file not on disk is not."""
        if path not in self._exclusions:
            try:
                self._exclusions[path] = not api.discover_files([path], self.settings, force_exclude=True)
            except DiscoveryError:
                return False
        return self._exclusions[path]

    def ignored(self, path: str) -> frozenset:
        """The codes per-file-ignores switch off for `path`."""
        return ignored_codes(path, self.settings.root, self._ignores)

    def pins(self, paths: Iterable[str]) -> dict:
        """The run-wide options of a run over `paths`: the Keras each one's project pins."""
        return engine.prepare_options(sorted(paths), {"target_keras": self.settings.target_keras})


# ---- the first pass ---------------------------------------------------------------------------
def notebook_json(cells: Sequence[Cell]) -> str:
    """The cells as the .ipynb the checker reads (a Python kernel, nbformat 4)."""
    document = {
        "cells": [
            {"cell_type": cell.kind, "metadata": {}, "source": cell.text,
             **({"execution_count": None, "outputs": []} if cell.kind == "code" else {})}
            for cell in cells
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document)


def _data(path: str, content: Content) -> str:
    return notebook_json(content) if notebooks.is_notebook(path) else content


def scan(path: str, content: Optional[Content] = None) -> Scan:
    """The first pass over a document's content, or over the file on disk."""
    return engine.scan_file(path, None if content is None else _data(path, content))


def parses(found: Scan) -> bool:
    """Whether the first pass has facts to give the index (the file was read and parsed)."""
    return found.facts is not None


def shape(found: Optional[Scan]):
    """What the index reads of a first pass, comparable: its facts without the line
    numbers of classes (nothing resolves names by line, and typing a line above a class
    moves it); None for no first pass."""
    if found is None or found.facts is None:
        return None
    facts = found.facts
    return replace(
        facts,
        classes={name: replace(one, line=0) for name, one in facts.classes.items()},
        redefinitions={name: [replace(one, line=0) for one in later] for name, later in facts.redefinitions.items()},
    )


class Imports:
    """The project files that modules import, located as the index locates them."""

    def __init__(self):
        self._closure = ImportClosure()

    def frontier(self, scans: Iterable[Scan], known: set) -> list[str]:
        """The files the `scans` import that are not in `known`."""
        return self._closure.frontier([found.facts for found in scans], known)


# ---- checking ---------------------------------------------------------------------------------
class Checker:
    """The rules and the cross-file index over the first passes `scans`, built once and
    kept: its index memoises what it resolves. `pins` come from ProjectSettings.pins."""

    def __init__(self, settings: ProjectSettings, scans: Iterable[Scan], pins: dict):
        self.settings = settings
        self._checker = engine.Checker(engine.build_plan(
            settings.codes, list(scans), settings.settings.extra_bases, cwd=settings.root, options=pins
        ))

    def check(self, found: Scan) -> tuple[list, list]:
        """(findings, kerascheck's own errors) of a document (its first pass `found`, made
        from its content), filtered as a run from the project root filters them
        (per-file-ignores, `fixable`); a notebook's in cell terms, cells numbered from 1
        counting every cell."""
        findings, errors = self._checker.check(found)
        kept = filter_findings(findings, ignored=self.settings.ignored(found.path), fixable=self.settings.fixable)
        return sorted(kept, key=Finding.sort_key), errors

    def fix_all(self, found: Scan, content: Content) -> tuple[Optional[Content], list]:
        """(the document's `content` with every safe fix applied, as `--fix` would, or None
        when nothing changes; kerascheck's errors, e.g. a fix that was refused). `found`
        is its first pass."""
        mode = FixMode(unsafe=False, write=False, fixable=self.settings.fixable)
        _findings, errors, done = Fixer(self._checker).fix(found, mode, self.settings.ignored(found.path))
        if done is None or done.content is None or done.content == found.data:
            return None, errors
        if notebooks.is_notebook(found.path):
            return _cells_of(done.content, content), errors
        return done.content, errors

    def imports_of(self, path: str) -> frozenset:
        """The files of the index that the module `path` imports, directly or through
        others: where a class of `path` may find its bases."""
        index = self._checker.index
        seen: set = set()
        todo = [path]
        while todo:
            facts = index.modules.get(todo.pop())
            if facts is None:
                continue
            for anchor, target in [*facts.imports.values(), *facts.star_imports]:
                found = index.module_file(facts.path, anchor, target)
                if found is not None and found not in seen:
                    seen.add(found)
                    todo.append(found)
        return frozenset(seen)


def _cells_of(notebook: Union[str, bytes], before: Sequence[Cell]) -> Sequence[Cell]:
    """The cells of the fixed notebook JSON (the fixer changes sources only)."""
    cells = json.loads(notebook)["cells"]
    out = []
    for cell, old in zip(cells, before):
        source = cell.get("source", "")
        out.append(Cell(old.kind, "".join(source) if isinstance(source, list) else source))
    return out


__all__ = [
    "Cell", "Checker", "Content", "Imports", "ProjectSettings", "SETTINGS_FILES", "SOURCE_SUFFIXES", "Scan",
    "finding_end", "is_python_path", "line_opcodes", "notebook_json", "parses", "rule_page", "rule_url",
    "scan", "shape", "split_lines", "suppresses",
]
