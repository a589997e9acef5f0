"""KC304: a `get_config()` that drops the base entries, or can return None.

`Layer.get_config()` supplies `name`, `trainable` and `dtype`; a subclass config must
start from `super().get_config()`. Measured on Keras 3.15.1 and tf_keras 2.21 (see
`effects`): without it the layer saves and loads, but silently comes back with a new
name, `trainable=True` and the default dtype. A `get_config` with a path that falls off
its end returns None, and saving (.keras and .h5) and `from_config` fail at that point.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, everywhere, said
from kerascheck.rules.support import parents, sublayers
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.names import cst_dotted, resolves_to

_SKIPPED_DECORATORS = frozenset({"staticmethod", "classmethod", "property"})


class GetConfigIncomplete(Rule):
    code = "KC304"
    name = "get-config-incomplete"
    severity = Severity.WARNING
    summary = "get_config() that does not merge super().get_config(), or may return None."
    affects = "Keras 2 and Keras 3, the same on both"
    effects = {
        "own-entries-only": everywhere(
            "the reloaded layer (load_model from .keras or .h5, from_config) gets a new name, "
            "trainable=True and the default dtype"
        ),
        "no-return": everywhere(
            said(
                "get_config() returns None, so model.save() fails",
                "(.keras: TypeError \"should return a dict\"; .h5: AttributeError) and so does from_config (TypeError)",
                " ",
            )
        ),
    }

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value != "get_config":
            return
        found = self.context.current_method()
        if found is None or found[1] is not node or _decorated(node):
            return
        if _falls_through(node.body):
            consequence = self.consequence("no-return")
            if consequence is not None:
                self.report(
                    node.name,
                    f"get_config() can reach its end without a return: there {self.consequence('no-return', short=True)}",
                    severity=Severity.ERROR,
                    help=f"on that path {consequence}; return the config on every path",
                )
            return
        if parents.merges_parent_config(node) or self._delegates(node):
            return
        if not any(returned.value is not None for returned in syntax.returns(node)):
            return  # every path raises: the class refuses serialization on purpose
        missing = [key for key in knowledge.BASE_CONFIG_KEYS if key not in _literal_keys(node)]
        if found[0].is_model and self._on_keras_model(found[0].node) and parents.builds_functional_model(found[0].node):
            missing = [key for key in missing if key not in knowledge.FUNCTIONAL_MODEL_UNUSED_CONFIG_KEYS]
        if not missing or self.consequence("own-entries-only") is None:
            return
        if sublayers.throwaway_class(self.context, found[0].node):
            return  # never reloaded: a test's or a builder's local class, a test fixture
        self.report(
            node.name,
            f"get_config() does not include super().get_config(): {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} lost on reload",
            help=f"on reload (load_model from .keras or .h5, from_config) {_consequence(missing)}; start "
            "from config = super().get_config() and update it",
        )

    def _on_keras_model(self, node: cst.ClassDef) -> bool:
        """Whether the class derives from Keras's own Model directly: a project's or a
        library's functional base (keras-hub's Backbone) may well use dtype itself."""
        return bool(node.bases) and all(
            resolves_to(self.module.qualified_name(base.value), knowledge.MODEL_BASES) for base in node.bases
        )

    @staticmethod
    def _delegates(function: cst.FunctionDef) -> bool:
        """A returned value built by another method (`return self._config()`,
        `return {**self.base_config(), ...}`, `super()._get_config()`), which may well merge
        the base config: give it the benefit of the doubt."""
        owner = syntax.self_name(function)

        def from_method(expression: cst.CSTNode) -> bool:
            for node in syntax.walk(expression):
                if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
                    receiver = node.func.value
                    if isinstance(receiver, cst.Name) and receiver.value == owner:
                        return True
                    if isinstance(receiver, cst.Call) and cst_dotted(receiver.func) == "super":
                        return True
            return False

        seeds = set()
        for node in syntax.walk_scope(function.body):
            if isinstance(node, (cst.Assign, cst.AnnAssign)) and node.value is not None and from_method(node.value):
                for target in syntax.assign_targets(node):
                    seeds.update(syntax.target_roots(target))
        built = parents.carriers(function, seeds)
        return any(
            syntax.names_in(returned.value) & built or from_method(returned.value)
            for returned in syntax.returns(function)
            if returned.value is not None
        )


def _consequence(missing: list[str]) -> str:
    effects = {
        "name": "a new name",
        "trainable": "trainable=True again",
        "dtype": "the default dtype policy",
    }
    return "the layer silently gets " + ", ".join(effects[key] for key in missing)


def _decorated(function: cst.FunctionDef) -> bool:
    for decorator in function.decorators:
        dotted = cst_dotted(decorator.decorator) or ""
        if dotted.rpartition(".")[2] in _SKIPPED_DECORATORS:
            return True
    return False


def _literal_keys(function: cst.FunctionDef) -> set[str]:
    """String keys the function writes into dicts: `{"name": ...}`, `config["name"] = ...`,
    `dict(name=...)`."""
    keys = set()
    for node in syntax.walk_scope(function.body):
        if isinstance(node, cst.DictElement):
            key = syntax.string_value(node.key)
            if key:
                keys.add(key)
        elif isinstance(node, cst.Subscript) and len(node.slice) == 1:
            index = node.slice[0].slice
            if isinstance(index, cst.Index):
                key = syntax.string_value(index.value)
                if key:
                    keys.add(key)
        elif isinstance(node, cst.Call) and cst_dotted(node.func) == "dict":
            keys.update(arg.keyword.value for arg in node.args if arg.keyword is not None)
    return keys


# ---- can the body reach its end? ----------------------------------------------------------
def _falls_through(block: cst.BaseSuite) -> bool:
    """Whether running `block` can finish without `return`/`raise` (conservatively: loops
    and `match` may always fall through, except `while True` without `break`)."""
    if isinstance(block, cst.SimpleStatementSuite):
        return not any(isinstance(small, (cst.Return, cst.Raise)) for small in block.body)
    return not any(_terminates(statement) for statement in block.body)


def _terminates(statement: cst.CSTNode) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        return any(isinstance(small, (cst.Return, cst.Raise)) for small in statement.body)
    if isinstance(statement, cst.If):
        if _falls_through(statement.body):
            return False
        orelse: Optional[cst.CSTNode] = statement.orelse
        if orelse is None:
            return False
        if isinstance(orelse, cst.If):
            return _terminates(orelse)
        return not _falls_through(orelse.body)
    if isinstance(statement, cst.With):
        return not _falls_through(statement.body)
    if isinstance(statement, cst.Try):
        if statement.finalbody is not None and not _falls_through(statement.finalbody.body):
            return True
        body_ends = not _falls_through(statement.body) or (
            statement.orelse is not None and not _falls_through(statement.orelse.body)
        )
        return body_ends and all(not _falls_through(handler.body) for handler in statement.handlers)
    if isinstance(statement, cst.While):
        test = statement.test
        endless = isinstance(test, cst.Name) and test.value == "True"
        has_break = any(
            isinstance(node, cst.Break) for node in syntax.walk_scope(statement.body)
        )
        return endless and not has_break
    return False
