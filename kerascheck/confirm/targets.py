"""From findings to the classes to build: which class each finding sits in, and what
the probe needs to know about the flagged line (stdlib `ast`, main process).

Hints are read from the source at the finding's position, not from the message, so
they do not depend on how a rule words it: the attribute a `tf.Variable` is stored in
(KC101), the attribute and the value assigned before `super().__init__()` (KC105), the
sub-layer called with `trainable=` (KC203) or through `.call(...)` (KC204), and, per
class, how `call()` reads its inputs (dict keys, tuple unpacking).

The KC5xx (migration) findings build no class: their probe introspects the installed
Keras (kerascheck.confirm.probes.migration). What it needs from the finding is the name that
was flagged (`set_value` in `K.set_value`, `keras.layers.core` in `from
tensorflow.keras.layers import core`), resolved through the module's imports here.
"""
from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from kerascheck.confirm.args import Unresolved, evaluate, encode
from kerascheck.confirm.probes.migration import (
    INTROSPECTION_PROBES, checkpoint_weights_only, member_of, takes_member, valid_member,
)
from kerascheck.rules.keras3.table import BY_CODE
from kerascheck.semantic.names import canonical_keras_name

# The codes with a runtime probe (the catalog's "Runtime confirmation" section).
CONFIRMABLE = frozenset(
    "KC101 KC102 KC103 KC104 KC105 KC201 KC202 KC203 KC204 KC205 KC206 KC210 KC301 KC302 KC303 KC304".split()
    + ["KC211", "KC212"]  # issue 15
    + ["KC306", "KC307", "KC308"]  # issue 15's "also seen": confirm/probes/serialization.py
) | {"KC305"}  # KC305: confirm/probes/saving.py
# The codes whose probe introspects the installed Keras instead (the migration table), and
# all of those: with the class rules whose findings sit in module code (KC405, KC406).
MIGRATION = frozenset(BY_CODE)
INTROSPECTED = MIGRATION | frozenset(INTROSPECTION_PROBES)


@dataclass
class Item:
    index: int  # the finding's position in the run's list
    code: str
    hint: dict


@dataclass
class Target:
    path: str  # absolute
    class_name: str
    line: int  # the `class` line (first decorator) in the module text
    items: list = field(default_factory=list)
    inputs: dict = field(default_factory=dict)  # static hints on call()'s inputs


def _classes(tree: ast.Module):
    """(ClassDef, enclosing nodes) for every class, outermost first."""
    todo = [(tree, ())]
    while todo:
        node, chain = todo.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                yield child, chain
            todo.append((child, (*chain, child) if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) else chain))


def enclosing_class(tree: ast.Module, line: int):
    """The innermost class whose span holds `line`, with its enclosing defs, or None."""
    best = None
    for node, chain in _classes(tree):
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        if first <= line <= node.end_lineno:
            if best is None or first >= best[2]:
                best = (node, chain, first)
    return best


