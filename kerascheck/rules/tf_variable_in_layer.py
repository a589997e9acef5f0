"""KC101: a `tf.Variable` stored on a Keras layer or model.

Keras 3 tracks only variables it creates (`self.add_weight`, `keras.Variable`): a raw
`tf.Variable` attribute is missing from `layer.weights`, is not trained by `fit`, and is
not saved or restored. Keras 2 tracked it, which is why old tutorials do it.
"""
from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, effect, everywhere
from kerascheck.rules.support import arg_edits, parents
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.names import canonical_keras_name, resolves_to

# Container methods that store their argument on the receiver.
_STORING_METHODS = frozenset({"append", "extend", "insert", "add", "setdefault", "update"})
_CONTAINERS = (
    cst.List, cst.Tuple, cst.Set, cst.Dict, cst.Element, cst.DictElement,
    cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp,
)


# A module that turns on mixed precision (the policy's name, or the setter).
_MIXED_PRECISION = re.compile(r"mixed_(?:b?float16)|set_global_policy|set_policy")


class TfVariableInLayer(Rule):
    code = "KC101"
    name = "tf-variable-in-layer"
    severity = Severity.ERROR
    summary = "tf.Variable stored on a Keras layer: not tracked, trained or saved by Keras 3."
    affects = "Keras 3; Keras 2 under a mixed-precision policy"
    fix_safety = ('unsafe',)
    effects = {
        # Keras 2 tracks a tf.Variable attribute like a weight (measured).
        "untracked": effect(keras3="it is not in layer.weights, not trained by fit() and not saved", keras2=None),
        "mixed-float16": everywhere("under mixed_float16 the layer fails: its float32 variable meets float16 inputs"),
    }

    def __init__(self, context):
        super().__init__(context)
        # Local names bound to a tf.Variable in the current method: name -> the call.
        self._locals: dict[str, cst.Call] = {}
        self._method: Optional[cst.FunctionDef] = None

    def visit_Call(self, node: cst.Call) -> None:
        found = self.context.current_method()
        if found is None or not resolves_to(self.module.qualified_name(node.func), knowledge.TF_VARIABLE):
            return
        method = found[1]
        if method is not self._method:
            self._method, self._locals = method, {}
        owner = syntax.self_name(method)
        statement = self.context.enclosing(cst.BaseSmallStatement)
        if not self._is_stored_value(statement):
            return  # an argument of something else: `tf.train.Checkpoint(step=tf.Variable(0))`
        stored_in = self._stored_in(statement, owner)
        if stored_in is not None:
            self._report(node, stored_in, _named_after(statement, node, owner))
            return
        for target in syntax.flatten_targets(syntax.assign_targets(statement)):
            if isinstance(target, cst.Name):
                self._locals[target.value] = node

    def visit_Assign(self, node: cst.Assign) -> None:
        """`self.w = w` where `w` was bound to a tf.Variable earlier in the method."""
        self._check_local_store(node, node.value, syntax.flatten_targets(syntax.assign_targets(node)))

    def visit_Expr(self, node: cst.Expr) -> None:
        """`self.ws.append(w)` where `w` is a tf.Variable local."""
        call = node.value
        if isinstance(call, cst.Call) and syntax.method_call_name(call) in _STORING_METHODS:
            for arg in call.args:
                self._check_local_store(node, arg.value, [call.func.value])

    def _check_local_store(self, statement, value, targets) -> None:
        if not self._locals or not isinstance(value, cst.Name) or value.value not in self._locals:
            return
        found = self.context.current_method()
        if found is None or found[1] is not self._method:
            return
        owner = syntax.self_name(found[1])
        for target in targets:
            if owner and syntax.rooted_at(target, owner):
                self._report(self._locals.pop(value.value), syntax.first_attribute(target), _named_after(statement, value, owner))
                return

    def _is_stored_value(self, statement) -> bool:
        """Whether the variable being visited is the statement's value itself, or sits
        only in containers (lists, dicts, comprehensions) or a storing method's argument."""
        chain = self.context.ancestors
        for position in range(len(chain) - 2, -1, -1):
            parent = chain[position]
            if parent is statement:
                return True
            if isinstance(parent, _CONTAINERS):
                continue
            if isinstance(parent, cst.Call) and syntax.method_call_name(parent) in _STORING_METHODS:
                continue
            if isinstance(parent, cst.Arg) and isinstance(chain[position - 1], cst.Call):
                continue
            return False
        return False

    def _stored_in(self, statement, owner: Optional[str]) -> Optional[str]:
        """The self attribute the statement stores its value in, if it does."""
        if owner is None or statement is None:
            return None
        for target in syntax.flatten_targets(syntax.assign_targets(statement)):
            if syntax.rooted_at(target, owner):
                return syntax.first_attribute(target) or "?"
        if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
            call = statement.value
            if syntax.method_call_name(call) in _STORING_METHODS and syntax.rooted_at(call.func.value, owner):
                return syntax.first_attribute(call.func.value) or "?"
        return None

    def _report(self, call: cst.Call, attribute: Optional[str], name: Optional[str] = None) -> None:
        """Report the variable stored in `attribute`; `name`: the attribute it is the
        value of, which names the weight its fix creates when the call names none."""
        situation = "untracked"
        if self.consequence(situation) is None and _MIXED_PRECISION.search(self.context.source):
            situation = "mixed-float16"
        consequence = self.consequence(situation)
        if consequence is None:
            return  # Keras 2 tracks it: style only
        self.report(
            call,
            f"tf.Variable '{attribute}' on a layer: {self.consequence(situation, short=True)}",
            fix=self._add_weight_fix(call, name),
            help=f"{consequence}; create it with self.add_weight(...): Keras tracks, trains and saves "
            "the weights it creates, and casts them under mixed precision",
        )

    # ---- the fix: self.add_weight(shape=S, initializer=I, ...) ---------------------------
    def _add_weight_fix(self, call: cst.Call, name: Optional[str] = None) -> Optional[Fix]:
        """`tf.Variable(initial_value=init(shape=S, dtype=D), trainable=T, name=N)` ->
        `self.add_weight(shape=S, initializer=init, trainable=T, name=N, dtype=D)`, for an
        initial value made by an initializer object (`w_init = tf.random_normal_initializer()`)
        or by tf.zeros/ones/random.* from a shape alone; `tf.Variable(0.5)` -> a scalar
        weight with a constant initializer. Anything else (a tensor computed from data, a
        numpy array, an argument add_weight has no equivalent for) is left alone.
        The weight keeps the variable's name: N, or else `name` (the attribute
        `self.w = tf.Variable(...)` stores it in: `name="w"`), so it is not one more
        "variable" in the layer's weights and checkpoints.
        Unsafe: the variable becomes a tracked, trained and saved weight."""
        found = self.context.current_method()
        if found is None:
            return None
        method = found[1]
        owner = syntax.self_name(method)
        arguments = _variable_arguments(call)
        if owner is None or arguments is None or "initial_value" not in arguments:
            return None
        value = arguments.pop("initial_value")
        made = self._from_shape(value, method)
        if made is None:
            made = self._from_constant(call, value)
            if made is None:
                return None
            if "dtype" in arguments:  # the inferred dtype gives way to the given one
                made = (*made[:2], None)
        shape, initializer, dtype = made
        given = arguments.pop("dtype", None)
        if dtype is not None and given is not None and not dtype.deep_equals(given):
            return None
        if method.name.value == "__init__" and not _after_parent_init(method, call):
            return None  # add_weight before Layer.__init__ raises
        values = [("shape", shape), ("initializer", initializer)]
        if "trainable" in arguments:
            values.append(("trainable", arguments["trainable"]))
        if "name" in arguments or name:
            values.append(("name", arguments.get("name") or cst.SimpleString(f'"{name}"')))
        if given is not None or dtype is not None:
            values.append(("dtype", given if given is not None else dtype))
        return Fix.replace(
            call, _call_like(call, owner, values), safe=False, description="create it with self.add_weight(...)"
        )

    def _from_shape(self, value: cst.BaseExpression, method: cst.FunctionDef):
        """(shape, initializer, dtype or None) for `init(shape=S, dtype=D)`, `tf.zeros(S)`..."""
        found = _shape_call(value)
        if found is None:
            return None
        function, shape, dtype = found
        initializer = self._initializer(function, method)
        return (shape, initializer, dtype) if initializer is not None else None

    def _from_constant(self, call: cst.Call, value: cst.BaseExpression):
        """(shape, initializer, dtype or None) for a number: `()`, "zeros"/"ones" or
        `tf.constant_initializer(c)` (on the module the tf.Variable came from), and int32
        for an int, as tf.Variable infers it."""
        number = value.expression if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus) else value
        if not isinstance(number, (cst.Integer, cst.Float)) or value.lpar:
            return None
        dtype = cst.SimpleString('"int32"') if isinstance(number, cst.Integer) else None
        amount = number.evaluated_value * (-1 if number is not value else 1)
        if amount in (0, 1):
            initializer = cst.SimpleString('"zeros"' if amount == 0 else '"ones"')
        else:
            root = call.func.value if isinstance(call.func, cst.Attribute) else None
            if root is None or self.module.qualified_name(root) not in knowledge.TF_MODULES:
                return None
            initializer = cst.Call(cst.Attribute(root, cst.Name("constant_initializer")), [cst.Arg(value)])
        return cst.Tuple([]), initializer, dtype

    def _initializer(self, function: cst.BaseExpression, method: cst.FunctionDef) -> Optional[cst.BaseExpression]:
        qualified = self.module.qualified_name(function)
        if qualified in knowledge.TENSOR_INITIALIZER_FUNCTIONS:
            name = knowledge.TENSOR_INITIALIZER_FUNCTIONS[qualified]
            return cst.SimpleString(name) if name else function
        if isinstance(function, cst.Call) and self._makes_initializer(function):
            return function  # `tf.random_normal_initializer()(shape=S)`
        if isinstance(function, cst.Name):
            bound = [
                node.value for node in syntax.walk_scope(method)
                if isinstance(node, cst.Assign)
                and any(isinstance(t, cst.Name) and t.value == function.value for t in syntax.assign_targets(node))
            ]
            if len(bound) == 1 and isinstance(bound[0], cst.Call) and self._makes_initializer(bound[0]):
                return function  # `w_init = tf.random_normal_initializer()` earlier in the method
        return None

    def _makes_initializer(self, call: cst.Call) -> bool:
        qualified = self.module.qualified_name(call.func)
        if qualified is None:
            return False
        names = {qualified, canonical_keras_name(qualified)} - {None}
        return any(
            name.startswith(knowledge.INITIALIZER_MODULES)
            or (name.startswith("tensorflow.") and name.endswith(knowledge.TF_INITIALIZER_SUFFIX))
            for name in names
        )


