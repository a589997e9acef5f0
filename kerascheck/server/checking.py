"""The one door from the language server into the checker.

Everything the server asks kerascheck (the settings, the first pass, the cross-file
index, the rules, the fixes, the rule pages) goes through this module, so that a change
to the engine's internals is adapted here alone. It reaches below the public API
(`kerascheck.api`) for one reason: the API builds the cross-file index anew for every
call (`check_stdin` reads the import closure of the buffer again each time), and an
editor needs it warm. Here a workspace folder's first pass (`engine.scan_file`, the
facts of every file) is done once; afterwards only the file that changed is scanned
again, an open buffer's facts stand in for its file's, and every check builds its
`ProjectIndex` over those facts (that costs a dictionary; the index answers lazily).
What the engine internals used here are: `scan_file`, `build_plan`, `prepare_options`,
`Checker.check_recording` (which also says which files a check looked at, so that a
change to a base class re-checks exactly the open files that asked about it) and the
fixer's `Fixer`.

Nothing here imports pygls. The protocol layer (kerascheck.server.lsp) calls this
module from a single worker thread, so its state needs no lock. `--confirm` is never
run: nothing here builds a class or imports Keras.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence, Union

from kerascheck import api, engine, notebooks
from kerascheck.config import CONFIG_FILES, ConfigError, Settings, load_settings
from kerascheck.discovery import DiscoveryError, SUFFIXES
from kerascheck.filters import filter_findings, ignored_codes
from kerascheck.finding import Finding, RunError
from kerascheck.fix import FixMode
from kerascheck.fix.fixer import Fixer
from kerascheck.pages import page_text
from kerascheck.report.common import rule_help_uri
from kerascheck.rules import all_rules
from kerascheck.semantic.context import ImportClosure

# Files whose change means the project's settings or its set of files must be read again.
RELOAD_FILES = frozenset(CONFIG_FILES) | {".gitignore"}


@dataclass(frozen=True)
class Cell:
    """A notebook cell as the editor holds it: `kind` is "code" or "markdown"."""

    kind: str
    text: str


# A document's content: a Python module's text, or a notebook's cells in order.
Content = Union[str, Sequence[Cell]]


@dataclass(frozen=True)
class Checked:
    """The findings of one document (a notebook's in cell terms, cells numbered from 1
    counting every cell), kerascheck's own errors on it, and the other open files whose
    findings may have changed because this document's classes did."""

    findings: list
    errors: list
    recheck: frozenset = frozenset()


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


