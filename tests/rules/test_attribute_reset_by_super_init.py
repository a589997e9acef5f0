"""KC105 attribute-reset-by-super-init: positives and the traps that must stay quiet."""
from lintutil import assert_triggers, lint, rule_tests

INVALID = {
    "supports_masking before super().__init__ (`import keras`)": """
        import keras

        class Masked(keras.layers.Layer):
            def __init__(self, **kwargs):
                self.supports_masking = True
                super().__init__(**kwargs)
    """,
    "trainable before super(Cls, self).__init__, tf.keras": """
        import tensorflow as tf

        class Frozen(tf.keras.layers.Layer):
            def __init__(self, **kwargs):
                self.trainable = False
                super(Frozen, self).__init__(**kwargs)
    """,
    "built, `from keras.layers import Layer`": """
        from keras.layers import Layer

        class Eager(Layer):
            def __init__(self, **kwargs):
                self.built = True
                super().__init__(**kwargs)
    """,
    "input_spec, tf_keras": """
        import tf_keras as keras

        class TwoD(keras.layers.Layer):
            def __init__(self, **kwargs):
                self.input_spec = keras.layers.InputSpec(ndim=2)
                super().__init__(**kwargs)
    """,
    "explicit Keras base initializer, `from tensorflow import keras`": """
        from tensorflow import keras

        class Masked(keras.layers.Layer):
            def __init__(self, **kwargs):
                self.supports_masking = True
                keras.layers.Layer.__init__(self, **kwargs)
    """,
    "in-tree Keras base called explicitly": """
        import keras

        class Base(keras.layers.Layer):
            pass

        class Masked(Base):
            def __init__(self, **kwargs):
                self.supports_masking = True
                Base.__init__(self, **kwargs)
    """,
    "inside an if, before the call; a Model; annotated": """
        import keras

        class Net(keras.Model):
            def __init__(self, freeze=False, **kwargs):
                if freeze:
                    self.trainable: bool = False
                super().__init__(**kwargs)
    """,
    "dtype_policy (Keras 3 raises AttributeError)": """
        import keras

        class Half(keras.layers.Layer):
            def __init__(self, **kwargs):
                self.dtype_policy = keras.DTypePolicy("float16")
                super().__init__(**kwargs)
    """,
    "a sub-layer first is fine, the attribute after it is not": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                self.dense = keras.layers.Dense(4)
                self.supports_masking = True
                super().__init__(**kwargs)
    """,
}

VALID = {
    # Layer.__init__ sets supports_masking = True itself when compute_mask is overridden
    # (measured on Keras 3.15 and tf_keras 2.21): the early assignment is not lost.
    "supports_masking before super(), compute_mask overridden": """
        import keras

        class MaskFlatten(keras.layers.Flatten):
            def __init__(self, **kw):
                self.supports_masking = True
                super().__init__(**kw)

            def compute_mask(self, inputs, mask=None):
                return mask
    """,
    # tf_keras's Layer.__init__ does not set autocast (measured): the value is kept there.
    "autocast before super() on Keras 2": """
        import tf_keras as keras

        class Raw(keras.layers.Layer):
            def __init__(self, **kwargs):
                self.autocast = False
                super().__init__(**kwargs)
    """,
    "the same assignments after the super call": """
        import keras

        class Masked(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.supports_masking = True
                self.trainable = False
                self.input_spec = keras.layers.InputSpec(ndim=2)
    """,
    "sub-layers and plain attributes before the super call (Keras 3 allows it)": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                self.units = units
                self.dense = keras.layers.Dense(units)
                super().__init__(**kwargs)
    """,
    "set again after the super call: the later value wins": """
        import keras

        class Masked(keras.layers.Layer):
            def __init__(self, **kwargs):
                self.supports_masking = True
                super().__init__(**kwargs)
                self.supports_masking = True
    """,
    "the value handed to the super call as its keyword": """
        import tensorflow as tf

        class Frozen(tf.keras.layers.Layer):
            def __init__(self, trainable=False, **kwargs):
                self.trainable = trainable
                super().__init__(trainable=trainable, **kwargs)
    """,
    "a non-Keras mixin initialized first": """
        import keras

        class Mixin:
            def __init__(self):
                pass

        class Masked(keras.layers.Layer, Mixin):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                Mixin.__init__(self)
                self.supports_masking = True
    """,
    "private twins and locals are not the reset attributes": """
        import keras

        class Masked(keras.layers.Layer):
            def __init__(self, trainable=True, **kwargs):
                self._supports_masking_cache = True
                built = False
                super().__init__(**kwargs)
    """,
    "no parent initializer at all (KC301's finding, not this one)": """
        import keras

        class Broken(keras.layers.Layer):
            def __init__(self):
                self.supports_masking = True
    """,
    "a nested function's assignment does not run before the call": """
        import keras

        class Lazy(keras.layers.Layer):
            def __init__(self, **kwargs):
                def freeze(layer):
                    layer.trainable = False
                    self.trainable = False
                super().__init__(**kwargs)
    """,
    "not a Keras class": """
        class Plain:
            def __init__(self):
                self.trainable = False
                super().__init__()
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC105", INVALID, VALID)


def test_message_names_the_measured_read_back():
    found = assert_triggers("KC105", INVALID["supports_masking before super().__init__ (`import keras`)"], line=6)
    assert "reads back False" in found[0].message
    found = assert_triggers("KC105", INVALID["dtype_policy (Keras 3 raises AttributeError)"])
    assert "AttributeError" in found[0].message
    assert "as the layer is not initialized yet; assign it after the super().__init__(...) call" in found[0].help


def test_each_attribute_once():
    assert_triggers(
        "KC105",
        """
        import keras

        class Both(keras.layers.Layer):
            def __init__(self, **kwargs):
                self.supports_masking = True
                self.trainable = False
                super().__init__(**kwargs)
        """,
        count=2,
    )


def test_cross_file_explicit_base(project):
    """`Base.__init__(self)` counts as the parent initializer when Base, defined in
    another file of the tree, is a Keras class."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                from tensorflow import keras

                class Base(keras.layers.Layer):
                    pass
            """,
            "pkg/masked.py": """
                from .base import Base

                class Masked(Base):
                    def __init__(self, **kwargs):
                        self.supports_masking = True
                        Base.__init__(self, **kwargs)
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC105",)))
    assert [(f.code, f.path.endswith("masked.py"), f.line) for f in result.findings] == [("KC105", True, 6)]


_STANDALONE_KERAS_2_LAYER = """
    from keras.layers import Layer
    from keras import regularizers

    class Scaled(Layer):
        def __init__(self, activity_regularizer=None, **kwargs):
            self.activity_regularizer = regularizers.get(activity_regularizer)
            self.input_spec = None
            super(Scaled, self).__init__(**kwargs)
"""


def test_on_keras_2_11_only_what_every_old_layer_init_resets():
    """On the 2.11 target (tf.keras 2.0-2.11 and standalone keras <= 2.3 alike),
    activity_regularizer may survive (standalone keras's Layer.__init__ never sets it):
    silent; input_spec is reset by both: reported. On Keras 2 (tf_keras, measured) both are."""
    on_old = lint(_STANDALONE_KERAS_2_LAYER, ("KC105",), target_keras="2.11")
    assert ["input_spec" in f.message for f in on_old] == [True]
    on_2 = lint(_STANDALONE_KERAS_2_LAYER, ("KC105",), target_keras="2")
    assert sorted("activity_regularizer" in f.message for f in on_2) == [False, True]
