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
    ".ipynb_checkpoints",  # Jupyter's autosaved copies of the notebooks beside them
)


class DiscoveryError(Exception):
    """A path given on the command line does not exist (a usage error, exit 2)."""


class Excluder:
    """Exclude patterns (gitignore syntax) relative to the configuration root."""

    def __init__(self, root: str, patterns: Iterable[str]):
        self.root = root
        self.patterns = list(patterns)
        self.spec = pathspec.GitIgnoreSpec.from_lines(self.patterns)

    def excludes(self, path: str, is_dir: bool) -> bool:
        suffix = "/" if is_dir else ""
        relative = os.path.relpath(path, self.root)
        if relative == ".." or relative.startswith(".." + os.sep):
            # Outside the root only unanchored patterns (`venv`, `*_pb2.py`) can apply.
            return self.spec.match_file(os.path.basename(path) + suffix)
        return self.spec.match_file(relative.replace(os.sep, "/") + suffix)


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
        """As git decides: the deepest .gitignore with a matching pattern wins, so a
        `!negation` below re-includes what a .gitignore above excludes."""
        suffix = "/" if is_dir else ""
        for directory in reversed(stack):
            spec = self.spec_for(directory)
            if spec is not None:
                relative = os.path.relpath(path, directory).replace(os.sep, "/")
                verdict = _verdict(spec, relative + suffix)
                if verdict is not None:
                    return verdict
        return False


def _verdict(spec: pathspec.PathSpec, relative: str) -> Optional[bool]:
    """True (ignored), False (re-included by a `!pattern`) or None (no pattern matches):
    the last matching pattern of the file decides."""
    verdict = None
    for pattern in spec.patterns:
        if pattern.include is not None and pattern.match_file(relative) is not None:
            verdict = pattern.include
    return verdict


# Python files and Jupyter notebooks (exclude notebooks with `extend-exclude = ["*.ipynb"]`).
SUFFIXES = (".py", ".ipynb")


def discover(paths: Iterable[str], excluder: Excluder, suffixes=SUFFIXES) -> list[str]:
    """Absolute paths of the files to lint, sorted, without duplicates."""
    found: dict[str, None] = {}
    gitignores = _GitIgnores()
    for given in paths:
        absolute = os.path.abspath(given)
        if not os.path.lexists(absolute):
            raise DiscoveryError(f"path does not exist: {given}")
        if os.path.isdir(absolute):
            stack = _gitignore_stack_above(absolute)
            walk_excluder = excluder
            # A directory named explicitly is linted even when excluded (`kerascheck build/`):
            # patterns then apply to what is below it, not to the directory itself.
            if excluder.excludes(absolute, True):
                walk_excluder = Excluder(absolute, excluder.patterns)
            if gitignores.ignored(absolute, True, stack):
                stack = []
            for path in _walk(absolute, walk_excluder, gitignores, stack, suffixes, set()):
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
