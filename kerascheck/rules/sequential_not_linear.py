"""KC401: a Sequential model asked to do what only a functional model can.

A Sequential is a plain stack: one input tensor goes into the first layer, each layer's
single output into the next. A merge layer (`Concatenate`, `Add`, ...) or a two-input
layer (`Attention`) after the first position receives one tensor and raises; a
Sequential fed a list of inputs hands the whole list to its first layer, which raises
unless that layer takes a list (a merge layer first is legal). Both fail the same way
on Keras 3 and tf_keras (measured, see `effects`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, everywhere, said
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.names import resolves_to

_LIST_LAYERS = knowledge.MERGE_LAYERS | knowledge.TWO_INPUT_LAYERS
# Statements that may run a nested `model.add(...)` zero times or more than once.
_CONDITIONAL = (cst.If, cst.For, cst.While, cst.Try, cst.ExceptHandler, cst.Match)
_EMPTY = ""  # the first layer of a Sequential built empty, before any `.add`


@dataclass
class _Stack:
    """What is known of a Sequential bound to a name: its first layer ("Dense", `_EMPTY`
    while nothing was added, None when unknown) and the last layer when it certainly
    returns one tensor (None otherwise)."""

    first: Optional[str]
    last: Optional[str]


@dataclass(frozen=True)
class _Layer:
    name: Optional[str]  # built-in class name, "Input", or None (in-tree, variable...)
    single_output: bool  # certainly returns one tensor


class SequentialNotLinear(Rule):
    code = "KC401"
    name = "sequential-not-linear"
    severity = Severity.ERROR
    summary = "Merge/two-input layer inside a Sequential, or a Sequential fed several inputs."
    affects = "Keras 2 and Keras 3, the same on both"
    effects = {
        "list-layer-inside": everywhere(
            said("building or calling the model raises ValueError", "(the layer needs a list of inputs)", " ")
        ),
        "several-inputs": everywhere(
            said(
                "its first layer raises ValueError",
                "(expects 1 input(s), but it received several), in a direct call and in fit()",
                " ",
            )
        ),
    }

    def __init__(self, context):
        super().__init__(context)
        # (id of the scope node, name) -> the Sequential bound to the name in that scope.
        self._stacks: dict[tuple[int, str], _Stack] = {}

    # ---- bindings ----------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        """Any assignment to a tracked name ends what we know; a new `Sequential(...)`
        value registers it again when its call is visited."""
        if self._stacks:
            scope = self._scope()
            for target in syntax.flatten_targets(syntax.assign_targets(node)):
                if isinstance(target, cst.Name):
                    self._stacks.pop((scope, target.value), None)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            stack = self._stacks.get((self._scope(), node.func.value))
            if stack is not None:
                self._check_inputs(stack, node, syntax.positional(node)[:1])
                return
        elif isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
            stack = self._stacks.get((self._scope(), node.func.value.value))
            if stack is not None:
                self._tracked_method(stack, node, node.func.attr.value)
                return
        if resolves_to(self.module.keras_name(node.func), knowledge.SEQUENTIAL_CLASSES):
            self._sequential(node)

    def _sequential(self, node: cst.Call) -> None:
        layers = syntax.keyword(node, "layers") or next(iter(syntax.positional(node)), None)
        if layers is None:
            stack = _Stack(first=_EMPTY, last=None)
        elif isinstance(layers.value, (cst.List, cst.Tuple)):
            stack = _Stack(first=_EMPTY, last=None)
            for element in layers.value.elements:
                if isinstance(element, cst.StarredElement):
                    stack.first = None if stack.first == _EMPTY else stack.first
                    stack.last = None
                    continue
                self._added(stack, element.value, conditional=False)
        else:
            stack = _Stack(first=None, last=None)
        parent = self.context.ancestors[-2] if len(self.context.ancestors) > 1 else None
        if isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1:
            target = parent.targets[0].target
            if isinstance(target, cst.Name):
                self._stacks[(self._scope(), target.value)] = stack

    def _tracked_method(self, stack: _Stack, node: cst.Call, method: str) -> None:
        if method == "add":
            layer = next(iter(syntax.positional(node)), None) or syntax.keyword(node, "layer")
            if layer is not None:
                self._added(stack, layer.value, conditional=self._conditional())
        elif method == "pop":
            stack.last = None
        elif method in knowledge.MODEL_INPUT_METHODS:
            self._check_inputs(stack, node, [syntax.keyword(node, "x") or next(iter(syntax.positional(node)), None)])

    def _added(self, stack: _Stack, expression: cst.BaseExpression, conditional: bool) -> None:
        """One more layer on the stack: report a list-taking layer that follows a layer
        known to return one tensor, then update what is known."""
        layer = self._layer(expression)
        consequence = self.consequence("list-layer-inside", short=True)
        if layer.name in _LIST_LAYERS and stack.last is not None and consequence:
            self.report(
                expression,
                f"{layer.name} after {stack.last} inside a Sequential: {consequence}",
                help=f"{layer.name} receives the single output of {stack.last}, not a list: {consequence} "
                f"({_list_error(layer.name)}); use the functional API (keras.Model(inputs, outputs)) for "
                "non-linear topologies",
            )
        if stack.first == _EMPTY:
            stack.first = layer.name if not conditional else None
        if conditional:
            stack.last = stack.last if layer.single_output else None
        else:
            stack.last = layer.name if layer.single_output else None

    def _check_inputs(self, stack: _Stack, node: cst.Call, arguments) -> None:
        """`model([a, b])`, `model.fit([x1, x2], y)`: several inputs for one first layer."""
        argument = arguments[0] if arguments else None
        if argument is None or not isinstance(argument.value, cst.List):
            return
        elements = argument.value.elements
        if len(elements) < 2 or any(isinstance(e, cst.StarredElement) for e in elements):
            return
        if all(_literal_data(e.value) for e in elements):
            return  # `fit(x=["a", "b", "c"])`: one batch of samples, not several inputs
        first = stack.first
        if not first or first in _LIST_LAYERS or first in knowledge.ANY_STRUCTURE_LAYERS:
            return
        consequence = self.consequence("several-inputs", short=True)
        if consequence is None:
            return
        self.report(
            argument.value,
            f"a Sequential model given a list of {len(elements)} inputs: {consequence}",
            help=f"a Sequential model has one input: its first layer ({first}) raises ValueError (expects 1 "
            f"input(s), but it received {len(elements)} input tensors); build a functional keras.Model with "
            "one keras.Input per input",
        )

    # ---- small questions -----------------------------------------------------------------
    def _layer(self, expression: cst.BaseExpression) -> _Layer:
        if not isinstance(expression, cst.Call):
            return _Layer(None, False)
        if resolves_to(self.module.keras_name(expression.func), knowledge.INPUT_FUNCTIONS):
            return _Layer("Input", True)
        name = self.module.builtin_layer(expression.func)
        if name is None:
            return _Layer(None, False)
        list_output = name in knowledge.ANY_STRUCTURE_LAYERS or any(
            arg.keyword is not None
            and arg.keyword.value in knowledge.LIST_OUTPUT_KEYWORDS
            and not (isinstance(arg.value, cst.Name) and arg.value.value in ("False", "None"))
            for arg in expression.args
        )
        return _Layer(name, not list_output)

    def _scope(self) -> int:
        scope = self.context.enclosing((cst.FunctionDef, cst.Lambda))
        return id(scope if scope is not None else self.context.ancestors[0])

    def _conditional(self) -> bool:
        """Whether the node being visited sits in a branch or loop of its scope."""
        for node in reversed(self.context.ancestors):
            if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.Module)):
                return False
            if isinstance(node, _CONDITIONAL):
                return True
        return False


def _literal_data(node: cst.BaseExpression) -> bool:
    """A literal sample: a string or number (`-3` too), or a list/tuple of them."""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        node = node.expression
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)):
        return True
    if isinstance(node, (cst.List, cst.Tuple)):
        return all(
            not isinstance(e, cst.StarredElement) and _literal_data(e.value) for e in node.elements
        )
    return False


def _list_error(layer: str) -> str:
    """The first words of the error Keras raises (measured on Keras 3.15.1 and tf_keras 2.21)."""
    if layer in knowledge.TWO_INPUT_LAYERS:
        return f"{layer} layer must be called on a list of inputs"
    if layer in ("Concatenate", "Dot"):
        return f"A `{layer}` layer should be called on a list of ... input(s)"
    return "A merge layer should be called on a list of inputs"
