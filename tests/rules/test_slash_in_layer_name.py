"""KC405 slash-in-layer-name: positives and the traps that must stay quiet, per target."""
from lintutil import Invalid, assert_clean, assert_triggers, lint, rule_tests

from kerascheck.api import fix_source
from kerascheck.config import Settings

INVALID = {
    "a built-in layer, `import keras`": """
        import keras

        dense = keras.layers.Dense(4, name="block1/dense")
    """,
    "keras.Input, `from tensorflow import keras`": """
        from tensorflow import keras

        inputs = keras.Input((3,), name="image/input")
    """,
    "keras.Model and Sequential, `from keras.models import ...`": Invalid("""
        from keras.models import Model, Sequential
        from keras.layers import Dense, Input

        inputs = Input((3,))
        tower = Model(inputs, Dense(1)(inputs), name="towers/a")
        head = Sequential([Dense(1)], name="heads/regression")
    """, count=2),
    "an f-string's text": """
        from keras import layers

        def stage(x, index):
            return layers.Conv2D(8, 3, name=f"stage{index}/conv")(x)
    """,
    "a concatenation": """
        import keras

        def norm(prefix):
            return keras.layers.LayerNormalization(name=prefix + "/norm")
    """,
    "a %-format": """
        import keras

        layers = [keras.layers.Dense(4, name="layer_%d/dense" % i) for i in range(3)]
    """,
    "a .format() string": """
        import keras

        def head(task):
            return keras.layers.Dense(1, name="{}/logits".format(task))
    """,
    "super().__init__(name=...) in a layer": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(name="blocks/block", **kwargs)
    """,
    "add_weight(name=...)": """
        import keras

        class Scale(keras.layers.Layer):
            def build(self, input_shape):
                self.gamma = self.add_weight(name="scale/gamma", shape=(1,))
    """,
    "an in-tree layer class": """
        import keras

        class Block(keras.layers.Layer):
            pass

        block = Block(name="encoder/block_0")
    """,
    "an optimizer (measured: it validates its name too)": """
        import keras

        optimizer = keras.optimizers.Adam(name="optimizers/adam")
    """,
}

VALID = {
    "an underscore": """
        import keras

        dense = keras.layers.Dense(4, name="block1_dense")
    """,
    "a name held in a variable": """
        import keras

        scope = "block1/dense"
        dense = keras.layers.Dense(4, name=scope)
    """,
    "a metric and a loss accept it (measured)": """
        import keras

        metric = keras.metrics.Mean(name="val/loss")
        loss = keras.losses.MeanSquaredError(name="losses/mse")
    """,
    "not Keras: name scopes, tf.Variable, threads": """
        import threading
        import tensorflow as tf

        scope = tf.name_scope("encoder/block")
        variable = tf.Variable(1.0, name="encoder/scale")
        worker = threading.Thread(name="workers/0")
    """,
    "a slash inside an f-string expression": """
        import keras

        def head(total, parts):
            return keras.layers.Dense(4, name=f"head_{total / parts:.0f}")
    """,
    "tf_keras accepts it (measured)": """
        import tf_keras

        dense = tf_keras.layers.Dense(4, name="block1/dense")
    """,
}

test_triggers, test_does_not_trigger = rule_tests("KC405", INVALID, VALID)


def test_quiet_where_the_project_targets_keras2():
    for target in ("2", "2.11"):
        assert_clean("KC405", INVALID["a built-in layer, `import keras`"], target_keras=target)


def test_the_message_shows_the_name_and_the_keras3_error():
    found = assert_triggers("KC405", INVALID["a built-in layer, `import keras`"])
    assert "the name 'block1/dense' contains '/'" in found[0].message
    assert "cannot contain character `/`" in found[0].help


def test_the_unsafe_fix_replaces_the_slashes_in_the_literal_text_only():
    code = (
        "import keras\n\n"
        "def block(prefix, i):\n"
        "    a = keras.layers.Dense(4, name=f\"{prefix}/dense_{i / 2:.0f}\")\n"
        "    b = keras.layers.Dense(4, name=prefix + \"/proj\" + \"/out\")\n"
        "    return a, b\n"
    )
    fixed, findings, errors = fix_source(code, config=Settings(select=("KC405",)), unsafe=True)
    assert errors == [] and findings == []
    assert 'name=f"{prefix}_dense_{i / 2:.0f}"' in fixed
    assert 'name=prefix + "_proj" + "_out"' in fixed
    safe_only, _, _ = fix_source(code, config=Settings(select=("KC405",)), unsafe=False)
    assert safe_only == code
    assert [f.fixable for f in lint(code, ("KC405",))] == [True, True]
