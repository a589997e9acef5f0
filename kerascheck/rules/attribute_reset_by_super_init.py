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
from kerascheck.rules.base import Fix, Rule, effect, said
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.names import keras_base_kind


def _consequence(attribute: str) -> str:
    """What setting `attribute` before the parent initializer does (measured); the message
    has room for the value it reads back, the help says where another value comes from."""
    value = knowledge.LAYER_INIT_RESET_VALUES.get(attribute)
    if value is None:
        return said("the assignment raises AttributeError", "as the layer is not initialized yet", ", ")
    value, _, unless = value.partition(" (")
    return said(f"the parent initializer resets it, so it reads back {value}", unless, " (")


class AttributeResetBySuperInit(Rule):
    code = "KC105"
    name = "attribute-reset-by-super-init"
    severity = Severity.ERROR
    summary = "Layer attribute set before super().__init__(), which resets it."
    affects = "Keras 2 and Keras 3 (autocast and supports_jit: Keras 3)"
    fix_safety = ('safe',)
    effects = {
        attribute.replace("_", "-"): effect(
            keras3=_consequence(attribute),
            keras2=None if attribute in knowledge.LAYER_INIT_KEPT_ON_KERAS2 else _consequence(attribute),
            keras2_old=None
            if attribute in knowledge.LAYER_INIT_KEPT_ON_KERAS2 | knowledge.LAYER_INIT_UNSURE_ON_KERAS2_OLD
            else "as keras2",
        )
        for attribute in sorted(knowledge.LAYER_INIT_ATTRIBUTES)
    }

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value != "__init__":
            return
        found = self.context.current_method()
        if found is None or found[1] is not node:
            return
        owner = syntax.self_name(node)
        if owner is None:
            return
        # Source order of the statements that matter: attribute stores and parent inits.
        stores: list[tuple[int, str, cst.CSTNode]] = []
        inits: list[tuple[int, cst.Call]] = []
        for position, sub in enumerate(syntax.walk_scope(node.body)):
            if isinstance(sub, cst.Call) and self._is_parent_init(sub, owner):
                inits.append((position, sub))
                continue
            for target in syntax.flatten_targets(syntax.assign_targets(sub)):
                attribute = syntax.self_attribute(target, owner)
                if attribute in knowledge.LAYER_INIT_ATTRIBUTES:
                    stores.append((position, attribute, target))
        if not inits:
            return  # no parent initializer at all is KC301's finding
        last_init, last_call = inits[-1]
        reported = []
        for position, attribute, target in stores:
            if position > last_init:
                continue
            if any(p > last_init and a == attribute for p, a, _ in stores):
                continue  # set again after the parent initializer: the later value wins
            restoring = knowledge.LAYER_INIT_KEYWORDS.get(attribute)
            if restoring and syntax.keyword(last_call, restoring):
                continue  # `super().__init__(trainable=trainable)` hands the value back
            if attribute == "supports_masking" and self._computes_mask(found[0]):
                continue  # Layer.__init__ sets supports_masking itself when compute_mask is overridden
            reported.append((attribute, target))
        reported = [(attribute, target) for attribute, target in reported if self._situation(attribute)]
        fix, movable = self._move_after_init(node, owner, last_call, reported)
        for attribute, target in reported:
            situation = self._situation(attribute)
            self.report(
                target,
                f"'{attribute}' is set before super().__init__(): {self.consequence(situation, short=True)}",
                fix=fix if id(target) in movable else None,
                help=f"{self.consequence(situation)}; assign it after the super().__init__(...) call",
            )

    def _computes_mask(self, keras_class) -> bool:
        """Whether the class (or an in-tree ancestor) overrides compute_mask: measured on
        Keras 3.15 and tf_keras 2.21, Layer.__init__ then sets supports_masking = True."""
        return self.module.index.defines_in_ancestry(keras_class.key, "compute_mask")

    # ---- the fix: move the assignments after the parent initializer ----------------------
    def _move_after_init(self, init: cst.FunctionDef, owner: str, call: cst.Call, reported) -> tuple:
        """(one Fix moving every movable reported assignment right after the parent
        initializer's statement, in their order; the ids of their targets). An
        assignment moves when it is a statement of its own in the body of `__init__`,
        its value has no side effect to reorder, and nothing between it and the parent
        call (the call included) reads `self` or rebinds what the value reads."""
        body = list(init.body.body) if isinstance(init.body, cst.IndentedBlock) else []
        anchor = next((k for k, line in enumerate(body) if _expression_of(line) is call), None)
        if anchor is None:
            return None, set()
        moved: list[int] = []
        targets: set[int] = set()
        for attribute, target in reported:
            index = next((k for k, line in enumerate(body[:anchor]) if _assigned_target(line) is target), None)
            if index is not None and self._movable(body, index, anchor, owner, attribute):
                moved.append(index)
                targets.add(id(target))
        if not moved:
            return None, set()
        moved.sort()
        replacements = [(body[k], cst.RemoveFromParent()) for k in moved]
        replacements.append((body[anchor], cst.FlattenSentinel([body[anchor], *(body[k] for k in moved)])))
        fix = Fix(tuple(replacements), safe=True, description="assign it after the super().__init__(...) call")
        return fix, targets

    def _movable(self, body: list, index: int, anchor: int, owner: str, attribute: str) -> bool:
        value = body[index].body[0].value
        if not self._without_side_effects(value):
            return False
        read = syntax.names_in(value)
        for line in body[index + 1: anchor + 1]:
            if _uses_self_beyond_stores(line, owner, attribute, allow_super=line is body[anchor]):
                return False
            if read & _rebound(line):
                return False
        return True

    def _without_side_effects(self, value: cst.CSTNode) -> bool:
        """Literals, names, attributes, operators, and calls of Keras constructors
        (`InputSpec(ndim=3)`): nothing whose evaluation order can matter."""
        for sub in syntax.walk(value):
            if isinstance(sub, (cst.Await, cst.Yield, cst.NamedExpr)):
                return False
            if isinstance(sub, cst.Call) and self.module.keras_name(sub.func) is None:
                return False
        return True

    def _is_parent_init(self, call: cst.Call, owner: str) -> bool:
        """`super().__init__(...)`, `super(Cls, self).__init__(...)`, or a Keras base's
        `Base.__init__(self, ...)` (a non-Keras mixin's initializer resets nothing)."""
        if syntax.is_super_call(call, "__init__"):
            return True
        if syntax.method_call_name(call) != "__init__":
            return False
        arguments = syntax.positional(call)
        if not arguments or not (isinstance(arguments[0].value, cst.Name) and arguments[0].value.value == owner):
            return False
        base = call.func.value
        if self.module.tree_keras_class(base) is not None:
            return True
        qualified = self.module.qualified_name(base)
        return qualified is not None and keras_base_kind(qualified) is not None

    def _situation(self, attribute: str) -> Optional[str]:
        """The situation of setting `attribute` early, when something happens on this file's Keras."""
        situation = attribute.replace("_", "-")
        return situation if self.consequence(situation) is not None else None


