"""`kerascheck server` as an editor meets it: a subprocess, spoken to over stdio (or TCP)
by a real LSP client (pygls's LanguageClient, see lspclient.py)."""
import asyncio
import os
import socket
import subprocess
import sys
import textwrap

import pytest
from lsprotocol import types
from lspclient import ROOT, Session, apply_text_edits, codes, run, uri

pytestmark = pytest.mark.slow  # server subprocesses

KC101 = textwrap.dedent("""\
    import tensorflow as tf
    import keras


    class Linear(keras.layers.Layer):
        def build(self, input_shape):
            self.w = tf.Variable(tf.zeros((input_shape[-1], 4)))

        def call(self, inputs):
            return inputs @ self.w
""")
KC104 = textwrap.dedent("""\
    import keras


    class Linear(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("kernel", shape=(input_shape[-1], 4))
""")
LAYER_BASE = "import keras\n\n\nclass Base(keras.layers.Layer):\n    pass\n"
PLAIN_BASE = "class Base:\n    pass\n"
SUBCLASS = textwrap.dedent("""\
    import tensorflow as tf

    from base import Base


    class Sub(Base):
        def build(self, input_shape):
            self.w = tf.Variable(tf.zeros((4,)))
""")


def code_actions(session, document, where, only=None):
    return session.client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=document),
        range=where,
        context=types.CodeActionContext(diagnostics=[], only=only),
    ))


def edits_for(action, document):
    """The text edits an action makes to `document` (versioned document changes)."""
    return [edit for change in action.edit.document_changes if change.text_document.uri == document
            for edit in change.edits]


def apply_as_editor(session, document, text, edits):
    """Apply a workspace edit's text edits to the buffer and tell the server, as an editor
    does: one incremental change per edit, the last in the text first."""
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = apply_text_edits(text, [edit])
        session.change(document, edit.new_text, edit.range)
    return text


def test_a_kc101_gets_its_diagnostic_then_its_fix_makes_the_file_clean(tmp_path):
    (tmp_path / "model.py").write_text(KC101, encoding="utf-8")

    async def scenario():
        session = Session(tmp_path)
        result = await session.start()
        assert result.server_info.name == "kerascheck"
        document = session.open(tmp_path / "model.py")
        [diagnostic] = await session.diagnostics_for(document, lambda d: len(d) > 0)
        assert diagnostic.code == "KC101" and diagnostic.source == "kerascheck"
        assert diagnostic.severity == types.DiagnosticSeverity.Error
        assert diagnostic.code_description.href.endswith("/rules/KC101.md")
        assert (diagnostic.range.start.line, diagnostic.range.start.character) == (6, 17)
        actions = await code_actions(session, document, diagnostic.range)
        titles = [action.title for action in actions]
        assert titles == ["Fix KC101: create it with self.add_weight(...) (unsafe)", "Suppress KC101 on this line"]
        fix = actions[0]
        assert fix.kind == types.CodeActionKind.QuickFix and not fix.is_preferred
        assert fix.edit.document_changes[0].text_document.version == 1
        published = session.count(document)
        text = apply_as_editor(session, document, KC101, edits_for(fix, document))
        assert "self.w = self.add_weight(" in text and "tf.Variable" not in text
        assert await session.diagnostics_for(document, after=published) == []
        return await session.stop()

    assert run(scenario()) == 0


def test_suppress_on_this_line_adds_a_noqa_comment(tmp_path):
    (tmp_path / "model.py").write_text(KC101, encoding="utf-8")

    async def scenario():
        session = Session(tmp_path)
        await session.start()
        document = session.open(tmp_path / "model.py")
        [diagnostic] = await session.diagnostics_for(document, lambda d: len(d) > 0)
        actions = await code_actions(session, document, diagnostic.range, only=[types.CodeActionKind.QuickFix])
        [suppress] = [action for action in actions if action.title == "Suppress KC101 on this line"]
        published = session.count(document)
        text = apply_as_editor(session, document, KC101, edits_for(suppress, document))
        assert "tf.Variable(tf.zeros((input_shape[-1], 4)))  # noqa: KC101\n" in text
        assert await session.diagnostics_for(document, after=published) == []
        return await session.stop()

    assert run(scenario()) == 0


def test_fix_all_is_a_source_action_resolved_on_demand(tmp_path):
    (tmp_path / "model.py").write_text("import tensorflow as tf\n" + KC104 + KC101.split("\n", 2)[2], encoding="utf-8")

    async def scenario():
        session = Session(tmp_path)
        await session.start()
        document = session.open(tmp_path / "model.py")
        text = (tmp_path / "model.py").read_text(encoding="utf-8")
        found = await session.diagnostics_for(document, lambda d: len(d) == 2)
        assert codes(found) == ["KC101", "KC104"]
        whole = types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
        [action] = await code_actions(session, document, whole, only=["source.fixAll"])
        assert (action.title, action.kind, action.edit) == ("Fix all kerascheck safe fixes", "source.fixAll.kerascheck", None)
        resolved = await session.client.code_action_resolve_async(action)
        published = session.count(document)
        text = apply_as_editor(session, document, text, edits_for(resolved, document))
        assert 'self.add_weight(name="kernel"' in text and "tf.Variable" in text  # KC101's fix is unsafe
        assert codes(await session.diagnostics_for(document, lambda d: len(d) == 1, after=published)) == ["KC101"]
        return await session.stop()

    assert run(scenario()) == 0


