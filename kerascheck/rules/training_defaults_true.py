"""KC202: `call(self, inputs, training=True)`.

Keras passes `training` explicitly only from `fit`/`evaluate`/`predict` and from an
outer call that received it; everywhere else (`layer(x)`, `model(x)` in a custom loop,
serving) the default applies. A default of `True` turns a plain call into a training
call: its dropout is active, and the value propagates to the nested layers through the
call context, so a nested Dropout drops too. `predict()` passes training=False itself and
is not affected (measured on Keras 3 and tf_keras, see `effects`).
"""
from __future__ import annotations

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, everywhere, said
from kerascheck.semantic import syntax


class TrainingDefaultsTrue(Rule):
    code = "KC202"
    name = "training-defaults-true"
    severity = Severity.ERROR
    summary = "call() defaults training=True: a plain layer(x) call runs in training mode."
    fix_safety = ('unsafe',)
    affects = "Keras 2 and Keras 3, the same on both"
    effects = {
        "default-true": everywhere(
            said(
                "a plain layer(x) call runs in training mode",
                "its dropout is active, and a nested Dropout drops too (predict() passes training=False "
                "itself and is not affected)",
            )
        ),
    }

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value != "call" or self.context.in_method("call") is None:
            return
        param = syntax.find_param(node, "training")
        if param is None or not _is_true(param.default):
            return
        consequence = self.consequence("default-true", short=True)
        if consequence is None:
            return
        self.report(
            param,
            f"call() defaults training=True: {consequence}",
            help=f"{self.consequence('default-true')}; default to training=None",
            # Unsafe: a caller relying on the default gets inference behaviour now.
            fix=Fix.replace(param.default, cst.Name("None"), safe=False, description="default to training=None"),
        )


def _is_true(default) -> bool:
    return isinstance(default, cst.Name) and default.value == "True"
