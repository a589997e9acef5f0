"""KC406 sequential-io-before-build: positives and the traps that must stay quiet, per target."""
from lintutil import Invalid, assert_clean, assert_triggers, rule_tests

INVALID = {
    "model.inputs of a Sequential with no input, `import keras`": """
        import keras

        model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
        features = keras.Model(model.inputs, model.outputs)
    """,
    "a layer's output through get_layer, `from tensorflow import keras`": """
        from tensorflow import keras

        model = keras.Sequential([keras.layers.Dense(4, name="hidden"), keras.layers.Dense(1)])
        hidden = model.get_layer("hidden").output
    """,
    "indexed layers, `from keras.models import Sequential`": """
        from keras.layers import Dense
        from keras.models import Sequential

        model = Sequential([Dense(4), Dense(1)])
        first = model.layers[0].output
    """,
    "a comprehension over the layers": """
        import keras

        model = keras.Sequential([keras.layers.Conv2D(8, 3), keras.layers.Flatten(), keras.layers.Dense(1)])
        outputs = [layer.output for layer in model.layers]
    """,
    "a for loop with enumerate": """
        import keras

        model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
        for index, layer in enumerate(model.layers):
            print(index, layer.output)
    """,
    "layers added one by one, compile and summary in between": """
        import keras

        model = keras.Sequential()
        model.add(keras.layers.Dense(4))
        model.add(keras.layers.Dense(1))
        model.compile(optimizer="adam", loss="mse")
        model.summary()
        print(model.outputs)
    """,
    "inside a function": """
        import keras

        def feature_extractor():
            model = keras.Sequential([keras.layers.Dense(4, name="hidden"), keras.layers.Dense(1)])
            return keras.Model(model.inputs, model.get_layer("hidden").output)
    """,
    "two statements, `import tf_keras`": Invalid("""
        import tf_keras

        model = tf_keras.Sequential([tf_keras.layers.Dense(4), tf_keras.layers.Dense(1)])
        first = model.layers[0].output
        probe = tf_keras.Model(model.inputs, first)
    """, count=2),
}

VALID = {
    "keras.Input first": """
        import keras

        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(1)])
        features = keras.Model(model.inputs, model.layers[0].output)
    """,
    "input_shape on the first layer": """
        import keras

        model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,)), keras.layers.Dense(1)])
        features = keras.Model(model.inputs, model.outputs)
    """,
    "input_dim on the first layer": """
        import keras

        model = keras.Sequential()
        model.add(keras.layers.Dense(4, input_dim=3))
        print(model.outputs)
    """,
    "an InputLayer added first": """
        import keras

        model = keras.Sequential()
        model.add(keras.layers.InputLayer(shape=(3,)))
        model.add(keras.layers.Dense(1))
        print(model.outputs)
    """,
    "built first": """
        import keras

        model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
        model.build((None, 3))
        features = keras.Model(model.inputs, model.outputs)
    """,
    "called on a keras.Input first": """
        import keras

        model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
        model(keras.Input((3,)))
        features = keras.Model(model.inputs, model.layers[0].output)
    """,
    "fit first": """
        import keras

        def train(x, y):
            model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
            model.compile(optimizer="adam", loss="mse")
            model.fit(x, y)
            return [layer.output for layer in model.layers]
    """,
    "passed to a function that may build it": """
        import keras

        model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
        train(model)
        print(model.outputs)
    """,
    "a layer list held in a variable": """
        import keras

        layers = [keras.layers.Dense(4), keras.layers.Dense(1)]
        model = keras.Sequential(layers)
        print(model.outputs)
    """,
    "a pretrained model as its first layer": """
        import keras

        base = keras.applications.MobileNetV2(include_top=False)
        model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D()])
        print(model.outputs)
    """,
    "rebound to another model": """
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        model = keras.models.load_model("model.keras")
        print(model.inputs)
    """,
    "the Sequential's own .input is KC518's": """
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        print(model.input)
    """,
    "another scope's model": """
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])

        def show(model):
            return model.outputs
    """,
}

test_triggers, test_does_not_trigger = rule_tests("KC406", INVALID, VALID)

EMBEDDING = """
    import keras

    model = keras.Sequential([keras.layers.Embedding(100, 8, input_length=10), keras.layers.Dense(1)])
    print(model.inputs)
"""


def test_embedding_input_length_gives_an_input_on_keras2_only():
    """Keras 3 ignores `input_length` (KC514), so the model has no input there (measured)."""
    assert_triggers("KC406", EMBEDDING, target_keras="3")
    assert_clean("KC406", EMBEDDING, target_keras="2")


def test_the_message_says_what_each_keras_does():
    code = INVALID["model.inputs of a Sequential with no input, `import keras`"]
    keras3 = assert_triggers("KC406", code, target_keras="3")  # one finding for the statement
    keras2 = assert_triggers("KC406", code, target_keras="2")
    assert keras3[0].message.endswith("on Keras 3, it raises AttributeError")
    assert "has no defined inputs yet" in keras3[0].help
    assert "it is None until the model is built" in keras2[0].message
