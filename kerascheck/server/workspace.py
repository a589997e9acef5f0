"""The editor's workspace as kerascheck sees it: projects, the first pass of their files,
the open documents standing in for their files, and what to check again when a file
changes. It asks kerascheck everything through kerascheck.server.checking.

A project is a workspace folder (its files are those `kerascheck` run there would check,
and, as for the CLI, the project files they import), or the folder of a file opened
outside every workspace folder (only the open files and what they import are read).
The first pass of every file is done once; afterwards a file is scanned again only when
its buffer or its file on disk changes. The checker is kept warm between checks and
built again only when some file's facts change (class line numbers aside).

The protocol layer calls this from a single worker thread, so nothing here needs a lock.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Iterable, Optional

from kerascheck.server import checking
from kerascheck.server.checking import Content

# Files whose change means a project's settings, or its set of files, must be read again.
RELOAD_FILES = checking.SETTINGS_FILES | {".gitignore"}
# Files read per step of a project's first load: between two steps the worker checks the
# documents waiting, so a large workspace does not keep the first diagnostics back.
LOAD_STEP = 100


@dataclass(frozen=True)
class Checked:
    """The findings of one document (a notebook's in cell terms, cells numbered from 1
    counting every cell), kerascheck's own errors on it, and the other open files to
    check again because this document's classes or imports changed."""

    findings: list
    errors: list
    recheck: frozenset = frozenset()


def _inside(path: str, root: str) -> bool:
    relative = os.path.relpath(path, root)
    return relative != ".." and not relative.startswith(".." + os.sep)


