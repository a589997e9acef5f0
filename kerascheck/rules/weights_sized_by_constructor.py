"""KC102: a weight sized by a constructor argument that `call()` multiplies the inputs by.

The tutorial's `Linear(units, input_dim)` creates `w` of shape `(input_dim, units)` in
`__init__`: the layer then only works on inputs exactly `input_dim` wide, and fails
with a shape error on any other width (measured on Keras 3 and tf_keras, see `effects`). Keras passes the real input shape to `build(self, input_shape)`; sizing
the weight from `input_shape[-1]` there makes the layer work on any width.

Only the dimensions the multiplication contracts with the inputs matter: `units` in
`(input_dim, units)` is a true hyper-parameter. Tables read by index (`gather`,
`embedding_lookup`, `table[ids]`, one-hot products) are sized by their vocabulary on
purpose and are left alone, as are weights the inputs are never multiplied by
(position tables added to the inputs, scales, biases).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

import libcst as cst

from kerascheck.cstwalk import syntax_children
from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, everywhere
from kerascheck.rules.support import sublayers
from kerascheck.semantic import knowledge, syntax

# How deep call() is followed into the class's own helper methods.
_MAX_HELPER_DEPTH = 3
# Wrappers that keep a weight's shape (`ops.cast(self.w, x.dtype)`).
_SHAPE_KEEPING = frozenset({"cast", "convert_to_tensor", "identity", "read_value"})
# "Which dimension of the weight meets the inputs": an index into its shape, the
# dimensions an einsum shares with the inputs, or None when it cannot be told (then
# every dimension counts).
Contracted = Union[int, tuple[int, ...], None]


@dataclass
class _Weight:
    attribute: str
    creation: cst.Call
    shape: Optional[list[cst.BaseExpression]]  # the literal dims, or None (unknown)
    shape_expression: Optional[cst.BaseExpression]
    sized_by: "_Sizes"
    owner: str


@dataclass
class _Sizes:
    """What in a method derives from the constructor's arguments."""

    names: set[str]
    attributes: set[str]

    def culprit(self, expression: cst.BaseExpression, owner: str) -> Optional[cst.CSTNode]:
        """The first piece of `expression` that comes from a constructor argument."""
        for sub in syntax.walk(expression):
            if isinstance(sub, cst.Name) and sub.value in self.names and sub.value != owner:
                return sub
            if syntax.self_attribute(sub, owner) in self.attributes:
                return sub
        return None


@dataclass
class _Uses:
    """How the analysed methods use the weights."""

    multiplied: dict[str, list[Contracted]] = field(default_factory=dict)  # by the inputs
    products: dict[str, list[Contracted]] = field(default_factory=dict)  # by anything else
    lookups: set[str] = field(default_factory=set)


