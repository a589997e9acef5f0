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
    "K.name_scope -> keras.name_scope (safe)": (
        "KC501",
        """
        import keras
        from keras import backend as K

        def block(x):
            with K.name_scope("block"):
                return x
        """,
        """
        import keras

        def block(x):
            with keras.name_scope("block"):
                return x
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
    "from keras.engine import Layer, Model: split, one import per module": (
        "KC509",
        """
        import os
        # the base classes
        from keras.engine import Layer, Model as KModel, InputSpec  # Keras 2
        """,
        """
        import os
        # the base classes
        from keras.layers import Layer, InputSpec  # Keras 2
        from keras.models import Model as KModel
        """,
        "same",
    ),
    "split import through tensorflow.keras, parenthesized over two lines": (
        "KC509",
        """
        from tensorflow.keras.engine import (Layer,
                                             Model)
        """,
        """
        from tensorflow.keras.layers import Layer
        from tensorflow.keras.models import Model
        """,
        "same",
    ),
    "split import with a comment inside, or another statement on its line: no fix": (
        "KC509",
        """
        from keras.engine import (Layer,  # the base
                                  Model)
        from keras.engine import Layer, Model; import os
        """,
        None,
        None,
    ),
    "import keras.utils.np_utils as np_utils -> from keras import utils as np_utils": (
        "KC509",
        """
        import keras.utils.np_utils as np_utils

        labels = np_utils.to_categorical([0, 2], 3)
        """,
        """
        from keras import utils as np_utils

        labels = np_utils.to_categorical([0, 2], 3)
        """,
        "same",
    ),
    "import tensorflow.keras.layers.core as core -> from tensorflow.keras import layers as core": (
        "KC509",
        """
        import tensorflow.keras.layers.core as core

        dense = core.Dense(3)
        drop = core.Dropout(0.5)
        """,
        """
        from tensorflow.keras import layers as core

        dense = core.Dense(3)
        drop = core.Dropout(0.5)
        """,
        "same",
    ),
    "module alias passed around, or a name without a twin: no fix": (
        "KC509",
        """
        import keras.utils.generic_utils as generic_utils
        import keras.utils.conv_utils as conv_utils

        registry = vars(generic_utils)
        size = conv_utils.normalize_tuple(3, 2, "kernel_size")
        """,
        None,
        None,
    ),
    "import keras.engine.topology -> import keras, and its uses": (
        "KC509",
        """
        import keras.engine.topology

        class Block(keras.engine.topology.Layer):
            pass
        """,
        """
        import keras

        class Block(keras.layers.Layer):
            pass
        """,
        "same",
    ),
    "import ...optimizers.legacy as legacy: the alias moves, lr= renamed (unsafe)": (
        "KC523",
        """
        import tensorflow.keras.optimizers.legacy as legacy

        opt = legacy.Adam(lr=0.001)
        """,
        None,
        """
        from tensorflow.keras import optimizers as legacy

        opt = legacy.Adam(learning_rate=0.001)
        """,
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
    "import ...experimental.preprocessing as prep -> from keras import layers as prep": (
        "KC510",
        """
        import tensorflow.keras.layers.experimental.preprocessing as prep

        norm = prep.Normalization()
        """,
        """
        from tensorflow.keras import layers as prep

        norm = prep.Normalization()
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
    "model.reset_states() -> a loop over the layers (unsafe), comments kept": (
        "KC531",
        """
        import keras

        model = keras.Sequential([keras.Input(batch_shape=(1, 3, 2)), keras.layers.LSTM(2, stateful=True)])
        for epoch in range(3):
            # a new sequence
            model.reset_states()  # start afresh
        """,
        None,
        """
        import keras

        model = keras.Sequential([keras.Input(batch_shape=(1, 3, 2)), keras.layers.LSTM(2, stateful=True)])
        for epoch in range(3):
            # a new sequence
            for layer in model.layers:
                if hasattr(layer, "reset_states"):
                    layer.reset_states()  # start afresh
        """,
    ),
    "model.reset_states(): the loop variable does not rebind a name of the module": (
        "KC531",
        """
        import keras

        layer = keras.layers.LSTM(2, stateful=True)
        model = keras.Sequential([keras.Input(batch_shape=(1, 3, 2)), layer])
        model.reset_states()
        """,
        None,
        """
        import keras

        layer = keras.layers.LSTM(2, stateful=True)
        model = keras.Sequential([keras.Input(batch_shape=(1, 3, 2)), layer])
        for layer_2 in model.layers:
            if hasattr(layer_2, "reset_states"):
                layer_2.reset_states()
        """,
    ),
    "model.reset_states() inside an expression: no fix": (
        "KC531",
        """
        import keras

        model = keras.Sequential([keras.Input(batch_shape=(1, 3, 2)), keras.layers.LSTM(2, stateful=True)])
        reset = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: model.reset_states())
        """,
        None,
        None,
    ),
    "tf.concat on a keras.Input (unsafe), standalone keras": (
        "KC511",
        """
        import keras
        import tensorflow as tf

        left = keras.Input(shape=(4,))
        right = keras.Input(shape=(4,))
        both = tf.concat([left, right], axis=-1)
        """,
        None,
        """
        import keras

        left = keras.Input(shape=(4,))
        right = keras.Input(shape=(4,))
        both = keras.ops.concatenate([left, right], axis=-1)
        """,
    ),
    "tf.argmax on a layer output: the TF default axis is written out (from tensorflow import keras)": (
        "KC511",
        """
        import tensorflow as tf
        from tensorflow import keras

        inputs = keras.Input(shape=(10,))
        logits = keras.layers.Dense(3)(inputs)
        label = tf.argmax(logits)
        """,
        None,
        """
        from tensorflow import keras

        inputs = keras.Input(shape=(10,))
        logits = keras.layers.Dense(3)(inputs)
        label = keras.ops.argmax(logits, axis=0)
        """,
    ),
    "tf.reshape(shape=) through tf.keras only: spelled tf.keras.ops, keyword renamed": (
        "KC511",
        """
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(28, 28))
        flat = tf.reshape(inputs, shape=(-1, 784))
        """,
        None,
        """
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(28, 28))
        flat = tf.keras.ops.reshape(inputs, newshape=(-1, 784))
        """,
    ),
    "tf.split and tf.matmul(transpose_b=) have no keras.ops twin: no fix": (
        "KC511",
        """
        import keras
        import tensorflow as tf

        inputs = keras.Input(shape=(6,))
        a, b = tf.split(inputs, 2, axis=-1)
        scores = tf.matmul(inputs, inputs, transpose_b=True)
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
    "Sequential().add(Embedding(input_length=N)) first: keras.Input added before it (unsafe)": (
        "KC514",
        """
        import keras
        from keras import layers


        def build(vocab_size, length):
            model = keras.Sequential(name="classifier")
            # token ids in
            model.add(layers.Embedding(vocab_size, 64, input_length=length))  # the first layer
            model.add(layers.GlobalAveragePooling1D())
            return model
        """,
        None,
        """
        import keras
        from keras import layers


        def build(vocab_size, length):
            model = keras.Sequential(name="classifier")
            # token ids in
            model.add(keras.Input(shape=(length,)))
            model.add(layers.Embedding(vocab_size, 64))  # the first layer
            model.add(layers.GlobalAveragePooling1D())
            return model
        """,
    ),
    "Embedding after the first layer (list or add): input_length just dropped (safe)": (
        "KC514",
        """
        import keras

        a = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Embedding(100, 8, input_length=20)])
        b = keras.Sequential()
        b.add(keras.Input(shape=(20,)))
        b.add(keras.layers.Embedding(100, 8, input_length=20))
        """,
        """
        import keras

        a = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Embedding(100, 8)])
        b = keras.Sequential()
        b.add(keras.Input(shape=(20,)))
        b.add(keras.layers.Embedding(100, 8))
        """,
        "same",
    ),
    "add() whose place is unknown (a loop, a model from elsewhere): no fix": (
        "KC514",
        """
        import keras

        def extend(model: keras.Sequential, n):
            model.add(keras.layers.Embedding(100, 8, input_length=n))

        models = []
        seq = keras.Sequential()
        for n in (10, 20):
            seq.add(keras.layers.Embedding(100, 8, input_length=n))
        """,
        None,
        None,
    ),
    "tf.keras Sequential().add(LSTM(batch_input_shape=...)) first: keras.Input(batch_shape=...) (unsafe)": (
        "KC516",
        """
        from tensorflow import keras

        model = keras.Sequential()
        model.add(keras.layers.LSTM(32, batch_input_shape=(16, 10, 8), stateful=True))
        model.add(keras.layers.Dense(1))
        """,
        None,
        """
        from tensorflow import keras

        model = keras.Sequential()
        model.add(keras.Input(batch_shape=(16, 10, 8)))
        model.add(keras.layers.LSTM(32, stateful=True))
        model.add(keras.layers.Dense(1))
        """,
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


@pytest.mark.parametrize("before,after", [
    (
        """
        import tensorflow as tf

        opt = tf.keras.optimizers.legacy.Adam(lr=0.001, beta_1=0.5)
        """,
        """
        import tensorflow as tf

        opt = tf.keras.optimizers.Adam(learning_rate=0.001, beta_1=0.5)
        """,
    ),
    (
        """
        from keras.optimizers.legacy import SGD

        first = SGD(lr=0.1, momentum=0.9)
        second = SGD(learning_rate=0.1)
        """,
        """
        from keras.optimizers import SGD

        first = SGD(learning_rate=0.1, momentum=0.9)
        second = SGD(learning_rate=0.1)
        """,
    ),
])
def test_legacy_optimizer_with_lr_is_one_finding_and_one_fix(before, after):
    """KC502 leaves `legacy.X(lr=...)` to KC523, whose fix renames `lr=` too: with both
    rules selected the file is fixed (KC502 does not appear after the fix)."""
    before, after = textwrap.dedent(before), textwrap.dedent(after)
    from lintutil import lint

    assert sorted(f.code for f in lint(before, ("KC502", "KC523"))) == ["KC523"]
    fixed, findings, errors = fix_source(before, ["KC502", "KC523"], unsafe=True)
    assert errors == [] and findings == [] and fixed == after


def test_legacy_optimizer_fix_waits_when_learning_rate_is_given_too():
    before = textwrap.dedent("""
        import tensorflow as tf

        opt = tf.keras.optimizers.legacy.Adam(lr=0.001, learning_rate=0.01)
    """)
    fixed, _, errors = fix_source(before, ["KC502", "KC523"], unsafe=True)
    assert errors == [] and fixed == before


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
