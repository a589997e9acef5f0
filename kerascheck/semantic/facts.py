"""The cheap first pass: what each file defines and imports.

It runs on every file with the standard library's `ast` (a C parser, several times
faster than libcst) and keeps only what the cross-file index needs: the import table,
module-level aliases, star imports, and per class its bases, its methods, the
parameters of its `call`, and the callables its body calls. Nothing here resolves
names across files; :mod:`kerascheck.semantic.project` does that once for the run.
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from typing import Optional

from kerascheck.semantic import saving_facts
from kerascheck.semantic.names import ast_dotted

# An import target: (anchor directory for relative imports or "" for absolute, dotted name).
Ref = tuple[str, str]


@dataclass
class ClassFacts:
    name: str
    line: int
    bases: list[str]  # dotted base expressions as written ("layers.Layer", "Base")
    methods: frozenset[str]
    call_params: Optional[tuple[str, ...]]  # None when the class defines no `call`
    # Whether `call` reads its `training` argument (a `training` parameter declared only
    # to match Keras' signature, and never read, makes no difference in training).
    call_reads_training: bool
    callees: frozenset[str]  # dotted callables called anywhere in the body ("layers.Dropout")


@dataclass
class ModuleFacts:
    path: str
    imports: dict[str, Ref] = field(default_factory=dict)
    star_imports: list[Ref] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # X = some.dotted.name
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    # Later definitions of a class name already in `classes` (a tutorial redefines
    # `Linear`, tests define `class Net` in several functions), in definition order:
    # `redefinitions[name][k - 1]` is definition k. Definitions are numbered shallowest
    # first (a module-level class is the one its name resolves to), then in source
    # order; kerascheck.semantic.module numbers the libcst ClassDef nodes the same way.
    redefinitions: dict[str, list[ClassFacts]] = field(default_factory=dict)
    # Module-level definitions of any kind, for `from in_tree import *`.
    defined: frozenset[str] = frozenset()
    # Whether it imports tf_keras anywhere (a compat module that hands Keras 2 out).
    imports_tf_keras: bool = False
    # Names imported from two different top-level packages in two places (`from
    # tf_keras.src.engine import input_layer` in one branch, `from keras.src.engine ...`
    # in another): which one a run gets depends on what is installed. `imports` keeps one
    # of them, so that a class based on either is still known as Keras.
    switched: set[str] = field(default_factory=set)
    # Module-level functions whose every `return` returns a call (`return MyModel()`,
    # or `model = build_model(); ...; return model`): the dotted callables, as written.
    # A function with any other return, or none, or a `yield`, is not here.
    returns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # What it saves and loads, and the class names it hands to Keras (KC305).
    saving: Optional[saving_facts.SavingFacts] = None


def _anchor(path: str, level: int) -> str:
    directory = os.path.dirname(path)
    for _ in range(level - 1):
        directory = os.path.dirname(directory)
    return directory


def _bind_import(facts: ModuleFacts, name: str, ref: Ref) -> None:
    """Record that an import binds `name` to `ref`; the first import wins, and a name that
    another import binds to another top-level package is switched."""
    previous = facts.imports.setdefault(name, ref)
    if previous != ref and previous[0] == ref[0] == "" and previous[1].split(".")[0] != ref[1].split(".")[0]:
        facts.switched.add(name)


def _record_import(facts: ModuleFacts, node: ast.AST) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            facts.imports_tf_keras = facts.imports_tf_keras or alias.name.split(".")[0] == "tf_keras"
            if alias.asname:
                _bind_import(facts, alias.asname, ("", alias.name))
            else:
                head = alias.name.split(".")[0]
                _bind_import(facts, head, ("", head))
    elif isinstance(node, ast.ImportFrom):
        anchor = _anchor(facts.path, node.level) if node.level else ""
        module = node.module or ""
        facts.imports_tf_keras = facts.imports_tf_keras or (not anchor and module.split(".")[0] == "tf_keras")
        for alias in node.names:
            if alias.name == "*":
                facts.star_imports.append((anchor, module))
                continue
            target = f"{module}.{alias.name}" if module else alias.name
            _bind_import(facts, alias.asname or alias.name, (anchor, target))


def _class_facts(node: ast.ClassDef) -> ClassFacts:
    methods = set()
    call_params = None
    call_reads_training = False
    callees = set()
    functions = {
        item.name: item for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    for item in functions.values():
        methods.add(item.name)
        if item.name == "call":
            args = item.args
            call_params = tuple(
                a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)
            )
            call_reads_training = _reads_training(item, functions, set())
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            callee = ast_dotted(sub.func)
            if callee:
                callees.add(callee)
    return ClassFacts(
        name=node.name,
        line=node.lineno,
        bases=[b for b in (ast_dotted(base) for base in node.bases) if b],
        methods=frozenset(methods),
        call_params=call_params,
        call_reads_training=call_reads_training,
        callees=frozenset(callees),
    )


def _reads_training(function: ast.AST, methods: dict, seen: set) -> bool:
    """Whether `function` uses its `training` argument: a `training` that is only handed
    on to methods of the same class (`self._lookup(ids, training=training)`) counts only
    if such a method uses its own in turn."""
    handed_on: list[str] = []
    forwarded = set()
    for sub in ast.walk(function):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in methods:
            if isinstance(sub.func.value, ast.Name) and sub.func.value.id == "self":
                for value in [*sub.args, *(keyword.value for keyword in sub.keywords)]:
                    if isinstance(value, ast.Name) and value.id == "training":
                        forwarded.add(id(value))
                        handed_on.append(sub.func.attr)
    for sub in ast.walk(function):
        if isinstance(sub, ast.Name) and sub.id == "training" and isinstance(sub.ctx, ast.Load) and id(sub) not in forwarded:
            return True
    seen.add(getattr(function, "name", ""))
    return any(
        _reads_training(methods[name], methods, seen) for name in dict.fromkeys(handed_on) if name not in seen
    )


def _own_nodes(function: ast.AST):
    """The nodes of a function's own frame (not of nested functions, classes, lambdas)."""
    todo = list(ast.iter_child_nodes(function))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