class WeightsSizedByConstructor(Rule):
    code = "KC102"
    name = "weights-sized-by-constructor"
    severity = Severity.WARNING
    summary = "Weight sized from a constructor argument instead of the input shape in build()."
    affects = "Keras 2 and Keras 3, the same on both"
    effects = {
        "other-input-width": everywhere("the layer fails with a shape error on inputs of any other width"),
    }

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.module.keras_class(node) is None:
            return
        methods = syntax.methods(node)
        init, build = methods.get("__init__"), methods.get("build")
        if "call" not in methods or init is None:
            return
        owner = syntax.self_name(init)
        if owner is None:
            return
        constructor = _derive(init, owner, set(syntax.param_names(init)[1:]) | _star_names(init), set())
        weights: dict[str, _Weight] = {}
        self._collect_weights(init, owner, constructor, weights)
        if build is not None and _ignores_input_shape(build):
            build_owner = syntax.self_name(build) or owner
            in_build = _derive(build, build_owner, set(), constructor.attributes)
            self._collect_weights(build, build_owner, in_build, weights)
        if not weights:
            return
        uses = _Uses()
        _UseFinder(self.module, methods, weights, uses).analyse(methods["call"], None, 0)
        for method in methods.values():
            _find_lookups(method, syntax.self_name(method), weights, uses)
        widths_out = _widths_out(weights, uses)
        for attribute, weight in weights.items():
            if attribute in uses.lookups or attribute not in uses.multiplied:
                continue
            culprit = self._culprit(weight, uses.multiplied[attribute], widths_out)
            if culprit is not None:
                self._report(weight, culprit)

    def _collect_weights(self, method, owner, sizes: _Sizes, weights: dict[str, _Weight]) -> None:
        """`self.w = self.add_weight(...)` / `tf.Variable(...)` / `keras.Variable(...)`,
        directly or through a local (`w = ...; self.w = w`)."""
        local_creations: dict[str, cst.Call] = {}
        for statement in syntax.walk_scope(method.body):
            if not isinstance(statement, (cst.Assign, cst.AnnAssign)) or statement.value is None:
                continue
            value = statement.value
            creation = value if isinstance(value, cst.Call) and sublayers.weight_creator(self.module, value, owner) else None
            if creation is None and isinstance(value, cst.Name):
                creation = local_creations.get(value.value)
            if creation is None:
                continue
            for target in syntax.flatten_targets(syntax.assign_targets(statement)):
                attribute = syntax.self_attribute(target, owner)
                if attribute is not None:
                    shape = _shape_of(creation, sublayers.weight_creator(self.module, creation, owner))
                    weights[attribute] = _Weight(attribute, creation, _dims(shape), shape, sizes, owner)
                elif isinstance(target, cst.Name):
                    local_creations[target.value] = creation

    def _culprit(self, weight: _Weight, uses: list[Contracted], widths_out: set[str]) -> Optional[cst.CSTNode]:
        for contracted in uses:
            for dim in _contracted_dims(weight, contracted):
                if _source(dim) in widths_out:
                    continue  # the same width also comes out: a width-preserving block
                culprit = weight.sized_by.culprit(dim, weight.owner)
                if culprit is not None:
                    return culprit
        return None

    def _report(self, weight: _Weight, culprit: cst.CSTNode) -> None:
        consequence = self.consequence("other-input-width")
        if consequence is None:
            return
        source = _source(culprit)
        self.report(
            weight.creation,
            f"weight '{weight.attribute}' is sized by the constructor (`{source}`): "
            f"{self.consequence('other-input-width', short=True)}",
            help=f"call() multiplies the inputs by it, so `{source}` fixes the width of the inputs and "
            f"{consequence}; create it in build(self, input_shape) sized by input_shape[-1]",
        )


def _source(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node).strip()


def _widths_out(weights: dict[str, _Weight], uses: _Uses) -> set[str]:
    """The dimensions (as written) of the projection weights that their multiplications
    leave free: the widths the layer produces. When the constructor value that meets the
    inputs is also one of them (`hidden_dim` in an experts block mapping hidden_dim ->
    hidden_dim), the layer is a width-preserving block whose width is a model
    hyper-parameter, not the tutorial's forgotten input shape."""
    found = set()
    for attribute, weight in weights.items():
        products = uses.multiplied.get(attribute, []) + uses.products.get(attribute, [])
        if weight.shape is None or attribute in uses.lookups or not products:
            continue
        rank = len(weight.shape)
        contracted: set[int] = set()
        for use in products:
            if use is None:
                contracted = set(range(rank))
            elif isinstance(use, int):
                contracted.add(use % rank if -rank <= use < rank else use)
            else:
                contracted.update(use)
        found.update(_source(dim) for position, dim in enumerate(weight.shape) if position not in contracted)
    return found


def _star_names(function: cst.FunctionDef) -> set[str]:
    names = {syntax.star_kwargs_name(function)}
    star = function.params.star_arg
    if isinstance(star, cst.Param):
        names.add(star.name.value)
    return {name for name in names if name}


