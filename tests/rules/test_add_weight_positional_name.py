"""KC104 add-weight-positional-name: positives and the traps that must stay quiet."""
import pytest

from lintutil import assert_triggers, rule_tests

INVALID = {
    "string literal first (Keras 2 order), `import keras`": """
        import keras

        class Linear(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight("kernel", shape=(input_shape[-1], 4))
    """,
    "name and shape both positional, tf.keras": """
        import tensorflow as tf

        class Linear(tf.keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight("kernel", (input_shape[-1], 4), initializer="zeros")
    """,
    "f-string, `from tensorflow import keras`": """
        from tensorflow import keras

        class Stack(keras.layers.Layer):
            def build(self, input_shape):
                self.ws = [self.add_weight(f"w_{i}", shape=(4,)) for i in range(3)]
    """,
    "%-formatted name, `from keras.layers import Layer`": """
        from keras.layers import Layer

        class Stack(Layer):
            def build(self, input_shape):
                for i in range(3):
                    setattr(self, "w%d" % i, self.add_weight("w_%d" % i, shape=(4,)))
    """,
    "name built by concatenation": """
        import keras

        class Scale(keras.layers.Layer):
            def build(self, input_shape):
                self.scale = self.add_weight("scale_" + self.name, shape=())
    """,
    "implicit concatenation": """
        import keras

        class Scale(keras.layers.Layer):
            def build(self, input_shape):
                self.scale = self.add_weight("scale" "_w", shape=())
    """,
    "on a layer object outside any class": """
        import keras

        layer = keras.layers.Layer()
        w = layer.add_weight("w", shape=(2,))
    """,
}

VALID = {
    # Keras 2's add_weight takes the name first (measured on tf_keras 2.21).
    "positional name on Keras 2": """
        import tf_keras as keras

        class Stack(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight("w_{}".format(self.name), shape=(4,))
    """,
    "name as a keyword": """
        import keras

        class Linear(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(name="kernel", shape=(input_shape[-1], 4))
    """,
    "shape first, positionally (Keras 3 order)": """
        import keras

        class Linear(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight((input_shape[-1], 4), "zeros", name="kernel")
    """,
    "shape held in a variable": """
        import keras

        class Linear(keras.layers.Layer):
            def build(self, input_shape):
                shape = (input_shape[-1], 4)
                self.w = self.add_weight(shape, name="kernel")
    """,
    "no arguments, or splatted ones": """
        import keras

        class Scale(keras.layers.Layer):
            def build(self, input_shape, *args, **kwargs):
                self.a = self.add_weight()
                self.b = self.add_weight(*args, **kwargs)
    """,
    "other methods that take a name first": """
        import keras

        class Scale(keras.layers.Layer):
            def call(self, inputs):
                self.add_loss(0.0)
                self.add_metric(inputs, "mean")
                return inputs
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC104", INVALID, VALID)


def test_reports_the_name_argument():
    found = assert_triggers(
        "KC104",
        """
        import keras

        class Linear(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight("kernel", shape=(4, 4))
        """,
    )
    assert (found[0].line, found[0].column) == (6, 34)
    assert "ValueError" in found[0].message


@pytest.mark.parametrize(
    "header, base, error",
    [
        ("import keras", "keras.layers.Layer", '"`name` must be passed as a keyword argument"'),
        ("import keras", "keras.metrics.Metric", "\"Cannot convert 'total' to a shape\""),
        ("import tensorflow as tf", "tf.keras.metrics.Mean", "\"Cannot convert 'total' to a shape\""),
    ],
)
def test_the_help_quotes_the_error_of_the_class_kind(header, base, error):
    """Measured on Keras 3.15: Layer.add_weight refuses a positional string by name; a
    Metric's add_weight takes it for the shape and fails converting it. The message says
    ValueError; the help quotes it, with what to write instead."""
    [found] = assert_triggers(
        "KC104",
        f"""
        {header}

        class Total({base}):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.total = self.add_weight("total", initializer="zeros")
        """,
    )
    assert found.message.endswith("on Keras 3 (unpinned), add_weight raises ValueError")
    assert f"({error}); write add_weight(name=..., shape=...)" in found.help
