"""The rules: one module per rule, registered by subclassing :class:`base.Rule`.

`all_rules()` imports every module of this package once; a new rule file needs no
other edit to be found, listed, documented and run.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from kerascheck.rules.base import REGISTRY, Rule


@lru_cache(maxsize=None)
def _load() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base" and not module.ispkg:  # `support`: what rules share
            importlib.import_module(f"{__name__}.{module.name}")


def all_rules() -> dict[str, type[Rule]]:
    """Every rule, by code, in code order."""
    _load()
    return dict(sorted(REGISTRY.items()))
