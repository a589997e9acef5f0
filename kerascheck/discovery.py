"""Which files to lint: the paths given, recursively, minus what the user excludes.

Directories are walked with `os.scandir`, pruning excluded directories before
descending (a virtualenv is never read). `.gitignore` files are honoured at every
level, as git reads them. A file named on the command line is linted even when an
exclude pattern or .gitignore matches it, as in ruff.
"""
from __future__ import annotations

import os
from typing import Iterable, Iterator, Optional

import pathspec

DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".env",
    "env",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".kerascheck_cache",
    "build",
    "dist",
    "site-packages",
    "node_modules",
    "*.egg-info",
)


class DiscoveryError(Exception):
    """A path given on the command line does not exist (a usage error, exit 2)."""


class Excluder:
    """Exclude patterns (gitignore syntax) relative to the configuration root."""

    def __init__(self, root: str, patterns: Iterable[str]):
        self.root = root
        self.spec = pathspec.GitIgnoreSpec.from_lines(list(patterns))

    def excludes(self, path: str, is_dir: bool) -> bool:
        name = os.path.basename(path)
        if self.spec.match_file(name + ("/" if is_dir else "")):
            return True
        relative = os.path.relpath(path, self.root)
        if relative.startswith(".."):
            return False
        return self.spec.match_file(relative.replace(os.sep, "/") + ("/" if is_dir else ""))


class _GitIgnores:
    """The .gitignore files met on the way down, each applying below its directory."""

    def __init__(self):
        self._specs: dict[str, Optional[pathspec.GitIgnoreSpec]] = {}

    def spec_for(self, directory: str) -> Optional[pathspec.GitIgnoreSpec]:
        if directory not in self._specs:
            spec = None
            try:
                with open(os.path.join(directory, ".gitignore"), encoding="utf-8", errors="replace") as f:
                    spec = pathspec.GitIgnoreSpec.from_lines(f.read().splitlines())
            except OSError:
                pass
            self._specs[directory] = spec
        return self._specs[directory]

    def ignored(self, path: str, is_dir: bool, stack: list[str]) -> bool:
        suffix = "/" if is_dir else ""
        for directory in stack:
            spec = self.spec_for(directory)
            if spec is not None:
                relative = os.path.relpath(path, directory).replace(os.sep, "/")
                if spec.match_file(relative + suffix):
                    return True
        return False


def discover(paths: Iterable[str], excluder: Excluder, suffixes=(".py",)) -> list[str]:
    """Absolute paths of the files to lint, sorted, without duplicates."""
    found: dict[str, None] = {}
    gitignores = _GitIgnores()
    for given in paths:
        absolute = os.path.abspath(given)
        if not os.path.lexists(absolute):
            raise DiscoveryError(f"path does not exist: {given}")
        if os.path.isdir(absolute):
            stack = _gitignore_stack_above(absolute)
            for path in _walk(absolute, excluder, gitignores, stack, suffixes, set()):
                found[path] = None
        else:
            found[absolute] = None
    return sorted(found)


def _gitignore_stack_above(directory: str) -> list[str]:
    """Directories above `directory`, up to the repository root, whose .gitignore applies."""
    above = []
    current = os.path.dirname(directory)
    while True:
        above.append(current)
        if os.path.isdir(os.path.join(current, ".git")):
            break
        parent = os.path.dirname(current)
        if parent == current:
            return []  # not in a git repository: outer .gitignore files do not apply
        current = parent
    return list(reversed(above))


def _walk(directory, excluder, gitignores, stack, suffixes, seen) -> Iterator[str]:
    real = os.path.realpath(directory)
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    stack = [*stack, directory]
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if not is_dir and not entry.name.endswith(suffixes):
            continue
        if excluder.excludes(entry.path, is_dir) or gitignores.ignored(entry.path, is_dir, stack):
            continue
        if is_dir:
            yield from _walk(entry.path, excluder, gitignores, stack, suffixes, seen)
        elif entry.is_file():
            yield entry.path
