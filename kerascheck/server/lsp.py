"""The language server: LSP over stdio (or TCP), on pygls.

This module speaks the protocol: which documents are open, when to check them, where a
finding goes on screen, which edits a code action makes. Every question to kerascheck
goes through kerascheck.server.checking, on one worker thread: the event loop keeps
reading the editor's messages while a file is checked, and the checker's state is
touched by that thread alone.

When a document is checked:
- when it is opened or saved: at once;
- when it changes: at once if it had not changed for `debounce` seconds, else
  `debounce` seconds after its last change (a burst of changes is checked at its start
  and at its end), with never more than one check of a document waiting: a waiting check
  reads the document when it starts. A result is shown only if the document has not
  changed since that check read it; otherwise the next check's result will be;
- when a file's classes change (its open buffer, or the file on disk as the editor's
  file watcher reports it): the open documents whose last check looked that file up
  (a subclass of a class defined there) are checked again.
"""
from __future__ import annotations

import asyncio
import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from kerascheck import __version__
from kerascheck.server import checking
from kerascheck.server.workspace import Checked, Workspace
from kerascheck.server.convert import (
    contains, diagnostic, finding_range, kind_wanted, line_text_edits, overlaps, text_edit, workspace_edit,
)
from kerascheck.server.documents import Documents, Snapshot, uri_path
from kerascheck.server.noqa import noqa_edit
from kerascheck.server.text import Lines, line_edits

# Changes to a document less than this many seconds apart are a burst, checked this long
# after its last change (initializationOptions `{"debounce": milliseconds}` changes it);
# a change after a quiet spell is checked at once. Waiting even a millisecond before
# every check costs more than that on a busy machine (the process goes to sleep and
# waits to be scheduled again: measured with tests/benchmarks/bench.py --server).
DEBOUNCE_SECONDS = 0.03
FIX_ALL = "source.fixAll.kerascheck"
SHOW_RULE = "kerascheck.showRule"
# What the server asks the editor to watch: the files of the index, the settings, and
# the files that declare the Keras version (kerascheck.semantic.target reads them).
WATCHED = (
    "**/*.py", "**/*.ipynb", "**/pyproject.toml", "**/kerascheck.toml", "**/.kerascheck.toml", "**/.gitignore",
    "**/requirements*.txt", "**/requirements*.in", "**/constraints*.txt", "**/constraints*.in",
    "**/setup.cfg", "**/Pipfile",
)


def _capability(capabilities, dotted: str):
    value = capabilities
    for name in dotted.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


