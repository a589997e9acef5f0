"""KC209 misspelled-keras-attribute: positives and the traps that must stay quiet."""
from lintutil import assert_triggers, rule_tests

INVALID = {
    "support_masking, `import keras`": """
        import keras

        class Mean(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.support_masking = True
    """,
    "suports_masking, `from tensorflow import keras`": """
        from tensorflow import keras

        class Mean(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.suports_masking = True
    """,
    "supports_mask (a common variant, three edits away)": """
        import tensorflow as tf

        class Mean(tf.keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.supports_mask = True
    """,
    "support_mask": """
        from keras.layers import Layer

        class Mean(Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.support_mask = True
    """,
    "trainabe, tf_keras": """
        import tf_keras as keras

        class Frozen(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.trainabe = False
    """,
    "input_specs on a model": """
        import keras

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.input_specs = keras.layers.InputSpec(ndim=3)
    """,
    "a misspelling in the class body": """
        import keras

        class Mean(keras.layers.Layer):
            supports_maskin = True
    """,
}

VALID = {
    "the real names": """
        import keras

        class Good(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.supports_masking = True
                self.trainable = False
                self.input_spec = keras.layers.InputSpec(ndim=3)

            def build(self, input_shape):
                self.built = True
    """,
    "a name the class reads elsewhere": """
        import keras

        class Tracker(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.trainables = []

            def track(self, layer):
                self.trainables.append(layer)
    """,
    "a name read through getattr": """
        import keras

        class Switch(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.trainabel = True

            def get(self):
                return getattr(self, "trainabel")
    """,
    "a property of the class": """
        import keras

        class Masked(keras.layers.Layer):
            @property
            def supports_mask(self):
                return True

            def configure(self):
                self.supports_mask = True
    """,
    "a misspelling of `built` (bulit, biult, buit): Keras sets built itself after build(), so it changes nothing (measured)": """
        import keras

        class Lazy(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.buit = False

            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], 2), name="w")
                self.bulit = True
                self.biult = True
    """,
    "short names near `built` that are real API or ordinary names": """
        import keras

        class Dense2(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.bias = None
                self.quilts = 0
    """,
    "a private backing field": """
        import keras

        class Old(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self._trainable = False
                self._built = False
                self._input_spec = None
    """,
    "names farther away": """
        import keras

        class Proj(keras.layers.Layer):
            def __init__(self, input_size, **kwargs):
                super().__init__(**kwargs)
                self.input_size = input_size
                self.is_trainable = True
                self.untrainable = []
    """,
    "not a Keras class": """
        class Config:
            def __init__(self):
                self.support_masking = True
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC209", INVALID, VALID)


def test_message_names_the_real_attribute_and_effect():
    [finding] = assert_triggers("KC209", INVALID["support_masking, `import keras`"], line=7)
    assert "supports_masking" in finding.message and "drops the incoming mask" in finding.message
    assert "Keras never reads 'support_masking'" in finding.help and "assign self.supports_masking" in finding.help
    assert finding.column == 14  # at the attribute name, not at `self`


def test_cross_file_method_of_base_is_not_a_misspelling(project):
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                import keras

                class Base(keras.layers.Layer):
                    def trainables(self):
                        return []
            """,
            "pkg/child.py": """
                from pkg.base import Base

                class Child(Base):
                    def __init__(self, **kwargs):
                        super().__init__(**kwargs)
                        self.trainables = None
                        self.trainabel = False
            """,
        }
    )
    findings = check_paths([root], Settings(select=("KC209",))).findings
    assert [(f.path.rsplit("/", 1)[-1], f.line) for f in findings] == [("child.py", 8)]
