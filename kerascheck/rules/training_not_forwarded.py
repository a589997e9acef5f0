"""KC207 (opt-in): call() runs a training-sensitive sub-layer without forwarding `training`.

The article's advice: a layer whose `call` uses Dropout, BatchNormalization or another
layer that behaves differently in training should accept `training=None` and pass it on.
Keras 3 and tf_keras propagate the flag through the call context (measured: in `fit()`
the nested layer sees training=True), so a nested layer gets the right mode anyway: this
is a style rule (`style = True`), off by default, and its messages claim no failure. For a
Model whose `call` lacks `training` altogether the problem is real on Keras 3 and is
reported by KC210 instead.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule
from kerascheck.rules.support import sublayers
from kerascheck.semantic import syntax

_STATEMENT = (cst.BaseSmallStatement, cst.BaseCompoundStatement)


class TrainingNotForwarded(Rule):
    code = "KC207"
    name = "training-not-forwarded"
    severity = Severity.INFO
    default = False
    style = True  # measured harmless on Keras 3 and tf_keras (tests/affects_cases.py)
    summary = "call() runs Dropout/BatchNormalization sub-layers without passing `training` on."
    affects = "Style: nothing breaks on Keras 3 or tf_keras (the call context propagates training)"

    def __init__(self, context):
        super().__init__(context)
        self._call: Optional[cst.FunctionDef] = None
        self._skip = True
        self._sensitive: dict[str, str] = {}
        self._aliases: dict[str, str] = {}
        self._owner: Optional[str] = None
        self._reported: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        found = self.context.current_method()
        if found is None or found[1].name.value != "call":
            return
        keras_class, call = found
        if call is not self._call:
            self._enter(keras_class, call)
        if self._skip:
            return
        label, shown = self._sensitive_target(node)
        if label is None or self._forwards(node, call):
            return
        statement = self.context.enclosing(_STATEMENT)
        if statement is None or id(statement) in self._reported:
            return
        self._reported.add(id(statement))
        if "training" in syntax.param_names(call):
            message = f"{shown} ({label}) is called without `training=training` (style)"
            advice = "pass the flag on explicitly"
        else:
            message = f"{shown} ({label}) acts differently in training, but call() takes no `training` (style)"
            advice = "add `training=None` to call() and pass it on"
        self.report(
            node,
            message,
            help=f"{advice}; nothing breaks without it: Keras 3 and tf_keras propagate the flag through the "
            "call context",
        )

    def _enter(self, keras_class, call: cst.FunctionDef) -> None:
        self._call, self._reported = call, set()
        # A Model whose call lacks `training` is KC210's (an error there, not style).
        self._skip = keras_class.is_model and "training" not in syntax.param_names(call)
        if self._skip:
            return
        self._owner = syntax.self_name(call)
        self._sensitive = sublayers.training_sensitive_attributes(self.module, keras_class.node)
        self._aliases = sublayers.sublayer_aliases(call, self._owner)

    def _sensitive_target(self, node: cst.Call) -> tuple[Optional[str], str]:
        """(the sensitive layer's name, how the call site names it), or (None, "")."""
        attribute = sublayers.sublayer_called(node, self._owner, self._aliases)
        if attribute is not None:
            label = self._sensitive.get(attribute)
            return label, f"sub-layer '{attribute}'"
        if isinstance(node.func, cst.Call):  # `layers.Dropout(0.1)(x)` built on the spot
            built = sublayers.layers_constructed(self.module, node.func)
            if built and built[0][1] is node.func:
                label = sublayers.training_sensitive_label(self.module.index, built[0][0])
                return label, "an inline layer"
        return None, ""

    @staticmethod
    def _forwards(node: cst.Call, call: cst.FunctionDef) -> bool:
        """Whether the call passes some training flag: `training=` (a literal is KC208's
        business), the `training` parameter positionally, or `**kwargs`."""
        if syntax.keyword(node, "training") is not None:
            return True
        kwargs = syntax.star_kwargs_name(call)
        for arg in node.args:
            if arg.star == "**" and isinstance(arg.value, cst.Name) and arg.value.value == kwargs:
                return True
            if not arg.keyword and not arg.star and isinstance(arg.value, cst.Name) and arg.value.value == "training":
                return True
        return False
