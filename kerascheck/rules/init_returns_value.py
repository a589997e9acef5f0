"""KC306: a Layer or Model `__init__` that returns a value.

Python requires `__init__` to return None: `return self` (a habit from builder-style
code), `return self.dense` or `return x` on some path makes the construction itself raise
"TypeError: __init__() should return None, not 'Scale'", on Keras 3.15.1 and tf_keras
2.21 alike (measured, see `effects`). A bare `return` and `return None` are fine, and so
is returning a call's result (`return super().__init__(**kwargs)` returns None): what a
call returns is not known here.
"""
from __future__ import annotations

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, everywhere, said

# Values whose evaluation has no effect of its own: dropping them from `return` changes
# only what is returned.
_PLAIN_VALUES = (cst.Name, cst.Attribute, cst.BaseNumber, cst.BaseString)


class InitReturnsValue(Rule):
    code = "KC306"
    name = "init-returns-value"
    severity = Severity.ERROR
    summary = "__init__() of a Layer or Model returns a value: constructing it raises TypeError."
    affects = "Keras 2 and Keras 3, the same on both"
    fix_safety = ("unsafe",)
    effects = {
        "returns-value": everywhere(
            said("constructing the class raises TypeError", "\"__init__() should return None, not '<its type>'\"")
        ),
    }

    def visit_Return(self, node: cst.Return) -> None:
        value = node.value
        if value is None or _maybe_none(value) or self.context.in_method("__init__") is None:
            return
        consequence = self.consequence("returns-value")
        if consequence is None:
            return
        fix = None
        if isinstance(value, _PLAIN_VALUES):
            # Unsafe: the class now constructs where it raised, and what it returned is gone.
            fix = Fix.replace(node, node.with_changes(value=None, whitespace_after_return=cst.MaybeSentinel.DEFAULT), safe=False, description="return nothing")
        self.report(
            value,
            f"__init__() returns a value: {self.consequence('returns-value', short=True)}",
            fix=fix,
            help=f"Python requires __init__ to return None; {consequence}. Use a bare `return` "
            "(or end the method) and read what you meant to return from the instance.",
        )


def _maybe_none(value: cst.BaseExpression) -> bool:
    """`None`, or a call: what a call returns (`super().__init__(...)`, a helper that
    builds sub-layers) may well be None."""
    return (isinstance(value, cst.Name) and value.value == "None") or isinstance(value, (cst.Call, cst.Await))