def _returned_callees(function: ast.FunctionDef) -> Optional[tuple[str, ...]]:
    """The dotted callables every `return` of `function` returns a call of, or None."""
    nodes = list(_own_nodes(function))
    if any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in nodes):
        return None
    returns = [node for node in nodes if isinstance(node, ast.Return)]
    if not returns:
        return None
    params = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
    params |= {a.arg for a in (function.args.vararg, function.args.kwarg) if a is not None}
    found: list[str] = []
    for node in returns:
        value = node.value
        if isinstance(value, ast.Name) and value.id not in params:
            values = _assigned_values(nodes, value.id)
            if not values:
                return None
        else:
            values = [value]
        for item in values:
            callee = ast_dotted(item.func) if isinstance(item, ast.Call) else None
            if callee is None:
                return None
            found.append(callee)
    return tuple(dict.fromkeys(found))


def _assigned_values(nodes: list, name: str) -> Optional[list]:
    """The values a local name is assigned, when every binding is a plain `name = value`."""
    values = []
    assigned = set()
    for node in nodes:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            values.append(node.value)
            assigned.update(id(t) for t in node.targets)
    for node in nodes:
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load) and id(node) not in assigned:
            return None  # a loop, a `with ... as`, a `del`, a tuple target...
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return None
        if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name) \
                and node.target.id == name:
            return None
    return values or None


def collect(path: str, tree: ast.Module) -> ModuleFacts:
    """Facts of one parsed module. Imports anywhere in the file count (a function-level
    `import keras` still tells what `keras` means in that file); module level wins."""
    facts = ModuleFacts(path=path)
    defined = set()
    for node in tree.body:
        _record_import(facts, node)
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            defined.add(node.name)
            if isinstance(node, ast.FunctionDef):
                callees = _returned_callees(node)
                if callees:
                    facts.returns[node.name] = callees
                else:
                    facts.returns.pop(node.name, None)  # a later definition wins
            else:
                facts.returns.pop(node.name, None)
        elif isinstance(node, ast.Assign):
            value = ast_dotted(node.value)
            for target in node.targets:
                if isinstance(target, ast.Name):
                    defined.add(target.id)
                    if value:
                        facts.aliases[target.id] = value
    found: list[tuple[tuple, ast.ClassDef]] = []
    for node, depth in _statements_with_depth(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _record_import(facts, node)
        elif isinstance(node, ast.ClassDef):
            found.append(((node.name, depth, node.lineno, node.col_offset), node))
    for (name, *_), node in sorted(found, key=lambda item: item[0]):
        if name in facts.classes:
            facts.redefinitions.setdefault(name, []).append(_class_facts(node))
        else:
            facts.classes[name] = _class_facts(node)
    facts.defined = frozenset(defined | set(facts.imports))
    facts.saving = saving_facts.collect(tree)
    return facts


# Where statements nest: imports and class definitions are statements, so the walk
# need not enter expressions (nine nodes in ten).
_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
_SCOPES = frozenset({ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef})


def _statements_with_depth(tree: ast.AST):
    """Every statement (and except handler, match case) with its depth: the number of
    enclosing class and function bodies."""
    todo = [(tree, 0)]
    while todo:
        node, depth = todo.pop()
        yield node, depth
        inner = depth + (type(node) in _SCOPES)
        for field in _BLOCK_FIELDS:
            block = getattr(node, field, None)
            if type(block) is list:
                todo.extend((child, inner) for child in block)
