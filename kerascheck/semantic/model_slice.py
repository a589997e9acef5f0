"""What a saved model is built from (KC305): a backward slice over one unit's code.

`model.save(path)` saves what `model` holds at that line: the value of its last
assignment before it, what that value was built from in turn (`outputs = Scale()(x)`,
`x = ...`), and the calls made on it in between (`model.add(Scale())`,
`model.compile(loss=SquaredError())`). The slice is the set of callables called there,
as written; the project index resolves them. Control flow is ignored (the last
assignment in the text wins): a tutorial that builds five models one after the other
saves only the one it saves. In a class (a trainer, a test case), `self.build_model()`
stands for that method's whole body. Stdlib `ast`, part of the first pass.
"""
from __future__ import annotations

import ast
from typing import Optional

from kerascheck.semantic.names import ast_dotted

_MAX_STEPS = 4000
_FIT_METHODS = frozenset({"fit", "fit_generator"})


class Slicer:
    def __init__(self, nodes: list, methods: tuple = ()):
        """`nodes`: every node of the unit; `methods`: when the unit is a class, its methods,
        which `self.<method>(...)` runs (bound before any line: a builder method's whole
        body is what it builds)."""
        self.bindings: dict[str, list[tuple[int, ast.AST]]] = {}  # name -> (line, value)
        self.calls_on: dict[str, list[tuple[int, ast.AST]]] = {}  # receiver -> (line, call or x += ...)
        for method in methods:
            self.bindings[f"self.{method.name}"] = [(-1, method)]
        for node in nodes:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._bind(target, node.lineno, node.value)
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
                self._bind(node.target, node.lineno, node.value)
            elif isinstance(node, ast.AugAssign):
                for name in _target_names(node.target):  # x += y: x keeps what it held
                    self.calls_on.setdefault(name, []).append((node.lineno, node))
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                self._bind(node.target, node.lineno, node.iter)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        self._bind(item.optional_vars, node.lineno, item.context_expr)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = ast_dotted(node.func.value)
                if receiver is not None:
                    self.calls_on.setdefault(receiver, []).append((node.lineno, node))

    def _bind(self, target: ast.AST, line: int, value: ast.AST) -> None:
        for name in _target_names(target):
            self.bindings.setdefault(name, []).append((line, value))

    def built_from(self, receiver: str, line: int) -> Optional[frozenset]:
        """The callables called to build what `receiver` holds at `line`; None when the
        unit neither assigns it nor calls anything on it before that line."""
        callees: set = set()
        seen: set = set()
        todo = [(receiver, line)]
        found = False
        steps = 0
        while todo and steps < _MAX_STEPS:
            name, before = todo.pop()
            steps += 1
            if (name, before) in seen:
                continue
            seen.add((name, before))
            earlier = [(at, value) for at, value in self.bindings.get(name, ()) if at < before]
            start = 0
            if earlier:
                start, value = max(earlier, key=lambda item: item[0])
                self._take(value, start, callees, todo)
                found = True
            if not earlier and name != receiver:
                continue  # a module (`keras.Model(...)` is no call on a value of the unit)
            for at, call in self.calls_on.get(name, ()):
                if start <= at < before:
                    self._take(call, at, callees, todo)
                    found = True
        return frozenset(callees) if found else None

    @staticmethod
    def _take(node: ast.AST, line: int, callees: set, todo: list) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                dotted = ast_dotted(sub.func)
                if dotted is not None:
                    callees.add(dotted)
            elif isinstance(sub, (ast.Name, ast.Attribute)) and isinstance(sub.ctx, ast.Load):
                dotted = ast_dotted(sub)
                if dotted is not None:
                    todo.append((dotted, line))

    def fitted_model(self, checkpoint: ast.Call) -> Optional[tuple[str, int]]:
        """(the model, the line) of the `fit` call a checkpoint callback is given to:
        inline, or through the names it is bound to (`callbacks = [checkpoint]`)."""
        names: set = set()
        for _ in range(3):  # checkpoint = ModelCheckpoint(...); callbacks = [checkpoint, ...]
            names |= {name for name, bound in self.bindings.items()
                      if any(_mentions(value, checkpoint, names) for _, value in bound)}
        for receiver, calls in self.calls_on.items():
            for at, call in calls:
                if isinstance(call, ast.Call) and call.func.attr in _FIT_METHODS and _mentions(call, checkpoint, names):
                    return receiver, at
        return None


def _mentions(node: ast.AST, checkpoint: ast.Call, names: set) -> bool:
    return any(sub is checkpoint or (isinstance(sub, ast.Name) and sub.id in names) for sub in ast.walk(node))


def _target_names(target: ast.AST) -> list[str]:
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    dotted = ast_dotted(target)
    return [dotted] if dotted is not None else []
