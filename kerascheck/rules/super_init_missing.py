"""KC301: a Keras layer or model whose `__init__` never runs the parent initializer.

`Layer.__init__` sets up everything Keras needs (name, dtype policy, weight tracking,
the build machinery). Measured on Keras 3.15.1 and tf_keras 2.21 (see `effects`): without
it a layer's first call raises RuntimeError ("you forgot to call `super().__init__()`");
a tf_keras Model already fails in its constructor, at the first attribute it sets. The
misspellings are just as fatal and less obvious: `super().__init(...)` is name-mangled
inside a class body (`AttributeError: 'super' object has no attribute '_MyModel__init'`),
and `super().__init__(self, ...)` hands the instance in twice (Keras 3: `TypeError:
Layer.__init__() takes 1 positional argument but 2 were given`; tf_keras takes the
instance for `trainable` and rejects it). A constructor defined as `def __int__` / `def
__init_` is never run at all: Python calls the parent's `__init__` with the user's
arguments, which rejects them.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, effect, everywhere, said
from kerascheck.rules.support import parents
from kerascheck.semantic import syntax

_RENAME = "rename it to __init__"


class SuperInitMissing(Rule):
    code = "KC301"
    name = "super-init-missing"
    severity = Severity.ERROR
    summary = "Keras class __init__ that never calls (or misspells) super().__init__()."
    affects = "Keras 2 and Keras 3 (tf_keras fails in a Model's constructor already)"
    fix_safety = ('safe',)
    effects = {
        "no-super-layer": effect(
            keras3=said("the layer's first call raises RuntimeError", "(\"you forgot to call `super().__init__()`\")", " "),
            keras2=said(
                "the layer's first call raises RuntimeError",
                "(\"You must call `super().__init__()` in the layer constructor\")", " ",
            ),
        ),
        "no-super-model": effect(
            keras3=said("the model's first call raises RuntimeError", "(\"you forgot to call `super().__init__()`\")", " "),
            keras2=said(
                "constructing the model raises RuntimeError",
                "at the first attribute __init__ sets (\"you forgot to call `super().__init__()`\")", " ",
            ),
        ),
        "misspelled-super-init": everywhere("constructing the class raises AttributeError"),
        "self-passed-twice": effect(
            keras3=said(
                "constructing the class raises TypeError",
                "(\"Layer.__init__() takes 1 positional argument but 2 were given\")", " ",
            ),
            keras2=said(
                "constructing the class raises TypeError",
                "(\"Expected `trainable` argument to be a boolean\"): the instance lands in `trainable`", " ",
            ),
        ),
        "misspelled-def": effect(
            keras3=said(
                "the parent initializer gets the constructor arguments and rejects them",
                "(keywords: ValueError \"Unrecognized keyword arguments\"; positional: TypeError \"takes 1 "
                "positional argument\")", " ",
            ),
            keras2=said(
                "the parent initializer gets the constructor arguments and rejects them",
                "(keywords: TypeError \"Keyword argument not understood\"; positional: TypeError \"Expected "
                "`trainable` argument to be a boolean\")", " ",
            ),
        ),
    }

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        keras_class = self.module.keras_class(node)
        if keras_class is None:
            return
        methods = syntax.methods(node)
        init = methods.get("__init__")
        if init is None:
            misspelled = [
                method for name, method in methods.items()
                if parents.is_init_misspelling(name) and self._looks_like_constructor(method, name)
            ]
            consequence = self.consequence("misspelled-def")
            for method in misspelled if consequence else ():
                # Two near misses: which one was meant is not for a tool to decide.
                fix = _renamed(method.name) if len(misspelled) == 1 else None
                self.report(
                    method.name,
                    f"'{method.name.value}' is not __init__: {self.consequence('misspelled-def', short=True)}",
                    fix=fix,
                    help=f"Python never runs '{method.name.value}' as the constructor, so {consequence}; {_RENAME}",
                )
            return
        owner = syntax.self_name(init)
        misspelled = parents.misspelled_init_calls(init)
        for call in misspelled if self.consequence("misspelled-super-init") else ():
            name = call.func.attr.value
            self.report(
                call.func,
                f"super().{name}(...) is a misspelling of super().__init__(...): "
                f"{self.consequence('misspelled-super-init', short=True)}",
                fix=_renamed(call.func.attr),
                help=self._misspelled_call_help(name, node.name.value),
            )
        calls = parents.parent_calls(init, "__init__")
        twice = self.consequence("self-passed-twice")
        for call in calls if twice else ():
            arguments = syntax.positional(call)
            if syntax.is_super_call(call, "__init__") and arguments and _is_name(arguments[0].value, owner):
                drop = f"drop '{owner}' from the arguments"
                self.report(
                    arguments[0],
                    f"'{owner}' passed twice to super().__init__(): {self.consequence('self-passed-twice', short=True)}",
                    fix=Fix.replace(arguments[0], cst.RemoveFromParent(), safe=True, description=drop),
                    help=f"super().__init__() is already bound to the instance: {twice}; {drop}",
                )
        if not calls and not misspelled and not self._delegates(init, methods):
            situation = "no-super-model" if keras_class.is_model else "no-super-layer"
            consequence = self.consequence(situation)
            if consequence is not None:
                self.report(
                    init.name,
                    f"__init__ never calls super().__init__(): {self.consequence(situation, short=True)}",
                    help=f"the {'model' if keras_class.is_model else 'layer'} is left uninitialized: "
                    f"{consequence}; call super().__init__(**kwargs) first",
                )

    @staticmethod
    def _delegates(init: cst.FunctionDef, methods: dict[str, cst.FunctionDef]) -> bool:
        """`__init__` calls `self.setup(...)`, a method of the class that runs the parent
        initializer itself."""
        owner = syntax.self_name(init)
        for node in syntax.walk_scope(init.body):
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
                if _is_name(node.func.value, owner):
                    helper = methods.get(node.func.attr.value)
                    if helper is not None and helper is not init and parents.parent_calls(helper, "__init__"):
                        return True
        return False

    @staticmethod
    def _looks_like_constructor(method: cst.FunctionDef, name: str) -> bool:
        """A near miss of `__init__` meant as the constructor: it takes arguments, or calls
        the parent initializer. A bare `def __int__(self)` is the int() conversion."""
        takes_arguments = len(syntax.params(method)) > 1 or method.params.star_kwarg is not None
        if name == "__int__" and not takes_arguments:
            return False
        return takes_arguments or bool(parents.parent_calls(method, "__init__"))

    @staticmethod
    def _misspelled_call_help(name: str, class_name: str) -> str:
        """The AttributeError Python raises for `super().<name>`, and what to call."""
        if name.startswith("__") and not name.endswith("__"):
            missing, why = f"_{class_name.lstrip('_')}{name}", " (the name is mangled inside a class)"
        else:
            missing, why = name, ""
        return (
            f"constructing the class raises AttributeError: 'super' object has no attribute "
            f"'{missing}'{why}; call super().__init__(...)"
        )


def _renamed(name: cst.Name) -> Fix:
    """`__int__` / `__init` -> `__init__`: what was meant, and what Python calls."""
    return Fix.replace(name, cst.Name("__init__"), safe=True, description=_RENAME)


def _is_name(node: cst.CSTNode, name: Optional[str]) -> bool:
    return name is not None and isinstance(node, cst.Name) and node.value == name
