"""Syntax questions many rules ask of libcst trees: parameters, calls, targets, names, walks."""
from __future__ import annotations

from typing import Iterator, Optional, Sequence

import libcst as cst

from kerascheck.cstwalk import syntax_children
from kerascheck.cstwalk import syntax_walk as walk  # rules scan syntax, never layout
from kerascheck.semantic.names import cst_dotted


def params(function: cst.FunctionDef) -> list[cst.Param]:
    p = function.params
    return [*p.posonly_params, *p.params, *p.kwonly_params]


def param_names(function: cst.FunctionDef) -> list[str]:
    return [param.name.value for param in params(function)]


def find_param(function: cst.FunctionDef, name: str) -> Optional[cst.Param]:
    return next((param for param in params(function) if param.name.value == name), None)


def self_name(function: cst.FunctionDef) -> Optional[str]:
    """The name the method calls its instance (`self` by convention)."""
    p = function.params
    first = (p.posonly_params or p.params or (None,))[0]
    return first.name.value if first is not None else None


def star_kwargs_name(function: cst.FunctionDef) -> Optional[str]:
    star = function.params.star_kwarg
    return star.name.value if star is not None else None


def methods(class_def: cst.ClassDef) -> dict[str, cst.FunctionDef]:
    """Methods defined directly in the class body, by name (the last definition wins)."""
    body = class_def.body
    if not isinstance(body, cst.IndentedBlock):
        return {}
    return {item.name.value: item for item in body.body if isinstance(item, cst.FunctionDef)}


def rooted_at(expression: cst.BaseExpression, name: str) -> bool:
    """Whether `expression` is `name.a`, `name.a[i]`, `name.a.b[...]`... (not `name` alone)."""
    node = expression
    depth = 0
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
        depth += 1
    return depth > 0 and isinstance(node, cst.Name) and node.value == name


def first_attribute(expression: cst.BaseExpression) -> Optional[str]:
    """`a` for `self.a.b[0]`: the attribute right after the root name."""
    node = expression
    last = None
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        if isinstance(node, cst.Attribute):
            last = node.attr.value
        node = node.value
    return last


def keyword(call: cst.Call, name: str) -> Optional[cst.Arg]:
    return next((arg for arg in call.args if arg.keyword and arg.keyword.value == name), None)


def positional(call: cst.Call) -> list[cst.Arg]:
    return [arg for arg in call.args if arg.keyword is None and not arg.star]


def callee_name(call: cst.Call) -> Optional[str]:
    """`self.dense` for `self.dense(x)`, `tf.nn.dropout` for `tf.nn.dropout(x)`."""
    return cst_dotted(call.func)


def method_call_name(call: cst.Call) -> Optional[str]:
    """`append` for `anything.append(x)`."""
    return call.func.attr.value if type(call.func) is cst.Attribute else None


def assign_targets(statement: cst.CSTNode) -> Sequence[cst.BaseExpression]:
    kind = type(statement)
    if kind is cst.Assign:
        return [target.target for target in statement.targets]
    if kind is cst.AnnAssign or kind is cst.AugAssign:
        return [statement.target]
    return []


def bound_names(node: cst.CSTNode) -> list[str]:
    """The names one node binds: assignment, loop, with, except and comprehension
    targets, walrus, imports, definitions, parameters, `global`/`nonlocal`. Dispatched
    on the exact node type: it runs on every node of a module."""
    binder = _BINDERS.get(type(node))
    return binder(node) if binder is not None else []


def names_bound_below(scope: cst.CSTNode) -> set[str]:
    """Every name bound anywhere below `scope` (see bound_names)."""
    found: set[str] = set()
    for node in walk(scope):
        binder = _BINDERS.get(type(node))
        if binder is not None:
            found.update(binder(node))
    return found


def _target_names(target: cst.BaseExpression) -> list[str]:
    names = []
    for flat in flatten_targets([target]):
        if type(flat) is cst.StarredElement:
            flat = flat.value
        if type(flat) is cst.Name:
            names.append(flat.value)
    return names


