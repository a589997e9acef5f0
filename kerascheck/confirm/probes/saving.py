"""Probe for KC305: does a saved model holding the class load back without custom_objects.

It builds the smallest model that saves the class (a layer in a functional model, a
model called once, a loss or a metric compiled into a one-layer model), saves it in a
temporary folder, and loads it back twice: as the project's `load_model` does, with no
custom objects, and then with `custom_objects` naming the class. A failure of the first
that the second does not share is the missing registration, and nothing else (a broken
get_config fails both: KC302/KC303's business).
"""
from __future__ import annotations

import os
import tempfile

from kerascheck.confirm.probes.base import confirmed, not_reproduced, probe, short, skipped

# The formats tried, in order: the native file, then HDF5 (which both Kerases write).
_SUFFIXES = (".keras", ".h5")


@probe("KC305")
def serializable_not_registered(ctx):
    keras = ctx.keras
    built = ctx.build()
    model, what = _holding(ctx, keras, built)
    if model is None:
        return skipped(what)
    subject = "the model" if what == "model" else f"a model holding the {what}"
    custom = {type(built).__name__: type(built)}
    reloaded, unsaved = [], []
    with tempfile.TemporaryDirectory(prefix="kerascheck-") as folder:
        for suffix in _SUFFIXES:
            path = os.path.join(folder, "model" + suffix)
            try:
                model.save(path)
            except Exception as exc:  # noqa: BLE001 - a format this model cannot be written to
                unsaved.append(f"{suffix}: {short(exc)}")
                continue
            try:
                keras.models.load_model(path)
            except Exception as exc:  # noqa: BLE001 - the failure is the evidence
                try:
                    keras.models.load_model(path, custom_objects=custom)
                except Exception as again:  # noqa: BLE001
                    return skipped(f"load_model fails from {suffix} with custom_objects too: {short(again)}")
                return confirmed(f"{subject} saved to {suffix} does not load back: {short(exc)} "
                                 "(it does with custom_objects)")
            reloaded.append(suffix)
    if not reloaded:
        return skipped(f"{subject} cannot be saved ({'; '.join(unsaved)})")
    return not_reproduced(f"{subject} loads back from {' and '.join(reloaded)} without custom_objects")


def _holding(ctx, keras, built):
    """(a model that saves `built`, what it is), or (None, why not)."""
    if isinstance(built, keras.losses.Loss):
        model = _one_layer(keras)
        model.compile(optimizer="sgd", loss=built)
        return model, "loss"
    if isinstance(built, keras.metrics.Metric):  # (a Layer too on tf_keras)
        model = _one_layer(keras)
        model.compile(optimizer="sgd", loss="mean_squared_error", metrics=[built])
        return model, "metric"
    if isinstance(built, keras.Model):
        ctx.call(built)
        return built, "model"
    spec = ctx.input_spec()
    if spec.structure != "single":
        return None, f"the layer takes {spec.describe()}: no one-input model to save it in"
    inputs = keras.Input(shape=spec.shape, dtype=spec.dtype)
    return keras.Model(inputs, built(inputs)), "layer"


def _one_layer(keras):
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])
