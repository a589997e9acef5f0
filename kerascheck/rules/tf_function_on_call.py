"""KC212: `@tf.function` on the `call()` of a layer or model whose sub-layers build inside it.

Keras 3 builds a sub-layer (creates its weights) the first time it is called. When the
outer `call()` is a `tf.function` and that first call happens while TensorFlow traces
it, Keras 3 cannot differentiate through the weights made there: `fit()` raises
"ValueError: No gradients provided for any variable", and a GradientTape gets None
gradients. tf_keras 2.21 trains the same code. Measured on Keras 3.15.1
(tests/affects_cases.py), the trace builds the sub-layers:

- of a Model that defines no `build()`: Keras 3 builds it by running call() (a Model
  that defines one, even one that only creates the sub-layers, trains);
- of a Layer inside a functional model, which runs call() symbolically to build the
  model, unless its `build()` builds them (`self.dense.build(input_shape)`).

A class that calls itself in `__init__` (`self(tf.zeros(...))`) is built eagerly first,
and later traces train. Weights of its own (`add_weight` in `build()`) are made before
call() on both Kerases. The decorator itself, which the Keras 3 migration guide
recommends for autograph, is fine on a layer without weight-owning sub-layers.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, effect, said
from kerascheck.rules.support import sublayers
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.names import resolves_to


class TfFunctionOnCall(Rule):
    code = "KC212"
    name = "tf-function-on-call"
    severity = Severity.ERROR
    summary = "@tf.function on call() of a class whose sub-layers build in it: Keras 3 fit() finds no gradients."
    affects = "Keras 3 (tf_keras 2 trains the same code)"
    effects = {
        "sublayers-built-in-trace": effect(
            keras3=said(
                "fit() finds no gradients",
                "the sub-layers create their weights inside the traced call, which Keras 3 cannot "
                "differentiate, so fit() raises ValueError (No gradients provided for any variable) and a "
                "GradientTape gets None gradients",
            ),
            keras2=None,
        ),
    }

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value != "call":
            return
        decorator = self._tf_function(node)
        if decorator is None:
            return
        ancestors = self.context.ancestors
        class_def = ancestors[-3] if len(ancestors) >= 3 else None  # the method's class: node, body, class
        if type(class_def) is not cst.ClassDef:
            return
        keras_class = self.module.keras_class(class_def)
        if keras_class is None:
            return
        unbuilt = self._unbuilt_sublayers(keras_class)
        if not unbuilt:
            return
        consequence = self.consequence("sublayers-built-in-trace", short=True)
        if consequence is None:
            return
        shown = ", ".join(f"`self.{name}`" for name in unbuilt[:3]) + (", ..." if len(unbuilt) > 3 else "")
        self.report(
            decorator,
            f"@tf.function on `{class_def.name.value}.call()`, which builds {shown} in the trace: {consequence}",
            help=f"{self.consequence('sublayers-built-in-trace')}; build them in build() "
            f"(`self.{unbuilt[0]}.build(input_shape)`), or drop the decorator",
        )

    def _tf_function(self, function: cst.FunctionDef) -> Optional[cst.Decorator]:
        """The `@tf.function` / `@tf.function(...)` decorator of `function`, or None."""
        for decorator in function.decorators:
            expression = decorator.decorator
            target = expression.func if isinstance(expression, cst.Call) else expression
            if resolves_to(self.module.qualified_name(target), knowledge.TF_FUNCTION):
                return decorator
        return None

    def _unbuilt_sublayers(self, keras_class) -> list[str]:
        """The class's `self` attributes holding a weight-owning layer (built-in, in-tree,
        or inside a Sequential or list) that the trace of call() builds, in order: none for
        a Model that defines `build()`; for a Layer, those its `__init__`/`build()` do not
        build."""
        class_def = keras_class.node
        index = self.module.index
        if keras_class.is_model and (
            index.defines_in_ancestry(keras_class.key, "build") or _builtin_base(index, keras_class.key)
        ):
            return []
        built = _built_outside_call(class_def)
        if built is None:
            return []
        found = []
        for attribute, values in syntax.self_attribute_values(class_def).items():
            if attribute in built:
                continue
            for value in values:
                owns = any(
                    layer in knowledge.WEIGHT_OWNING_LAYERS if isinstance(layer, str) else index.owns_weights(layer)
                    for layer, _ in sublayers.layers_constructed(self.module, value)
                )
                if owns:
                    found.append(attribute)
                    break
        return found


# The methods that run before the first call(): what they build is built outside the trace.
_BUILDING_METHODS = ("__init__", "build")


def _built_outside_call(class_def: cst.ClassDef) -> Optional[set[str]]:
    """The `self` attributes that `__init__` or `build()` builds: `self.x.build(...)`, or
    calls (`self.x(...)`: Layer.__call__ builds it); None (all of them) when the class calls
    itself there (`self(tf.zeros(...))`: the first, eager call builds everything, and
    later traces are differentiable, measured). A helper that call() runs builds inside
    the trace, like call() itself."""
    found = set()
    methods = syntax.methods(class_def)
    for method in (methods[name] for name in _BUILDING_METHODS if name in methods):
        owner = syntax.self_name(method)
        aliases = sublayers.sublayer_aliases(method, owner)
        for node in syntax.walk(method):
            if not isinstance(node, cst.Call):
                continue
            func = node.func
            if isinstance(func, cst.Name) and func.value == owner:
                return None  # `self(...)`: the class builds itself before any training
            if isinstance(func, cst.Attribute) and func.attr.value == "build":
                attribute = syntax.self_attribute(func.value, owner)
                if attribute is not None:
                    found.add(attribute)
            else:
                attribute = sublayers.sublayer_called(node, owner, aliases)
                if attribute is not None:
                    found.add(attribute)
    return found


def _builtin_base(index, key) -> bool:
    """Whether the class derives from a built-in Keras class with its own build() (a
    `Sequential` subclass, a `Dense` subclass), not only from Layer/Model."""
    return bool(index.builtin_ancestors(key)) or any(
        resolves_to(qualified, knowledge.SEQUENTIAL_CLASSES) for qualified in index.external_ancestors(key)
    )
