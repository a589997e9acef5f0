"""KC203: `trainable` where `training` is meant (or the other way round).

`trainable` is a property of a layer (are its weights updated by the optimizer?), set in
the constructor or with `layer.trainable = False`. `training` is an argument of a call
(dropout and BatchNormalization in training or inference mode). They are easy to mix up:
`base_model(x, trainable=False)` raises on Keras 3 and is silently ignored by a
Sequential; `training=self.trainable` runs the layer in training mode at inference.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule
from kerascheck.rules.support import syntax, training_flag
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import canonical_keras_name, cst_dotted

_FACTORY_NAMES = frozenset(name for name in knowledge.LAYER_FACTORIES if not name.endswith("."))
_FACTORY_PREFIXES = tuple(name for name in knowledge.LAYER_FACTORIES if name.endswith("."))
_TRAINING_FLAGS = frozenset({"training", "is_training"})


class TrainableForTraining(Rule):
    code = "KC203"
    name = "trainable-for-training"
    severity = Severity.ERROR
    summary = "trainable= used as a call argument, or trainable and training fed from each other."
    fix_safety = ('unsafe',)

    def __init__(self, context):
        super().__init__(context)
        self._layer_attributes: dict[int, frozenset[str]] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value != "call" or self.context.in_method("call") is None:
            return
        param = syntax.find_param(node, "trainable")
        if param is not None:
            self.report(
                param,
                "call() takes `trainable`, which Keras never passes: fit(), evaluate() and "
                "predict() set `training`, so this parameter always keeps its default; "
                "rename it to training=None",
            )

    def visit_Call(self, node: cst.Call) -> None:
        trainable = syntax.keyword(node, "trainable")
        if trainable is not None:
            flag = _flag_name(trainable.value, _TRAINING_FLAGS)
            if flag is not None:
                self.report(
                    trainable,
                    f"trainable= is fed from `{flag}`: trainable freezes the weights, training "
                    "selects training or inference behaviour; pass training= to the layer call "
                    "and set trainable once, on the layer",
                    fix=_as_training(node, trainable) if self._calls_a_layer(node) else None,
                )
            elif self._calls_a_layer(node):
                self.report(
                    trainable,
                    "trainable= is not an argument of a layer call: Keras 3 raises TypeError "
                    "(unexpected keyword argument 'trainable') and a Sequential model silently "
                    "ignores it; freeze with `layer.trainable = False`, or pass training=False "
                    "for inference mode",
                    fix=_as_training(node, trainable),
                )
        training = syntax.keyword(node, "training")
        if training is not None:
            flag = _flag_name(training.value, None)
            if flag is not None:
                self.report(
                    training,
                    f"training= is fed from `{flag}`, which says whether weights are updated, "
                    "not whether the model is training: the layer then runs in training mode "
                    "(dropout, batch statistics) at inference; pass the training flag of the "
                    "surrounding call instead",
                )

    # ---- is the callee a layer or model instance (not a class being constructed)? ----
    def _calls_a_layer(self, call: cst.Call) -> bool:
        func = call.func
        if isinstance(func, cst.Call):  # `Dense(3)(x, trainable=False)`, `m.get_layer("a")(x, ...)`
            return self._makes_layer(func)
        if isinstance(func, cst.Subscript):  # `model.layers[0](x, trainable=False)`
            value = func.value
            return isinstance(value, cst.Attribute) and value.attr.value in knowledge.LAYER_ACCESSORS
        found = training_flag.enclosing_keras_method(self.context)
        if found is not None:
            attribute = syntax.self_attribute(func, syntax.self_name(found[1]))
            if attribute is not None:
                return attribute in self._layers_on_self(found[0].node)
        if isinstance(func, cst.Name):
            return self._name_bound_to_layer(func.value)
        return False

    def _makes_layer(self, call: cst.Call) -> bool:
        """Whether `call` returns a layer or model: a layer class, a Model/Sequential,
        `load_model`, `keras.applications.*`, a preset loader, `model.get_layer(...)`."""
        if syntax.method_call_name(call) in knowledge.LAYER_ACCESSORS:
            return True
        if self.module.builtin_layer(call.func) or self.module.tree_keras_class(call.func):
            return True
        qualified = self.module.qualified_name(call.func)
        if qualified is None:
            return False
        for name in {qualified, canonical_keras_name(qualified)} - {None}:
            if name in _FACTORY_NAMES or name.startswith(_FACTORY_PREFIXES):
                return True
            module, _, last = name.rpartition(".")
            if module == "keras.layers" and last[:1].isupper():
                return True
        return False

    def _layers_on_self(self, class_def: cst.ClassDef) -> frozenset[str]:
        """Attributes that some method of the class sets to a layer (`self.dense = Dense(4)`)."""
        cached = self._layer_attributes.get(id(class_def))
        if cached is not None:
            return cached
        found = set()
        for method in syntax.methods(class_def).values():
            owner = syntax.self_name(method)
            for node in syntax.walk(method):
                if isinstance(node, (cst.Assign, cst.AnnAssign)) and self._is_layer_value(node.value):
                    for target in syntax.flatten_targets(syntax.assign_targets(node)):
                        attribute = syntax.self_attribute(target, owner)
                        if attribute is not None:
                            found.add(attribute)
        result = frozenset(found)
        self._layer_attributes[id(class_def)] = result
        return result

    def _name_bound_to_layer(self, name: str) -> bool:
        """Whether the function (or module) around the call binds `name` to a layer:
        `base = keras.applications.ResNet50(...)`, `for layer in model.layers:`."""
        scope = self.context.enclosing(cst.FunctionDef) or self.context.ancestors[0]
        for node in syntax.walk_scope(scope):
            if isinstance(node, (cst.Assign, cst.AnnAssign)) and self._is_layer_value(node.value):
                targets = syntax.flatten_targets(syntax.assign_targets(node))
                if any(isinstance(t, cst.Name) and t.value == name for t in targets):
                    return True
            elif isinstance(node, cst.For) and isinstance(node.target, cst.Name) and node.target.value == name:
                iterated = node.iter
                if isinstance(iterated, cst.Attribute) and iterated.attr.value in knowledge.LAYER_ACCESSORS:
                    return True
        return False

    def _is_layer_value(self, value: Optional[cst.BaseExpression]) -> bool:
        return isinstance(value, cst.Call) and self._makes_layer(value)


def _as_training(call: cst.Call, trainable: cst.Arg) -> Optional[Fix]:
    """`layer(x, trainable=False)` -> `layer(x, training=False)`. Unsafe: the call now runs
    in that mode (the weights were never frozen by it: Keras 2 ignored it)."""
    if syntax.keyword(call, "training") is not None:
        return None
    return Fix.replace(trainable.keyword, cst.Name("training"), safe=False, description="pass training= instead")


def _flag_name(value: cst.BaseExpression, wanted: Optional[frozenset]) -> Optional[str]:
    """The dotted name `value` reads (through `not`) when its last part is in `wanted`, or
    contains `trainable` when `wanted` is None."""
    while isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Not):
        value = value.expression
    dotted = cst_dotted(value)
    if dotted is None:
        return None
    last = dotted.rpartition(".")[2]
    if wanted is None:
        return dotted if "trainable" in last.lower() else None
    return dotted if last in wanted else None
