"""`# noqa` comments: per line (`# noqa`, `# noqa: KC101, KC302`) and per file
(`# kerascheck: noqa`, `# kerascheck: noqa: KC101`).

Comments are found with the tokenizer, so a `# noqa` inside a string does not count.
The tokenizer runs only for files that have findings and mention `noqa`.

A line directive covers the findings that start on its line. A line that cannot hold a
comment (it ends inside a multi-line string, or with a backslash) hands its findings to
the next line that can, where that string or statement line ends: that is where the
directive goes, as in ruff.

`# noqa KC101` (no colon) is not a blanket `# noqa`: a directive that names kerascheck
codes without the colon is invalid, suppresses nothing and is reported (KC003).
One that names only other tools' codes (`# noqa E501`) stays what flake8 and ruff make
of it, a blanket `# noqa`.

The noqa stage (kerascheck.filters) records which codes each directive silenced, so that
KC002 can tell the directives that silence nothing once it has run.
"""
from __future__ import annotations

import bisect
import io
import re
import tokenize
from dataclasses import dataclass
from typing import Iterable, Optional

# Codes in a directive, as ruff and flake8 write them: letters then digits.
CODE = r"[A-Za-z]+[0-9]+"
# kerascheck's own codes; any other code in a directive belongs to another tool.
OWN_PREFIX = "KC"
_CODES = re.compile(rf"\s*(?:{CODE}(?:[\s,]+{CODE})*)")
_CODE = re.compile(CODE)
_LINE = re.compile(r"#\s*noqa(?P<colon>\s*:)?", re.I)
_FILE = re.compile(r"#\s*kerascheck\s*:\s*noqa(?P<colon>\s*:)?", re.I)
# What may follow `noqa` in a colon-less directive naming codes: `# noqa KC101`, `#noqaKC101`.
_BARE_CODES = re.compile(rf"\s*{CODE}(?:[\s,]+{CODE})*(?=\s|,|#|$)")
ALL = frozenset({"*"})


def own(code: str) -> bool:
    """Whether a code in a directive is kerascheck's (the others are other tools')."""
    return code.upper().startswith(OWN_PREFIX)


@dataclass(frozen=True)
class Directive:
    """One line directive as written: on `line`, in the comment that starts at `column`
    (0-based) and reads `comment`; the directive is `comment[start:end]` (from its `#`
    to its last code). `codes` as written (upper-cased, in order, repeats kept); empty
    for a blanket `# noqa`. `invalid`: codes without the colon (suppresses nothing)."""

    line: int
    column: int
    comment: str
    start: int
    end: int
    codes: tuple[str, ...] = ()
    invalid: bool = False

    @property
    def colon_at(self) -> int:
        """Where an invalid directive's colon belongs: right after `noqa`."""
        return self.comment.lower().index("noqa", self.start) + len("noqa")


class Suppressions:
    """A file's `# noqa` directives, and what the noqa stage silenced with them."""

    def __init__(self, by_line: dict[int, frozenset], file_wide: frozenset,
                 directives: Iterable[Directive] = (), comment_lines: Optional[list[int]] = None):
        self.by_line = by_line
        self.file_wide = file_wide
        self.directives = {directive.line: directive for directive in directives}
        # Sorted lines that can hold a comment (None: unknown, every line can).
        self._comment_lines = comment_lines
        # (line, code) pairs a line directive silenced: filled by `suppresses`.
        self.used: set[tuple[int, str]] = set()

    @classmethod
    def parse(cls, text: str) -> "Suppressions":
        by_line: dict[int, frozenset] = {}
        file_wide: frozenset = frozenset()
        directives = []
        comments, comment_lines = _scan(text)
        for line, column, comment in comments:
            file_match = _FILE.search(comment)
            if file_match:
                file_wide = file_wide | _file_codes(comment, file_match)
                continue
            directive = _directive(line, column, comment)
            if directive is None:
                continue
            directives.append(directive)
            if not directive.invalid:
                codes = frozenset(directive.codes) if directive.codes else ALL
                by_line[line] = by_line.get(line, frozenset()) | codes
        return cls(by_line, file_wide, directives, comment_lines)

    def noqa_line(self, line: int) -> int:
        """The line whose directive covers a finding starting on `line`: itself, or, when
        it cannot hold a comment, the next line that can."""
        lines = self._comment_lines
        if not lines:
            return line
        at = bisect.bisect_left(lines, line)
        return lines[at] if at < len(lines) else line

    def silenced(self, line: int) -> set[str]:
        """The codes the directive on `line` silenced (see `used`)."""
        return {code for used_line, code in self.used if used_line == line}

    def suppresses(self, code: str, line: int) -> bool:
        """Whether `code` is silenced on `line`, by the file's or the line's directive; a
        line directive that does it is recorded in `used`."""
        if self.file_wide and ("*" in self.file_wide or code in self.file_wide):
            return True
        where = self.noqa_line(line)
        codes = self.by_line.get(where)
        if codes and ("*" in codes or code in codes):
            self.used.add((where, code))
            return True
        return False


def _directive(line: int, column: int, comment: str) -> Optional[Directive]:
    match = _LINE.search(comment)
    if match is None:
        return None
    start, rest = match.start(), match.end()
    if match.group("colon"):
        found = _CODES.match(comment, rest)
        if found is None or not found.group().strip():
            return Directive(line, column, comment, start, rest)  # `# noqa: reason` reads as a blanket noqa
        codes = tuple(code.upper() for code in _CODE.findall(found.group()))
        return Directive(line, column, comment, start, found.end(), codes)
    bare = _BARE_CODES.match(comment, rest)
    if bare is not None:
        codes = tuple(code.upper() for code in _CODE.findall(bare.group()))
        if any(own(code) for code in codes):
            return Directive(line, column, comment, start, bare.end(), codes, invalid=True)
    return Directive(line, column, comment, start, rest)


def _file_codes(comment: str, match: re.Match) -> frozenset:
    if match.group("colon"):
        found = _CODES.match(comment, match.end())
        if found is not None and found.group().strip():
            return frozenset(code.upper() for code in _CODE.findall(found.group()))
    return ALL


def _scan(text: str) -> tuple[list[tuple[int, int, str]], Optional[list[int]]]:
    """(line, column, text) of every comment, and the sorted lines that can hold one
    (those where a line or a comment ends outside a string); None when the tokenizer
    gives up on the file."""
    comments = []
    lines: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                comments.append((token.start[0], token.start[1], token.string))
                lines.add(token.start[0])
            elif token.type in (tokenize.NEWLINE, tokenize.NL):
                lines.add(token.start[0])
    except (tokenize.TokenError, SyntaxError):
        return comments, None
    return comments, sorted(lines)


def suppressions_for(text: str) -> Optional[Suppressions]:
    """Suppressions of a file, or None when it has no noqa comment at all (the cheap case)."""
    if "noqa" not in text and "NOQA" not in text:
        return None
    return Suppressions.parse(text)

