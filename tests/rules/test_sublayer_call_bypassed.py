"""KC204 sublayer-call-bypassed: positives and the traps that must stay quiet."""
from lintutil import assert_triggers, rule_tests

INVALID = {
    "self.dropout.call, `import keras`": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, x, training=None):
                return self.dropout.call(x)
    """,
    "model, `from tensorflow import keras`": """
        from tensorflow import keras

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.encoder = keras.layers.Dense(8)

            def call(self, x):
                return self.encoder.call(x)
    """,
    "tf.keras.layers.Layer, a layer from a list": """
        import tensorflow as tf

        class Stack(tf.keras.layers.Layer):
            def call(self, x):
                for layer in self.blocks:
                    x = layer.call(x)
                return x
    """,
    "`from keras.layers import Layer`, subscripted sub-layer": """
        from keras.layers import Layer

        class Stack(Layer):
            def call(self, x):
                return self.blocks[0].call(x)
    """,
    "tf_keras, sub-layer passed to the constructor, in a helper method": """
        import tf_keras

        class Wrapper(tf_keras.layers.Layer):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner

            def _step(self, x):
                return self.inner.call(x)
    """,
    "a property that hands out a sub-layer": """
        import keras

        class Pre(keras.layers.Layer):
            @property
            def converter(self):
                return self._converter

            def call(self, x):
                return self.converter.call(x)
    """,
    "inside a nested function of call": """
        import keras

        class Scan(keras.layers.Layer):
            def call(self, x):
                def step(carry):
                    return self.cell.call(carry)
                return step(x)
    """,
    "get_layer(...).call": """
        import keras

        class Net(keras.Model):
            def call(self, x):
                return self.backbone.get_layer("head").call(x)
    """,
}

VALID = {
    "super().call": """
        import keras

        class MyDense(keras.layers.Dense):
            def call(self, x):
                return super().call(x) * 2
    """,
    "super(Cls, self).call": """
        import tensorflow as tf

        class MyDense(tf.keras.layers.Dense):
            def call(self, x):
                return super(MyDense, self).call(x)
    """,
    "explicit parent implementation: `Dense.call(self, x)`, `Base.call(self, x)`": """
        import keras
        from keras.layers import Dense

        class Base(keras.layers.Layer):
            def call(self, x):
                return x

        class Mine(Base, Dense):
            def call(self, x):
                return Dense.call(self, Base.call(self, x))
    """,
    "a call of the class's own helper method": """
        import keras

        class Block(keras.layers.Layer):
            def call_helper(self, x):
                return x

            def call(self, x):
                return self.call_helper(x)
    """,
    "self.call(...) inside the class (its own method)": """
        import keras

        class Net(keras.Model):
            def train_step(self, data):
                return self.call(data)

            def call(self, x):
                return x
    """,
    "type(self).call and self.__class__.call": """
        import keras

        class Net(keras.Model):
            def call(self, x):
                return x

            def twice(self, x):
                return type(self).call(self, x), self.__class__.call(self, x)
    """,
    "sub-layer called normally": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, x):
                return self.dropout(x)
    """,
    "a loss object's call (unreduced loss on purpose)": """
        import keras

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.loss_fn = keras.losses.MeanSquaredError()

            def train_step(self, data):
                x, y = data
                return self.loss_fn.call(y, self(x))
    """,
    "an in-tree helper object that is not a layer": """
        import keras

        class Helper:
            def call(self, x):
                return x

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.helper = Helper()

            def call(self, x):
                local = Helper()
                return self.helper.call(local.call(x))
    """,
    "a sub-layer built elsewhere, called without the flag (measured: nothing breaks)": """
        import keras

        class Net(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.stem = keras.layers.Dense(4)

            def build(self, input_shape):
                self.stem.build(input_shape)

            def call(self, inputs):
                return self.stem.call(inputs)
    """,
    "a Dense built elsewhere and given the flag, on Keras 3 (measured: works)": """
        import keras

        class Net(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.stem = keras.layers.Dense(4)

            def build(self, input_shape):
                self.stem.build(input_shape)

            def call(self, inputs, training=None):
                return self.stem.call(inputs, training)
    """,
    "a Dropout given the flag explicitly": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, x, training=None):
                return self.dropout.call(x, training=training)
    """,
    "a wrapped layer of unknown kind the class builds itself, then drives with .call()": """
        import keras

        class MaskedConv(keras.layers.Wrapper):
            def build(self, input_shape):
                self.layer.build(input_shape)
                super().build(input_shape)

            def call(self, inputs):
                return self.layer.call(inputs)
    """,
    "the flag handed on through **kwargs (Keras 2.0's Bidirectional style)": """
        import keras

        class Encoder(keras.layers.Layer):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner

            def call(self, inputs, training=None):
                kwargs = {"training": training}
                return self.inner.call(inputs, **kwargs)
    """,
    "a Dense given only **kwargs on Keras 2 (the flag may not be in them)": """
        import tf_keras

        class Net(tf_keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.stem = tf_keras.layers.Dense(4)

            def build(self, input_shape):
                self.stem.build(input_shape)

            def call(self, inputs, **kwargs):
                return self.stem.call(inputs, **kwargs)
    """,
    "`.call` outside a Keras class (tests, scripts)": """
        import keras

        layer = keras.layers.Dense(3)
        y = layer.call(keras.ops.ones((1, 3)))

        class TestDense:
            def test_call(self):
                return layer.call(None)
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC204", INVALID, VALID)


def test_reported_at_the_callee_as_a_warning():
    found = assert_triggers("KC204", INVALID["self.dropout.call, `import keras`"])
    assert (found[0].line, found[0].column, found[0].severity.value) == (10, 16, "warning")


def test_cross_file_keras_base(project):
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                import keras

                class Base(keras.layers.Layer):
                    pass

                class NotALayer:
                    def call(self, x):
                        return x
            """,
            "pkg/block.py": """
                from pkg.base import Base, NotALayer

                class Block(Base):
                    def __init__(self, inner, **kwargs):
                        super().__init__(**kwargs)
                        self.inner = inner
                        self.plain = NotALayer()

                    def call(self, x):
                        return self.plain.call(self.inner.call(x))
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC204",)))
    found = [(f.code, f.path.endswith("block.py"), f.line, f.column) for f in result.findings]
    assert found == [("KC204", True, 11, 32)]


def test_the_flag_handed_to_a_keras2_dense_is_reported_on_keras_2_only():
    """Measured (tests/affects_cases.py, KC204 extra-training-arg): Dense.call() takes no
    `training` on tf_keras 2.21 (TypeError) and does on Keras 3."""
    from lintutil import lint

    code = VALID["a Dense built elsewhere and given the flag, on Keras 3 (measured: works)"]
    assert lint(code, ("KC204",), target_keras="3") == []
    [on2] = lint(code, ("KC204",), target_keras="2")
    assert "raises TypeError" in on2.message and "takes no `training`" in on2.message
    assert "Dense.call() takes 2 positional arguments but 3 were given" in on2.help


def test_the_message_says_what_breaks():
    [dropout] = assert_triggers("KC204", INVALID["self.dropout.call, `import keras`"])
    assert "gets no training flag" in dropout.message and "Dropout drops nothing" in dropout.help
    [unbuilt] = assert_triggers("KC204", INVALID["model, `from tensorflow import keras`"])
    assert "nothing builds the sub-layer" in unbuilt.message
