"""KC201 ungated-dropout: positives and the traps that must stay quiet."""
from lintutil import Invalid, assert_triggers, rule_tests

INVALID = {
    "keras.random.dropout, no training parameter (the guide's MyDropout)": """
        import keras

        class MyDropout(keras.layers.Layer):
            def __init__(self, rate, **kwargs):
                super().__init__(**kwargs)
                self.rate = rate
                self.seed_generator = keras.random.SeedGenerator(1337)

            def call(self, inputs):
                return keras.random.dropout(inputs, self.rate, seed=self.seed_generator)
    """,
    "tf.nn.dropout with a training parameter that is never tested": """
        import tensorflow as tf
        from tensorflow import keras

        class Block(keras.layers.Layer):
            def call(self, inputs, training=None):
                x = tf.nn.dropout(inputs, rate=0.5)
                return x
    """,
    "K.dropout, tf.keras.layers.Layer": """
        import tensorflow as tf
        from tensorflow.keras import backend as K

        class Noisy(tf.keras.layers.Layer):
            def call(self, inputs):
                return K.dropout(inputs, 0.3)
    """,
    "tf.compat.v1.nn.dropout, from keras.layers import Layer": """
        import tensorflow as tf
        from keras.layers import Layer

        class Old(Layer):
            def call(self, x):
                return tf.compat.v1.nn.dropout(x, keep_prob=0.9)
    """,
    "from keras import random, Model subclass": """
        from keras import Model, random

        class Net(Model):
            def call(self, x):
                return random.dropout(x, 0.1)
    """,
    "tf_keras, dropout imported by name": """
        import tf_keras
        from tensorflow.nn import dropout

        class Old(tf_keras.layers.Layer):
            def call(self, x, training=False):
                return dropout(x, 0.1)
    """,
    "gated on something that is not training": """
        import keras

        class Gated(keras.layers.Layer):
            def call(self, x, training=None):
                if self.rate > 0:
                    x = keras.random.dropout(x, self.rate)
                return x
    """,
    "an early return on something that is not training": """
        import keras

        class Gated(keras.layers.Layer):
            def call(self, x, training=None):
                if self.rate == 0:
                    return x
                return keras.random.dropout(x, self.rate)
    """,
    "tf.cond on something that is not training": """
        import tensorflow as tf

        class Gated(tf.keras.layers.Layer):
            def call(self, x, training=None):
                return tf.cond(self.enabled, lambda: tf.nn.dropout(x, 0.5), lambda: x)
    """,
    "a nested function that is called unconditionally": """
        import tensorflow as tf

        class Nested(tf.keras.layers.Layer):
            def call(self, x, training=None):
                def dropped():
                    return tf.nn.dropout(x, 0.5)
                return dropped()
    """,
    "trainable is not training": """
        import keras

        class Confused(keras.layers.Layer):
            def call(self, x, training=None):
                if self.trainable:
                    x = keras.random.dropout(x, 0.5)
                return x
    """,
    "two ungated ops, two findings": Invalid("""
        import keras

        class Twice(keras.layers.Layer):
            def call(self, q, k):
                return keras.random.dropout(q, 0.1), keras.random.dropout(k, 0.1)
    """, count=2),
}

