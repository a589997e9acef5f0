"""KC501-KC541: Keras 2 code that breaks, or silently changes, on Keras 3.

TensorFlow 2.16 made Keras 3 the default, and code written for Keras 2 (tutorials,
papers' repositories, TF <= 2.15 projects) now fails with AttributeError, ValueError or
saving errors, or quietly trains differently. Every row of the migration table
(`table.ENTRIES`) becomes one rule class here, registered like any other rule; the rows'
data configures the matchers, which the other modules of this package register.
The rules stay quiet for code that deliberately stays on Keras 2 (target-keras, pins,
`import tf_keras`, TF_USE_LEGACY_KERAS).
"""
from __future__ import annotations

import importlib
import pkgutil

from kerascheck.rules import keras3
from kerascheck.rules.keras3.rule import MigrationRule, make_hook
from kerascheck.rules.keras3.table import ENTRIES


def _register_matchers() -> None:
    """Import every module of the package: each matcher registers itself by name, and a
    row's rule class needs its matchers' visit_ methods when it is made."""
    for module in pkgutil.iter_modules(keras3.__path__):
        importlib.import_module(f"{keras3.__name__}.{module.name}")


def _class_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _make(entry):
    return type(
        _class_name(entry.name),
        (MigrationRule,),
        {
            "__module__": __name__,
            "__doc__": f"{entry.code}: {entry.summary}",
            "code": entry.code,
            "name": entry.name,
            "severity": entry.severity,
            "default": entry.default,
            "summary": entry.summary,
            "affects": entry.affects,
            "fix_safety": entry.fix_safety,
            "entry": entry,
            "supersedes": dict(entry.supersedes),
            **{name: make_hook(name) for name in MigrationRule.hook_names(entry)},
        },
    )


_register_matchers()
MIGRATION_RULES = {entry.code: _make(entry) for entry in ENTRIES}
globals().update({cls.__name__: cls for cls in MIGRATION_RULES.values()})
