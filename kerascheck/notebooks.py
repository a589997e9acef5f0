"""Jupyter notebooks as a source: the code cells of a `.ipynb` joined into one module.

The rest of kerascheck never sees a notebook. This adapter turns one into plain Python
text plus a :class:`CellMap` that takes a line of that text back to (cell, line in
cell). IPython syntax is replaced line for line, so no line moves:

- a line magic, shell escape or help request (`%timeit f()`, `!pip install keras`,
  `?obj`, `obj?`, `files = !ls`) at the start of a *logical* line becomes `pass`
  (or `files = None`), keeping its indentation so a magic inside a block stays valid;
  its backslash-continued lines become blank. A `%` that continues an expression
  (`"%d" \\` then `% n`, or inside brackets) is Python and stays;
- `from __future__ import ...` becomes `pass`: valid atop any cell, it would be an
  error in the middle of the joined module;
- a cell magic whose body is Python (`%%time`, `%%capture`, ...) loses only its first
  line; any other cell magic (`%%bash`, `%%writefile`, `%%html`) blanks the whole cell.

Cells are numbered from 1 counting every cell, markdown included, as they appear in
the notebook. A notebook whose kernel is not Python contributes no code.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, replace
from typing import Optional, Union

from kerascheck.finding import Finding
from kerascheck.sources import SourceProblem

SUFFIX = ".ipynb"

# Cell magics whose body IPython runs as Python in this kernel.
PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "tensorboard", "tf_function"}
)

_ESCAPES = ("%", "!", "?")
# `files = !ls`, `out = %sx ls`, `a, b = %time f()`: never Python (no unary % or !).
_ASSIGNED_MAGIC = re.compile(r"^(\s*)([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=\s*[!%]")
# `keras.layers.Dense?` / `obj??`: a trailing `?` is never Python.
_TRAILING_HELP = re.compile(r"^(\s*)[A-Za-z_*][\w.*]*(?:\(\))?\?{1,2}\s*$")
# IPython compiles each cell alone, so a future import may open any cell; in the joined
# module it would be an error anywhere but the top. It changes nothing a rule looks at.
_FUTURE_IMPORT = re.compile(r"^from\s+__future__\s+import\s+[\w\s,]+(#.*)?$")


def is_notebook(path: str) -> bool:
    return path.lower().endswith(SUFFIX)


@dataclass(frozen=True)
class CellMap:
    """Where each code cell starts in the joined text (1-based lines)."""

    starts: tuple[int, ...]  # first joined line of each code cell that has lines
    cells: tuple[int, ...]  # its cell number
    sizes: tuple[int, ...]  # its number of lines

    def locate(self, line: int) -> tuple[int, int]:
        """(cell number, line in the cell) of a 1-based line of the joined text."""
        if not self.starts:
            return 1, max(line, 1)
        index = max(bisect.bisect_right(self.starts, line) - 1, 0)
        offset = line - self.starts[index] + 1
        return self.cells[index], min(max(offset, 1), max(self.sizes[index], 1))

    def relocate(self, finding: Finding) -> Finding:
        """The finding with its position in cell coordinates."""
        cell, line = self.locate(finding.line)
        end_cell, end_line = self.locate(finding.end_line or finding.line)
        end_column = finding.end_column
        if end_cell != cell:  # a node spanning cells: mark its start only
            end_line, end_column = line, finding.column
        return replace(finding, cell=cell, line=line, end_line=end_line, end_column=end_column)


@dataclass(frozen=True)
class Notebook:
    text: str  # the code cells as one Python module
    cells: CellMap
    sources: dict  # cell number -> the cell's original lines (for showing them)


def load(data: Union[bytes, str]) -> Union[Notebook, SourceProblem]:
    """The notebook as Python, or why it cannot be read (a KC001 finding)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return SourceProblem(f"notebook is not valid UTF-8 (byte 0x{data[error.start]:02x})")
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        return SourceProblem(f"notebook is not valid JSON: {error.msg}", error.lineno, error.colno)
    except RecursionError:
        return SourceProblem("notebook JSON is too deeply nested")
    cells = _raw_cells(document)
    if isinstance(cells, SourceProblem):
        return cells
    if not _is_python(document):
        return Notebook("", CellMap((), (), ()), {})
    starts, numbers, sizes, parts, sources = [], [], [], [], {}
    next_line = 1
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            return SourceProblem(f"not a valid notebook: cell {number} is not an object")
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list) and all(isinstance(piece, str) for piece in source):
            source = "".join(source)
        if not isinstance(source, str):
            return SourceProblem(f"not a valid notebook: the source of cell {number} is not text")
        lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if not lines:
            continue
        sources[number] = lines
        starts.append(next_line)
        numbers.append(number)
        sizes.append(len(lines))
        parts.append("\n".join(neutralise(lines)) + "\n")
        next_line += len(lines)
    return Notebook("".join(parts), CellMap(tuple(starts), tuple(numbers), tuple(sizes)), sources)


