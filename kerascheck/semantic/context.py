"""The files the project index needs beyond the ones being linted.

pre-commit passes only the staged files, `--diff-base` only the changed ones, and
`kerascheck src/pkg/models/` only one folder; a class there may still derive from a
base defined in a file that was not passed. Parsing the whole tree for that would
cost as much as linting it, so the index gets exactly what name resolution can reach:
every import of a linted file that names a module of the project is located on disk
the way :class:`~kerascheck.semantic.project.ProjectIndex` locates it, that file gets
the cheap first pass (facts only, never reported), and its own imports are followed in
turn. Only files inside the project that holds the importing file are read: its git
work tree, else the nearest folder with a pyproject.toml / setup.py / setup.cfg, else
the folder above its top-level package.
"""
from __future__ import annotations

import os
from typing import Iterable, Optional

from kerascheck.semantic.facts import ModuleFacts
from kerascheck.semantic.project import _import_roots, module_candidates
from kerascheck.semantic.project_root import project_root


class ImportClosure:
    def __init__(self):
        self._listings: dict[str, frozenset] = {}
        self._roots: dict[str, str] = {}
        self._import_roots: dict[str, list[str]] = {}
        self._located: dict[tuple[str, str, str], tuple[str, ...]] = {}

    def frontier(self, modules: Iterable[ModuleFacts], known: set) -> list[str]:
        """Files imported by `modules` that are in the project and not in `known`."""
        found: dict[str, None] = {}
        for facts in modules:
            for anchor, target in [*facts.imports.values(), *facts.star_imports]:
                file = self.locate(facts.path, anchor, target)
                if file is not None and file not in known:
                    found[file] = None
        return sorted(found)

    def locate(self, path: str, anchor: str, target: str) -> Optional[str]:
        """The project file that `target` (imported in `path`) names, in the order
        ProjectIndex._locate tries: the longest module prefix first, nearest root first."""
        directory = os.path.dirname(path)
        key = (directory, anchor, target)
        if key not in self._located:
            self._located[key] = self._candidates(directory, anchor, target)
        return next((file for file in self._located[key] if file != path), None)

    def _candidates(self, directory: str, anchor: str, target: str) -> tuple[str, ...]:
        parts = target.split(".") if target else []
        if anchor:
            roots = [anchor]
        else:
            roots = [root for root in self._roots_of(directory) if parts and self._may_hold(root, parts[0])]
        found = []
        for candidate, _ in module_candidates(roots, parts, bool(anchor)):
            if self._is_file(candidate):
                found.append(candidate)
                if len(found) == 2:  # the second one serves a file importing itself
                    break
        return tuple(found)

    def _roots_of(self, directory: str) -> list[str]:
        """The import roots of a file in `directory` that lie inside its project."""
        if directory not in self._import_roots:
            project = self.project_root(directory)
            self._import_roots[directory] = [
                root for root in _import_roots(os.path.join(directory, "_")) if _within(root, project)
            ]
        return self._import_roots[directory]

    def project_root(self, directory: str) -> str:
        if directory not in self._roots:
            self._roots[directory] = project_root(directory, package_fallback=True)
        return self._roots[directory]

    def _may_hold(self, root: str, head: str) -> bool:
        listing = self._listing(root)
        return head in listing or head + ".py" in listing

    def _is_file(self, path: str) -> bool:
        directory, name = os.path.split(path)
        return name in self._listing(directory) and os.path.isfile(path)

    def _listing(self, directory: str) -> frozenset:
        if directory not in self._listings:
            try:
                self._listings[directory] = frozenset(os.listdir(directory))
            except OSError:
                self._listings[directory] = frozenset()
        return self._listings[directory]


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
