"""The rules: one module per rule, registered by subclassing :class:`base.Rule`.

`all_rules()` imports every module of this package and of its rule packages once (the
KC5xx wing, `keras3/`); a new rule file needs no other edit to be found, listed,
documented and run. `support/` holds what several rules share.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from kerascheck.rules.base import REGISTRY, Rule


@lru_cache(maxsize=None)
def _load() -> None:
    for module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        if module.name != f"{__name__}.base" and not module.name.startswith(f"{__name__}.support"):
            importlib.import_module(module.name)


def all_rules() -> dict[str, type[Rule]]:
    """Every rule, by code, in code order."""
    _load()
    return dict(sorted(REGISTRY.items()))
