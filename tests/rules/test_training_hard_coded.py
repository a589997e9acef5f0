"""KC208 training-hard-coded (opt-in): positives and the traps that must stay quiet."""
from lintutil import assert_triggers, lint, rule_tests

INVALID = {
    "frozen BatchNormalization, `import keras`": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.bn = keras.layers.BatchNormalization()

            def call(self, x, training=None):
                return self.bn(x, training=False)
    """,
    "MC dropout always on, `from tensorflow import keras`": """
        from tensorflow import keras

        class MCDropout(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.5)

            def call(self, x):
                return self.drop(x, training=True)
    """,
    "a backbone pinned in a model, tf.keras.Model": """
        import tensorflow as tf

        class Classifier(tf.keras.Model):
            def __init__(self, backbone):
                super().__init__()
                self.backbone = backbone
                self.head = tf.keras.layers.Dense(10)

            def call(self, x, training=None):
                return self.head(self.backbone(x, training=False))
    """,
    "`from keras.layers import Layer`, a loop over blocks": """
        from keras.layers import Layer

        class Stack(Layer):
            def __init__(self, blocks):
                super().__init__()
                self.blocks = blocks

            def call(self, x):
                for block in self.blocks:
                    x = block(x, training=False)
                return x
    """,
    "tf_keras, a layer built on the spot": """
        import tf_keras as keras

        class Noisy(keras.layers.Layer):
            def call(self, x):
                return keras.layers.GaussianNoise(0.1)(x, training=True)
    """,
}

VALID = {
    "training forwarded": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.bn = keras.layers.BatchNormalization()

            def call(self, x, training=None):
                return self.bn(x, training=training)
    """,
    "a literal outside call() (train_step calls the model itself)": """
        import keras

        class GAN(keras.Model):
            def __init__(self, generator):
                super().__init__()
                self.generator = generator

            def train_step(self, data):
                return self.generator(data, training=True)
    """,
    "the class's own helper method": """
        import keras

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.1)

            def _features(self, x, training=None):
                return self.drop(x, training=training)

            def call(self, x, training=None):
                return self._features(x, training=False)
    """,
    "super().call": """
        import keras

        class MyBN(keras.layers.BatchNormalization):
            def call(self, x, training=None):
                return super().call(x, training=False)
    """,
    "a plain function": """
        import keras

        def augment(x, training=False):
            return x

        class Aug(keras.layers.Layer):
            def call(self, x):
                return augment(x, training=True)
    """,
    "not a Keras class": """
        class Runner:
            def call(self, x):
                return self.model(x, training=False)
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC208", INVALID, VALID)


def test_opt_in():
    code = INVALID["frozen BatchNormalization, `import keras`"]
    assert [f for f in lint(code, select=None) if f.code == "KC208"] == []


def test_once_per_statement_at_the_literal():
    findings = assert_triggers(
        "KC208",
        """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.bn = keras.layers.BatchNormalization()
                self.drop = keras.layers.Dropout(0.1)

            def call(self, x):
                x = self.drop(self.bn(x, training=False), training=True)
                return self.bn(x, training=False)
        """,
        count=2,
    )
    assert [f.line for f in findings] == [11, 12]


def test_cross_file_inherited_method_is_not_a_sublayer(project):
    """`self.encode` is a method of an in-tree base class in another file."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                import keras

                class Base(keras.layers.Layer):
                    def encode(self, x, training=None):
                        return x
            """,
            "pkg/child.py": """
                from pkg.base import Base

                class Child(Base):
                    def __init__(self, inner):
                        super().__init__()
                        self.inner = inner

                    def call(self, x):
                        y = self.encode(x, training=False)
                        return self.inner(y, training=True)
            """,
        }
    )
    findings = check_paths([root], Settings(select=("KC208",))).findings
    assert [(f.path.rsplit("/", 1)[-1], f.line, "training=True" in f.message) for f in findings] == [
        ("child.py", 11, True)
    ]
