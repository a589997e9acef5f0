"""A real LSP client (pygls's LanguageClient) driving `kerascheck server` in a subprocess.

The tests speak to the server exactly as an editor does: JSON-RPC over the server's
stdin/stdout. This module only wraps the waiting: `Session.diagnostics_for` waits for
the next publishDiagnostics of a document that satisfies a condition.
"""
from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Callable, Optional

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 60.0  # the first check waits for the workspace index; CI machines are slow


def uri(path) -> str:
    return Path(path).resolve().as_uri()


def capabilities() -> types.ClientCapabilities:
    """What VS Code declares for the parts the server uses."""
    return types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
            workspace_folders=True,
        ),
        text_document=types.TextDocumentClientCapabilities(
            synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
            code_action=types.CodeActionClientCapabilities(
                resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"]),
            ),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
        ),
        notebook_document=types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities()
        ),
    )


class Session:
    """One server process and the client speaking to it."""

    def __init__(self, root: Path, env: Optional[dict] = None):
        self.root = root
        self.env = env
        self.client = LanguageClient("kerascheck-tests", "1")
        self.published: dict[str, list] = {}  # uri -> every diagnostics list, in order
        self.messages: list = []  # window/logMessage and window/showMessage
        self.registrations: list = []
        self.versions: dict[str, int] = {}
        self._changed = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams):
            self.published.setdefault(params.uri, []).append(list(params.diagnostics))
            self._changed.set()

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def logged(params: types.LogMessageParams):
            self.messages.append(params)
            self._changed.set()

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def shown(params: types.ShowMessageParams):
            self.messages.append(params)
            self._changed.set()

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams):
            self.registrations.extend(params.registrations)
            return None

    async def start(self, *arguments: str, **initialization) -> types.InitializeResult:
        env = dict(os.environ if self.env is None else self.env)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, env.get("PYTHONPATH")]))
        await self.client.start_io(sys.executable, "-m", "kerascheck", "server", *arguments, env=env, cwd=str(self.root))
        result = await self.client.initialize_async(types.InitializeParams(
            capabilities=capabilities(),
            process_id=os.getpid(),
            root_uri=uri(self.root),
            workspace_folders=[types.WorkspaceFolder(uri=uri(self.root), name=self.root.name)],
            initialization_options=initialization or None,
        ))
        self.client.initialized(types.InitializedParams())
        return result

    async def stop(self) -> int:
        """shutdown, exit; the server's exit code."""
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), TIMEOUT)
        return self.client._server.returncode

    # ---- documents -----------------------------------------------------------------------
    def open(self, path: Path, text: Optional[str] = None) -> str:
        document = uri(path)
        self.versions[document] = 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=document, language_id="python", version=1,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        ))
        return document

    def change(self, document: str, text: str, where: Optional[types.Range] = None) -> None:
        """Replace the range `where` (the whole text when None) by `text`."""
        self.versions[document] += 1
        change = (types.TextDocumentContentChangeWholeDocument(text=text) if where is None
                  else types.TextDocumentContentChangePartial(range=where, text=text))
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=document, version=self.versions[document]),
            content_changes=[change],
        ))

    async def diagnostics_for(self, document: str, condition: Callable[[list], bool] = lambda _: True,
                              after: int = 0) -> list:
        """The first diagnostics list published for `document`, the `after`-th or later,
        that satisfies `condition`."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for diagnostics in self.published.get(document, [])[after:]:
                if condition(diagnostics):
                    return diagnostics
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"no diagnostics for {document} met the condition; published: {self.published.get(document)}; "
                    f"messages: {[m.message for m in self.messages]}"
                )
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def indexed(self) -> None:
        """Wait until the server has read the whole workspace (it logs it)."""
        deadline = time.monotonic() + TIMEOUT
        while not any(" indexed in " in message.message for message in self.messages):
            if time.monotonic() > deadline:
                raise AssertionError(f"the workspace was never read; messages: {[m.message for m in self.messages]}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), 1.0)
            except asyncio.TimeoutError:
                pass

    def count(self, document: str) -> int:
        return len(self.published.get(document, []))


def codes(diagnostics: list) -> list[str]:
    return sorted(str(diagnostic.code) for diagnostic in diagnostics)


def apply_text_edits(text: str, edits: list) -> str:
    """Apply LSP text edits (UTF-16 positions, here all ASCII) to `text`, last first."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(position: types.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        return offsets[position.line] + position.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


def run(coroutine):
    return asyncio.run(coroutine)
