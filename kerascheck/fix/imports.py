"""Adding the imports a fix needs (`"import keras"`), unless the module already has them.

An import goes after the module's leading block of imports (after the docstring and any
`from __future__` import when there is no such block), so it reads like the others. An
import whose name the module already binds to something else (`from tensorflow import
keras`, `keras = None`) is never added over it: that would change what the rest of the
module means, so the fix fails instead (and the file is left as it was). Imports a fix
leaves unused are removed by kerascheck.fix.orphans.
"""
from __future__ import annotations

from typing import Iterable, Optional

import libcst as cst

from kerascheck.semantic import syntax
from kerascheck.semantic.names import cst_dotted


class ImportConflict(Exception):
    """The import a fix needs would rebind a name the module uses for something else."""


def add_imports(module: cst.Module, lines: Iterable[str]) -> cst.Module:
    bound = _top_level_bindings(module)
    new: list[cst.SimpleStatementLine] = []
    for line in dict.fromkeys(lines):
        statement = cst.parse_statement(line.strip() + "\n")
        wanted = _bindings_of(statement)
        if not wanted:
            raise ValueError(f"not an import statement: {line!r}")
        missing = False
        for name, target in wanted.items():
            if name not in bound:
                missing = True
            elif bound[name] != target:
                raise ImportConflict(f"it needs `{line.strip()}`, but this module binds `{name}` to something else")
        if missing:
            bound.update(wanted)
            new.append(statement)
    if not new:
        return module
    body = list(module.body)
    at = _insertion_index(body)
    return module.with_changes(body=[*body[:at], *new, *body[at:]])


def conflict(module: cst.Module, lines: Iterable[str]) -> Optional[str]:
    """Why the imports `lines` cannot be added to `module`, or None when they can."""
    try:
        add_imports(module, lines)
    except ImportConflict as error:
        return str(error)
    return None


def _bindings_of(statement: cst.CSTNode) -> dict[str, Optional[str]]:
    """name -> what an import statement binds it to (`import a.b` binds `a` to `a`,
    `from m import n as k` binds `k` to `m.n`)."""
    found: dict[str, Optional[str]] = {}
    if not isinstance(statement, cst.SimpleStatementLine):
        return found
    for small in statement.body:
        if isinstance(small, cst.Import):
            for alias in small.names:
                dotted = cst_dotted(alias.name) or ""
                if alias.asname is not None:
                    found[cst_dotted(alias.asname.name)] = dotted
                else:
                    found[dotted.split(".")[0]] = dotted.split(".")[0]
        elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
            source = "." * len(small.relative) + ((cst_dotted(small.module) or "") if small.module else "")
            for alias in small.names:
                name = cst_dotted(alias.name)
                bound = cst_dotted(alias.asname.name) if alias.asname is not None else name
                found[bound] = f"{source}.{name}" if not source.endswith(".") else source + name
    return found


def _top_level_bindings(module: cst.Module) -> dict[str, Optional[str]]:
    """What the module's top level binds: imports (also inside a top-level `try:`, whose
    fallbacks count as the same name) to their targets, anything else to None."""
    bound: dict[str, Optional[str]] = {}
    for statement in module.body:
        inner = [statement]
        if isinstance(statement, cst.Try):
            inner = list(statement.body.body)
        for line in inner:
            imported = _bindings_of(line)
            for name, target in imported.items():
                bound.setdefault(name, target)
            if isinstance(line, (cst.FunctionDef, cst.ClassDef)):
                bound.setdefault(line.name.value, None)
            elif isinstance(line, cst.SimpleStatementLine):
                for small in line.body:
                    for target in syntax.flatten_targets(syntax.assign_targets(small)):
                        if isinstance(target, cst.Name):
                            bound.setdefault(target.value, None)
    return bound


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
