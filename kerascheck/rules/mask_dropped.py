"""KC205: the padding mask of an owned Embedding(mask_zero=True)/Masking is dropped in call().

Keras propagates a mask only from layer to layer. Inside a class's `call`, the masked
output of its own embedding fed straight into a mask-aware layer (LSTM, GRU,
GlobalAveragePooling1D, MultiHeadAttention) keeps working: Keras 3 and tf_keras pass
the mask on (measured). But a raw op in between (`tf.nn.relu`, `keras.ops.relu`, arithmetic) returns
a tensor without the mask, and raw reductions or hand-written attention
(`reduce_mean`, `ops.sum`, `softmax(matmul(q, k))`) never looked at it: the padded steps
are averaged in, so the result changes with the padding length.

The data flow is deliberately small: local assignments in `call()`, in source order,
through sub-layer calls, raw ops and arithmetic. Any explicit use of a mask in `call()`
(`mask=`, `compute_mask`, `_keras_mask`, a `mask` variable) silences the rule for the
class: the author is handling it.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, everywhere, said
from kerascheck.rules.support import sublayers
from kerascheck.semantic import knowledge, syntax

# A value in the flow: (kind, the producing attribute). Kinds: "masked" (carries the Keras
# mask), "raw" (mask lost), "scores" (raw attention scores computed from masked steps).
State = Optional[tuple[str, str]]
_PRODUCER, _CONSUMER, _LAYER = "producer", "consumer", "layer"
# What every situation ends in (the detail of each effect).
_CHANGES = "so the result changes with the padding length"


class MaskDropped(Rule):
    code = "KC205"
    name = "mask-dropped"
    severity = Severity.WARNING
    summary = "Masked Embedding/Masking output reduced or fed through raw ops without its mask."
    affects = "Keras 2 and Keras 3, the same on both"
    effects = {
        "reduction": everywhere(said("the padded steps are included", _CHANGES, ", ")),
        "raw-op-before-mask-consumer": everywhere(said("the layer treats the padded steps as data", _CHANGES, ", ")),
        "attention": everywhere(said("padded steps receive attention weight", _CHANGES, ", ")),
    }

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        keras_class = self.module.keras_class(node)
        if keras_class is None:
            return
        call = syntax.methods(node).get("call")
        if call is None:
            return
        roles = self._roles(node)
        producers = {name for name, (role, _) in roles.items() if role == _PRODUCER}
        if not producers or _uses_mask(call, producers):
            return
        _Flow(self, call, roles).run()

    def _roles(self, class_def: cst.ClassDef) -> dict[str, tuple[str, str]]:
        """What each layer attribute does with masks: attribute -> (role, layer name)."""
        roles: dict[str, tuple[str, str]] = {}
        for attribute, values in syntax.self_attribute_values(class_def).items():
            for value in values:
                role = self.layer_role(value)
                if role is not None:
                    roles[attribute] = role
                    break
        return roles

    def layer_role(self, value: cst.BaseExpression) -> Optional[tuple[str, str]]:
        """The role of the layer `value` constructs (a call constructing it), or None."""
        if not isinstance(value, cst.Call):
            return None
        mask_zero = syntax.keyword(value, knowledge.MASK_ZERO_KEYWORD)
        if mask_zero is not None and isinstance(mask_zero.value, cst.Name) and mask_zero.value.value == "True":
            # any embedding that says so, also a library's (keras_hub TokenAndPositionEmbedding)
            return _PRODUCER, (syntax.callee_name(value) or "?").rpartition(".")[2]
        built = sublayers.layers_constructed(self.module, value)
        if not built or built[0][1] is not value:
            return None
        layer = built[0][0]
        if isinstance(layer, str):
            name, inherited = layer, {layer}
        else:
            name, inherited = layer.name, self.module.index.builtin_ancestors(layer)
        if inherited & knowledge.ALWAYS_MASKING_LAYERS:
            return _PRODUCER, name
        if inherited & knowledge.MASK_CONSUMING_LAYERS:
            return _CONSUMER, name
        if isinstance(layer, str):
            return _LAYER, name  # built-in layers pass a mask on (or drop it) themselves
        return None


def _uses_mask(call: cst.FunctionDef, producers: set[str]) -> bool:
    """Whether call() handles a mask itself: `mask=`/`*_mask=` arguments, `compute_mask`,
    `_keras_mask`, or any variable or attribute named like a mask (other than the
    producing layers' own attributes)."""
    attribute_names = set()
    for node in syntax.walk(call.body):
        if isinstance(node, cst.Attribute):
            attribute_names.add(id(node.attr))
            if "mask" in node.attr.value.lower() and node.attr.value not in producers:
                return True
        elif isinstance(node, cst.Arg) and node.keyword is not None and "mask" in node.keyword.value.lower():
            return True
        elif isinstance(node, cst.Name) and id(node) not in attribute_names and "mask" in node.value.lower():
            return True
    return False


class _Flow:
    """Follows the producers' outputs through one call() and reports where the mask is lost."""

    def __init__(self, rule: MaskDropped, call: cst.FunctionDef, roles):
        self.rule = rule
        self.module = rule.module
        self.roles = roles
        self.owner = syntax.self_name(call)
        self.aliases = sublayers.sublayer_aliases(call, self.owner)
        self.call = call
        self.locals: dict[str, State] = {}

    def run(self) -> None:
        for node in syntax.walk_scope(self.call):
            if isinstance(node, (cst.Assign, cst.AnnAssign)) and node.value is not None:
                state = self.evaluate(node.value)
                for target in syntax.flatten_targets(syntax.assign_targets(node)):
                    if isinstance(target, cst.Name):
                        self.locals[target.value] = state
            elif isinstance(node, cst.AugAssign):
                state = self.evaluate(node.value)
                if isinstance(node.target, cst.Name):
                    current = self.locals.get(node.target.value)
                    if _masked_by_hand(node.target, current, node.value, state):
                        self.locals[node.target.value] = None
                    else:
                        self.locals[node.target.value] = _combine(current, state, node.operator)
            elif isinstance(node, (cst.Return, cst.Expr)) and node.value is not None:
                self.evaluate(node.value)

    def evaluate(self, expression: cst.BaseExpression) -> State:
        if isinstance(expression, cst.Name):
            return self.locals.get(expression.value)
        if isinstance(expression, cst.Call):
            return self._call(expression)
        if isinstance(expression, cst.BinaryOperation):
            left, right = self.evaluate(expression.left), self.evaluate(expression.right)
            if _masked_by_hand(expression.left, left, expression.right, right):
                return None
            return _combine(left, right, expression.operator)
        if isinstance(expression, cst.UnaryOperation):
            return _lost(self.evaluate(expression.expression))
        if isinstance(expression, cst.Subscript):
            return _lost(self.evaluate(expression.value))
        if isinstance(expression, (cst.Tuple, cst.List)):
            states = [self.evaluate(element.value) for element in expression.elements]
            return next(filter(None, states), None)
        if isinstance(expression, cst.IfExp):
            body, orelse = self.evaluate(expression.body), self.evaluate(expression.orelse)
            return body or orelse
        return None

    def _call(self, call: cst.Call) -> State:
        states = [(arg, self.evaluate(arg.value)) for arg in call.args]
        positional = [state for arg, state in states if arg.keyword is None and not arg.star]
        flowing = next(filter(None, positional), None)
        attribute = sublayers.sublayer_called(call, self.owner, self.aliases)
        if attribute is not None:
            role = self.roles.get(attribute)
        elif isinstance(call.func, cst.Call):
            role = self.rule.layer_role(call.func)
        else:
            role = None
        if role is not None:
            return self._layer(call, role, attribute, flowing)
        if attribute is not None:
            return None  # an in-tree or unknown sub-layer: what it returns is its business
        qualified = self.module.qualified_name(call.func)
        if not _is_raw_op(qualified):
            return None
        bare = qualified.rpartition(".")[2]
        data = positional[0] if positional else None
        if bare in knowledge.SHAPE_ONLY_FUNCTIONS:
            return None
        if bare in knowledge.MASK_DROPPING_REDUCTIONS:
            if data is not None and _reduces_time_axis(call):
                self._report_reduction(call, bare, data)
            return _lost(data)
        if bare in knowledge.SOFTMAX_FUNCTIONS:
            if data is not None and data[0] == "scores":
                self._report_attention(call, bare, data)
            return _lost(data)
        if bare == "where" and positional and positional[0] is None and _builds_mask(syntax.positional(call)[0].value):
            return None
        if bare in knowledge.ATTENTION_SCORE_FUNCTIONS and flowing is not None:
            return "scores", flowing[1]
        return _lost(flowing)

    def _layer(self, call: cst.Call, role, attribute: Optional[str], flowing: State) -> State:
        kind, name = role
        if kind == _PRODUCER:
            return "masked", attribute or name
        if kind == _CONSUMER:
            situation = "raw-op-before-mask-consumer"
            consequence = self.rule.consequence(situation, short=True)
            if flowing is not None and flowing[0] != "masked" and syntax.keyword(call, "mask") is None and consequence:
                shown = f"'{attribute}' (`{name}`)" if attribute else f"`{name}`"
                self.rule.report(
                    call,
                    f"the padding mask of '{flowing[1]}' is lost in a raw op before {shown}: {consequence}",
                    help=f"{self.rule.consequence(situation)} (Keras only passes masks from layer to layer); "
                    "pass `mask=` explicitly or use layers for the ops in between (e.g. keras.layers.Activation)",
                )
            return None
        return None if flowing is None else (("raw" if flowing[0] == "scores" else flowing[0]), flowing[1])

    def _report_reduction(self, call: cst.Call, bare: str, data) -> None:
        consequence = self.rule.consequence("reduction", short=True)
        if consequence is None:
            return
        self.rule.report(
            call,
            f"{bare}() ignores the padding mask of '{data[1]}': {consequence}",
            help=f"{self.rule.consequence('reduction')}; weight by the mask (self.{data[1]}.compute_mask(inputs)) "
            "or use a mask-aware layer such as GlobalAveragePooling1D",
        )

    def _report_attention(self, call: cst.Call, bare: str, data) -> None:
        consequence = self.rule.consequence("attention", short=True)
        if consequence is None:
            return
        self.rule.report(
            call,
            f"attention scores over '{data[1]}' go through {bare}() without its padding mask: {consequence}",
            help=f"{self.rule.consequence('attention')}; add a large negative value at masked positions first, "
            "or use keras.layers.MultiHeadAttention",
        )


def _masked_by_hand(left, left_state: State, right, right_state: State) -> bool:
    """`x * tf.cast(tf.not_equal(ids, 0), x.dtype)`, `scores += (ids == 0) * -1e9`: the
    flowing value combined with a mask the author built from a comparison."""
    if left_state is not None and right_state is None:
        return _builds_mask(right)
    if right_state is not None and left_state is None:
        return _builds_mask(left)
    return False


def _builds_mask(expression: cst.CSTNode) -> bool:
    for node in syntax.walk(expression):
        if isinstance(node, cst.Comparison):
            return True
        if isinstance(node, cst.Call):
            dotted = syntax.callee_name(node) or ""
            if dotted.rpartition(".")[2] in knowledge.MASK_BUILDING_FUNCTIONS:
                return True
    return False


def _lost(state: State) -> State:
    return None if state is None else ("raw", state[1])


def _combine(left: State, right: State, operator) -> State:
    """Arithmetic: the mask is lost; scores stay scores (`matmul(q, k) / sqrt(d)`)."""
    if left is None and right is None:
        return None
    if isinstance(operator, (cst.MatrixMultiply, cst.MatrixMultiplyAssign)):
        return "scores", (left or right)[1]
    for state in (left, right):
        if state is not None and state[0] == "scores":
            return state
    return _lost(left or right)


def _is_raw_op(qualified: Optional[str]) -> bool:
    """A function of a tensor package (`tensorflow.nn.relu`, `keras.ops.mean`), not a class."""
    if not qualified:
        return False
    root, _, rest = qualified.partition(".")
    bare = qualified.rpartition(".")[2]
    return root in knowledge.RAW_OP_PACKAGES and bool(rest) and bare[:1].islower()


def _axis_values(node: cst.BaseExpression) -> Optional[list[int]]:
    """Integer literals of an axis argument (`1`, `-2`, `(1, 2)`), None if not literal."""
    if isinstance(node, cst.Integer):
        return [int(node.value)]
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = _axis_values(node.expression)
        return [-value for value in inner] if inner is not None and len(inner) == 1 else None
    if isinstance(node, (cst.Tuple, cst.List)):
        values = [_axis_values(element.value) for element in node.elements]
        if any(value is None for value in values):
            return None
        return [item for value in values for item in value]
    return None


def _reduces_time_axis(call: cst.Call) -> bool:
    """Whether a reduction of a (batch, steps, features) tensor includes the steps axis:
    no axis (everything), `axis=None`, or a literal 1 / -2."""
    axis = syntax.keyword(call, "axis") or syntax.keyword(call, "reduction_indices")
    if axis is None:
        positional = syntax.positional(call)
        axis = positional[1] if len(positional) > 1 else None
    if axis is None:
        return True
    if isinstance(axis.value, cst.Name) and axis.value.value == "None":
        return True
    values = _axis_values(axis.value)
    return values is not None and any(value in (1, -2) for value in values)
