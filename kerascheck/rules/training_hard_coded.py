"""KC208 (opt-in): `training=True` / `training=False` hard-coded on a sub-layer in call().

A literal pins the sub-layer's mode whatever phase the model runs in (measured on Keras 3
and tf_keras, see `effects`): with `False`, a BatchNormalization never updates its moving
statistics during `fit`; with `True`, a Dropout keeps dropping units in `predict`. It is
often deliberate (a frozen BatchNormalization or backbone while fine-tuning, MC dropout),
hence opt-in.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, everywhere, said
from kerascheck.rules.support import sublayers
from kerascheck.semantic import syntax

_STATEMENT = (cst.BaseSmallStatement, cst.BaseCompoundStatement)
# The situation each literal is reported as (a key of `effects`).
_SITUATION = {"True": "training-true", "False": "training-false"}


class TrainingHardCoded(Rule):
    code = "KC208"
    name = "training-hard-coded"
    severity = Severity.INFO
    default = False
    summary = "training=True/False hard-coded on a sub-layer call inside call()."
    affects = "Keras 2 and Keras 3, the same on both"
    effects = {
        "training-false": everywhere(
            said(
                "it stays in inference mode during fit() too",
                "a BatchNormalization there never updates its moving statistics",
            )
        ),
        "training-true": everywhere(
            said("it stays in training mode in predict() too", "a Dropout there keeps dropping units")
        ),
    }

    def __init__(self, context):
        super().__init__(context)
        self._call: Optional[cst.FunctionDef] = None
        self._owner: Optional[str] = None
        self._aliases: dict[str, str] = {}
        self._methods: set[str] = set()
        self._reported: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        argument = syntax.keyword(node, "training")
        if argument is None or not isinstance(argument.value, cst.Name):
            return
        value = argument.value.value
        if value not in _SITUATION:
            return
        found = self.context.current_method()
        if found is None or found[1].name.value != "call":
            return
        keras_class, call = found
        if call is not self._call:
            self._call, self._reported = call, set()
            self._owner = syntax.self_name(call)
            self._aliases = sublayers.sublayer_aliases(call, self._owner)
            self._methods = set(syntax.methods(keras_class.node))
        target = self._sublayer(node, keras_class)
        if target is None:
            return
        statement = self.context.enclosing(_STATEMENT)
        if statement is None or id(statement) in self._reported:
            return
        consequence = self.consequence(_SITUATION[value], short=True)
        if consequence is None:
            return
        self._reported.add(id(statement))
        self.report(
            argument,
            f"{target} is called with training={value} hard-coded: {consequence}",
            help=f"{self.consequence(_SITUATION[value])}; pass `training=training` unless this is deliberate "
            "(a frozen BatchNormalization or backbone), then suppress with `# noqa: KC208`",
        )

    def _sublayer(self, node: cst.Call, keras_class) -> Optional[str]:
        """How to name the sub-layer the call runs, or None when it is not one (the
        class's own helper methods, `super().call`, plain functions)."""
        attribute = sublayers.sublayer_called(node, self._owner, self._aliases)
        if attribute is not None:
            if attribute in self._methods or self.module.index.defines_in_ancestry(keras_class.key, attribute):
                return None
            return f"sub-layer '{attribute}'"
        if isinstance(node.func, cst.Call):
            built = sublayers.layers_constructed(self.module, node.func)
            if built and built[0][1] is node.func:
                return "an inline layer"
        return None
