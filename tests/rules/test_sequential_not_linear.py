"""KC401 sequential-not-linear: positives and the traps that must stay quiet."""
from lintutil import lint, rule_tests

INVALID = {
    "merge layer after a Dense in a literal": """
        import keras
        from keras import layers

        model = keras.Sequential([layers.Dense(4), layers.Concatenate()])
    """,
    "merge layer after keras.Input": """
        import keras

        model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Add()])
    """,
    "two-input layer, tf.keras spelling, layers= keyword": """
        import tensorflow as tf

        model = tf.keras.models.Sequential(layers=[tf.keras.layers.Dense(8), tf.keras.layers.Attention()])
    """,
    "merge layer added with .add()": """
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense, Multiply

        model = Sequential()
        model.add(Dense(4, input_shape=(3,)))
        model.add(Multiply())
    """,
    "merge layer added after a literal stack": """
        import tf_keras as keras

        model = keras.Sequential([keras.layers.Dense(4)])
        model.add(keras.layers.Dot(axes=1))
    """,
    "merge layer added in a loop after a certain layer": """
        from keras import Sequential
        from keras.layers import Dense, Add

        model = Sequential([Dense(4)])
        for _ in range(2):
            model.add(Add())
    """,
    "Sequential fit on a list of two inputs": """
        import keras
        from keras import layers

        model = keras.Sequential([layers.Dense(1)])
        model.compile("sgd", "mse")
        model.fit([x1, x2], y)
    """,
    "Sequential called on a list of two inputs": """
        import keras

        model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
        out = model([a, b])
    """,
    "predict with x= keyword": """
        from tensorflow import keras

        model = keras.Sequential()
        model.add(keras.layers.Dense(1))
        model.predict(x=[a, b, c])
    """,
    "inside a function": """
        import keras

        def train(x1, x2, y):
            model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1)])
            model.fit([x1, x2], y, epochs=3)
    """,
}

VALID = {
    "a merge layer first, fed one list (legal)": """
        import keras
        from keras import layers

        model = keras.Sequential([layers.Concatenate(), layers.Dense(1)])
        model.fit([x1, x2], y)
        out = model([a, b])
    """,
    "a merge layer first via .add()": """
        import keras

        model = keras.Sequential()
        model.add(keras.layers.Add())
        model.add(keras.layers.Dense(1))
        model.fit([x1, x2], y)
    """,
    "a Lambda that returns a list before the merge": """
        import keras

        model = keras.Sequential([keras.layers.Lambda(lambda x: [x, x * 2]), keras.layers.Add()])
    """,
    "an RNN returning its states before the merge": """
        import keras

        model = keras.Sequential([keras.layers.LSTM(4, return_state=True), keras.layers.Concatenate()])
    """,
    "an in-tree or unknown layer before the merge (may return a list)": """
        import keras

        class Split(keras.layers.Layer):
            def call(self, x):
                return [x, x]

        model = keras.Sequential([Split(), keras.layers.Add()])
        other = keras.Sequential([make_block(), keras.layers.Add()])
    """,
    "starred layers before the merge (may be empty)": """
        import keras

        model = keras.Sequential([*blocks, keras.layers.Add()])
    """,
    "a conditional first layer": """
        import keras

        model = keras.Sequential()
        if use_dense:
            model.add(keras.layers.Dense(3))
        model.add(keras.layers.Add())
    """,
    "layers from a variable: first layer unknown": """
        import keras

        model = keras.Sequential(blocks)
        model.fit([x1, x2], y)
    """,
    "a Lambda first takes the list": """
        import keras

        model = keras.Sequential([keras.layers.Lambda(lambda xs: xs[0] + xs[1]), keras.layers.Dense(1)])
        model.fit([x1, x2], y)
    """,
    "the name rebound to a functional model": """
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        model = keras.Model([in1, in2], out)
        model.fit([x1, x2], y)
    """,
    "another scope's name": """
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])

        def train(model):
            model.fit([x1, x2], y)
    """,
    "one-element list, a tuple, a name": """
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit([x], y)
        model.fit(inputs, y)
        model.fit((x, y))
    """,
    "a functional model with merge layers": """
        import keras
        from keras import layers

        a = keras.Input(shape=(3,))
        b = keras.Input(shape=(3,))
        merged = layers.Concatenate()([a, b])
        model = keras.Model([a, b], layers.Dense(1)(merged))
        model.fit([x1, x2], y)
    """,
    "merge layers in a list that is not a Sequential": """
        import keras

        blocks = [keras.layers.Dense(4), keras.layers.Add()]
        pipeline = make_pipeline([keras.layers.Dense(4), keras.layers.Concatenate()])
    """,
    "a list of literal samples is one batch of data, not several inputs": """
        import keras

        model = keras.Sequential([keras.Input(shape=(1,), dtype="string"), keras.layers.StringLookup()])
        model.fit(x=["red", "green", "blue"], y=[0.0, 1.0, 2.0])
        model.predict([[1.5, 2.0], [-3, 4]])
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC401", INVALID, VALID)


def test_reports_each_misplaced_layer_at_the_layer():
    code = """\
import keras
from keras import layers

model = keras.Sequential([layers.Dense(4), layers.Add(), layers.Dense(4), layers.Subtract()])
"""
    found = lint(code, ("KC401",))
    assert [(f.line, f.column) for f in found] == [(4, 44), (4, 75)]
    assert found[0].message.startswith("Add after Dense inside a Sequential: ")
    assert "Add receives the single output of Dense" in found[0].help


def test_cross_file_layer_before_merge_is_unknown(project):
    """An in-tree layer may return a list, so a merge after it is not flagged."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "blocks.py": """
                import keras

                class Pair(keras.layers.Layer):
                    def call(self, x):
                        return [x, x]
            """,
            "model.py": """
                import keras
                from blocks import Pair

                model = keras.Sequential([Pair(), keras.layers.Add()])
            """,
        }
    )
    assert check_paths([root], Settings(select=("KC401",))).findings == []
