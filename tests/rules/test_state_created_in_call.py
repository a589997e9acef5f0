"""KC103 state-created-in-call: positives and the traps that must stay quiet."""
from lintutil import rule_tests

INVALID = {
    "Dense built and applied in call (`import keras`)": """
        import keras

        class Head(keras.layers.Layer):
            def call(self, inputs):
                return keras.layers.Dense(10)(inputs)
    """,
    "Conv2D via `from tensorflow.keras import layers as L`": """
        from tensorflow.keras import layers as L

        class Block(L.Layer):
            def call(self, inputs):
                conv = L.Conv2D(8, 3)
                return conv(inputs)
    """,
    "self.add_weight in call, tf.keras": """
        import tensorflow as tf

        class Scale(tf.keras.layers.Layer):
            def call(self, inputs):
                scale = self.add_weight(shape=(), initializer="ones")
                return inputs * scale
    """,
    "tf.Variable in call": """
        import tensorflow as tf
        from tensorflow import keras

        class Noisy(keras.layers.Layer):
            def call(self, inputs):
                w = tf.Variable(tf.ones((4, 4)))
                return tf.matmul(inputs, w)
    """,
    "keras.Variable in call": """
        import keras

        class Noisy(keras.layers.Layer):
            def call(self, inputs):
                w = keras.Variable(keras.ops.ones((4, 4)))
                return inputs @ w
    """,
    "LSTM, tf_keras": """
        import tf_keras as keras

        class Encoder(keras.Model):
            def call(self, inputs):
                return keras.layers.LSTM(16)(inputs)
    """,
    "Embedding imported by name": """
        from keras.layers import Embedding, Layer

        class Tokens(Layer):
            def call(self, ids):
                return Embedding(1000, 16)(ids)
    """,
    "BatchNormalization, `from keras import layers`": """
        from keras import layers

        class Norm(layers.Layer):
            def call(self, inputs, training=None):
                return layers.BatchNormalization()(inputs, training=training)
    """,
    "an in-tree layer that owns weights": """
        import keras

        class Linear(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], 4))

            def call(self, inputs):
                return inputs @ self.w

        class Net(keras.Model):
            def call(self, inputs):
                return Linear()(inputs)
    """,
    "a config flag is not a one-time check": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, project=True, **kwargs):
                super().__init__(**kwargs)
                self.project = project

            def call(self, inputs):
                if self.project:
                    return keras.layers.Dense(4)(inputs)
                return inputs
    """,
    "one call away: a module-level function that makes a tf.Variable (measured)": """
        import keras
        import tensorflow as tf

        def make_scale(width):
            return tf.Variable(tf.ones((width,)))

        class Scale(keras.layers.Layer):
            def call(self, inputs):
                w = make_scale(inputs.shape[-1])
                return inputs * w
    """,
    "one call away: a module-level function that makes a Dense (measured)": """
        import keras

        def make_head():
            return keras.layers.Dense(2)

        class Classifier(keras.layers.Layer):
            def call(self, inputs):
                return make_head()(inputs)
    """,
}

VALID = {
    "weightless helpers built per call (wasteful, harmless)": """
        import keras
        from keras import layers

        class Head(keras.layers.Layer):
            def call(self, inputs, other):
                x = layers.Dropout(0.1)(inputs)
                x = layers.Activation("relu")(x)
                x = layers.Reshape((-1,))(x)
                x = layers.Lambda(lambda t: t * 2)(x)
                x = layers.Concatenate()([x, other])
                return layers.Add()([x, x])
    """,
    "guarded by `if self.w is None:`": """
        import keras

        class Lazy(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.w = None

            def call(self, inputs):
                if self.w is None:
                    self.w = self.add_weight(shape=(inputs.shape[-1], 4))
                return inputs @ self.w
    """,
    "guarded by `if not self.built:`": """
        import tensorflow as tf

        class Lazy(tf.keras.layers.Layer):
            def call(self, inputs):
                if not self.built:
                    self.proj = tf.keras.layers.Dense(4)
                return self.proj(inputs)
    """,
    "guarded by `if not hasattr(self, ...)`": """
        from tensorflow import keras

        class Lazy(keras.layers.Layer):
            def call(self, inputs):
                if not hasattr(self, "proj"):
                    self.proj = keras.layers.Dense(4)
                return self.proj(inputs)
    """,
    "a per-key cache": """
        import keras

        class Heads(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.heads = {}

            def call(self, inputs, task):
                if task not in self.heads:
                    self.heads[task] = keras.layers.Dense(4)
                return self.heads[task](inputs)
    """,
    "an in-tree layer without weights": """
        import keras

        class Sampling(keras.layers.Layer):
            def call(self, inputs):
                mean, log_var = inputs
                return mean + keras.ops.exp(0.5 * log_var) * keras.random.normal(keras.ops.shape(mean))

        class Encoder(keras.Model):
            def call(self, inputs):
                return Sampling()(inputs)
    """,
    "state created in __init__ and build": """
        import keras

        class Good(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(4)

            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], 4))

            def call(self, inputs):
                return self.dense(inputs) + inputs @ self.w
    """,
    "call of something that is not a Keras class": """
        import keras
        import tensorflow as tf

        class Module(tf.Module):
            def call(self, inputs):
                return keras.layers.Dense(4)(inputs)

        def call(inputs):
            return keras.layers.Dense(4)(inputs)
    """,
    "other methods may create state": """
        import keras

        class Builder(keras.layers.Layer):
            def make_head(self):
                return keras.layers.Dense(4)
    """,
    "one call away, guarded by a one-time check at the call site (measured: runs clean)": """
        import keras
        import tensorflow as tf

        def make_scale(width):
            return tf.Variable(tf.ones((width,)))

        class Scale(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.w = None

            def call(self, inputs):
                if self.w is None:
                    self.w = make_scale(inputs.shape[-1])
                return inputs * self.w
    """,
    "one call away, a helper that caches what it makes": """
        import keras

        _HEADS = {}

        def head(width):
            if width not in _HEADS:
                _HEADS[width] = keras.layers.Dense(width)
            return _HEADS[width]

        class Classifier(keras.layers.Layer):
            def call(self, inputs):
                return head(2)(inputs)
    """,
    "one call away, a helper that makes only weightless layers or plain tensors": """
        import keras
        import tensorflow as tf

        def regularize(x):
            return keras.layers.Dropout(0.1)(x)

        def ones(width):
            return tf.ones((width,))

        class Block(keras.layers.Layer):
            def call(self, inputs):
                return regularize(inputs) * ones(inputs.shape[-1])
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC103", INVALID, VALID)


def test_cross_file_weight_owning_layer(project):
    """A custom layer defined in another file owns weights; building it in call() is
    flagged, while a weightless custom layer from the same file is not."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/blocks.py": """
                from tensorflow import keras

                class Projection(keras.layers.Layer):
                    def build(self, input_shape):
                        self.kernel = self.add_weight(shape=(input_shape[-1], 8))

                    def call(self, inputs):
                        return inputs @ self.kernel

                class Twice(keras.layers.Layer):
                    def call(self, inputs):
                        return inputs * 2
            """,
            "pkg/model.py": """
                from tensorflow import keras
                from pkg.blocks import Projection, Twice

                class Net(keras.Model):
                    def call(self, inputs):
                        x = Twice()(inputs)
                        return Projection()(x)
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC103",)))
    assert [(f.code, f.path.endswith("model.py"), f.line) for f in result.findings] == [("KC103", True, 8)]


def test_the_message_says_what_happens_on_the_file_s_keras():
    """Measured (tests/affects_cases.py, KC103): add_weight in call raises on Keras 3 and
    silently adds a weight per call on Keras 2."""
    from lintutil import lint

    code = INVALID["self.add_weight in call, tf.keras"]
    [on3] = lint(code, ("KC103",), target_keras="3")
    assert on3.message.endswith("inside call(): on Keras 3, calling the layer fails")
    assert "You cannot add new elements of state" in on3.help
    [on2] = lint(code, ("KC103",), target_keras="2")
    assert "adds another weight" in on2.message and "cannot add" not in on2.message + on2.help
    [helper] = lint(INVALID["one call away: a module-level function that makes a tf.Variable (measured)"], ("KC103",))
    assert "by `make_scale()` called inside call()" in helper.message
