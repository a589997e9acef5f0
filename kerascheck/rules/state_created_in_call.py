"""KC103: weights, variables or weight-owning layers created inside `call()`.

`call()` runs on every batch (and is traced by `tf.function`), so state made there is
made again each time. Measured on Keras 3.15: a `Dense` built in `call` leaves the layer
with 0 weights and `fit` fails with "tf.function only supports singleton tf.Variables
created on the first call"; a `tf.Variable`/`keras.Variable` made there is untracked and
breaks symbolic building and `fit`; `self.add_weight` in `call` raises "You cannot add new
elements of state ... to a layer that is already built". Weightless helpers (Dropout,
Reshape, merge layers) built per call are only wasteful, and lazy creation behind a
one-time check (`if self.w is None:`) is a legitimate pattern: neither is flagged.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule
from kerascheck.rules.support import sublayers, syntax
from kerascheck.semantic import knowledge

# Names in a test that mark it as "has the state been made yet?".
_ONE_TIME_MARKERS = ("built", "initialized", "initialised", "created")
_STATE_PROBES = frozenset({"hasattr", "getattr"})


class StateCreatedInCall(Rule):
    code = "KC103"
    name = "state-created-in-call"
    severity = Severity.ERROR
    summary = "Weights, variables or weight-owning layers created inside call()."
    affects = "Keras 2 and Keras 3"

    def visit_Call(self, node: cst.Call) -> None:
        found = self.context.current_method()
        if found is None or found[1].name.value != "call":
            return
        method = found[1]
        owner = syntax.self_name(method)
        created = self._created_state(node, owner)
        if created is None or self._guarded(method, owner):
            return
        kind, label = created
        if kind == "add_weight":
            message = (
                "self.add_weight() inside call(): Keras 3 raises \"You cannot add new elements "
                "of state ... to a layer that is already built\"; create the weight in build()"
            )
        elif kind == "variable":
            message = (
                f"{label} created inside call(): a new, untracked variable on every call "
                "(layer.weights stays empty) that breaks fit() and tf.function; create it in "
                "build() with self.add_weight(...)"
            )
        else:
            message = (
                f"{label} layer constructed inside call(): it is rebuilt with fresh weights on "
                "every call, is not tracked (0 weights) and fit() fails (\"tf.function only "
                "supports singleton tf.Variables\"); create it in __init__ and only call it here"
            )
        self.report(node, message)

    def _created_state(self, call: cst.Call, owner: Optional[str]) -> Optional[tuple[str, str]]:
        creator = sublayers.weight_creator(self.module, call, owner)
        if creator == "add_weight":
            return "add_weight", creator
        if creator is not None:
            return "variable", creator
        builtin = self.module.builtin_layer(call.func)
        if builtin is not None:
            return ("layer", builtin) if builtin in knowledge.WEIGHT_OWNING_LAYERS else None
        key = self.module.tree_keras_class(call.func)
        if key is not None and self.module.index.owns_weights(key):
            return "layer", key.name
        return None

    def _guarded(self, method: cst.FunctionDef, owner: Optional[str]) -> bool:
        """Whether the creation sits under a one-time check (`if self.w is None:`,
        `if not self.built:`, `if not hasattr(self, "w"):`, `x if self.w is not None else ...`)."""
        chain = self.context.ancestors
        start = next(position for position, node in enumerate(chain) if node is method)
        for node in chain[start + 1:]:
            test = node.test if isinstance(node, (cst.If, cst.IfExp, cst.While)) else None
            if test is not None and _is_one_time_check(test, owner):
                return True
        return False


def _is_one_time_check(test: cst.BaseExpression, owner: Optional[str]) -> bool:
    for sub in syntax.walk(test):
        if isinstance(sub, cst.Comparison):
            for target in sub.comparisons:
                if isinstance(target.comparator, cst.Name) and target.comparator.value == "None":
                    return True
                if isinstance(target.operator, (cst.In, cst.NotIn)) and owner in syntax.names_in(target.comparator):
                    return True  # a per-key cache: `if key not in self.layers:`
        elif isinstance(sub, cst.Call) and syntax.callee_name(sub) in _STATE_PROBES:
            return True
        elif isinstance(sub, (cst.Attribute, cst.Name)):
            name = sub.attr.value if isinstance(sub, cst.Attribute) else sub.value
            if any(marker in name.lower() for marker in _ONE_TIME_MARKERS):
                return True
        elif isinstance(sub, cst.UnaryOperation) and isinstance(sub.operator, cst.Not):
            if owner and syntax.rooted_at(sub.expression, owner):
                return True  # `if not self.w:`
    return False
