"""Which folder is the project a file belongs to.

Two questions need the answer, and must agree on it: which folders' dependency
declarations pin a file's Keras (kerascheck.semantic.target) and which files the import
closure may read beyond the linted ones (kerascheck.semantic.context; --confirm uses the
same). Both take the git work tree, else the nearest folder with a project file; they
differ only for a file that has neither above it (see `project_root`).
"""
from __future__ import annotations

import os

# Files that make the folder holding them a project of its own.
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


def project_root(directory: str, *, package_fallback: bool) -> str:
    """The git work tree that holds `directory`, else the nearest folder at or above it
    with a project file (PROJECT_MARKERS).

    When neither exists, `package_fallback` says what the caller needs:
    - True: the folder above the top-level package holding `directory` (the import
      closure reads the project's own modules, never the whole disk);
    - False: the filesystem root (dependency pins are looked for in every folder above a
      loose script, the nearest declaration winning).
    """
    marked = None
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        if marked is None and any(os.path.isfile(os.path.join(current, marker)) for marker in PROJECT_MARKERS):
            marked = current
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    if marked is not None:
        return marked
    if not package_fallback:
        return current
    current = directory
    while os.path.isfile(os.path.join(current, "__init__.py")) and os.path.dirname(current) != current:
        current = os.path.dirname(current)
    return current
