"""KC202 training-defaults-true: positives and the traps that must stay quiet."""
from lintutil import assert_triggers, rule_tests

INVALID = {
    "layer, `import keras`": """
        import keras

        class StochasticDepth(keras.layers.Layer):
            def call(self, x, training=True):
                return x
    """,
    "model, `from tensorflow import keras`": """
        from tensorflow import keras

        class Net(keras.Model):
            def call(self, inputs, training=True, mask=None):
                return inputs
    """,
    "tf.keras.layers.Layer, annotated": """
        import tensorflow as tf

        class Aug(tf.keras.layers.Layer):
            def call(self, images, training: bool = True):
                return images
    """,
    "keyword-only, `from keras.layers import Layer`": """
        from keras.layers import Layer

        class Block(Layer):
            def call(self, x, *, training=True):
                return x
    """,
    "tf_keras, subclass of a built-in layer": """
        import tf_keras

        class MyDense(tf_keras.layers.Dense):
            def call(self, x, training=True):
                return super().call(x)
    """,
}

VALID = {
    "training=None": """
        import keras

        class Block(keras.layers.Layer):
            def call(self, x, training=None):
                return x
    """,
    "training=False": """
        import keras

        class Block(keras.layers.Layer):
            def call(self, x, training=False):
                return x
    """,
    "no training parameter": """
        import keras

        class Block(keras.layers.Layer):
            def call(self, x):
                return x
    """,
    "a helper method or function with training=True": """
        import keras

        def make_dataset(files, training=True):
            return files

        class Model(keras.Model):
            def _loss(self, x, training=True):
                return x
    """,
    "call() of a class that is not a Keras class": """
        class Runner:
            def call(self, x, training=True):
                return x
    """,
    "a nested function called `call`": """
        import keras

        class Block(keras.layers.Layer):
            def build(self, input_shape):
                def call(x, training=True):
                    return x
                self.fn = call
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC202", INVALID, VALID)


def test_reported_at_the_parameter():
    found = assert_triggers("KC202", INVALID["layer, `import keras`"])
    assert (found[0].line, found[0].column) == (5, 23)


def test_cross_file_keras_base(project):
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                from tensorflow import keras

                class Base(keras.Model):
                    pass
            """,
            "pkg/net.py": """
                from .base import Base

                class Net(Base):
                    def call(self, x, training=True):
                        return x
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC202",)))
    assert [(f.code, f.path.endswith("net.py"), f.line) for f in result.findings] == [("KC202", True, 5)]