def test_changing_a_base_class_in_another_file_rechecks_the_open_subclass(tmp_path):
    (tmp_path / "base.py").write_text(LAYER_BASE, encoding="utf-8")
    (tmp_path / "sub.py").write_text(SUBCLASS, encoding="utf-8")

    async def scenario():
        session = Session(tmp_path)
        await session.start()
        sub = session.open(tmp_path / "sub.py")
        assert codes(await session.diagnostics_for(sub, lambda d: len(d) > 0)) == ["KC101"]
        assert [r.method for r in session.registrations] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
        # the base buffer changes (unsaved): Sub is no longer a layer
        base = session.open(tmp_path / "base.py")
        await session.diagnostics_for(base)
        published = session.count(sub)
        session.change(base, PLAIN_BASE)
        assert await session.diagnostics_for(sub, after=published) == []
        # the base is closed unsaved, then changed on disk: the watcher's notification counts
        session.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(base)))
        assert codes(await session.diagnostics_for(sub, lambda d: len(d) > 0, after=published)) == ["KC101"]
        published = session.count(sub)
        (tmp_path / "base.py").write_text(PLAIN_BASE, encoding="utf-8")
        session.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=base, type=types.FileChangeType.Changed)
        ]))
        assert await session.diagnostics_for(sub, after=published) == []
        return await session.stop()

    assert run(scenario()) == 0


NOTEBOOK_CELLS = [
    (types.NotebookCellKind.Markup, "markdown", "# A custom layer"),
    (types.NotebookCellKind.Code, "python", "import tensorflow as tf\nimport keras\n"),
    (types.NotebookCellKind.Code, "python", KC101.split("\n", 2)[2].lstrip("\n")),
]


def test_a_notebook_gets_its_diagnostic_on_the_right_cell(tmp_path):
    notebook_uri = uri(tmp_path / "train.ipynb")
    cell_uris = [f"vscode-notebook-cell:{tmp_path}/train.ipynb#cell{n}" for n in range(len(NOTEBOOK_CELLS))]

    async def scenario():
        session = Session(tmp_path)
        await session.start()
        session.client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook_uri, notebook_type="jupyter-notebook", version=1,
                cells=[types.NotebookCell(kind=kind, document=cell) for (kind, _, _), cell in zip(NOTEBOOK_CELLS, cell_uris)],
            ),
            cell_text_documents=[
                types.TextDocumentItem(uri=cell, language_id=language, version=1, text=text)
                for (_, language, text), cell in zip(NOTEBOOK_CELLS, cell_uris)
            ],
        ))
        [diagnostic] = await session.diagnostics_for(cell_uris[2], lambda d: len(d) > 0)
        assert diagnostic.code == "KC101"
        cell_text = NOTEBOOK_CELLS[2][2]
        number = next(n for n, line in enumerate(cell_text.splitlines()) if "tf.Variable" in line)
        line = cell_text.splitlines()[number]
        start = line.index("tf.Variable")
        assert (number, diagnostic.range.start) == (2, types.Position(line=number, character=start))
        assert await session.diagnostics_for(cell_uris[1]) == []
        assert cell_uris[0] not in session.published  # markdown: nothing to say
        # the cell is edited: the fixed cell's diagnostics are cleared
        published = session.count(cell_uris[2])
        session.client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(uri=notebook_uri, version=2),
            change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
                types.NotebookDocumentCellContentChanges(
                    document=types.VersionedTextDocumentIdentifier(uri=cell_uris[2], version=2),
                    changes=[types.TextDocumentContentChangePartial(
                        range=types.Range(start=types.Position(number, start), end=types.Position(number, len(line))),
                        text='self.add_weight(shape=(input_shape[-1], 4), initializer="zeros")',
                    )],
                )
            ])),
        ))
        assert await session.diagnostics_for(cell_uris[2], after=published) == []
        return await session.stop()

    assert run(scenario()) == 0


def test_a_file_that_does_not_parse_is_a_kc001_and_the_server_goes_on(tmp_path):
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n", encoding="utf-8")

    async def scenario():
        session = Session(tmp_path)
        await session.start()
        document = session.open(tmp_path / "broken.py")
        [diagnostic] = await session.diagnostics_for(document, lambda d: len(d) > 0)
        assert diagnostic.code == "KC001" and diagnostic.range.start.line == 0
        published = session.count(document)
        session.change(document, KC101)
        assert codes(await session.diagnostics_for(document, lambda d: len(d) > 0, after=published)) == ["KC101"]
        return await session.stop()

    assert run(scenario()) == 0


