"""KC206: a Keras class that overrides `__call__` instead of defining `call`.

Keras puts its machinery in `Layer.__call__` (build on the first input, `training` and
`mask` propagation, autocasting, functional-graph recording) and runs the user's
computation in `call`. A class whose `__call__` does the computation never enters that
machinery. Measured on Keras 3.15 and tf_keras 2.21 (tests/affects_cases.py): the model
stays unbuilt after a call on both; on Keras 3 `fit` runs it with `training` unset and a
.keras save holds no weights; on Keras 2 `fit` raises TypeError when `__call__` takes no
`training`, and load_model fails ("expected 0 variables").
"""
from __future__ import annotations

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, effect, said
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.module import KerasClass
from kerascheck.semantic.names import resolves_to
from kerascheck.semantic.project import External


_KERAS3 = said(
    "fit() runs it with `training` unset",
    "(Dropout and BatchNormalization never train), `built` stays False after a call, and a .keras save "
    "holds no weights (the reloaded model computes something else)",
    " ",
)
# What fit() does on Keras 2 to a __call__ that takes no `training` (it passes one).
_KERAS2_FIT = "fit() raises TypeError"


class CallDunderOverridden(Rule):
    code = "KC206"
    name = "call-dunder-overridden"
    severity = Severity.ERROR
    summary = "Keras class defines __call__ and no call: Keras's build/training machinery never runs."
    affects = "Keras 2 and Keras 3"
    effects = {
        "no-training": effect(
            keras3=_KERAS3,
            keras2=said(
                _KERAS2_FIT,
                "(unexpected keyword argument 'training'), `built` stays False after a call, and load_model "
                "fails (\"expected 0 variables\")",
                " ",
            ),
            keras2_old=said(
                _KERAS2_FIT, "(unexpected keyword argument 'training') and `built` stays False after a call", " "
            ),
        ),
        "takes-training": effect(
            keras3=_KERAS3,
            keras2=said("`built` stays False after a call, and load_model fails", "(\"expected 0 variables\")", " "),
            keras2_old="`built` stays False after a call",
        ),
    }

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        keras_class = self.module.keras_class(node)
        if keras_class is None:
            return
        dunder = syntax.methods(node).get("__call__")
        if dunder is None or self._has_call(keras_class) or _delegates(dunder) or _is_metric(dunder):
            return
        situation = "takes-training" if _takes_training(dunder) else "no-training"
        consequence = self.consequence(situation, short=True)
        if consequence is None:
            return
        what = "model" if keras_class.is_model else "layer"
        self.report(
            dunder.name,
            f"Keras {what} overrides __call__ and defines no call(): {consequence}",
            help=f"Keras's own __call__ (build, training and mask propagation) never runs: "
            f"{self.consequence(situation)}; rename the method to call()",
        )

    def _has_call(self, keras_class: KerasClass) -> bool:
        """Whether the class runs a `call`: its own or an in-tree ancestor's, a built-in
        layer's (`class Mine(Dense)`), or Sequential/Functional's."""
        index = self.module.index
        key = keras_class.key
        if index.defines_in_ancestry(key, "call") or index.builtin_ancestors(key):
            return True
        for current in (key, *index.tree_ancestors(key)):
            for target in index.base_targets(current):
                if isinstance(target, External) and resolves_to(
                    target.qualified, knowledge.MODEL_BASES_WITH_CALL
                ):
                    return True
        return False


def _is_metric(dunder: cst.FunctionDef) -> bool:
    """A Keras 2.2-style stateful metric: `__call__(self, y_true, y_pred)`, called by
    compile(metrics=...), never as a layer of a model."""
    return syntax.param_names(dunder)[1:3] == list(knowledge.METRIC_CALL_PARAMETERS)


def _takes_training(dunder: cst.FunctionDef) -> bool:
    """Whether `__call__` accepts the `training=` keyword fit() passes on Keras 2."""
    params = dunder.params
    return "training" in syntax.param_names(dunder) or isinstance(params.star_kwarg, cst.Param)


def _delegates(dunder: cst.FunctionDef) -> bool:
    """Whether `__call__` hands over to the parent's: `super().__call__(...)` or
    `keras.layers.Layer.__call__(self, ...)`."""
    owner = syntax.self_name(dunder)
    for node in syntax.walk(dunder):
        if not isinstance(node, cst.Call):
            continue
        if syntax.is_super_call(node, "__call__"):
            return True
        if syntax.method_call_name(node) == "__call__":
            first = syntax.positional(node)[:1]
            if first and isinstance(first[0].value, cst.Name) and first[0].value.value == owner:
                return True
    return False