def _import_alias_names(node: cst.ImportAlias) -> list[str]:
    if node.asname is not None:
        return []  # the AsName below it binds the name
    dotted = cst_dotted(node.name)
    return [dotted.split(".")[0]] if dotted else []


_BINDERS = {
    cst.AssignTarget: lambda node: _target_names(node.target),
    cst.AnnAssign: lambda node: _target_names(node.target),
    cst.AugAssign: lambda node: _target_names(node.target),
    cst.For: lambda node: _target_names(node.target),
    cst.CompFor: lambda node: _target_names(node.target),
    cst.AsName: lambda node: _target_names(node.name),
    cst.NamedExpr: lambda node: _target_names(node.target),
    cst.Param: lambda node: [node.name.value],
    cst.FunctionDef: lambda node: [node.name.value],
    cst.ClassDef: lambda node: [node.name.value],
    cst.ImportAlias: _import_alias_names,
    cst.Global: lambda node: [item.name.value for item in node.names],
    cst.Nonlocal: lambda node: [item.name.value for item in node.names],
}


_SEQUENCE_DISPLAYS = frozenset({cst.Tuple, cst.List})


def flatten_targets(targets: Sequence[cst.BaseExpression]) -> Iterator[cst.BaseExpression]:
    """`a, (b, c) = ...` -> a, b, c."""
    for target in targets:
        if type(target) in _SEQUENCE_DISPLAYS:
            yield from flatten_targets([element.value for element in target.elements])
        else:
            yield target


def is_super_call(call: cst.Call, method: str) -> bool:
    """`super().method(...)` or `super(Cls, self).method(...)`."""
    func = call.func
    return is_super_attribute(func) and func.attr.value == method


def is_super_attribute(node: cst.BaseExpression) -> bool:
    """`super().<name>` or `super(Cls, self).<name>`. (Plain isinstance tests: importing
    libcst.matchers alone costs half a second, a warm cached run in all.)"""
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Call)
        and isinstance(node.value.func, cst.Name)
        and node.value.func.value == "super"
    )


def string_value(node: cst.BaseExpression) -> Optional[str]:
    """The value of a plain string literal, else None."""
    if isinstance(node, cst.SimpleString):
        try:
            return node.evaluated_value if isinstance(node.evaluated_value, str) else None
        except Exception:
            return None
    return None


# An exact type test: isinstance() against libcst's node classes goes through ABCMeta, a
# Python-level call per test, and walk_scope asks it of every node.
_NEW_SCOPES = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})


def walk_scope(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Like :func:`walk` (source order), but does not enter nested functions, classes or
    lambdas: what runs in this function's own frame."""
    stack = syntax_children(node)
    stack.reverse()
    while stack:
        current = stack.pop()
        yield current
        if current.__class__ not in _NEW_SCOPES:
            kids = syntax_children(current)
            if kids:
                kids.reverse()
                stack.extend(kids)


def self_attribute(expression: cst.CSTNode, owner: Optional[str]) -> Optional[str]:
    """`w` when `expression` is exactly `owner.w` (`self.w`), else None."""
    if (
        owner
        and isinstance(expression, cst.Attribute)
        and isinstance(expression.value, cst.Name)
        and expression.value.value == owner
    ):
        return expression.attr.value
    return None


def names_in(node: cst.CSTNode) -> set[str]:
    """Plain names an expression reads (`x` and `self` in `f(x, y=self.w)`, not `w`, `y`)."""
    found = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, cst.Attribute):
            stack.append(current.value)
        elif isinstance(current, cst.Arg):
            stack.append(current.value)
        else:
            stack.extend(syntax_children(current))
    return found


_ASSIGNMENTS = frozenset({cst.Assign, cst.AnnAssign, cst.AugAssign})


