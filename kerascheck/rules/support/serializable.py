"""Which constructor parameters of a Keras class hold values Keras cannot record in a
config (a sub-layer, a function, a class), so that saving the class needs a get_config
of its own. KC303 reports them; KC302 stays quiet where saving already fails for them."""
from __future__ import annotations

import weakref
from typing import Optional

import libcst as cst

from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.module import ModuleModel
from kerascheck.semantic.names import canonical_keras_name, keras_base_kind, keras_class_name

# Why a parameter cannot be recorded: given as a layer or callable (`called`,
# `annotated`), an object whose attributes `__init__` reads (`config.units`, `x.shape`:
# measured, a config object and a NumPy array both make saving fail on Keras 3 and
# tf_keras), or only through its default (Keras 2's auto-config records only the
# arguments a caller passed, so there a default breaks nothing).
CALLED, ANNOTATED, ATTRIBUTES, DEFAULT = "called", "annotated", "attributes", "default"

_FUNCTIONS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def non_serializable_parameters(
    module: ModuleModel, class_def: cst.ClassDef, init: cst.FunctionDef
) -> list[tuple[cst.Param, str, str]]:
    """(parameter, why in words, CALLED/ANNOTATED/DEFAULT) for each constructor parameter
    (besides name/trainable/dtype) whose value Keras cannot record."""
    called = _called_parameters(class_def, init)
    read = _attribute_read_parameters(init)
    found = []
    for param in syntax.params(init)[1:]:
        if param.name.value in knowledge.BASE_CONFIG_KEYS:
            continue
        why = _why(module, param, called, read)
        if why is not None:
            found.append((param, *why))
    return found


def required_parameters(init: cst.FunctionDef) -> list[cst.Param]:
    """The constructor parameters (besides name/trainable/dtype) a caller must give: a
    Model subclass with any cannot be saved on Keras 3 without its own get_config
    (NotImplementedError, measured), one with none saves through Keras's own config."""
    return [
        param for param in syntax.params(init)[1:]
        if param.default is None and param.name.value not in knowledge.BASE_CONFIG_KEYS
    ]


def _why(module: ModuleModel, param: cst.Param, called: set[str], read: set[str]) -> Optional[tuple[str, str]]:
    # A callable default first: it is what breaks when the caller passes nothing.
    if param.default is not None:
        kind = _callable_default(module, param.default)
        if kind:
            return f"defaults to {kind}", DEFAULT
    if param.name.value in called:
        return "is called like a layer or function", CALLED
    if param.annotation is not None and _names_layer_or_callable(module, param.annotation.annotation):
        return "is annotated as a layer or callable", ANNOTATED
    if param.name.value in read:
        return "is read as an object", ATTRIBUTES
    return None


def _names_layer_or_callable(module: ModuleModel, annotation: cst.BaseExpression) -> bool:
    return any(
        isinstance(node, (cst.Name, cst.Attribute)) and _is_layer_or_callable_type(module, node)
        for node in syntax.walk(annotation)
    )


def _is_layer_or_callable_type(module: ModuleModel, node: cst.CSTNode) -> bool:
    if module.tree_keras_class(node) is not None:
        return True
    qualified = module.qualified_name(node)
    if qualified is None:
        return False
    return (
        qualified in knowledge.CALLABLE_ANNOTATIONS
        or keras_base_kind(qualified) is not None
        or keras_class_name(qualified) is not None
    )


def _callable_default(module: ModuleModel, default: cst.BaseExpression) -> Optional[str]:
    if isinstance(default, cst.Lambda):
        return "a lambda"
    if isinstance(default, cst.Call):
        return "a layer instance" if _is_layer_or_callable_type(module, default.func) else None
    if isinstance(default, (cst.Name, cst.Attribute)):
        if _is_layer_or_callable_type(module, default):
            return "a layer class"
        if isinstance(default, cst.Name) and default.value in _module_functions(module):
            return "a function"
        qualified = module.qualified_name(default)
        canonical = (canonical_keras_name(qualified) or qualified) if qualified else None
        if canonical and canonical.startswith(knowledge.FUNCTION_MODULES):
            return "a function"
    return None


def _module_functions(module: ModuleModel) -> frozenset[str]:
    """The functions defined at the top level of the module (memoised per module)."""
    found = _FUNCTIONS.get(module)
    if found is None:
        body = module.tree.body if module.tree is not None else ()
        found = _FUNCTIONS[module] = frozenset(
            statement.name.value for statement in body if isinstance(statement, cst.FunctionDef)
        )
    return found


def _attribute_read_parameters(init: cst.FunctionDef) -> set[str]:
    """Parameters whose attributes `__init__` reads (`config.units`, `decoder.layers`):
    a basic value (str, number, list, dict) has none worth reading, while its methods
    (`name.lower()`, `options.get(...)`) are calls and do not count."""
    names = set(syntax.param_names(init)[1:])
    calls: set[int] = set()  # the called expressions (`name.lower` of `name.lower()`)
    reads: list[cst.Attribute] = []
    for node in syntax.walk_scope(init.body):
        if isinstance(node, cst.Call):
            calls.add(id(node.func))
        elif isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value in names:
            reads.append(node)
    return {node.value.value for node in reads if id(node) not in calls}


def _called_parameters(class_def: cst.ClassDef, init: cst.FunctionDef) -> set[str]:
    """Parameters `__init__` calls (`block()`), or stores as `self.x = param` for a
    method of the class to call (`self.x(inputs)`)."""
    owner = syntax.self_name(init)
    names = set(syntax.param_names(init)[1:])
    called: set[str] = set()
    stored: dict[str, str] = {}  # attribute -> parameter
    for node in syntax.walk_scope(init.body):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in names:
            called.add(node.func.value)
        elif isinstance(node, cst.Assign) and isinstance(node.value, cst.Name) and node.value.value in names:
            for target in node.targets:
                attribute = syntax.self_attribute(target.target, owner)
                if attribute:
                    stored[attribute] = node.value.value
    if not stored:
        return called
    for method in syntax.methods(class_def).values():
        method_owner = syntax.self_name(method)
        for node in syntax.walk(method.body):
            if isinstance(node, cst.Call):
                attribute = syntax.self_attribute(node.func, method_owner)
                if attribute in stored:
                    called.add(stored[attribute])
    return called
