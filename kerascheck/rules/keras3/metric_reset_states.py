"""KC531 (metric-reset-states), its class half: a Metric subclass overriding
`reset_states`, which Keras 3 never calls (the `method` rows find the calls)."""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.rules.keras3 import edits
from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.semantic import syntax
from kerascheck.semantic.names import cst_dotted

@matcher("reset_states_override")
class ResetStatesOverride(Matcher):
    """KC531: a Metric subclass that defines `reset_states(self)`: Keras 3 never calls it."""

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not self.state.class_base(node, "keras.metrics."):
            return
        methods = syntax.methods(node)
        method = methods.get("reset_states")
        if method is None or "reset_state" in methods:
            return  # with reset_state defined too, reset_states is an alias kept for old callers
        if _zeroes_every_variable(node, method):
            return  # what Keras 3's default reset_state does anyway: dead code, not a lost reset
        fix = edits.fix([(method.name, cst.Name("reset_state"))], True, "rename to reset_state")
        self.flag(method.name, self.entry.render(written=f"{node.name.value}.reset_states", member="reset_states",
                                                 kind="override"), fix=fix, severity="warning")


_ZERO_FACTORIES = frozenset({"zeros", "zeros_like"})
_METRIC_VARIABLES = frozenset({"variables", "weights"})


def _metric_variables(class_def: cst.ClassDef) -> set:
    """The `self.x` of `self.x = self.add_variable(...)` / `self.add_weight(...)` in any
    method (on Keras 3.15.1 add_weight is an alias of add_variable)."""
    found = set()
    for method in syntax.methods(class_def).values():
        owner = syntax.self_name(method)
        for node in syntax.walk_scope(method):
            if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.value, cst.Call):
                name = syntax.self_attribute(node.targets[0].target, owner)
                func = node.value.func
                if name and isinstance(func, cst.Attribute) and func.attr.value in ("add_variable", "add_weight") \
                        and syntax.self_attribute(func, owner) is not None:
                    found.add(name)
    return found


def _zero(node: cst.CSTNode) -> bool:
    """`0`, `0.0`, `keras.ops.zeros(...)`, `tf.zeros_like(v)`, `np.zeros(...)`."""
    if isinstance(node, (cst.Integer, cst.Float)):
        try:
            return float(node.value) == 0
        except ValueError:
            return False
    if isinstance(node, cst.Call):
        dotted = cst_dotted(node.func)
        return bool(dotted) and dotted.rpartition(".")[2] in _ZERO_FACTORIES
    return False


def _zeroes_every_variable(class_def: cst.ClassDef, method: cst.FunctionDef) -> bool:
    """Whether `reset_states` only zeroes the metric's variables, all of them - what Keras
    3's default `reset_state()` does (measured on 3.15.1: every variable of
    `self.add_variable`/`self.add_weight`, whatever its initializer, becomes 0): then the
    override is never called but nothing is lost. Recognised: `self.x.assign(0)`,
    `K.set_value(self.x, 0)`, `for v in self.variables: v.assign(...zeros...)`,
    `K.batch_set_value([(v, 0) for v in self.variables])`, with zero literals or zeros/
    zeros_like calls; anything else in the body (a non-zero value, Python-side state) is
    a reset Keras 3 loses."""
    variables = _metric_variables(class_def)
    if not variables:
        return False
    owner = syntax.self_name(method)
    zeroed: set = set()
    every = False
    for statement in getattr(method.body, "body", ()):
        if isinstance(statement, cst.For):
            iterated = syntax.self_attribute(statement.iter, owner)
            inner = getattr(statement.body, "body", ())
            if iterated not in _METRIC_VARIABLES or not isinstance(statement.target, cst.Name) or len(inner) != 1 \
                    or statement.orelse is not None:
                return False
            call = _single_call(inner[0])
            if call is None or syntax.method_call_name(call) != "assign" or len(call.args) != 1 \
                    or not isinstance(call.func.value, cst.Name) or call.func.value.value != statement.target.value \
                    or not _zero(call.args[0].value):
                return False
            every = True
            continue
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Pass) or (isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)):
                continue
            call = small.value if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) else None
            if call is None:
                return False
            method_name = syntax.method_call_name(call) or (cst_dotted(call.func) or "").rpartition(".")[2]
            if method_name == "assign" and len(call.args) == 1 and _zero(call.args[0].value):
                name = syntax.self_attribute(call.func.value, owner)
                if name not in variables:
                    return False
                zeroed.add(name)
            elif method_name == "set_value" and len(call.args) == 2 and _zero(call.args[1].value):
                name = syntax.self_attribute(call.args[0].value, owner)
                if name not in variables:
                    return False
                zeroed.add(name)
            elif method_name == "batch_set_value" and len(call.args) == 1 and _zeroes_all_pairs(call.args[0].value, owner):
                every = True
            else:
                return False
    return every or zeroed >= variables


def _single_call(statement: cst.CSTNode) -> Optional[cst.Call]:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return small.value
    return None


def _zeroes_all_pairs(value: cst.CSTNode, owner: Optional[str]) -> bool:
    """`[(v, 0) for v in self.variables]`."""
    if not isinstance(value, cst.ListComp) or not isinstance(value.elt, cst.Tuple) or len(value.elt.elements) != 2:
        return False
    first, second = (element.value for element in value.elt.elements)
    loop = value.for_in
    return (loop.inner_for_in is None and not loop.ifs and isinstance(loop.target, cst.Name)
            and isinstance(first, cst.Name) and first.value == loop.target.value and _zero(second)
            and syntax.self_attribute(loop.iter, owner) in _METRIC_VARIABLES)


