"""What every probe shares: outcomes, the probe context, and small observation helpers.

A probe is a function `probe(ctx) -> Outcome`, registered for one code with
:func:`probe`. It builds the class through `ctx` (fresh instances, the input that was
found to work) and observes one thing, preferring introspection and one or two calls
over training. Exceptions it does not expect become an `error` outcome; `ctx` raises
:class:`CannotConstruct` / :class:`NoInput`, which become `skipped`.
"""
from __future__ import annotations

import re
import traceback
from typing import Any, Callable, NamedTuple, Optional

import numpy as np

from kerascheck.semantic.knowledge import TRAINING_SENSITIVE_LAYERS

PROBES: dict[str, Callable] = {}


def probe(code: str):
    def register(function):
        PROBES[code] = function
        return function
    return register


class Outcome(NamedTuple):
    status: str
    detail: str


def confirmed(detail: str) -> Outcome:
    return Outcome("confirmed", detail)


def not_reproduced(detail: str) -> Outcome:
    return Outcome("not-reproduced", detail)


def skipped(detail: str) -> Outcome:
    return Outcome("skipped", detail)


def error(detail: str) -> Outcome:
    return Outcome("error", detail)


class CannotConstruct(Exception):
    """The class could not be constructed (the message says why)."""

    def __init__(self, message: str, cause: Optional[BaseException] = None):
        super().__init__(message)
        self.cause = cause


class NoInput(Exception):
    """No input shape the class accepts was found; `errors` holds (input, exception)."""

    def __init__(self, message: str, errors: list):
        super().__init__(message)
        self.errors = errors

    def consistent_error(self) -> Optional[BaseException]:
        """The error every tried input raised alike (the class fails whatever its input),
        or None when the errors differ (probably shape errors: the input was wrong)."""
        if not self.errors:
            return None
        keys = {(type(e).__name__, re.sub(r"[\d\s(),\[\]]+", "", str(e))[:60]) for _, e in self.errors}
        return self.errors[0][1] if len(keys) == 1 else None


# ---- describing what was seen -------------------------------------------------------------------
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_KERAS_CALL_PREFIX = re.compile(r"Exception encountered when calling [\w.]+\(\)\.\s*")
_TF_NODE = re.compile(r"\{\{[^}]*\}\}\s*")


def short(exc: BaseException, limit: int = 220) -> str:
    """`TypeError: the first useful line`, on one line."""
    message = _ANSI.sub("", str(exc))
    if "in user code:" in message:  # a tf.function traceback: the error is its last line
        message = next((line for line in reversed(message.splitlines()) if line.strip()), message)
    if "Exception encountered:" in message:
        message = message.split("Exception encountered:", 1)[1]
    message = _KERAS_CALL_PREFIX.sub("", message)
    message = message.split("Arguments received by", 1)[0]
    message = _TF_NODE.sub("", message)
    message = " ".join(message.split())
    message = re.sub(r"\s*name:\s*$", "", message)
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def raised_in(exc: BaseException, function: str) -> bool:
    """Whether `function` (a name) is on the traceback of `exc`."""
    return any(frame.name == function for frame in traceback.extract_tb(exc.__traceback__))


def flatten(value: Any) -> list:
    if isinstance(value, dict):
        return [leaf for key in sorted(value, key=str) for leaf in flatten(value[key])]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in flatten(item)]
    return [value]


def arrays(value: Any) -> list:
    out = []
    for leaf in flatten(value):
        try:
            out.append(np.asarray(leaf, dtype="float64"))
        except (TypeError, ValueError):
            try:
                out.append(np.asarray(leaf.numpy(), dtype="float64"))
            except Exception:  # noqa: BLE001 - not a tensor: compare nothing
                continue
    return out


def max_difference(first: Any, second: Any) -> Optional[float]:
    """The largest absolute difference between two outputs, None when their structure
    or shapes differ."""
    a, b = arrays(first), arrays(second)
    if len(a) != len(b) or not a:
        return None
    worst = 0.0
    for x, y in zip(a, b):
        if x.shape != y.shape:
            return None
        if x.size:
            worst = max(worst, float(np.nanmax(np.abs(x - y))))
    return worst


def fmt(value: float) -> str:
    return f"{value:.3g}"


def class_name(obj: Any) -> str:
    return type(obj).__name__


def sublayers(layer: Any) -> list:
    """Every layer inside `layer` (not itself), at any depth."""
    flat = getattr(layer, "_flatten_layers", None)
    if flat is not None:
        try:
            return list(flat(include_self=False, recursive=True))
        except TypeError:
            return list(flat())[1:]
    return []


def kind_of(layer: Any, names: tuple) -> bool:
    """Whether the layer is (or subclasses) a built-in whose class name is in `names`."""
    return any(cls.__name__ in names for cls in type(layer).__mro__)


# The Keras facts come from the static core's knowledge (data only).
BATCH_NORM = ("BatchNormalization", "SyncBatchNormalization")
DROPOUT_LIKE = tuple(sorted(TRAINING_SENSITIVE_LAYERS - set(BATCH_NORM)))


def rate_parameters(ctx) -> dict:
    """Constructor arguments that are a zero dropout rate (`dropout=0.0`, `rate=0`)."""
    return {
        name: value for name, value in ctx.arguments().items()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0
        and ("rate" in name or "dropout" in name or name in ("p", "drop"))
    }
