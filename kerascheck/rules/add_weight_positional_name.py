"""KC104: the weight's name passed as the first positional argument of `add_weight`.

Keras 2's signature was `add_weight(name, shape, ...)`, so old code writes
`self.add_weight("kernel", shape=...)`. Keras 3 moved `shape` to the front and
refuses a positional name: the layer fails to build with
"ValueError: `name` must be passed as a keyword argument" (measured on Keras 3.15).
"""
from __future__ import annotations

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules import helpers
from kerascheck.rules.base import Rule


def _is_text(node: cst.BaseExpression) -> bool:
    """A string literal, f-string, implicit concatenation, or a string built from one
    (`"w_" + str(i)`, `"w_%d" % i`, `"w_{}".format(i)`)."""
    if isinstance(node, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return True
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Modulo)):
        return _is_text(node.left) or (isinstance(node.operator, cst.Add) and _is_text(node.right))
    if isinstance(node, cst.Call) and helpers.method_call_name(node) == "format":
        return _is_text(node.func.value)
    return False


class AddWeightPositionalName(Rule):
    code = "KC104"
    name = "add-weight-positional-name"
    severity = Severity.ERROR
    summary = "add_weight('name', ...): Keras 3 takes shape first and raises ValueError."
    affects = "Keras 3 (Keras 2's add_weight took the name first)"

    def visit_Call(self, node: cst.Call) -> None:
        if helpers.method_call_name(node) != "add_weight":
            return
        arguments = helpers.positional(node)
        if not arguments or arguments[0] is not node.args[0] or not _is_text(arguments[0].value):
            return
        self.report(
            arguments[0],
            "the weight's name is passed positionally to add_weight(): Keras 3 takes `shape` "
            "first and raises ValueError (\"`name` must be passed as a keyword argument\"); "
            "write add_weight(name=..., shape=...)",
        )
