"""KC211: NumPy inside `call()`: `tensor.numpy()`, or an `np.*` function given a tensor.

A layer's `call()` runs eagerly only when someone calls the layer on concrete values.
`fit()`, `predict()` and `evaluate()` trace it into a graph, and building a functional
model (`layer(keras.Input(...))`) calls it on a symbolic tensor: neither has values. So
`inputs.numpy()` raises AttributeError ('SymbolicTensor' object has no attribute
'numpy'), and `np.mean(inputs)` raises NotImplementedError (Cannot convert a symbolic
tf.Tensor to a numpy array). Measured the same on Keras 3.15.1 and tf_keras 2.21
(tests/affects_cases.py); an eager `layer(np.ones(...))` works on both, which is why the
code looks fine in a notebook.

What is a tensor: the first input of `call()` (and `mask`), and what is computed from it
through sub-layers, TensorFlow/Keras ops, indexing and arithmetic. Its static shape
(`inputs.shape[-1]`), `np.shape`/`np.ndim` and Python values are not. Code that runs
only eagerly is left alone: under a test of eager execution or of the value's type
(`if tf.executing_eagerly():`, `if isinstance(x, np.ndarray):`), in a `try` that catches
the error, in a module that switches fit() to eager execution (`run_eagerly=True`,
`tf.config.run_functions_eagerly(True)`), and in a layer built with `dynamic=True`
(Keras 2 runs it eagerly; Keras 3 rejects the argument, KC534).
"""
from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, everywhere, said
from kerascheck.rules.support import sublayers
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.file_state import code_of
from kerascheck.semantic.names import canonical_keras_name

_RUN_EAGERLY = re.compile(r"run_eagerly\s*=\s*True|run_functions_eagerly\(\s*True\s*\)")
# Handlers that catch what a symbolic tensor raises here.
_CATCHING = frozenset({"AttributeError", "NotImplementedError", "TypeError", "Exception", "BaseException"})
# Builtins whose result is a Python value, never a tensor.
_PYTHON_VALUES = frozenset({"len", "int", "float", "bool", "str", "isinstance", "type", "range", "list", "tuple"})
# Where call() meets tensors without values (the start of both effects).
_SYMBOLIC = "fit(), predict() and functional models run call() on symbolic tensors"


