"""Autofix: `--fix`, `--unsafe-fixes`, `--diff` and `--fix-only`.

Rules offer repairs (:class:`kerascheck.rules.base.Fix`) with their findings; this
package applies them without ever breaking a file. It sits beside the engine:
:class:`.fixer.Fixer` lints with the engine's Checker, and calls in here to choose and
apply fixes (:mod:`.apply`), to repeat until nothing is left and prove the result
(:mod:`.loop`), to write the file back as it was encoded (:mod:`.textfile`,
:mod:`.notebook`) atomically (:mod:`.writer`), or to show the diff (:mod:`.diff`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional, Union

from kerascheck import notebooks
from kerascheck.fix.notebook import NotebookSource
from kerascheck.fix.textfile import PythonSource, RenderFailed
from kerascheck.sources import SourceProblem


@dataclass(frozen=True)
class FixMode:
    """What a fixing run does."""

    unsafe: bool = False  # apply unsafe fixes too (`--unsafe-fixes`)
    write: bool = True  # write the fixed files (False for `--diff` and stdin)
    diff: bool = False  # render a unified diff of each fixed file
    # The codes whose fixes may be applied (config `fixable` minus `unfixable`); None: all.
    fixable: Optional[frozenset] = None
    # `--add-noqa`: instead of fixing, write a `# noqa: CODE` for every finding (.noqa).
    add_noqa: bool = False

    def allows(self, code: str, safe: bool) -> bool:
        return (safe or self.unsafe) and (self.fixable is None or code in self.fixable)


@dataclass
class FileFix:
    """What fixing one file did."""

    path: str  # as shown to the user
    fixed: Counter = field(default_factory=Counter)  # code -> findings fixed
    diff: str = ""
    diff_encoding: str = "utf-8"
    # The fixed content, when it is not written to the file (stdin).
    content: Union[bytes, str, None] = None
    # `--add-noqa`: the lines given a new directive, or new codes in theirs.
    noqa: int = 0

    @property
    def count(self) -> int:
        return sum(self.fixed.values())


def read_source(path: str, data: Union[bytes, str]) -> Union[PythonSource, NotebookSource, SourceProblem]:
    """The file as the fixer edits it: a notebook's cells or a Python file's lines."""
    if notebooks.is_notebook(path):
        return NotebookSource.read(data)
    return PythonSource.read(data)


__all__ = ["FixMode", "FileFix", "read_source", "RenderFailed"]
