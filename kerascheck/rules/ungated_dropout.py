"""KC201: a raw dropout op in `call()` that runs whatever `training` says.

`tf.nn.dropout` / `keras.random.dropout` / `K.dropout` drop units every time they run;
only the `Dropout` layer checks the training flag itself. Applied in `call()` without a
training test, the op is active in `model.predict()` too (measured on Keras 3 and
tf_keras, see `effects`).
"""
from __future__ import annotations

import re

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, everywhere
from kerascheck.rules.support import training_flag
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.names import cst_dotted, resolves_to


# Monte Carlo dropout: a layer that is meant to drop units at inference says so in its
# name or docstrings ("MCDropout", "enabled during training and inference", deepchem's
# SwitchedDropout: "we sometimes need to do it during prediction", for uncertainty).
_ON_PURPOSE_NAME = re.compile(r"[Mm]onte_?[Cc]arlo|(^|_)MC[A-Z_]|Permanent|Always")
_ON_PURPOSE_DOC = re.compile(
    r"monte[- ]?carlo|\bmc[- ]dropout|training and (inference|serving|test)|at (inference|test) time too"
    r"|(during|at) (prediction|inference)( time)?\b|uncertainty",
    re.I,
)


class UngatedDropout(Rule):
    code = "KC201"
    name = "ungated-dropout"
    severity = Severity.ERROR
    summary = "Raw dropout op in call() with no training test: it also drops units at inference."
    affects = "Keras 2 and Keras 3, the same on both"
    effects = {"tf-nn-dropout-in-predict": everywhere("it also drops units in model.predict()")}

    def visit_Call(self, node: cst.Call) -> None:
        if not resolves_to(self.module.qualified_name(node.func), knowledge.RAW_DROPOUT_FUNCTIONS):
            return
        found = training_flag.enclosing_keras_method(self.context)
        if found is None or found[1].name.value != "call":
            return
        method = found[1]
        names = training_flag.training_names(method)
        if training_flag.under_training_test(self.context, names):
            return
        # The training flag in the op's own arguments: `rate=self.rate if training else 0.0`.
        if any(training_flag.mentions_training(arg.value, names) for arg in node.args):
            return
        if self._result_picked_by_training(node, method, names):
            return
        if _dropout_on_purpose(found[0].node):
            return
        consequence = self.consequence("tf-nn-dropout-in-predict", short=True)
        if consequence is None:
            return
        op = cst_dotted(node.func) or "dropout"
        self.report(
            node,
            f"{op}() in call() is not gated on `training`: {consequence}",
            help="apply it only under `if training:`, or use a keras.layers.Dropout layer, which checks "
            "the training flag itself",
        )

    def _result_picked_by_training(self, node, method, names) -> bool:
        """`dropped = tf.nn.dropout(x, r)` followed by `K.in_train_phase(dropped, x)` or
        `dropped if training else x`: the op runs, but its result is only used in training."""
        statement = self.context.enclosing(cst.BaseSmallStatement)
        if not isinstance(statement, cst.Assign) or statement.value is not node:
            return False
        scope = self.context.enclosing(cst.FunctionDef) or method
        for target in syntax.flatten_targets(syntax.assign_targets(statement)):
            if isinstance(target, cst.Name) and training_flag.name_used_under_training_test(
                self.module, scope, target.value, names
            ):
                return True
        return False


def _dropout_on_purpose(class_def: cst.ClassDef) -> bool:
    """Whether the class says it drops units at inference on purpose (MC dropout)."""
    if _ON_PURPOSE_NAME.search(class_def.name.value):
        return True
    docs = [class_def.get_docstring()]
    docs += [method.get_docstring() for method in syntax.methods(class_def).values()]
    return any(doc and _ON_PURPOSE_DOC.search(doc) for doc in docs)
