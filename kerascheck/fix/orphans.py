"""Imports a fix leaves behind: a binding the code used before the fixes and no longer
uses after them is removed, so that a fix leaves no dead code
(`from keras import backend as K` once KC501 turned the last `K.sum` into
`keras.ops.sum`).

Only what the fixes orphaned goes, never an import that was unused already (that is
another tool's business, and may be on purpose), and only when the answer is sure:

- imports at the top level of the module, in plain `import` / `from ... import` lines
  (not under `try:` or `if`, where the other branch binds the name too);
- a name bound once at the top level (no other import, assignment or definition);
- a name that no string of the module mentions either (`__all__ = ["K"]`, an
  annotation in quotes);
- never a `from __future__` or star import.

An import a package's `__init__.py` only re-exports is never used in its own module, so
it is never removed. (Another module importing `K` from a module whose own last use
of it a fix removed would lose it: kerascheck does not look that far, nor does ruff.)

A use is any occurrence of the name in the code other than as an attribute name, a
keyword argument's name, or a definition's or parameter's name: a local of the same
name in a function keeps the import, which errs on the side of keeping it.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Optional

import libcst as cst

from kerascheck.cstwalk import syntax_children, syntax_walk
from kerascheck.semantic.names import cst_dotted


def without_orphans(before: cst.Module, after: cst.Module, replaced: Iterable[cst.CSTNode]) -> cst.Module:
    """`after` (`before` with fixes applied, which replaced the nodes `replaced` of
    `before`) without the import bindings the fixes orphaned. Only a name that occurs
    in a replaced node can have lost its last use: the module is searched for the others
    only then."""
    imported = _imported_once(before)
    touched = {
        node.value for old in replaced for node in syntax_walk(old)
        if type(node) is cst.Name and node.value in imported
    }
    if not touched:
        return after
    candidates = touched & _imported_once(after) - _other_top_level_bindings(after)
    if not candidates:
        return after
    used_before = _uses(before)
    used_after = _uses(after)
    orphaned = {
        name for name in candidates
        if used_before[name] and not used_after[name] and not _in_strings(after, name)
    }
    if not orphaned:
        return after
    return _dropped(after, orphaned)


def _import_lines(module: cst.Module):
    """The top-level lines made only of imports (`import a; from b import c` included)."""
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
        ):
            yield statement


def _bound_name(alias: cst.ImportAlias, is_from: bool) -> Optional[str]:
    if alias.asname is not None:
        return cst_dotted(alias.asname.name)
    dotted = cst_dotted(alias.name) or ""
    return dotted if is_from else dotted.split(".")[0]


def _imported_once(module: cst.Module) -> set[str]:
    """Names that exactly one top-level import line binds (once)."""
    imported: Counter = Counter()
    for line in _import_lines(module):
        for small in line.body:
            if isinstance(small, cst.ImportFrom) and (
                isinstance(small.names, cst.ImportStar) or cst_dotted(small.module) == "__future__"
            ):
                continue
            for alias in small.names:
                imported[_bound_name(alias, isinstance(small, cst.ImportFrom))] += 1
    return {name for name, count in imported.items() if name and count == 1}


def _other_top_level_bindings(module: cst.Module) -> set[str]:
    """Names the module scope binds other than in the import lines: definitions,
    assignment, loop, `with`/`except` targets, and imports under `try:` or `if`."""
    found: set[str] = set()
    import_lines = set(map(id, _import_lines(module)))
    stack = [statement for statement in module.body if id(statement) not in import_lines]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind in (cst.FunctionDef, cst.ClassDef):
            found.add(node.name.value)
            continue  # their bodies are scopes of their own
        if kind is cst.Lambda:
            continue
        if kind in (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr):
            found.update(_target_names(node.target))
        elif kind is cst.AsName:
            found.update(_target_names(node.name))
        elif kind is cst.ImportAlias:
            found.add(_bound_name(node, is_from=False))
        elif kind in (cst.Global, cst.Nonlocal):
            found.update(item.name.value for item in node.names)
        stack.extend(syntax_children(node))
    return found


def _target_names(target) -> list[str]:
    """The names an assignment target binds (`a`, `a, (b, *c)`; not `x.a` or `x[a]`)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _target_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _uses(module: cst.Module) -> Counter:
    """How often each name occurs in the code outside import statements, as anything but
    an attribute name, a keyword argument's name or a definition's or parameter's name."""
    skipped: set[int] = set()
    counts: Counter = Counter()
    for node in syntax_walk(module):
        kind = type(node)
        if kind is cst.Name:
            if id(node) not in skipped:
                counts[node.value] += 1
        elif kind in (cst.Import, cst.ImportFrom):
            skipped.update(id(name) for name in syntax_walk(node) if type(name) is cst.Name)
        elif kind is cst.Attribute:
            skipped.add(id(node.attr))
        elif kind is cst.Arg and node.keyword is not None:
            skipped.add(id(node.keyword))
        elif kind in (cst.FunctionDef, cst.ClassDef, cst.Param):
            skipped.add(id(node.name))
    return counts


def _in_strings(module: cst.Module, name: str) -> bool:
    word = re.compile(rf"\b{re.escape(name)}\b")
    return any(
        isinstance(node, (cst.SimpleString, cst.FormattedStringText)) and word.search(node.value)
        for node in syntax_walk(module)
    )


def _dropped(module: cst.Module, names: set[str]) -> cst.Module:
    """`module` with the import aliases binding `names` taken out of their lines, and the
    lines left empty removed (their leading comments and blank lines go to the next
    statement, as deleting the line from the text would leave them)."""
    lines = set(map(id, _import_lines(module)))
    kept: list = []
    carried: list = []
    for statement in module.body:
        if id(statement) in lines:
            rest = _line_without(statement, names)
            if rest is None:
                carried.extend(statement.leading_lines)
                continue
            statement = rest
        if carried:
            statement = statement.with_changes(leading_lines=[*carried, *statement.leading_lines])
            carried = []
        kept.append(statement)
    return module.with_changes(body=kept, footer=[*carried, *module.footer])


def _line_without(line: cst.SimpleStatementLine, names: set[str]) -> Optional[cst.SimpleStatementLine]:
    """The import line without the aliases binding `names`; None when nothing is left."""
    smalls = []
    for small in line.body:
        is_from = isinstance(small, cst.ImportFrom)
        if is_from and isinstance(small.names, cst.ImportStar):
            smalls.append(small)
            continue
        aliases = [alias for alias in small.names if _bound_name(alias, is_from) not in names]
        if len(aliases) == len(small.names):
            smalls.append(small)
        elif aliases:
            aliases[-1] = aliases[-1].with_changes(comma=small.names[-1].comma)
            smalls.append(small.with_changes(names=aliases))
    if not smalls:
        return None
    if len(smalls) < len(line.body):
        smalls[-1] = smalls[-1].with_changes(semicolon=line.body[-1].semicolon)
    return line.with_changes(body=smalls)
