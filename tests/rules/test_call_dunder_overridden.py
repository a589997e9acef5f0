"""KC206 call-dunder-overridden: positives and the traps that must stay quiet."""
from lintutil import assert_triggers, rule_tests

INVALID = {
    "model overriding __call__, `import keras`": """
        import keras

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(4)
                self.dropout = keras.layers.Dropout(0.5)

            def __call__(self, x):
                return self.dropout(self.dense(x))
    """,
    "layer, `from tensorflow import keras`": """
        from tensorflow import keras

        class Block(keras.layers.Layer):
            def __call__(self, inputs, training=None):
                return inputs * 2
    """,
    "tf.keras.layers.Layer": """
        import tensorflow as tf

        class Block(tf.keras.layers.Layer):
            def __call__(self, inputs):
                return tf.nn.relu(inputs)
    """,
    "`from keras.layers import Layer`, __call__ calling something else": """
        from keras.layers import Layer

        class Block(Layer):
            def __call__(self, inputs):
                return self.forward(inputs)

            def forward(self, inputs):
                return inputs
    """,
    "tf_keras model": """
        import tf_keras

        class Net(tf_keras.Model):
            def __call__(self, x, training=False):
                return x
    """,
    "another object's __call__ is not delegation": """
        import keras

        class Net(keras.Model):
            def __call__(self, x):
                return self.inner.__call__(x)
    """,
}

VALID = {
    "a Keras 2.2-style stateful metric: __call__(y_true, y_pred), passed to compile(metrics=)": """
        from keras.layers import Layer
        import keras.backend as K

        class CountMetric(Layer):
            def __init__(self, name="count", **kwargs):
                super(CountMetric, self).__init__(name=name, **kwargs)
                self.stateful = True
                self.total = K.variable(0, dtype="int32")

            def __call__(self, y_true, y_pred):
                return self.total
    """,
    "defines call and wraps super().__call__": """
        import keras

        class Block(keras.layers.Layer):
            def __call__(self, inputs, *args, **kwargs):
                inputs = keras.ops.convert_to_tensor(inputs)
                return super().__call__(inputs, *args, **kwargs)

            def call(self, inputs):
                return inputs
    """,
    "defines call only": """
        import keras

        class Block(keras.layers.Layer):
            def call(self, inputs):
                return inputs
    """,
    "functional subclass that wraps super().__call__ (keras-hub backbones)": """
        import keras

        class Backbone(keras.Model):
            def __init__(self, **kwargs):
                inputs = keras.Input((3,))
                super().__init__(inputs=inputs, outputs=keras.layers.Dense(2)(inputs), **kwargs)

            def __call__(self, inputs, *args, **kwargs):
                if isinstance(inputs, dict):
                    inputs = dict(inputs)
                return super().__call__(inputs, *args, **kwargs)
    """,
    "explicit `keras.layers.Layer.__call__(self, ...)`": """
        import keras

        class Block(keras.layers.Layer):
            def __call__(self, inputs):
                return keras.layers.Layer.__call__(self, inputs)
    """,
    "inherits call from an in-tree ancestor": """
        import keras

        class Tokenizer(keras.layers.Layer):
            def call(self, inputs):
                return inputs

        class MockTokenizer(Tokenizer):
            def __call__(self, inputs):
                return self.tokenize(inputs)
    """,
    "subclass of a built-in layer or of Sequential": """
        import keras

        class MyDense(keras.layers.Dense):
            def __call__(self, inputs):
                return self.call(inputs)

        class MySequential(keras.Sequential):
            def __call__(self, inputs):
                return self.call(inputs)
    """,
    "not Keras layers: schedules, losses, regularizers, plain classes": """
        import keras

        class WarmUp(keras.optimizers.schedules.LearningRateSchedule):
            def __call__(self, step):
                return 0.1

        class MyLoss(keras.losses.Loss):
            def __call__(self, y_true, y_pred, sample_weight=None):
                return 0.0

        class Ortho(keras.regularizers.Regularizer):
            def __call__(self, x):
                return 0.0

        class Noise:
            def __call__(self):
                return 1.0
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC206", INVALID, VALID)


def test_reported_at_the_method_name():
    found = assert_triggers("KC206", INVALID["layer, `from tensorflow import keras`"])
    assert (found[0].line, found[0].column, found[0].end_column) == (5, 9, 17)


def test_cross_file(project):
    """The Keras base and the ancestor's `call` live in other files."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                from tensorflow import keras

                class Base(keras.layers.Layer):
                    pass

                class WithCall(keras.layers.Layer):
                    def call(self, x):
                        return x
            """,
            "pkg/blocks.py": """
                from pkg.base import Base, WithCall

                class Bad(Base):
                    def __call__(self, x):
                        return x

                class Fine(WithCall):
                    def __call__(self, x):
                        return self.call(x)
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC206",)))
    assert [(f.code, f.path.endswith("blocks.py"), f.line) for f in result.findings] == [("KC206", True, 5)]


def test_the_message_says_what_happens_on_the_file_s_keras():
    """Measured (tests/affects_cases.py, KC206): Keras 3 fit runs it with training unset;
    Keras 2 fit raises TypeError unless __call__ takes `training`; unbuilt on both."""
    from lintutil import lint

    plain = INVALID["model overriding __call__, `import keras`"]
    [on3] = lint(plain, ("KC206",), target_keras="3")
    assert "training` unset" in on3.message and "TypeError" not in on3.message + on3.help
    assert "a .keras save holds no weights" in on3.help
    [on2] = lint(plain, ("KC206",), target_keras="2")
    assert "raises TypeError" in on2.message and "expected 0 variables" in on2.help
    [takes] = lint(INVALID["tf_keras model"], ("KC206",), target_keras="2")
    assert "TypeError" not in takes.message + takes.help and "`built` stays False" in takes.message
