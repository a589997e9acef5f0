"""The records every layer of kerascheck passes around: findings and run errors.

This module sits at the bottom of the package: it imports nothing from kerascheck,
so discovery, the engine, the rules and the reporters can all depend on it.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional


class Severity(str, enum.Enum):
    """How bad a finding is (the catalog's severity guide)."""

    ERROR = "error"  # breaks, or is silently wrong, on current Keras
    WARNING = "warning"  # fragile, or wrong in common situations
    INFO = "info"  # style the tutorial recommends

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Confirmation:
    """What `--confirm` observed when it built the flagged class with the installed Keras.

    status: "confirmed" (detail: the observed error or difference, one line),
    "not-reproduced" (detail: what was tried), "skipped" (detail: why) or "error"."""

    status: str
    detail: str = ""
    keras_version: Optional[str] = None

    def to_dict(self) -> dict:
        return {"status": self.status, "detail": self.detail, "keras_version": self.keras_version}


@dataclass(frozen=True)
class Edit:
    """One change a fix makes: the text from (line, column) to (end_line, end_column),
    1-based with the end column exclusive as findings count them, becomes `content`.
    In a notebook the position is in the `cell`, as a finding's."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str
    cell: Optional[int] = None

    def to_dict(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "content": self.content,
            **({"cell": self.cell} if self.cell is not None else {}),
        }


@dataclass(frozen=True)
class FixInfo:
    """The fix a finding offers: `--fix` applies a safe one, an unsafe one (it changes
    what the code does) needs `--unsafe-fixes`."""

    safe: bool
    description: str
    edits: tuple[Edit, ...] = ()

    @property
    def applicability(self) -> str:
        return "safe" if self.safe else "unsafe"

    def to_dict(self) -> dict:
        return {
            "applicability": self.applicability,
            "message": self.description,
            "edits": [edit.to_dict() for edit in self.edits],
        }


@dataclass(frozen=True, order=True)
class Finding:
    """One reported problem. Lines and columns are 1-based; ends are inclusive lines and
    exclusive columns, as editors and SARIF count them."""

    path: str
    line: int
    column: int
    code: str
    message: str = field(compare=False)
    name: str = field(compare=False, default="")
    severity: Severity = field(compare=False, default=Severity.ERROR)
    end_line: int = field(compare=False, default=0)
    end_column: int = field(compare=False, default=0)
    fixable: bool = field(compare=False, default=False)
    # In a Jupyter notebook: the 1-based cell (counting every cell, markdown too); line
    # and end_line are then relative to that cell. None in a plain Python file.
    cell: Optional[int] = None
    # Set by `--confirm` (kerascheck.confirm), never by the static run.
    confirmation: Optional[Confirmation] = field(compare=False, default=None)
    # The fix the rule offers (`fixable` is then true), with its safety and edits.
    fix: Optional[FixInfo] = field(compare=False, default=None)
    # The detail the short message leaves out: the exact error Keras raises, where, and
    # what to write instead (shown by the full text format, JSON, SARIF and the editor).
    help: str = field(compare=False, default="")

    def sort_key(self) -> tuple:
        """Reading order: by file, cell, line, column, code."""
        return (self.path, self.cell or 0, self.line, self.column, self.code)

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line or self.line,
            "end_column": self.end_column or self.column,
            "message": self.message,
            "help": self.help,
            "fixable": self.fixable,
            # Only for notebook findings, so a plain Python file keeps the documented keys.
            **({"cell": self.cell} if self.cell is not None else {}),
            # Only with --confirm, so the static output keeps its keys.
            **({"confirmation": self.confirmation.to_dict()} if self.confirmation else {}),
            # Only for a finding that has a fix, so the other findings keep their keys.
            **({"fix": self.fix.to_dict()} if self.fix else {}),
        }


@dataclass(frozen=True, order=True)
class RunError:
    """Something that went wrong in kerascheck itself while checking one file (a rule
    that crashed, a file that vanished). It is reported, the run goes on, exit code 2."""

    path: str
    message: str
    code: str = ""  # the rule's code when a rule crashed

    def __str__(self) -> str:
        who = f"rule {self.code} " if self.code else ""
        return f"{self.path}: {who}{self.message}"
