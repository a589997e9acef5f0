"""Golden outputs of the KC5xx fixes beyond the page examples, run through the real fix
loop (kerascheck.fix): which are applied by --fix (safe), which only with
--unsafe-fixes, and which the spec leaves to a human."""
import os
import sys
import textwrap

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from kc5_fixutil import fix_source  # noqa: E402

# (code, before, after --fix, after --fix --unsafe-fixes); None: unchanged.
CASES = {
    "K.mean same signature, keywords kept": (
        "KC501",
        """
        from keras import backend as K
        import keras

        def loss(y_true, y_pred):
            return K.mean(K.square(y_true - y_pred), axis=-1)
        """,
        """
        from keras import backend as K
        import keras

        def loss(y_true, y_pred):
            return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
        """,
        "same",
    ),
    "K.argmax: the old default is written out (unsafe)": (
        "KC501",
        """
        import keras
        from keras import backend as K

        def predict(p):
            return K.argmax(p)
        """,
        None,
        """
        import keras
        from keras import backend as K

        def predict(p):
            return keras.ops.argmax(p, axis=-1)
        """,
    ),
    "K.concatenate(xs) and K.gather(ref, idx) (unsafe)": (
        "KC501",
        """
        import keras
        from keras import backend as K

        def f(xs, ref, idx):
            return K.concatenate(xs), K.gather(ref, idx)
        """,
        None,
        """
        import keras
        from keras import backend as K

        def f(xs, ref, idx):
            return keras.ops.concatenate(xs, axis=-1), keras.ops.take(ref, idx, axis=0)
        """,
    ),
    "K.in_top_k swaps its arguments (unsafe)": (
        "KC501",
        """
        import keras
        from keras import backend as K

        def f(pred, targ):
            return K.in_top_k(pred, targ, 5)
        """,
        None,
        """
        import keras
        from keras import backend as K

        def f(pred, targ):
            return keras.ops.in_top_k(targ, pred, 5)
        """,
    ),
    "K.relu(alpha=) -> activations.relu(negative_slope=)": (
        "KC501",
        """
        import keras
        from keras import backend as K

        def f(x):
            return K.relu(x, alpha=0.1)
        """,
        """
        import keras
        from keras import backend as K

        def f(x):
            return keras.activations.relu(x, negative_slope=0.1)
        """,
        "same",
    ),
    "from keras.backend import sum, mean -> keras.ops": (
        "KC501",
        """
        from keras.backend import sum, mean
        """,
        """
        from keras.ops import sum, mean
        """,
        "same",
    ),
    "K.function has no fix": (
        "KC501",
        """
        from keras import backend as K

        def extractor(model):
            return K.function([model.input], [model.layers[-2].output])
        """,
        None,
        None,
    ),
    "keras name taken by tf.keras: no fix": (
        "KC501",
        """
        from tensorflow import keras
        from keras import backend as K

        def f(x):
            return K.sum(x)
        """,
        None,
        None,
    ),
    "attribute path keras.layers.core.Dense": (
        "KC509",
        """
        import keras

        layer = keras.layers.core.Dense(3)
        """,
        """
        import keras

        layer = keras.layers.Dense(3)
        """,
        "same",
    ),
    "from keras.engine import Layer, Model: two modules, no fix": (
        "KC509",
        """
        from keras.engine import Layer, Model
        """,
        None,
        None,
    ),
    "engine.training Model -> keras.models (tf.keras spelling kept)": (
        "KC509",
        """
        from tensorflow.keras.engine.training import Model
        """,
        """
        from tensorflow.keras.models import Model
        """,
        "same",
    ),
    "ThresholdedReLU from advanced_activations: no fix (KC528 would follow)": (
        "KC509",
        """
        from keras.layers.advanced_activations import ThresholdedReLU
        """,
        None,
        None,
    ),
    "preprocessing module alias": (
        "KC510",
        """
        from keras.layers.experimental import preprocessing

        norm = preprocessing.Normalization()
        flip = preprocessing.RandomFlip()
        """,
        """
        from keras import layers as preprocessing

        norm = preprocessing.Normalization()
        flip = preprocessing.RandomFlip()
        """,
        "same",
    ),
    "preprocessing module alias with a name keras.layers lacks: no fix": (
        "KC510",
        """
        from keras.layers.experimental import preprocessing

        class Mine(preprocessing.PreprocessingLayer):
            pass
        """,
        None,
        None,
    ),
    "CuDNNLSTM import -> LSTM as CuDNNLSTM (unsafe)": (
        "KC528",
        """
        from keras.layers import CuDNNLSTM

        rnn = CuDNNLSTM(8)
        """,
        None,
        """
        from keras.layers import LSTM as CuDNNLSTM

        rnn = CuDNNLSTM(8)
        """,
    ),
    "metric .reset_states() -> .reset_state()": (
        "KC531",
        """
        import keras

        tracker = keras.metrics.Mean()
        tracker.reset_states()
        """,
        """
        import keras

        tracker = keras.metrics.Mean()
        tracker.reset_state()
        """,
        "same",
    ),
    "model.reset_states(): no fix": (
        "KC531",
        """
        import keras

        model = keras.Sequential([keras.Input(batch_shape=(1, 3, 2)), keras.layers.LSTM(2, stateful=True)])
        model.reset_states()
        """,
        None,
        None,
    ),
    "minimize(loss, vars, tape=tape) (unsafe)": (
        "KC526",
        """
        import keras

        opt = keras.optimizers.SGD()

        def step(loss, model, tape):
            opt.minimize(loss, model.trainable_variables, tape=tape)
        """,
        None,
        """
        import keras

        opt = keras.optimizers.SGD()

        def step(loss, model, tape):
            opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        """,
    ),
    "dict(zip(metrics_names, evaluate(...))) (unsafe)": (
        "KC520",
        """
        import keras


        def report(model, x, y):
            return dict(zip(model.metrics_names, model.evaluate(x, y, verbose=0)))
        """,
        None,
        """
        import keras


        def report(model, x, y):
            return model.evaluate(x, y, verbose=0, return_dict=True)
        """,
    ),
    "functional Embedding: input_length dropped (safe)": (
        "KC514",
        """
        import keras

        ids = keras.Input(shape=(10,))
        vectors = keras.layers.Embedding(100, 8, input_length=10)(ids)
        """,
        """
        import keras

        ids = keras.Input(shape=(10,))
        vectors = keras.layers.Embedding(100, 8)(ids)
        """,
        "same",
    ),
    "decay with a positional rate and an Adam default (unsafe)": (
        "KC522",
        """
        import keras

        a = keras.optimizers.Adam(0.01, decay=1e-4)
        b = keras.optimizers.Adam(decay=1e-4)
        """,
        None,
        """
        import keras

        a = keras.optimizers.Adam(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-4))
        b = keras.optimizers.Adam(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.001, decay_steps=1, decay_rate=1e-4))
        """,
    ),
    "reduction='auto' and Reduction.AUTO through tf.keras": (
        "KC530",
        """
        import tensorflow as tf

        a = tf.keras.losses.MeanSquaredError(reduction="auto")
        b = tf.keras.losses.MeanSquaredError(reduction=tf.keras.losses.Reduction.AUTO)
        """,
        """
        import tensorflow as tf

        a = tf.keras.losses.MeanSquaredError(reduction="sum_over_batch_size")
        b = tf.keras.losses.MeanSquaredError(reduction="sum_over_batch_size")
        """,
        "same",
    ),
    "add_update([...]): no fix": (
        "KC532",
        """
        import keras

        class Counter(keras.layers.Layer):
            def call(self, inputs):
                self.add_update([self.count.assign_add(1.0)])
                return inputs
        """,
        None,
        None,
    ),
    "legacy optimizer import (unsafe)": (
        "KC523",
        """
        from keras.optimizers.legacy import Adam
        """,
        None,
        """
        from keras.optimizers import Adam
        """,
    ),
    "fit_generator with workers: the rename waits for --unsafe-fixes": (
        "KC504",
        """
        import keras


        def train(model, gen):
            model.fit_generator(gen, steps_per_epoch=10, workers=4)
        """,
        None,
        """
        import keras


        def train(model, gen):
            model.fit(gen, steps_per_epoch=10, workers=4)
        """,
    ),
    "fit_generator(generator=...) -> fit(x=...)": (
        "KC504",
        """
        import keras


        def train(model, gen):
            model.fit_generator(generator=gen, epochs=2)
        """,
        """
        import keras


        def train(model, gen):
            model.fit(x=gen, epochs=2)
        """,
        "same",
    ),
    "compile distribute + target_tensors removed together (unsafe)": (
        "KC533",
        """
        import keras


        def setup(model, strategy):
            model.compile(optimizer="sgd", loss="mean_squared_error", distribute=strategy, target_tensors=None)
        """,
        None,
        """
        import keras


        def setup(model, strategy):
            model.compile(optimizer="sgd", loss="mean_squared_error")
        """,
    ),
    "set_policy safe, Policy unsafe": (
        "KC529",
        """
        import tensorflow as tf

        tf.keras.mixed_precision.experimental.set_policy("mixed_float16")
        policy = tf.keras.mixed_precision.experimental.Policy("mixed_float16")
        """,
        """
        import tensorflow as tf

        tf.keras.mixed_precision.set_global_policy("mixed_float16")
        policy = tf.keras.mixed_precision.experimental.Policy("mixed_float16")
        """,
        """
        import tensorflow as tf

        tf.keras.mixed_precision.set_global_policy("mixed_float16")
        policy = tf.keras.mixed_precision.Policy("mixed_float16")
        """,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_fix(name):
    code, before, safe, unsafe = CASES[name]
    before = textwrap.dedent(before)
    expected_safe = textwrap.dedent(safe) if safe else before
    if unsafe == "same":
        expected_unsafe = expected_safe
    else:
        expected_unsafe = textwrap.dedent(unsafe) if unsafe else expected_safe
    fixed, _, errors = fix_source(before, [code], unsafe=False)
    assert errors == [] and fixed == expected_safe
    fixed, _, errors = fix_source(before, [code], unsafe=True)
    assert errors == [] and fixed == expected_unsafe


def test_fixes_of_overlapping_rules_settle():
    """K.set_value(model.optimizer.lr, x): KC501 rewrites the call, KC503 the attribute;
    the fix loop applies one, lints again, applies the other."""
    before = textwrap.dedent("""
        from keras import backend as K

        def on_epoch_end(model, lr):
            K.set_value(model.optimizer.lr, lr)
            return K.get_value(model.optimizer.lr)
    """)
    fixed, findings, errors = fix_source(before, ["KC501", "KC503"], unsafe=False)
    assert errors == [] and [f.code for f in findings] == []
    assert "model.optimizer.learning_rate.assign(lr)" in fixed
    assert "keras.ops.convert_to_numpy(model.optimizer.learning_rate)" in fixed
