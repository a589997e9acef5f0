"""Adding the imports a fix needs (`"import keras"`), unless the module already has them.

An import goes after the module's leading block of imports (after the docstring and any
`from __future__` import when there is no such block), so it reads like the others.
Imports a fix leaves unused are not removed: that is another tool's job.
"""
from __future__ import annotations

from typing import Iterable, Optional

import libcst as cst

from kerascheck.semantic.names import cst_dotted

_Key = tuple  # ("import", "a.b", asname) or ("from", ".mod", name, asname)


def add_imports(module: cst.Module, lines: Iterable[str]) -> cst.Module:
    have = _present(module)
    new: list[cst.SimpleStatementLine] = []
    for line in dict.fromkeys(lines):
        statement = cst.parse_statement(line.strip() + "\n")
        keys = _keys_of(statement)
        if not keys:
            raise ValueError(f"not an import statement: {line!r}")
        if keys <= have:
            continue
        have |= keys
        new.append(statement)
    if not new:
        return module
    body = list(module.body)
    at = _insertion_index(body)
    return module.with_changes(body=[*body[:at], *new, *body[at:]])


def _keys_of(statement: cst.CSTNode) -> set:
    keys: set = set()
    if not isinstance(statement, cst.SimpleStatementLine):
        return keys
    for small in statement.body:
        if isinstance(small, cst.Import):
            for alias in small.names:
                keys.add(("import", cst_dotted(alias.name), _asname(alias)))
        elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
            source = "." * len(small.relative) + ((cst_dotted(small.module) or "") if small.module else "")
            for alias in small.names:
                keys.add(("from", source, cst_dotted(alias.name), _asname(alias)))
    return keys


def _asname(alias: cst.ImportAlias) -> Optional[str]:
    if alias.asname is None:
        return None
    return cst_dotted(alias.asname.name)


def _present(module: cst.Module) -> set:
    """The imports at the top level of the module (also inside a top-level `try:`)."""
    found: set = set()
    for statement in module.body:
        found |= _keys_of(statement)
        if isinstance(statement, cst.Try):
            for inner in statement.body.body:
                found |= _keys_of(inner)
    return found


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _insertion_index(body: list) -> int:
    at = 1 if body and _is_docstring(body[0]) else 0
    while at < len(body) and _is_import(body[at]):
        at += 1
    return at
