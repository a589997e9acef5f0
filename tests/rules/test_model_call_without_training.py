"""KC210 model-call-without-training: positives and the traps that must stay quiet."""
from lintutil import assert_triggers, rule_tests

INVALID = {
    "a custom train_step that runs self(...) without training": """
        import tensorflow as tf
        from tensorflow import keras

        class Learner(keras.Model):
            def __init__(self):
                super().__init__()
                self.encoder = keras.Sequential([keras.layers.Dense(8), keras.layers.BatchNormalization()])

            def call(self, inputs):
                return self.encoder(inputs)

            def train_step(self, data):
                with tf.GradientTape() as tape:
                    features = self(data)
                return {}
    """,
    "the tutorial's model with Dropout, `import keras`": """
        import keras

        class MyModel(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(64, activation="relu")
                self.dropout = keras.layers.Dropout(0.5)
                self.out = keras.layers.Dense(10)

            def call(self, inputs):
                x = self.dense(inputs)
                x = self.dropout(x)
                return self.out(x)
    """,
    "BatchNormalization, `from tensorflow import keras`": """
        from tensorflow import keras

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.conv = keras.layers.Conv2D(8, 3)
                self.bn = keras.layers.BatchNormalization()

            def call(self, x):
                return self.bn(self.conv(x))
    """,
    "Dropout inside a Sequential, tf.keras.Model": """
        import tensorflow as tf

        class Head(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.mlp = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.Dropout(0.2)])

            def call(self, x):
                return self.mlp(x)
    """,
    "`from keras.models import Model`, layers imported by name": """
        from keras.models import Model
        from keras.layers import Dense, GaussianNoise

        class Denoiser(Model):
            def __init__(self):
                super().__init__()
                self.noise = GaussianNoise(0.1)
                self.dense = Dense(4)

            def call(self, x):
                return self.dense(self.noise(x))
    """,
    "**kwargs does not count as a training parameter": """
        import keras

        class KwModel(keras.Model):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.1)

            def call(self, inputs, **kwargs):
                return self.drop(inputs, **kwargs)
    """,
    "an in-tree block that holds a Dropout": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.dense = keras.layers.Dense(4)
                self.drop = keras.layers.Dropout(0.1)

            def call(self, x):
                return self.drop(self.dense(x))

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.blocks = [Block() for _ in range(3)]

            def call(self, x):
                for block in self.blocks:
                    x = block(x)
                return x
    """,
    "an in-tree layer whose call takes training": """
        import keras

        class StochasticDepth(keras.layers.Layer):
            def call(self, x, training=None):
                return x if not training else x * 0.9

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.drop_path = StochasticDepth()

            def call(self, x):
                return self.drop_path(x)
    """,
    "training-sensitive layers inherited from an in-tree base": """
        import keras

        class Base(keras.Model):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.3)

        class Classifier(Base):
            def call(self, x):
                return self.drop(x)
    """,
    "Dropout built by a module-level factory function of the file": """
        import keras
        from keras import layers

        def create_ffn(units, rate):
            return keras.Sequential([layers.Dense(units), layers.Dropout(rate)])

        def create_head(units, rate):
            return create_ffn(units, rate)

        class Perceiver(keras.Model):
            def __init__(self):
                super().__init__()
                self.head = create_head(10, 0.1)

            def call(self, inputs):
                return self.head(inputs)
    """,
    "a Model mixing in an in-tree Layer that owns a BatchNormalization": """
        import keras

        class Features(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.bn = keras.layers.BatchNormalization()

        class Net(Features, keras.Model):
            def call(self, x):
                return self.bn(x)
    """,
    "a call pinning training on one layer but not on the BatchNormalization": """
        import keras

        class Finetune(keras.Model):
            def __init__(self, backbone):
                super().__init__()
                self.backbone = backbone
                self.bn = keras.layers.BatchNormalization()

            def call(self, x):
                return self.bn(self.backbone(x, training=False))
    """,
}

VALID = {
    # Lookup.call takes `training` only to hand it to a helper method that ignores it:
    # nothing in the model behaves differently in training.
    "training handed to a helper that ignores it": """
        import keras

        class Lookup(keras.layers.Layer):
            def call(self, ids, training=False):
                return self._lookup(ids, training=training)

            def _lookup(self, ids, training=False):
                return keras.ops.one_hot(ids, 8)

        class Ranker(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.lookup = Lookup()
                self.head = keras.layers.Dense(1)

            def call(self, ids):
                return self.head(self.lookup(ids))
    """,
    # A train_step that calls self(x, training=True) hands the flag to the layers itself:
    # measured on Keras 3.15, BatchNormalization updates and Dropout drops.
    "a custom train_step that runs self(..., training=True)": """
        import tensorflow as tf
        from tensorflow import keras

        class Learner(keras.Model):
            def __init__(self):
                super().__init__()
                self.encoder = keras.Sequential([keras.layers.Dense(8), keras.layers.BatchNormalization()])

            def call(self, inputs):
                return self.encoder(inputs)

            def train_step(self, data):
                with tf.GradientTape() as tape:
                    features = self(data, training=True)
                return {}
    """,
    # Keras 2 sets the learning phase globally: fit() trains these layers (measured).
    "Keras 2 (tf_keras), SpatialDropout2D": """
        import tf_keras as keras

        class Old(keras.Model):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.SpatialDropout2D(0.1)

            def call(self, x):
                return self.drop(x)
    """,
    "call declares training": """
        import keras

        class MyModel(keras.Model):
            def __init__(self):
                super().__init__()
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, inputs, training=None):
                return self.dropout(inputs, training=training)
    """,
    "keyword-only training": """
        import keras

        class MyModel(keras.Model):
            def __init__(self):
                super().__init__()
                self.bn = keras.layers.BatchNormalization()

            def call(self, inputs, *, training=False):
                return self.bn(inputs, training=training)
    """,
    "a model without training-sensitive layers": """
        import keras

        class Plain(keras.Model):
            def __init__(self):
                super().__init__()
                self.dense = keras.layers.Dense(4)
                self.norm = keras.layers.LayerNormalization()

            def call(self, x):
                return self.norm(self.dense(x))
    """,
    "a Layer (not a Model): the call context propagates training (KC207)": """
        import keras

        class Block(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, x):
                return self.dropout(x)
    """,
    "functional-construction subclass: no call of its own": """
        import keras

        class FunctionalNet(keras.Model):
            def __init__(self, **kwargs):
                inputs = keras.Input(shape=(8,))
                x = keras.layers.Dense(8)(inputs)
                outputs = keras.layers.Dropout(0.5)(x)
                super().__init__(inputs=inputs, outputs=outputs, **kwargs)
    """,
    "Sequential subclass: Sequential.call takes training": """
        import keras

        class Stack(keras.Sequential):
            def __init__(self):
                super().__init__([keras.layers.Dense(4), keras.layers.Dropout(0.2)])
    """,
    "a model with only train_step (no call)": """
        import keras

        class GAN(keras.Model):
            def __init__(self, generator, discriminator):
                super().__init__()
                self.generator = generator
                self.discriminator = discriminator
                self.noise = keras.layers.GaussianNoise(0.1)

            def train_step(self, data):
                return {}
    """,
    "call pins training on every sensitive sub-layer (an inference path)": """
        import keras

        class Stage(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.1)

            def call(self, x, training=False):
                return self.drop(x, training=training)

        class ShiftNet(keras.Model):
            def __init__(self):
                super().__init__()
                self.stages = [Stage() for _ in range(2)]

            def _loss(self, x, training=False):
                for stage in self.stages:
                    x = stage(x, training=training)
                return x

            def call(self, images):
                x = images
                for stage in self.stages:
                    x = stage(x, training=False)
                return x
    """,
    "a GAN whose train_step trains the sub-models directly, never through call()": """
        import keras
        from keras import layers

        def downsample(filters):
            return keras.Sequential([layers.Conv2D(filters, 3), layers.Dropout(0.5)])

        class GAN(keras.Model):
            def __init__(self):
                super().__init__()
                self.discriminator = downsample(64)
                self.generator = keras.Sequential([layers.Dense(8), layers.BatchNormalization()])

            def train_step(self, data):
                fake = self.generator(data, training=True)
                return {"d": self.discriminator(fake, training=True)}

            def call(self, inputs):
                return self.generator(inputs)
    """,
    "a subclass inheriting a call that declares training": """
        import keras

        class Base(keras.Model):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.3)

            def call(self, x, training=None):
                return self.drop(x, training=training)

        class Child(Base):
            def __init__(self):
                super().__init__()
                self.bn = keras.layers.BatchNormalization()
    """,
    "a layer with an ungated raw dropout is not training-sensitive (KC201's business)": """
        import keras

        class MyDropout(keras.layers.Layer):
            def call(self, x):
                return keras.random.dropout(x, 0.5)

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.dp = MyDropout()

            def call(self, x):
                return self.dp(x)
    """,
    "not a Keras class": """
        import keras

        class Wrapper:
            def __init__(self):
                self.drop = keras.layers.Dropout(0.1)

            def call(self, x):
                return self.drop(x)
    """,
    "a sub-layer declares training but never reads it (a task/loss layer)": """
        import keras

        class RankingTask(keras.layers.Layer):
            def call(self, labels, predictions, training=False):
                return keras.ops.mean(keras.ops.square(labels - predictions))

        class Recommender(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.task = RankingTask()
                self.score = keras.layers.Dense(1)

            def call(self, features):
                return self.score(features)
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC210", INVALID, VALID)


def test_reported_at_call_with_keras_3_consequence():
    [finding] = assert_triggers("KC210", INVALID["the tutorial's model with Dropout, `import keras`"], line=11)
    assert "training" in finding.message and "Keras 3" in finding.message
    assert "`Dropout`" in finding.message
    assert "BatchNormalization never updates its moving statistics" in finding.help


def test_inherited_model_is_reported_once():
    """A subclass that inherits the offending call is not reported again."""
    assert_triggers(
        "KC210",
        """
        import keras

        class Base(keras.Model):
            def __init__(self):
                super().__init__()
                self.drop = keras.layers.Dropout(0.3)

            def call(self, x):
                return self.drop(x)

        class Child(Base):
            pass
        """,
        line=9,
    )


def _run(root):
    from kerascheck import check_paths
    from kerascheck.config import Settings

    return check_paths([root], Settings(select=("KC210",))).findings


def test_cross_file_block_with_dropout(project):
    """The Dropout sits in a block defined in another file of the tree."""
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/blocks.py": """
                from tensorflow import keras

                class ResidualBlock(keras.layers.Layer):
                    def __init__(self, **kwargs):
                        super().__init__(**kwargs)
                        self.conv = keras.layers.Conv2D(8, 3, padding="same")
                        self.bn = keras.layers.BatchNormalization()

                    def call(self, x):
                        return x + self.bn(self.conv(x))
            """,
            "pkg/model.py": """
                from tensorflow import keras
                from pkg.blocks import ResidualBlock

                class ResNet(keras.Model):
                    def __init__(self, **kwargs):
                        super().__init__(**kwargs)
                        self.block = ResidualBlock()

                    def call(self, x):
                        return self.block(x)
            """,
        }
    )
    assert [(f.path.endswith("model.py"), f.line) for f in _run(root)] == [(True, 10)]


def test_cross_file_inherited_layers_and_call(project):
    """Dropout from an in-tree base Model in another file; the subclass defines call."""
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                import keras

                class Base(keras.Model):
                    def __init__(self, **kwargs):
                        super().__init__(**kwargs)
                        self.drop = keras.layers.Dropout(0.2)
            """,
            "pkg/heads.py": """
                from .base import Base

                class Head(Base):
                    def call(self, x):
                        return self.drop(x)
            """,
        }
    )
    assert [(f.path.endswith("heads.py"), f.line) for f in _run(root)] == [(True, 5)]


def test_cross_file_plain_block_is_quiet(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/blocks.py": """
                import keras

                class Block(keras.layers.Layer):
                    def __init__(self):
                        super().__init__()
                        self.dense = keras.layers.Dense(4)

                    def call(self, x):
                        return self.dense(x)
            """,
            "pkg/model.py": """
                import keras
                from pkg import blocks

                class Net(keras.Model):
                    def __init__(self):
                        super().__init__()
                        self.block = blocks.Block()

                    def call(self, x):
                        return self.block(x)
            """,
        }
    )
    assert _run(root) == []


def test_the_fix_is_offered_only_on_the_class_that_defines_call():
    """The fix edits call(): a model that inherits its call from an in-tree base gets
    the finding on the class statement, and no fix."""
    from lintutil import lint

    source = """
        import keras

        class Base(keras.layers.Layer):
            def call(self, inputs):
                return inputs

        class Net(Base, keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dropout = keras.layers.Dropout(0.5)

        class Own(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dropout = keras.layers.Dropout(0.5)

            def call(self, inputs):
                return self.dropout(inputs)
    """
    found = sorted((finding.line, finding.fixable) for finding in lint(source, ("KC210",)))
    assert found == [(8, False), (18, True)]
