"""`# noqa` comments: per line (`# noqa`, `# noqa: KC101, KC302`) and per file
(`# kerascheck: noqa`, `# kerascheck: noqa: KC101`).

Comments are found with the tokenizer, so a `# noqa` inside a string does not count.
The tokenizer runs only for files that have findings and mention `noqa`.
"""
from __future__ import annotations

import io
import re
import tokenize
from typing import Iterable, Optional

_LINE = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?", re.I)
_FILE = re.compile(
    r"#\s*kerascheck\s*:\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?",
    re.I,
)
ALL = frozenset({"*"})


def _codes(match: re.Match) -> frozenset:
    codes = match.group("codes")
    if not codes:
        return ALL
    return frozenset(code.upper() for code in re.split(r"[\s,]+", codes.strip()) if code)


class Suppressions:
    def __init__(self, by_line: dict[int, frozenset], file_wide: frozenset):
        self.by_line = by_line
        self.file_wide = file_wide

    @classmethod
    def parse(cls, text: str) -> "Suppressions":
        by_line: dict[int, frozenset] = {}
        file_wide: frozenset = frozenset()
        for line, comment in _comments(text):
            file_match = _FILE.search(comment)
            if file_match:
                file_wide = file_wide | _codes(file_match)
                continue
            line_match = _LINE.search(comment)
            if line_match:
                by_line[line] = by_line.get(line, frozenset()) | _codes(line_match)
        return cls(by_line, file_wide)

    def suppresses(self, code: str, line: int) -> bool:
        for codes in (self.file_wide, self.by_line.get(line)):
            if codes and ("*" in codes or code in codes):
                return True
        return False


def _comments(text: str) -> Iterable[tuple[int, str]]:
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError):
        return


def suppressions_for(text: str) -> Optional[Suppressions]:
    """Suppressions of a file, or None when it has no noqa comment at all (the cheap case)."""
    if "noqa" not in text and "NOQA" not in text:
        return None
    return Suppressions.parse(text)
