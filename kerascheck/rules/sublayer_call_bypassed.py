"""KC204: `self.sublayer.call(...)` instead of `self.sublayer(...)`.

`Layer.__call__` is where Keras builds the layer, fills in `training` and `mask` from the
call context, autocasts inputs under mixed precision and records the call for the
functional graph. Calling `.call()` directly skips all of that. Measured on Keras 3.15
and tf_keras 2.21 (tests/affects_cases.py): a Dropout called this way drops nothing, even
in training, on both; a sub-layer with weights that nothing else builds fails on both;
a Dense built elsewhere and given the training flag (`self.stem.call(x, training)`) works
on Keras 3 (also under mixed_float16) but raises TypeError on Keras 2, whose Dense.call()
takes no `training`. A built sub-layer called without the flag was not found to break
anything, and is not reported.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, effect, everywhere, said
from kerascheck.rules.support import sublayers, training_flag
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.names import canonical_keras_name, cst_dotted

# Callees whose result names a class, not an instance: `type(self).call(self, x)`.
_CLASS_GETTERS = frozenset({"super", "type"})


class SublayerCallBypassed(Rule):
    code = "KC204"
    name = "sublayer-call-bypassed"
    severity = Severity.WARNING
    summary = "sublayer.call(...) skips Layer.__call__: no build, no training/mask propagation."
    fix_safety = ('unsafe',)
    affects = "Keras 2 and Keras 3"
    effects = {
        # A training-sensitive sub-layer, or one of unknown kind, called without `training`.
        "training-lost": everywhere(
            said(
                "a Dropout or BatchNormalization reached this way gets no training flag",
                "so it runs in inference mode even in fit() (a Dropout drops nothing)",
                ", ",
            )
        ),
        # A sub-layer with weights that nothing builds (no `.build(...)`, no normal call).
        "never-built": everywhere(
            "nothing builds the sub-layer, so the call fails: its weights do not exist"
        ),
        # `training` handed to a built-in layer whose call() takes it on Keras 3 only.
        "extra-training-arg": effect(
            keras3=None,
            keras2=said(
                "the layer's call() takes no `training` there, so it raises TypeError",
                "(\"Dense.call() takes 2 positional arguments but 3 were given\")",
                " ",
            ),
        ),
    }

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
            values = self._self_assignments(keras_class.node, attribute)
        elif isinstance(receiver, cst.Name):
            values = self._local_assignments(self.context.enclosing(cst.FunctionDef) or method, receiver.value)
        else:
            values = []
        if self._not_a_layer(values):
            return
        situation = self._situation(node, values, keras_class.node, attribute, owner)
        consequence = self.consequence(situation, short=True) if situation else None
        if consequence is None:
            return
        dotted = cst_dotted(receiver)
        shown = f"`{dotted}(...)`" if dotted else "the sub-layer"
        self.report(
            func,
            f"`{dotted or ''}.call(...)` skips Layer.__call__: {consequence}",
            help=f"{self.consequence(situation)}; call {shown} instead: Layer.__call__ builds the sub-layer, "
            "passes it the training flag and masks, and autocasts its inputs",
            # Unsafe: the sub-layer now gets built, the training flag, masks, autocasting.
            fix=Fix.replace(func, receiver, safe=False, description=f"call {dotted or 'the sub-layer'}(...) instead"),
        )

    def _situation(self, call, values, class_def, attribute, owner) -> Optional[str]:
        """Which measured situation `receiver.call(...)` is in (a key of `effects`), or None
        when nothing is known to break (a built sub-layer called without `training`)."""
        names_training = len(syntax.positional(call)) > 1 or syntax.keyword(call, "training") is not None
        # `.call(x, **kwargs)` may carry the flag (Keras 2.0's own Bidirectional did so).
        passes_training = names_training or any(arg.star == "**" for arg in call.args)
        layers = {
            layer for value in values for layer, made in sublayers.layers_constructed(self.module, value)
            if made is value
        }
        if len(layers) != 1:  # unknown kind
            # Built by hand with `self.x.build(...)`, then `.call()`ed: the Keras 2.0
            # wrapper style, where no training-sensitive layer is known to be reached.
            if passes_training or (
                attribute is not None and self._built_elsewhere(class_def, attribute, by_normal_call=False)
            ):
                return None
            return "training-lost"
        layer = layers.pop()
        index = self.module.index
        if isinstance(layer, str):
            owns = layer in knowledge.WEIGHT_OWNING_LAYERS
        else:
            owns = index.owns_weights(layer)
        if owns and not (attribute is not None and self._built_elsewhere(class_def, attribute)):
            return "never-built"
        if not passes_training:
            return "training-lost" if sublayers.training_sensitive_label(index, layer) else None
        if names_training and isinstance(layer, str) and layer in knowledge.TRAINING_ARG_KERAS3_ONLY:
            return "extra-training-arg"
        return None

    @staticmethod
    def _built_elsewhere(class_def: cst.ClassDef, attribute: str, by_normal_call: bool = True) -> bool:
        """Whether some method of the class builds `self.<attribute>`: `self.x.build(...)`,
        or (`by_normal_call`) a normal call `self.x(...)` (Layer.__call__ builds it)."""
        for method in syntax.methods(class_def).values():
            owner = syntax.self_name(method)
            aliases = sublayers.sublayer_aliases(method, owner) if by_normal_call else None
            for node in syntax.walk(method):
                if not isinstance(node, cst.Call):
                    continue
                func = node.func
                if isinstance(func, cst.Attribute) and func.attr.value == "build":
                    if syntax.self_attribute(func.value, owner) == attribute:
                        return True
                elif by_normal_call and sublayers.sublayer_called(node, owner, aliases) == attribute:
                    return True
        return False

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
