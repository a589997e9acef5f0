"""KC405: a `/` in the name given to a layer, a model, an Input or a weight.

Keras 2 used `/` in names as TensorFlow name scopes (`block1/conv`), and code written
for it still spells names that way. Keras 3 rejects them at construction: "ValueError:
Argument `name` must be a string and cannot contain character `/`" (measured on Keras
3.15.1 for built-in layers, `keras.Input`, `keras.Model`, `keras.Sequential`, a
subclass's `super().__init__(name=...)` and `add_weight(name=...)`); tf_keras 2.21
accepts them, trains, saves and reloads (tests/affects_cases.py).

The name is read where it is written: a string literal, an f-string, a concatenation,
`"%s/conv" % prefix` or `"{}/conv".format(prefix)` whose literal text holds a `/`.
A name held in a variable is not followed. Metrics and losses accept a `/` (measured)
and are not reported.
"""
from __future__ import annotations

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, effect, said
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.names import canonical_keras_name, keras_class_name


class SlashInLayerName(Rule):
    code = "KC405"
    name = "slash-in-layer-name"
    severity = Severity.ERROR
    summary = "name='a/b' for a layer, model, Input or weight: Keras 3 raises ValueError at construction."
    fix_safety = ("unsafe",)
    affects = "Keras 3 (tf_keras 2 accepts the name)"
    effects = {
        "slash": effect(
            keras3=said(
                "the constructor raises ValueError",
                "(Argument `name` must be a string and cannot contain character `/`)",
                " ",
            ),
            keras2=None,
        ),
    }

    def visit_Call(self, node: cst.Call) -> None:
        argument = syntax.keyword(node, "name")
        if argument is None:
            return
        parts = _slash_parts(argument.value)
        if not parts or not self._names_a_keras_object(node):
            return
        consequence = self.consequence("slash")
        if consequence is None:
            return
        # Unsafe: the names are part of the weights' paths, so a checkpoint written under
        # the old names no longer matches.
        fix = Fix(
            tuple((part, _without_slash(part)) for part in parts),
            safe=False,
            description="replace '/' with '_' in the name",
        )
        self.report(
            argument.value,
            f"the name {_shown(argument.value)} contains '/': {self.consequence('slash', short=True)}",
            fix=fix,
            help=f"{consequence}; use '_' instead",
        )

    def _names_a_keras_object(self, call: cst.Call) -> bool:
        """Whether `call` constructs what Keras 3 names with a check: a built-in or in-tree
        layer or model, keras.Input, a Model/Sequential, keras.Variable or an optimizer; a
        Keras class's parent initializer (`super().__init__(name=...)`); or
        `self.add_weight(name=...)`."""
        func = call.func
        if syntax.method_call_name(call) in knowledge.SLASH_CHECKED_METHODS:
            return self.context.current_method() is not None and isinstance(func.value, cst.Name)
        if syntax.is_super_call(call, "__init__") or _explicit_init(call):
            found = self.context.current_method()
            return found is not None and found[1].name.value == "__init__"
        qualified = self.module.qualified_name(func)
        if qualified is not None:
            canonical = canonical_keras_name(qualified)
            if canonical is None:
                return False
            return (
                canonical in knowledge.SLASH_CHECKED_CALLEES
                or (canonical.startswith(knowledge.SLASH_CHECKED_MODULES) and canonical.rpartition(".")[2][:1].isupper())
                or keras_class_name(qualified) is not None
            )
        return self.module.tree_keras_class(func) is not None


def _explicit_init(call: cst.Call) -> bool:
    """`Base.__init__(self, ...)` (the class's parent named explicitly)."""
    func = call.func
    return isinstance(func, cst.Attribute) and func.attr.value == "__init__" and not syntax.is_super_attribute(func)


def _slash_parts(value: cst.BaseExpression) -> list[cst.CSTNode]:
    """The literal pieces of a name expression that hold a `/`: string literals, f-string
    text, the operands of `+`, the format string of `%` and `.format()`."""
    if isinstance(value, cst.SimpleString):
        text = syntax.string_value(value)
        return [value] if text is not None and "/" in text and "b" not in value.prefix.lower() else []
    if isinstance(value, cst.FormattedString):
        return [part for part in value.parts if isinstance(part, cst.FormattedStringText) and "/" in part.value]
    if isinstance(value, cst.ConcatenatedString):
        return _slash_parts(value.left) + _slash_parts(value.right)
    if isinstance(value, cst.BinaryOperation):
        if isinstance(value.operator, cst.Add):
            return _slash_parts(value.left) + _slash_parts(value.right)
        if isinstance(value.operator, cst.Modulo):
            return _slash_parts(value.left)
        return []
    if isinstance(value, cst.Call) and syntax.method_call_name(value) == "format":
        return _slash_parts(value.func.value)
    return []


def _without_slash(part: cst.CSTNode) -> cst.CSTNode:
    """The literal with every `/` of its text as `_` (a `/` is never part of an escape)."""
    return part.with_changes(value=part.value.replace("/", "_"))


def _shown(value: cst.BaseExpression) -> str:
    """The name as the message quotes it: the string, or the code that builds it."""
    text = syntax.string_value(value)
    if text is not None:
        return repr(text)
    code = cst.Module(body=[]).code_for_node(value)
    return f"`{code if len(code) <= 60 else code[:57] + '...'}`"
