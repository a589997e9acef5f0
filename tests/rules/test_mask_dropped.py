"""KC205 mask-dropped: positives and the traps that must stay quiet."""
from lintutil import assert_triggers, rule_tests

INVALID = {
    "relu then reduce_mean over a masked embedding, `from tensorflow import keras`": """
        import tensorflow as tf
        from tensorflow import keras

        class Encoder(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)

            def call(self, inputs):
                x = self.embedding(inputs)
                x = tf.nn.relu(x)
                return tf.reduce_mean(x, 1)
    """,
    "ops.mean straight over the embedding, `import keras`": """
        import keras
        from keras import ops

        class Bag(keras.Model):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)

            def call(self, inputs):
                return ops.mean(self.embedding(inputs), axis=1)
    """,
    "keras.ops.relu between the embedding and an LSTM": """
        import keras

        class Tagger(keras.Model):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)
                self.lstm = keras.layers.LSTM(8)

            def call(self, inputs):
                x = keras.ops.relu(self.embedding(inputs))
                return self.lstm(x)
    """,
    "arithmetic between Masking and a GRU, `from keras.layers import ...`": """
        from keras.layers import GRU, Layer, Masking

        class Seq(Layer):
            def __init__(self):
                super().__init__()
                self.masking = Masking(mask_value=0.0)
                self.gru = GRU(8)

            def call(self, inputs):
                x = self.masking(inputs)
                x = x * 2.0
                return self.gru(x)
    """,
    "hand-written attention (matmul + softmax), tf.keras.layers.Layer": """
        import tensorflow as tf

        class SelfAttention(tf.keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embedding = tf.keras.layers.Embedding(1000, 16, mask_zero=True)

            def call(self, inputs):
                x = self.embedding(inputs)
                scores = tf.matmul(x, x, transpose_b=True) / 4.0
                weights = tf.nn.softmax(scores, axis=-1)
                return tf.matmul(weights, x)
    """,
    "through a built-in Dense, then reduce_sum over everything": """
        import tensorflow as tf
        from tensorflow.keras import layers

        class Scorer(layers.Layer):
            def __init__(self):
                super().__init__()
                self.embedding = layers.Embedding(1000, 16, mask_zero=True)
                self.dense = layers.Dense(4)

            def call(self, inputs):
                h = self.dense(self.embedding(inputs))
                return tf.reduce_sum(h)
    """,
    "tf_keras spelling, raw op before GlobalAveragePooling1D": """
        import tensorflow as tf
        import tf_keras as keras

        class Old(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)
                self.pool = keras.layers.GlobalAveragePooling1D()

            def call(self, inputs):
                x = tf.math.tanh(self.embedding(inputs))
                return self.pool(x)
    """,
    "an in-tree Embedding subclass constructed with mask_zero=True": """
        import keras
        from keras import ops

        class TokenEmbedding(keras.layers.Embedding):
            pass

        class Bag(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.tokens = TokenEmbedding(100, 8, mask_zero=True)

            def call(self, inputs):
                x = self.tokens(inputs)
                x += 1.0
                return ops.sum(x, axis=-2)
    """,
    "a library embedding constructed with mask_zero=True (keras_hub)": """
        import keras
        import keras_hub
        from keras import ops

        class Classifier(keras.Model):
            def __init__(self):
                super().__init__()
                self.embed = keras_hub.layers.TokenAndPositionEmbedding(1000, 64, 32, mask_zero=True)

            def call(self, ids):
                return ops.mean(self.embed(ids), axis=1)
    """,
}

