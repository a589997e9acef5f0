"""A Python file as the fixer reads and writes it: the bytes, their encoding, their line
endings.

The linter reads the text as Python does (a BOM or PEP 263 cookie honoured, every line
ending turned into `\\n`). Writing the fixed text back must not change anything else:
the lines the fixes did not touch are copied from the original, byte for byte, with
their own line endings; the new lines take the file's first line ending (CRLF stays
CRLF); the text is encoded as it was read (a BOM stays, a `# -*- coding: latin-1 -*-`
file stays latin-1). The result is decoded again and must give back the fixed text.
"""
from __future__ import annotations

import difflib
import io
import re
import tokenize
from dataclasses import dataclass
from typing import Sequence, Union

from kerascheck.sources import SourceProblem, decode

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class RenderFailed(Exception):
    """The fixed text cannot be written back faithfully (the file is left alone)."""


def split_lines(text: str) -> list[str]:
    """Lines with their endings (`\\r\\n`, `\\r` or `\\n`); the last may have none."""
    return _LINE.findall(text)


def first_newline(text: str) -> str:
    match = re.search(r"\r\n|\r|\n", text)
    return match.group(0) if match else "\n"


def common_ends(old: Sequence, new: Sequence) -> tuple[int, int]:
    """How many leading and trailing items two sequences share (lines, or characters),
    the trailing ones never overlapping the leading ones."""
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    return head, tail


def line_opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib opcodes between two lists of lines, computed on the part between their
    common head and tail only (fixes touch a few lines of long files)."""
    head, tail = common_ends(old, new)
    middle = difflib.SequenceMatcher(None, old[head:len(old) - tail], new[head:len(new) - tail], autojunk=False)
    codes = []
    if head:
        codes.append(("equal", 0, head, 0, head))
    for tag, i1, i2, j1, j2 in middle.get_opcodes():
        codes.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    if tail:
        codes.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    return codes


def splice(raw: str, old_text: str, new_text: str) -> str:
    """`raw` (the file's text with its own line endings) changed as `old_text` (the same
    text with `\\n` endings) was changed into `new_text`: untouched lines keep their
    bytes, new lines get the file's first line ending."""
    raw_lines = split_lines(raw)
    old_lines = split_lines(old_text)
    if len(raw_lines) != len(old_lines):
        raise RenderFailed("the file's lines do not match what was linted")
    new_lines = split_lines(new_text)
    newline = first_newline(raw)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in line_opcodes(old_lines, new_lines):
        if tag == "equal":
            out.extend(raw_lines[i1:i2])
        else:
            out.extend(line[:-1] + newline if line.endswith("\n") else line for line in new_lines[j1:j2])
    return "".join(out)


@dataclass
class PythonSource:
    """A .py file's content, ready to take the fixed text back."""

    data: Union[bytes, str]
    encoding: str  # what `tokenize.detect_encoding` found: "utf-8-sig" keeps the BOM
    raw: str  # the decoded text, line endings as in the file
    text: str  # what the linter reads (every line ending is `\n`)

    @classmethod
    def read(cls, data: Union[bytes, str]) -> Union["PythonSource", SourceProblem]:
        if isinstance(data, str):
            return cls(data, "utf-8", data, data.replace("\r\n", "\n").replace("\r", "\n"))
        text = decode(data)
        if isinstance(text, SourceProblem):
            return text
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return cls(data, encoding, data.decode(encoding), text)

    def render(self, new_text: str) -> Union[bytes, str]:
        """The file's new content (bytes, or text when it was given as text)."""
        raw = splice(self.raw, self.text, new_text)
        if isinstance(self.data, str):
            return raw
        try:
            data = raw.encode(self.encoding)
        except UnicodeEncodeError as error:
            raise RenderFailed(f"the fixed code has characters {self.encoding} cannot encode: {error.reason}") from None
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        if encoding != self.encoding or decode(data) != new_text:
            raise RenderFailed("the fixed file would not read back as the fixed code (encoding declaration moved?)")
        return data

    def diff_text(self, data: Union[bytes, str]) -> str:
        """`data` (this file's or its fixed content) as text for a diff: line endings and
        a BOM kept, so the diff applies to the bytes on disk."""
        if isinstance(data, str):
            return data
        codec = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        return data.decode(codec)

    def diff_encoding(self) -> str:
        return "utf-8" if self.encoding == "utf-8-sig" else self.encoding
