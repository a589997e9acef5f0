"""Small syntax questions several rules ask. Shared here so no rule copies another."""
from __future__ import annotations

from typing import Iterator, Optional, Sequence

import libcst as cst
import libcst.matchers as m

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
    return call.func.attr.value if isinstance(call.func, cst.Attribute) else None


def assign_targets(statement: cst.CSTNode) -> Sequence[cst.BaseExpression]:
    if isinstance(statement, cst.Assign):
        return [target.target for target in statement.targets]
    if isinstance(statement, (cst.AnnAssign, cst.AugAssign)):
        return [statement.target]
    return []


def flatten_targets(targets: Sequence[cst.BaseExpression]) -> Iterator[cst.BaseExpression]:
    """`a, (b, c) = ...` -> a, b, c."""
    for target in targets:
        if isinstance(target, (cst.Tuple, cst.List)):
            yield from flatten_targets([element.value for element in target.elements])
        else:
            yield target


def is_super_call(call: cst.Call, method: str) -> bool:
    """`super().method(...)` or `super(Cls, self).method(...)`."""
    return m.matches(
        call.func,
        m.Attribute(value=m.Call(func=m.Name("super")), attr=m.Name(method)),
    )


def string_value(node: cst.BaseExpression) -> Optional[str]:
    """The value of a plain string literal, else None."""
    if isinstance(node, cst.SimpleString):
        try:
            return node.evaluated_value if isinstance(node.evaluated_value, str) else None
        except Exception:
            return None
    return None


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node below `node` (pre-order), without visitor machinery."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))
