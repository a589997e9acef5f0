"""KC520 (metrics-names-zip): `model.metrics_names` zipped with evaluation results."""
from __future__ import annotations

import libcst as cst

from kerascheck.rules.keras3 import edits
from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.semantic import syntax
from kerascheck.semantic.file_state import MODEL_KINDS, code_of

@matcher("metrics_names")
class MetricsNames(Matcher):
    """KC520: `zip(model.metrics_names, scores)`, `scores[model.metrics_names.index(...)]`."""

    _RESULTS = frozenset({"evaluate", "test_on_batch", "train_on_batch", "evaluate_generator"})

    def _model_names(self, node: cst.Attribute) -> bool:
        """`model.metrics_names` of a known Keras model (not a library's own attribute)."""
        return self.state.kind_of(node.value) in MODEL_KINDS

    def _results(self, value: cst.CSTNode) -> bool:
        """The list evaluate() (or test/train_on_batch) returned, directly or by a name bound
        to it in the same scope."""
        if isinstance(value, cst.Call):
            return syntax.method_call_name(value) in self._RESULTS
        if isinstance(value, cst.Name):
            scope = next(n for n in reversed(self.context.ancestors) if isinstance(n, (cst.FunctionDef, cst.Module)))
            for node in syntax.walk_scope(scope.body if isinstance(scope, cst.FunctionDef) else scope):
                if isinstance(node, cst.Assign) and any(
                    isinstance(t.target, cst.Name) and t.target.value == value.value for t in node.targets
                ) and isinstance(node.value, cst.Call) and syntax.method_call_name(node.value) in self._RESULTS:
                    return True
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "zip" and len(node.args) >= 2:
            names = [arg for arg in node.args if _is_metrics_names(arg.value)]
            if not names:
                return
            others = [arg.value for arg in node.args if arg not in names]
            if not (self._model_names(names[0].value) or any(self._results(value) for value in others)):
                return
            fix = self._fix(node)
            self.flag(names[0].value, self.entry.render(written=code_of(names[0].value), member="zip"), fix=fix)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        for element in node.slice:
            index = getattr(element.slice, "value", None)
            if isinstance(index, cst.Call) and syntax.method_call_name(index) == "index" and _is_metrics_names(index.func.value) \
                    and (self._model_names(index.func.value) or self._results(node.value)):
                self.flag(index.func.value, self.entry.render(written=code_of(index.func.value), member="index"))
                return

    def _fix(self, zip_call: cst.Call):
        """`dict(zip(model.metrics_names, model.evaluate(x, y)))` -> `model.evaluate(x, y, return_dict=True)`."""
        parent = self.parent()
        if not (isinstance(parent, cst.Arg) and isinstance(self.parent(2), cst.Call)):
            return None
        outer = self.parent(2)
        if not (isinstance(outer.func, cst.Name) and outer.func.value == "dict" and len(outer.args) == 1 and len(zip_call.args) == 2):
            return None
        other = zip_call.args[1].value
        if not (isinstance(other, cst.Call) and syntax.method_call_name(other) == "evaluate"):
            return None
        if syntax.keyword(other, "return_dict") is not None:
            return None
        return edits.fix([(outer, edits.with_arg(other, edits.keyword_arg("return_dict", "True")))], False,
                         "evaluate(..., return_dict=True)")


def _is_metrics_names(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Attribute) and node.attr.value == "metrics_names"


