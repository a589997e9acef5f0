"""KC302 init-kwargs: positives and the traps that must stay quiet."""
from kerascheck.finding import Severity
from lintutil import Invalid, assert_triggers, lint, rule_tests

INVALID = {
    "layer without **kwargs (`import keras`)": """
        import keras

        class Linear(keras.layers.Layer):
            def __init__(self, units):
                super().__init__()
                self.units = units
    """,
    "no arguments at all (tf.keras)": """
        import tensorflow as tf

        class Block(tf.keras.layers.Layer):
            def __init__(self):
                super().__init__()
    """,
    "`name=None` only: trainable and dtype still come back (`from keras.layers import Layer`)": """
        from keras.layers import Layer

        class Endpoint(Layer):
            def __init__(self, name=None):
                super().__init__(name=name)
    """,
    "get_config merges super() but __init__ cannot take name back (keras-io's Patches)": """
        import keras

        class Patches(keras.layers.Layer):
            def __init__(self, patch_size):
                super().__init__()
                self.patch_size = patch_size

            def get_config(self):
                config = super().get_config()
                config.update({"patch_size": self.patch_size})
                return config
    """,
    "**kwargs accepted but dropped": """
        import tf_keras

        class Block(tf_keras.layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__()
                self.units = units
    """,
    "**kwargs handed to a sub-layer instead of the parent": """
        from tensorflow.keras import layers

        class PixelConv(layers.Layer):
            def __init__(self, mask_type, **kwargs):
                super().__init__()
                self.conv = layers.Conv2D(**kwargs)
    """,
    # An undefined name splatted into the parent initializer: an error, a NameError.
    "the tutorial's super(MyModel, self).__init(**kwrags)": Invalid("""
        import tensorflow as tf

        class MyModel(tf.keras.Model):
            def __init__(self, num_classes=10, **kwargs):
                super(MyModel, self).__init(**kwrags)
    """, severity=Severity.ERROR, message_contains="NameError"),
    "undefined splat in a correct super call": Invalid("""
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwarg)
    """, severity=Severity.ERROR, message_contains="NameError"),
    "undefined *args splat": Invalid("""
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, *args, **kwargs):
                super().__init__(*arg, **kwargs)
    """, severity=Severity.ERROR, message_contains="NameError"),
}

VALID = {
    # saving fails first (KC303 reports it): the reload's missing **kwargs never matters
    "an object read by attribute, no get_config (attention-is-all-you-need-keras)": """
        import keras

        class DecoderPerStep(keras.layers.Layer):
            def __init__(self, decoder):
                super().__init__()
                self.inner = decoder.layers

            def call(self, x):
                return x
    """,
    # A Model without get_config cannot be saved on Keras 3 (KC303 reports that), and
    # reloads on Keras 2: the missing **kwargs is never reached (measured).
    "model without **kwargs and without get_config": """
        from tensorflow import keras

        class Classifier(keras.Model):
            def __init__(self, num_classes):
                super().__init__()
                self.head = keras.layers.Dense(num_classes)
    """,
    # Saving fails first, on the sub-layer Keras cannot record (KC303, on every Keras).
    "layer given a sub-layer, without **kwargs and get_config": """
        import keras

        class Wrap(keras.layers.Layer):
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def call(self, x):
                return self.inner(x)
    """,
    # Keras 2's auto-config records only the constructor's arguments (measured).
    "layer without **kwargs and get_config on Keras 2": """
        import tf_keras as keras

        class Scale(keras.layers.Layer):
            def __init__(self, factor):
                super().__init__()
                self.factor = factor
    """,
    "**kwargs forwarded": """
        import keras

        class Linear(keras.layers.Layer):
            def __init__(self, units=32, **kwargs):
                super().__init__(**kwargs)
    """,
    "**kwargs forwarded through a local dict": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                base_kwargs = {k: v for k, v in kwargs.items() if k != "extra"}
                super().__init__(**base_kwargs)
    """,
    "**kwargs filtered into a dict filled in a loop": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                parent = {}
                for key, value in kwargs.items():
                    parent[key] = value
                super().__init__(**parent)
    """,
    "**kwargs popped, then forwarded; keras-hub's Base.__init__(self, **kwargs)": """
        import keras

        class Backbone(keras.Model):
            def __init__(self, *args, dtype=None, **kwargs):
                kwargs.pop("legacy", None)
                keras.Model.__init__(self, *args, dtype=dtype, **kwargs)
    """,
    "functional subclass forwarding **kwargs": """
        import keras

        class Backbone(keras.Model):
            def __init__(self, hidden_dim, **kwargs):
                inputs = keras.Input((4,))
                outputs = keras.layers.Dense(hidden_dim)(inputs)
                super().__init__(inputs=inputs, outputs=outputs, **kwargs)
    """,
    "model with explicit arguments whose own get_config leaves the base entries out": """
        import keras

        class Classifier(keras.Model):
            def __init__(self, units):
                super().__init__()
                self.units = units

            def get_config(self):
                return {"units": self.units}
    """,
    "a class that rebuilds itself with from_config": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, units):
                super().__init__()
                self.units = units

            def get_config(self):
                config = super().get_config()
                config["units"] = self.units
                return config

            @classmethod
            def from_config(cls, config):
                return cls(units=config["units"])
    """,
    "name, trainable and dtype taken explicitly": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, name=None, trainable=True, dtype=None):
                super().__init__(name=name, trainable=trainable, dtype=dtype)
    """,
    "a throwaway class defined inside a test function": """
        import keras

        def test_training_step(layer):
            class TestModel(keras.Model):
                def __init__(self, layer):
                    super().__init__()
                    self.layer = layer

            return TestModel(layer)
    """,
    "module-level splat name": """
        import keras

        DEFAULTS = {"dtype": "float32"}

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**DEFAULTS, **kwargs)
    """,
    "no parent initializer at all is KC301's finding": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                self.units = units
    """,
    "not a Keras class": """
        class Plain:
            def __init__(self, units):
                self.units = units
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC302", INVALID, VALID)


