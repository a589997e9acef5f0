"""The text formats: `full` (source line and carets, the default) and `concise`, the
summary lines that end a run on stderr, and `--statistics` as text.

A finding's first line is

    path:line:column: CODE [severity] [*] message

(`path:cell N:line:column` in a notebook). `[*]` marks a finding that `--fix` repairs as
the run is set up (an unsafe fix only with `--unsafe-fixes`), as in ruff. The message is
short (what is wrong, what happens on the file's Keras); the full format adds, under the
source line, a `= help:` line with the finding's help (the exact error, what to write
instead) and, for an unsafe fix that this run does not apply, one naming the options that
apply it. So the fix is said once: by `[*]`, or by that line.
"""
from __future__ import annotations

import os
import shutil
from collections import Counter
from typing import Optional, TextIO

import click

from kerascheck.results import CheckResult
from kerascheck.finding import Finding, Severity
from kerascheck.rules import all_rules
from kerascheck.report.common import SEVERITY_WORDS, SourceLines, applies, confirmation_text, location, statistics_rows

_SEVERITY_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
FIXABLE = "[*]"
ELLIPSIS = "…"
# Narrower than this, a snippet is not cut any further (its carets would vanish).
_MIN_WIDTH = 40


def _style(text: str, color: bool, **style) -> str:
    return click.style(text, **style) if color else text


def _head(finding: Finding, color: bool, unsafe_fixes: bool) -> str:
    where = location(finding) + ":"
    severity_color = _SEVERITY_COLORS[finding.severity]
    code = _style(finding.code, color, fg=severity_color, bold=True)
    level = _style(f"[{SEVERITY_WORDS[finding.severity]}]", color, fg=severity_color)
    marker = _style(FIXABLE, color, fg="cyan") + " " if applies(finding, unsafe_fixes) else ""
    return f"{_style(where, color, bold=True)} {code} {level} {marker}{finding.message}{confirmation_text(finding)}"


def render_concise(
    result: CheckResult, out: TextIO, color: bool = False, *, unsafe_fixes: bool = False, show_fixes: bool = False
) -> None:
    """One line per finding (`--show-fixes` adds nothing here: the line stays one line)."""
    for finding in result.findings:
        out.write(_head(finding, color, unsafe_fixes) + "\n")


def render_full(
    result: CheckResult, out: TextIO, color: bool = False, *, unsafe_fixes: bool = False, show_fixes: bool = False,
    width: Optional[int] = None,
) -> None:
    """Each finding with its source line and carets under what it flags. A source line
    wider than `width` (default: the terminal's) is cut with an ellipsis, keeping the
    flagged part in view. `show_fixes` (`--show-fixes`) says what each fix would do."""
    width = width or shutil.get_terminal_size().columns
    sources = SourceLines()
    for finding in result.findings:
        out.write(_head(finding, color, unsafe_fixes) + "\n")
        line = sources.line(finding)
        if line is not None:
            out.write(_snippet(finding, line.expandtabs(1).rstrip(), color, width))
        if finding.help:
            out.write(f"  = help: {finding.help}\n")
        if show_fixes and finding.fix is not None:
            how = "--fix" if applies(finding, unsafe_fixes) else "unsafe: --fix --unsafe-fixes"
            out.write(f"  = fix ({how}): {finding.fix.description}\n")
        elif finding.fix is not None and not applies(finding, unsafe_fixes):
            out.write("  = help: --fix --unsafe-fixes applies an unsafe fix (it changes what the code does)\n")
        out.write("\n")


def _snippet(finding: Finding, source: str, color: bool, width: int) -> str:
    number = str(finding.line)
    start = finding.column - 1
    if finding.end_line == finding.line and finding.end_column > finding.column:
        length = finding.end_column - finding.column
    else:
        length = max(1, len(source) - start)
    shown, start, length = cut(source, start, length, max(width - len(number) - 3, _MIN_WIDTH))
    gutter = _style(" " * len(number) + " |", color, fg="blue")
    carets = _style("^" * length, color, fg=_SEVERITY_COLORS[finding.severity])
    return (
        f"{gutter}\n"
        f"{_style(number + ' |', color, fg='blue')} {shown}\n"
        f"{gutter} {' ' * start}{carets}\n"
    )