class KerascheckServer(LanguageServer):
    def __init__(self):
        super().__init__(
            "kerascheck",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                # every notebook type ("*"), its Python cells
                notebook_selector=[types.NotebookDocumentFilterWithNotebook(
                    notebook="*", cells=[types.NotebookCellLanguage(language="python")]
                )],
                save=True,
            ),
        )
        self.documents = Documents()
        self.checker = Workspace()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kerascheck-check")
        self.stopping = threading.Event()
        self.debounce = DEBOUNCE_SECONDS
        self.shut_down = False
        self.shut_down_requested = False  # the client sent `shutdown` (exit code 0)
        self.fallback_directory = os.getcwd()
        # key -> (the snapshot checked, its Checked): what code actions and hovers read
        self.results: dict[str, tuple[Snapshot, Checked]] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._queued: set = set()
        self._last_change: dict[str, float] = {}  # key -> loop time of its last change
        self._shown_errors: dict[str, tuple] = {}

    # ---- client facts --------------------------------------------------------------------
    @property
    def encoding(self) -> str:
        kind = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        return getattr(kind, "value", kind)

    @property
    def versioned_edits(self) -> bool:
        return bool(_capability(self.client_capabilities, "workspace.workspace_edit.document_changes"))

    @property
    def resolves_edits(self) -> bool:
        properties = _capability(self.client_capabilities, "text_document.code_action.resolve_support.properties")
        return bool(properties) and "edit" in properties

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    # ---- the worker ----------------------------------------------------------------------
    async def run(self, function, *args):
        """function(*args) on the worker thread; None once the server is shutting down."""
        if self.shut_down:
            return None
        try:
            return await asyncio.get_running_loop().run_in_executor(self.worker, functools.partial(function, *args))
        except (RuntimeError, asyncio.CancelledError):  # the worker was shut down
            if self.shut_down:
                return None
            raise

    def spawn(self, coroutine) -> None:
        """Run a coroutine in the background; an error in it is logged, never fatal."""
        task = asyncio.ensure_future(coroutine)
        task.add_done_callback(self._report_failure)

    def _report_failure(self, task: asyncio.Task) -> None:
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            self.log(f"kerascheck: internal error: {type(error).__name__}: {error}", types.MessageType.Error)

    # ---- checking ------------------------------------------------------------------------
    def changed(self, key: str) -> None:
        """A document changed: check it at once when it had been quiet for `debounce`
        seconds, else `debounce` seconds after this change (a burst of changes is checked
        at its first change and after its last: the leading and trailing edges)."""
        now = asyncio.get_running_loop().time()
        quiet = now - self._last_change.get(key, float("-inf")) >= self.debounce
        self._last_change[key] = now
        self.schedule(key, 0 if quiet else self.debounce)

    def schedule(self, key: str, delay: float) -> None:
        """Check the document `key` in `delay` seconds (a pending timer is replaced)."""
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        if not self.shut_down:
            self._timers[key] = asyncio.get_running_loop().call_later(delay, self._start_check, key)

    def _start_check(self, key: str) -> None:
        self._timers.pop(key, None)
        if key not in self._queued:
            self._queued.add(key)
            self.spawn(self._check_and_show(key))

    async def _check_and_show(self, key: str) -> None:
        done = await self.run(self._check_latest, key)
        if done is not None:
            self._show(*done)

    def _check_latest(self, key: str):
        """(worker) The document as it is now, and its findings."""
        self._queued.discard(key)
        snapshot = self.documents.get(key)
        if snapshot is None:
            return None
        return snapshot, self.checker.check(snapshot.path, snapshot.content)

    async def latest(self, key: str):
        """(snapshot, Checked) of the document as it is now, checked if need be."""
        snapshot = self.documents.get(key)
        cached = self.results.get(key)
        if snapshot is not None and cached is not None and cached[0] is snapshot:
            return cached
        done = await self.run(self._check_latest, key)
        if done is not None:
            self._show(*done)
        return done

    def _show(self, snapshot: Snapshot, checked: Checked) -> None:
        """Publish a check's diagnostics if the document is still as that check read it,
        unless the same ones were published for this version already (a check again,
        after a change elsewhere, that changed nothing here)."""
        previous = self.results.get(snapshot.key)
        self.results[snapshot.key] = (snapshot, checked)
        if self.documents.get(snapshot.key) is snapshot:
            if previous is None or previous[0] is not snapshot or _shown(previous[1]) != _shown(checked):
                self.publish(snapshot, checked.findings)
            self._log_errors(snapshot, checked.errors)
        self.recheck(checked.recheck)

    def recheck(self, paths) -> None:
        for path in paths:
            snapshot = self.documents.by_path(path)
            if snapshot is not None:
                self.schedule(snapshot.key, self.debounce)

    def publish(self, snapshot: Snapshot, findings: list) -> None:
        if snapshot.cells is None:
            lines = Lines(snapshot.text)
            self._publish(snapshot.key, [diagnostic(f, lines, self.encoding) for f in findings], snapshot.version)
            return
        for number, cell in enumerate(snapshot.cells, start=1):
            if cell.kind == "code":
                lines = Lines(cell.text)
                shown = [diagnostic(f, lines, self.encoding) for f in findings if f.cell == number]
                self._publish(cell.uri, shown, cell.version)

    def _publish(self, uri: str, diagnostics: list, version: Optional[int] = None) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def _log_errors(self, snapshot: Snapshot, errors: list) -> None:
        """kerascheck's own errors on a document (a rule that crashed, a file libcst cannot
        parse) go to the editor's log, once for as long as they stay the same."""
        key = tuple(str(error) for error in errors)
        if self._shown_errors.get(snapshot.key, ()) != key:
            self._shown_errors[snapshot.key] = key
            for line in key:
                self.log(f"kerascheck: {line}", types.MessageType.Warning)

    def saved(self, uri: str) -> None:
        """A document (a file or a notebook) was saved: check it now, if it is open."""
        if self.documents.get(uri) is not None:
            self.schedule(uri, 0)

    def closed(self, uri: str) -> None:
        """A document (a file or a notebook) was closed."""
        snapshot = self.documents.close(uri)
        if snapshot is not None:
            self.forget(snapshot)

    def forget(self, snapshot: Snapshot) -> None:
        """A document was closed: clear what was shown for it, and let its file on disk
        count again in the index."""
        timer = self._timers.pop(snapshot.key, None)
        if timer is not None:
            timer.cancel()
        self._last_change.pop(snapshot.key, None)
        self.results.pop(snapshot.key, None)
        self._shown_errors.pop(snapshot.key, None)
        for uri, version in ([(snapshot.key, snapshot.version)] if snapshot.cells is None
                             else [(cell.uri, cell.version) for cell in snapshot.cells]):
            self._publish(uri, [], version)
        self.spawn(self._closed(snapshot.path))

    async def _closed(self, path: str) -> None:
        self.recheck(await self.run(self.checker.close, path) or ())

    # ---- the workspace -------------------------------------------------------------------
    async def change_folders(self, added=(), removed=(), recheck_all: bool = False) -> None:
        """Add and remove workspace folders, and index the new ones a step at a time: the
        checks waiting run between two steps (with the files read so far, and those the
        checked file imports); when a folder is read, its documents checked meanwhile are
        checked again, and with `recheck_all` every open document (it may have moved to
        another folder's project)."""
        steps = await self.run(self._change_folders, list(added), list(removed))
        finished = object()
        while steps is not None and not self.shut_down:
            step = await self.run(next, steps, finished)
            if step is finished or self.shut_down:
                break
            if step is None:
                continue
            root, count, error, recheck = step
            self.log(f"kerascheck {__version__}: {count} file{'' if count == 1 else 's'} indexed in {root}")
            if error:
                self.window_show_message(types.ShowMessageParams(
                    type=types.MessageType.Error, message=f"kerascheck: {error}; using the default settings"
                ))
            self.recheck(recheck)
        if recheck_all:
            for key in list(self.documents.snapshots):
                self.schedule(key, 0)

    def _change_folders(self, added: list, removed: list):
        """(worker) The generator of the load's steps."""
        for root in removed:
            self.checker.remove_folder(root)
        for root in added:
            self.checker.add_folder(root)
        return self.checker.load_steps(self.stopping)

    async def files_changed(self, changes: list) -> None:
        found = await self.run(self.checker.files_changed, changes)
        if found is None:
            return
        recheck, errors = found
        for _root, error in errors:
            self.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Error, message=f"kerascheck: {error}; using the default settings"
            ))
        self.recheck(recheck)

    # ---- code actions --------------------------------------------------------------------
    async def fix_all_edit(self, key: str) -> Optional[types.WorkspaceEdit]:
        snapshot = self.documents.get(key)
        if snapshot is None:
            return None
        done = await self.run(self.checker.fix_all, snapshot.path, snapshot.content)
        if done is None:
            return None
        fixed, errors = done
        self._log_errors(snapshot, errors)
        if fixed is None:
            return types.WorkspaceEdit(changes={})
        if snapshot.cells is None:
            edits = {key: line_text_edits(line_edits(snapshot.text, fixed, self.encoding))}
            versions = {key: snapshot.version}
        else:
            edits, versions = {}, {}
            for cell, new in zip(snapshot.cells, fixed):
                if new.text != cell.text:
                    edits[cell.uri] = line_text_edits(line_edits(cell.text, new.text, self.encoding))
                    versions[cell.uri] = cell.version
        return workspace_edit(edits, versions, self.versioned_edits)

    def _fix_edit(self, snapshot: Snapshot, uri: str, finding) -> Optional[types.WorkspaceEdit]:
        """The edit of one finding's own fix (kerascheck's fix engine computed it)."""
        edits: dict = {}
        versions: dict = {}
        for edit in finding.fix.edits:
            if snapshot.cells is None:
                target, text, version = uri, snapshot.text, snapshot.version
            else:
                if edit.cell is None or not 1 <= edit.cell <= len(snapshot.cells):
                    return None
                cell = snapshot.cells[edit.cell - 1]
                target, text, version = cell.uri, cell.text, cell.version
            edits.setdefault(target, []).append(text_edit(edit, Lines(text), self.encoding))
            versions[target] = version
        return workspace_edit(edits, versions, self.versioned_edits)

    def _noqa_edit(self, text: str, uri: str, version: int, finding) -> Optional[types.WorkspaceEdit]:
        found = noqa_edit(text, finding.line, finding.code)
        if found is None:
            return None
        line, start, end, content = found
        lines = Lines(text)
        where = types.Range(
            start=types.Position(*lines.position(line, start, self.encoding)),
            end=types.Position(*lines.position(line, end, self.encoding)),
        )
        return workspace_edit({uri: [types.TextEdit(range=where, new_text=content)]}, {uri: version}, self.versioned_edits)

    async def _checked_document(self, uri: str):
        """(snapshot, its latest check, the text of `uri`, its cell number or None) for a
        request about an open file or notebook cell; None when nothing is known of it."""
        key = self.documents.key_of(uri)
        done = await self.latest(key) if key is not None else None
        if done is None:
            return None
        snapshot, checked = done
        text = snapshot.text_of(uri)
        if text is None:
            return None
        return snapshot, checked, text, snapshot.cell_number(uri) if snapshot.cells is not None else None

    async def code_actions(self, params: types.CodeActionParams) -> Optional[list]:
        uri = params.text_document.uri
        found = await self._checked_document(uri)
        if found is None:
            return None
        snapshot, checked, text, cell = found
        version = snapshot.version if cell is None else snapshot.cells[cell - 1].version
        lines = Lines(text)
        only = params.context.only
        actions: list = []
        suppressing: set = set()
        for finding in checked.findings:
            if finding.cell != cell or not overlaps(finding_range(finding, lines, self.encoding), params.range):
                continue
            if not kind_wanted(types.CodeActionKind.QuickFix, only):
                continue
            shown = diagnostic(finding, lines, self.encoding)
            if finding.fix is not None and finding.fix.edits:
                edit = self._fix_edit(snapshot, uri, finding)
                if edit is not None:
                    unsafe = "" if finding.fix.safe else " (unsafe)"
                    actions.append(types.CodeAction(
                        title=f"Fix {finding.code}: {finding.fix.description}{unsafe}",
                        kind=types.CodeActionKind.QuickFix, diagnostics=[shown], edit=edit,
                        is_preferred=finding.fix.safe,
                    ))
            if (finding.line, finding.code) not in suppressing:
                suppressing.add((finding.line, finding.code))
                edit = self._noqa_edit(text, uri, version, finding)
                if edit is not None:
                    actions.append(types.CodeAction(
                        title=f"Suppress {finding.code} on this line",
                        kind=types.CodeActionKind.QuickFix, diagnostics=[shown], edit=edit,
                    ))
        if kind_wanted(FIX_ALL, only) and any(f.fix is not None and f.fix.safe for f in checked.findings):
            action = types.CodeAction(title="Fix all kerascheck safe fixes", kind=FIX_ALL, data={"key": snapshot.key})
            if not self.resolves_edits:
                action.edit = await self.fix_all_edit(snapshot.key)
            actions.append(action)
        return actions

    async def hover(self, params: types.HoverParams) -> Optional[types.Hover]:
        uri = params.text_document.uri
        found = await self._checked_document(uri)
        if found is None:
            return None
        snapshot, checked, text, cell = found
        lines = Lines(text)
        codes: dict = {}
        for finding in checked.findings:
            where = finding_range(finding, lines, self.encoding)
            if finding.cell == cell and contains(where, params.position):
                codes.setdefault(finding.code, where)
        pages = [page for page in map(checking.rule_page, codes) if page]
        if not pages:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(pages)),
            range=next(iter(codes.values())),
        )

    def stop(self) -> None:
        """The client asked for shutdown: no more checks; the index load stops."""
        self.shut_down = True
        self.stopping.set()
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self.worker.shutdown(wait=False, cancel_futures=True)


