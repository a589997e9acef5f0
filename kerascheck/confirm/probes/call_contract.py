"""Probes for KC2xx (the call() contract): what the layer does in inference and in
training mode, with masks, through `__call__`, and during `fit()`."""
from __future__ import annotations

import inspect

import numpy as np

from kerascheck.confirm.probes.base import (
    BATCH_NORM, DROPOUT_LIKE, NoInput, arrays, class_name, confirmed, fmt, kind_of, max_difference,
    not_reproduced, probe, rate_parameters, short, skipped, sublayers,
)

REPEATS = 3


def _with_rate(ctx):
    """Overrides that turn a zero dropout rate into 0.5 (an ungated dropout of 0 drops
    nothing), and the note that says so."""
    zero = rate_parameters(ctx)
    overrides = {name: 0.5 for name in zero}
    note = f" (with {', '.join(f'{n}=0.5' for n in zero)})" if zero else ""
    return overrides, note


def _differ(outputs, reference) -> float:
    worst = 0.0
    for output in outputs:
        difference = max_difference(output, reference)
        if difference is None:
            continue
        worst = max(worst, difference)
    return worst


@probe("KC201")
def ungated_dropout(ctx):
    overrides, note = _with_rate(ctx)
    layer = ctx.build(**overrides)
    x = ctx.sample(batch=16)
    first = ctx.call(layer, x, training=False)
    others = [ctx.call(layer, x, training=False) for _ in range(REPEATS)]
    difference = _differ(others, first)
    if difference > 1e-6:
        return confirmed(f"inference calls (training=False) on the same input differ (max |Δ| {fmt(difference)}){note}")
    return not_reproduced(f"inference calls are repeatable{note}")


@probe("KC202")
def training_defaults_true(ctx):
    overrides, note = _with_rate(ctx)
    layer = ctx.build(**overrides)
    x = ctx.sample(batch=32)
    inference = ctx.call(layer, x, training=False)
    plain = [ctx.call(layer, x) for _ in range(REPEATS)]
    difference = _differ(plain, inference)
    if difference > 1e-6:
        return confirmed(f"a plain call differs from training=False (max |Δ| {fmt(difference)}): it runs in training mode{note}")
    return not_reproduced(f"a plain call gives the same result as training=False{note}")


@probe("KC203")
def trainable_for_training(ctx):
    kind = ctx.hint.get("kind")
    layer = ctx.build()
    try:
        x = ctx.sample(batch=16)
        ctx.call(layer, x, training=False)
        ctx.call(layer, x, training=True)
    except NoInput as missing:
        failure = missing.consistent_error()
        if failure is not None and "trainable" in str(failure):
            return confirmed(short(failure))
        raise
    except TypeError as exc:
        if "trainable" in str(exc):
            return confirmed(short(exc))
        raise
    if kind == "call-kwarg" and ctx.hint.get("attr") and ctx.hint.get("value") is False:
        sub = getattr(layer, ctx.hint["attr"], None)
        count = len(getattr(sub, "trainable_weights", []))
        if count:
            return confirmed(f"trainable=False had no effect: self.{ctx.hint['attr']} still has {count} trainable weights")
        return not_reproduced(f"self.{ctx.hint['attr']} has no trainable weights after the call")
    if kind == "training-from-trainable":
        overrides, note = _with_rate(ctx)
        layer = ctx.build(**overrides)
        first = ctx.call(layer, x, training=False)
        difference = _differ([ctx.call(layer, x, training=False) for _ in range(REPEATS)], first)
        if difference > 1e-6:
            return confirmed(f"inference calls (training=False) differ (max |Δ| {fmt(difference)}): the sub-layer runs in training mode{note}")
        return not_reproduced(f"inference calls are repeatable{note}")
    if kind == "call-param" or "trainable" in _call_parameters(layer):
        default = _call_parameters(layer).get("trainable")
        return confirmed(
            f"call() declares `trainable`, which Keras never passes: fit() and predict() leave it at {default!r}"
        )
    return not_reproduced(f"Keras {ctx.version} accepted the call")


def _call_parameters(layer) -> dict:
    try:
        parameters = inspect.signature(type(layer).call).parameters
    except (TypeError, ValueError, AttributeError):
        return {}
    return {name: (None if p.default is inspect.Parameter.empty else p.default) for name, p in parameters.items()}


@probe("KC204")
def sublayer_call_bypassed(ctx):
    attribute = ctx.hint.get("attr")
    layer = ctx.build()
    try:
        x = ctx.sample(batch=16)
        trained = ctx.call(layer, x, training=True)
    except NoInput as missing:
        failure = missing.consistent_error()
        if failure is not None:
            return confirmed(f"every call fails: {short(failure)}")
        raise
    sub = getattr(layer, attribute, None) if attribute else None
    if sub is not None and kind_of(sub, DROPOUT_LIKE):
        inference = ctx.call(layer, x, training=False)
        difference = max_difference(trained, inference)
        if difference is not None and difference <= 1e-6:
            return confirmed(f"with training=True, self.{attribute} ({class_name(sub)}) changes nothing: the output equals training=False")
        return not_reproduced(f"self.{attribute} ({class_name(sub)}) is active in training")
    if sub is not None:
        return not_reproduced(f"self.{attribute}.call(...) works here: {class_name(sub)} needs no build, training flag or mask")
    return not_reproduced("the layer calls fine with training=True")


