"""The runtime probes of `--confirm`.

The class rules' probes live in one module per probe group, like the rules, and
register in :data:`base.PROBES` (code -> probe function) when imported: they need numpy,
so only the worker imports them, through :func:`class_probes`. `migration` holds the
KC5xx introspection probes and what they need from a finding; it imports neither numpy
nor Keras at import time, so the main process can use it.
"""
from __future__ import annotations

from typing import Callable


def class_probes() -> dict[str, Callable]:
    """Every class rule's probe, by code (imports numpy and the probe modules; worker only)."""
    from kerascheck.confirm.probes import call_contract, graph_mode, saving, serialization, weights  # noqa: F401 - registration
    from kerascheck.confirm.probes.base import PROBES

    return PROBES
