"""KC101 tf-variable-in-layer: positives and the traps that must stay quiet."""
import textwrap

from lintutil import lint, rule_tests

INVALID = {
    "attribute in __init__ (the tutorial's Linear)": """
        import tensorflow as tf
        from tensorflow import keras

        class Linear(keras.layers.Layer):
            def __init__(self, units=32, input_dim=32, **kwargs):
                super().__init__(**kwargs)
                w_init = tf.random_normal_initializer()
                self.w = tf.Variable(initial_value=w_init(shape=(input_dim, units)), trainable=True)
    """,
    "attribute in build, `import keras`, Variable imported by name": """
        import keras
        from tensorflow import Variable

        class Scale(keras.layers.Layer):
            def build(self, input_shape):
                self.scale = Variable(1.0)
    """,
    "appended to a self list": """
        import tensorflow as tf

        class Stack(tf.keras.layers.Layer):
            def build(self, input_shape):
                self.ws = []
                for i in range(3):
                    self.ws.append(tf.Variable(tf.zeros((4, 4))))
    """,
    "stored in a self dict": """
        import tensorflow as tf
        from tensorflow.keras import layers as L

        class Table(L.Layer):
            def build(self, input_shape):
                self.table = {}
                self.table["a"] = tf.Variable(0.0)
    """,
    "bound to a local, then stored": """
        import tensorflow as tf

        class Counter(tf.keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                step = tf.Variable(0, trainable=False)
                self.step = step
    """,
    "list comprehension on self": """
        import tensorflow as tf

        class Many(tf.keras.layers.Layer):
            def build(self, input_shape):
                self.ws = [tf.Variable(1.0) for _ in range(2)]
    """,
    "tf_keras under a mixed-precision policy": """
        import tensorflow as tf
        import tf_keras as keras

        keras.mixed_precision.set_global_policy("mixed_float16")

        class Old(keras.layers.Layer):
            def build(self, input_shape):
                self.v = tf.Variable(1.0)
    """,
}

VALID = {
    # Keras 2 tracks a tf.Variable attribute like a weight: trained and saved (measured).
    "tf_keras spelling": """
        import tensorflow as tf
        import tf_keras as keras

        class Old(keras.layers.Layer):
            def build(self, input_shape):
                self.v = tf.Variable(1.0)
    """,
    "tf.Variable outside a Keras class (training loop)": """
        import tensorflow as tf

        step = tf.Variable(0)

        def train():
            w = tf.Variable(1.0)
            return w
    """,
    "tf.Module is not a Keras class": """
        import tensorflow as tf

        class Dense(tf.Module):
            def __init__(self):
                self.w = tf.Variable(1.0)
    """,
    "add_weight and keras.Variable": """
        import keras

        class Good(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], 4), name="w")
                self.v = keras.Variable(1.0)
    """,
    "a variable passed to something else": """
        import tensorflow as tf
        from tensorflow import keras

        class Trainer(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.ckpt = tf.train.Checkpoint(step=tf.Variable(1))
    """,
    "a local variable never stored": """
        import tensorflow as tf
        from tensorflow import keras

        class Noisy(keras.layers.Layer):
            def call(self, inputs):
                scratch = tf.Variable(inputs)
                return inputs
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC101", INVALID, VALID)


def test_cross_file_base(project):
    """A class whose Keras base lives in another file of the tree is a Keras class."""
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
            "pkg/blocks.py": """
                import tensorflow as tf
                from .base import Base

                class Block(Base):
                    def build(self, input_shape):
                        self.w = tf.Variable(1.0)
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC101",)))
    assert [(f.code, f.path.endswith("blocks.py"), f.line) for f in result.findings] == [("KC101", True, 7)]


def test_the_message_names_the_keras_it_is_true_on():
    code = """
        import tensorflow as tf
        from tensorflow import keras

        class Scale(keras.layers.Layer):
            def build(self, input_shape):
                self.w = tf.Variable(1.0)
    """
    [finding] = lint(code, ("KC101",))
    assert finding.message == (
        "tf.Variable 'w' on a layer: on Keras 3 (unpinned), it is not in layer.weights, not trained by "
        "fit() and not saved"
    )
    # the help goes on from the message: what to write instead
    assert finding.help == ("create it with self.add_weight(...): Keras tracks, trains and saves "
                            "the weights it creates, and casts them under mixed precision")
    assert lint(code, ("KC101",), target_keras="2") == []


def test_the_fix_names_the_weight_after_the_variable():
    """The weight keeps the variable's name: the one the call gives, else the attribute
    it is stored in; a variable kept in a container has no name of its own."""
    from kerascheck.api import fix_source
    from kerascheck.config import Settings

    source = textwrap.dedent("""\
        import tensorflow as tf
        from tensorflow import keras


        class Linear(keras.layers.Layer):
            def build(self, input_shape):
                self.w = tf.Variable(tf.zeros((3,)), name="kernel")
                self.b = tf.Variable(tf.zeros((3,)))
                self.scale: tf.Variable = tf.Variable(1.0)
                g = tf.Variable(tf.ones((3,)))
                self.g = g
                self.extra = [tf.Variable(tf.zeros((3,)))]
        """)
    fixed, left, errors = fix_source(source, config=Settings(select=("KC101",)), unsafe=True)
    assert errors == [] and left == []
    body = fixed.split("def build(self, input_shape):\n", 1)[1]
    assert body == textwrap.indent(textwrap.dedent("""\
        self.w = self.add_weight(shape=(3,), initializer="zeros", name="kernel")
        self.b = self.add_weight(shape=(3,), initializer="zeros", name="b")
        self.scale: tf.Variable = self.add_weight(shape=(), initializer="ones", name="scale")
        g = self.add_weight(shape=(3,), initializer="ones", name="g")
        self.g = g
        self.extra = [self.add_weight(shape=(3,), initializer="zeros")]
        """), " " * 8)