def _shown(checked: Checked) -> list:
    return [finding.to_dict() for finding in checked.findings]


def _is_file_change(event: types.FileEvent) -> bool:
    return event.uri.startswith("file:")


def create_server() -> KerascheckServer:
    server = KerascheckServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: KerascheckServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict):
            debounce = options.get("debounce")
            if isinstance(debounce, (int, float)) and not isinstance(debounce, bool) and debounce >= 0:
                ls.debounce = debounce / 1000
        folders = [uri_path(folder.uri, ls.fallback_directory) for folder in params.workspace_folders or ()]
        if not folders and params.root_uri:
            folders = [uri_path(params.root_uri, ls.fallback_directory)]
        elif not folders and params.root_path:
            folders = [os.path.abspath(params.root_path)]
        if folders:
            ls.fallback_directory = folders[0]
        ls.spawn(ls.change_folders(added=folders))

    @server.feature(types.INITIALIZED)
    async def initialized(ls: KerascheckServer, params: types.InitializedParams) -> None:
        if not _capability(ls.client_capabilities, "workspace.did_change_watched_files.dynamic_registration"):
            ls.log("kerascheck: the editor does not watch files for servers: changes made outside it "
                   "are seen when their documents are opened", types.MessageType.Warning)
            return
        registration = types.Registration(
            id="kerascheck-watched-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
            ),
        )
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as error:  # the editor refused: the server works without it
            ls.log(f"kerascheck: the editor would not watch files: {error}", types.MessageType.Warning)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: KerascheckServer, *args) -> None:
        ls.shut_down_requested = True
        ls.stop()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: KerascheckServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        path = uri_path(item.uri, ls.fallback_directory)
        if path.endswith(".ipynb") or not (item.language_id == "python" or checking.is_python_path(path)):
            return
        ls.documents.open_text(item, path)
        ls.schedule(item.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: KerascheckServer, params: types.DidChangeTextDocumentParams) -> None:
        if ls.documents.change_text(params, ls.encoding) is not None:
            ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: KerascheckServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.saved(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KerascheckServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_opened(ls: KerascheckServer, params: types.DidOpenNotebookDocumentParams) -> None:
        snapshot = ls.documents.open_notebook(params, uri_path(params.notebook_document.uri, ls.fallback_directory))
        ls.schedule(snapshot.key, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_changed(ls: KerascheckServer, params: types.DidChangeNotebookDocumentParams) -> None:
        snapshot, closed = ls.documents.change_notebook(params, ls.encoding)
        for uri in closed:
            ls._publish(uri, [])
        if snapshot is not None:
            ls.changed(snapshot.key)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_saved(ls: KerascheckServer, params: types.DidSaveNotebookDocumentParams) -> None:
        ls.saved(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_closed(ls: KerascheckServer, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.closed(params.notebook_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: KerascheckServer, params: types.DidChangeWatchedFilesParams) -> None:
        changes = [
            (uri_path(event.uri, ls.fallback_directory), event.type == types.FileChangeType.Deleted)
            for event in params.changes if _is_file_change(event)
        ]
        if changes:
            ls.spawn(ls.files_changed(changes))

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: KerascheckServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        added = [uri_path(folder.uri, ls.fallback_directory) for folder in params.event.added]
        removed = [uri_path(folder.uri, ls.fallback_directory) for folder in params.event.removed]
        ls.spawn(ls.change_folders(added, removed, recheck_all=True))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True),
    )
    async def code_action(ls: KerascheckServer, params: types.CodeActionParams):
        return await ls.code_actions(params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def resolve_code_action(ls: KerascheckServer, action: types.CodeAction) -> types.CodeAction:
        data = action.data
        if action.kind == FIX_ALL and isinstance(data, dict) and isinstance(data.get("key"), str):
            action.edit = await ls.fix_all_edit(data["key"])
        return action

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: KerascheckServer, params: types.HoverParams):
        return await ls.hover(params)

    @server.command(SHOW_RULE)
    def show_rule(ls: KerascheckServer, code: str) -> str:
        page = checking.rule_page(code)
        if page is None:
            raise JsonRpcInvalidParams(f"unknown rule '{code}'; `kerascheck rules` lists them")
        return page

    return server