class Project:
    """A workspace folder, or the folder of a file opened outside every workspace folder
    (`scan_tree` False: only the open files and the project files they import are read).

    Its settings are read as the CLI reads them when run from `root`; its files are those
    `kerascheck` run there would check, and, as for the CLI, the project files they
    import (the import closure). An open document's facts replace its file's."""

    def __init__(self, root: str, scan_tree: bool = True):
        self.root = root
        self.scan_tree = scan_tree
        self.disk: dict[str, engine.FileScan] = {}  # first pass of the files as on disk
        self.buffers: dict[str, engine.FileScan] = {}  # ... of the open documents (last parse)
        # open path -> the paths its last check looked up (None: all of them)
        self.dependencies: dict[str, Optional[frozenset]] = {}
        self.loaded = False
        self.settings_error: Optional[str] = None
        self._read_settings()

    def _read_settings(self) -> None:
        """The settings, or the defaults with `settings_error` saying why the file's
        could not be used (the server shows it; a broken file must not stop the linting)."""
        self.settings_error = None
        try:
            self.settings = api.resolve_settings(load_settings(cwd=self.root))
        except ConfigError as error:
            self.settings_error = str(error)
            self.settings = Settings(root=self.root)
        rules = all_rules()
        self._codes = self.settings.enabled_codes(rules)
        self._fixable = self.settings.fixable_codes(rules)
        self._ignores = self.settings.per_file_ignore_matcher()

    # ---- the index ------------------------------------------------------------------------
    def load(self, stop: Optional[threading.Event] = None) -> int:
        """The first pass over the project's files and their import closure; the number of
        files read. Stops early (and stays unloaded) when `stop` is set."""
        self.disk = {}
        if self.scan_tree:
            try:
                files = api.discover_files([self.root], self.settings)
            except DiscoveryError:
                files = []
            for path in files:
                if stop is not None and stop.is_set():
                    return len(self.disk)
                self._scan_from_disk(path)
        self._follow_imports(list(self.disk.values()))
        self.loaded = True
        return len(self.disk)

    def reload(self, stop: Optional[threading.Event] = None) -> None:
        self._read_settings()
        self.load(stop)

    def _scan_from_disk(self, path: str) -> None:
        scan = engine.scan_file(path)
        if scan.facts is not None:
            self.disk[path] = scan
        else:
            self.disk.pop(path, None)

    def _follow_imports(self, scans: Iterable[engine.FileScan]) -> None:
        """Read the project files that `scans` import, transitively, as the CLI does."""
        closure = ImportClosure()
        batch = [scan.facts for scan in scans if scan.facts is not None]
        known = set(self.disk) | set(self.buffers)
        while batch:
            pending = closure.frontier(batch, known)
            known.update(pending)
            batch = []
            for path in pending:
                self._scan_from_disk(path)
                if path in self.disk:
                    batch.append(self.disk[path].facts)

    def _facts_of(self, path: str):
        scan = self.buffers.get(path) or self.disk.get(path)
        return scan.facts if scan is not None else None

    def _scans(self) -> list:
        return list({**self.disk, **self.buffers}.values())

    def _dependents(self, path: str) -> frozenset:
        """The open files whose last check looked `path` up (or everything)."""
        return frozenset(
            other for other, asked in self.dependencies.items()
            if other != path and (asked is None or path in asked)
        )

    def _remember(self, scan: engine.FileScan) -> frozenset:
        """Take an open document's first pass into the index; the open files to check again
        when its facts changed. A buffer that does not parse keeps its last facts: while
        it is being typed, its subclasses elsewhere should not flicker."""
        before = self._facts_of(scan.path)
        if scan.facts is None:
            return frozenset()
        self.buffers[scan.path] = scan
        if scan.facts == before:
            return frozenset()
        self._follow_imports([scan])
        return self._dependents(scan.path)

    # ---- documents ------------------------------------------------------------------------
    def check(self, path: str, content: Content) -> Checked:
        """The findings of the unsaved content of the file `path`, as `kerascheck` run from
        the project root would report them for that content."""
        scan = engine.scan_file(path, _data(path, content))
        recheck = self._remember(scan)
        checker = engine.Checker(self._plan(path))
        findings, errors, asked = checker.check_recording(scan)
        self.dependencies[path] = None if asked is None else frozenset(asked)
        return Checked(self._filtered(path, findings), errors, recheck)

    def fix_all(self, path: str, content: Content) -> tuple[Optional[Content], list]:
        """(the content with every safe fix applied, as `--fix` would, or None when nothing
        changes; kerascheck's errors, e.g. a fix that was refused)."""
        data = _data(path, content)
        scan = engine.scan_file(path, data)
        self._remember(scan)
        mode = FixMode(unsafe=False, write=False, fixable=self._fixable)
        ignored = ignored_codes(path, self.settings.root, self._ignores)
        _findings, errors, done = Fixer.for_plan(self._plan(path)).fix(scan, mode, ignored)
        if done is None or done.content is None or done.content == data:
            return None, errors
        if notebooks.is_notebook(path):
            return _cells_of(done.content, content), errors
        return done.content, errors

    def close(self, path: str) -> frozenset:
        """The document is closed: its file on disk counts again. The open files to check
        again when that changes the facts."""
        self.dependencies.pop(path, None)
        before = self._facts_of(path)
        self.buffers.pop(path, None)
        if os.path.isfile(path) and (path in self.disk or self._discoverable(path)):
            self._scan_from_disk(path)
        else:
            self.disk.pop(path, None)
        return self._dependents(path) if self._facts_of(path) != before else frozenset()

    def file_changed(self, path: str, deleted: bool) -> frozenset:
        """A file changed on disk (the editor's file watcher): the open files to check again."""
        if path in self.buffers:
            return frozenset()  # the open document is what counts
        before = self._facts_of(path)
        if deleted or not os.path.isfile(path):
            self.disk.pop(path, None)
        elif path in self.disk or self._discoverable(path) or self._dependents(path):
            self._scan_from_disk(path)
            if path in self.disk:
                self._follow_imports([self.disk[path]])
        return self._dependents(path) if self._facts_of(path) != before else frozenset()

    def _discoverable(self, path: str) -> bool:
        """Whether `kerascheck` run from the root would check this file."""
        if not self.scan_tree or not _inside(path, self.root):
            return False
        try:
            return bool(api.discover_files([path], self.settings, force_exclude=True))
        except DiscoveryError:
            return False

    def _plan(self, path: str):
        options = engine.prepare_options([path], {"target_keras": self.settings.target_keras})
        return engine.build_plan(
            self._codes, self._scans(), self.settings.extra_bases, cwd=self.root, options=options
        )

    def _filtered(self, path: str, findings: list) -> list:
        ignored = ignored_codes(path, self.settings.root, self._ignores)
        return sorted(filter_findings(findings, ignored=ignored, fixable=self._fixable), key=Finding.sort_key)


