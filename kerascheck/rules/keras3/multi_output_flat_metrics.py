"""KC535 (multi-output-flat-metrics): a multi-output functional model compiled with one
flat metrics list."""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.rules.keras3 import edits
from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.semantic import syntax
from kerascheck.semantic.file_state import FUNCTIONAL, code_of

@matcher("multi_output_metrics")
class MultiOutputMetrics(Matcher):
    """KC535: `Model(inp, [a, b])` in the module, compiled with a flat `metrics=[...]`
    shorter than the number of outputs."""

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        # (scope, name) -> number of outputs, as the latest assignment in source order left it.
        self._outputs: dict[tuple, int] = {}

    def _scope(self) -> int:
        return id(next(n for n in reversed(self.context.ancestors) if isinstance(n, (cst.FunctionDef, cst.Module))))

    def visit_Assign(self, node: cst.Assign) -> None:
        count = self._output_count(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                key = (self._scope(), target.target.value)
                if count is None:
                    self._outputs.pop(key, None)
                else:
                    self._outputs[key] = count

    def _output_count(self, value) -> Optional[int]:
        if not isinstance(value, cst.Call) or self.state.call_kind(value) != FUNCTIONAL:
            return None
        outputs = syntax.keyword(value, "outputs")
        positional = syntax.positional(value)
        outputs = outputs.value if outputs is not None else (positional[1].value if len(positional) > 1 else None)
        if isinstance(outputs, (cst.List, cst.Tuple)) and len(outputs.elements) >= 2 and not any(
            isinstance(e, cst.StarredElement) for e in outputs.elements
        ):
            return len(outputs.elements)
        return None

    def visit_Call(self, node: cst.Call) -> None:
        if syntax.method_call_name(node) != "compile" or not isinstance(node.func.value, cst.Name):
            return
        count = self._outputs.get((self._scope(), node.func.value.value))
        metrics = syntax.keyword(node, "metrics")
        if count is None or metrics is None or not isinstance(metrics.value, (cst.List, cst.Tuple)):
            return
        elements = metrics.value.elements
        if not elements or any(isinstance(e.value, (cst.List, cst.Tuple, cst.Dict)) or isinstance(e, cst.StarredElement) for e in elements):
            return
        if len(elements) >= count:
            return
        per_output = code_of(metrics.value)
        new = cst.parse_expression("[" + ", ".join([per_output] * count) + "]")
        fix = edits.fix([(metrics.value, new)], False, "one metrics list per output")
        self.flag(metrics.value, self.entry.render(written=code_of(metrics.value), member=str(count)), fix=fix)