class Project:
    def __init__(self, root: str, scan_tree: bool = True):
        self.root = root
        self.scan_tree = scan_tree
        self.disk: dict[str, checking.Scan] = {}  # first pass of the files as on disk
        self.buffers: dict[str, checking.Scan] = {}  # ... of the open documents (last that parsed)
        # open path -> the project files it imports, directly or not (where its classes'
        # bases may be), as of its last check
        self.dependencies: dict[str, frozenset] = {}
        self.loaded = False
        self.loading = False
        self._partial: set = set()  # the open files checked while the project was loading
        self._imports_read: dict[str, int] = {}  # open path -> the checker it was read with
        self._checker: Optional[checking.Checker] = None
        self._generation = 0  # counts the checkers built
        self._pins: Optional[dict] = None  # ProjectSettings.pins of _pinned
        self._pinned: set = set()
        self.settings = checking.ProjectSettings(root)

    @property
    def settings_error(self) -> Optional[str]:
        return self.settings.error

    # ---- the index ------------------------------------------------------------------------
    def load_steps(self, stop: Optional[threading.Event] = None):
        """The first pass over the project's files and their import closure, LOAD_STEP
        files per step (a generator: each `next` is one step). Meanwhile an open file is
        checked with the files read so far and those it imports, as `kerascheck FILE`
        would check it. Stops early (and stays unloaded) when `stop` is set. The project
        counts as loading from this call on, before the first step."""
        self.loading, self.loaded = True, False
        self.disk = {}
        self._checker = self._pins = None
        return self._steps(stop)

    def _steps(self, stop: Optional[threading.Event]):
        files = self.settings.files() if self.scan_tree else []
        for start in range(0, len(files), LOAD_STEP):
            if stop is not None and stop.is_set():
                self.loading = False
                return
            for path in files[start:start + LOAD_STEP]:
                self._scan_from_disk(path)
            self._checker = None
            yield
        self._follow_imports([*self.disk.values(), *self.buffers.values()])
        self._pinned = set(self.disk) | set(self.buffers)
        self.loading, self.loaded = False, True

    def load(self, stop: Optional[threading.Event] = None) -> int:
        """load_steps at once; the number of files read."""
        for _ in self.load_steps(stop):
            pass
        return len(self.disk)

    def checked_while_loading(self) -> frozenset:
        """The open files checked before the load was complete (to check again), once."""
        partial, self._partial = frozenset(self._partial), set()
        return partial

    def reload(self, stop: Optional[threading.Event] = None) -> None:
        self.settings = checking.ProjectSettings(self.root)
        self.load(stop)

    def pins_changed(self) -> None:
        """A file that may declare the Keras version (requirements, setup.cfg...) changed."""
        self._checker = self._pins = None

    def _scan_from_disk(self, path: str) -> None:
        found = checking.scan(path)
        if checking.parses(found):
            self.disk[path] = found
        else:
            self.disk.pop(path, None)

    def _follow_imports(self, scans: Iterable[checking.Scan]) -> bool:
        """Read the project files that `scans` import, transitively, as the CLI does;
        whether any was new."""
        imports = checking.Imports()
        batch = list(scans)
        known = set(self.disk) | set(self.buffers)
        found = False
        while batch:
            pending = imports.frontier(batch, known)
            known.update(pending)
            batch = []
            for path in pending:
                self._scan_from_disk(path)
                if path in self.disk:
                    batch.append(self.disk[path])
                    found = True
        if found:
            self._checker = None
        return found

    def _shape(self, path: str):
        return checking.shape(self.buffers.get(path) or self.disk.get(path))

    def _dependents(self, path: str) -> frozenset:
        """The open files that import `path`, directly or not."""
        return frozenset(other for other, imported in self.dependencies.items() if other != path and path in imported)

    def _changed(self, path: str, before) -> frozenset:
        """After `path`'s first pass was replaced: the open files to check again (none when
        its facts are the same but for line numbers)."""
        if self._shape(path) == before:
            return frozenset()
        self._checker = None
        return self._dependents(path)

    def _remember(self, found: checking.Scan) -> frozenset:
        """Take an open document's first pass into the index; the open files to check again
        when its facts changed. A buffer that does not parse keeps its last facts: while
        it is being typed, its subclasses elsewhere should not flicker."""
        if not checking.parses(found):
            return frozenset()
        before = self._shape(found.path)
        self.buffers[found.path] = found
        recheck = self._changed(found.path, before)
        if self._checker is None:  # its facts changed: it may import a file not read yet
            self._follow_imports([found])
        return recheck

    def _warm_checker(self, path: str) -> checking.Checker:
        if path not in self._pinned:  # pins are read per folder: a new file may need its own
            self._pinned.add(path)
            self._checker = self._pins = None
        if self._pins is None:
            self._pins = self.settings.pins(self._pinned)
        if self._checker is None:
            self._checker = checking.Checker(self.settings, {**self.disk, **self.buffers}.values(), self._pins)
            self._generation += 1
        return self._checker

    # ---- documents ------------------------------------------------------------------------
    def check(self, path: str, content: Content) -> Checked:
        """The findings of the unsaved content of the file `path`, as `kerascheck` run from
        the project root would report them for that content."""
        if self.settings.excluded(path):
            return Checked([], [])
        if self.loading:
            self._partial.add(path)
        found = checking.scan(path, content)
        recheck = self._remember(found)
        checker = self._warm_checker(path)
        findings, errors = checker.check(found)
        if self._imports_read.get(path) != self._generation:
            self.dependencies[path] = checker.imports_of(path)
            self._imports_read[path] = self._generation
        return Checked(findings, errors, recheck)

    def fix_all(self, path: str, content: Content) -> tuple[Optional[Content], list]:
        """(the content with every safe fix applied, as `--fix` would, or None when nothing
        changes; kerascheck's errors, e.g. a fix that was refused)."""
        if self.settings.excluded(path):
            return None, []
        found = checking.scan(path, content)
        self._remember(found)
        return self._warm_checker(path).fix_all(found, content)

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

    def _discoverable(self, path: str) -> bool:
        """Whether `kerascheck` run from the root would check this file."""
        return self.scan_tree and _inside(path, self.root) and not self.settings.excluded(path)


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

    def load_steps(self, stop: Optional[threading.Event] = None):
        """The first pass over every project not read yet, a step at a time (a generator).
        After a project's last step it yields (root, files read, settings error, the open
        files checked meanwhile, to check again); between steps, None. The projects count
        as loading from this call on, before the first step."""
        pending = [project for project in self.projects.values() if not project.loaded and not project.loading]
        return self._steps([(project, project.load_steps(stop)) for project in pending])

    @staticmethod
    def _steps(loads: list):
        for project, steps in loads:
            for _ in steps:
                yield None
            if project.loaded:
                yield project.root, len(project.disk), project.settings_error, project.checked_while_loading()

    def load(self, stop: Optional[threading.Event] = None) -> list:
        """load_steps at once: [(root, files read, settings error, open files to check again)]."""
        return [step for step in self.load_steps(stop) if step is not None]

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
            elif name.endswith(checking.SOURCE_SUFFIXES):
                for project in self.projects.values():
                    recheck |= project.file_changed(path, deleted)
            if name == "setup.py" or not name.endswith(checking.SOURCE_SUFFIXES):
                for project in concerned:
                    project.pins_changed()
                    recheck |= set(project.dependencies)
        errors = [(root, project.settings_error) for root, project in reloaded.items() if project.settings_error]
        return frozenset(recheck), errors

    def _ready(self, path: str) -> Project:
        project = self.project_of(path)
        if not project.loaded and not project.loading:
            project.load()
        return project
