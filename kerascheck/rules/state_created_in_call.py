"""KC103: weights, variables or weight-owning layers created inside `call()`.

`call()` runs on every batch (and is traced by `tf.function`), so state made there is
made again each time. Measured on Keras 3.15 and tf_keras 2.21 (tests/affects_cases.py): a
`Dense` built in `call` leaves the layer with 0 weights and `fit` fails with "tf.function
only supports singleton tf.Variables created on the first call" on both; a
`tf.Variable`/`keras.Variable` made there breaks building the layer on a `keras.Input` on
both; `self.add_weight` in `call` raises "You cannot add new elements of state ... to a
layer that is already built" on Keras 3, and silently adds a new weight on every call on
Keras 2. The same holds one call away, when `call()` calls a module-level function of the
file that makes the variable or the layer. Weightless helpers (Dropout, Reshape, merge
layers) built per call are only wasteful, and lazy creation behind a one-time check (`if
self.w is None:`) is a legitimate pattern: neither is flagged.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, effect, everywhere, said
from kerascheck.rules.support import sublayers
from kerascheck.semantic import knowledge, syntax

# Names in a test that mark it as "has the state been made yet?".
_ONE_TIME_MARKERS = ("built", "initialized", "initialised", "created")
_STATE_PROBES = frozenset({"hasattr", "getattr"})


class StateCreatedInCall(Rule):
    code = "KC103"
    name = "state-created-in-call"
    severity = Severity.ERROR
    summary = "Weights, variables or weight-owning layers created inside call()."
    affects = "Keras 2 and Keras 3"
    measured_on_tensorflow2_only = True
    effects = {
        "layer-in-call": everywhere(said(
            "it is rebuilt with fresh weights on every call and never tracked",
            "the layer owns 0 weights), and fit() fails (\"tf.function only supports singleton "
            "tf.Variables created on the first call\")",
            " (",
        )),
        "variable-in-call": everywhere(said(
            "a new variable is made on every call",
            "and calling the layer on a keras.Input (a functional model) fails (\"could not be "
            "lifted out of a tf.function\")",
            ", ",
        )),
        "add-weight-in-call": effect(
            keras3=said(
                "calling the layer fails",
                "\"You cannot add new elements of state ... to a layer that is already built\"",
            ),
            keras2=said("every call silently adds another weight", "2 weights after two calls)", " ("),
        ),
    }

    def __init__(self, context):
        super().__init__(context)
        self._functions: Optional[dict[str, cst.FunctionDef]] = None

    def visit_Call(self, node: cst.Call) -> None:
        found = self.context.current_method()
        if found is None or found[1].name.value != "call":
            return
        method = found[1]
        owner = syntax.self_name(method)
        created = self._created_state(node, owner)
        via = None
        if created is None:
            via = self._helper(node)
            created = self._helper_state(via) if via is not None else None
        if created is None or self._guarded(method, owner):
            return
        kind, label = created
        situation = {"add_weight": "add-weight-in-call", "variable": "variable-in-call"}.get(kind, "layer-in-call")
        consequence = self.consequence(situation)
        if consequence is None:
            return
        happens = self.consequence(situation, short=True)
        if kind == "add_weight":
            message = f"self.add_weight() inside call(): {happens}"
            instead = "create the weight in build()"
        elif kind == "variable":
            where = f"by `{via.name.value}()` called " if via is not None else "created "
            message = f"{label} {where}inside call(): {happens}"
            instead = "create it in build() with self.add_weight(...)"
        else:
            where = f"by `{via.name.value}()` called " if via is not None else "constructed "
            message = f"`{label}` layer {where}inside call(): {happens}"
            instead = "create it in __init__ and only call it here"
        self.report(node, message, help=f"{consequence}; {instead}")

    def _helper(self, call: cst.Call) -> Optional[cst.FunctionDef]:
        """The module-level function of this file that `call` calls by name (`make(...)`)."""
        if not isinstance(call.func, cst.Name):
            return None
        if self._functions is None:
            module = self.context.ancestors[0]
            self._functions = {
                item.name.value: item for item in getattr(module, "body", ()) if isinstance(item, cst.FunctionDef)
            }
        return self._functions.get(call.func.value)

    def _helper_state(self, function: cst.FunctionDef) -> Optional[tuple[str, str]]:
        """What state a helper makes in its own frame, one call away from call(): a variable
        or a weight-owning layer (not `self.add_weight`: it has no layer). A helper that makes
        it under a one-time check of its own (a module-level cache) makes it once."""
        made = None
        for node in syntax.walk_scope(function):
            test = node.test if isinstance(node, (cst.If, cst.IfExp, cst.While)) else None
            if test is not None and _is_one_time_check(test, None):
                return None
            if made is None and isinstance(node, cst.Call):
                made = self._created_state(node, None)
        return made

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
    """`owner` is the method's instance name; None in a module-level helper, where any
    membership test (`if key not in _CACHE:`) is a per-key cache."""
    for sub in syntax.walk(test):
        if isinstance(sub, cst.Comparison):
            for target in sub.comparisons:
                if isinstance(target.comparator, cst.Name) and target.comparator.value == "None":
                    return True
                if isinstance(target.operator, (cst.In, cst.NotIn)) and (
                    owner is None or owner in syntax.names_in(target.comparator)
                ):
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
