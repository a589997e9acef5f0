"""KC308: a number argument whose attribute `__init__` overwrites with the layer built from
it, and that `get_config()` then emits.

`self.rate = rate` ... `self.rate = Dropout(rate)` (or `self.rate = Dropout(rate)` alone)
leaves a Dropout layer, not the number, under `"rate": self.rate` in the config. Measured
on Keras 3.15.1: the model saves to .keras, but `load_model` raises TypeError ("could not
be deserialized properly"), and so do the .h5 reload and `from_config` ("Error when
deserializing class"). On tf_keras 2.21 every reload succeeds and hands the layer (or its
config dict) back as the argument: the reloaded Dropout then fails at the first training
call (ValueError "`rate` must be a scalar or scalar tensor"), a Dense at the reload
(TypeError). `json.dumps(get_config())` fails on both.

The argument counts as a number when its default is an int or float literal or it is
annotated `int` / `float`: an argument of another kind may be something the layer
constructor accepts back (a string activation), and its reload was not measured.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, effect, said
from kerascheck.rules.support import config_entries
from kerascheck.semantic import syntax

_NUMBER_ANNOTATIONS = frozenset({"int", "float"})
_JSON = "; json.dumps(get_config()) raises TypeError"


class ConfigAttributeOverwritten(Rule):
    code = "KC308"
    name = "config-attribute-overwritten"
    severity = Severity.ERROR
    summary = "get_config() emits a number argument's attribute that __init__ overwrote with a layer."
    affects = "Keras 2 and Keras 3 (Keras 3 fails at the reload, Keras 2 where the reloaded layer uses it)"
    effects = {
        "layer-object": effect(
            keras3=said(
                "load_model and from_config fail on it",
                "TypeError (.keras: \"could not be deserialized properly\"; .h5 and from_config: \"Error when "
                "deserializing class\")" + _JSON,
            ),
            keras2=said(
                "the reloaded layer gets it for the number",
                "load_model (.keras, .h5) and from_config pass the layer (or its config dict) as the argument, "
                "so the layer fails where it uses it (Dropout: ValueError \"`rate` must be a scalar or scalar "
                "tensor\" at the first training call; Dense: TypeError at the reload)" + _JSON,
            ),
        ),
    }

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        found = config_entries.get_config_and_init(self.context, node)
        if found is None:
            return
        class_def, init = found
        parameters = config_entries.constructor_parameters(init)
        for key, value, attribute in config_entries.emitted_entries(node):
            parameter = parameters.get(key)
            if attribute is None or parameter is None or not _is_number(parameter):
                continue
            layer = self._last_layer_assigned(init, attribute, key)
            if layer is None or config_entries.defines_from_config_reading(class_def, key):
                continue
            consequence = self.consequence("layer-object")
            if consequence is None:
                return
            self.report(
                value,
                f"get_config() emits the layer in `self.{attribute}` as '{key}': "
                f"{self.consequence('layer-object', short=True)}",
                help=f"__init__ overwrites `self.{attribute}` with the layer it builds from `{key}`: {consequence}. "
                f"Keep the number in its own attribute (`self.{key} = {key}`, `self.{attribute}_layer = ...`) "
                "and emit the number.",
            )

    def _last_layer_assigned(self, init: cst.FunctionDef, attribute: str, parameter: str) -> Optional[cst.Call]:
        """The Keras layer construction that `__init__` last assigns to `self.<attribute>`,
        when it is built from `parameter` (`self.rate = Dropout(rate)`); None otherwise."""
        owner = syntax.self_name(init)
        last = None
        for node in syntax.walk_scope(init.body):
            if isinstance(node, (cst.Assign, cst.AnnAssign)) and node.value is not None:
                if any(syntax.self_attribute(target, owner) == attribute for target in syntax.assign_targets(node)):
                    last = node.value
        if not isinstance(last, cst.Call) or parameter not in syntax.names_in(last):
            return None
        if self.module.builtin_layer(last.func) or self.module.tree_keras_class(last.func) is not None:
            return last
        return None


def _is_number(parameter: cst.Param) -> bool:
    default = parameter.default
    if isinstance(default, cst.UnaryOperation) and isinstance(default.operator, cst.Minus):
        default = default.expression
    if isinstance(default, (cst.Integer, cst.Float)):
        return True
    annotation = parameter.annotation
    return annotation is not None and isinstance(annotation.annotation, cst.Name) and (
        annotation.annotation.value in _NUMBER_ANNOTATIONS
    )
