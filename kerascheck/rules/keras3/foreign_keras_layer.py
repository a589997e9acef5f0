"""KC512 (foreign-keras-layer): a layer of one Keras put into a model of another."""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.file_state import SEQUENTIAL, SHIM, STANDALONE, code_of, flavor
from kerascheck.semantic.names import keras_class_name

@matcher("foreign_layer")
class ForeignLayer(Matcher):
    """KC512: a layer of another Keras put into a Keras 3 model: `hub.KerasLayer(...)` or a
    `tf_keras.layers.X(...)` inside `keras.Sequential([...])`, passed to `.add(...)` of a
    Keras 3 Sequential, or called on a `keras.Input`; a Keras 3 layer into a tf_keras model."""

    def _model_keras(self, call: cst.Call) -> Optional[str]:
        """Which Keras a Sequential/Model call or receiver belongs to: "3", "2" or None."""
        qualified = self.state.qualified(call.func) if isinstance(call, cst.Call) else None
        which = flavor(qualified)
        if which == "tf_keras":
            return "2"
        if which in (STANDALONE, SHIM):
            return "3"
        return None

    def _layer_keras(self, node: cst.CSTNode) -> Optional[str]:
        if not isinstance(node, cst.Call):
            return None
        qualified = self.state.qualified(node.func) or ""
        if qualified in ("tensorflow_hub.KerasLayer", "tensorflow_hub.keras_layer.KerasLayer"):
            return "hub"
        which = flavor(qualified)
        if keras_class_name(qualified):
            return "2" if which == "tf_keras" else "3"
        return None

    def _check(self, layer: cst.CSTNode, model_keras: Optional[str], where: str) -> None:
        layer_keras = self._layer_keras(layer)
        if layer_keras is None or model_keras is None:
            return
        if layer_keras == "hub" and model_keras == "3":
            self.flag(layer, self.entry.render(written=code_of(layer.func), kind="hub", hint=where))
        elif layer_keras != "hub" and layer_keras != model_keras:
            self.flag(layer, self.entry.render(written=code_of(layer.func), kind=layer_keras, hint=where))

    def visit_Call(self, node: cst.Call) -> None:
        kind = self.state.call_kind(node)
        if kind == SEQUENTIAL and node.args and isinstance(node.args[0].value, (cst.List, cst.Tuple)):
            model_keras = self._model_keras(node)
            for element in node.args[0].value.elements:
                self._check(element.value, model_keras, "Sequential([...])")
            return
        if syntax.method_call_name(node) == "add" and node.args:
            receiver = node.func.value
            if self.state.kind_of(receiver) == SEQUENTIAL:
                binding = self._binding_call(receiver)
                self._check(node.args[0].value, self._model_keras(binding) if binding is not None else None, ".add(...)")
            return
        if isinstance(node.func, cst.Call) and self._layer_keras(node.func) is not None and node.args:
            value = node.args[0].value
            inputs = self._input_keras(value)
            if inputs is not None:
                self._check(node.func, inputs, "a keras.Input")

    def _binding_call(self, receiver: cst.CSTNode) -> Optional[cst.Call]:
        if not isinstance(receiver, cst.Name):
            return None
        for scope in [n for n in reversed(self.context.ancestors) if isinstance(n, (cst.FunctionDef, cst.Module))]:
            for node in syntax.walk_scope(scope.body if isinstance(scope, cst.FunctionDef) else scope):
                if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call):
                    if any(isinstance(t.target, cst.Name) and t.target.value == receiver.value for t in node.targets):
                        return node.value
        return None

    def _input_keras(self, value: cst.CSTNode) -> Optional[str]:
        if isinstance(value, cst.Call) and self.state.canonical(value.func) in knowledge.INPUT_FUNCTIONS:
            return self._model_keras(value)
        if isinstance(value, cst.Name):
            binding = self._binding_call(value)
            if binding is not None and self.state.canonical(binding.func) in knowledge.INPUT_FUNCTIONS:
                return self._model_keras(binding)
        return None


