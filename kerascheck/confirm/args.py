"""Constructor arguments for a flagged class, found without running anything.

In order of preference (the worker takes the first candidate that constructs):

1. the user's example in the configuration (`[tool.kerascheck.confirm."module.Class"]`):
   an explicit example beats anything inferred;
2. literal call sites in the linted tree (`Linear(32)`, `TransformerBlock(embed_dim=64,
   num_heads=2, ff_dim=32)`), with module constants, constants imported from in-tree
   modules and the defaults of the enclosing function's parameters resolved
   (`TransformerBlock(embed_dim, num_heads, ff_dim)` inside
   `__init__(self, embed_dim=32, num_heads=2, ff_dim=32)`);
3. the constructor's own defaults;
4. as a last resort (the worker decides, from the real signature), small integers for
   required parameters whose names say they are sizes (`units`, `vocab_size`,
   `num_heads`...); the confirmation then says the arguments were guessed.

Values travel to the worker as JSON: tuples as {"$tuple": [...]}, dicts with non-string
keys as {"$dict": [[k, v], ...]}, and an argument that is not a literal as
{"$expr": "source text"} (the worker leaves it out when the parameter has a default).
"""
from __future__ import annotations

import ast
import math
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional

from kerascheck.confirm import isolation

MAX_SITES = 4


class Unresolved(Exception):
    """An argument that is not a literal (or a constant we can resolve)."""


