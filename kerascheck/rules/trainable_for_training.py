"""KC203: `trainable` where `training` is meant (or the other way round).

`trainable` is a property of a layer (are its weights updated by the optimizer?), set in
the constructor or with `layer.trainable = False`. `training` is an argument of a call
(dropout and BatchNormalization in training or inference mode). They are easy to mix up.
Measured on Keras 3.15 and tf_keras 2.21 (tests/affects_cases.py): `layer(x,
trainable=False)` raises TypeError on a layer or a subclassed model on both; a Sequential
or functional model raises TypeError on Keras 2, and on Keras 3 when called on a
keras.Input, but silently ignores it when called on data (the weights stay trainable);
`Dense(3, trainable=training)` raises when `training` is None; `training=self.trainable`
runs the layer in training mode at inference, and a call() parameter named `trainable`
is never set by fit(), on both.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, effect, everywhere, said
from kerascheck.rules.support import training_flag
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.file_state import code_of
from kerascheck.semantic.names import canonical_keras_name, cst_dotted

_FACTORY_NAMES = frozenset(name for name in knowledge.LAYER_FACTORIES if not name.endswith("."))
_FACTORY_PREFIXES = tuple(name for name in knowledge.LAYER_FACTORIES if name.endswith("."))
_TRAINING_FLAGS = frozenset({"training", "is_training"})
_TYPE_ERROR = "the call raises TypeError (unexpected keyword argument 'trainable')"
# The same as the message's headline: the call fails.
_RAISES = said("the call raises TypeError", "(unexpected keyword argument 'trainable')", " ")
# A layer run in training mode where it should not be, with what that means.
_IN_TRAINING = "the layer then runs in training mode"
_TRAINING_MODE = "(Dropout active, batch statistics)"
# Model classes whose call() ignores unknown keywords on Keras 3 when run on data.
_CONTAINER_MODELS = frozenset({"keras.Model", "keras.models.Model", "keras.Sequential", "keras.models.Sequential"})


class TrainableForTraining(Rule):
    code = "KC203"
    name = "trainable-for-training"
    severity = Severity.ERROR
    summary = "trainable= used as a call argument, or trainable and training fed from each other."
    fix_safety = ('unsafe',)
    affects = "Keras 2 and Keras 3"
    effects = {
        # A layer, or a model with a call() of its own (a subclassed Model).
        "call-kwarg-layer": everywhere(_RAISES),
        # A Sequential or functional model (keras.Model(inputs, outputs)).
        "call-kwarg-model": effect(
            keras3=said(
                "TypeError on a keras.Input, ignored on data",
                f"{_TYPE_ERROR} when the model is called on a keras.Input, and it is silently ignored "
                "when the model is called on data (the weights stay trainable)",
            ),
            keras2=_RAISES,
        ),
        # A callee the source does not show the kind of (`model.layers[0]`, a loaded model).
        "call-kwarg-unknown": effect(
            keras3=said(
                "TypeError, or ignored by a model called on data",
                f"{_TYPE_ERROR} on a layer, or on a model called on a keras.Input, and a Sequential or "
                "functional model called on data silently ignores it (the weights stay trainable)",
            ),
            keras2=_RAISES,
        ),
        "trainable-from-training": everywhere(
            said("a call with the training flag unset (None) raises", "(\"Expected `trainable` to be a boolean\")", " ")
        ),
        "call-param-named-trainable": everywhere(
            "fit(), evaluate() and predict() set `training` instead, so it always keeps its default"
        ),
        "training-from-self-trainable": everywhere(
            said(_IN_TRAINING, f"{_TRAINING_MODE} at inference, in predict()", " ")
        ),
        # The same written while building a functional model (outside any class): Keras 3
        # hands the outer call's training flag through the graph, so only a plain call of
        # the model is affected; Keras 2 keeps the flag baked in.
        "training-from-trainable-in-graph": effect(
            keras3=said(
                "a plain model(x) call runs the layer in training mode",
                f"{_TRAINING_MODE}; predict() and evaluate() pass training=False through and are not affected",
                " ",
            ),
            keras2=said(
                _IN_TRAINING, f"{_TRAINING_MODE} at inference, in predict(), evaluate() and a plain model(x) call", " "
            ),
        ),
    }

    def __init__(self, context):
        super().__init__(context)
        self._layer_attributes: dict[int, dict[str, str]] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value != "call" or self.context.in_method("call") is None:
            return
        param = syntax.find_param(node, "trainable")
        consequence = self.consequence("call-param-named-trainable")
        if param is not None and consequence:
            self.report(
                param,
                f"call() parameter `trainable`: {consequence}",
                help="Keras passes `training` to call(), never `trainable`: rename it to training=None",
            )

    def visit_Call(self, node: cst.Call) -> None:
        trainable = syntax.keyword(node, "trainable")
        if trainable is not None:
            flag = _flag_name(trainable.value, _TRAINING_FLAGS)
            kind = self._callee_kind(node)
            if kind is not None:
                situation = f"call-kwarg-{kind}"
                consequence = self.consequence(situation, short=True)
                if consequence:
                    self.report(
                        trainable,
                        f"`trainable={code_of(trainable.value)}` is not an argument of a layer call: {consequence}",
                        fix=_as_training(node, trainable),
                        help=f"{self.consequence(situation)}; freeze with `layer.trainable = False`, or pass "
                        "training= for the training or inference mode",
                    )
            elif flag is not None and self._makes_layer(node):
                consequence = self.consequence("trainable-from-training", short=True)
                if consequence:
                    self.report(
                        trainable,
                        f"trainable= is fed from `{flag}`: {consequence}",
                        help=f"{self.consequence('trainable-from-training')}; trainable freezes the weights, "
                        "training selects training or inference behaviour: pass training= to the layer call "
                        "and set trainable once, on the layer",
                    )
        training = syntax.keyword(node, "training")
        if training is not None:
            flag = _flag_name(training.value, None)
            in_graph = not any(isinstance(node, cst.ClassDef) for node in self.context.ancestors)
            situation = "training-from-trainable-in-graph" if in_graph else "training-from-self-trainable"
            consequence = self.consequence(situation, short=True)
            if flag is not None and consequence:
                self.report(
                    training,
                    f"training= is fed from `{flag}`: {consequence}",
                    help=f"{self.consequence(situation)}; `{flag}` says whether weights are updated, not "
                    "whether the model is training: pass the training flag of the surrounding call instead",
                )

    # ---- is the callee a layer or model instance (not a class being constructed)? ----
    def _callee_kind(self, call: cst.Call) -> Optional[str]:
        """What the call calls: "layer" (a layer, or a model with its own call()), "model"
        (a Sequential or functional model), "unknown" (a layer or model of unknown kind),
        or None when it is not a layer or model instance."""
        func = call.func
        if isinstance(func, cst.Call):  # `Dense(3)(x, trainable=False)`, `m.get_layer("a")(x, ...)`
            return self._kind_made(func)
        if isinstance(func, cst.Subscript):  # `model.layers[0](x, trainable=False)`
            value = func.value
            if isinstance(value, cst.Attribute) and value.attr.value in knowledge.LAYER_ACCESSORS:
                return "unknown"
            return None
        found = training_flag.enclosing_keras_method(self.context)
        if found is not None:
            attribute = syntax.self_attribute(func, syntax.self_name(found[1]))
            if attribute is not None:
                return self._layers_on_self(found[0].node).get(attribute)
        if isinstance(func, cst.Name):
            return self._name_bound_to_layer(func.value)
        return None

    def _kind_made(self, call: cst.Call) -> Optional[str]:
        """The kind (see `_callee_kind`) of what `call` returns, if a layer or model."""
        if not self._makes_layer(call):
            return None
        if syntax.method_call_name(call) in knowledge.LAYER_ACCESSORS:
            return "unknown"
        key = self.module.tree_keras_class(call.func)
        if key is not None:
            return "layer" if self.module.index.defines_in_ancestry(key, "call") else "unknown"
        if self.module.builtin_layer(call.func):
            return "layer"
        qualified = self.module.qualified_name(call.func)
        names = {qualified, canonical_keras_name(qualified) if qualified else None} - {None}
        if names & _CONTAINER_MODELS or any(name.startswith("keras.applications.") for name in names):
            return "model"
        if any(name.rpartition(".")[0] == "keras.layers" for name in names):
            return "layer"
        return "unknown"

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

    def _layers_on_self(self, class_def: cst.ClassDef) -> dict[str, str]:
        """Attributes that some method of the class sets to a layer (`self.dense = Dense(4)`),
        with the kind of that layer ("unknown" when given several kinds)."""
        cached = self._layer_attributes.get(id(class_def))
        if cached is not None:
            return cached
        found: dict[str, str] = {}
        for method in syntax.methods(class_def).values():
            owner = syntax.self_name(method)
            for node in syntax.walk(method):
                kind = self._value_kind(node.value) if isinstance(node, (cst.Assign, cst.AnnAssign)) else None
                if kind is None:
                    continue
                for target in syntax.flatten_targets(syntax.assign_targets(node)):
                    attribute = syntax.self_attribute(target, owner)
                    if attribute is not None:
                        found[attribute] = kind if found.get(attribute, kind) == kind else "unknown"
        self._layer_attributes[id(class_def)] = found
        return found

    def _name_bound_to_layer(self, name: str) -> Optional[str]:
        """The kind of layer the function (or module) around the call binds `name` to:
        `base = keras.applications.ResNet50(...)`, `for layer in model.layers:`."""
        scope = self.context.enclosing(cst.FunctionDef) or self.context.ancestors[0]
        kinds = set()
        for node in syntax.walk_scope(scope):
            if isinstance(node, (cst.Assign, cst.AnnAssign)):
                kind = self._value_kind(node.value)
                targets = syntax.flatten_targets(syntax.assign_targets(node))
                if kind and any(isinstance(t, cst.Name) and t.value == name for t in targets):
                    kinds.add(kind)
            elif isinstance(node, cst.For) and isinstance(node.target, cst.Name) and node.target.value == name:
                iterated = node.iter
                if isinstance(iterated, cst.Attribute) and iterated.attr.value in knowledge.LAYER_ACCESSORS:
                    kinds.add("unknown")
        if not kinds:
            return None
        return kinds.pop() if len(kinds) == 1 else "unknown"

    def _value_kind(self, value: Optional[cst.BaseExpression]) -> Optional[str]:
        if isinstance(value, cst.Subscript):  # `layer = model.layers[-1]`
            held = value.value
            if isinstance(held, cst.Attribute) and held.attr.value in knowledge.LAYER_ACCESSORS:
                return "unknown"
            return None
        return self._kind_made(value) if isinstance(value, cst.Call) else None


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