VALID = {
    "the masked embedding straight into mask-aware layers (Keras 3 propagates the mask)": """
        import keras

        class Classifier(keras.Model):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)
                self.lstm = keras.layers.LSTM(8, return_sequences=True)
                self.attention = keras.layers.MultiHeadAttention(2, 8)
                self.pool = keras.layers.GlobalAveragePooling1D()

            def call(self, inputs):
                x = self.embedding(inputs)
                x = self.lstm(x)
                x = self.attention(x, x)
                return self.pool(x)
    """,
    "no mask producer: Embedding without mask_zero": """
        import keras
        from keras import ops

        class Bag(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16)
                self.off = keras.layers.Embedding(1000, 16, mask_zero=False)

            def call(self, inputs):
                return ops.mean(self.embedding(inputs), axis=1) + ops.mean(self.off(inputs), axis=1)
    """,
    "the mask is used: compute_mask and a weighted mean": """
        import keras
        from keras import ops

        class MaskedMean(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)

            def call(self, inputs):
                x = self.embedding(inputs)
                mask = ops.cast(self.embedding.compute_mask(inputs), x.dtype)[..., None]
                return ops.sum(x * mask, axis=1) / ops.sum(mask, axis=1)
    """,
    "mask= passed explicitly after a raw op": """
        import tensorflow as tf
        from tensorflow import keras

        class Tagger(keras.Model):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)
                self.lstm = keras.layers.LSTM(8)

            def call(self, inputs):
                x = self.embedding(inputs)
                return self.lstm(tf.nn.relu(x), mask=x._keras_mask)
    """,
    "masked by hand from the ids (a comparison, no `mask` name)": """
        import tensorflow as tf
        from tensorflow import keras

        class Pool(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)

            def call(self, ids):
                x = self.embedding(ids)
                keep = tf.cast(tf.not_equal(ids, 0), x.dtype)[..., None]
                return tf.reduce_sum(x * tf.cast(ids > 0, x.dtype)[..., None], axis=1)
    """,
    "attention scores masked by hand before the softmax": """
        import tensorflow as tf
        from tensorflow import keras

        class Attend(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)

            def call(self, ids):
                x = self.embedding(ids)
                scores = tf.matmul(x, x, transpose_b=True)
                scores += tf.cast(tf.equal(ids, 0), scores.dtype)[:, None, :] * -1e9
                weights = tf.nn.softmax(scores)
                x = tf.where(tf.not_equal(ids, 0)[..., None], x, 0.0)
                return tf.matmul(weights, x), tf.reduce_mean(x, axis=1)
    """,
    "a reduction over the feature axis only": """
        import tensorflow as tf
        from tensorflow import keras

        class Norm(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)
                self.lstm = keras.layers.LSTM(8)

            def call(self, inputs):
                x = self.embedding(inputs)
                x = x - tf.reduce_mean(x, axis=-1, keepdims=True)
                return x
    """,
    "shape-only uses of the masked output": """
        import tensorflow as tf
        from tensorflow import keras

        class Positions(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)

            def call(self, inputs):
                x = self.embedding(inputs)
                positions = tf.range(tf.shape(x)[1])
                return tf.reduce_sum(positions)
    """,
    "an axis that is not a literal": """
        import keras
        from keras import ops

        class Reduce(keras.layers.Layer):
            def __init__(self, axis):
                super().__init__()
                self.axis = axis
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)

            def call(self, inputs):
                return ops.mean(self.embedding(inputs), axis=self.axis)
    """,
    "a per-token softmax (not attention scores)": """
        import tensorflow as tf
        from tensorflow import keras

        class Tagger(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)
                self.dense = keras.layers.Dense(5)

            def call(self, inputs):
                return tf.nn.softmax(self.dense(self.embedding(inputs)))
    """,
    "not a Keras class": """
        import tensorflow as tf
        import keras

        class Helper:
            def __init__(self):
                self.embedding = keras.layers.Embedding(1000, 16, mask_zero=True)

            def call(self, inputs):
                return tf.reduce_mean(self.embedding(inputs), 1)
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC205", INVALID, VALID)


def test_reported_at_the_sink():
    [finding] = assert_triggers(
        "KC205", INVALID["relu then reduce_mean over a masked embedding, `from tensorflow import keras`"], line=13
    )
    assert "reduce_mean" in finding.message and "embedding" in finding.message


def test_cross_file_masking_subclass(project):
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/masks.py": """
                import keras

                class PadMasking(keras.layers.Masking):
                    pass
            """,
            "pkg/encoder.py": """
                import keras
                from keras import ops
                from .masks import PadMasking

                class Encoder(keras.layers.Layer):
                    def __init__(self):
                        super().__init__()
                        self.pad = PadMasking(0.0)
                        self.gru = keras.layers.GRU(4)

                    def call(self, x):
                        return self.gru(ops.relu(self.pad(x)))
            """,
        }
    )
    findings = check_paths([root], Settings(select=("KC205",))).findings
    assert [(f.path.rsplit("/", 1)[-1], f.line) for f in findings] == [("encoder.py", 13)]
