"""What several output formats share: where a finding is, its source line, its
confirmation, whether a fix applies, the per-rule statistics and the rule metadata.
Rendering only; nothing here checks code."""
from __future__ import annotations

import os
from collections import Counter
from typing import Optional

from kerascheck import notebooks
from kerascheck.finding import Finding, Severity
from kerascheck.results import CheckResult
from kerascheck.sources import SourceProblem, decode

HOMEPAGE = "https://github.com/kerascheck/kerascheck"


def location(finding: Finding) -> str:
    """`path:line:col`, or `path:cell N:line:col` in a notebook."""
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    return f"{finding.path}:{cell}{finding.line}:{finding.column}"


def end(finding: Finding) -> tuple[int, int]:
    """The (line, column) where the finding ends, never before it starts."""
    end_line = max(finding.end_line or finding.line, finding.line)
    end_column = finding.end_column or finding.column
    if end_line == finding.line:
        end_column = max(end_column, finding.column)
    return end_line, end_column


def posix(path: str) -> str:
    return path.replace(os.sep, "/")


def confirmation(finding: Finding) -> Optional[dict]:
    """The runtime confirmation of a finding (`--confirm`), as in the JSON output, or None."""
    found = finding.to_dict().get("confirmation")
    return found if isinstance(found, dict) and found else None


def confirmation_text(finding: Finding) -> str:
    """` [confirmed: <detail>]`, or "" when the finding was not confirmed."""
    found = confirmation(finding)
    if not found:
        return ""
    status = found.get("status", "")
    detail = found.get("detail") or ""
    version = found.get("keras_version")
    if version and status == "not-reproduced":
        detail = f"{detail} (Keras {version})" if detail else f"on Keras {version}"
    return f" [{status}: {detail}]" if detail else f" [{status}]"


def fix_text(finding: Finding) -> str:
    """` (fix: <what>, with --fix)` after a message, or "" when the finding has no fix."""
    if finding.fix is None:
        return ""
    how = "--fix" if finding.fix.safe else "--fix --unsafe-fixes"
    return f" (fix: {finding.fix.description}, with {how})"


def applies(finding: Finding, unsafe_fixes: bool) -> bool:
    """Whether `--fix` (with `--unsafe-fixes` when `unsafe_fixes`) repairs the finding."""
    return finding.fix is not None and (finding.fix.safe or unsafe_fixes)


def statistics_rows(result: CheckResult, unsafe_fixes: bool = False) -> list[dict]:
    """One row per rule with findings, most frequent first: code, name, count and whether
    `--fix` repairs them (ruff's keys). The text and JSON `--statistics` show them."""
    counts = Counter((finding.code, finding.name) for finding in result.findings)
    fixable = {finding.code for finding in result.findings if applies(finding, unsafe_fixes)}
    return [
        {"code": code, "name": name, "count": count, "fixable": code in fixable}
        for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def rule_help_uri(code: str) -> str:
    return f"{HOMEPAGE}/blob/main/rules/{code}.md"


SEVERITY_WORDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


class SourceLines:
    """The lines of the files findings point into, read once each; for a notebook, the
    lines of the cell (as written, magics included)."""

    def __init__(self):
        self._files: dict[str, Optional[object]] = {}

    def line(self, finding: Finding) -> Optional[str]:
        lines = self._lines(finding.path, finding.cell)
        if lines and 1 <= finding.line <= len(lines):
            return lines[finding.line - 1]
        return None

    def _lines(self, path: str, cell: Optional[int]) -> Optional[list]:
        if path not in self._files:
            self._files[path] = _read(path)
        content = self._files[path]
        if isinstance(content, dict):
            return content.get(cell)
        return content if cell is None else None


def _read(path: str):
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if notebooks.is_notebook(path):
        cells = notebooks.code_cells(data)
        # An unreadable notebook's KC001 points into the raw JSON text.
        if isinstance(cells, SourceProblem):
            text = data.decode("utf-8", errors="replace")
            return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return dict(cells)
    text = decode(data)
    return None if isinstance(text, SourceProblem) else text.split("\n")
