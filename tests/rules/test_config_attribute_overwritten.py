"""KC308 config-attribute-overwritten: positives and the traps that must stay quiet."""
from lintutil import Invalid, lint, rule_tests

INVALID = {
    "rate stored, then overwritten by Dropout, `import keras`": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, units=4, rate=0.1, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.rate = rate
                self.rate = keras.layers.Dropout(rate)

            def get_config(self):
                config = super().get_config()
                config.update({"units": self.units, "rate": self.rate})
                return config
    """,
    "the layer stored directly, `from tensorflow import keras`": """
        from tensorflow import keras

        class Project(keras.layers.Layer):
            def __init__(self, units=4, **kwargs):
                super().__init__(**kwargs)
                self.units = keras.layers.Dense(units)

            def get_config(self):
                return {**super().get_config(), "units": self.units}
    """,
    "an annotated float, `from keras.layers import Dropout, Layer`": """
        from keras.layers import Dropout, Layer

        class Block(Layer):
            def __init__(self, drop_rate: float, **kwargs):
                super(Block, self).__init__(**kwargs)
                self.drop_rate = Dropout(rate=drop_rate)

            def get_config(self):
                config = {"drop_rate": self.drop_rate}
                base_config = super(Block, self).get_config()
                return dict(list(base_config.items()) + list(config.items()))
    """,
    "a Model subclass, `import tf_keras`": Invalid("""
        import tf_keras

        class Net(tf_keras.Model):
            def __init__(self, hidden=64, dropout=0.5, **kwargs):
                super().__init__(**kwargs)
                self.hidden = tf_keras.layers.Dense(hidden)
                self.dropout = tf_keras.layers.Dropout(dropout)

            def get_config(self):
                return {"hidden": self.hidden, "dropout": self.dropout}
    """, count=2, message_contains="the reloaded layer gets it for the number"),
    "an in-tree layer class built from the argument": """
        import keras

        class Noise(keras.layers.Layer):
            def __init__(self, stddev, **kwargs):
                super().__init__(**kwargs)
                self.stddev = stddev

        class Block(keras.layers.Layer):
            def __init__(self, stddev=0.1, **kwargs):
                super().__init__(**kwargs)
                self.stddev = Noise(stddev)

            def get_config(self):
                config = super().get_config()
                config["stddev"] = self.stddev
                return config
    """,
}

VALID = {
    "the number kept, the layer in its own attribute": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, units=4, rate=0.1, **kwargs):
                super().__init__(**kwargs)
                self.rate = rate
                self.dropout = keras.layers.Dropout(rate)

            def get_config(self):
                return {**super().get_config(), "rate": self.rate}
    """,
    "the layer assigned first, the number last": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, rate=0.1, **kwargs):
                super().__init__(**kwargs)
                self.rate = keras.layers.Dropout(rate)
                self.rate = rate

            def get_config(self):
                return {**super().get_config(), "rate": self.rate}
    """,
    "emitting the layer's own setting": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, rate=0.1, **kwargs):
                super().__init__(**kwargs)
                self.rate = keras.layers.Dropout(rate)

            def get_config(self):
                return {**super().get_config(), "rate": self.rate.rate}
    """,
    "an argument not known to be a number (a string activation)": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, activation="relu", **kwargs):
                super().__init__(**kwargs)
                self.activation = keras.layers.Activation(activation)

            def get_config(self):
                return {**super().get_config(), "activation": self.activation}
    """,
    "no default and no annotation": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, rate, **kwargs):
                super().__init__(**kwargs)
                self.rate = keras.layers.Dropout(rate)

            def get_config(self):
                return {**super().get_config(), "rate": self.rate}
    """,
    "a layer not built from the argument": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, rate=0.1, **kwargs):
                super().__init__(**kwargs)
                self.rate = keras.layers.Dropout(0.5)

            def get_config(self):
                return {**super().get_config(), "rate": self.rate}
    """,
    "a function of the argument, not a layer": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, rate=0.1, **kwargs):
                super().__init__(**kwargs)
                self.rate = float(rate)

            def get_config(self):
                return {**super().get_config(), "rate": self.rate}
    """,
    "a from_config of its own that reads the key": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, rate=0.1, **kwargs):
                super().__init__(**kwargs)
                self.rate = keras.layers.Dropout(rate)

            def get_config(self):
                return {**super().get_config(), "rate": self.rate}

            @classmethod
            def from_config(cls, config):
                config["rate"] = config["rate"]["config"]["rate"]
                return cls(**config)
    """,
}

test_triggers, test_does_not_trigger = rule_tests("KC308", INVALID, VALID)


def test_the_message_says_what_each_keras_does():
    code = INVALID["rate stored, then overwritten by Dropout, `import keras`"]
    [finding] = lint(code, ("KC308",))
    assert finding.message == (
        "get_config() emits the layer in `self.rate` as 'rate': on Keras 3 (unpinned), "
        "load_model and from_config fail on it"
    )
    assert "could not be deserialized properly" in finding.help and "self.rate = rate" in finding.help
    [finding] = lint(code.replace("import keras", "import tf_keras as keras"), ("KC308",))
    assert "`rate` must be a scalar" in finding.help
