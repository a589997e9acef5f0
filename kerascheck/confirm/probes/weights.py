"""Probes for KC1xx (weights and state): is the variable tracked, does the layer accept
another input width, does call() create state, does add_weight take the positional
name, does the attribute survive super().__init__()."""
from __future__ import annotations

import sys

from kerascheck.confirm.probes.base import (
    NoInput, confirmed, fmt, max_difference, not_reproduced, probe, raised_in, short, skipped,
)


def _variable_attributes(layer) -> dict:
    """Raw `tf.Variable`s held by the layer's attributes (directly, or in a list/dict)."""
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return {}
    found = {}
    for name, value in list(vars(layer).items()):
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, (list, tuple)) else None
        candidates = [(name, value)] if items is None else [(f"{name}[{key!r}]", item) for key, item in items]
        for label, candidate in candidates:
            if isinstance(candidate, tf.Variable):
                found[label] = candidate
    return found


def _tracked_ids(layer) -> set:
    ids = set()
    for weight in getattr(layer, "weights", []):
        ids.add(id(weight))
        inner = getattr(weight, "_value", None)
        if inner is not None:
            ids.add(id(inner))
    return ids


@probe("KC101")
def tf_variable_in_layer(ctx):
    layer = ctx.build()
    try:
        ctx.call(layer)  # variables created in build() exist after the first call
    except NoInput:
        pass
    variables = _variable_attributes(layer)
    wanted = ctx.hint.get("attr")
    if wanted is not None:
        variables = {k: v for k, v in variables.items() if k == wanted or k.startswith(wanted + "[")}
    if not variables:
        return skipped(f"no tf.Variable found on the layer{f' in {wanted!r}' if wanted else ''} after a call")
    tracked = _tracked_ids(layer)
    missing = [name for name, variable in variables.items() if id(variable) not in tracked]
    count = len(layer.weights)
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        return confirmed(f"tf.Variable {names} is not in layer.weights ({count} weight{'s' * (count != 1)} tracked)")
    return not_reproduced(f"the tf.Variable is tracked: layer.weights has {count} weight{'s' * (count != 1)}")


@probe("KC102")
def weights_sized_by_constructor(ctx):
    spec = ctx.input_spec()
    if spec.kind != "float":
        return skipped("the layer takes token ids: there is no input width to vary")
    width = spec.shape[-1]
    other = width + 3
    layer = ctx.build()
    try:
        ctx.call(layer, ctx.sample(width=other))
    except Exception as exc:  # noqa: BLE001 - the failure is the evidence
        return confirmed(f"works on inputs of width {width}, fails on width {other}: {short(exc)}")
    return not_reproduced(f"works on inputs of width {width} and of width {other}")


@probe("KC103")
def state_created_in_call(ctx):
    layer = ctx.build()
    try:
        x = ctx.sample()
    except NoInput as missing:
        failure = missing.consistent_error()
        if failure is not None and ("state" in str(failure) or raised_in(failure, "add_weight")):
            return confirmed(f"the first call fails: {short(failure)}")
        raise
    try:
        first = ctx.call(layer, x, training=False)
        count = len(layer.weights)
        second = ctx.call(layer, x, training=False)
    except Exception as exc:  # noqa: BLE001
        if "state" in str(exc) or "Variable" in str(exc) or raised_in(exc, "add_weight"):
            return confirmed(f"calling the layer fails: {short(exc)}")
        raise
    difference = max_difference(first, second)
    if difference is not None and difference > 1e-6:
        return confirmed(
            f"two calls on the same input differ (max |Δ| {fmt(difference)}): call() makes fresh weights each "
            f"time; layer.weights has {len(layer.weights)}"
        )
    if len(layer.weights) != count:
        return confirmed(f"layer.weights grows from {count} to {len(layer.weights)} on the second call")
    tf = sys.modules.get("tensorflow")
    if tf is not None and ctx.backend == "tensorflow":
        fresh = ctx.build()
        traced = tf.function(lambda t: fresh(t, training=False))
        try:
            traced(x)
            traced(ctx.sample(batch=3))  # a new shape: a second trace
        except Exception as exc:  # noqa: BLE001
            if "Variable" in str(exc) or "state" in str(exc):
                return confirmed(f"under tf.function: {short(exc)}")
    return not_reproduced(f"calls are repeatable and layer.weights stays at {count}")


def _from_add_weight(exc: BaseException) -> bool:
    return raised_in(exc, "add_weight") or "add_weight" in str(exc)


@probe("KC104")
def add_weight_positional_name(ctx):
    failure = ctx.construct_error
    if failure is None:
        layer = ctx.build()
        try:
            ctx.call(layer)
        except NoInput as missing:
            failure = next((e for _, e in missing.errors if _from_add_weight(e)), None)
            if failure is None:
                raise
        except Exception as exc:  # noqa: BLE001
            failure = exc
    if failure is not None:
        if _from_add_weight(failure):
            return confirmed(short(failure))
        raise failure
    return not_reproduced("add_weight() accepted the name as its first positional argument")


@probe("KC105")
def attribute_reset_by_super_init(ctx):
    attribute = ctx.hint.get("attr")
    if attribute is None:
        return skipped("could not tell which attribute the flagged line assigns")
    layer = ctx.build()
    actual = getattr(layer, attribute, None)
    if "value" not in ctx.hint:
        return skipped(f"'{attribute}' is assigned a value that is not a literal; it reads back {actual!r}")
    expected = ctx.hint["value"]
    if actual != expected:
        return confirmed(f"'{attribute}' reads back {actual!r} after construction (assigned {expected!r} before super().__init__())")
    return not_reproduced(f"'{attribute}' keeps the assigned {expected!r}")
