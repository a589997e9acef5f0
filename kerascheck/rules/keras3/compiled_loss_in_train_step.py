"""KC538 (compiled-loss-in-train-step): a Model's own `self.compiled_loss` /
`self.compiled_metrics`, the Keras 2 custom-training API that Keras 3 keeps only as shims.

Measured on Keras 3.15.1 (tests/migration/kc5_cases.py holds the cases): `self.compiled_loss(y,
y_pred)` warns and calls `compute_loss` (dropping `regularization_losses=`, which
compute_loss adds itself); `self.compiled_metrics.update_state(y, y_pred)` warns and
updates every metric of `self.metrics`, the loss tracker included, with `y_pred`, so the
logged `loss` becomes the mean of the predictions; anything else on them
(`self.compiled_metrics.metrics`, `.reset_state()`, `self.compiled_loss.metrics`) raises
AttributeError. The fixes (unsafe) write what the Keras 3 guide writes: `compute_loss`,
and a loop over `self.metrics` that gives the loss to the "loss" metric.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.rules.keras3 import edits
from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.semantic import syntax
from kerascheck.semantic.file_state import code_of

# What each shim is on Keras 3, as its AttributeError names it (measured).
_SHIM_TYPES = {"compiled_loss": "'function' object", "compiled_metrics": "'DeprecatedCompiledMetric' object"}
# compiled_loss(y_true, y_pred, sample_weight=None, regularization_losses=None) -> compute_loss's keywords.
_LOSS_PARAMETERS = (("y_true", "y"), ("y_pred", "y_pred"), ("sample_weight", "sample_weight"))
_DROPPED = frozenset({"regularization_losses"})
# Callees whose result a train_step calls "the loss".
_LOSS_CALLS = frozenset({"compiled_loss", "compute_loss"})
_METRICS_LOOP = """for metric in {owner}.metrics:
    if metric.name == "loss":
        metric.update_state({loss})
    else:
        metric.update_state({arguments})
"""


@matcher("compiled_loss_in_train_step")
class CompiledLossInTrainStep(Matcher):
    def visit_Attribute(self, node: cst.Attribute) -> None:
        shim = node.attr.value
        if shim not in _SHIM_TYPES:
            return
        found = self.context.current_method()
        if found is None or not found[0].is_model:
            return
        method = found[1]
        owner = syntax.self_name(method)
        if not (isinstance(node.value, cst.Name) and node.value.value == owner):
            return
        parent, grandparent = self.parent(), self.parent(2)
        written = code_of(node)
        if shim == "compiled_loss" and isinstance(parent, cst.Call) and parent.func is node:
            # Info: the value is right, only the warning and the ignored argument remain.
            self.flag(node, self.entry.render(written=written, kind="loss"), fix=_loss_fix(parent, owner),
                      severity="info")
        elif isinstance(parent, cst.Attribute) and parent.value is node:
            member = parent.attr.value
            if shim == "compiled_metrics" and member == "update_state" and isinstance(grandparent, cst.Call) \
                    and grandparent.func is parent:
                self.flag(node, self.entry.render(written=f"{written}.update_state", kind="metrics"),
                          fix=self._metrics_fix(grandparent, method, owner))
            else:
                self.flag(parent, self.entry.render(written=code_of(parent), member=member, kind="attribute",
                                                    owner=_SHIM_TYPES[shim]), severity="error")

    def _metrics_fix(self, call: cst.Call, method: cst.FunctionDef, owner: str):
        """The metrics loop in place of the `self.compiled_metrics.update_state(...)`
        statement, when it stands alone on its line and the method names its loss."""
        statement = self.context.enclosing(cst.SimpleStatementLine)
        if statement is None or len(statement.body) != 1 or not isinstance(statement.body[0], cst.Expr) \
                or statement.body[0].value is not call or any(arg.star for arg in call.args):
            return None
        loss = _loss_name(method, owner)
        if loss is None:
            return None
        arguments = ", ".join(code_of(arg.value) if arg.keyword is None else f"{arg.keyword.value}={code_of(arg.value)}"
                              for arg in call.args)
        loop = cst.parse_statement(_METRICS_LOOP.format(owner=owner, loss=loss, arguments=arguments))
        return edits.fix([(statement, loop.with_changes(leading_lines=statement.leading_lines))], False,
                         "update self.metrics in a loop")


def _loss_fix(call: cst.Call, owner: str):
    """`self.compute_loss(y=..., y_pred=..., sample_weight=...)` for the call, or None
    when it passes something compute_loss has no place for."""
    if any(arg.star for arg in call.args):
        return None
    positional = syntax.positional(call)
    if len(positional) > len(_LOSS_PARAMETERS):
        return None
    values: dict[str, cst.BaseExpression] = {}
    for (_, keyword), arg in zip(_LOSS_PARAMETERS, positional):
        values[keyword] = arg.value
    renames = dict(_LOSS_PARAMETERS)
    for arg in call.args:
        if arg.keyword is None:
            continue
        name = arg.keyword.value
        if name in _DROPPED:
            continue
        if name not in renames:
            return None
        values[renames[name]] = arg.value
    if "y" not in values or "y_pred" not in values:
        return None
    text = ", ".join(f"{keyword}={{{position}}}" for position, keyword in enumerate(values))
    new_call = edits.expression(f"{owner}.compute_loss({text})", *values.values())
    return edits.fix([(call, new_call)], False, "call self.compute_loss")


def _loss_name(method: cst.FunctionDef, owner: str) -> Optional[str]:
    """The local name the method assigns its loss to (`loss = self.compiled_loss(...)`)."""
    for node in syntax.walk_scope(method):
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) \
                and isinstance(node.value, cst.Call) and syntax.method_call_name(node.value) in _LOSS_CALLS \
                and isinstance(node.value.func.value, cst.Name) and node.value.func.value.value == owner:
            return node.targets[0].target.value
    return None