@probe("KC205")
def mask_dropped(ctx):
    spec = ctx.input_spec()
    if spec.kind != "tokens" or spec.structure != "single":
        return skipped("needs a layer that takes one tensor of token ids")
    layer = ctx.build()
    rng = np.random.default_rng(0)
    tokens = rng.integers(1, max(spec.vocab, 2), size=(2, 5)).astype(spec.dtype)
    padded = np.concatenate([tokens, np.zeros((2, 3), spec.dtype)], axis=1)
    short_out = arrays(ctx.call(layer, tokens, training=False))
    long_out = arrays(ctx.call(layer, padded, training=False))
    if len(short_out) != len(long_out) or not short_out:
        return skipped("the outputs for padded and unpadded inputs cannot be compared")
    worst = 0.0
    for a, b in zip(short_out, long_out):
        if a.shape != b.shape:
            if a.ndim >= 2 and b.ndim == a.ndim and a.shape[1] == 5 and b.shape[1] == 8:
                b = b[:, :5]  # sequence outputs: compare the real steps
            else:
                return skipped(f"the output shape depends on the padding ({a.shape} vs {b.shape})")
        worst = max(worst, float(np.max(np.abs(a - b))) if a.size else 0.0)
    if worst > 1e-5:
        return confirmed(f"the same tokens with 3 padding steps appended give a different output (max |Δ| {fmt(worst)})")
    return not_reproduced("padding does not change the output: the mask is honoured")


@probe("KC206")
def call_dunder_overridden(ctx):
    layer = ctx.build()
    ctx.call(layer)
    if not getattr(layer, "built", True):
        count = len(getattr(layer, "weights", []))
        return confirmed(f"layer.built is still False after a call: Keras's __call__ never ran ({count} weights tracked)")
    return not_reproduced("the layer is built after a call")


@probe("KC210")
def model_call_without_training(ctx):
    model = ctx.build()
    if not callable(getattr(model, "fit", None)):
        return skipped("not a Model: Keras passes `training` to layers through the call context")
    flag = getattr(model, "_call_has_training_arg", None)
    introspection = (
        f"Keras {ctx.version}'s fit() calls the model without `training` (its call() declares none)"
        if flag is False else None
    )
    try:
        x = ctx.sample(batch=8)
        output = ctx.call(model, x, training=False)
    except NoInput:
        if introspection:
            return confirmed(introspection + ", so Dropout and BatchNormalization inside stay in inference mode")
        raise
    sensitive = [layer for layer in sublayers(model) if kind_of(layer, DROPOUT_LIKE + BATCH_NORM)]
    if not sensitive:
        if introspection:
            return confirmed(introspection)
        return skipped("no built-in Dropout or BatchNormalization inside to observe")
    seen: dict = {}
    for layer in sensitive:
        original = layer.call

        def spy(*args, _original=original, _name=layer.name, **kwargs):
            seen.setdefault(_name, set()).add(kwargs.get("training"))
            return _original(*args, **kwargs)

        layer.call = spy
    norms = [layer for layer in sensitive if kind_of(layer, BATCH_NORM)]
    before = {layer.name: np.array(layer.moving_mean) for layer in norms}
    try:
        target = [np.zeros_like(a, dtype="float32") for a in arrays(output)]
        model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
        model.fit(x, target[0] if len(target) == 1 else target, batch_size=8, epochs=1, verbose=0)
    except Exception as exc:  # noqa: BLE001 - custom train_step, losses...: fall back
        if introspection:
            return confirmed(introspection + f" (a one-step fit() could not run: {short(exc, 100)})")
        raise
    frozen = [layer.name for layer in norms if np.allclose(before[layer.name], np.array(layer.moving_mean))]
    inactive = [layer.name for layer in sensitive if kind_of(layer, DROPOUT_LIKE) and True not in seen.get(layer.name, {True})]
    parts = []
    if frozen:
        parts.append(f"BatchNormalization {', '.join(map(repr, frozen))} moving statistics unchanged")
    if inactive:
        parts.append(f"Dropout {', '.join(map(repr, inactive))} inactive (training={sorted(map(str, seen.get(inactive[0], {None})))[0]})")
    if parts:
        return confirmed("after a one-step fit(): " + "; ".join(parts))
    return not_reproduced("a one-step fit() runs Dropout/BatchNormalization in training mode")
