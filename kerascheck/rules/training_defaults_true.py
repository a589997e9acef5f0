"""KC202: `call(self, inputs, training=True)`.

Keras passes `training` explicitly only from `fit`/`evaluate`/`predict` and from an
outer call that received it; everywhere else (`layer(x)`, `model(x)` in a custom loop,
serving) the default applies. A default of `True` turns a plain call into a training
call: dropout is active, BatchNormalization uses and updates batch statistics, and the
value propagates to the nested layers through the call context.
"""
from __future__ import annotations

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule
from kerascheck.rules.support import syntax


class TrainingDefaultsTrue(Rule):
    code = "KC202"
    name = "training-defaults-true"
    severity = Severity.ERROR
    summary = "call() defaults training=True: a plain layer(x) call runs in training mode."
    fix_safety = ('unsafe',)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value != "call" or self.context.in_method("call") is None:
            return
        param = syntax.find_param(node, "training")
        if param is None or not _is_true(param.default):
            return
        self.report(
            param,
            "call() defaults training=True: a plain layer(x) or model(x) call runs in "
            "training mode (dropout active, BatchNormalization on batch statistics) and "
            "passes it on to nested layers; default to training=None",
            # Unsafe: a caller relying on the default gets inference behaviour now.
            fix=Fix.replace(param.default, cst.Name("None"), safe=False, description="default to training=None"),
        )


def _is_true(default) -> bool:
    return isinstance(default, cst.Name) and default.value == "True"
