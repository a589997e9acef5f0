"""KC406: the inputs or outputs of a Sequential model that has no input yet.

A Sequential gets its input from a leading `keras.Input(...)` (or `InputLayer`), from
`input_shape=` on its first layer, or when it is first built: called on a `keras.Input`,
`build(shape)`, or called, fit or used to predict on data. Before that it has no graph:
on Keras 3, `model.inputs`/`model.outputs` raise AttributeError ("Sequential model
'sequential' has no defined inputs yet"), and on tf_keras they are None, so whatever
uses them fails (`keras.Model(None, ...)` raises ValueError, `inputs[0]` TypeError). Its
layers' `.output`/`.input` raise AttributeError on both ("has never been called and
thus has no defined output" / "has no inbound nodes"). Measured on Keras 3.15.1 and
tf_keras 2.21 (tests/affects_cases.py). The Sequential's own `.input`/`.output` are
KC518's: Keras 3 refuses them even on a built model.

The model is followed through its name, in source order, within one function or the
module: a Sequential made of known layers with no input, then `model.inputs` or
`model.layers[0].output` (also `model.get_layer(...)`, a loop over `model.layers`)
before anything may have built it. Any other use of the name (a call, a method other
than add/compile/summary/get_layer/pop, passing it on) ends what is known.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, effect, said
from kerascheck.semantic import knowledge, syntax, target
from kerascheck.semantic.file_state import code_of
from kerascheck.semantic.names import resolves_to

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
_ATTRIBUTE_ERROR = "it raises AttributeError"


@dataclass
class _Stack:
    """A Sequential bound to a name: whether it has an input (True), certainly has none
    (False), or cannot be told (None); `empty` while no layer was given."""

    has_input: Optional[bool]
    empty: bool = False


class SequentialIoBeforeBuild(Rule):
    code = "KC406"
    name = "sequential-io-before-build"
    severity = Severity.ERROR
    summary = "model.inputs / model.layers[i].output of a Sequential with no Input that was never built."
    affects = "Keras 2 and Keras 3 (model.inputs: AttributeError on Keras 3, None on Keras 2)"
    effects = {
        "model-io": effect(
            keras3=said(
                _ATTRIBUTE_ERROR, "(Sequential model 'sequential' has no defined inputs yet / outputs yet)", " "
            ),
            keras2=said(
                "it is None until the model is built",
                "so what uses it fails (keras.Model(None, ...) raises ValueError, inputs[0] raises TypeError)",
                ", ",
            ),
        ),
        "layer-io": effect(
            keras3=said(
                _ATTRIBUTE_ERROR, "(The layer ... has never been called and thus has no defined output / input)", " "
            ),
            keras2=said(
                _ATTRIBUTE_ERROR, "(Layer ... has no inbound nodes / is not connected, no input to return)", " "
            ),
        ),
    }

    def __init__(self, context):
        super().__init__(context)
        # (id of the scope node, name) -> the Sequential bound to the name in that scope,
        # and the loop variables that run over its layers.
        self._stacks: dict[tuple[int, str], _Stack] = {}
        self._layer_loops: dict[tuple[int, str], _Stack] = {}
        # One finding per statement and model: `keras.Model(model.inputs, model.outputs)`
        # is one problem.
        self._reported: set[tuple[int, int]] = set()

    # ---- bindings -------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        if self._stacks or self._layer_loops:
            scope = self._scope()
            for assigned in syntax.flatten_targets(syntax.assign_targets(node)):
                if isinstance(assigned, cst.Name):
                    self._stacks.pop((scope, assigned.value), None)
                    self._layer_loops.pop((scope, assigned.value), None)

    def visit_For(self, node: cst.For) -> None:
        stack = self._layers_of(node.iter)
        loop_variable = _layer_variable(node.target, node.iter)
        if stack is not None and loop_variable is not None:
            self._layer_loops[(self._scope(), loop_variable)] = stack

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if self._stacks:
            if isinstance(func, cst.Name) and (self._scope(), func.value) in self._stacks:
                del self._stacks[(self._scope(), func.value)]  # called: built (or unknown)
                return
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
                key = (self._scope(), func.value.value)
                stack = self._stacks.get(key)
                if stack is not None:
                    method = func.attr.value
                    if method == "add":
                        layer = next(iter(syntax.positional(node)), None) or syntax.keyword(node, "layer")
                        self._added(stack, layer.value if layer is not None else None)
                    elif method not in knowledge.SEQUENTIAL_NON_BUILDING_METHODS:
                        del self._stacks[key]  # build, fit, predict... or anything unknown
                    return
        # Every call passes here: a dotted callee must end in `.Sequential` before its name
        # is resolved (a bare name may be an alias, so it is always resolved).
        if isinstance(func, cst.Attribute) and func.attr.value != "Sequential":
            return
        if resolves_to(self.module.keras_name(func), knowledge.SEQUENTIAL_CLASSES):
            self._sequential(node)

    def visit_Name(self, node: cst.Name) -> None:
        """A tracked name used in any other way (passed on, returned, stored elsewhere)
        may be built by what receives it."""
        if not self._stacks:
            return
        key = (self._scope(), node.value)
        if key not in self._stacks:
            return
        parent = self.context.ancestors[-2] if len(self.context.ancestors) > 1 else None
        if isinstance(parent, cst.Attribute) and parent.value is node:
            return
        if isinstance(parent, cst.Call) and parent.func is node:
            return
        if isinstance(parent, cst.AssignTarget) and parent.target is node:
            return
        del self._stacks[key]

    # ---- the accesses ---------------------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        attribute = node.attr.value
        if attribute in knowledge.SEQUENTIAL_IO and isinstance(node.value, cst.Name):
            stack = self._stacks.get((self._scope(), node.value.value))
            if stack is not None and stack.has_input is False and not stack.empty:
                self._report(node, stack, "model-io", "Sequential")
        elif attribute in knowledge.LAYER_IO:
            stack = self._layer_owner(node.value)
            if stack is not None and stack.has_input is False and not stack.empty:
                self._report(node, stack, "layer-io", "layer of a Sequential")

    def _report(self, node: cst.Attribute, stack: _Stack, situation: str, what: str) -> None:
        consequence = self.consequence(situation)
        statement = self.context.enclosing((cst.SimpleStatementLine, cst.BaseCompoundStatement))
        key = (id(statement), id(stack))
        if consequence is None or key in self._reported:
            return
        self._reported.add(key)
        self.report(
            node,
            f"`{code_of(node)}` of a {what} that has no input yet: {self.consequence(situation, short=True)}",
            help=f"the model has no keras.Input, no input_shape and is not built before this line: {consequence}; "
            "start the model with keras.Input(shape=...)",
        )

    # ---- what a Sequential is made of -------------------------------------------------------
    def _sequential(self, node: cst.Call) -> None:
        parent = self.context.ancestors[-2] if len(self.context.ancestors) > 1 else None
        if not (isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1):
            return
        name = parent.targets[0].target
        if not isinstance(name, cst.Name):
            return
        layers = syntax.keyword(node, "layers") or next(iter(syntax.positional(node)), None)
        stack = _Stack(has_input=False, empty=True)
        if layers is None or (isinstance(layers.value, cst.Name) and layers.value.value == "None"):
            pass
        elif isinstance(layers.value, (cst.List, cst.Tuple)):
            for element in layers.value.elements:
                self._added(stack, None if isinstance(element, cst.StarredElement) else element.value)
        else:
            stack = _Stack(has_input=None)
        self._stacks[(self._scope(), name.value)] = stack

    def _added(self, stack: _Stack, layer: Optional[cst.BaseExpression]) -> None:
        """One more layer: the first decides whether the model has an input; any layer
        with an input shape is given the benefit of the doubt."""
        found = self._gives_input(layer)
        if stack.empty:
            stack.has_input, stack.empty = found, False
        elif found:
            stack.has_input = True

    def _gives_input(self, layer: Optional[cst.BaseExpression]) -> Optional[bool]:
        """True for keras.Input / InputLayer / a layer given an input shape, False for a
        known layer without one, None when unknown (a name, a model, a function's result)."""
        if not isinstance(layer, cst.Call):
            return None
        if resolves_to(self.module.keras_name(layer.func), knowledge.INPUT_FUNCTIONS):
            return True
        builtin = self.module.builtin_layer(layer.func)
        if builtin is None:
            key = self.module.tree_keras_class(layer.func)
            if key is None or self.module.index.keras_kind(key) != "layer":
                return None
        elif builtin == "InputLayer":
            return True
        keywords = knowledge.SEQUENTIAL_INPUT_KEYWORDS
        if self.context.target.keras != target.KERAS3:
            keywords = keywords | knowledge.SEQUENTIAL_INPUT_KEYWORDS_KERAS2
        if any(arg.star == "**" or (arg.keyword is not None and arg.keyword.value in keywords) for arg in layer.args):
            return True
        return False

    # ---- which Sequential a layer comes from ----------------------------------------------
    def _layers_of(self, expression: cst.BaseExpression) -> Optional[_Stack]:
        """The tracked Sequential whose layers `expression` iterates: `model.layers`,
        `model.layers[1:]`, `enumerate(model.layers)`, `reversed(...)`."""
        if isinstance(expression, cst.Call) and syntax.callee_name(expression) in ("enumerate", "reversed", "list"):
            expression = expression.args[0].value if expression.args else expression
        if isinstance(expression, cst.Subscript):
            expression = expression.value
        if isinstance(expression, cst.Attribute) and expression.attr.value == "layers" \
                and isinstance(expression.value, cst.Name):
            return self._stacks.get((self._scope(), expression.value.value))
        return None

    def _layer_owner(self, expression: cst.BaseExpression) -> Optional[_Stack]:
        """The tracked Sequential that `expression` takes a layer from: `model.layers[i]`,
        `model.get_layer(...)`, a loop variable over `model.layers` (a `for` or a
        comprehension)."""
        if isinstance(expression, cst.Subscript):
            return self._layers_of(expression.value) if isinstance(expression.value, cst.Attribute) else None
        if isinstance(expression, cst.Call):
            func = expression.func
            if isinstance(func, cst.Attribute) and func.attr.value == "get_layer" and isinstance(func.value, cst.Name):
                return self._stacks.get((self._scope(), func.value.value))
            return None
        if not isinstance(expression, cst.Name):
            return None
        for node in reversed(self.context.ancestors):
            if isinstance(node, _COMPREHENSIONS):
                loop = node.for_in
                while loop is not None:
                    if _layer_variable(loop.target, loop.iter) == expression.value:
                        return self._layers_of(loop.iter)
                    loop = loop.inner_for_in
            elif isinstance(node, (cst.FunctionDef, cst.Lambda)):
                break
        return self._layer_loops.get((self._scope(), expression.value))

    def _scope(self) -> int:
        scope = self.context.enclosing((cst.FunctionDef, cst.Lambda))
        return id(scope if scope is not None else self.context.ancestors[0])


def _layer_variable(loop_target: cst.BaseExpression, iterable: cst.BaseExpression) -> Optional[str]:
    """The loop variable that holds a layer: `layer` in `for layer in ...` and in
    `for i, layer in enumerate(...)`."""
    if isinstance(loop_target, cst.Name):
        return loop_target.value
    if isinstance(loop_target, cst.Tuple) and len(loop_target.elements) == 2 \
            and isinstance(iterable, cst.Call) and syntax.callee_name(iterable) == "enumerate" and isinstance(loop_target.elements[1].value, cst.Name):
        return loop_target.elements[1].value.value
    return None
