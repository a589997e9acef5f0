"""The one door from the language server into the checker.

Everything the server asks kerascheck (the settings, the first pass, the cross-file
index, the rules, the fixes, the rule pages) goes through this module, so that a change
to the engine's internals is adapted here alone. It reaches below the public API
(`kerascheck.api`) for one reason: the API builds the cross-file index anew for every
call (`check_stdin` reads the buffer's import closure from disk each time), and an
editor needs it warm. Here a workspace folder's first pass (the facts of every file) is
done once; afterwards only a file that changed is scanned again, an open buffer's facts
stand in for its file's, and the checker (the rules, and the `ProjectIndex` whose
answers it memoises) lives until some file's facts change. The engine internals used:
`engine.scan_file`, `engine.build_plan`, `engine.prepare_options`, `engine.Checker`
(its `check` and its `index`), and the fixer's `Fixer`.

Nothing here imports pygls. The protocol layer (kerascheck.server.lsp) calls this
module from a single worker thread, so its state needs no lock. `--confirm` is never
run: nothing here builds a class or imports Keras.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, replace
from typing import Iterable, Optional, Sequence, Union

from kerascheck import api, engine, notebooks
from kerascheck.config import CONFIG_FILES, ConfigError, Settings, load_settings
from kerascheck.discovery import DiscoveryError, SUFFIXES
from kerascheck.filters import filter_findings, ignored_codes
from kerascheck.finding import Finding
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
    import (the import closure). An open document's facts replace its file's.

    The checker (the rules and the `ProjectIndex` over every file's facts, whose answers
    it memoises) is kept warm between checks, and built again only when some file's facts
    change. Facts that differ only in the line numbers of classes count as unchanged:
    nothing resolves names by line, and typing a line above a class moves it."""

    def __init__(self, root: str, scan_tree: bool = True):
        self.root = root
        self.scan_tree = scan_tree
        self.disk: dict[str, engine.FileScan] = {}  # first pass of the files as on disk
        self.buffers: dict[str, engine.FileScan] = {}  # ... of the open documents (last parse)
        # open path -> the project files it imports, transitively (what its findings may
        # depend on), as of its last check
        self.dependencies: dict[str, frozenset] = {}
        self._imports_read: dict[str, int] = {}  # open path -> the checker it was read with
        self.loaded = False
        self.settings_error: Optional[str] = None
        self._checker: Optional[engine.Checker] = None
        self._generation = 0  # counts the checkers built
        self._options: Optional[dict] = None  # engine.prepare_options of _option_paths
        self._option_paths: set = set()
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
        self._checker = self._options = None
        self._exclusions: dict[str, bool] = {}

    # ---- the index ------------------------------------------------------------------------
    def load(self, stop: Optional[threading.Event] = None) -> int:
        """The first pass over the project's files and their import closure; the number of
        files read. Stops early (and stays unloaded) when `stop` is set."""
        self.disk = {}
        self._checker = self._options = None
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
        self._option_paths = set(self.disk) | set(self.buffers)
        self.loaded = True
        return len(self.disk)

    def reload(self, stop: Optional[threading.Event] = None) -> None:
        self._read_settings()
        self.load(stop)

    def pins_changed(self) -> None:
        """A file that may declare the Keras version (requirements, setup.cfg...) changed."""
        self._checker = self._options = None

    def _scan_from_disk(self, path: str) -> None:
        scan = engine.scan_file(path)
        if scan.facts is not None:
            self.disk[path] = scan
        else:
            self.disk.pop(path, None)

    def _follow_imports(self, scans: Iterable[engine.FileScan]) -> bool:
        """Read the project files that `scans` import, transitively, as the CLI does;
        whether any was new."""
        closure = ImportClosure()
        batch = [scan.facts for scan in scans if scan.facts is not None]
        known = set(self.disk) | set(self.buffers)
        found = False
        while batch:
            pending = closure.frontier(batch, known)
            known.update(pending)
            batch = []
            for path in pending:
                self._scan_from_disk(path)
                if path in self.disk:
                    batch.append(self.disk[path].facts)
                    found = True
        if found:
            self._checker = None
        return found

    def _shape(self, path: str):
        """The facts of `path` as the index reads them (class line numbers left out)."""
        scan = self.buffers.get(path) or self.disk.get(path)
        return _without_lines(scan.facts) if scan is not None else None

    def _dependents(self, path: str) -> frozenset:
        """The open files that import `path`, directly or not."""
        return frozenset(other for other, imported in self.dependencies.items() if other != path and path in imported)

    def _changed(self, path: str, before) -> frozenset:
        """After `path`'s facts were replaced: the open files to check again (none when
        its facts are the same but for line numbers)."""
        if self._shape(path) == before:
            return frozenset()
        self._checker = None
        return self._dependents(path)

    def _remember(self, scan: engine.FileScan) -> frozenset:
        """Take an open document's first pass into the index; the open files to check again
        when its facts changed. A buffer that does not parse keeps its last facts: while
        it is being typed, its subclasses elsewhere should not flicker."""
        if scan.facts is None:
            return frozenset()
        before = self._shape(scan.path)
        self.buffers[scan.path] = scan
        recheck = self._changed(scan.path, before)
        if recheck or before != self._shape(scan.path):
            self._follow_imports([scan])
        return recheck

    def _warm_checker(self, path: str) -> engine.Checker:
        if path not in self._option_paths:  # pins are read per folder: a new file may need its own
            self._option_paths.add(path)
            self._checker = self._options = None
        if self._options is None:
            self._options = engine.prepare_options(sorted(self._option_paths), {"target_keras": self.settings.target_keras})
        if self._checker is None:
            scans = list({**self.disk, **self.buffers}.values())
            self._checker = engine.Checker(engine.build_plan(
                self._codes, scans, self.settings.extra_bases, cwd=self.root, options=self._options
            ))
            self._generation += 1
        return self._checker

    # ---- documents ------------------------------------------------------------------------
    def check(self, path: str, content: Content) -> Checked:
        """The findings of the unsaved content of the file `path`, as `kerascheck` run from
        the project root would report them for that content."""
        if self._excluded(path):
            return Checked([], [])
        scan = engine.scan_file(path, _data(path, content))
        recheck = self._remember(scan)
        checker = self._warm_checker(path)
        findings, errors = checker.check(scan)
        if self._imports_read.get(path) != self._generation:
            self.dependencies[path] = _imported(checker.index, path)
            self._imports_read[path] = self._generation
        return Checked(self._filtered(path, findings), errors, recheck)

    def fix_all(self, path: str, content: Content) -> tuple[Optional[Content], list]:
        """(the content with every safe fix applied, as `--fix` would, or None when nothing
        changes; kerascheck's errors, e.g. a fix that was refused)."""
        if self._excluded(path):
            return None, []
        data = _data(path, content)
        scan = engine.scan_file(path, data)
        self._remember(scan)
        mode = FixMode(unsafe=False, write=False, fixable=self._fixable)
        ignored = ignored_codes(path, self.settings.root, self._ignores)
        _findings, errors, done = Fixer(self._warm_checker(path)).fix(scan, mode, ignored)
        if done is None or done.content is None or done.content == data:
            return None, errors
        if notebooks.is_notebook(path):
            return _cells_of(done.content, content), errors
        return done.content, errors

    def close(self, path: str) -> frozenset:
        """The document is closed: its file on disk counts again. The open files to check
        again when that changes the facts."""
        recheck = self._dependents(path)
        self.dependencies.pop(path, None)
        self._imports_read.pop(path, None)
        before = self._shape(path)
        self.buffers.pop(path, None)
        if os.path.isfile(path) and (path in self.disk or self._discoverable(path)):
            self._scan_from_disk(path)
        else:
            self.disk.pop(path, None)
        return recheck if self._changed(path, before) else frozenset()

    def file_changed(self, path: str, deleted: bool) -> frozenset:
        """A file changed on disk (the editor's file watcher): the open files to check again."""
        if path in self.buffers:
            return frozenset()  # the open document is what counts
        known = path in self.disk
        before = self._shape(path)
        if deleted or not os.path.isfile(path):
            self.disk.pop(path, None)
        elif known or self._discoverable(path):
            self._scan_from_disk(path)
            if path in self.disk:
                self._follow_imports([self.disk[path]])
        elif not self._follow_imports(list(self.buffers.values())):
            return frozenset()  # a file nothing here reads
        if not known and path in self.disk:
            # A new module may be what an import of any open file resolves to now.
            self._checker = None
            return frozenset(self.dependencies)
        return self._changed(path, before)

    def _excluded(self, path: str) -> bool:
        """Whether the settings exclude the file (`exclude`, `extend-exclude`), as
        `kerascheck --force-exclude PATH` (pre-commit's run) decides: such a file gets no
        diagnostics in the editor either. A file not saved yet is never excluded."""
        if path not in self._exclusions:
            try:
                self._exclusions[path] = not api.discover_files([path], self.settings, force_exclude=True)
            except DiscoveryError:
                return False
        return self._exclusions[path]

    def _discoverable(self, path: str) -> bool:
        """Whether `kerascheck` run from the root would check this file."""
        if not self.scan_tree or not _inside(path, self.root):
            return False
        try:
            return bool(api.discover_files([path], self.settings, force_exclude=True))
        except DiscoveryError:
            return False

    def _filtered(self, path: str, findings: list) -> list:
        ignored = ignored_codes(path, self.settings.root, self._ignores)
        return sorted(filter_findings(findings, ignored=ignored, fixable=self._fixable), key=Finding.sort_key)


