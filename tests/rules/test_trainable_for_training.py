"""KC203 trainable-for-training: positives and the traps that must stay quiet."""
from lintutil import Invalid, assert_triggers, lint, rule_tests

INVALID = {
    "calling a sub-layer with trainable=, `import keras`": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(4)

            def call(self, x):
                return self.dense(x, trainable=False)
    """,
    "functional API: a pretrained base model called with trainable=": """
        from tensorflow import keras

        base_model = keras.applications.ResNet50(weights="imagenet", include_top=False)
        inputs = keras.Input(shape=(224, 224, 3))
        x = base_model(inputs, trainable=False)
    """,
    "a call of a call: `Dense(3)(x, trainable=False)`": """
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(8,))
        x = tf.keras.layers.Dense(3)(inputs, trainable=False)
    """,
    "a local bound to a layer inside a function, `from keras.layers import ...`": """
        from keras.layers import Dense, Input

        def build():
            inputs = Input(shape=(8,))
            layer = Dense(3)
            return layer(inputs, trainable=False)
    """,
    "a layer taken from model.layers": Invalid("""
        import tf_keras as keras

        def freeze(model, x):
            for layer in model.layers:
                x = layer(x, trainable=False)
            return model.layers[0](x, trainable=False)
    """, count=2),
    "a Sequential built in the class": """
        import tensorflow as tf

        class Net(tf.keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.body = tf.keras.Sequential([tf.keras.layers.Dense(4)])

            def call(self, x):
                return self.body(x, trainable=True)
    """,
    "call() parameter named trainable": """
        from keras.layers import Layer

        class Block(Layer):
            def call(self, inputs, trainable=False):
                return inputs
    """,
    "training= fed from self.trainable": """
        import tensorflow as tf
        from tensorflow.keras import layers

        class Block(layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.bn = layers.BatchNormalization()

            def call(self, x):
                return self.bn(x, training=self.trainable)
    """,
    "training= fed from a function argument named trainable (keras-io simsiam)": """
        import tensorflow as tf

        def get_eval_model(backbone, trainable=True):
            inputs = tf.keras.layers.Input((96, 96, 3))
            return backbone(inputs, training=trainable)
    """,
    "training= fed from `not backbone_trainable`": """
        import keras

        def head(backbone, x, backbone_trainable):
            return backbone(x, training=not backbone_trainable)
    """,
    "trainable= fed from training": """
        import keras

        class Block(keras.layers.Layer):
            def call(self, x, training=None):
                return keras.layers.Dense(3, trainable=training)(x)
    """,
    "an in-tree layer class, called": """
        import keras

        class Encoder(keras.layers.Layer):
            pass

        enc = Encoder()
        y = enc(keras.Input((3,)), trainable=False)
    """,
}

VALID = {
    "trainable= in a layer constructor": """
        import keras

        dense = keras.layers.Dense(4, trainable=False)
        emb = keras.layers.Embedding(100, 8, weights=None, trainable=False)
    """,
    "trainable= in an in-tree layer's constructor and in super().__init__": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, trainable=True, **kwargs):
                super().__init__(trainable=trainable, **kwargs)
                self.inner = Inner(trainable=trainable)

        class Inner(keras.layers.Layer):
            pass
    """,
    "layer.trainable = False": """
        from tensorflow import keras

        base_model = keras.applications.ResNet50(include_top=False)
        base_model.trainable = False
        x = base_model(keras.Input((224, 224, 3)), training=False)
    """,
    "add_weight and variables take trainable=": """
        import tensorflow as tf
        import keras

        class Scale(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(), trainable=False, name="w")
                self.step = keras.Variable(0, trainable=False)

        v = tf.Variable(0, trainable=False)
    """,
    "a user function with a trainable parameter": """
        import keras

        def create_classifier(encoder, trainable=True):
            encoder.trainable = trainable
            return encoder

        model = create_classifier(keras.Sequential(), trainable=False)
    """,
    "self attribute that is not a layer": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self, make_weight, **kwargs):
                super().__init__(**kwargs)
                self.make_weight = make_weight

            def build(self, input_shape):
                self.w = self.make_weight(input_shape, trainable=True)
    """,
    "training= fed from the call's own flag": """
        import keras

        class Block(keras.layers.Layer):
            def call(self, x, training=None):
                return self.bn(x, training=training)
    """,
    "call() parameter `training` (not trainable) in a non-Keras class": """
        class Runner:
            def call(self, x, trainable=False):
                return x
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC203", INVALID, VALID)


def test_reported_at_the_keyword():
    found = assert_triggers("KC203", INVALID["calling a sub-layer with trainable=, `import keras`"])
    assert (found[0].line, found[0].column) == (10, 30)


def test_cross_file_layer_class(project):
    """A layer class defined in another file: constructing it is fine, calling it is not."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/blocks.py": """
                from tensorflow import keras

                class Block(keras.layers.Layer):
                    pass
            """,
            "pkg/model.py": """
                from tensorflow import keras
                from pkg.blocks import Block

                class Net(keras.Model):
                    def __init__(self, **kwargs):
                        super().__init__(**kwargs)
                        self.block = Block(trainable=False)

                    def call(self, x):
                        return self.block(x, trainable=False)
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC203",)))
    assert [(f.code, f.path.endswith("model.py"), f.line) for f in result.findings] == [("KC203", True, 11)]


def test_the_message_says_what_happens_for_the_callee_and_the_file_s_keras():
    """Measured (tests/affects_cases.py, KC203): a layer raises TypeError on both; a
    Sequential raises on Keras 2 and, on Keras 3, raises on a keras.Input but ignores the
    argument on data; a callee of unknown kind gets both outcomes."""
    from lintutil import lint

    [layer] = lint(INVALID["calling a sub-layer with trainable=, `import keras`"], ("KC203",), target_keras="3")
    assert "raises TypeError" in layer.message and "ignored" not in layer.message + layer.help
    assert "unexpected keyword argument 'trainable'" in layer.help
    sequential = INVALID["a Sequential built in the class"]
    [on3] = lint(sequential, ("KC203",), target_keras="3")
    assert "TypeError on a keras.Input, ignored on data" in on3.message
    assert "silently ignored when the model is called on data" in on3.help
    [on2] = lint(sequential, ("KC203",), target_keras="2")
    assert "raises TypeError" in on2.message and "ignored" not in on2.message + on2.help
    unknown = lint(INVALID["a layer taken from model.layers"].code, ("KC203",), target_keras="3")
    assert unknown and all("TypeError, or ignored by a model called on data" in f.message for f in unknown)
    assert all("on a layer, or on a model called on a keras.Input" in f.help for f in unknown)


def test_training_fed_from_trainable_while_building_a_functional_model():
    """Keras 3 hands predict()'s training=False through the graph (only a plain model(x)
    call is affected); Keras 2 keeps training=True baked in (both measured)."""
    code = """
        import keras

        def build(backbone, trainable=True):
            inputs = keras.Input((4,))
            return keras.Model(inputs, backbone(inputs, training=trainable))
    """
    [on3] = lint(code, ("KC203",), target_keras="3")
    assert "a plain model(x) call runs the layer in training mode" in on3.message
    assert "predict() and evaluate() pass training=False through and are not affected" in on3.help
    [on2] = lint(code, ("KC203",), target_keras="2")
    assert "the layer then runs in training mode" in on2.message
    assert "in predict(), evaluate() and a plain model(x) call" in on2.help