class NumpyInCall(Rule):
    code = "KC211"
    name = "numpy-in-call"
    severity = Severity.ERROR
    summary = "tensor.numpy() or np.*(tensor) in call(): fit(), predict() and functional models pass symbolic tensors."
    affects = "Keras 2 and Keras 3, the same on both"
    measured_on_tensorflow2_only = True
    effects = {
        "numpy-method": everywhere(
            said(
                f"{_SYMBOLIC}, which have no value",
                "AttributeError ('SymbolicTensor' object has no attribute 'numpy')",
            )
        ),
        "numpy-function": everywhere(
            said(
                f"{_SYMBOLIC}, which NumPy cannot convert",
                "NotImplementedError (Cannot convert a symbolic tf.Tensor to a numpy array)",
            )
        ),
    }

    def __init__(self, context):
        super().__init__(context)
        # id(call()) -> (the names holding tensors, the local aliases of sub-layers)
        self._flow: dict[int, tuple[frozenset, dict]] = {}
        self._eager_module = bool(_RUN_EAGERLY.search(context.source))

    def visit_Call(self, node: cst.Call) -> None:
        if self._eager_module:
            return
        found = self.context.current_method()
        if found is None or found[1].name.value != "call":
            return
        keras_class, method = found
        owner = syntax.self_name(method)
        tensors, aliases = self._data_flow(method, owner)
        if not tensors:
            return
        situation, shown = self._situation(node, tensors, owner, aliases)
        if situation is None or self._eager_only(method) or _dynamic(keras_class.node):
            return
        consequence = self.consequence(situation, short=True)
        if consequence is None:
            return
        self.report(
            node,
            f"`{shown}` in `{keras_class.key.name}.call()`: {consequence}",
            help=f"{self.consequence(situation)}; compute with keras.ops (or TensorFlow) on the tensor instead, "
            "or wrap the NumPy code in tf.numpy_function",
        )

    def _situation(self, node: cst.Call, tensors, owner, aliases) -> tuple[Optional[str], str]:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "numpy" and not node.args:
            if self._is_tensor(func.value, tensors, owner, aliases):
                return "numpy-method", f"{code_of(func.value)}.numpy()"
            return None, ""
        qualified = self.module.qualified_name(func)
        if not qualified or not qualified.startswith("numpy."):
            return None, ""
        if qualified.rpartition(".")[2] in knowledge.NUMPY_SHAPE_READERS:
            return None, ""
        for arg in node.args:
            if self._holds_tensor(arg.value, tensors, owner, aliases):
                return "numpy-function", f"{code_of(func)}({code_of(arg.value)})"
        return None, ""

    # ---- which values are tensors ---------------------------------------------------------
    def _data_flow(self, method: cst.FunctionDef, owner: Optional[str]) -> tuple[frozenset, dict]:
        """The local names of call() that hold tensors: its first input (and `mask`), and
        the names assigned from them (to a fixed point, so the order of the assignments
        does not matter); and the local names that stand for sub-layers."""
        cached = self._flow.get(id(method))
        if cached is not None:
            return cached
        params = [*method.params.posonly_params, *method.params.params]
        if owner is not None and params and params[0].name.value == owner:
            params = params[1:]
        star = method.params.star_arg
        first = params[:1] or ([star] if isinstance(star, cst.Param) else [])
        names = {p.name.value for p in first} | ({"mask"} & set(syntax.param_names(method)))
        aliases = sublayers.sublayer_aliases(method, owner)
        bindings = []
        for node in syntax.walk_scope(method):
            if isinstance(node, (cst.Assign, cst.AnnAssign)) and node.value is not None:
                bindings.append((syntax.assign_targets(node), node.value))
            elif isinstance(node, (cst.For, cst.CompFor)):
                bindings.append(([node.target], node.iter))
        changed = bool(names)
        while changed:
            changed = False
            for targets, value in bindings:
                if not self._is_tensor(value, names, owner, aliases):
                    continue
                for target in syntax.flatten_targets(targets):
                    if isinstance(target, cst.Name) and target.value not in names:
                        names.add(target.value)
                        changed = True
        found = (frozenset(names), aliases)
        self._flow[id(method)] = found
        return found

    def _is_tensor(self, node: cst.BaseExpression, names, owner, aliases) -> bool:
        kind = type(node)
        if kind is cst.Name:
            return node.value in names
        if kind is cst.Subscript:
            return self._is_tensor(node.value, names, owner, aliases)
        if kind is cst.Attribute:
            return node.attr.value == "T" and self._is_tensor(node.value, names, owner, aliases)
        if kind is cst.BinaryOperation:
            return self._is_tensor(node.left, names, owner, aliases) or self._is_tensor(
                node.right, names, owner, aliases)
        if kind is cst.UnaryOperation:
            return self._is_tensor(node.expression, names, owner, aliases)
        if kind is cst.IfExp:
            return self._is_tensor(node.body, names, owner, aliases) or self._is_tensor(
                node.orelse, names, owner, aliases)
        if kind is cst.Call:
            return self._tensor_call(node, names, owner, aliases)
        return False

    def _holds_tensor(self, node: cst.BaseExpression, names, owner, aliases) -> bool:
        """A tensor, or a list/tuple literal with one (`np.concatenate([x, y])`)."""
        if isinstance(node, (cst.List, cst.Tuple)):
            return any(
                not isinstance(element, cst.StarredElement) and self._holds_tensor(element.value, names, owner, aliases)
                for element in node.elements
            )
        return self._is_tensor(node, names, owner, aliases)

    def _tensor_call(self, node: cst.Call, names, owner, aliases) -> bool:
        """A sub-layer call, or a TensorFlow/Keras op that is not about shapes or dtypes,
        given a tensor."""
        if not any(self._holds_tensor(arg.value, names, owner, aliases) for arg in node.args):
            return False
        if sublayers.sublayer_called(node, owner, aliases) is not None:
            return True
        qualified = self.module.qualified_name(node.func)
        if qualified is None:
            return False
        last = qualified.rpartition(".")[2]
        if last in _PYTHON_VALUES or last in knowledge.TENSOR_METADATA_FUNCTIONS:
            return False
        return qualified.startswith("tensorflow.") or canonical_keras_name(qualified) is not None

    # ---- code that meets only concrete values ----------------------------------------------
    def _eager_only(self, method: cst.FunctionDef) -> bool:
        """Whether the node being visited runs only eagerly: under an `if`/`while`/ternary
        that tests eager execution or the value's type, or in a `try` whose handler catches
        what a symbolic tensor raises."""
        chain = self.context.ancestors
        start = next((i for i, node in enumerate(chain) if node is method), 0)
        for position in range(start + 1, len(chain) - 1):
            node, child = chain[position], chain[position + 1]
            if isinstance(node, (cst.If, cst.While, cst.IfExp)) and child is not node.test:
                text = code_of(node.test)
                if any(word in text for word in knowledge.EAGER_ONLY_TESTS):
                    return True
            elif isinstance(node, cst.Try) and child is node.body and any(_catches(h) for h in node.handlers):
                return True
        return False


def _catches(handler: cst.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type]
    for item in types:
        value = item.value if isinstance(item, cst.Element) else item
        name = value.attr.value if isinstance(value, cst.Attribute) else getattr(value, "value", None)
        if name in _CATCHING:
            return True
    return False


def _dynamic(class_def: cst.ClassDef) -> bool:
    """Whether the class passes `dynamic=True` (Keras 2 then runs its call() eagerly)."""
    for node in syntax.walk(class_def):
        if isinstance(node, cst.Arg) and node.keyword is not None and node.keyword.value == "dynamic":
            return isinstance(node.value, cst.Name) and node.value.value == "True"
    return False
