"""Reading a Python file the way Python does: honouring a BOM and a PEP 263 cookie.

Undecodable bytes are not an exception for the caller to handle: they become a
:class:`SourceProblem` the engine turns into a KC001 finding.
"""
from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from typing import Union


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


def parse_ast(text: str, path: str) -> Union[ast.Module, SourceProblem]:
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as error:
        message = error.msg or "invalid syntax"
        return SourceProblem(message, error.lineno or 1, max(error.offset or 1, 1))
    except (ValueError, RecursionError, MemoryError) as error:
        return SourceProblem(_one_line(error))


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