VALID = {
    "dropout at prediction on purpose, for uncertainty (deepchem's SwitchedDropout)": """
        import tensorflow as tf

        class SwitchedDropout(tf.keras.layers.Layer):
            \"\"\"Apply dropout based on an input: the standard Dropout layer only drops during
            training, but uncertainty estimates need it during prediction too.\"\"\"

            def __init__(self, rate, **kwargs):
                super().__init__(**kwargs)
                self.rate = rate

            def call(self, inputs):
                return tf.nn.dropout(inputs[0], rate=self.rate * tf.squeeze(inputs[1]))
    """,
    "under `if training:` (the guide's CustomDropout)": """
        import keras

        class CustomDropout(keras.layers.Layer):
            def call(self, inputs, training=None):
                if training:
                    return keras.random.dropout(inputs, rate=self.rate, seed=self.seed_generator)
                return inputs
    """,
    "a Dropout layer handles training itself": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, x):
                return self.dropout(x)
    """,
    "VAE Sampling: random sampling meant at inference": """
        import keras
        from keras import ops

        class Sampling(keras.layers.Layer):
            def call(self, inputs):
                z_mean, z_log_var = inputs
                epsilon = keras.random.normal(shape=ops.shape(z_mean))
                return z_mean + ops.exp(0.5 * z_log_var) * epsilon
    """,
    "early return when not training": """
        import tensorflow as tf

        class Drop(tf.keras.layers.Layer):
            def call(self, x, training=None):
                if not training or self.rate == 0:
                    return x
                return tf.nn.dropout(x, self.rate)
    """,
    "conditional expression on training": """
        import keras

        class Drop(keras.layers.Layer):
            def call(self, x, training=False):
                return keras.random.dropout(x, 0.5) if training else x
    """,
    "tf.cond on training with lambdas": """
        import tensorflow as tf

        class Drop(tf.keras.layers.Layer):
            def call(self, x, training=None):
                return tf.cond(training, lambda: tf.nn.dropout(x, 0.5), lambda: tf.identity(x))
    """,
    "smart_cond with a nested function (Keras 2 style)": """
        import tensorflow as tf
        from tensorflow.python.keras.utils import tf_utils

        class Drop(tf.keras.layers.Layer):
            def call(self, inputs, training=None):
                def dropped_inputs():
                    return tf.nn.dropout(inputs, rate=self.rate)
                return tf_utils.smart_cond(training, dropped_inputs, lambda: tf.identity(inputs))
    """,
    "K.in_train_phase with a nested function, no training argument": """
        from keras import backend as K
        from keras.layers import Layer

        class Drop(Layer):
            def call(self, inputs):
                def dropped_inputs():
                    return K.dropout(inputs, self.rate)
                return K.in_train_phase(dropped_inputs, inputs)
    """,
    "result picked by K.in_train_phase": """
        import tensorflow as tf
        from tensorflow.keras import backend as K

        class Drop(tf.keras.layers.Layer):
            def call(self, inputs, training=None):
                dropped = tf.nn.dropout(inputs, 0.2)
                return K.in_train_phase(dropped, inputs, training=training)
    """,
    "rate zeroed outside training": """
        import keras

        class Drop(keras.layers.Layer):
            def call(self, x, training=None):
                return keras.random.dropout(x, rate=self.rate if training else 0.0)
    """,
    "is_training parameter, one-line early exit": """
        import tensorflow as tf

        class Drop(tf.keras.layers.Layer):
            def call(self, x, is_training=False):
                if not is_training: return x
                return tf.nn.dropout(x, 0.5)
    """,
    "`training and ...`": """
        import keras

        class Drop(keras.layers.Layer):
            def call(self, x, training=None):
                y = training and keras.random.dropout(x, 0.5)
                return y
    """,
    "self.training flag": """
        import keras

        class Drop(keras.layers.Layer):
            def call(self, x):
                if self.training:
                    x = keras.random.dropout(x, 0.5)
                return x
    """,
    "dropout outside call (a helper method)": """
        import keras

        class Drop(keras.layers.Layer):
            def dropped(self, x):
                return keras.random.dropout(x, 0.5)
    """,
    "dropout outside a Keras class": """
        import tensorflow as tf

        def augment(x):
            return tf.nn.dropout(x, 0.5)

        class Module(tf.Module):
            def call(self, x):
                return tf.nn.dropout(x, 0.5)
    """,
    "Monte Carlo dropout named as such": """
        import keras

        class MCDropout(keras.layers.Layer):
            def call(self, x):
                return keras.random.dropout(x, 0.5)
    """,
    "dropout at inference on purpose, said in a docstring": """
        import tensorflow as tf
        from keras.layers import Layer

        class CustomDropout(Layer):
            def call(self, inputs, **kwargs):
                \"\"\"Dropout that is enabled during training and inference.\"\"\"
                return tf.nn.dropout(inputs, rate=self.rate)
    """,
    "K.learning_phase() test": """
        import tensorflow as tf
        from tensorflow.keras import backend as K

        class Drop(tf.keras.layers.Layer):
            def call(self, x):
                if K.learning_phase():
                    x = tf.nn.dropout(x, 0.5)
                return x
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC201", INVALID, VALID)


def test_reported_at_the_op():
    found = assert_triggers("KC201", INVALID["tf.nn.dropout with a training parameter that is never tested"])
    assert (found[0].line, found[0].column) == (7, 13)


def test_cross_file_keras_base(project):
    """A class is a Keras class through an in-tree base defined in another file."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                import keras

                class Base(keras.layers.Layer):
                    pass
            """,
            "pkg/noise.py": """
                import keras
                from pkg.base import Base

                class Noise(Base):
                    def call(self, x):
                        return keras.random.dropout(x, 0.5)
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC201",)))
    assert [(f.code, f.path.endswith("noise.py"), f.line) for f in result.findings] == [("KC201", True, 7)]
