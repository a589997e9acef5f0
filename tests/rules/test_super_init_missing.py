"""KC301 super-init-missing: positives and the traps that must stay quiet."""
from lintutil import assert_triggers, rule_tests

INVALID = {
    "no parent initializer at all (`import keras`)": """
        import keras

        class Scale(keras.layers.Layer):
            def __init__(self, factor):
                self.factor = factor
    """,
    "the tutorial's name-mangled super(MyModel, self).__init(...)": """
        import tensorflow as tf

        class MyModel(tf.keras.Model):
            def __init__(self, num_classes=10, **kwargs):
                super(MyModel, self).__init(**kwargs)
                self.dense = tf.keras.layers.Dense(num_classes)
    """,
    "super().__int__() (`from tensorflow import keras`)": """
        from tensorflow import keras

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__int__(**kwargs)
    """,
    "super().__init_() (`from keras.layers import Layer`)": """
        from keras.layers import Layer

        class Block(Layer):
            def __init__(self, **kwargs):
                super().__init_(**kwargs)
    """,
    "self passed explicitly to super().__init__": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(self, **kwargs)
    """,
    "self passed explicitly to super(Cls, self).__init__ (tf_keras)": """
        import tf_keras

        class Block(tf_keras.layers.Layer):
            def __init__(self, **kwargs):
                super(Block, self).__init__(self, **kwargs)
    """,
    "constructor misspelled as `def __int__` with arguments": """
        import keras

        class Block(keras.layers.Layer):
            def __int__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units
    """,
    "constructor misspelled as `def __init_`": """
        from tensorflow.keras import layers as L

        class Block(L.Layer):
            def __init_(self, units):
                self.units = units
    """,
    "a subclass of a built-in layer": """
        import keras

        class MyDense(keras.layers.Dense):
            def __init__(self, units):
                self.extra = 1
    """,
    "only the parent's other methods called": """
        import keras

        class Block(keras.Model):
            def __init__(self, **kwargs):
                super().build((None, 4))
    """,
}

VALID = {
    "super().__init__(**kwargs)": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units
    """,
    "super(Cls, self).__init__ (Python 2 spelling)": """
        import tensorflow as tf

        class Block(tf.keras.layers.Layer):
            def __init__(self, units, **kwargs):
                super(Block, self).__init__(**kwargs)
    """,
    "keras-hub style Base.__init__(self, ...)": """
        import keras

        class Backbone(keras.Model):
            def __init__(self, *args, dtype=None, **kwargs):
                keras.Model.__init__(self, *args, dtype=dtype, **kwargs)
    """,
    "super().__init__ after other statements, or inside a branch": """
        import keras

        class Block(keras.Model):
            def __init__(self, inputs=None, **kwargs):
                x = inputs
                if inputs is not None:
                    super().__init__(inputs=inputs, outputs=x, **kwargs)
                else:
                    super().__init__(**kwargs)
    """,
    "no __init__ at all": """
        import keras

        class Block(keras.layers.Layer):
            def call(self, x):
                return x
    """,
    "a helper method that runs the parent initializer": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                self._setup(**kwargs)
                self.units = units

            def _setup(self, **kwargs):
                super().__init__(**kwargs)
    """,
    "a real __int__ conversion": """
        import keras

        class Counter(keras.layers.Layer):
            def __int__(self):
                return 3
    """,
    "a private __init helper next to __init__": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.__init_state()

            def __init_state(self):
                self.count = 0
    """,
    "not a Keras class (tf.Module, plain object)": """
        import tensorflow as tf

        class Plain(tf.Module):
            def __init__(self):
                self.v = 1

        class Other:
            def __init__(self):
                pass
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC301", INVALID, VALID)


def test_mangled_name_in_help():
    [finding] = assert_triggers("KC301", INVALID["the tutorial's name-mangled super(MyModel, self).__init(...)"])
    assert "super().__init(...) is a misspelling" in finding.message
    assert "no attribute '_MyModel__init' (the name is mangled inside a class)" in finding.help
    assert finding.line == 6


def test_cross_file_base(project):
    """The Keras base lives in another file: the class is still a Keras class."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                from tensorflow import keras

                class Base(keras.layers.Layer):
                    def __init__(self, **kwargs):
                        super().__init__(**kwargs)
            """,
            "pkg/blocks.py": """
                from .base import Base

                class Block(Base):
                    def __init__(self, units):
                        self.units = units
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC301",)))
    assert [(f.code, f.path.endswith("blocks.py"), f.line) for f in result.findings] == [("KC301", True, 5)]
