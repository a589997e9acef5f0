"""What a class's `get_config()` emits under each key, and which constructor argument each
attribute holds: the two sides KC307 and KC308 compare.

`from_config(config)` calls `cls(**config)`, so a key of the config is a constructor
argument's name and its value is what that argument receives on reload.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.semantic.names import cst_dotted
from kerascheck.semantic.syntax import (
    assign_targets,
    method_call_name,
    methods,
    names_in,
    params,
    returns,
    self_attribute,
    self_attribute_values,
    self_name,
    string_value,
    walk_scope,
)


def emitted_entries(get_config: cst.FunctionDef) -> list[tuple[str, cst.BaseExpression, Optional[str]]]:
    """(key, value, attribute) for each string key `get_config` writes into the config it
    returns, `attribute` naming the `self.<attribute>` the value is (None for any other value):
    the returned dict literal or `dict(...)`, a dict assigned to a name the return reads
    (`config = {...}`; `return dict(list(base.items()) + list(config.items()))`),
    `config.update({...})` / `config.update(k=v)` and `config["k"] = v` on such a name.
    Nested dicts (a sub-config under one key) are not entries."""
    returned = set()
    for statement in returns(get_config):
        if statement.value is not None:
            returned |= names_in(statement.value)
    found: list[tuple[str, cst.BaseExpression]] = []
    for node in walk_scope(get_config.body):
        if isinstance(node, cst.Return) and node.value is not None:
            found.extend(_dict_entries(node.value))
        elif isinstance(node, (cst.Assign, cst.AnnAssign)) and node.value is not None:
            for target in assign_targets(node):
                if isinstance(target, cst.Name) and target.value in returned:
                    found.extend(_dict_entries(node.value))
                elif _subscript_of(target, returned):
                    key = string_value(target.slice[0].slice.value)
                    if key:
                        found.append((key, node.value))
        elif isinstance(node, cst.Call) and method_call_name(node) == "update":
            receiver = node.func.value
            if isinstance(receiver, cst.Name) and receiver.value in returned:
                found.extend(_call_entries(node))
    owner = self_name(get_config)
    return [(key, value, self_attribute(value, owner)) for key, value in found]


def _subscript_of(target: cst.BaseExpression, names: set) -> bool:
    """`config["k"]` for a name of `names`."""
    return (
        isinstance(target, cst.Subscript)
        and isinstance(target.value, cst.Name)
        and target.value.value in names
        and len(target.slice) == 1
        and isinstance(target.slice[0].slice, cst.Index)
    )


def _dict_entries(expression: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]]:
    if isinstance(expression, cst.Dict):
        return [
            (key, element.value)
            for element in expression.elements
            if isinstance(element, cst.DictElement) and (key := string_value(element.key))
        ]
    if isinstance(expression, cst.Call) and cst_dotted(expression.func) == "dict":
        return _call_entries(expression)
    if isinstance(expression, cst.BinaryOperation) and isinstance(expression.operator, cst.BitOr):
        return _dict_entries(expression.left) + _dict_entries(expression.right)
    return []


def _call_entries(call: cst.Call) -> list[tuple[str, cst.BaseExpression]]:
    """The entries of `dict(...)` / `x.update(...)`: keywords and positional dict literals."""
    found = []
    for arg in call.args:
        if arg.keyword is not None:
            found.append((arg.keyword.value, arg.value))
        elif not arg.star:
            found.extend(_dict_entries(arg.value))
    return found


def init_of(class_def: cst.ClassDef) -> Optional[cst.FunctionDef]:
    return methods(class_def).get("__init__")


def get_config_and_init(context, node: cst.FunctionDef) -> Optional[tuple[cst.ClassDef, cst.FunctionDef]]:
    """(its class, that class's `__init__`) when `node`, being visited with the rule's
    FileContext `context`, is a `get_config()` defined directly in a Keras class that has
    an `__init__`: the two sides KC307 and KC308 compare. None otherwise."""
    if node.name.value != "get_config":
        return None
    found = context.current_method()
    if found is None or found[1] is not node:
        return None
    class_def = found[0].node
    init = init_of(class_def)
    return None if init is None else (class_def, init)


def constructor_parameters(init: cst.FunctionDef) -> dict[str, cst.Param]:
    """The named parameters of `__init__` after `self` (not `*args` / `**kwargs`)."""
    return {param.name.value: param for param in params(init)[1:]}


def stored_parameters(class_def: cst.ClassDef, init: cst.FunctionDef) -> dict[str, str]:
    """attribute -> parameter, for each attribute the class sets in one place only, in
    `__init__`, straight from a parameter `__init__` never rebinds (`self.heads = heads`).
    An attribute given anything else anywhere (`self.heads = heads or 8`, a second
    assignment in `build`) is not an argument's plain copy and is left out."""
    parameters = constructor_parameters(init)
    rebound = {
        name
        for node in walk_scope(init.body)
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign))
        for target in assign_targets(node)
        if isinstance(target, cst.Name) and (name := target.value) in parameters
    }
    in_init = {id(node) for node in walk_scope(init.body)}
    found = {}
    for attribute, values in self_attribute_values(class_def).items():
        if len(values) != 1 or id(values[0]) not in in_init:
            continue
        value = values[0]
        if isinstance(value, cst.Name) and value.value in parameters and value.value not in rebound:
            found[attribute] = value.value
    return found


def defines_from_config_reading(class_def: cst.ClassDef, key: str) -> bool:
    """Whether the class has its own `from_config` that names `key`: it may map the
    entry to another argument itself, so the entry is not necessarily what `cls(**config)`
    receives."""
    from_config = methods(class_def).get("from_config")
    if from_config is None:
        return False
    for node in walk_scope(from_config.body):
        if isinstance(node, cst.SimpleString) and string_value(node) == key:
            return True
    return False