def _expression_of(line: cst.CSTNode) -> Optional[cst.BaseExpression]:
    """The expression of a statement line that is one expression (`super().__init__()`)."""
    if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and isinstance(line.body[0], cst.Expr):
        return line.body[0].value
    return None


def _assigned_target(line: cst.CSTNode) -> Optional[cst.CSTNode]:
    """The target of a statement line that is one single-target assignment (`self.a = v`)."""
    if (
        isinstance(line, cst.SimpleStatementLine)
        and len(line.body) == 1
        and isinstance(line.body[0], cst.Assign)
        and len(line.body[0].targets) == 1
    ):
        return line.body[0].targets[0].target
    return None


def _uses_self_beyond_stores(line: cst.CSTNode, owner: str, attribute: str, allow_super: bool) -> bool:
    """Whether `line` uses `owner` other than to store another attribute (`self.b = ...`)
    or, in the parent call's line, as `super(Cls, self)`'s argument."""
    allowed: set[int] = set()
    for node in syntax.walk(line):
        for target in syntax.flatten_targets(syntax.assign_targets(node)):
            stored = syntax.self_attribute(target, owner)
            if stored is not None and stored != attribute:
                allowed.add(id(target.value))
        if allow_super and isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "super":
            allowed.update(id(arg.value) for arg in node.args)
    return any(
        isinstance(node, cst.Name) and node.value == owner and id(node) not in allowed for node in syntax.walk(line)
    )


def _rebound(line: cst.CSTNode) -> set[str]:
    """Plain names a statement binds (assignment, loop and with targets, walrus...)."""
    names: set[str] = set()
    for node in syntax.walk(line):
        targets: list = list(syntax.assign_targets(node))
        if isinstance(node, (cst.For, cst.CompFor)):
            targets.append(node.target)
        elif isinstance(node, cst.NamedExpr):
            targets.append(node.target)
        elif isinstance(node, cst.AsName):
            targets.append(node.name)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            names.update(item.name.value for item in node.names)
        for target in syntax.flatten_targets(targets):
            if isinstance(target, cst.Name):
                names.add(target.value)
    return names
