"""KC105: a layer attribute assigned before `super().__init__()`, which resets it.

`Layer.__init__` assigns `supports_masking`, `trainable`, `built`, `input_spec`,
`activity_regularizer`... itself. Set one of them first and the parent initializer
silently overwrites it: measured on Keras 3.15, `supports_masking = True` set before
`super().__init__()` reads back `False` (Keras 2 resets it too). Sub-layers and plain
attributes may come first; these may not.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules import helpers
from kerascheck.rules.base import Rule
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import keras_base_kind


class AttributeResetBySuperInit(Rule):
    code = "KC105"
    name = "attribute-reset-by-super-init"
    severity = Severity.ERROR
    summary = "Layer attribute set before super().__init__(), which resets it."
    affects = "Keras 2 and Keras 3"

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value != "__init__":
            return
        found = self.context.current_method()
        if found is None or found[1] is not node:
            return
        owner = helpers.self_name(node)
        if owner is None:
            return
        # Source order of the statements that matter: attribute stores and parent inits.
        stores: list[tuple[int, str, cst.CSTNode]] = []
        inits: list[tuple[int, cst.Call]] = []
        for position, sub in enumerate(helpers.walk_scope(node.body)):
            if isinstance(sub, cst.Call) and self._is_parent_init(sub, owner):
                inits.append((position, sub))
                continue
            for target in helpers.flatten_targets(helpers.assign_targets(sub)):
                attribute = helpers.self_attribute(target, owner)
                if attribute in knowledge.LAYER_INIT_ATTRIBUTES:
                    stores.append((position, attribute, target))
        if not inits:
            return  # no parent initializer at all is KC301's finding
        last_init, last_call = inits[-1]
        for position, attribute, target in stores:
            if position > last_init:
                continue
            if any(p > last_init and a == attribute for p, a, _ in stores):
                continue  # set again after the parent initializer: the later value wins
            restoring = knowledge.LAYER_INIT_KEYWORDS.get(attribute)
            if restoring and helpers.keyword(last_call, restoring):
                continue  # `super().__init__(trainable=trainable)` hands the value back
            self.report(target, self._message(attribute))

    def _is_parent_init(self, call: cst.Call, owner: str) -> bool:
        """`super().__init__(...)`, `super(Cls, self).__init__(...)`, or a Keras base's
        `Base.__init__(self, ...)` (a non-Keras mixin's initializer resets nothing)."""
        if helpers.is_super_call(call, "__init__"):
            return True
        if helpers.method_call_name(call) != "__init__":
            return False
        arguments = helpers.positional(call)
        if not arguments or not (isinstance(arguments[0].value, cst.Name) and arguments[0].value.value == owner):
            return False
        base = call.func.value
        if self.module.tree_keras_class(base) is not None:
            return True
        qualified = self.module.qualified_name(base)
        return qualified is not None and keras_base_kind(qualified) is not None

    @staticmethod
    def _message(attribute: str) -> str:
        value: Optional[str] = knowledge.LAYER_INIT_RESET_VALUES.get(attribute)
        if value is None:
            consequence = "on Keras 3 the assignment raises AttributeError, as the layer is not initialized yet"
        else:
            consequence = f"the parent initializer resets it, so it reads back {value}"
        return (
            f"'{attribute}' is set before super().__init__(): {consequence}; "
            "assign it after the super().__init__(...) call"
        )
