"""KC402: an int where Keras needs a shape tuple (`Input(shape=3)`, `input_shape=3`).

Shapes are tuples. Keras 2 quietly wrapped an int given to `Input`/`InputLayer`, so
`Input(shape=784)` still fills old tutorials; Keras 3 raises `ValueError: Cannot convert
'784' to a shape`. Given to an ordinary layer's `input_shape=`, or as a batch shape, an
int fails on Keras 2 as well (TypeError). `shape=(3)` is the same int: the parentheses
make no tuple without a comma.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, effect, said
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.names import cst_dotted

_ALL_SHAPE_KEYWORDS = knowledge.INPUT_LAYER_SHAPE_KEYWORDS | knowledge.LAYER_SHAPE_KEYWORDS
# Builtins whose result is an int (`shape=len(features)`).
_INT_BUILTINS = frozenset({"len", "int"})

# The situation (a key of `effects`) of each (callee kind, keyword).
_SITUATIONS = {
    ("input", "shape"): "input-shape",
    ("input", "batch_shape"): "input-batch-shape",
    ("input_layer", "input_shape"): "inputlayer-input-shape",
    ("input_layer", "shape"): "inputlayer-shape",
    ("input_layer", "batch_shape"): "inputlayer-batch-shape",
    ("input_layer", "batch_input_shape"): "inputlayer-batch-input-shape",
    ("layer", "input_shape"): "layer-input-shape",
    ("layer", "batch_input_shape"): "layer-batch-input-shape",
}
_VALUE_ERROR, _TYPE_ERROR = "it raises ValueError", "it raises TypeError"
_CANNOT_CONVERT = said(_VALUE_ERROR, "Cannot convert '{}' to a shape")
_NOT_SUBSCRIPTABLE = said(_TYPE_ERROR, "'int' object is not subscriptable")
_NOT_ITERABLE = said(_TYPE_ERROR, "'int' object is not iterable")


class InputShapeNotTuple(Rule):
    code = "KC402"
    name = "input-shape-not-tuple"
    severity = Severity.ERROR
    summary = "An int where Keras needs a shape tuple: Input(shape=3), input_shape=3."
    affects = "Keras 3 (Input/InputLayer shapes); Keras 2 and 3 (batch shapes, a layer's input_shape=)"
    fix_safety = ('safe',)
    # Measured on Keras 3.15 and tf_keras 2.21 ("{}" is the number as written).
    effects = {
        "input-shape": effect(keras3=_CANNOT_CONVERT, keras2=None),  # Keras 2 wraps the int
        "input-batch-shape": effect(keras3=_CANNOT_CONVERT, keras2=_NOT_SUBSCRIPTABLE),
        "inputlayer-input-shape": effect(keras3=_CANNOT_CONVERT, keras2=None),
        # Keras 2's InputLayer knows neither keyword: it raises on the name, not the int.
        "inputlayer-shape": effect(
            keras3=_CANNOT_CONVERT, keras2=said(_VALUE_ERROR, "Unrecognized keyword arguments: ['shape']")
        ),
        "inputlayer-batch-shape": effect(
            keras3=_CANNOT_CONVERT, keras2=said(_VALUE_ERROR, "Unrecognized keyword arguments: ['batch_shape']")
        ),
        "inputlayer-batch-input-shape": effect(keras3=_CANNOT_CONVERT, keras2=_NOT_SUBSCRIPTABLE),
        "layer-input-shape": effect(keras3=_CANNOT_CONVERT, keras2=_NOT_ITERABLE),
        "layer-batch-input-shape": effect(
            keras3=said(_VALUE_ERROR, "Unrecognized keyword arguments passed to the layer: batch_input_shape"),
            keras2=_NOT_ITERABLE,
        ),
    }

    def __init__(self, context):
        super().__init__(context)
        self._int_constants: Optional[dict[str, str]] = None

    def visit_Call(self, node: cst.Call) -> None:
        dotted = cst_dotted(node.func)
        if dotted is None:
            return
        bare = dotted.rpartition(".")[2]
        if bare not in ("Input", "InputLayer") and not any(
            arg.keyword is not None and arg.keyword.value in knowledge.LAYER_SHAPE_KEYWORDS for arg in node.args
        ):
            return
        kind = self._callee_kind(node.func)
        if kind is None:
            return
        keywords = {
            "input": knowledge.INPUT_SHAPE_KEYWORDS,
            "input_layer": knowledge.INPUT_LAYER_SHAPE_KEYWORDS,
            "layer": knowledge.LAYER_SHAPE_KEYWORDS,
        }[kind]
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in keywords:
                self._check(kind, arg.keyword.value, arg, f"{arg.keyword.value}=")
        positional = syntax.positional(node)
        if kind != "layer" and positional and not node.args[0].keyword:
            # The first parameter: `shape` (Input, Keras 3 InputLayer) or `input_shape`
            # (Keras 2 InputLayer); both want a tuple.
            self._check(kind, "shape" if kind == "input" else "input_shape", positional[0], f"{bare}(")

    def _callee_kind(self, func: cst.BaseExpression) -> Optional[str]:
        if self.module.keras_name(func) in knowledge.INPUT_FUNCTIONS:
            return "input"
        layer = self.module.builtin_layer(func)
        if layer == "InputLayer":
            return "input_layer"
        return "layer" if layer else None

    def _check(self, kind: str, keyword: str, arg: cst.Arg, written: str) -> None:
        value = arg.value
        number = self._int_text(value)
        if number is None:
            return
        situation = _SITUATIONS[(kind, keyword)]
        consequence = self.consequence(situation)
        if consequence is None:
            return
        consequence = consequence.format(number)
        source = _code(value)
        bare_source = _code(value.with_changes(lpar=[], rpar=[])) if value.lpar else source
        batch = keyword.startswith("batch")
        fix = f"({'None, ' if batch else ''}{bare_source}{'' if batch else ','})"
        if written.endswith("("):
            shown, fix = f"{written}{source})", f"{written}{fix})"
        else:
            shown, fix = f"{written}{source}", f"{written}{fix}"
        self.report(
            value,
            f"`{shown}` passes a number where a shape tuple is needed{' (no comma: no tuple)' if value.lpar else ''}: "
            f"{self.consequence(situation, short=True)}",
            fix=_tuple_fix(value, batch),
            help=f"{'parentheses alone make no tuple, it needs a comma: ' if value.lpar else ''}{consequence}; "
            f"write {fix}",
        )

    def _int_text(self, value: cst.BaseExpression) -> Optional[str]:
        """How an int-valued argument prints in Keras' error (`'3'`), or None when the
        value is not known to be a number."""
        if isinstance(value, (cst.Integer, cst.Float)):
            return value.value
        if (
            isinstance(value, cst.UnaryOperation)
            and isinstance(value.operator, cst.Minus)
            and isinstance(value.expression, (cst.Integer, cst.Float))
        ):
            return "-" + value.expression.value
        if _is_shape_item(value):
            return "N"
        if (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Name)
            and value.func.value in _INT_BUILTINS
            and self.module.qualified_name(value.func) is None
        ):
            return "N"
        if isinstance(value, cst.Name):
            return self._module_int_constants().get(value.value)
        return None

    def _module_int_constants(self) -> dict[str, str]:
        """Names bound exactly once in the whole module, at module level, to an int literal
        (`INPUT_DIM = 784`): what they hold. Any other binding of the name anywhere
        (parameter, loop variable, reassignment, import) makes it unknown."""
        if self._int_constants is None:
            module = self.context.ancestors[0]
            bindings: dict[str, int] = {}
            values: dict[str, str] = {}
            for node in syntax.walk(module):
                for name in syntax.bound_names(node):
                    bindings[name] = bindings.get(name, 0) + 1
            for statement in module.body:
                if isinstance(statement, cst.SimpleStatementLine):
                    for small in statement.body:
                        if (
                            isinstance(small, cst.Assign)
                            and len(small.targets) == 1
                            and isinstance(small.targets[0].target, cst.Name)
                            and isinstance(small.value, cst.Integer)
                        ):
                            values[small.targets[0].target.value] = small.value.value
            self._int_constants = {name: v for name, v in values.items() if bindings.get(name) == 1}
        return self._int_constants


def _tuple_fix(value: cst.BaseExpression, batch: bool) -> Optional[Fix]:
    """`3` -> `(3,)`, `(3)` -> `(3,)`, a batch shape `3` -> `(None, 3)`: the tuple Keras 2
    made of the int. Not for a float or a negative number, which no tuple makes valid."""
    bare = value.with_changes(lpar=[], rpar=[]) if value.lpar else value
    if not isinstance(bare, (cst.Integer, cst.Name, cst.Call, cst.Subscript)):
        return None
    if batch:
        elements = [cst.Element(cst.Name("None"), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), cst.Element(bare)]
    else:
        elements = [cst.Element(bare, comma=cst.Comma())]
    return Fix.replace(value, cst.Tuple(elements), safe=True, description="make it a tuple")


def _is_shape_item(value: cst.BaseExpression) -> bool:
    """`x.shape[1]`, `x.shape[-1]`: one dimension of a shape, an int (slices are tuples)."""
    if not (
        isinstance(value, cst.Subscript)
        and isinstance(value.value, cst.Attribute)
        and value.value.attr.value == "shape"
        and len(value.slice) == 1
        and isinstance(value.slice[0].slice, cst.Index)
    ):
        return False
    index = value.slice[0].slice.value
    if isinstance(index, cst.UnaryOperation) and isinstance(index.operator, cst.Minus):
        index = index.expression
    return isinstance(index, cst.Integer)


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)
