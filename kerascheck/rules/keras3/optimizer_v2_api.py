"""KC526 (optimizer-v2-api), its class half: an optimizer subclass written against
OptimizerV2 (the `method` rows of the table find the calls)."""
from __future__ import annotations

import libcst as cst

from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.semantic import syntax

@matcher("optimizer_v2_subclass")
class OptimizerV2Subclass(Matcher):
    """KC526: a Keras optimizer subclass written against OptimizerV2: it defines
    `_resource_apply_dense` / `_resource_apply_sparse` / `_create_slots` / `get_updates`, or
    calls `self._set_hyper` / `self._get_hyper`."""

    _METHODS = frozenset({"_resource_apply_dense", "_resource_apply_sparse", "_create_slots", "get_updates",
                          "_prepare_local"})
    _CALLS = frozenset({"_set_hyper", "_get_hyper"})

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not self.state.class_base(node, "keras.optimizers."):
            return
        methods = syntax.methods(node)
        defined = sorted(set(methods) & self._METHODS)
        if defined:
            self.flag(methods[defined[0]].name, self.entry.render(written=node.name.value, member=defined[0]))
            return
        for method in methods.values():
            for sub in syntax.walk(method):
                if isinstance(sub, cst.Call) and syntax.method_call_name(sub) in self._CALLS and isinstance(sub.func.value, cst.Name):
                    self.flag(sub.func, self.entry.render(written=node.name.value, member=sub.func.attr.value))
                    return


