"""KC402 input-shape-not-tuple: positives and the traps that must stay quiet."""
from lintutil import lint, rule_tests

INVALID = {
    "keras.Input(shape=3)": """
        import keras

        inputs = keras.Input(shape=3)
    """,
    "keras.Input(3), positional": """
        import keras

        inputs = keras.Input(3)
    """,
    "shape=(3): parentheses without a comma (keras-io mpnn, stylegan)": """
        from tensorflow.keras import layers

        alpha = layers.Input(shape=(1), name="g_alpha")
    """,
    "Input((2)) positional, tf.keras": """
        import tensorflow as tf

        pairs = tf.keras.layers.Input((2), dtype="int32")
    """,
    "batch_shape int": """
        from keras import Input

        x = Input(batch_shape=8)
    """,
    "InputLayer(input_shape=3), Keras 2 spelling": """
        from tensorflow.keras.layers import InputLayer

        layer = InputLayer(input_shape=3)
    """,
    "InputLayer(shape=3), Keras 3 spelling": """
        import keras

        layer = keras.layers.InputLayer(shape=3)
    """,
    "InputLayer(3), positional": """
        from keras.layers import InputLayer

        layer = InputLayer(3)
    """,
    "input_shape=3 in a Dense": """
        import keras
        from keras import layers

        model = keras.Sequential([layers.Dense(4, input_shape=3), layers.Dense(1)])
    """,
    "input_shape=X.shape[1] (a NumPy int)": """
        import numpy as np
        import tf_keras as keras

        x_train = np.zeros((10, 4))
        model = keras.Sequential([keras.layers.Dense(4, input_shape=(x_train.shape[1]))])
    """,
    "input_shape=len(features)": """
        from tensorflow import keras

        features = ["a", "b"]
        model = keras.Sequential([keras.layers.Dense(4, input_shape=len(features))])
    """,
    "a module-level int constant": """
        import keras

        INPUT_DIM = 784
        inputs = keras.Input(shape=INPUT_DIM)
    """,
    "batch_input_shape int in a layer": """
        from tensorflow.keras.layers import LSTM

        rnn = LSTM(4, batch_input_shape=16, stateful=True)
    """,
    "a float": """
        import keras

        inputs = keras.Input(shape=3.0)
    """,
}

VALID = {
    # Keras 2 wraps an int given to Input (measured on tf_keras 2.21).
    "Input(shape=3) on Keras 2": """
        import tf_keras as keras

        inputs = keras.Input(shape=3)
    """,
    "tuples and lists": """
        import keras
        from keras import layers

        a = keras.Input(shape=(3,))
        b = keras.Input(shape=[3])
        c = keras.Input((None, 3))
        d = layers.Dense(4, input_shape=(3,))
        e = layers.InputLayer(input_shape=[28, 28])
        f = keras.Input(batch_shape=(8, 3))
    """,
    "names bound to tuples": """
        import keras

        SHAPE = (3,)
        image_size = (180, 180)
        a = keras.Input(shape=SHAPE)
        b = keras.Input(shape=image_size + (3,))
    """,
    "slices of a shape are tuples": """
        import numpy as np
        import keras

        x = np.zeros((4, 5))
        a = keras.Input(shape=x.shape[1:])
        b = keras.Input(shape=(x.shape[1],))
    """,
    "a name that is an int only sometimes (parameter shadows the constant)": """
        import keras

        DIM = 3

        def build(DIM):
            return keras.Input(shape=DIM)
    """,
    "a module-level name assigned twice": """
        import keras

        dim = 3
        if wide:
            dim = (3, 4)
        inputs = keras.Input(shape=dim)
    """,
    "a parameter or variable: unknown": """
        import keras

        def build(atom_dim, input_shape):
            a = keras.Input((atom_dim), dtype="float32")
            b = keras.layers.Dense(4, input_shape=input_shape)
            return a, b
    """,
    "shape=None and other calls": """
        import keras

        a = keras.Input(shape=None, tensor=t)
        b = keras.layers.Reshape(3)
        c = keras.layers.Dense(3)
        d = some_function(shape=3)
        e = keras.ops.zeros(shape=3)
    """,
    "input_shape on something that is not a Keras layer": """
        def make_model(input_shape, num_classes):
            pass

        model = make_model(input_shape=512, num_classes=2)
    """,
    "an in-tree layer with its own input_shape parameter": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, input_shape, **kwargs):
                super().__init__(**kwargs)
                self.size = input_shape

        block = Block(input_shape=3)
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC402", INVALID, VALID)


def test_message_quotes_the_keras_error_and_the_fix():
    [finding] = lint("import keras\n\ninputs = keras.Input(shape=(784))\n", ("KC402",))
    assert (finding.line, finding.column, finding.end_column) == (3, 29, 32)
    assert finding.message.startswith("`shape=(784)` passes a number where a shape tuple is needed (no comma")
    assert "Cannot convert '784' to a shape" in finding.help
    assert "write shape=(784,)" in finding.help


def test_cross_file_constant_is_not_followed(project):
    """Only constants of the module itself count: an imported int is not known."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "config.py": "DIM = 3\n",
            "model.py": """
                import keras
                from config import DIM

                inputs = keras.Input(shape=DIM)
            """,
        }
    )
    assert check_paths([root], Settings(select=("KC402",))).findings == []