def _cells_of(notebook: Union[str, bytes], before: Sequence[Cell]) -> Sequence[Cell]:
    """The cells of the fixed notebook JSON (the fixer changes sources only)."""
    cells = json.loads(notebook)["cells"]
    out = []
    for cell, old in zip(cells, before):
        source = cell.get("source", "")
        out.append(Cell(old.kind, "".join(source) if isinstance(source, list) else source))
    return out


def _inside(path: str, root: str) -> bool:
    relative = os.path.relpath(path, root)
    return relative != ".." and not relative.startswith(".." + os.sep)


class Workspace:
    """Every project the editor has: one per workspace folder, and one per folder of a
    file opened outside them. Documents are keyed by their absolute path."""

    def __init__(self, folders: Iterable[str] = ()):
        self.projects: dict[str, Project] = {}
        self.folders: list[str] = []
        for folder in folders:
            self.add_folder(folder)

    def add_folder(self, root: str) -> Project:
        root = os.path.abspath(root)
        if root not in self.folders:
            self.folders.append(root)
            self.projects[root] = Project(root)
        return self.projects[root]

    def remove_folder(self, root: str) -> None:
        root = os.path.abspath(root)
        if root in self.folders:
            self.folders.remove(root)
            self.projects.pop(root, None)

    def project_of(self, path: str) -> Project:
        """The innermost workspace folder holding `path`, else a project of its own folder."""
        holding = [root for root in self.folders if _inside(path, root)]
        if holding:
            return self.projects[max(holding, key=len)]
        directory = os.path.dirname(path)
        project = self.projects.get(directory)
        if project is None or directory in self.folders:
            project = self.projects[directory] = Project(directory, scan_tree=False)
        return project

    def load(self, stop: Optional[threading.Event] = None) -> list:
        """The first pass over every project not read yet: [(root, files, settings error)]."""
        done = []
        for project in list(self.projects.values()):
            if not project.loaded:
                done.append((project.root, project.load(stop), project.settings_error))
        return done

    def check(self, path: str, content: Content) -> Checked:
        project = self._ready(path)
        checked = project.check(path, content)
        return checked

    def fix_all(self, path: str, content: Content):
        return self._ready(path).fix_all(path, content)

    def close(self, path: str) -> frozenset:
        return self._ready(path).close(path)

    def files_changed(self, changes: Iterable[tuple[str, bool]]) -> tuple[frozenset, list]:
        """Files created, changed or deleted on disk: [(path, deleted)]. A configuration
        file or .gitignore reloads the projects it may concern. (The open files to check
        again, [(root, why its settings file cannot be used)] of the projects reloaded.)"""
        recheck: set = set()
        reloaded: dict = {}
        for path, deleted in changes:
            path = os.path.abspath(path)
            name = os.path.basename(path)
            if name in RELOAD_FILES:
                for project in self.projects.values():
                    if project.root not in reloaded and (_inside(project.root, os.path.dirname(path)) or _inside(path, project.root)):
                        project.reload()
                        reloaded[project.root] = project
                        recheck |= set(project.dependencies)
            elif name.endswith(SUFFIXES):
                for project in self.projects.values():
                    recheck |= project.file_changed(path, deleted)
        errors = [(root, project.settings_error) for root, project in reloaded.items() if project.settings_error]
        return frozenset(recheck), errors

    def _ready(self, path: str) -> Project:
        project = self.project_of(path)
        if not project.loaded:
            project.load()
        return project


__all__ = [
    "Cell", "Checked", "Content", "Finding", "Project", "RunError", "Workspace",
    "is_python_path", "notebook_json", "rule_page", "rule_url",
]