def _derive(method: cst.FunctionDef, owner: str, names: set[str], attributes: set[str]) -> _Sizes:
    """Locals and `self` attributes computed from `names` / `attributes` in `method`."""
    sizes = _Sizes(set(names), set(attributes))
    assignments = [
        node for node in syntax.walk_scope(method.body)
        if isinstance(node, (cst.Assign, cst.AnnAssign)) and node.value is not None
    ]
    for _ in range(2):  # a second round catches uses before a later, looping assignment
        for assignment in assignments:
            if sizes.culprit(assignment.value, owner) is None:
                continue
            for target in syntax.flatten_targets(syntax.assign_targets(assignment)):
                attribute = syntax.self_attribute(target, owner)
                if attribute is not None:
                    sizes.attributes.add(attribute)
                elif isinstance(target, cst.Name):
                    sizes.names.add(target.value)
    return sizes


def _ignores_input_shape(build: cst.FunctionDef) -> bool:
    """`build` never reads its shape argument (passing it on to `super().build` does not
    count: that sizes nothing)."""
    shape_names = set(syntax.param_names(build)[1:]) | _star_names(build)
    for sub in syntax.walk_scope(build.body):
        if isinstance(sub, cst.Call) and syntax.is_super_call(sub, "build"):
            continue
        if isinstance(sub, cst.Name) and sub.value in shape_names:
            if not _inside_super_build(build, sub):
                return False
    return True


def _inside_super_build(build: cst.FunctionDef, name: cst.Name) -> bool:
    for sub in syntax.walk_scope(build.body):
        if isinstance(sub, cst.Call) and syntax.is_super_call(sub, "build"):
            if any(inner is name for inner in syntax.walk(sub)):
                return True
    return False


def _shape_of(creation: cst.Call, creator: Optional[str]) -> Optional[cst.BaseExpression]:
    """The expression that gives the weight its shape."""
    shape = syntax.keyword(creation, "shape")
    if shape is not None:
        return shape.value
    arguments = syntax.positional(creation)
    if creator == "add_weight":
        if arguments and syntax.string_value(arguments[0].value) is not None:
            arguments = arguments[1:]  # Keras 2's add_weight(name, shape, ...)
        return arguments[0].value if arguments else None
    initial = syntax.keyword(creation, "initial_value") or syntax.keyword(creation, "initializer")
    value = initial.value if initial is not None else (arguments[0].value if arguments else None)
    if value is None:
        return None
    for sub in syntax.walk(value):  # tf.Variable(init(shape=(a, b))), tf.zeros((a, b))
        if isinstance(sub, cst.Call):
            inner = syntax.keyword(sub, "shape")
            if inner is not None:
                return inner.value
            inner_arguments = syntax.positional(sub)
            if inner_arguments and isinstance(inner_arguments[0].value, (cst.Tuple, cst.List)):
                return inner_arguments[0].value
    return value


def _dims(shape: Optional[cst.BaseExpression]) -> Optional[list[cst.BaseExpression]]:
    """The dimensions of a literal shape (`(a, b)`, `[a, b]`); None when they cannot be
    told apart (a variable, `(*batch, d)`)."""
    if not isinstance(shape, (cst.Tuple, cst.List)):
        return None
    if any(isinstance(element, cst.StarredElement) for element in shape.elements):
        return None
    return [element.value for element in shape.elements]


def _contracted_dims(weight: _Weight, contracted: Contracted) -> list[cst.BaseExpression]:
    """The shape expressions of the dimensions that meet the inputs."""
    if contracted == ():
        return []
    if weight.shape is not None and contracted is not None:
        positions = (contracted,) if isinstance(contracted, int) else contracted
        rank = len(weight.shape)
        if rank and all(-rank <= position < rank for position in positions):
            return [weight.shape[position] for position in positions]
    if weight.shape is not None:
        return list(weight.shape)
    return [weight.shape_expression] if weight.shape_expression is not None else []