def test_hover_and_show_rule_give_the_rule_page(tmp_path):
    (tmp_path / "model.py").write_text(KC101, encoding="utf-8")
    printed = subprocess.run([sys.executable, "-m", "kerascheck", "rule", "KC101"], capture_output=True, text=True,
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": ROOT}, check=True).stdout.rstrip("\n")

    async def scenario():
        session = Session(tmp_path)
        result = await session.start()
        assert list(result.capabilities.execute_command_provider.commands) == ["kerascheck.showRule"]
        document = session.open(tmp_path / "model.py")
        [diagnostic] = await session.diagnostics_for(document, lambda d: len(d) > 0)
        hover = await session.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(document), position=diagnostic.range.start,
        ))
        assert hover.contents.kind == types.MarkupKind.Markdown and hover.contents.value == printed
        nothing = await session.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(document), position=types.Position(0, 0),
        ))
        assert nothing is None
        page = await session.client.workspace_execute_command_async(types.ExecuteCommandParams(
            command="kerascheck.showRule", arguments=["KC101"],
        ))
        assert page == printed
        with pytest.raises(Exception, match="unknown rule 'KC999'"):
            await session.client.workspace_execute_command_async(types.ExecuteCommandParams(
                command="kerascheck.showRule", arguments=["KC999"],
            ))
        return await session.stop()

    assert run(scenario()) == 0


def test_workspace_configuration_applies_and_confirm_never_runs(tmp_path):
    """`confirm = true` in the workspace's configuration: the server still never builds a
    class. Stand-in `keras` and `tensorflow` packages first on the server's path would
    record any import of them."""
    marker = tmp_path / "imported"
    for name in ("keras", "tensorflow", "tf_keras"):
        package = tmp_path / "fake" / name
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(f"open({str(marker)!r}, 'a').write({name!r})\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.kerascheck]\nconfirm = true\nextend-select = ["KC104"]\nignore = ["KC101"]\n', encoding="utf-8")
    (project / "model.py").write_text(KC104 + KC101.split("\n", 2)[2], encoding="utf-8")

    async def scenario():
        session = Session(project, env={**os.environ, "PYTHONPATH": str(tmp_path / "fake")})
        await session.start()
        document = session.open(project / "model.py")
        assert codes(await session.diagnostics_for(document, lambda d: len(d) > 0)) == ["KC104"]
        return await session.stop()

    assert run(scenario()) == 0
    assert not marker.exists()


def test_a_burst_of_changes_is_checked_at_its_start_and_after_its_end(tmp_path):
    (tmp_path / "model.py").write_text("x = 1\n", encoding="utf-8")

    async def scenario():
        session = Session(tmp_path)
        await session.start(debounce=400)
        document = session.open(tmp_path / "model.py")
        await session.diagnostics_for(document)
        await session.indexed()
        published = session.count(document)
        for number in range(5):
            session.change(document, f"x = {number}\n")
        session.change(document, KC101)
        assert codes(await session.diagnostics_for(document, lambda d: len(d) > 0, after=published)) == ["KC101"]
        await asyncio.sleep(1.0)
        # the first change is checked at once, the burst's last 400 ms after it; nothing else
        after = session.published[document][published:]
        assert len(after) <= 2 and codes(after[-1]) == ["KC101"] and all(d == [] for d in after[:-1])
        return await session.stop()

    assert run(scenario()) == 0


def test_the_server_listens_on_tcp_with_the_tcp_option(tmp_path):
    (tmp_path / "model.py").write_text(KC101, encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "kerascheck", "server", "--tcp", str(port)], cwd=tmp_path,
                               env={**os.environ, "PYTHONPATH": ROOT}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    async def scenario():
        session = Session(tmp_path)
        for _ in range(100):
            try:
                await session.client.start_tcp("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.1)
        await session.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=uri(tmp_path),
        ))
        session.client.initialized(types.InitializedParams())
        document = session.open(tmp_path / "model.py")
        assert codes(await session.diagnostics_for(document, lambda d: len(d) > 0)) == ["KC101"]
        await session.client.shutdown_async(None)
        session.client.exit(None)
        await session.client.stop()

    try:
        run(scenario())
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_without_the_lsp_extra_the_command_says_how_to_install_it(tmp_path):
    code = "import sys; sys.modules['pygls'] = None; from kerascheck.cli import main; main(['server'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": ROOT}, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == "kerascheck: error: the language server needs the `lsp` extra: pip install 'kerascheck[lsp]'"


def test_the_static_core_never_imports_pygls(tmp_path):
    (tmp_path / "model.py").write_text(KC101, encoding="utf-8")
    code = textwrap.dedent("""
        import sys
        import kerascheck
        from kerascheck.cli import main
        result = kerascheck.check_paths([sys.argv[1]])
        assert [f.code for f in result.findings] == ["KC101"]
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("pygls", "lsprotocol", "cattrs")))
    """)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": ROOT}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
