"""Probes for KC211 and KC212: what the class does when Keras runs its call() in a graph,
as a functional model built on `keras.Input` (a layer) or a one-step `fit()` on synthetic
data (a model), on a fresh instance that no eager call has built."""
from __future__ import annotations

import re

import numpy as np

from kerascheck.confirm.probes.base import arrays, confirmed, not_reproduced, probe, short, skipped


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _numpy_cause(exc: BaseException) -> str:
    """The line of the error that names NumPy (Keras 3 wraps it in "Could not
    automatically infer the output shape"), or "" when none does."""
    for line in _ANSI.sub("", str(exc)).splitlines():
        if "numpy" in line.lower():
            return f"{type(exc).__name__}: {line.strip()}"
    return ""


def _is_model(layer) -> bool:
    return callable(getattr(layer, "fit", None))


def _target(ctx, x):
    """Zeros shaped like the class's output on `x`, from another instance (so the probed
    one is still unbuilt)."""
    outputs = [np.zeros_like(a, dtype="float32") for a in arrays(ctx.call(ctx.build(), x, training=False))]
    return outputs[0] if len(outputs) == 1 else outputs


def _run_in_graph(ctx, fit: bool) -> str:
    """Runs a fresh instance in a graph and says how: a model gets a one-step fit(); a
    layer is called on a keras.Input (and, with `fit`, trained inside a functional model).
    Raises what Keras raises."""
    spec = ctx.input_spec()  # an eager call finds the input (it works: the pitfall is the graph)
    x = ctx.sample(batch=4)
    target = _target(ctx, x)
    layer = ctx.build()
    keras = ctx.keras
    if _is_model(layer):
        layer.compile(optimizer="sgd", loss="mse")
        layer.fit(x, target, batch_size=4, epochs=1, verbose=0)
        return "a one-step fit() of a fresh model"
    inputs = keras.Input(shape=spec.shape, dtype=spec.dtype)
    model = keras.Model(inputs, layer(inputs))
    if not fit:
        return "building a functional model on keras.Input"
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, target, batch_size=4, epochs=1, verbose=0)
    return "a one-step fit() of a functional model around a fresh layer"


@probe("KC211")
def numpy_in_call(ctx):
    if ctx.input_spec().structure != "single":
        return skipped("needs a class that takes one tensor")
    try:
        how = _run_in_graph(ctx, fit=False)
    except (AttributeError, NotImplementedError, TypeError) as exc:
        cause = _numpy_cause(exc)
        if cause:
            return confirmed(f"an eager call works, but in a graph call() fails: {cause}")
        raise
    return not_reproduced(f"{how} runs call() without error")


@probe("KC212")
def tf_function_on_call(ctx):
    if ctx.input_spec().structure != "single":
        return skipped("needs a class that takes one tensor")
    try:
        how = _run_in_graph(ctx, fit=True)
    except ValueError as exc:
        if "No gradients" in str(exc):
            return confirmed(short(exc))
        raise
    return not_reproduced(f"{how} finds gradients for the sub-layers' weights")