class _UseFinder:
    """Follows the inputs through `call()` (and the class's helper methods it passes them
    to) and records each weight the inputs are multiplied by."""

    def __init__(self, module, methods, weights, uses: _Uses):
        self.module = module
        self.methods = methods
        self.weights = weights
        self.uses = uses

    def analyse(self, method: cst.FunctionDef, tainted: Optional[set[str]], depth: int) -> None:
        owner = syntax.self_name(method)
        if owner is None:
            return
        if tainted is None:  # call(): the first argument is the inputs
            names = syntax.param_names(method)
            tainted = {names[1]} if len(names) > 1 else set()
        state = _State(owner, set(tainted), {}, depth)
        self._block(method.body, state)

    # ---- statements ----------------------------------------------------------------
    def _block(self, node: cst.CSTNode, state: "_State") -> None:
        for statement in getattr(node, "body", ()):
            self._statement(statement, state)

    def _statement(self, statement: cst.CSTNode, state: "_State") -> None:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                self._small(small, state)
        elif isinstance(statement, cst.BaseSmallStatement):
            self._small(statement, state)
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            return
        elif isinstance(statement, cst.BaseCompoundStatement):
            self._compound(statement, state)

    def _compound(self, node: cst.CSTNode, state: "_State") -> None:
        if isinstance(node, cst.For):
            self._scan(node.iter, state)
            if self._carries(node.iter, state):
                state.tainted.update(_target_names(node.target))
            self._block(node.body, state)
            if node.orelse is not None:
                self._block(node.orelse.body, state)
            return
        for child in syntax_children(node):
            if isinstance(child, (cst.IndentedBlock, cst.SimpleStatementSuite)):
                self._block(child, state)
            elif isinstance(child, (cst.If, cst.Else, cst.ExceptHandler, cst.Finally, cst.ExceptStarHandler)):
                self._compound(child, state)
            elif isinstance(child, (cst.BaseExpression, cst.WithItem)):
                self._scan(child, state)

    def _small(self, statement: cst.BaseSmallStatement, state: "_State") -> None:
        self._scan(statement, state)
        if isinstance(statement, (cst.Assign, cst.AnnAssign)) and statement.value is not None:
            carries = self._carries(statement.value, state)
            alias = self._weight_of(statement.value, state)
            one_hot = self._one_hot(statement.value, state)
            for target in syntax.flatten_targets(syntax.assign_targets(statement)):
                if not isinstance(target, cst.Name):
                    continue
                state.tainted.discard(target.value)
                state.aliases.pop(target.value, None)
                state.one_hot.discard(target.value)
                if one_hot:
                    state.one_hot.add(target.value)
                if carries:
                    state.tainted.add(target.value)
                if alias is not None and alias[1]:
                    state.aliases[target.value] = alias[0]

    # ---- expressions ---------------------------------------------------------------
    def _scan(self, node: cst.CSTNode, state: "_State") -> None:
        for sub in _walk_expression(node):
            if isinstance(sub, cst.BinaryOperation) and isinstance(sub.operator, cst.MatrixMultiply):
                self._multiplication([sub.left, sub.right], None, state)
            elif isinstance(sub, cst.Call):
                self._call(sub, state)

    def _call(self, call: cst.Call, state: "_State") -> None:
        qualified = self.module.qualified_name(call.func)
        function = qualified.rpartition(".")[2] if qualified else None
        if function in knowledge.MATMUL_FUNCTIONS:
            self._multiplication([arg.value for arg in call.args if not arg.star], call, state)
            return
        method = syntax.self_attribute(call.func, state.owner)
        if method in self.methods and method != "call" and state.depth < _MAX_HELPER_DEPTH:
            self._follow(self.methods[method], call, state)

    def _follow(self, helper: cst.FunctionDef, call: cst.Call, state: "_State") -> None:
        """Analyse a helper method with the parameters that receive the inputs tainted."""
        names = syntax.param_names(helper)[1:]
        tainted = set()
        for position, arg in enumerate(syntax.positional(call)):
            if position < len(names) and self._carries(arg.value, state):
                tainted.add(names[position])
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in names and self._carries(arg.value, state):
                tainted.add(arg.keyword.value)
        if tainted:
            self.analyse(helper, tainted, state.depth + 1)

    def _multiplication(self, operands, call: Optional[cst.Call], state: "_State") -> None:
        for position, operand in enumerate(operands):
            found = self._weight_of(operand, state)
            if found is None:
                continue
            attribute, direct = found
            others = [other for index, other in enumerate(operands) if index != position]
            if any(self._one_hot(other, state) for other in others):
                self.uses.lookups.add(attribute)
                continue
            partners = [
                index for index, other in enumerate(operands)
                if index != position and not isinstance(other, cst.SimpleString)
            ]
            inputs = [index for index in partners if self._carries(operands[index], state)]
            partner = (inputs or partners or [None])[0]
            if partner is None:
                continue
            contracted = _contracted(call, operands, position, partner, self.module) if direct else None
            found_in = self.uses.multiplied if inputs else self.uses.products
            found_in.setdefault(attribute, []).append(contracted)

    def _one_hot(self, node: cst.BaseExpression, state: "_State") -> bool:
        """Whether `node` is (made from) a one-hot code: multiplying by it is a lookup."""
        return bool(syntax.names_in(node) & state.one_hot) or _mentions(
            node, knowledge.ONE_HOT_FUNCTIONS, self.module
        )

    def _weight_of(self, node: cst.BaseExpression, state: "_State") -> Optional[tuple[str, bool]]:
        """(weight attribute, whether `node` is the weight itself with its shape intact)."""
        attribute = syntax.self_attribute(node, state.owner)
        if attribute in self.weights:
            return attribute, True
        if isinstance(node, cst.Name) and node.value in state.aliases:
            return state.aliases[node.value], True
        if isinstance(node, cst.Attribute) and node.attr.value == "value":
            return self._weight_of(node.value, state)
        if isinstance(node, cst.Call):
            qualified = self.module.qualified_name(node.func)
            arguments = syntax.positional(node)
            if qualified and qualified.rpartition(".")[2] in _SHAPE_KEEPING and arguments:
                return self._weight_of(arguments[0].value, state)
        for sub in syntax.walk(node):
            attribute = syntax.self_attribute(sub, state.owner)
            if attribute in self.weights:
                return attribute, False
            if isinstance(sub, cst.Name) and sub.value in state.aliases:
                return state.aliases[sub.value], False
        return None

    def _carries(self, node: cst.CSTNode, state: "_State") -> bool:
        """Whether `node` still holds the inputs' features (not what a weight, a sub-layer or
        an index/shape function made of them)."""
        if isinstance(node, cst.Name):
            return node.value in state.tainted
        if isinstance(node, (cst.Lambda, cst.SimpleString, cst.FormattedString)):
            return False
        if isinstance(node, cst.Attribute):
            return node.attr.value not in ("shape", "dtype") and self._carries(node.value, state)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.MatrixMultiply):
            return False
        if isinstance(node, cst.Call):
            qualified = self.module.qualified_name(node.func)
            function = qualified.rpartition(".")[2] if qualified else None
            if function in knowledge.MATMUL_FUNCTIONS or function in knowledge.INDEX_FUNCTIONS:
                return False
            if isinstance(node.func, cst.Attribute) and self._carries(node.func.value, state):
                return True  # a tensor method: `inputs.reshape(...)`
            if qualified is None:
                return False  # a sub-layer, a helper method or a local function made it
            return any(self._carries(arg.value, state) for arg in node.args)
        if isinstance(node, cst.Arg):
            return self._carries(node.value, state)
        return any(self._carries(child, state) for child in syntax_children(node))


