"""KC527 (tensor-python-condition): a Python `if`/`while` on a tensor inside `call()`."""
from __future__ import annotations

import libcst as cst

from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.semantic import syntax
from kerascheck.semantic.file_state import code_of, flavor

@matcher("tensor_condition")
class TensorCondition(Matcher):
    """KC527 (opt-in): `if`/`while` in `call()` whose test compares or reduces the call's
    tensor arguments."""

    _STATIC = frozenset({"shape", "ndim", "dtype", "rank", "_keras_mask", "built", "name"})

    def _check(self, node, test) -> None:
        found = self.context.current_method()
        if found is None or found[1].name.value != "call":
            return
        method = found[1]
        names = syntax.param_names(method)
        # The inputs: the first parameter after self. The others are often Python values
        # (`padding="same"`, `mlen=0`) that a Python `if` may test.
        tensors = {names[1]} if len(names) > 1 and names[1] not in ("training", "mask") else set()
        if tensors and self._tensor_test(test, tensors):
            self.flag(test, self.entry.render(written=code_of(test)[:60], member=type(node).__name__.lower()))

    def _tensor_test(self, test: cst.CSTNode, tensors: set) -> bool:
        if isinstance(test, cst.BooleanOperation):
            return self._tensor_test(test.left, tensors) or self._tensor_test(test.right, tensors)
        if isinstance(test, cst.UnaryOperation):
            return self._tensor_test(test.expression, tensors)
        if isinstance(test, cst.Comparison):
            if any(isinstance(c.operator, (cst.Is, cst.IsNot, cst.In, cst.NotIn)) for c in test.comparisons):
                return False
            if any(isinstance(part, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString))
                   for part in [test.left, *[c.comparator for c in test.comparisons]]):
                return False
            return any(self._tensor_value(part, tensors) for part in [test.left, *[c.comparator for c in test.comparisons]])
        if isinstance(test, cst.Call):
            return self._reduction(test, tensors)
        return False

    def _tensor_value(self, node: cst.CSTNode, tensors: set) -> bool:
        if isinstance(node, cst.Name):
            return node.value in tensors
        if isinstance(node, cst.Subscript):
            return self._tensor_value(node.value, tensors)
        if isinstance(node, cst.Attribute):
            return False  # `x.shape`, `x.dtype`: static
        if isinstance(node, cst.BinaryOperation):
            return self._tensor_value(node.left, tensors) or self._tensor_value(node.right, tensors)
        if isinstance(node, cst.Call):
            return self._reduction(node, tensors)
        return False

    def _reduction(self, call: cst.Call, tensors: set) -> bool:
        qualified = self.state.qualified(call.func) or ""
        if not qualified.startswith(("tensorflow.", "keras.ops.", "keras.backend.")) and flavor(qualified) is None:
            return False
        last = qualified.rpartition(".")[2]
        if last in ("shape", "rank", "size", "is_tensor", "executing_eagerly", "int_shape", "ndim"):
            return False
        return any(self._tensor_value(arg.value, tensors) for arg in call.args)

    def visit_If(self, node: cst.If) -> None:
        self._check(node, node.test)

    def visit_While(self, node: cst.While) -> None:
        self._check(node, node.test)


