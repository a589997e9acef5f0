"""Positions in an editor's text: lines as LSP (and Python) split them, columns counted in
the units the client negotiated.

kerascheck counts columns in characters (code points); an LSP client counts them in
UTF-16 code units unless it agreed to UTF-8 or UTF-32. Lines end at `\\n`, `\\r\\n` or
`\\r` and nowhere else: a form feed (legal in Python source) or a U+2028 in a string
does not end a line, although `str.splitlines` says it does. That is why the server
keeps its own copy of each document (applying the client's changes here) instead of
pygls's, whose line splitting disagrees on those characters.
"""
from __future__ import annotations

import re
from typing import Optional

from kerascheck.server.checking import line_opcodes, split_lines

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_BREAK = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str) -> int:
    """The length of `text` in the client's units."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _index(line: str, character: int, encoding: str) -> int:
    """The code point index in `line` of a position `character` units into it (past the
    end: the end, as LSP says; inside a character: after it)."""
    if encoding == UTF32:
        return min(character, len(line))
    counted = 0
    for index, char in enumerate(line):
        if counted >= character:
            return index
        counted += units(char, encoding)
    return len(line)


class Lines:
    """A text's lines, for turning positions into offsets and back."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [match.end() for match in _BREAK.finditer(text)]

    def line(self, number: int) -> str:
        """Line `number` (0-based) without its line break; "" past the end."""
        if number >= len(self.starts):
            return ""
        start = self.starts[number]
        end = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, line: int, character: int, encoding: str) -> int:
        """The offset in the text of an LSP position (clamped to the text)."""
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + _index(self.line(line), character, encoding)

    def position(self, line: int, column: int, encoding: str) -> tuple[int, int]:
        """The LSP position (0-based line, units) of 0-based `line` and code point `column`."""
        if line >= len(self.starts):  # just past the last line
            last = len(self.starts) - 1
            return last, units(self.line(last), encoding)
        return line, units(self.line(line)[:column], encoding)

    def position_of_offset(self, offset: int, encoding: str) -> tuple[int, int]:
        line = max(0, _bisect(self.starts, offset) - 1)
        return line, units(self.text[self.starts[line]:offset], encoding)

    def code_point(self, line: int, character: int, encoding: str) -> int:
        """The code point column (0-based) of an LSP position on `line`."""
        return _index(self.line(line), character, encoding)


def _bisect(starts: list, offset: int) -> int:
    low, high = 0, len(starts)
    while low < high:
        middle = (low + high) // 2
        if starts[middle] <= offset:
            low = middle + 1
        else:
            high = middle
    return low


def apply_change(text: str, change_range: Optional[tuple[int, int, int, int]], new: str, encoding: str) -> str:
    """`text` with one content change of the client applied: the range (start line,
    start character, end line, end character) replaced by `new`, or the whole text when
    there is no range."""
    if change_range is None:
        return new
    lines = Lines(text)
    start = lines.offset(change_range[0], change_range[1], encoding)
    end = max(start, lines.offset(change_range[2], change_range[3], encoding))
    return text[:start] + new + text[end:]


def line_edits(old: str, new: str, encoding: str) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """The edits, whole lines each, that turn `old` into `new`:
    [((start line, character), (end line, character), replacement)]. Untouched lines
    are left out, so that the editor keeps its cursor and folds there."""
    old_lines, new_lines = split_lines(old), split_lines(new)
    lines = Lines(old)
    offsets = [0]
    for line in old_lines:
        offsets.append(offsets[-1] + len(line))
    edits = []
    for tag, i1, i2, j1, j2 in line_opcodes(old_lines, new_lines):
        if tag == "equal":
            continue
        start = lines.position_of_offset(offsets[i1], encoding)
        end = lines.position_of_offset(offsets[i2], encoding)
        edits.append((start, end, "".join(new_lines[j1:j2])))
    return edits
