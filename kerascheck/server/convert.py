"""kerascheck's findings and edits in LSP terms: diagnostics, ranges, text edits.

Findings count lines from 1 and columns in characters from 1 (the end column
exclusive); LSP counts both from 0, columns in the client's units (kerascheck.server.text).
"""
from __future__ import annotations

from typing import Optional

from lsprotocol import types

from kerascheck.finding import Edit, Finding, Severity
from kerascheck.server.checking import finding_end, rule_url
from kerascheck.server.text import Lines

SOURCE = "kerascheck"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def _position(lines: Lines, line: int, column: int, encoding: str) -> types.Position:
    """A 1-based line and column (0: none, the line's start) as an LSP position."""
    found = lines.position(max(line - 1, 0), max(column - 1, 0), encoding)
    return types.Position(line=found[0], character=found[1])


def finding_range(finding: Finding, lines: Lines, encoding: str) -> types.Range:
    end_line, end_column = finding_end(finding)
    return types.Range(
        start=_position(lines, finding.line, finding.column, encoding),
        end=_position(lines, end_line, end_column, encoding),
    )


def diagnostic(finding: Finding, lines: Lines, encoding: str) -> types.Diagnostic:
    return types.Diagnostic(
        range=finding_range(finding, lines, encoding),
        # The help on a second line: editors show the whole of it on hover, under the message.
        message=f"{finding.message}\n{finding.help}" if finding.help else finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url(finding.code)),
        source=SOURCE,
    )


def text_edit(edit: Edit, lines: Lines, encoding: str) -> types.TextEdit:
    return types.TextEdit(
        range=types.Range(
            start=_position(lines, edit.line, edit.column, encoding),
            end=_position(lines, edit.end_line, edit.end_column, encoding),
        ),
        new_text=edit.content,
    )


def line_text_edits(edits: list) -> list[types.TextEdit]:
    """kerascheck.server.text.line_edits as LSP text edits."""
    return [
        types.TextEdit(
            range=types.Range(start=types.Position(*start), end=types.Position(*stop)),
            new_text=replacement,
        )
        for start, stop, replacement in edits
    ]


def workspace_edit(edits: dict, versions: dict, versioned: bool) -> types.WorkspaceEdit:
    """{uri: [TextEdit]} as a WorkspaceEdit: versioned document changes when the client
    takes them (so that an edit computed for an older text is refused), else changes."""
    if versioned:
        return types.WorkspaceEdit(document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=versions.get(uri)),
                edits=items,
            )
            for uri, items in edits.items()
        ])
    return types.WorkspaceEdit(changes=edits)


def contains(outer: types.Range, position: types.Position) -> bool:
    start, stop = outer.start, outer.end
    return (start.line, start.character) <= (position.line, position.character) <= (stop.line, stop.character)


def overlaps(first: types.Range, second: types.Range) -> bool:
    return not (
        (first.end.line, first.end.character) < (second.start.line, second.start.character)
        or (second.end.line, second.end.character) < (first.start.line, first.start.character)
    )


def kind_wanted(kind: str, only: Optional[list]) -> bool:
    """Whether a code action of `kind` answers a request for the kinds `only`
    (`source` asks for `source.fixAll.kerascheck` too)."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)
