"""Reading a Python file the way Python does: honouring a BOM and a PEP 263 cookie.

Undecodable bytes are not an exception for the caller to handle: they become a
:class:`SourceProblem` the engine turns into a KC001 finding.
"""
from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
import warnings
from dataclasses import dataclass
from typing import Optional, Union


@dataclass(frozen=True)
class SourceProblem:
    """Why a file cannot be parsed, and where (1-based line and column)."""

    message: str
    line: int = 1
    column: int = 1


def decode(data: bytes) -> Union[str, SourceProblem]:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # an unknown encoding in the cookie
        return SourceProblem(str(error).split(" (")[0])
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return SourceProblem(
            f"file is not valid {encoding} (byte 0x{data[error.start]:02x})", line, column
        )
    # Python reads CR and CRLF line endings as LF; positions are counted on that text.
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CONFLICT_MARKER = re.compile(r"(<{7}|={7}|>{7}|\|{7})(?: |$)")


def parse_ast(text: str, path: str, top_level_await: bool = False) -> Union[ast.Module, SourceProblem]:
    """`top_level_await`: accept `await` outside functions, as IPython runs notebook cells.
    Python's compiler warns about some valid code (`"\\d"`, `1(2)`); those warnings are
    about the user's file, not kerascheck, so they are not let out."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if top_level_await:
                flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
                return compile(text, path, "exec", flags, dont_inherit=True)
            return ast.parse(text, filename=path)
    except SyntaxError as error:
        message = error.msg or "invalid syntax"
        if error.lineno is None and "\0" in text:
            return _null_byte(text)
        line = error.lineno or 1
        marker = _conflict_marker(text, line)
        if marker is not None:
            return SourceProblem(f"unresolved merge conflict marker '{marker}'", line, 1)
        return SourceProblem(message, line, max(error.offset or 1, 1))
    except ValueError as error:  # Python < 3.12 reports a null byte this way
        return _null_byte(text) if "\0" in text else SourceProblem(_one_line(error))
    except (RecursionError, MemoryError) as error:
        return SourceProblem(_one_line(error))


def _null_byte(text: str) -> SourceProblem:
    offset = text.index("\0")
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return SourceProblem("the file contains a null byte", line, column)


def _conflict_marker(text: str, line: int) -> Optional[str]:
    """The merge conflict marker (`<<<<<<<`, `=======`, ...) that starts the failing line."""
    lines = text.split("\n")
    if 1 <= line <= len(lines):
        match = _CONFLICT_MARKER.match(lines[line - 1])
        if match:
            return match.group(1)
    return None


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


# `ast` errors that no Python version accepts, though libcst's parser does.
_NEVER_VALID = (
    "multiple exception types must be parenthesized",
    "too many nested parentheses",
    # Nesting or size past what CPython's parser takes: never valid either.
    "too many levels of indentation",
    "too many statically nested blocks",
    "maximum recursion depth exceeded",
    "MemoryError",
    "too complex",
)


def maybe_newer_syntax(problem: SourceProblem) -> bool:
    """Whether an `ast` error where libcst parsed may just be syntax newer than the running
    Python (PEP 695 `type X = ...` or PEP 701 f-strings on 3.11). From 3.12 on, this
    Python reads everything libcst does, so the error is real."""
    if sys.version_info >= (3, 12):
        return False
    return not problem.message.startswith(_NEVER_VALID)
