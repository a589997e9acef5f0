"""`--add-noqa`: a `# noqa: CODE` directive for every finding, as ruff's `--add-noqa`.

Each finding's codes go on the line whose directive covers it (kerascheck.suppress:
its own line, or where the multi-line string or backslash-continued line it starts in
ends), so a directive never lands inside a string. A line that already has a directive
gets the new codes merged into it, sorted; an invalid colon-less one (KC003) is
rewritten with its colon, which is what it meant, and its codes; any other line gets `  # noqa: CODES` at its end. The result must parse to
the same syntax tree as before (only comments changed) and must silence every finding
it was written for; otherwise the file is left alone.
"""
from __future__ import annotations

import ast
from typing import Iterable

from kerascheck.finding import Finding
from kerascheck.fix.textfile import RenderFailed
from kerascheck.sources import SourceProblem, parse_ast
from kerascheck.suppress import Suppressions

# The findings a line directive cannot silence: KC001 (the file does not parse), and
# KC002, which a directive for it would only make worse.
_NOT_SILENCED_BY_A_LINE = frozenset({"KC001", "KC002"})
_INVALID = "KC003"


def silenceable(finding: Finding) -> bool:
    return finding.code not in _NOT_SILENCED_BY_A_LINE


def with_directives(text: str, findings: Iterable[Finding], path: str = "<noqa>") -> tuple[str, int]:
    """(`text` with a directive for each of `findings`, lines given a new or longer
    directive). The findings' lines are lines of `text`. Raises RenderFailed when the
    result would differ from `text` in anything but comments, or not silence them."""
    noqa = Suppressions.parse(text)
    wanted: dict[int, set[str]] = {}
    for finding in findings:
        if not silenceable(finding):
            continue
        codes = wanted.setdefault(noqa.noqa_line(finding.line), set())
        if finding.code != _INVALID:  # KC003: its directive is rewritten with the colon instead
            codes.add(finding.code)
    if not wanted:
        return text, 0
    lines = text.splitlines(keepends=True)
    for number, codes in wanted.items():
        lines[number - 1] = _with_codes(lines[number - 1], noqa.directives.get(number), codes)
    new_text = "".join(lines)
    _check(text, new_text, noqa, wanted, path)
    return new_text, len(wanted)


def _with_codes(line: str, directive, codes: set[str]) -> str:
    body = line.rstrip("\n")
    ending = line[len(body):]
    if directive is None:
        code = body.rstrip(" \t")
        return f"{code}  # noqa: {', '.join(sorted(codes))}{ending}"
    merged = ", ".join(sorted(set(directive.codes) | codes))
    at = directive.column
    comment = directive.comment
    rewritten = f"{comment[:directive.start]}# noqa: {merged}{comment[directive.end:]}"
    return body[:at] + rewritten + body[at + len(comment):] + ending


def _check(old: str, new: str, noqa: Suppressions, wanted: dict[int, set[str]], path: str) -> None:
    """The promise: comments changed and nothing else, and the new directives work."""
    before, after = parse_ast(old, path, top_level_await=True), parse_ast(new, path, top_level_await=True)
    if isinstance(before, SourceProblem) or isinstance(after, SourceProblem):
        raise RenderFailed("Python does not parse the file with its directives, so they cannot be checked")
    if ast.dump(before) != ast.dump(after):
        raise RenderFailed("a directive would change the code")
    added = Suppressions.parse(new)
    for line, codes in wanted.items():
        if not all(added.suppresses(code, line) for code in codes):
            raise RenderFailed(f"the directive written on line {line} would not silence {', '.join(sorted(codes))}")
