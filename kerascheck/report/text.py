"""The text formats: `full` (source line and carets, the default) and `concise`."""
from __future__ import annotations

import os
from collections import Counter
from typing import TextIO

import click

from kerascheck.results import CheckResult
from kerascheck.finding import Finding, Severity
from kerascheck.report.common import SourceLines, confirmation_text, fix_marker, location

_SEVERITY_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _style(text: str, color: bool, **style) -> str:
    return click.style(text, **style) if color else text


def _head(finding: Finding, color: bool) -> str:
    where = location(finding) + ":"
    code = _style(finding.code, color, fg=_SEVERITY_COLORS[finding.severity], bold=True)
    marker = _style(fix_marker(finding), color, fg="cyan")
    return f"{_style(where, color, bold=True)} {code} {marker}{finding.message}{confirmation_text(finding)}"


def render_concise(result: CheckResult, out: TextIO, color: bool = False) -> None:
    for finding in result.findings:
        out.write(_head(finding, color) + "\n")


def render_full(result: CheckResult, out: TextIO, color: bool = False) -> None:
    sources = SourceLines()
    for finding in result.findings:
        out.write(_head(finding, color) + "\n")
        line = sources.line(finding)
        if line is not None:
            source = line.expandtabs(1)
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
        if finding.fix is not None:
            how = "--fix" if finding.fix.safe else "--fix --unsafe-fixes"
            out.write(f"  = fix ({finding.fix.applicability}, {how}): {finding.fix.description}\n")
        out.write("\n")


def summary(result: CheckResult) -> str:
    """The last lines on stderr: what was fixed (--fix, --diff), what more could be,
    and the findings ("Found ..." or "All checks passed", always the last line)."""
    mode = getattr(result, "fix_mode", None)
    lines = _fix_lines(result, mode)
    if mode is not None and mode.diff:
        return "\n".join(lines)
    return "\n".join([*lines, _found(result)])


def _fix_lines(result: CheckResult, mode) -> list[str]:
    lines = []
    if mode is not None:
        fixed = sum(done.count for done in result.fixes)
        files = _plural(len(result.fixes), "file")
        if mode.diff:
            lines.append(f"Would fix {_plural(fixed, 'problem')} in {files}." if fixed else "No fixes to make.")
        elif fixed:
            lines.append(f"Fixed {_plural(fixed, 'problem')} in {files}.")
    safe = sum(1 for finding in result.findings if finding.fix is not None and finding.fix.safe)
    unsafe = sum(1 for finding in result.findings if finding.fix is not None and not finding.fix.safe)
    if mode is None and safe:
        more = f" ({unsafe} more with --fix --unsafe-fixes)" if unsafe else ""
        lines.append(f"{safe} fixable with --fix{more}.")
    elif mode is None and unsafe:
        lines.append(f"{unsafe} fixable with --fix --unsafe-fixes.")
    elif mode is not None and not mode.unsafe and unsafe:
        lines.append(f"{unsafe} more fixable with --unsafe-fixes.")
    return lines


def _found(result: CheckResult) -> str:
    findings = result.findings
    if not findings and result.errors:  # not "passed": some files were not (fully) checked
        failed = len({error.path for error in result.errors})
        return (
            f"No problems found, but {_plural(failed, 'file')} could not be fully checked "
            f"(see the errors above; {_plural(result.files_checked, 'file')} in the run)."
        )
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
