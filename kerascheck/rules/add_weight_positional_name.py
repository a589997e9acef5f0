"""KC104: the weight's name passed as the first positional argument of `add_weight`.

Keras 2's signature was `add_weight(name, shape, ...)`, so old code writes
`self.add_weight("kernel", shape=...)`. Keras 3 moved `shape` to the front and
refuses a positional name: the layer fails to build with
"ValueError: `name` must be passed as a keyword argument" (measured on Keras 3.15).
"""
from __future__ import annotations

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, effect, said
from kerascheck.rules.support import arg_edits
from kerascheck.semantic import syntax
from kerascheck.semantic.names import canonical_keras_name

# Keras 2's parameters in order, as the code was written for: add_weight(name, shape,
# dtype, initializer, regularizer, trainable, constraint, ...).
_KERAS2_ORDER = ("name", "shape", "dtype", "initializer", "regularizer", "trainable", "constraint")


def _is_text(node: cst.BaseExpression) -> bool:
    """A string literal, f-string, implicit concatenation, or a string built from one
    (`"w_" + str(i)`, `"w_%d" % i`, `"w_{}".format(i)`)."""
    if isinstance(node, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return True
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Modulo)):
        return _is_text(node.left) or (isinstance(node.operator, cst.Add) and _is_text(node.right))
    if isinstance(node, cst.Call) and syntax.method_call_name(node) == "format":
        return _is_text(node.func.value)
    return False


class AddWeightPositionalName(Rule):
    code = "KC104"
    name = "add-weight-positional-name"
    severity = Severity.ERROR
    summary = "add_weight('name', ...): Keras 3 takes shape first and raises ValueError."
    affects = "Keras 3 (Keras 2's add_weight takes the name first)"
    fix_safety = ('safe',)
    effects = {
        "layer": effect(
            keras3=said("add_weight raises ValueError", "\"`name` must be passed as a keyword argument\")", " ("),
            keras2=None,
        ),
        "metric": effect(keras3=said("add_weight raises ValueError", "it takes the name for a shape"), keras2=None),
    }

    def visit_Call(self, node: cst.Call) -> None:
        if syntax.method_call_name(node) != "add_weight":
            return
        arguments = syntax.positional(node)
        if not arguments or arguments[0] is not node.args[0] or not _is_text(arguments[0].value):
            return
        in_metric = self._in_metric()
        situation = "metric" if in_metric else "layer"
        consequence = self.consequence(situation)
        if consequence is None:
            return  # Keras 2's add_weight takes the name first
        if in_metric:
            text = syntax.string_value(arguments[0].value)
            consequence += f" (\"Cannot convert {repr(text) if text is not None else '...'} to a shape\")"
        self.report(
            arguments[0],
            f"the weight's name is passed positionally to add_weight(): {self.consequence(situation, short=True)}",
            fix=_keywords_fix(node, arguments),
            help=f"{consequence}; write add_weight(name=..., shape=...)",
        )

    def _in_metric(self) -> bool:
        """A Metric's add_weight is a different method: Keras 3 takes the name for a shape."""
        class_def = self.context.enclosing(cst.ClassDef)
        bases = self.module.index.external_ancestors(self.module.class_key(class_def)) if class_def else ()
        return any((canonical_keras_name(base) or "").startswith("keras.metrics.") for base in bases)


def _keywords_fix(call: cst.Call, arguments: list[cst.Arg]):
    """Name the positional arguments as Keras 2 read them: `add_weight("w", (3, 4))` ->
    `add_weight(name="w", shape=(3, 4))`. Same meaning on Keras 2, and it works on 3.
    Not with `*args` (which parameters it fills is unknown), nor when a keyword given
    later would then be passed twice."""
    if len(arguments) > len(_KERAS2_ORDER) or any(arg.star == "*" for arg in call.args):
        return None
    names = _KERAS2_ORDER[: len(arguments)]
    if any(syntax.keyword(call, name) is not None for name in names):
        return None
    return Fix(
        tuple((arg, arg_edits.as_keyword(arg, name)) for arg, name in zip(arguments, names)),
        safe=True,
        description="pass the name, and the arguments after it, as keywords",
    )
