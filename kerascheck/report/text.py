"""The text formats: `full` (source line and carets, the default) and `concise`."""
from __future__ import annotations

import os
from collections import Counter
from typing import Optional, TextIO

import click

from kerascheck.engine import CheckResult
from kerascheck.finding import Finding, Severity
from kerascheck.sources import SourceProblem, decode

_SEVERITY_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _style(text: str, color: bool, **style) -> str:
    return click.style(text, **style) if color else text


def _head(finding: Finding, color: bool) -> str:
    location = f"{finding.path}:{finding.line}:{finding.column}:"
    code = _style(finding.code, color, fg=_SEVERITY_COLORS[finding.severity], bold=True)
    return f"{_style(location, color, bold=True)} {code} {finding.message}"


def render_concise(result: CheckResult, out: TextIO, color: bool = False) -> None:
    for finding in result.findings:
        out.write(_head(finding, color) + "\n")


def render_full(result: CheckResult, out: TextIO, color: bool = False) -> None:
    lines_by_path: dict[str, Optional[list[str]]] = {}
    for finding in result.findings:
        if finding.path not in lines_by_path:
            lines_by_path[finding.path] = _source_lines(finding.path)
        out.write(_head(finding, color) + "\n")
        lines = lines_by_path[finding.path]
        if lines and 1 <= finding.line <= len(lines):
            source = lines[finding.line - 1].expandtabs(1)
            width = len(str(finding.line))
            if finding.end_line == finding.line and finding.end_column > finding.column:
                length = finding.end_column - finding.column
            else:
                length = max(1, len(source.rstrip()) - finding.column + 1)
            gutter = _style(" " * width + " |", color, fg="blue")
            out.write(f"{gutter}\n")
            out.write(f"{_style(str(finding.line) + ' |', color, fg='blue')} {source.rstrip()}\n")
            carets = _style("^" * length, color, fg=_SEVERITY_COLORS[finding.severity])
            out.write(f"{gutter} {' ' * (finding.column - 1)}{carets}\n")
        out.write("\n")


def _source_lines(path: str) -> Optional[list[str]]:
    try:
        with open(path, "rb") as handle:
            text = decode(handle.read())
    except OSError:
        return None
    return None if isinstance(text, SourceProblem) else text.split("\n")


def summary(result: CheckResult) -> str:
    findings = result.findings
    if not findings:
        return f"All checks passed ({_plural(result.files_checked, 'file')} checked)."
    files = len({finding.path for finding in findings})
    by_severity = Counter(finding.severity for finding in findings)
    parts = [
        _plural(by_severity[severity], severity.value)
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if by_severity[severity]
    ]
    return f"Found {_plural(len(findings), 'problem')} in {_plural(files, 'file')} ({', '.join(parts)})."


def statistics(result: CheckResult) -> str:
    counts = Counter((finding.code, finding.name) for finding in result.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{count:>5}  {code}  {name}\n" for (code, name), count in rows)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def use_color(stream) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()
