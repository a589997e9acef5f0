"""KC303: a layer built from non-serializable constructor values, with no `get_config`.

Keras 3 records a layer's constructor arguments automatically, but only when every one
is a basic value (str, int, float, bool, None, and lists/dicts of them). A sub-layer, a
function or a class handed to `__init__` turns that off, and measured on Keras 3.15
`model.save()` then fails with `NotImplementedError: Object X was created by passing
non-serializable argument values in __init__(), and therefore the object must override
get_config()`. Defaults count: Keras 3 records them too, so `activation=ops.gelu` in the
signature breaks saving even when the caller never passes it.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule
from kerascheck.rules.support import sublayers, syntax
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import canonical_keras_name, cst_dotted, keras_base_kind, keras_class_name


class GetConfigMissing(Rule):
    code = "KC303"
    name = "get-config-missing"
    severity = Severity.WARNING
    summary = "Layer given sub-layers/callables (or Model given any required argument) without get_config()."
    affects = "Keras 2 and Keras 3"

    def __init__(self, context):
        super().__init__(context)
        self._module_functions: Optional[frozenset[str]] = None

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        keras_class = self.module.keras_class(node)
        if keras_class is None:
            return
        init = syntax.methods(node).get("__init__")
        if init is None or sublayers.throwaway_class(self.context, node) or _abstract(node):
            return
        index = self.module.index
        if index.defines_in_ancestry(keras_class.key, "get_config"):
            return
        if index.builtin_ancestors(keras_class.key) or self._sequential(keras_class.key):
            return  # a built-in base (Dense, Wrapper, Sequential...) brings its own get_config
        parameters = [
            param for param in syntax.params(init)[1:] if param.name.value not in knowledge.BASE_CONFIG_KEYS
        ]
        called = self._called_parameters(node, init)
        offending = []
        for param in parameters:
            why = self._non_serializable(param, called)
            if why:
                offending.append((param, why))
        if offending:
            first, why = offending[0]
            others = [param.name.value for param, _ in offending[1:]]
            also = f" (also {', '.join(others)})" if others else ""
            self.report(
                first.name,
                f"'{first.name.value}' {why}{also}, and the class defines no get_config(): Keras cannot "
                "record it, so saving fails with NotImplementedError (\"must override get_config()\"); "
                "implement get_config() and from_config() (keras.saving.serialize_keras_object)",
            )
        elif keras_class.is_model:
            required = [param for param in parameters if param.default is None]
            if required:
                self._report_model(required[0])

    def _report_model(self, param: cst.Param) -> None:
        """Keras 3's `Model.__new__` does not hand the constructor arguments on, so a Model
        subclass never gets the automatic config a Layer gets (measured, Keras 3.15): with a
        required argument, get_config() raises whatever the argument's type."""
        self.report(
            param.name,
            "Keras 3 records no constructor argument of a Model subclass, not even plain values, and "
            f"this class defines no get_config(): with '{param.name.value}' required, saving fails with "
            "NotImplementedError (\"must override get_config()\"); implement get_config() returning "
            "the constructor arguments",
        )

    def _sequential(self, key) -> bool:
        index = self.module.index
        for current in [key, *index.tree_ancestors(key)]:
            for target in index.base_targets(current):
                qualified = getattr(target, "qualified", None)
                if qualified and canonical_keras_name(qualified) in knowledge.SEQUENTIAL_BASES:
                    return True
        return False

    # ---- what makes a parameter non-serializable ---------------------------------------
    def _non_serializable(self, param: cst.Param, called: set[str]) -> Optional[str]:
        name = param.name.value
        if name in called:
            return "is called like a layer or function"
        if param.annotation is not None and self._names_layer_or_callable(param.annotation.annotation):
            return "is annotated as a layer or callable"
        if param.default is not None:
            kind = self._callable_default(param.default)
            if kind:
                return f"defaults to {kind}"
        return None

    def _names_layer_or_callable(self, annotation: cst.BaseExpression) -> bool:
        for node in syntax.walk(annotation):
            if isinstance(node, (cst.Name, cst.Attribute)) and self._is_layer_or_callable_type(node):
                return True
        return False

    def _is_layer_or_callable_type(self, node: cst.CSTNode) -> bool:
        if self.module.tree_keras_class(node) is not None:
            return True
        qualified = self.module.qualified_name(node)
        if qualified is None:
            return False
        return (
            qualified in knowledge.CALLABLE_ANNOTATIONS
            or keras_base_kind(qualified) is not None
            or keras_class_name(qualified) is not None
        )

    def _callable_default(self, default: cst.BaseExpression) -> Optional[str]:
        if isinstance(default, cst.Lambda):
            return "a lambda"
        if isinstance(default, cst.Call):
            if self._is_layer_or_callable_type(default.func):
                return "a layer instance"
            return None
        if isinstance(default, (cst.Name, cst.Attribute)):
            if self._is_layer_or_callable_type(default):
                return "a layer class"
            if isinstance(default, cst.Name) and default.value in self._functions_of_module():
                return "a function"
            qualified = self.module.qualified_name(default)
            canonical = (canonical_keras_name(qualified) or qualified) if qualified else None
            if canonical and canonical.startswith(knowledge.FUNCTION_MODULES):
                return "a function"
        return None

    def _functions_of_module(self) -> frozenset[str]:
        if self._module_functions is None:
            module = self.context.ancestors[0]
            self._module_functions = frozenset(
                statement.name.value for statement in module.body if isinstance(statement, cst.FunctionDef)
            )
        return self._module_functions

    @staticmethod
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


def _abstract(class_def: cst.ClassDef) -> bool:
    """Whether the class declares abstract methods (`@abc.abstractmethod`): it is never
    instantiated, so never saved itself; its concrete subclasses are checked on their own."""
    for method in syntax.methods(class_def).values():
        for decorator in method.decorators:
            dotted = cst_dotted(decorator.decorator) or ""
            if dotted.rpartition(".")[2] == "abstractmethod":
                return True
    return False
