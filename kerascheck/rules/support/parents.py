"""Calls of the parent class's methods (`super().__init__`, `Base.get_config(self)`), and what they carry."""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.semantic.syntax import (
    assign_targets,
    is_super_attribute,
    is_super_call,
    method_call_name,
    names_in,
    positional,
    returns,
    self_name,
    target_roots,
    typo_distance,
    walk,
    walk_scope,
)
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import cst_dotted


def is_parent_call(call: cst.Call, method: str, owner: Optional[str]) -> bool:
    """`super().method(...)`, `super(Cls, self).method(...)`, or `Base.method(self, ...)`
    (keras-hub style) where `owner` is the name the method calls its instance."""
    if is_super_call(call, method):
        return True
    if owner is None or method_call_name(call) != method:
        return False
    base = call.func.value
    if cst_dotted(base) is None or (isinstance(base, cst.Name) and base.value == owner):
        return False
    arguments = positional(call)
    return bool(arguments) and isinstance(arguments[0].value, cst.Name) and arguments[0].value.value == owner


def parent_calls(function: cst.FunctionDef, method: str) -> list[cst.Call]:
    """The calls of the parent class's `method` in `function`'s own frame, in source order."""
    owner = self_name(function)
    return [
        node
        for node in walk_scope(function.body)
        if isinstance(node, cst.Call) and is_parent_call(node, method, owner)
    ]


# Real methods a near miss of `__init__` may be: `__exit__` (2 edits), `__int__` (1 edit,
# the int() conversion; callers decide whether a given `__int__` is a constructor).
_INIT_LOOKALIKES = frozenset({"__exit__"})


def is_init_misspelling(name: str) -> bool:
    """`__init`, `__init_`, `_init_`, `__int__`, `__inti__`, `__Init__`...: within two edits
    of `__init__`, underscored like a dunder, and not another real method."""
    return (
        name != "__init__"
        and name.startswith("_")
        and name not in _INIT_LOOKALIKES
        and typo_distance(name.lower(), "__init__") <= 2
    )


def calls_parent(expression: cst.CSTNode, function: cst.FunctionDef, method: str) -> bool:
    """Whether `expression` (inside `function`) calls the parent class's `method`."""
    owner = self_name(function)
    return any(isinstance(node, cst.Call) and is_parent_call(node, method, owner) for node in walk(expression))


_FILLING_METHODS = frozenset({"update", "setdefault", "__setitem__", "extend", "append"})


def carriers(function: cst.FunctionDef, seeds=(), parent_method: Optional[str] = None) -> set[str]:
    """Names of `function` whose value is built from one of `seeds` or from a call of the
    parent's `parent_method`: assigned from an expression mentioning it, filled with it
    (`x.update(it)`, `x[k] = it`), or looped over it (`for k, v in kwargs.items()`)."""
    found = set(seeds)
    nodes = list(walk_scope(function.body))

    def carries(expression: cst.CSTNode) -> bool:
        if names_in(expression) & found:
            return True
        return parent_method is not None and calls_parent(expression, function, parent_method)

    changed = True
    while changed:
        changed = False
        for node in nodes:
            pairs: list = []
            if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)) and node.value is not None:
                pairs = [(target, node.value) for target in assign_targets(node)]
            elif isinstance(node, (cst.For, cst.CompFor)):
                pairs = [(node.target, node.iter)]
            elif isinstance(node, cst.NamedExpr):
                pairs = [(node.target, node.value)]
            elif isinstance(node, cst.Call) and method_call_name(node) in _FILLING_METHODS:
                pairs = [(node.func.value, arg.value) for arg in node.args]
            for target, value in pairs:
                if carries(value):
                    for name in target_roots(target):
                        if name not in found:
                            found.add(name)
                            changed = True
    return found


def merges_parent_config(get_config: cst.FunctionDef) -> bool:
    """Whether some value `get_config` returns is built from `super().get_config()` (or
    `Base.get_config(self)`): `config = super().get_config(); config.update(...)`,
    `{**base_config, ...}`, `dict(list(base_config.items()) + ...)`..."""
    built = carriers(get_config, parent_method="get_config")
    return any(
        names_in(node.value) & built or calls_parent(node.value, get_config, "get_config")
        for node in returns(get_config)
        if node.value is not None
    )


def misspelled_init_calls(function: cst.FunctionDef) -> list[cst.Call]:
    """`super().__init(...)`, `super(C, self).__int__(...)`... in `function`'s own frame."""
    return [
        node
        for node in walk_scope(function.body)
        if isinstance(node, cst.Call)
        and is_super_attribute(node.func)
        and is_init_misspelling(node.func.attr.value)
    ]


def builds_functional_model(node: cst.ClassDef) -> bool:
    """Whether the class's `__init__` hands `inputs=`/`outputs=` (or two positional
    arguments) to the parent constructor: a functional Model subclass."""
    for statement in node.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == "__init__":
            for call in parent_calls(statement, "__init__"):
                keywords = {arg.keyword.value for arg in call.args if arg.keyword is not None}
                positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
                if is_super_call(call, "__init__") and len(positional) >= 2:
                    return True
                if keywords & knowledge.FUNCTIONAL_MODEL_ARGUMENTS:
                    return True
    return False