def _self_attr(node: ast.AST) -> Optional[str]:
    """`X` for `self.X`, `self.X[...]`, `self.X.append`."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            return node.attr
        node = node.value
    return None


def _statements_on(tree: ast.Module, line: int) -> list[ast.stmt]:
    """Statements whose span holds `line`, innermost last."""
    found = [n for n in ast.walk(tree) if isinstance(n, ast.stmt) and n.lineno <= line <= (n.end_lineno or n.lineno)]
    return sorted(found, key=lambda n: (n.lineno, -(n.end_lineno or n.lineno)))


def _literal(node: ast.AST) -> Any:
    try:
        return encode(evaluate(node, lambda name: (_ for _ in ()).throw(Unresolved())))
    except Unresolved:
        return None


def hint_for(code: str, tree: ast.Module, line: int, column: int) -> dict:
    """What the probe of `code` needs to know about the flagged line."""
    statements = _statements_on(tree, line)
    innermost = statements[-1] if statements else None
    hint: dict = {"line": line}
    if innermost is None:
        return hint
    if code in ("KC101", "KC105"):
        for stmt in reversed(statements):
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                attrs = [a for a in map(_self_attr, targets) if a]
                if attrs:
                    hint["attr"] = attrs[0]
                    if code == "KC105" and stmt.value is not None:
                        value = _literal(stmt.value)
                        if value is not None or isinstance(stmt.value, ast.Constant):
                            hint["value"] = value
                    break
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                attr = _self_attr(stmt.value.func)
                if attr:
                    hint["attr"] = attr
                    break
    elif code == "KC203":
        for node in ast.walk(innermost):
            if isinstance(node, ast.arg) and node.arg == "trainable" and node.lineno == line:
                hint["kind"] = "call-param"
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.lineno != line or keyword.arg not in ("trainable", "training"):
                        continue
                    source = ast.unparse(keyword.value)
                    if keyword.arg == "trainable" and "training" not in source:
                        hint.update(kind="call-kwarg", value=_literal(keyword.value))
                        attr = _self_attr(node.func)
                        if attr:
                            hint["attr"] = attr
                    elif keyword.arg == "training" and "trainable" in source:
                        hint["kind"] = "training-from-trainable"
                    elif keyword.arg == "trainable":
                        hint["kind"] = "trainable-from-training"
        if isinstance(innermost, (ast.FunctionDef, ast.AsyncFunctionDef)) and "kind" not in hint:
            names = [a.arg for a in (*innermost.args.args, *innermost.args.kwonlyargs)]
            if "trainable" in names:
                hint["kind"] = "call-param"
    elif code == "KC204":
        for node in ast.walk(innermost):
            if isinstance(node, ast.Attribute) and node.attr == "call" and node.lineno == line:
                attr = _self_attr(node.value) if isinstance(node.value, ast.Attribute) else None
                if attr:
                    hint["attr"] = attr
                    break
    return hint


def input_hints(classdef: ast.ClassDef) -> dict:
    """How `call()` reads its first input: dict keys (`inputs["history"]`) and how many
    parts it unpacks (`a, b = inputs`, `inputs[1]`)."""
    call = next((n for n in classdef.body if isinstance(n, ast.FunctionDef) and n.name == "call"), None)
    if call is None:
        return {}
    params = [a.arg for a in (*call.args.posonlyargs, *call.args.args)][1:]
    if not params:
        return {}
    first = params[0]
    keys: list[str] = []
    arity = 0
    for node in ast.walk(call):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == first:
            index = node.slice
            if isinstance(index, ast.Constant) and isinstance(index.value, str) and index.value not in keys:
                keys.append(index.value)
            elif isinstance(index, ast.Constant) and isinstance(index.value, int) and not isinstance(index.value, bool):
                arity = max(arity, index.value + 1)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id == first:
            target = node.targets[0]
            if isinstance(target, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in target.elts):
                arity = max(arity, len(target.elts))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == first and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            if node.args[0].value not in keys:
                keys.append(node.args[0].value)
    hints: dict = {}
    if keys:
        hints["keys"] = keys
    elif arity >= 2:
        hints["arity"] = min(arity, 4)
    return hints


# ---- KC5xx: the flagged name ---------------------------------------------------------------------------
def flagged_text(text: str, line: int, column: int, end_line: int = 0, end_column: int = 0) -> str:
    """The source a finding spans (1-based, end column exclusive), whitespace collapsed;
    without an end, the dotted name that starts at the finding."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return ""
    end_line = max(end_line or line, line)
    first = lines[line - 1]
    if end_line == line and end_column > column:
        span = first[column - 1:end_column - 1]
    elif end_line > line and end_line <= len(lines):
        span = "\n".join([first[column - 1:], *lines[line:end_line - 1], lines[end_line - 1][:max(end_column - 1, 0)]])
    else:
        match = re.match(r"[\w.]+", first[column - 1:])
        span = match.group(0) if match else ""
    return " ".join(span.split())


@functools.lru_cache(maxsize=8)  # per tree (hashed by identity): a file's findings share it
def _bindings(tree: Optional[ast.Module]) -> dict[str, str]:
    """What the imports of a module bind (any depth, the first binding of a name wins):
    `K` -> `keras.backend`, `tf` -> `tensorflow`, `set_value` -> `keras.backend.set_value`."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Import):
            for alias in node.names:
                head = alias.name.split(".")[0]
                bound.setdefault(alias.asname or head, alias.name if alias.asname else head)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    bound.setdefault(alias.asname or alias.name, f"{node.module}.{alias.name}")
    return bound


@functools.lru_cache(maxsize=8)
def _import_froms(tree: Optional[ast.Module]) -> tuple:
    return tuple(n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)) if tree is not None else ()


def qualified_written(written: str, tree: Optional[ast.Module], line: int) -> str:
    """The flagged text as a qualified name: a name in the `from X import ...` on its line
    is `X.name`; otherwise its first part goes through the module's imports. Keras
    spellings become `keras.*` (`tf.keras.layers.core` -> `keras.layers.core`)."""
    qualified = written
    for node in _import_froms(tree):
        if node.module and not node.level and node.lineno <= line <= (node.end_lineno or node.lineno):
            names = [alias.name for alias in node.names if written in (alias.name, alias.asname)]
            if names:
                qualified = f"{node.module}.{names[0]}"
                break
    else:
        head, dot, rest = written.partition(".")
        bound = _bindings(tree).get(head)
        if bound is not None and head.isidentifier():
            qualified = bound + dot + rest
    return canonical_keras_name(qualified) or qualified


def migration_member(code: str, tree: Optional[ast.Module], text: str, line: int, column: int,
                     end_line: int = 0, end_column: int = 0) -> tuple[Optional[str], str]:
    """(member, written): what the probe of `code` probes for a finding at this position
    ("" when its probe takes no member, None when the flagged text does not name one)
    and the flagged text."""
    if not takes_member(code):
        return "", ""
    written = flagged_text(text, line, column, end_line, end_column)
    if code == "KC506":  # the probe builds the checkpoint with the finding's save_weights_only
        return checkpoint_weights_only(tree, text, line, column), written
    if not written:
        return None, written
    member = member_of(code, qualified_written(written, tree, line))
    return (member if valid_member(code, member) else None), written
