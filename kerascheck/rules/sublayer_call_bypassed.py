"""KC204: `self.sublayer.call(...)` instead of `self.sublayer(...)`.

`Layer.__call__` is where Keras builds the layer, fills in `training` and `mask` from the
call context, autocasts inputs under mixed precision and records the call for the
functional graph. Calling `.call()` directly skips all of that: a Dropout sub-layer
called this way never sees `training=True` and drops nothing.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule
from kerascheck.rules.support import syntax, training_flag
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import canonical_keras_name, cst_dotted

# Callees whose result names a class, not an instance: `type(self).call(self, x)`.
_CLASS_GETTERS = frozenset({"super", "type"})


class SublayerCallBypassed(Rule):
    code = "KC204"
    name = "sublayer-call-bypassed"
    severity = Severity.WARNING
    summary = "sublayer.call(...) skips Layer.__call__: no build, no training/mask propagation."
    fix_safety = ('unsafe',)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "call":
            return
        found = training_flag.enclosing_keras_method(self.context)
        if found is None:
            return
        keras_class, method = found
        owner = syntax.self_name(method)
        receiver = func.value
        if self._is_class_or_self(receiver, owner):
            return
        first = syntax.positional(node)[:1]
        if first and isinstance(first[0].value, cst.Name) and first[0].value.value == owner:
            return  # `Base.call(self, x)`: an explicit call of a parent implementation
        attribute = syntax.self_attribute(receiver, owner)
        # A plain method has no `.call`, so `self.x.call` on a method of the class can only
        # be a property that hands out a sub-layer (keras-hub's `self.image_converter`).
        if attribute is not None:
            if self._not_a_layer(self._self_assignments(keras_class.node, attribute)):
                return
        elif isinstance(receiver, cst.Name):
            scope = self.context.enclosing(cst.FunctionDef) or method
            if self._not_a_layer(self._local_assignments(scope, receiver.value)):
                return
        shown = cst_dotted(receiver) or "the sub-layer"
        self.report(
            func,
            f"{shown}.call(...) skips Layer.__call__: the sub-layer is not built by Keras and "
            "gets no training flag, mask or autocasting (a Dropout called this way drops "
            f"nothing, even in training); call {shown}(...) instead",
            # Unsafe: the sub-layer now gets built, the training flag, masks, autocasting.
            fix=Fix.replace(func, receiver, safe=False, description=f"call {shown}(...) instead"),
        )

    def _is_class_or_self(self, receiver: cst.BaseExpression, owner: Optional[str]) -> bool:
        """`self`, `super()`, `type(self)`, `self.__class__`, or a name of a class/module."""
        if isinstance(receiver, cst.Name) and receiver.value == owner:
            return True
        if isinstance(receiver, cst.Call):
            return isinstance(receiver.func, cst.Name) and receiver.func.value in _CLASS_GETTERS
        if isinstance(receiver, cst.Attribute) and receiver.attr.value == "__class__":
            return True
        return bool(self.module.qualified_name(receiver) or self.module.tree_class(receiver))

    def _not_a_layer(self, values: list[cst.BaseExpression]) -> bool:
        """Whether some value the receiver is bound to is a known non-layer: an in-tree
        class that is not a Keras class, or a loss, metric, optimizer..."""
        for value in values:
            if not isinstance(value, cst.Call):
                continue
            key = self.module.tree_class(value.func)
            if key is not None and not self.module.index.keras_kind(key):
                return True
            qualified = self.module.qualified_name(value.func)
            canonical = canonical_keras_name(qualified) if qualified else None
            if canonical and canonical.startswith(knowledge.NON_LAYER_CALL_PREFIXES):
                return True
        return False

    @staticmethod
    def _self_assignments(class_def: cst.ClassDef, attribute: str) -> list[cst.BaseExpression]:
        values = []
        for method in syntax.methods(class_def).values():
            owner = syntax.self_name(method)
            for node in syntax.walk(method):
                if isinstance(node, (cst.Assign, cst.AnnAssign)) and node.value is not None:
                    targets = syntax.flatten_targets(syntax.assign_targets(node))
                    if any(syntax.self_attribute(t, owner) == attribute for t in targets):
                        values.append(node.value)
        return values

    @staticmethod
    def _local_assignments(scope: cst.CSTNode, name: str) -> list[cst.BaseExpression]:
        values = []
        for node in syntax.walk_scope(scope):
            if isinstance(node, (cst.Assign, cst.AnnAssign)) and node.value is not None:
                targets = syntax.flatten_targets(syntax.assign_targets(node))
                if any(isinstance(t, cst.Name) and t.value == name for t in targets):
                    values.append(node.value)
        return values