def cut(source: str, start: int, length: int, width: int) -> tuple[str, int, int]:
    """`source` cut to `width` characters with an ellipsis where text was left out, and
    where the carets of the span (`start`, `length`) go in what is left. The start of
    the span stays in view: a long line is cut at its end, or, when the span starts past
    the width (minified code), at both ends around it."""
    if len(source) <= width:
        return source, start, length
    if start < width - 1:  # the start of the span fits before the ellipsis at the end
        return source[:width - 1] + ELLIPSIS, start, max(1, min(length, width - 1 - start))
    context = min(10, width // 4)
    begin = start - context
    shown = ELLIPSIS + source[begin:begin + width - 2]
    if begin + width - 2 < len(source):
        shown += ELLIPSIS
    else:
        shown = ELLIPSIS + source[begin:]
    return shown, context + 1, max(1, min(length, width - 2 - context))


# ---- the summary on stderr -------------------------------------------------------------------
def summary(result: CheckResult, unsafe_fixes: bool = False, fix_only: bool = False) -> str:
    """The last lines on stderr, in ruff's order: the problems found (with, after --fix,
    how many were fixed), then how many more `--fix` would repair and the options that do
    it. --diff and --fix-only say only what was (or would be) fixed."""
    mode = getattr(result, "fix_mode", None)
    unsafe = mode.unsafe if mode is not None else unsafe_fixes
    hidden = sum(1 for finding in result.findings if finding.fix is not None and not applies(finding, unsafe))
    if mode is not None and (mode.diff or fix_only):
        return _fixed_only(result, "Would fix" if mode.diff else "Fixed", hidden)
    lines = [_found(result)]
    applicable = [finding for finding in result.findings if applies(finding, unsafe)]
    hint = _fixable(len(applicable), hidden, any(not finding.fix.safe for finding in applicable))
    if hint:
        lines.append(hint)
    return "\n".join(lines)


def fixes_enumeration(result: CheckResult, verb: str = "Fixed") -> str:
    """ruff's `--show-fixes` list after --fix (or --diff: "Would fix"): per file, how many
    findings of each rule were fixed; empty when nothing was."""
    total = sum(done.count for done in result.fixes)
    if not total:
        return ""
    lines = [f"{verb} {_plural(total, 'problem')}:"]
    for done in sorted(result.fixes, key=lambda done: done.path):
        if done.count:
            lines.append(f"- {done.path}:")
            lines += [f"    {count} × {code} ({_rule_name(code)})" for code, count in sorted(done.fixed.items())]
    return "\n".join(lines)


def _rule_name(code: str) -> str:
    rule = all_rules().get(code)
    return rule.name if rule is not None else code


def _fixed_only(result: CheckResult, verb: str, hidden: int) -> str:
    """ruff's line after --diff / --fix-only: what was (would be) fixed, and how many more
    fixes --unsafe-fixes would add."""
    fixed = sum(done.count for done in result.fixes)
    if fixed:
        more = f" ({_plural(hidden, 'additional fix', 'additional fixes')} available with `--unsafe-fixes`)" if hidden else ""
        return f"{verb} {_plural(fixed, 'problem')} in {_plural(len(result.fixes), 'file')}{more}."
    more = f" ({_plural(hidden, 'fix', 'fixes')} available with `--unsafe-fixes`)" if hidden else ""
    return f"No fixes to make{more}."


def _fixable(applicable: int, hidden: int, both_options: bool) -> Optional[str]:
    """ruff's hint: `[*] N fixable with the `--fix` option (M hidden fixes can be enabled
    with the `--unsafe-fixes` option).`, or None when nothing is fixable."""
    hint = f" ({_plural(hidden, 'hidden fix', 'hidden fixes')} can be enabled with the `--unsafe-fixes` option)" if hidden else ""
    if applicable:
        options = "`--fix --unsafe-fixes` options" if both_options else "`--fix` option"
        return f"{FIXABLE} {applicable} fixable with the {options}{hint}."
    if hidden:
        return f"No fixes available{hint}."
    return None


def _found(result: CheckResult) -> str:
    findings = result.findings
    fixed = sum(done.count for done in result.fixes)
    if not findings and result.errors:  # not "passed": some files were not (fully) checked
        failed = len({error.path for error in result.errors})
        done = f" after fixing {_plural(fixed, 'problem')}" if fixed else ""
        return (
            f"No problems found{done}, but {_plural(failed, 'file')} could not be fully checked "
            f"(see the errors above; {_plural(result.files_checked, 'file')} in the run)."
        )
    if not findings and not fixed:
        return f"All checks passed ({_plural(result.files_checked, 'file')} checked)."
    files = len({finding.path for finding in findings} | {done.path for done in result.fixes if done.count})
    by_severity = Counter(finding.severity for finding in findings)
    parts = ", ".join(
        _plural(by_severity[severity], severity.value)
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if by_severity[severity]
    )
    if fixed:
        remaining = f"{len(findings)} remaining" + (f": {parts}" if parts else "")
        return f"Found {_plural(fixed + len(findings), 'problem')} in {_plural(files, 'file')} ({fixed} fixed, {remaining})."
    return f"Found {_plural(len(findings), 'problem')} in {_plural(files, 'file')} ({parts})."


# ---- --statistics -----------------------------------------------------------------------------
def statistics(result: CheckResult, unsafe_fixes: bool = False) -> str:
    """`count  CODE  [*] name` per rule; the `[*]` column only when some rule is fixable."""
    rows = statistics_rows(result, unsafe_fixes)
    marks = any(row["fixable"] for row in rows)
    return "".join(
        f"{row['count']:>5}  {row['code']}  {(FIXABLE if row['fixable'] else '[ ]') + ' ' if marks else ''}{row['name']}\n"
        for row in rows
    )


def _plural(count: int, word: str, words: Optional[str] = None) -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


# ---- color ------------------------------------------------------------------------------------
COLOR_CHOICES = ("auto", "always", "never")


def use_color(stream, choice: str = "auto") -> bool:
    """`--color always|never` decides; with `auto`, a non-empty NO_COLOR turns color off
    (no-color.org) and a non-empty FORCE_COLOR on (force-color.org), NO_COLOR first, as
    Python's own `_colorize` does; otherwise color goes to a terminal that is not dumb."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return os.environ.get("TERM") != "dumb" and hasattr(stream, "isatty") and stream.isatty()
