"""KC307 get-config-swapped-keys: positives and the traps that must stay quiet."""
from lintutil import Invalid, lint, rule_tests

INVALID = {
    "a copy-paste slip in config.update, `import keras`": """
        import keras

        class WindowAttention(keras.layers.Layer):
            def __init__(self, num_heads, window_size, **kwargs):
                super().__init__(**kwargs)
                self.num_heads = num_heads
                self.window_size = window_size

            def get_config(self):
                config = super().get_config()
                config.update({"num_heads": self.num_heads, "window_size": self.num_heads})
                return config
    """,
    "two entries swapped, `from tensorflow import keras`": Invalid("""
        from tensorflow import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, scale=1.0, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.scale = scale

            def get_config(self):
                return {**super().get_config(), "units": self.scale, "scale": self.units}
    """, count=2, message_contains="wrong hyperparameter"),
    "the Keras 2 dict(list(...)) pattern, `from keras.layers import Layer`": """
        from keras.layers import Layer

        class Attention(Layer):
            def __init__(self, heads=8, head_size=64, **kwargs):
                super(Attention, self).__init__(**kwargs)
                self.heads = heads
                self.size_per_head = head_size

            def get_config(self):
                config = {"heads": self.heads, "head_size": self.heads}
                base_config = super(Attention, self).get_config()
                return dict(list(base_config.items()) + list(config.items()))
    """,
    "config[key] = ..., `import tf_keras`": """
        import tf_keras

        class Pool(tf_keras.layers.Layer):
            def __init__(self, pool_size=2, strides=1, **kwargs):
                super().__init__(**kwargs)
                self.pool_size = pool_size
                self.strides = strides

            def get_config(self):
                config = super().get_config()
                config["pool_size"] = self.pool_size
                config["strides"] = self.pool_size
                return config
    """,
    "a Model subclass, config.update(key=...), tf.keras": """
        import tensorflow as tf

        class Net(tf.keras.Model):
            def __init__(self, hidden=64, classes=10, **kwargs):
                super().__init__(**kwargs)
                self.hidden = hidden
                self.classes = classes
                self.head = tf.keras.layers.Dense(classes)

            def get_config(self):
                config = super().get_config()
                config.update(hidden=self.hidden, classes=self.hidden)
                return config
    """,
}

VALID = {
    "every key under its own attribute": """
        import keras

        class WindowAttention(keras.layers.Layer):
            def __init__(self, num_heads, window_size, **kwargs):
                super().__init__(**kwargs)
                self.num_heads = num_heads
                self.window_size = window_size

            def get_config(self):
                return {**super().get_config(), "num_heads": self.num_heads, "window_size": self.window_size}
    """,
    "private attributes (renamed, not swapped)": """
        import keras

        class Conv(keras.layers.Layer):
            def __init__(self, filters, kernel_size, **kwargs):
                super().__init__(**kwargs)
                self._filters = filters
                self._kernel_size = kernel_size

            def get_config(self):
                return {**super().get_config(), "filters": self._filters, "kernel_size": self._kernel_size}
    """,
    "renamed attributes": """
        import keras

        class Attention(keras.layers.Layer):
            def __init__(self, heads, head_size, **kwargs):
                super().__init__(**kwargs)
                self.n_heads = heads
                self.size_per_head = head_size

            def get_config(self):
                return {**super().get_config(), "heads": self.n_heads, "head_size": self.size_per_head}
    """,
    "the key's own argument is kept nowhere (a derived default)": """
        import keras

        class Mlp(keras.layers.Layer):
            def __init__(self, units, hidden_units=None, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.hidden = hidden_units or 4 * units

            def get_config(self):
                return {**super().get_config(), "units": self.units, "hidden_units": self.units}
    """,
    "an argument rebound before it is stored": """
        import keras

        class Mlp(keras.layers.Layer):
            def __init__(self, units, out_units=None, **kwargs):
                super().__init__(**kwargs)
                if out_units is None:
                    out_units = units
                self.units = units
                self.out_units = out_units
                self.alias = units

            def get_config(self):
                return {**super().get_config(), "units": self.units, "out_units": self.out_units}
    """,
    "an attribute assigned again in build": """
        import keras

        class Proj(keras.layers.Layer):
            def __init__(self, units=None, dim=None, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.dim = dim

            def build(self, input_shape):
                self.units = self.units or input_shape[-1]

            def get_config(self):
                return {**super().get_config(), "units": self.units, "dim": self.units}
    """,
    "the key's attribute is emitted under it too": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, width, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.width = width

            def get_config(self):
                config = {"width": self.units}
                config.update({"units": self.units, "width": self.width})
                return {**super().get_config(), **config}
    """,
    "a key that is no constructor argument": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units

            def get_config(self):
                return {**super().get_config(), "units": self.units, "output_dim": self.units}
    """,
    "a nested sub-config": """
        import keras

        class Encoder(keras.layers.Layer):
            def __init__(self, units, inner, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.inner = inner

            def get_config(self):
                return {**super().get_config(), "units": self.units, "inner": {"units": self.inner}}
    """,
    "a from_config of its own that maps the key": """
        import keras

        class Pair(keras.layers.Layer):
            def __init__(self, a, b, **kwargs):
                super().__init__(**kwargs)
                self.a = a
                self.b = b

            def get_config(self):
                return {**super().get_config(), "a": self.b, "b": self.a}

            @classmethod
            def from_config(cls, config):
                config["a"], config["b"] = config["b"], config["a"]
                return cls(**config)
    """,
    "not a Keras class": """
        class Settings:
            def __init__(self, a, b):
                self.a = a
                self.b = b

            def get_config(self):
                return {"a": self.b, "b": self.a}
    """,
}

test_triggers, test_does_not_trigger = rule_tests("KC307", INVALID, VALID)


def test_the_message_names_the_attribute_its_argument_and_the_key():
    [finding] = lint(INVALID["a copy-paste slip in config.update, `import keras`"], ("KC307",))
    assert finding.message == (
        "get_config() writes `self.num_heads` (from `num_heads`) under 'window_size': "
        "the layer reloads with the wrong hyperparameter"
    )
    assert "Emit `self.window_size` under 'window_size'" in finding.help
    assert finding.fixable
