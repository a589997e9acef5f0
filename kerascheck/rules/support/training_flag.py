"""Where the training flag decides: the Keras method around a node, and tests of `training` on the way to it."""
from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from kerascheck.cstwalk import syntax_children
from kerascheck.semantic.syntax import param_names, walk_with_chain
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import cst_dotted, resolves_to


def enclosing_keras_method(context):
    """(KerasClass, method) for the method of a Keras class whose body lexically holds the
    node being visited, through nested functions and lambdas (unlike
    `context.current_method()`, which stops at the innermost function); None when a
    nested class comes first or there is no such method."""
    chain = context.ancestors
    for position in range(len(chain) - 1, -1, -1):
        node = chain[position]
        if isinstance(node, cst.ClassDef):
            return None
        if isinstance(node, cst.FunctionDef) and position >= 2 and isinstance(chain[position - 2], cst.ClassDef):
            keras_class = context.module.keras_class(chain[position - 2])
            return (keras_class, node) if keras_class is not None else None
    return None


_TRAINING_PARAM = re.compile(r"(^|_)train(ing)?($|_)|^deterministic$", re.I)


def training_names(function: Optional[cst.FunctionDef]) -> frozenset[str]:
    """Names that carry the training flag in `function`: `training`, plus parameters such
    as `is_training`, `train`, `training_mode` or `deterministic` (never `trainable`)."""
    found = {"training"}
    if function is not None:
        found.update(name for name in param_names(function) if _TRAINING_PARAM.search(name))
    return frozenset(found)


def mentions_training(node: cst.CSTNode, names=("training",)) -> bool:
    """Whether an expression reads the training flag: a name in `names` (also as an
    attribute, `self.training`) or the learning phase (`K.learning_phase()`). Keyword
    names of arguments (`f(training=x)`) are not reads."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            if current.value in names or current.value in knowledge.LEARNING_PHASE_NAMES:
                return True
        elif isinstance(current, cst.Arg):
            stack.append(current.value)
        else:
            stack.extend(syntax_children(current))
    return False


def training_switch(module, call: cst.Call, names=("training",)) -> bool:
    """Whether `call` chooses a branch on training: `tf.cond`/`smart_cond`/`ops.cond` with
    the training flag among its arguments, or `K.in_train_phase`/`in_test_phase`."""
    dotted = cst_dotted(call.func) or ""
    bare = dotted.rpartition(".")[2]
    if bare in knowledge.LEARNING_PHASE_SWITCH_NAMES:
        return True
    if bare not in knowledge.TRAINING_SWITCH_NAMES and not resolves_to(
        module.qualified_name(call.func), knowledge.TRAINING_SWITCHES
    ):
        return False
    return any(mentions_training(arg.value, names) for arg in call.args)


def under_training_test(context, names=("training",)) -> bool:
    """Whether the node being visited only runs (or only counts) on one side of a test of
    the training flag: inside `if training:` (either branch), `a if training else b`,
    `training and a`, the arguments of a training switch (`tf.cond(training, ...)`,
    `K.in_train_phase(...)`), after an early `if not training: return ...`, or in a
    nested function that is only used under such a test."""
    if isinstance(names, str):
        names = (names,)
    return chain_under_training_test(context.module, context.ancestors, names)


def chain_under_training_test(module, chain, names=("training",)) -> bool:
    """:func:`under_training_test` for an explicit chain of ancestors (the node last)."""
    for position in range(len(chain) - 1, 0, -1):
        child, parent = chain[position], chain[position - 1]
        if isinstance(parent, cst.ClassDef):
            return False
        if isinstance(parent, (cst.If, cst.IfExp)) and child is not parent.test:
            if mentions_training(parent.test, names):
                return True
        elif isinstance(parent, cst.BooleanOperation) and child is parent.right:
            if mentions_training(parent.left, names):
                return True
        elif isinstance(parent, cst.Call) and child is not parent.func:
            if training_switch(module, parent, names):
                return True
        elif isinstance(parent, (cst.IndentedBlock, cst.Module)):
            if _training_exit_before(parent.body, child, names):
                return True
        if isinstance(child, cst.FunctionDef) and not (
            position >= 2 and isinstance(chain[position - 2], cst.ClassDef)
        ):
            scope = next(
                (node for node in reversed(chain[:position]) if isinstance(node, (cst.FunctionDef, cst.Module))),
                None,
            )
            if scope is not None and name_used_under_training_test(module, scope, child.name.value, names, child):
                return True
    return False


def name_used_under_training_test(module, scope, name: str, names=("training",), skip=None) -> bool:
    """Whether some read of `name` in `scope` sits under a training test (a nested
    `def dropped(): ...` passed to `K.in_train_phase`, a result picked by `tf.cond`)."""
    for node, chain in walk_with_chain(scope):
        if node is skip:
            continue
        if isinstance(node, cst.Name) and node.value == name and not _is_binding(chain):
            if chain_under_training_test(module, chain, names):
                return True
    return False


def _is_binding(chain) -> bool:
    """Whether the Name ending `chain` is a definition's name or a keyword, not a read."""
    if len(chain) < 2:
        return False
    name, parent = chain[-1], chain[-2]
    if isinstance(parent, (cst.FunctionDef, cst.ClassDef)) and parent.name is name:
        return True
    if isinstance(parent, cst.Arg) and parent.keyword is name:
        return True
    if isinstance(parent, cst.AssignTarget) and parent.target is name:
        return True
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return True
    return False


def _training_exit_before(statements, child, names) -> bool:
    """An `if <training test>: ... return/raise` among the statements before `child`."""
    for statement in statements:
        if statement is child:
            return False
        if isinstance(statement, cst.If) and mentions_training(statement.test, names):
            if _always_exits(statement.body):
                return True
    return False


def _always_exits(block) -> bool:
    if isinstance(block, cst.SimpleStatementSuite):
        return any(isinstance(small, (cst.Return, cst.Raise)) for small in block.body)
    if isinstance(block, cst.IndentedBlock) and block.body:
        last = block.body[-1]
        if isinstance(last, cst.SimpleStatementLine):
            return any(isinstance(small, (cst.Return, cst.Raise)) for small in last.body)
    return False