def _named_after(statement, value: cst.BaseExpression, owner: Optional[str]) -> Optional[str]:
    """`w` when `statement` is `self.w = value` (or `self.w: T = value`): the attribute
    the value is stored in as it is, not in a container."""
    if isinstance(statement, cst.Assign) and len(statement.targets) == 1 and statement.value is value:
        return syntax.self_attribute(statement.targets[0].target, owner)
    if isinstance(statement, cst.AnnAssign) and statement.value is value:
        return syntax.self_attribute(statement.target, owner)
    return None


def _variable_arguments(call: cst.Call) -> Optional[dict]:
    """tf.Variable's arguments by name, or None when one has no add_weight equivalent."""
    found: dict = {}
    positional = 0
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None:
            if positional >= len(knowledge.TF_VARIABLE_POSITIONAL):
                return None
            key = knowledge.TF_VARIABLE_POSITIONAL[positional]
            positional += 1
        else:
            key = arg.keyword.value
        if key not in knowledge.TF_VARIABLE_TO_ADD_WEIGHT or key in found:
            return None
        found[key] = arg.value
    return found


def _shape_call(value: cst.BaseExpression):
    """(function, shape, dtype or None) for `function(shape)` / `function(shape=S, dtype=D)`."""
    if not isinstance(value, cst.Call) or value.lpar:
        return None
    shape = dtype = None
    for position, arg in enumerate(value.args):
        if arg.star:
            return None
        if arg.keyword is None and position == 0:
            shape = arg.value
        elif arg.keyword is not None and arg.keyword.value == "shape" and shape is None:
            shape = arg.value
        elif arg.keyword is not None and arg.keyword.value == "dtype":
            dtype = arg.value
        else:
            return None
    return (value.func, shape, dtype) if shape is not None else None


def _after_parent_init(method: cst.FunctionDef, call: cst.Call) -> bool:
    """Whether a parent initializer call comes before `call` in `method`'s own frame."""
    owner = syntax.self_name(method)
    for node in syntax.walk_scope(method.body):
        if node is call:
            return False
        if isinstance(node, cst.Call) and parents.is_parent_call(node, "__init__", owner):
            return True
    return False


def _call_like(call: cst.Call, owner: str, values: list) -> cst.Call:
    """`owner.add_weight(key=value, ...)`, laid out as `call` was (one line, or one
    argument per line with its trailing comma)."""
    first, last = call.args[0].comma, call.args[-1].comma
    separator = first if isinstance(first, cst.Comma) else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    arguments = [
        arg_edits.as_keyword(cst.Arg(value), key).with_changes(comma=separator) for key, value in values
    ]
    arguments[-1] = arguments[-1].with_changes(comma=last, whitespace_after_arg=call.args[-1].whitespace_after_arg)
    return call.with_changes(
        func=cst.Attribute(cst.Name(owner), cst.Name("add_weight")), args=arguments
    )
