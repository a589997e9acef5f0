"""KC307: `get_config()` that writes one constructor argument's attribute under another
argument's name.

`from_config(config)` calls `cls(**config)`: the value under the key `window_size` is what
the reloaded layer receives as `window_size`. A get_config that writes
`"window_size": self.num_heads` (a copy-paste slip, or two entries swapped) reloads the
layer with the wrong hyperparameters: silently when they shape nothing, and with a
failing `load_model` (ValueError, a weight's shape mismatch) when they size a weight.
Measured the same on Keras 3.15.1 and tf_keras 2.21 (see `effects`).

Reported only when the code says which argument each attribute holds: the key is a
constructor parameter P, the value is `self.A` where `__init__` stores another parameter
Q as `self.A = Q` (and nothing else ever assigns `self.A`), and P itself is kept in an
attribute of its own. Renamed attributes (`"filters": self._filters`) and derived ones
(`self.dim = dim or units`) are not an argument's plain copy, and are left alone.
"""
from __future__ import annotations

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, everywhere, said
from kerascheck.rules.support import config_entries
from kerascheck.semantic import syntax


class GetConfigSwappedKeys(Rule):
    code = "KC307"
    name = "get-config-swapped-keys"
    severity = Severity.ERROR
    summary = "get_config() writes one argument's attribute under another argument's name."
    affects = "Keras 2 and Keras 3, the same on both"
    fix_safety = ("unsafe",)
    effects = {
        "swapped": everywhere(
            said(
                "the layer reloads with the wrong hyperparameter",
                "from_config and load_model (.keras, .h5) pass the attribute as that argument; when it sizes "
                "a weight, load_model fails (ValueError: shape mismatch)",
            )
        ),
    }

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        found = config_entries.get_config_and_init(self.context, node)
        if found is None:
            return
        class_def, init = found
        parameters = config_entries.constructor_parameters(init)
        stored = config_entries.stored_parameters(class_def, init)
        kept: dict[str, list[str]] = {}  # parameter -> the attributes that hold it
        for attribute, parameter in stored.items():
            kept.setdefault(parameter, []).append(attribute)
        owner = syntax.self_name(node)
        entries = config_entries.emitted_entries(node)
        emitted = {(key, attribute) for key, _, attribute in entries}
        for key, value, attribute in entries:
            source = stored.get(attribute)
            if (
                key not in parameters
                or source is None
                or source == key
                or not kept.get(key)
                or any((key, own) in emitted for own in kept[key])
                or config_entries.defines_from_config_reading(class_def, key)
            ):
                continue
            self._report(value, key, attribute, source, kept[key], owner)

    def _report(self, value: cst.BaseExpression, key: str, attribute: str, source: str, own: list[str], owner: str) -> None:
        consequence = self.consequence("swapped")
        if consequence is None:
            return
        fix = None
        if len(own) == 1:
            # Unsafe: the reloaded layer changes, and configs saved before hold the old value.
            fix = Fix.replace(
                value,
                cst.Attribute(value=cst.Name(owner), attr=cst.Name(own[0])),
                safe=False,
                description=f"emit self.{own[0]} under '{key}'",
            )
        right = " or ".join(f"`self.{name}`" for name in own)
        self.report(
            value,
            f"get_config() writes `self.{attribute}` (from `{source}`) under '{key}': "
            f"{self.consequence('swapped', short=True)}",
            fix=fix,
            help=f"from_config() calls cls(**config), so `{key}` receives `self.{attribute}`, which __init__ "
            f"sets from `{source}`: {consequence}. Emit {right} under '{key}'.",
        )
