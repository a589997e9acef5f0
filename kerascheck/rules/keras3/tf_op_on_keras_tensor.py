"""KC511 (tf-op-on-keras-tensor): a TensorFlow op applied to a KerasTensor while a
functional model is built."""
from __future__ import annotations

import libcst as cst

from kerascheck.rules.keras3 import edits
from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.rules.keras3.table import TF_OP_MAP, TF_OP_MIN_ARGS
from kerascheck.semantic import knowledge
from kerascheck.semantic.file_state import LAYER, SHIM, STANDALONE, input_names
from kerascheck.semantic.names import cst_dotted

_NOTHING: frozenset = frozenset()


@matcher("keras_tensor_in_tf_op")
class KerasTensorInTfOp(Matcher):
    """KC511: `tf.<op>(t)` at model-building scope where `t` is a `keras.Input(...)` or a
    layer's output (a KerasTensor), in the same function or module scope. The fix rewrites
    the call with its `keras.ops` twin (TF_OP_MAP), always unsafe.

    It visits every Assign and Call of most Keras files, so it is written for speed: exact
    type tests, the cheap conditions first (a name argument, a scope with KerasTensors)
    before any name resolution, and the per-function facts memoised."""

    _NOT_OPS = ("tensorflow.keras", "tensorflow.data", "tensorflow.io", "tensorflow.compat", "tensorflow.distribute",
                "tensorflow.saved_model", "tensorflow.train", "tensorflow.summary", "tensorflow.config")
    _NOT_OP_NAMES = frozenset({"TensorShape", "TensorSpec", "function", "Variable", "constant", "print",
                               "is_tensor", "get_static_value", "identity", "name_scope", "device", "py_function",
                               "numpy_function", "GradientTape", "Module", "cast"})

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        self._symbolic: dict[int, set[str]] = {}  # id(scope) -> names bound to KerasTensors there
        self._layer_code: dict[int, bool] = {}  # id(innermost def/lambda/class) -> is it layer code
        self._input_names = input_names(self.module.index)

    def _scope(self) -> tuple[cst.CSTNode, int]:
        """(the scope of the node being visited: its innermost function, lambda or the
        module; the position in the ancestors of its innermost def, lambda or class, or -1)."""
        chain = self.context.ancestors
        owner = -1
        for position in range(len(chain) - 1, -1, -1):
            kind = type(chain[position])
            if kind is cst.FunctionDef or kind is cst.Lambda:
                return chain[position], (owner if owner >= 0 else position)
            if kind is cst.ClassDef:
                if owner < 0:
                    owner = position
            elif kind is cst.Module:
                return chain[position], owner
        return chain[0], owner

    def _layer_code_at(self, owner: int) -> bool:
        """Whether the node being visited is layer code (the values are real tensors):
        inside a `lambda`, or directly in a method of a Keras class. `owner`: as _scope
        gives it."""
        if owner < 0:
            return False
        chain = self.context.ancestors
        node = chain[owner]
        layer = self._layer_code.get(id(node))
        if layer is None:
            kind = type(node)
            if kind is cst.Lambda:
                layer = True
            elif kind is cst.ClassDef:
                layer = False  # a class body, not a method
            else:
                holder = chain[owner - 2] if owner >= 2 else None
                layer = type(holder) is cst.ClassDef and self.module.keras_class(holder) is not None
            self._layer_code[id(node)] = layer
        return layer

    def _symbolic_value(self, value: cst.CSTNode, symbolic: set) -> bool:
        """A KerasTensor: `keras.Input(...)`, a layer applied to something symbolic
        (`Dense(3)(x)`, `layer(x)` for a name bound to a layer), or a name already known
        symbolic."""
        kind = type(value)
        if kind is cst.Name:
            return value.value in symbolic
        if kind is not cst.Call:
            return False
        func = value.func
        kind = type(func)
        if kind is cst.Call:
            return any(self._symbolic_value(arg.value, symbolic) for arg in value.args) and \
                self.state.call_kind(func) == LAYER
        if kind is cst.Name:
            last = func.value
        elif kind is cst.Attribute:
            last = func.attr.value
        else:
            return False
        if last in self._input_names and self.state.canonical(func) in knowledge.INPUT_FUNCTIONS:
            return True
        return kind is cst.Name and any(self._symbolic_value(arg.value, symbolic) for arg in value.args) and \
            self.state.kind_of(func) == LAYER

    def visit_Assign(self, node: cst.Assign) -> None:
        scope, owner = self._scope()
        symbolic = self._symbolic.get(id(scope))
        value = node.value
        kind = type(value)
        is_symbolic = (kind is cst.Name or kind is cst.Call) and self._symbolic_value(value, symbolic or _NOTHING)
        if not is_symbolic and not (symbolic and any(
                type(target.target) is cst.Name and target.target.value in symbolic for target in node.targets)):
            return  # nothing to record (the test below is the costly one)
        if self._layer_code_at(owner):
            return
        if symbolic is None:
            symbolic = self._symbolic[id(scope)] = set()
        for target in node.targets:
            name = target.target
            if type(name) is cst.Name:
                if is_symbolic:
                    symbolic.add(name.value)
                else:
                    symbolic.discard(name.value)

    def visit_Call(self, node: cst.Call) -> None:
        if not self._symbolic:
            return
        names = []
        for arg in node.args:
            value = arg.value
            kind = type(value)
            if kind is cst.Name:
                names.append(value.value)
            elif kind is cst.List or kind is cst.Tuple:
                names.extend(e.value.value for e in value.elements if type(e.value) is cst.Name)
        if not names:
            return
        scope, owner = self._scope()
        symbolic = self._symbolic.get(id(scope))
        if not symbolic:
            return
        hit = next((name for name in names if name in symbolic), None)
        if hit is None:
            return
        qualified = self.state.qualified(node.func)
        if not qualified or not qualified.startswith("tensorflow.") or qualified.startswith(self._NOT_OPS):
            return
        last = qualified.rpartition(".")[2]
        if last in self._NOT_OP_NAMES or last[:1].isupper() or self._layer_code_at(owner):
            return
        self.flag(node.func, self.entry.render(written=cst_dotted(node.func) or qualified, member=hit),
                  fix=self._fix(node, qualified[len("tensorflow."):]))

    def _fix(self, call: cst.Call, name: str):
        """`tf.concat([a, b], -1)` -> `keras.ops.concatenate([a, b], -1)` (TF_OP_MAP)."""
        row = TF_OP_MAP.get(name)
        if row is None or len(call.args) < TF_OP_MIN_ARGS.get(name, 0):
            return None
        spelled = self._spell_ops(row.target)
        if spelled is None:
            return None
        return edits.row_call_fix(call, row, *spelled)

    def _spell_ops(self, target: str):
        """`keras.ops.<x>` as this module spells Keras: the standalone package when it
        imports it, else the `tf.keras` it already uses, else a new `import keras`."""
        facts = self.module.index.modules.get(self.context.path)
        imports = facts.imports.values() if facts is not None else ()
        if not any(not anchor and (target_ == "keras" or target_.startswith("keras.")) for anchor, target_ in imports):
            spelled = self.state.spell(SHIM, target)
            if spelled is not None:
                return spelled
        return self.state.spell(STANDALONE, target)


