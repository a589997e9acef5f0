"""KC212 tf-function-on-call: positives and the traps that must stay quiet, per target."""
from lintutil import assert_clean, assert_triggers, rule_tests

INVALID = {
    "a Model with sub-layers and no build(), `import keras`": """
        import keras
        import tensorflow as tf

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(1)

            @tf.function
            def call(self, inputs):
                return self.dense(inputs)
    """,
    "tf.function(...) with arguments, `from tensorflow import keras`": """
        import tensorflow as tf
        from tensorflow import keras

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.encoder = keras.Sequential([keras.layers.Dense(8), keras.layers.Dense(4)])

            @tf.function(jit_compile=True)
            def call(self, inputs):
                return self.encoder(inputs)
    """,
    "`from tensorflow import function`, sub-layers in a list": """
        from keras.models import Model
        from keras.layers import Conv2D
        from tensorflow import function

        class Tower(Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.convs = [Conv2D(8, 3) for _ in range(3)]

            @function
            def call(self, x):
                for conv in self.convs:
                    x = conv(x)
                return x
    """,
    "a Layer whose build() does not build its sub-layers": """
        import keras
        import tensorflow as tf

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(4)

            def build(self, input_shape):
                super().build(input_shape)

            @tf.function
            def call(self, inputs):
                return self.dense(inputs)
    """,
    "an in-tree sub-layer with weights": """
        import keras
        import tensorflow as tf

        class Linear(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], 2))

            def call(self, inputs):
                return inputs @ self.w

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.linear = Linear()

            @tf.function
            def call(self, inputs):
                return self.linear(inputs)
    """,
}

VALID = {
    "a Model that defines build()": """
        import keras
        import tensorflow as tf

        class Net(keras.Model):
            def build(self, input_shape):
                self.dense = keras.layers.Dense(1)
                super().build(input_shape)

            @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
            def call(self, inputs):
                return self.dense(inputs)
    """,
    "a Layer that builds its sub-layers in build()": """
        import keras
        import tensorflow as tf

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(4)

            def build(self, input_shape):
                self.dense.build(input_shape)

            @tf.function
            def call(self, inputs):
                return self.dense(inputs)
    """,
    "a class that calls itself in __init__": """
        import keras
        import tensorflow as tf

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(1)
                self(tf.zeros((1, 3)))

            @tf.function
            def call(self, inputs):
                return self.dense(inputs)
    """,
    "weights of its own, made in build() (the migration guide's pattern)": """
        import keras
        import tensorflow as tf

        class Linear(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], 1))

            @tf.function
            def call(self, inputs):
                return tf.matmul(inputs, self.w)
    """,
    "weightless sub-layers only": """
        import keras
        import tensorflow as tf

        class Augment(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.drop = keras.layers.Dropout(0.1)

            @tf.function
            def call(self, inputs):
                if tf.random.uniform(()) > 0.5:
                    return self.drop(inputs)
                return inputs
    """,
    "tf.function on another method": """
        import keras
        import tensorflow as tf

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(1)

            def call(self, inputs):
                return self.dense(inputs)

            @tf.function
            def train_step(self, data):
                return super().train_step(data)
    """,
    "no decorator": """
        import keras

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(1)

            def call(self, inputs):
                return self.dense(inputs)
    """,
    "tf_keras trains it (measured)": """
        import tensorflow as tf
        import tf_keras

        class Net(tf_keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = tf_keras.layers.Dense(1)

            @tf.function
            def call(self, inputs):
                return self.dense(inputs)
    """,
}

test_triggers, test_does_not_trigger = rule_tests("KC212", INVALID, VALID)



def test_quiet_where_the_project_targets_keras2():
    for target in ("2", "2.11"):
        assert_clean("KC212", INVALID["a Model with sub-layers and no build(), `import keras`"], target_keras=target)


def test_the_finding_is_on_the_decorator_and_names_the_sub_layers():
    found = assert_triggers("KC212", INVALID["a Model with sub-layers and no build(), `import keras`"], line=10)
    assert "builds `self.dense` in the trace" in found[0].message and "fit() finds no gradients" in found[0].message
    assert "No gradients provided for any variable" in found[0].help