def _raw_cells(document) -> Union[list, SourceProblem]:
    if not isinstance(document, dict):
        return SourceProblem("not a valid notebook: the top level is not a JSON object")
    if isinstance(document.get("cells"), list):  # nbformat 4
        return document["cells"]
    worksheets = document.get("worksheets")  # nbformat 3
    if isinstance(worksheets, list) and all(
        isinstance(sheet, dict) and isinstance(sheet.get("cells"), list) for sheet in worksheets
    ):
        return [cell for sheet in worksheets for cell in sheet["cells"]]
    return SourceProblem("not a valid notebook: it has no list of cells")


def _is_python(document: dict) -> bool:
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return True
    for key, field in (("language_info", "name"), ("kernelspec", "language")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field), str):
            return section[field].strip().lower() in ("python", "python3", "ipython", "")
    return True


# ---- IPython syntax -----------------------------------------------------------------------
def neutralise(lines: list[str]) -> list[str]:
    """The lines of one cell with IPython syntax replaced, line for line."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        name = lines[first].lstrip()[2:].split(maxsplit=1)
        if not name or name[0] not in PYTHON_CELL_MAGICS:
            return [""] * len(lines)
        lines = [*lines[:first], "", *lines[first + 1:]]
    out = []
    scanner = _LogicalLines()
    continued_magic = False
    for line in lines:
        if continued_magic:
            out.append("")
            continued_magic = line.endswith("\\")
            continue
        if scanner.at_start():
            replacement = _magic_replacement(line)
            if replacement is not None:
                out.append(replacement)
                continued_magic = line.endswith("\\")
                continue
        scanner.feed(line)
        out.append(line)
    return out


def _magic_replacement(line: str) -> Optional[str]:
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    if stripped.startswith(_ESCAPES):
        return indent + "pass"
    assigned = _ASSIGNED_MAGIC.match(line)
    if assigned:
        return f"{assigned.group(1)}{assigned.group(2)} = None"
    if _TRAILING_HELP.match(line) or _FUTURE_IMPORT.match(line):
        return indent + "pass"
    return None


class _LogicalLines:
    """Just enough of Python's tokenizer to know whether the next physical line starts
    a logical line: open brackets, open triple-quoted strings, backslash continuations."""

    def __init__(self):
        self.depth = 0
        self.string: Optional[str] = None  # the delimiter of an open multi-line string
        self.continued = False

    def at_start(self) -> bool:
        return self.depth == 0 and self.string is None and not self.continued

    def feed(self, line: str) -> None:
        i, n = 0, len(line)
        self.continued = False
        while i < n:
            if self.string is not None:
                i = self._close_string(line, i)
                continue
            char = line[i]
            if char == "#":
                return
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            elif char in "\"'":
                triple = line[i:i + 3] == char * 3
                self.string = char * 3 if triple else char
                i += 3 if triple else 1
                continue
            elif char == "\\" and i == n - 1:
                self.continued = True
            i += 1
        if self.string is not None and len(self.string) == 1 and not line.endswith("\\"):
            self.string = None  # unterminated: a syntax error Python will report

    def _close_string(self, line: str, i: int) -> int:
        delimiter = self.string
        n = len(line)
        while i < n:
            if line[i] == "\\":
                i += 2
                continue
            if line.startswith(delimiter, i):
                self.string = None
                return i + len(delimiter)
            i += 1
        return n
