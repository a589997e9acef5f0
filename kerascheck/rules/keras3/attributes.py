"""The `attribute` matcher: a removed attribute read on a known receiver
(`model.optimizer.lr`, `layer.input_spec` on Keras 3's removed list)."""
from __future__ import annotations

import libcst as cst

from kerascheck.rules.keras3 import edits
from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.semantic.file_state import code_of

@matcher("attribute")
class AttributeMatcher(Matcher):
    """Params: `attributes`: {name: {"to": suffix template or None, "safe": bool}},
    `receiver`: the kinds it applies to."""

    def visit_Attribute(self, node: cst.Attribute) -> None:
        name = node.attr.value
        spec = self.params["attributes"].get(name)
        if spec is None:
            return
        if self.params.get("not_self") and self.state._self_owner(node.value) is not None:
            return  # the class's own attribute of that name (`self.output_shape = output_shape`)
        kind = self.state.kind_of(node.value)
        if kind not in self.params["receiver"]:
            return
        parent = self.parent()
        if spec.get("not_called") and isinstance(parent, cst.Call) and parent.func is node:
            return
        fix = None
        if spec.get("to"):
            fix = edits.fix([(node, edits.expression("{0}" + spec["to"], node.value))], spec.get("safe", False),
                            f"use {spec['to']}")
        self.flag(node, self.entry.render(written=code_of(node), member=name, hint=spec.get("hint", ""), kind=kind,
                                          owner=self.state.owner_phrase(node.value)),
                  fix=fix)


