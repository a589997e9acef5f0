"""KC306 init-returns-value: positives and the traps that must stay quiet."""
from lintutil import Invalid, lint, rule_tests

from kerascheck.api import fix_source
from kerascheck.config import Settings

INVALID = {
    "return self, `import keras`": """
        import keras

        class Scale(keras.layers.Layer):
            def __init__(self, factor=2.0, **kwargs):
                super().__init__(**kwargs)
                self.factor = factor
                return self
    """,
    "a Model returning a sub-layer, `from tensorflow import keras`": """
        from tensorflow import keras

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(1)
                return self.dense
    """,
    "an early return of an argument, `from keras.layers import Layer`": """
        from keras.layers import Layer

        class Gate(Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                if units is None:
                    return units
                self.units = units
    """,
    "a literal, `import tf_keras`": """
        import tf_keras

        class Block(tf_keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                return 0
    """,
    "tf.keras.Model, a tuple": """
        import tensorflow as tf

        class Net(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.a = tf.keras.layers.Dense(1)
                self.b = tf.keras.layers.Dense(2)
                return self.a, self.b
    """,
    "two returns with values": Invalid("""
        import keras

        class Scale(keras.layers.Layer):
            def __init__(self, factor=2.0, **kwargs):
                super().__init__(**kwargs)
                if factor == 1.0:
                    return factor
                self.factor = factor
                return self
    """, count=2, message_contains="TypeError"),
}

VALID = {
    "a bare return": """
        import keras

        class Scale(keras.layers.Layer):
            def __init__(self, factor=2.0, **kwargs):
                super().__init__(**kwargs)
                if factor is None:
                    return
                self.factor = factor
    """,
    "return None": """
        import keras

        class Scale(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                return None
    """,
    "return super().__init__(...) (returns None: measured, it constructs)": """
        import keras

        class Scale(keras.layers.Layer):
            def __init__(self, factor=2.0, **kwargs):
                self.factor = factor
                return super().__init__(**kwargs)
    """,
    "a helper's result": """
        import keras

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                return self._build_layers()
            def _build_layers(self):
                self.dense = keras.layers.Dense(1)
    """,
    "a return in a function nested in __init__": """
        import keras

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                def block(x):
                    return x
                self.block = block
                self.head = keras.layers.Lambda(lambda x: x)
    """,
    "return self in another method": """
        import keras

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
            def compile_for(self, optimizer):
                self.compile(optimizer=optimizer)
                return self
    """,
    "not a Keras class": """
        class Builder:
            def __init__(self):
                return self
    """,
    "a class nested in __init__": """
        import keras

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                class Helper:
                    def get(self):
                        return self
                self.helper = Helper()
    """,
}

test_triggers, test_does_not_trigger = rule_tests("KC306", INVALID, VALID)


def test_the_fix_makes_a_plain_value_a_bare_return_and_leaves_a_tuple():
    fixed, left, errors = fix_source(
        "import keras\n\nclass A(keras.layers.Layer):\n    def __init__(self, **kw):\n        super().__init__(**kw)\n"
        "        if kw:\n            return self.x, self.y\n        return self  # chained\n",
        config=Settings(select=("KC306",)),
        unsafe=True,
    )
    assert errors == []
    assert "        return  # chained\n" in fixed
    assert "return self.x, self.y" in fixed
    assert [finding.fixable for finding in left] == [False]


def test_the_message_names_the_error_and_help_the_way_out():
    [finding] = lint(INVALID["return self, `import keras`"], ("KC306",))
    assert finding.message == "__init__() returns a value: constructing the class raises TypeError"
    assert "should return None" in finding.help and "bare `return`" in finding.help
