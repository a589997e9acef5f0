"""Fixing a Jupyter notebook cell by cell, leaving every other byte of it alone.

The linter reads a notebook as the Python text :mod:`kerascheck.notebooks` makes of its
code cells. Fixes change that text; here the changed lines are taken back to the cells
they came from, and only those cells' `source` values are rewritten in the notebook's
JSON text, in place. Outputs, metadata, execution counts, the key order, the
indentation and the escapes of everything else stay byte for byte; inside a changed
cell written as a list of lines, the lines that did not change keep theirs too.

A fix that would change lines of two cells at once, a line that was IPython syntax
(a magic the linter read as `pass`) or a cell that does not parse (blank in the linted
text), is refused: the notebook is left as it was. Lines a fix adds between cells go to
the end of the cell above, or to the start of the cell below when the one above does not
parse.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring
from typing import Optional, Union

from kerascheck import notebooks
from kerascheck.fix.textfile import RenderFailed, line_opcodes, split_lines
from kerascheck.sources import SourceProblem

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_BOM = "\ufeff"


@dataclass
class _Value:
    start: int
    end: int
    items: list = field(default_factory=list)  # (start, end) of each list item


@dataclass
class NotebookSource:
    data: Union[bytes, str]
    bom: bool
    raw: str  # the JSON text (without the BOM)
    notebook: notebooks.Notebook
    sources: dict  # cell number -> _Value of its source in `raw`

    @property
    def text(self) -> str:
        return self.notebook.text

    @classmethod
    def read(cls, data: Union[bytes, str]) -> Union["NotebookSource", SourceProblem]:
        notebook = notebooks.load(data)
        if isinstance(notebook, SourceProblem):
            return notebook
        raw = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        bom = isinstance(data, bytes) and data.startswith(b"\xef\xbb\xbf")
        if raw.startswith(_BOM):
            raw, bom = raw[1:], True
        try:
            sources = _source_spans(raw)
        except (ValueError, IndexError, RecursionError):
            return SourceProblem("cannot locate the cells in the notebook's JSON")
        return cls(data, bom, raw, notebook, sources)

    def render(self, new_text: str) -> Union[bytes, str]:
        """The notebook with the cells changed as the Python text was."""
        cells = self._new_cell_lines(new_text)
        raw = self.raw
        expected = json.loads(raw)
        for number in sorted(cells, reverse=True):
            value = self.sources.get(number)
            if value is None:
                raise RenderFailed(f"cannot find the source of cell {number} in the notebook")
            token, new_value = self._source_token(value, cells[number])
            raw = raw[:value.start] + token + raw[value.end:]
            _set_source(expected, number, new_value)
        if json.loads(raw) != expected:
            raise RenderFailed("rewriting the cells would change more than their source")
        if notebooks.load(raw).text != new_text:
            raise RenderFailed("the fixed notebook would not read back as the fixed code")
        out = (_BOM if self.bom else "") + raw
        return out.encode("utf-8") if isinstance(self.data, bytes) else out

    def diff_text(self, data: Union[bytes, str]) -> str:
        """`data` (this notebook's or its fixed content) as text for a diff."""
        return data.decode("utf-8") if isinstance(data, bytes) else data

    def diff_encoding(self) -> str:
        return "utf-8"

    # ---- which cells change, and how ------------------------------------------------------
    def _new_cell_lines(self, new_text: str) -> dict[int, list[str]]:
        old = split_lines(self.notebook.text)
        new = split_lines(new_text)
        owners = self._owners(len(old))
        unparsed = {cell for cell, _problem in self.notebook.cells.unparsed}
        changes: dict[int, list] = {}
        for tag, i1, i2, j1, j2 in line_opcodes(old, new):
            if tag == "equal":
                continue
            if i1 < i2:
                touched = {owners[k][0] for k in range(i1, i2)}
                if len(touched) != 1:
                    raise RenderFailed("a fix changes lines of two notebook cells at once")
                cell, first = owners[i1]
                last = owners[i2 - 1][1] + 1
            elif not old:
                raise RenderFailed("the notebook has no code to fix")
            elif i1 > 0 and (owners[i1 - 1][0] not in unparsed or i1 == len(owners)):
                cell, before = owners[i1 - 1]  # an insertion goes to the end of the cell above
                first = last = before + 1
            else:  # ... or to the start of the cell below
                cell, first, last = owners[i1][0], 0, 0
            if cell in unparsed:
                raise RenderFailed(f"a fix changes cell {cell}, which does not parse")
            lines = [line.rstrip("\n") for line in new[j1:j2]]
            changes.setdefault(cell, []).append((first, last, lines))
        result = {}
        for cell, edits in changes.items():
            original = self.notebook.sources[cell]
            # A dedented cell (IPython strips the first line's indentation): the fixed
            # lines get it back, so the cell keeps its shape.
            python, removed = self.notebook.python(cell)
            indent = max(removed, key=len, default="")
            lines = list(original)
            for first, last, replacement in sorted(edits, reverse=True):
                if any(removed[k] + python[k] != original[k] for k in range(first, last)):
                    raise RenderFailed(f"a fix touches IPython syntax in cell {cell}")
                lines[first:last] = [
                    (removed[first + i] if first + i < last else indent) + line if line else line
                    for i, line in enumerate(replacement)
                ]
            result[cell] = lines
        return result

    def _owners(self, count: int) -> list[tuple[int, int]]:
        """(cell, line index in the cell) of each line of the Python text."""
        owners: list[tuple[int, int]] = []
        cells = self.notebook.cells
        for cell, size in zip(cells.cells, cells.sizes):
            owners.extend((cell, k) for k in range(size))
        if len(owners) != count:
            raise RenderFailed("the notebook's cells do not match what was linted")
        return owners

    def _source_token(self, value: _Value, lines: list[str]) -> tuple[str, object]:
        """The JSON text for a cell source of `lines`, written the way the original was."""
        token = self.raw[value.start:value.end]
        original = json.loads(token)
        joined = original if isinstance(original, str) else "".join(original)
        ends_with_newline = joined.endswith(("\n", "\r"))
        text = "\n".join(lines) + ("\n" if ends_with_newline and lines else "")
        ascii_only = self.raw.isascii() and "\\u" in self.raw
        if isinstance(original, str):
            return json.dumps(text, ensure_ascii=ascii_only), text
        items = split_lines(text)
        old_tokens = [self.raw[start:end] for start, end in value.items]
        tokens = []
        for tag, i1, i2, j1, j2 in line_opcodes(list(original), items):
            if tag == "equal":
                tokens.extend(old_tokens[i1:i2])
            else:
                tokens.extend(json.dumps(item, ensure_ascii=ascii_only) for item in items[j1:j2])
        return _list_token(token, value, self.raw, tokens), items


def _list_token(token: str, value: _Value, raw: str, tokens: list[str]) -> str:
    """A JSON list of `tokens` spaced like the original list `token`."""
    if not value.items:
        lead, between, tail = "", ", ", ""
    else:
        first_start, first_end = value.items[0]
        last_end = value.items[-1][1]
        lead = raw[value.start + 1:first_start]
        if len(value.items) > 1:
            between = raw[first_end:value.items[1][0]]
        else:
            between = "," + lead
        tail = raw[last_end:value.end - 1]
    if not tokens:
        return "[]"
    return "[" + lead + between.join(tokens) + tail + "]"


def _set_source(document: dict, number: int, value) -> None:
    for position, cell in enumerate(_cells(document), start=1):
        if position == number:
            cell["source" if "source" in cell or "input" not in cell else "input"] = value
            return


def _cells(document: dict) -> list:
    if isinstance(document.get("cells"), list):
        return document["cells"]
    return [cell for sheet in document.get("worksheets", []) for cell in sheet["cells"]]


# ---- where the sources are in the JSON text ---------------------------------------------------
def _source_spans(raw: str) -> dict[int, _Value]:
    """cell number (1-based, as kerascheck.notebooks counts) -> where its source is."""
    top = _object(raw, _skip(raw, 0), {"cells", "worksheets"})
    cells: list = []
    members = top.get("cells")
    if members is not None and raw[members.start] == "[":
        cells = [_object(raw, start, {"source", "input"}) for start, _ in members.items]
    else:
        sheets = top.get("worksheets")
        for start, _ in (sheets.items if sheets is not None else []):
            sheet = _object(raw, start, {"cells"})
            inner = sheet.get("cells")
            if inner is not None:
                cells.extend(_object(raw, cell_start, {"source", "input"}) for cell_start, _ in inner.items)
    spans: dict[int, _Value] = {}
    for number, fields in enumerate(cells, start=1):
        found: Optional[_Value] = fields.get("source") or fields.get("input")
        if found is not None:
            spans[number] = found
    return spans


def _skip(raw: str, at: int) -> int:
    return _SPACE.match(raw, at).end()


def _object(raw: str, at: int, wanted: set) -> dict:
    """The members `wanted` of the JSON object at `at`, as _Values (lists with items);
    everything else is skipped by the C decoder."""
    if raw[at] != "{":
        _DECODER.raw_decode(raw, at)  # validates; a non-object has no members we want
        return {}
    found: dict = {}
    at = _skip(raw, at + 1)
    if raw[at] == "}":
        return found
    while True:
        key, at = scanstring(raw, at + 1)
        at = _skip(raw, at)
        if raw[at] != ":":
            raise ValueError("expected ':'")
        at = _skip(raw, at + 1)
        start = at
        if key in wanted and raw[at] == "[":
            items = []
            at = _skip(raw, at + 1)
            if raw[at] != "]":
                while True:
                    _, end = _DECODER.raw_decode(raw, at)
                    items.append((at, end))
                    at = _skip(raw, end)
                    if raw[at] == ",":
                        at = _skip(raw, at + 1)
                        continue
                    if raw[at] != "]":
                        raise ValueError("expected ']'")
                    break
            at += 1
            found[key] = _Value(start, at, items)
        else:
            _, at = _DECODER.raw_decode(raw, at)
            if key in wanted:
                found[key] = _Value(start, at)
        at = _skip(raw, at)
        if raw[at] == ",":
            at = _skip(raw, at + 1)
            continue
        if raw[at] != "}":
            raise ValueError("expected '}'")
        return found
