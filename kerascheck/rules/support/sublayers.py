"""The layers a Keras class builds and calls: sub-layer attributes, aliases, training-sensitive ones, weights."""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.semantic.syntax import (
    callee_name,
    first_attribute,
    method_call_name,
    rooted_at,
    self_attribute,
    self_attribute_values,
    walk,
    walk_scope,
)
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import cst_dotted, resolves_to


def weight_creator(module, call: cst.Call, owner: Optional[str]) -> Optional[str]:
    """How `call` creates a variable: "add_weight" for `owner.add_weight(...)` /
    `owner.add_variable(...)`, "tf.Variable" or "keras.Variable"; None if it does not."""
    if method_call_name(call) in ("add_weight", "add_variable") and owner:
        if isinstance(call.func.value, cst.Name) and call.func.value.value == owner:
            return "add_weight"
    qualified = module.qualified_name(call.func)
    if resolves_to(qualified, knowledge.TF_VARIABLE):
        return "tf.Variable"
    if resolves_to(qualified, knowledge.KERAS_VARIABLE):
        return "keras.Variable"
    return None


def layers_constructed(module, expression: cst.CSTNode) -> list[tuple[object, cst.Call]]:
    """Keras layers an expression constructs, anywhere inside it (`Sequential([Dense(4),
    Dropout(0.1)])` -> Sequential, Dense, Dropout): (built-in class name such as
    "Dropout", or the ClassKey of an in-tree Keras class, the constructing call)."""
    found = []
    for node in walk(expression):
        if isinstance(node, cst.Call):
            builtin = module.builtin_layer(node.func)
            if builtin:
                found.append((builtin, node))
                continue
            key = module.tree_keras_class(node.func)
            if key is not None:
                found.append((key, node))
    return found


def sublayer_aliases(function: cst.FunctionDef, owner: Optional[str]) -> dict[str, str]:
    """Local names of `function` that stand for a `self` attribute: loop variables over
    `self.blocks` (also `enumerate(self.blocks)`/`reversed(...)`) and `layer = self.x`.
    Local name -> attribute."""
    aliases: dict[str, str] = {}
    if owner is None:
        return aliases
    for node in walk_scope(function):
        kind = type(node)
        if kind is cst.For or kind is cst.CompFor:
            source, target = node.iter, node.target
            if isinstance(source, cst.Call) and callee_name(source) in ("enumerate", "reversed", "list") and source.args:
                source = source.args[0].value
                if isinstance(target, cst.Tuple) and len(target.elements) == 2 and callee_name(node.iter) == "enumerate":
                    target = target.elements[1].value
            if isinstance(target, cst.Name) and rooted_at(source, owner):
                aliases[target.value] = first_attribute(source)
        elif kind is cst.Assign and len(node.targets) == 1:
            target = node.targets[0].target
            if type(target) is cst.Name and rooted_at(node.value, owner):
                aliases[target.value] = first_attribute(node.value)
    return aliases


def sublayer_called(call: cst.Call, owner: Optional[str], aliases: dict[str, str]) -> Optional[str]:
    """The `self` attribute a call invokes as a layer: `self.x(...)`, `self.x[i](...)`,
    or a local alias from :func:`sublayer_aliases`; None for anything else (methods of
    a sub-layer such as `self.x.call(...)`, plain functions)."""
    func = call.func
    while isinstance(func, cst.Subscript):
        func = func.value
    if isinstance(func, cst.Name):
        return aliases.get(func.value)
    return self_attribute(func, owner)


def training_sensitive_label(index, layer) -> Optional[str]:
    """For a layer from :func:`layers_constructed`: its name when it behaves differently
    in training (a built-in Dropout/BatchNormalization/..., or an in-tree class that
    builds one or whose `call` takes `training`), else None."""
    if isinstance(layer, str):
        return layer if layer in knowledge.TRAINING_SENSITIVE_LAYERS else None
    return layer.name if index.is_training_sensitive(layer) else None


def training_sensitive_attributes(module, class_def: cst.ClassDef) -> dict[str, str]:
    """`self` attributes of a class that hold a training-sensitive layer (also inside a
    list or a `Sequential`): attribute -> the sensitive layer's name."""
    found: dict[str, str] = {}
    for attribute, values in self_attribute_values(class_def).items():
        labels = [_sensitive_value_label(module, value) for value in values]
        if any(label == "" for label in labels):
            continue  # also given a plain layer (`Identity()` in another branch): it depends
        label = next(filter(None, labels), None)
        if label:
            found[attribute] = label
    return found


def _sensitive_value_label(module, value: cst.BaseExpression) -> Optional[str]:
    """The sensitive layer a value builds (named with its container: "Sequential with
    Dropout"); "" when the value is a layer that is not sensitive; None otherwise."""
    built = layers_constructed(module, value)
    for layer, constructor in built:
        label = training_sensitive_label(module.index, layer)
        if label is None:
            continue
        if isinstance(value, cst.Call) and constructor is not value:
            label = f"{(callee_name(value) or '?').rpartition('.')[2]} with {label}"
        return label
    if built and built[0][1] is value:
        return ""
    return None


def throwaway_class(context, class_def: cst.ClassDef) -> bool:
    """Whether the class being visited is never saved and reloaded: defined inside a
    function (a test's or a builder's local helper that is never looked up by name when
    loading) or in a test module that saves and serializes nothing (a test's fixture
    class; seen 20 times on one unseen repository), unless it is registered for
    serialization (`@keras.saving.register_keras_serializable()`)."""
    local = any(isinstance(node, cst.FunctionDef) for node in context.ancestors[:-1])
    if not local and not context.module.unsaved_test_module():
        return False
    for decorator in class_def.decorators:
        expression = decorator.decorator
        dotted = cst_dotted(expression.func if isinstance(expression, cst.Call) else expression) or ""
        if dotted.rpartition(".")[2] == "register_keras_serializable":
            return False
    return True