def self_attribute_values(class_def: cst.ClassDef) -> dict[str, list[cst.BaseExpression]]:
    """What each `self.<name>` of a class is given in any of its methods: `self.x = v`,
    `self.x: T = v`, `self.x += v`, `self.x[k] = v`, `self.x.append(v)`, and the matching
    elements of `self.a, self.b = va, vb`. Name -> values, in source order."""
    found: dict[str, list[cst.BaseExpression]] = {}
    for method in methods(class_def).values():
        owner = self_name(method)
        if owner is None:
            continue
        for node in walk(method.body):
            pairs: list[tuple[cst.BaseExpression, Optional[cst.BaseExpression]]] = []
            kind = type(node)
            if kind in _ASSIGNMENTS:
                pairs = _target_value_pairs(assign_targets(node), node.value)
            elif kind is cst.Call and method_call_name(node) in ("append", "extend", "insert"):
                pairs = [(node.func.value, arg.value) for arg in node.args]
            for target, value in pairs:
                if value is not None and rooted_at(target, owner):
                    attribute = first_attribute(target)
                    if attribute:
                        found.setdefault(attribute, []).append(value)
    return found


def _target_value_pairs(targets, value):
    """(target, value) pairs of an assignment, matching `a, b = x, y` element-wise."""
    pairs = []
    for target in targets:
        if (
            isinstance(target, (cst.Tuple, cst.List))
            and isinstance(value, (cst.Tuple, cst.List))
            and len(target.elements) == len(value.elements)
        ):
            for element, element_value in zip(target.elements, value.elements):
                pairs.extend(_target_value_pairs([element.value], element_value.value))
        else:
            pairs.append((target, value))
    return pairs


def walk_with_chain(node: cst.CSTNode) -> Iterator[tuple[cst.CSTNode, tuple]]:
    """Every node below `node` with its chain of ancestors (from `node`, itself included)."""
    stack = [(node, (node,))]
    while stack:
        current, chain = stack.pop()
        yield current, chain
        stack.extend((child, chain + (child,)) for child in reversed(syntax_children(current)))


def import_bindings(statement) -> list[tuple[Optional[str], str, str, cst.CSTNode]]:
    """What an absolute `import`/`from ... import` statement binds, per imported name:
    (local name, what the local name means, the full dotted name imported, its node).
    `import a.b` -> ("a", "a", "a.b"); `import a.b as x` -> ("x", "a.b", "a.b");
    `from a import b as y` -> ("y", "a.b", "a.b"); `from a import *` -> (None, "a", "a").
    Relative imports (`from . import x`) name the linted tree, not a library: []."""
    found = []
    if isinstance(statement, cst.Import):
        for alias in statement.names:
            full = cst_dotted(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                found.append((alias.asname.name.value, full, full, alias.name))
            else:
                head = full.split(".")[0]
                found.append((head, head, full, alias.name))
    elif isinstance(statement, cst.ImportFrom) and not statement.relative and statement.module is not None:
        module = cst_dotted(statement.module)
        if module is None:
            return found
        if isinstance(statement.names, cst.ImportStar):
            return [(None, module, module, statement.module)]
        for alias in statement.names:
            name = cst_dotted(alias.name)
            if name is None:
                continue
            local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            found.append((local, f"{module}.{name}", f"{module}.{name}", alias.name))
    return found


def target_roots(target: cst.CSTNode) -> list[str]:
    """`x` for `x`, `x[k]`, `x.a`; every name of `a, (b, c)`."""
    roots = []
    for flat in flatten_targets([target]):
        node = flat.value if isinstance(flat, cst.StarredElement) else flat
        while isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        if isinstance(node, cst.Name):
            roots.append(node.value)
    return roots


def returns(function: cst.FunctionDef) -> list[cst.Return]:
    """The `return` statements of `function`'s own frame."""
    return [node for node in walk_scope(function.body) if isinstance(node, cst.Return)]


def typo_distance(left: str, right: str) -> int:
    """Edit distance counting a swap of two adjacent letters as one edit, like the other
    typos (insertion, deletion, substitution): `bulit` is one typo away from `built`."""
    rows = [list(range(len(right) + 1))]
    for i, a in enumerate(left, 1):
        row = [i]
        for j, b in enumerate(right, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a != b))
            if i > 1 and j > 1 and a == right[j - 2] and left[i - 2] == b:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]