def test_tutorial_points_at_the_misspelled_name():
    [finding] = assert_triggers("KC302", INVALID["the tutorial's super(MyModel, self).__init(**kwrags)"].code)
    assert finding.line == 6 and "did you mean 'kwargs'" in finding.help


def test_kwargs_routed_to_a_sublayer_says_where_they_go():
    """`BaseAttention(**kwargs)` feeding `MultiHeadAttention(**kwargs)` (the TF transformer
    tutorial): the keywords are not dropped, they configure the sub-layer instead."""
    [finding] = assert_triggers(
        "KC302",
        """
        import tensorflow as tf

        class BaseAttention(tf.keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__()
                self.mha = tf.keras.layers.MultiHeadAttention(**kwargs)
        """,
    )
    assert "`tf.keras.layers.MultiHeadAttention(...)`" in finding.message
    assert "configure the sub-layer" in finding.message
    assert "silently dropped" not in finding.message + finding.help


def test_cross_file_get_config_and_from_config(project):
    """An ancestor in another file that defines from_config rebuilds the subclass itself;
    one that only defines get_config does not help a subclass without **kwargs."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                import keras

                class Rebuilds(keras.layers.Layer):
                    @classmethod
                    def from_config(cls, config):
                        return cls(**config)

                class Configured(keras.layers.Layer):
                    def get_config(self):
                        return super().get_config()
            """,
            "pkg/blocks.py": """
                from .base import Configured, Rebuilds

                class Quiet(Rebuilds):
                    def __init__(self, units):
                        super().__init__()

                class Loud(Configured):
                    def __init__(self, units):
                        super().__init__()
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC302",)))
    assert [(f.code, f.path.endswith("blocks.py"), f.line) for f in result.findings] == [("KC302", True, 9)]


def test_one_finding_where_saving_fails_first():
    """A Model with a required argument and no get_config: saving fails on Keras 3 before
    any reload could (KC303); KC302's reload failure is not reported beside it."""
    code = """
        import keras

        class Tower(keras.Model):
            def __init__(self, units):
                super().__init__()
                self.dense = keras.layers.Dense(units)
    """
    assert [f.code for f in lint(code, ("KC302", "KC303"))] == ["KC303"]


def test_the_message_states_the_consequence_on_the_files_keras():
    merged = """
        import {module} as keras

        class Scale(keras.layers.Layer):
            def __init__(self, factor):
                super().__init__()
                self.factor = factor

            def get_config(self):
                return {{**super().get_config(), "factor": self.factor}}
    """
    keras3 = lint(merged.format(module="keras"), ("KC302",))
    keras2 = lint(merged.format(module="tf_keras"), ("KC302",))
    assert [f.message for f in keras3 + keras2] == ["__init__ takes no **kwargs: load_model and from_config fail"] * 2
    expected = "unexpected keyword argument 'name'"  # after the message's headline
    assert [f.help.split(";")[0] for f in keras3 + keras2] == [expected, expected]
    [plain] = lint(merged.format(module="keras").rsplit("    def get_config", 1)[0], ("KC302",))
    assert plain.message == "__init__ takes no **kwargs: on Keras 3 (unpinned), load_model and from_config fail"
    assert plain.help.startswith("unexpected keyword argument 'trainable'")


_DEFAULTED_MODEL = """
    import {module} as keras

    class Tower(keras.Model):
        def __init__(self, units=4):
            super().__init__()
            self.dense = keras.layers.Dense(units)

        def call(self, x):
            return self.dense(x)
"""


def test_a_model_with_only_defaulted_arguments_fails_to_reload_on_keras_3():
    """No **kwargs, no get_config, nothing required: Keras 3 saves it and load_model fails
    on 'trainable'; tf_keras reloads it (both measured)."""
    [finding] = lint(_DEFAULTED_MODEL.format(module="keras"), ("KC302", "KC303"))
    assert finding.code == "KC302"
    assert "load_model and from_config fail" in finding.message
    assert "unexpected keyword argument 'trainable'" in finding.help
    assert lint(_DEFAULTED_MODEL.format(module="tf_keras"), ("KC302", "KC303")) == []


def test_a_functional_model_subclass_without_kwargs_fails_on_name_on_keras_3():
    code = """
        import {module} as keras

        class Tower(keras.Model):
            def __init__(self, units=4):
                inputs = keras.Input((3,))
                super().__init__(inputs=inputs, outputs=keras.layers.Dense(units)(inputs))
    """
    [finding] = lint(code.format(module="keras"), ("KC302", "KC303"))
    assert "unexpected keyword argument 'name'" in finding.help
    assert lint(code.format(module="tf_keras"), ("KC302", "KC303")) == []
