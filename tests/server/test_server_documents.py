"""The server's copies of the editor's buffers: text changes in UTF-16 positions, and a
notebook's cells through LSP notebook sync (structure, kinds, text)."""
from lsprotocol import types

from kerascheck.server.checking import Cell
from kerascheck.server.documents import Documents, uri_path

NOTEBOOK = "file:///work/nb.ipynb"


def text_change(uri, version, start, end, text):
    return types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(*start), end=types.Position(*end)), text=text,
        )],
    )


def test_a_change_after_an_astral_character_lands_where_the_editor_meant():
    documents = Documents()
    documents.open_text(types.TextDocumentItem(uri="file:///a.py", language_id="python", version=1,
                                               text='s = "😀"; x = 1\n'), "/a.py")
    # "1" is at UTF-16 column 14 (the emoji takes two units), code point 13
    snapshot = documents.change_text(text_change("file:///a.py", 2, (0, 14), (0, 15), "2"), "utf-16")
    assert (snapshot.version, snapshot.text) == (2, 's = "😀"; x = 2\n')
    assert documents.change_text(text_change("file:///other.py", 2, (0, 0), (0, 0), "x"), "utf-16") is None


def open_notebook(documents, cells):
    return documents.open_notebook(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=NOTEBOOK, notebook_type="jupyter-notebook", version=1,
            cells=[types.NotebookCell(kind=kind, document=uri) for uri, kind, _, _ in cells],
        ),
        cell_text_documents=[
            types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
            for uri, _, language, text in cells
        ],
    ), "/work/nb.ipynb")


CODE, MARKUP = types.NotebookCellKind.Code, types.NotebookCellKind.Markup


def test_a_notebook_is_its_cells_in_order_and_other_languages_are_not_python():
    documents = Documents()
    snapshot = open_notebook(documents, [
        ("cell:a", MARKUP, "markdown", "# t"),
        ("cell:b", CODE, "python", "import keras\n"),
        ("cell:c", CODE, "r", "print(1)"),
    ])
    assert snapshot.content == (Cell("markdown", "# t"), Cell("code", "import keras\n"), Cell("markdown", "print(1)"))
    assert documents.key_of("cell:b") == NOTEBOOK and snapshot.cell_number("cell:b") == 2
    assert snapshot.text_of("cell:c") == "print(1)"


def test_notebook_changes_move_add_remove_and_edit_cells():
    documents = Documents()
    open_notebook(documents, [("cell:a", CODE, "python", "x = 1\n"), ("cell:b", CODE, "python", "y = 2\n")])
    snapshot, closed = documents.change_notebook(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=NOTEBOOK, version=2),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            structure=types.NotebookDocumentCellChangeStructure(
                array=types.NotebookCellArrayChange(start=0, delete_count=1, cells=[
                    types.NotebookCell(kind=MARKUP, document="cell:new"),
                ]),
                did_open=[types.TextDocumentItem(uri="cell:new", language_id="markdown", version=1, text="# new")],
                did_close=[types.TextDocumentIdentifier(uri="cell:a")],
            ),
            text_content=[types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri="cell:b", version=2),
                changes=[types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(0, 4), end=types.Position(0, 5)), text="3",
                )],
            )],
        )),
    ), "utf-16")
    assert closed == ["cell:a"]
    assert snapshot.version == 2
    assert [(cell.uri, cell.kind, cell.text) for cell in snapshot.cells] == [
        ("cell:new", "markdown", "# new"), ("cell:b", "code", "y = 3\n"),
    ]
    assert documents.key_of("cell:a") is None
    assert documents.close(NOTEBOOK) is snapshot and documents.key_of("cell:b") is None


def test_uri_paths():
    assert uri_path("file:///work/a%20b.py", "/elsewhere") == "/work/a b.py"
    assert uri_path("untitled:Untitled-1", "/work") == "/work/Untitled-1.py"
