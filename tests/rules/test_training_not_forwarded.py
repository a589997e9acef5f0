"""KC207 training-not-forwarded (opt-in): positives and the traps that must stay quiet."""
from lintutil import assert_triggers, lint, rule_tests

INVALID = {
    "the article's layer: Dropout, call without training, `import keras`": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(8)
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, inputs):
                return self.dropout(self.dense(inputs))
    """,
    "training accepted but not passed on, `from tensorflow import keras`": """
        from tensorflow import keras

        class ConvBN(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.conv = keras.layers.Conv2D(8, 3)
                self.bn = keras.layers.BatchNormalization()

            def call(self, x, training=None):
                return self.bn(self.conv(x))
    """,
    "Dropout inside a Sequential, tf.keras.layers.Layer": """
        import tensorflow as tf

        class FFN(tf.keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.mlp = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.Dropout(0.1)])

            def call(self, x):
                return self.mlp(x)
    """,
    "`from keras.layers import Layer`": """
        from keras.layers import Layer, GaussianNoise

        class Noisy(Layer):
            def __init__(self):
                super().__init__()
                self.noise = GaussianNoise(0.1)

            def call(self, x):
                return self.noise(x)
    """,
    "tf_keras spelling": """
        import tf_keras as keras

        class Old(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.AlphaDropout(0.1)

            def call(self, x):
                return self.drop(x)
    """,
    "an in-tree layer whose call takes training": """
        import keras

        class DropPath(keras.layers.Layer):
            def call(self, x, training=None):
                return x if not training else x * 0.9

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.drop_path = DropPath()

            def call(self, x, training=None):
                return x + self.drop_path(x)
    """,
    "a loop over a list of blocks": """
        import keras

        class Inner(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.1)

            def call(self, x, training=None):
                return self.drop(x, training=training)

        class Stack(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.blocks = [Inner() for _ in range(4)]

            def call(self, x):
                for block in self.blocks:
                    x = block(x)
                return x
    """,
    "a Dropout built on the spot": """
        import keras

        class Head(keras.layers.Layer):
            def call(self, x):
                return keras.layers.Dropout(0.2)(x)
    """,
    "a Model that declares training but does not pass it on": """
        import keras

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.2)

            def call(self, x, training=False):
                return self.drop(x)
    """,
}

VALID = {
    "training passed on by keyword": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, x, training=None):
                return self.dropout(x, training=training)
    """,
    "training passed on positionally": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, x, training=None):
                return self.dropout(x, training)
    """,
    "**kwargs passed on": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, x, **kwargs):
                return self.dropout(x, **kwargs)
    """,
    "a literal training= is KC208's business": """
        import keras

        class Frozen(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.bn = keras.layers.BatchNormalization()

            def call(self, x):
                return self.bn(x, training=False)
    """,
    "a Model whose call lacks training is KC210's (an error there)": """
        import keras

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.2)

            def call(self, x):
                return self.drop(x)
    """,
    "sub-layers that do not depend on training": """
        import keras

        class Plain(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.dense = keras.layers.Dense(4)
                self.norm = keras.layers.LayerNormalization()

            def call(self, x):
                return self.norm(self.dense(x))
    """,
    "sensitive sub-layers used outside call()": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.dropout = keras.layers.Dropout(0.5)

            def build(self, input_shape):
                self.dropout.build(input_shape)

            def call(self, x, training=None):
                return self.dropout(x, training=training)
    """,
    "an attribute that may also be a plain layer (Identity in another branch)": """
        import keras

        class ConvNorm(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.bn = keras.layers.BatchNormalization()

            def call(self, x, training=None):
                return self.bn(x, training=training)

        class Block(keras.layers.Layer):
            def __init__(self, project):
                super().__init__()
                if project:
                    self.proj = ConvNorm()
                else:
                    self.proj = keras.layers.Identity()

            def call(self, x, training=None):
                if isinstance(self.proj, keras.layers.Identity):
                    return self.proj(x)
                return self.proj(x, training=training)
    """,
    "not a Keras class": """
        import keras

        class Helper:
            def __init__(self):
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, x):
                return self.dropout(x)
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC207", INVALID, VALID)


def test_opt_in():
    """Off by default: only an explicit selection runs it."""
    code = INVALID["the article's layer: Dropout, call without training, `import keras`"]
    assert [f for f in lint(code, select=None) if f.code == "KC207"] == []


def test_once_per_statement():
    findings = assert_triggers(
        "KC207",
        """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.bn = keras.layers.BatchNormalization()
                self.drop1 = keras.layers.Dropout(0.1)
                self.drop2 = keras.layers.Dropout(0.1)

            def call(self, x):
                x = self.drop1(self.bn(x))
                return self.drop2(x)
        """,
        count=2,
    )
    assert [f.line for f in findings] == [12, 13]
    assert "BatchNormalization" in findings[0].message or "Dropout" in findings[0].message


def test_cross_file_block(project):
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/blocks.py": """
                import keras

                class Residual(keras.layers.Layer):
                    def __init__(self):
                        super().__init__()
                        self.bn = keras.layers.BatchNormalization()

                    def call(self, x):
                        return x + self.bn(x)
            """,
            "pkg/stack.py": """
                import keras
                from pkg.blocks import Residual

                class Stack(keras.layers.Layer):
                    def __init__(self):
                        super().__init__()
                        self.block = Residual()

                    def call(self, x, training=None):
                        return self.block(x)
            """,
        }
    )
    findings = check_paths([root], Settings(select=("KC207",))).findings
    assert sorted((f.path.rsplit("/", 1)[-1], f.line) for f in findings) == [("blocks.py", 10), ("stack.py", 11)]
