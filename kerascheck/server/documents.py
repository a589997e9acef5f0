"""The open documents, as the server's own copies of the editor's buffers.

A Python file is one text; a notebook is its cells in order, each a text document of
its own (LSP notebook sync). Every change replaces the document's `Snapshot`, an
immutable value: the worker thread that checks a document reads the snapshot current
when it starts, and a result is shown only if its snapshot is still the current one.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Optional, Union
from urllib.parse import unquote, urlparse

from lsprotocol import types

from kerascheck.server.checking import Cell
from kerascheck.server.text import apply_change


@dataclass(frozen=True)
class CellText:
    uri: str
    kind: str  # "code" or "markdown"
    version: int
    text: str


@dataclass(frozen=True)
class Snapshot:
    """One version of an open document. `key` is its URI (a notebook's for a notebook),
    `path` the file kerascheck checks it as; `cells` is None for a Python file."""

    key: str
    path: str
    version: int
    text: str = ""
    cells: Optional[tuple[CellText, ...]] = None

    @property
    def content(self) -> Union[str, tuple]:
        """What kerascheck.server.checking takes: the text, or the cells."""
        if self.cells is None:
            return self.text
        return tuple(Cell(cell.kind, cell.text) for cell in self.cells)

    def text_of(self, uri: str) -> Optional[str]:
        """The text of the document `uri`: this file, or one of this notebook's cells."""
        if self.cells is None:
            return self.text if uri == self.key else None
        return next((cell.text for cell in self.cells if cell.uri == uri), None)

    def cell_number(self, uri: str) -> Optional[int]:
        """The 1-based number of the cell `uri` (counting every cell, as findings do)."""
        for number, cell in enumerate(self.cells or (), start=1):
            if cell.uri == uri:
                return number
        return None


def uri_path(uri: str, fallback_directory: str) -> str:
    """The file a document's URI names; an unsaved buffer (`untitled:Untitled-1`) is
    checked as a file of that name in `fallback_directory`."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        path = unquote(parsed.path)
        if os.name == "nt" and path.startswith("/") and path[2:3] == ":":
            path = path[1:]
        return os.path.abspath(path)
    name = os.path.basename(unquote(parsed.path)) or "untitled"
    return os.path.join(fallback_directory, name if name.endswith(".py") else name + ".py")


def _kind(cell: types.NotebookCell, language: Optional[str]) -> str:
    """A code cell in another language than Python is handed over as markdown: kept for
    the numbering, never checked."""
    if cell.kind == types.NotebookCellKind.Code and (language or "python") == "python":
        return "code"
    return "markdown"


class Documents:
    """uri -> Snapshot of every open document; a notebook cell's uri -> its notebook's."""

    def __init__(self):
        self.snapshots: dict[str, Snapshot] = {}
        self.notebook_of: dict[str, str] = {}
        self._languages: dict[str, str] = {}  # cell uri -> language id

    def get(self, key: str) -> Optional[Snapshot]:
        return self.snapshots.get(key)

    def key_of(self, uri: str) -> Optional[str]:
        """The key of the open document holding `uri` (a file, or a notebook's cell)."""
        if uri in self.snapshots:
            return uri
        return self.notebook_of.get(uri)

    def by_path(self, path: str) -> Optional[Snapshot]:
        return next((snapshot for snapshot in self.snapshots.values() if snapshot.path == path), None)

    # ---- Python files ---------------------------------------------------------------------
    def open_text(self, item: types.TextDocumentItem, path: str) -> Snapshot:
        snapshot = self.snapshots[item.uri] = Snapshot(item.uri, path, item.version, item.text)
        return snapshot

    def change_text(self, params: types.DidChangeTextDocumentParams, encoding: str) -> Optional[Snapshot]:
        current = self.snapshots.get(params.text_document.uri)
        if current is None:
            return None
        text = current.text
        for change in params.content_changes:
            text = _changed(text, change, encoding)
        snapshot = self.snapshots[current.key] = replace(current, version=params.text_document.version, text=text)
        return snapshot

    def close(self, uri: str) -> Optional[Snapshot]:
        snapshot = self.snapshots.pop(uri, None)
        for cell in (snapshot.cells or ()) if snapshot else ():
            self.notebook_of.pop(cell.uri, None)
            self._languages.pop(cell.uri, None)
        return snapshot

    # ---- notebooks ------------------------------------------------------------------------
    def open_notebook(self, params: types.DidOpenNotebookDocumentParams, path: str) -> Snapshot:
        notebook = params.notebook_document
        items = {item.uri: item for item in params.cell_text_documents}
        for item in items.values():
            self._languages[item.uri] = item.language_id
        cells = tuple(
            CellText(cell.document, _kind(cell, self._languages.get(cell.document)),
                     items[cell.document].version if cell.document in items else 0,
                     items[cell.document].text if cell.document in items else "")
            for cell in notebook.cells
        )
        for cell in cells:
            self.notebook_of[cell.uri] = notebook.uri
        snapshot = self.snapshots[notebook.uri] = Snapshot(notebook.uri, path, notebook.version, cells=cells)
        return snapshot

    def change_notebook(self, params: types.DidChangeNotebookDocumentParams, encoding: str):
        """(the new snapshot, the uris of the cells that left the notebook)."""
        current = self.snapshots.get(params.notebook_document.uri)
        if current is None:
            return None, []
        cells = list(current.cells or ())
        closed: list[str] = []
        changes = params.change.cells
        if changes is not None and changes.structure is not None:
            structure = changes.structure
            opened = {item.uri: item for item in structure.did_open or ()}
            for item in opened.values():
                self._languages[item.uri] = item.language_id
            new = [
                CellText(cell.document, _kind(cell, self._languages.get(cell.document)),
                         opened[cell.document].version if cell.document in opened else 0,
                         opened[cell.document].text if cell.document in opened else "")
                for cell in structure.array.cells or ()
            ]
            start = structure.array.start
            cells[start:start + structure.array.delete_count] = new
            for item in structure.did_close or ():
                closed.append(item.uri)
        if changes is not None:
            by_uri = {cell.uri: index for index, cell in enumerate(cells)}
            for data in changes.data or ():
                index = by_uri.get(data.document)
                if index is not None:
                    cells[index] = replace(cells[index], kind=_kind(data, self._languages.get(data.document)))
            for content in changes.text_content or ():
                index = by_uri.get(content.document.uri)
                if index is None:
                    continue
                text = cells[index].text
                for change in content.changes:
                    text = _changed(text, change, encoding)
                cells[index] = replace(cells[index], text=text, version=content.document.version)
        present = {cell.uri for cell in cells}
        closed = [uri for uri in closed if uri not in present]
        for uri in closed:
            self.notebook_of.pop(uri, None)
            self._languages.pop(uri, None)
        for cell in cells:
            self.notebook_of[cell.uri] = current.key
        snapshot = self.snapshots[current.key] = replace(
            current, version=params.notebook_document.version, cells=tuple(cells)
        )
        return snapshot, closed


def _changed(text: str, change, encoding: str) -> str:
    if isinstance(change, types.TextDocumentContentChangePartial):
        r = change.range
        return apply_change(text, (r.start.line, r.start.character, r.end.line, r.end.character), change.text, encoding)
    return apply_change(text, None, change.text, encoding)
