"""KC304 get-config-incomplete: positives and the traps that must stay quiet."""
from kerascheck.finding import Severity
from lintutil import Invalid, assert_triggers, rule_tests

INVALID = {
    "a fresh dict (`import keras`)": """
        import keras

        class Linear(keras.layers.Layer):
            def get_config(self):
                return {"units": self.units}
    """,
    "built in a local, no super (`from tensorflow import keras`)": """
        from tensorflow import keras

        class Matcher(keras.layers.Layer):
            def get_config(self):
                config = {"thresholds": self.thresholds}
                return config
    """,
    "super().get_config() called but its result thrown away (tf.keras)": """
        import tensorflow as tf

        class Linear(tf.keras.layers.Layer):
            def get_config(self):
                super().get_config()
                return {"units": self.units}
    """,
    "name spelled out, trainable and dtype still lost (`from keras.layers import Layer`)": """
        from keras.layers import Layer

        class Linear(Layer):
            def get_config(self):
                return {"units": self.units, "name": self.name}
    """,
    "a model (tf_keras)": """
        import tf_keras as keras

        class Classifier(keras.Model):
            def get_config(self):
                return dict(num_classes=self.num_classes)
    """,
    "a subclassed (not functional) model with name and trainable: its dtype policy is lost (measured)": """
        import keras

        class Net(keras.Model):
            def __init__(self, units=4, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(units)

            def get_config(self):
                return {"name": self.name, "trainable": self.trainable, "units": self.units}
    """,
    "functional subclass of a project's functional base, which may use dtype (keras-hub Backbone)": """
        import keras

        class Backbone(keras.Model):
            def __init__(self, *args, dtype=None, **kwargs):
                super().__init__(*args, **kwargs)

        class Net(Backbone):
            def __init__(self, units=4, **kwargs):
                inputs = keras.Input((3,))
                super().__init__(inputs=inputs, outputs=keras.layers.Dense(units)(inputs), **kwargs)

            def get_config(self):
                return {"name": self.name, "trainable": self.trainable, "units": 4}
    """,
    # A path of get_config that returns nothing: an error.
    "config updated, never returned": Invalid("""
        import keras

        class ChannelPooling(keras.layers.Layer):
            def get_config(self):
                config = super().get_config()
                config.update({"axis": self.axis})
    """, severity=Severity.ERROR),
    "one branch without return": Invalid("""
        import keras

        class Linear(keras.layers.Layer):
            def get_config(self):
                config = super().get_config()
                if self.units:
                    config["units"] = self.units
                    return config
    """, severity=Severity.ERROR),
    "a body that only passes": Invalid("""
        import keras

        class Linear(keras.layers.Layer):
            def get_config(self):
                pass
    """, severity=Severity.ERROR),
}

VALID = {
    "a test's local class whose config is what the test checks (model-remediation)": """
        import tensorflow as tf

        def test_get_config_with_custom_base():
            class CustomModel(tf.keras.Model):
                def __init__(self, val, **kwargs):
                    super().__init__(**kwargs)
                    self.val = val

                def get_config(self):
                    return {"val": self.val}

            assert CustomModel(4).get_config() == {"val": 4}
    """,
    "functional Model subclass with name and trainable: a functional Model ignores dtype (measured)": """
        import keras

        class Net(keras.Model):
            def __init__(self, units=4, **kwargs):
                inputs = keras.Input((3,))
                outputs = keras.layers.Dense(units)(inputs)
                super().__init__(inputs=inputs, outputs=outputs, **kwargs)
                self.units = units

            def get_config(self):
                return {"name": self.name, "trainable": self.trainable, "units": self.units}
    """,
    "functional Model subclass, positional inputs and outputs (tf.keras)": """
        import tensorflow as tf

        class Net(tf.keras.Model):
            def __init__(self, units=4, **kwargs):
                inputs = tf.keras.Input((3,))
                super().__init__(inputs, tf.keras.layers.Dense(units)(inputs), **kwargs)

            def get_config(self):
                return {"name": self.name, "trainable": self.trainable}
    """,
    "config = super().get_config(); config.update(...); return config": """
        import keras

        class Linear(keras.layers.Layer):
            def get_config(self):
                config = super().get_config()
                config.update({"units": self.units})
                return config
    """,
    "{**super().get_config(), ...}": """
        import keras

        class Linear(keras.layers.Layer):
            def get_config(self):
                return {**super().get_config(), "units": self.units}
    """,
    "dict(list(base_config.items()) + list(config.items()))": """
        from tensorflow import keras

        class Linear(keras.layers.Layer):
            def get_config(self):
                config = {"units": self.units}
                base_config = super(Linear, self).get_config()
                return dict(list(base_config.items()) + list(config.items()))
    """,
    "keras-hub's Base.get_config(self)": """
        import keras

        class Task(keras.Model):
            def get_config(self):
                config = keras.Model.get_config(self)
                config["backbone"] = keras.layers.serialize(self.backbone)
                return config
    """,
    "base_config.update(config); return base_config": """
        import keras

        class Linear(keras.layers.Layer):
            def get_config(self):
                config = {"units": self.units}
                base_config = super().get_config()
                base_config.update(config)
                return base_config
    """,
    "every base entry spelled out": """
        import keras

        class Linear(keras.layers.Layer):
            def get_config(self):
                return {"name": self.name, "trainable": self.trainable, "dtype": self.dtype_policy.name}
    """,
    "branches that all return, raise, or try/except returning": """
        import keras

        class Linear(keras.layers.Layer):
            def get_config(self):
                config = super().get_config()
                if self.mode == "a":
                    return config
                elif self.mode == "b":
                    raise ValueError(self.mode)
                try:
                    config["units"] = int(self.units)
                    return config
                except TypeError:
                    return config
    """,
    "a helper method that builds the config": """
        import keras

        class Linear(keras.layers.Layer):
            def get_config(self):
                config = self._base_config()
                config["units"] = self.units
                return config
    """,
    "get_config outside a Keras class (a Loss, a plain class)": """
        import keras

        class MyLoss(keras.losses.Loss):
            def get_config(self):
                return {"alpha": self.alpha}

        class Plain:
            def get_config(self):
                pass
    """,
    "a nested helper's return does not count": """
        import keras

        class Linear(keras.layers.Layer):
            def get_config(self):
                def units():
                    return {"units": self.units}

                config = super().get_config()
                config.update(units())
                return config
    """,
    "get_config that only raises: the layer is declared unserializable on purpose": """
        import tensorflow as tf

        class Corruption(tf.keras.layers.Layer):
            def get_config(self):
                raise NotImplementedError("Corruption holds a Python callable")

            @classmethod
            def from_config(cls, config):
                raise NotImplementedError()
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC304", INVALID, VALID)


def test_lists_what_is_lost():
    [finding] = assert_triggers("KC304", INVALID["name spelled out, trainable and dtype still lost (`from keras.layers import Layer`)"])
    assert "trainable, dtype are lost" in finding.message and "new name" not in finding.message + finding.help
    assert "trainable=True again, the default dtype policy" in finding.help


def test_cross_file_keras_class(project):
    """A class whose Keras base is in another file is checked."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                import keras

                class Backbone(keras.Model):
                    def get_config(self):
                        return {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
            """,
            "pkg/vgg.py": """
                from pkg.base import Backbone

                class VGG(Backbone):
                    def get_config(self):
                        return {"filters": self.filters}
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC304",)))
    assert [(f.code, f.path.endswith("vgg.py"), f.line) for f in result.findings] == [("KC304", True, 5)]