@dataclass
class _State:
    owner: str
    tainted: set[str]
    aliases: dict[str, str]
    depth: int
    one_hot: set[str] = field(default_factory=set)


def _walk_expression(node: cst.CSTNode):
    """Nodes of an expression or small statement, not entering lambdas or nested defs."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if not isinstance(current, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
            stack.extend(reversed(syntax_children(current)))


def _target_names(target: cst.BaseExpression) -> set[str]:
    return {t.value for t in syntax.flatten_targets([target]) if isinstance(t, cst.Name)}


def _mentions(node: cst.CSTNode, functions: frozenset, module) -> bool:
    for sub in syntax.walk(node):
        if isinstance(sub, cst.Call):
            qualified = module.qualified_name(sub.func)
            if qualified and qualified.rpartition(".")[2] in functions:
                return True
    return False


def _contracted(call: Optional[cst.Call], operands, weight_at: int, input_at: int, module) -> Contracted:
    """Which dimension(s) of the weight the operation contracts with the inputs."""
    if call is None:  # inputs @ w, or w @ inputs
        return -2 if weight_at > input_at else -1
    qualified = module.qualified_name(call.func) or ""
    function = qualified.rpartition(".")[2]
    if function == "einsum":
        return _einsum_contracted(operands, weight_at, input_at)
    if function in ("matmul", "mm", "dot", "batch_dot"):
        transposed = "b" if weight_at > input_at else "a"
        flipped = any(
            syntax.keyword(call, f"{kind}_{transposed}") is not None
            and not _is_false(syntax.keyword(call, f"{kind}_{transposed}").value)
            for kind in ("transpose", "adjoint")
        )
        if weight_at > input_at:
            return -1 if flipped else -2
        return -2 if flipped else -1
    if function.startswith(("conv", "depthwise", "separable")) or function == "convolution":
        return -1 if "transpose" in function else -2
    if function == "tensordot":
        axes = syntax.keyword(call, "axes")
        axes_value = axes.value if axes is not None else (operands[2] if len(operands) > 2 else None)
        if isinstance(axes_value, cst.Integer) and axes_value.evaluated_value == 1:
            return 0 if weight_at > input_at else -1
    return None


def _is_false(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value in ("False", "None")


def _einsum_contracted(operands, weight_at: int, input_at: int) -> Contracted:
    equation = syntax.string_value(operands[0]) if operands else None
    if equation is None or weight_at == 0 or input_at == 0:
        return None
    inputs_part = equation.replace(" ", "").split("->")[0].split(",")
    if max(weight_at, input_at) > len(inputs_part):
        return None
    weight_subscripts = inputs_part[weight_at - 1]
    input_subscripts = inputs_part[input_at - 1]
    if "." in weight_subscripts:
        return None
    shared = tuple(
        position for position, letter in enumerate(weight_subscripts)
        if letter in input_subscripts.replace(".", "")
    )
    return shared  # empty: an outer product, no dimension of the weight meets the inputs


def _find_lookups(method: cst.FunctionDef, owner: Optional[str], weights, uses: _Uses) -> None:
    """Weights read as tables: `gather(self.w, ids)`, `embedding_lookup`, `self.w[ids]`."""
    if owner is None:
        return
    for sub in syntax.walk_scope(method.body):
        if isinstance(sub, cst.Call):
            callee = syntax.callee_name(sub) or ""
            if callee.rpartition(".")[2] in knowledge.LOOKUP_FUNCTIONS:
                for arg in sub.args:
                    attribute = _weight_attribute(arg.value, owner, weights)
                    if attribute is not None:
                        uses.lookups.add(attribute)
        elif isinstance(sub, cst.Subscript):
            attribute = syntax.self_attribute(sub.value, owner)
            if attribute in weights and any(_is_index(element) for element in sub.slice):
                uses.lookups.add(attribute)


def _weight_attribute(node: cst.BaseExpression, owner: str, weights) -> Optional[str]:
    for sub in syntax.walk(node):
        attribute = syntax.self_attribute(sub, owner)
        if attribute in weights:
            return attribute
    return None


def _is_index(element: cst.SubscriptElement) -> bool:
    """`table[ids]` (not `table[:n]`, `table[0]`, `table[None, ...]`)."""
    index = element.slice
    if not isinstance(index, cst.Index):
        return False
    value = index.value
    if isinstance(value, (cst.Integer, cst.Ellipsis)):
        return False
    if isinstance(value, cst.Name) and value.value == "None":
        return False
    if isinstance(value, cst.UnaryOperation) and isinstance(value.expression, cst.Integer):
        return False
    return True
