"""KC524 (lambda-load-safe-mode): a model with a Lambda layer saved, then loaded without
`safe_mode=False`."""
from __future__ import annotations

import libcst as cst

from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.semantic import syntax
from kerascheck.semantic.file_state import FUNCTIONAL, SEQUENTIAL, code_of

@matcher("lambda_and_load")
class LambdaAndLoad(Matcher):
    """KC524: a model that contains a `Lambda(lambda ...)` layer is saved to a path and
    loaded back from the same path without `safe_mode=`: Keras 3 refuses to deserialize
    the lambda. The chain is followed within the module, in source order: names bound to
    such layers, models built with them (a Sequential listing or `.add`-ing one, a
    functional model built after one was called in the same scope), their `save(path)`,
    and `load_model(path)` / `model_from_json(...)` of that model."""

    _LOADERS = frozenset({"keras.models.load_model", "keras.saving.load_model"})
    _SAVERS = frozenset({"keras.models.save_model", "keras.saving.save_model"})

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        self._layers: set[str] = set()  # names bound to Lambda(lambda ...) layers
        self._called: set[int] = set()  # scopes where such a layer was called since the last model
        self._models: set[str] = set()  # names bound to models that contain one
        self._saved: set[str] = set()  # path expressions those models were saved to
        self._json: set[str] = set()  # names holding their to_json()

    def _scope(self) -> int:
        return id(next(n for n in reversed(self.context.ancestors) if isinstance(n, (cst.FunctionDef, cst.Module))))

    def _lambda_layer(self, node) -> bool:
        if isinstance(node, cst.Name):
            return node.value in self._layers
        if isinstance(node, cst.Call) and self.module.builtin_layer(node.func) == "Lambda":
            function = syntax.keyword(node, "function") or (node.args[0] if node.args else None)
            return function is not None and isinstance(function.value, cst.Lambda)
        return False

    def _has_lambda(self, model: cst.CSTNode) -> bool:
        if isinstance(model, cst.Name):
            return model.value in self._models
        if isinstance(model, cst.Call):
            kind = self.state.call_kind(model)
            if kind == SEQUENTIAL and model.args and isinstance(model.args[0].value, (cst.List, cst.Tuple)):
                return any(self._lambda_layer(e.value) for e in model.args[0].value.elements)
            if kind == FUNCTIONAL:
                return self._scope() in self._called
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
        if self._lambda_layer(value) and isinstance(value, cst.Call):
            self._layers.update(names)
        if isinstance(value, cst.Call) and self.state.call_kind(value) in (SEQUENTIAL, FUNCTIONAL):
            contains = self._has_lambda(value)
            self._called.discard(self._scope())
            for name in names:
                (self._models.add if contains else self._models.discard)(name)
        if isinstance(value, cst.Call) and syntax.method_call_name(value) == "to_json" and self._has_lambda(value.func.value):
            self._json.update(names)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, (cst.Call, cst.Name)) and self._lambda_layer(node.func) and node.args:
            self._called.add(self._scope())  # the layer applied to a tensor
            return
        method = syntax.method_call_name(node)
        if method == "add" and node.args and self._lambda_layer(node.args[0].value) and isinstance(node.func.value, cst.Name):
            self._models.add(node.func.value.value)
            return
        if method == "save" and node.args and self._has_lambda(node.func.value):
            self._saved.add(code_of(node.args[0].value))
            return
        canonical = self.state.canonical(node.func)
        if canonical in self._SAVERS and len(node.args) > 1 and self._has_lambda(node.args[0].value):
            self._saved.add(code_of(node.args[1].value))
            return
        if syntax.keyword(node, "safe_mode") is not None or not node.args:
            return
        first = code_of(node.args[0].value)
        loads = canonical in self._LOADERS and first in self._saved
        loads = loads or (canonical == "keras.models.model_from_json" and first in self._json)
        if loads:
            self.flag(node.func, self.entry.render(written=code_of(node.func)))