def _without_lines(facts):
    """ModuleFacts with every class's line number set to 0."""
    if facts is None:
        return None
    return replace(
        facts,
        classes={name: replace(found, line=0) for name, found in facts.classes.items()},
        redefinitions={name: [replace(found, line=0) for found in later] for name, later in facts.redefinitions.items()},
    )


def _imported(index, path: str) -> frozenset:
    """The files of the index that the module `path` imports, directly or through others:
    what a class of `path` may derive from or be resolved through."""
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
        return self._ready(path).check(path, content)

    def fix_all(self, path: str, content: Content):
        return self._ready(path).fix_all(path, content)

    def close(self, path: str) -> frozenset:
        return self._ready(path).close(path)

    def files_changed(self, changes: Iterable[tuple[str, bool]]) -> tuple[frozenset, list]:
        """Files created, changed or deleted on disk: [(path, deleted)]. A configuration
        file or .gitignore reloads the projects it may concern; any other file that is not
        a module may declare the Keras version (requirements, setup.cfg), and so may a
        setup.py. (The open files to check again, [(root, why its settings file cannot be
        used)] of the projects reloaded.)"""
        recheck: set = set()
        reloaded: dict = {}
        for path, deleted in changes:
            path = os.path.abspath(path)
            name = os.path.basename(path)
            concerned = [
                project for project in self.projects.values()
                if _inside(project.root, os.path.dirname(path)) or _inside(path, project.root)
            ]
            if name in RELOAD_FILES:
                for project in concerned:
                    if project.root not in reloaded:
                        project.reload()
                        reloaded[project.root] = project
            elif name.endswith(SUFFIXES):
                for project in self.projects.values():
                    recheck |= project.file_changed(path, deleted)
            if name == "setup.py" or not name.endswith(SUFFIXES):
                for project in concerned:
                    project.pins_changed()
                    recheck |= set(project.dependencies)
        errors = [(root, project.settings_error) for root, project in reloaded.items() if project.settings_error]
        return frozenset(recheck), errors

    def _ready(self, path: str) -> Project:
        project = self.project_of(path)
        if not project.loaded:
            project.load()
        return project


__all__ = [
    "Cell", "Checked", "Content", "Project", "Workspace",
    "is_python_path", "notebook_json", "rule_page", "rule_url",
]