# ---- JSON encoding of Python literals -------------------------------------------------------
def encode(value: Any) -> Any:
    if isinstance(value, _Expr):
        return {"$expr": value.text}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {"$set": [encode(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, float) and not math.isfinite(value):
        return {"$float": repr(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return {"$expr": repr(value)}


def decode(value: Any) -> Any:
    """The Python value (worker side). An `$expr` becomes an :class:`Unresolved` marker."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (key, inner), = value.items()
            if key == "$tuple":
                return tuple(decode(v) for v in inner)
            if key == "$set":
                return {decode(v) for v in inner}
            if key == "$dict":
                return {decode(k): decode(v) for k, v in inner}
            if key == "$float":
                return float(inner)
            if key == "$expr":
                return UnresolvedValue(inner)
        return {k: decode(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class _Expr:
    text: str


@dataclass(frozen=True)
class UnresolvedValue:
    """An argument the worker cannot use (the source text, for messages)."""

    text: str

    def __repr__(self) -> str:
        return self.text


# ---- evaluating literal expressions -----------------------------------------------------------
_BINOPS = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b, ast.FloorDiv: lambda a, b: a // b, ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a ** b if abs(b) < 64 else _unresolved(),
}


def _unresolved():
    raise Unresolved()


def evaluate(node: ast.AST, lookup: Callable[[str], Any], depth: int = 0) -> Any:
    """The value of a literal expression; names go through `lookup` (which raises
    Unresolved for names it cannot resolve)."""
    if depth > 20:
        raise Unresolved()
    recurse = lambda n: evaluate(n, lookup, depth + 1)  # noqa: E731
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (bytes, complex)) or node.value is Ellipsis:
            raise Unresolved()
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(recurse(e) for e in node.elts)
    if isinstance(node, ast.List):
        return [recurse(e) for e in node.elts]
    if isinstance(node, ast.Set):
        return {recurse(e) for e in node.elts}
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise Unresolved()
        return {recurse(k): recurse(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
        value = recurse(node.operand)
        if isinstance(node.op, ast.Not):
            return not value
        if not isinstance(value, (int, float)):
            raise Unresolved()
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left, right = recurse(node.left), recurse(node.right)
        if isinstance(left, (int, float)) and isinstance(right, (int, float)):
            try:
                return _BINOPS[type(node.op)](left, right)
            except (ArithmeticError, ValueError):
                raise Unresolved() from None
        if isinstance(node.op, ast.Add) and type(left) is type(right) and isinstance(left, (str, tuple, list)):
            return left + right
        raise Unresolved()
    if isinstance(node, ast.Name):
        return lookup(node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tuple", "list", "dict") \
            and not node.keywords and len(node.args) <= 1:
        inner = recurse(node.args[0]) if node.args else ()
        return {"tuple": tuple, "list": list, "dict": dict}[node.func.id](inner)
    raise Unresolved()


# ---- module constants ---------------------------------------------------------------------------
class Constants:
    """Module-level constants (`EMBED_DIM = 64`, `HIDDEN = 2 * EMBED_DIM`), per file, and
    constants imported from in-tree modules (`from config import EMBED_DIM`)."""

    def __init__(self, read_tree: Callable[[str], Optional[ast.Module]], roots_of: Callable[[str], list]):
        self._read_tree = read_tree
        self._roots_of = roots_of
        self._tables: dict[str, dict] = {}
        self._busy: set[str] = set()
        self._imports: dict[str, dict] = {}

    def table(self, path: str) -> dict:
        if path in self._tables:
            return self._tables[path]
        if path in self._busy:
            return {}
        self._busy.add(path)
        table: dict[str, Any] = {}
        tree = self._read_tree(path)
        imports: dict[str, tuple] = {}
        if tree is not None:
            for stmt in tree.body:
                if isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
                    for alias in stmt.names:
                        imports[alias.asname or alias.name] = (stmt.module, alias.name)
                elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                    names = isolation.assigned_names(stmt)
                    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                    if len(names) == 1 and len(targets) == 1 and isinstance(targets[0], ast.Name):
                        try:
                            table[names[0]] = evaluate(stmt.value, lambda n: self._lookup(path, table, imports, n))
                        except Unresolved:
                            table.pop(names[0], None)
        self._busy.discard(path)
        self._tables[path] = table
        self._imports[path] = imports
        return table

    def _lookup(self, path: str, table: dict, imports: dict, name: str) -> Any:
        if name in table:
            return table[name]
        if name in imports:
            module, attr = imports[name]
            found = isolation.locate(module, self._roots_of(path))
            if found and found[-1][0] == module and found[-1][1].file:
                other = self.table(found[-1][1].file)
                if attr in other:
                    return other[attr]
        raise Unresolved()

    def lookup(self, path: str, name: str) -> Any:
        table = self.table(path)
        return self._lookup(path, table, self._imports.get(path, {}), name)


# ---- call sites -------------------------------------------------------------------------------------
@dataclass
class CallSite:
    path: str
    line: int
    args: list  # encoded values
    kwargs: dict  # name -> encoded value

    def to_json(self, cwd: str) -> dict:
        where = os.path.relpath(self.path, cwd) if not os.path.relpath(self.path, cwd).startswith("..") else self.path
        return {"where": f"{where}:{self.line}", "args": self.args, "kwargs": self.kwargs}


class CallSites:
    """Finds `ClassName(...)` calls in the linted files, once per run."""

    def __init__(self, files: Iterable[str], read_text: Callable[[str], str], constants: Constants):
        self._files = list(files)
        self._read_text = read_text
        self._constants = constants
        self._trees: dict[str, Optional[ast.Module]] = {}

    def tree(self, path: str) -> Optional[ast.Module]:
        if path not in self._trees:
            try:
                self._trees[path] = ast.parse(self._read_text(path), filename=path)
            except (OSError, SyntaxError, ValueError, RecursionError):
                self._trees[path] = None
        return self._trees[path]

    def find(self, class_name: str, home: str) -> list[CallSite]:
        """Call sites of `class_name`: in its own file first, then in files that import
        that name; the ones with every argument resolved first."""
        pattern = re.compile(r"\b" + re.escape(class_name) + r"\s*\(")
        ordered = [home, *(f for f in self._files if f != home)]
        complete, partial = [], []
        for path in ordered:
            try:
                text = self._read_text(path)
            except (OSError, ValueError):
                continue
            if not pattern.search(text):
                continue
            tree = self.tree(path)
            if tree is None or (path != home and not _imports_name(tree, class_name)):
                continue
            for site in self._sites_in(path, tree, class_name):
                (complete if not _has_unresolved(site) else partial).append(site)
            if len(complete) >= MAX_SITES:
                break
        return (complete + partial)[:MAX_SITES]

    def _sites_in(self, path: str, tree: ast.Module, class_name: str) -> list[CallSite]:
        sites = []
        for call, params in _calls_with_scope(tree):
            func = call.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name != class_name:
                continue
            if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
                continue

            def lookup(identifier: str, params=params) -> Any:
                if identifier in params:
                    default = params[identifier]
                    if default is None:
                        raise Unresolved()
                    return evaluate(default, lambda n: self._constants.lookup(path, n))
                return self._constants.lookup(path, identifier)

            sites.append(
                CallSite(
                    path, call.lineno,
                    [encode(_value(a, lookup)) for a in call.args],
                    {k.arg: encode(_value(k.value, lookup)) for k in call.keywords},
                )
            )
        return sites


def _value(node: ast.AST, lookup) -> Any:
    try:
        return evaluate(node, lookup)
    except Unresolved:
        return _Expr(ast.unparse(node)[:80])


def _has_unresolved(site: CallSite) -> bool:
    return "$expr" in repr(site.args) + repr(site.kwargs)


def _imports_name(tree: ast.Module, name: str) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name or a.name == "*" for a in node.names):
            return True
        if isinstance(node, ast.Attribute) and node.attr == name:
            return True
    return False


def _calls_with_scope(tree: ast.Module):
    """Every call with the parameters (name -> default node or None) of the functions
    around it; a parameter reassigned in its function counts as unknown."""
    todo = [(tree, {})]
    while todo:
        node, params = todo.pop()
        for child in ast.iter_child_nodes(node):
            inner = params
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                inner = {**params, **_parameters(child)}
            if isinstance(child, ast.Call):
                yield child, inner
            todo.append((child, inner))


def _parameters(function) -> dict:
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    found = {a.arg: d for a, d in zip(positional, defaults)}
    found.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults)})
    body = function.body if isinstance(function.body, list) else [function.body]
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) and sub.id in found:
                found[sub.id] = None
    return found


# ---- configuration examples -------------------------------------------------------------------------
def config_example(examples: dict, module: str, class_name: str) -> Optional[dict]:
    """The user's `[tool.kerascheck.confirm."module.Class"]` table for this class (the full
    dotted name, a dotted suffix of it, or the bare class name), encoded for the worker."""
    full = f"{module}.{class_name}"
    for key in (full, *(k for k in examples if full.endswith("." + k)), class_name):
        if key in examples:
            table = examples[key]
            return {
                "where": f"configuration [confirm.\"{key}\"]",
                "args": [encode(v) for v in table.get("args", ())],
                "kwargs": {k: encode(v) for k, v in dict(table.get("kwargs", {})).items()},
                "input_shape": table.get("input-shape"),
                "dtype": table.get("dtype"),
            }
    return None
