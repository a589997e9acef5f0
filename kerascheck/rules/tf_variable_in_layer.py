"""KC101: a `tf.Variable` stored on a Keras layer or model.

Keras 3 tracks only variables it creates (`self.add_weight`, `keras.Variable`): a raw
`tf.Variable` attribute is missing from `layer.weights`, is not trained by `fit`, and is
not saved or restored. Keras 2 tracked it, which is why old tutorials do it.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules import helpers
from kerascheck.rules.base import Rule
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import resolves_to

# Container methods that store their argument on the receiver.
_STORING_METHODS = frozenset({"append", "extend", "insert", "add", "setdefault", "update"})
_CONTAINERS = (
    cst.List, cst.Tuple, cst.Set, cst.Dict, cst.Element, cst.DictElement,
    cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp,
)


class TfVariableInLayer(Rule):
    code = "KC101"
    name = "tf-variable-in-layer"
    severity = Severity.ERROR
    summary = "tf.Variable stored on a Keras layer: not tracked, trained or saved by Keras 3."
    affects = "Keras 3 (on Keras 2 it is tracked, so there it is style)"

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
        owner = helpers.self_name(method)
        statement = self.context.enclosing(cst.BaseSmallStatement)
        if not self._is_stored_value(statement):
            return  # an argument of something else: `tf.train.Checkpoint(step=tf.Variable(0))`
        stored_in = self._stored_in(statement, owner)
        if stored_in is not None:
            self._report(node, stored_in)
            return
        for target in helpers.flatten_targets(helpers.assign_targets(statement)):
            if isinstance(target, cst.Name):
                self._locals[target.value] = node

    def visit_Assign(self, node: cst.Assign) -> None:
        """`self.w = w` where `w` was bound to a tf.Variable earlier in the method."""
        self._check_local_store(node, node.value, helpers.flatten_targets(helpers.assign_targets(node)))

    def visit_Expr(self, node: cst.Expr) -> None:
        """`self.ws.append(w)` where `w` is a tf.Variable local."""
        call = node.value
        if isinstance(call, cst.Call) and helpers.method_call_name(call) in _STORING_METHODS:
            for arg in call.args:
                self._check_local_store(node, arg.value, [call.func.value])

    def _check_local_store(self, statement, value, targets) -> None:
        if not self._locals or not isinstance(value, cst.Name) or value.value not in self._locals:
            return
        found = self.context.current_method()
        if found is None or found[1] is not self._method:
            return
        owner = helpers.self_name(found[1])
        for target in targets:
            if owner and helpers.rooted_at(target, owner):
                self._report(self._locals.pop(value.value), helpers.first_attribute(target))
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
            if isinstance(parent, cst.Call) and helpers.method_call_name(parent) in _STORING_METHODS:
                continue
            if isinstance(parent, cst.Arg) and isinstance(chain[position - 1], cst.Call):
                continue
            return False
        return False

    def _stored_in(self, statement, owner: Optional[str]) -> Optional[str]:
        """The self attribute the statement stores its value in, if it does."""
        if owner is None or statement is None:
            return None
        for target in helpers.flatten_targets(helpers.assign_targets(statement)):
            if helpers.rooted_at(target, owner):
                return helpers.first_attribute(target) or "?"
        if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
            call = statement.value
            if helpers.method_call_name(call) in _STORING_METHODS and helpers.rooted_at(call.func.value, owner):
                return helpers.first_attribute(call.func.value) or "?"
        return None

    def _report(self, call: cst.Call, attribute: Optional[str]) -> None:
        self.report(
            call,
            f"tf.Variable '{attribute}' is invisible to Keras 3: it is not in layer.weights, "
            "not trained by fit() and not saved; create it with self.add_weight(...)",
        )
