"""KC102 weights-sized-by-constructor: positives and the traps that must stay quiet."""
from lintutil import assert_triggers, rule_tests

INVALID = {
    "the tutorial's Linear(units, input_dim), tf.matmul": """
        import tensorflow as tf
        from tensorflow import keras

        class Linear(keras.layers.Layer):
            def __init__(self, units=32, input_dim=32, **kwargs):
                super().__init__(**kwargs)
                self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal")
                self.b = self.add_weight(shape=(units,), initializer="zeros")

            def call(self, inputs):
                return tf.matmul(inputs, self.w) + self.b
    """,
    "build that ignores input_shape, through self.x, keras.ops.matmul": """
        import keras

        class Linear(keras.layers.Layer):
            def __init__(self, units, input_dim, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.input_dim = input_dim

            def build(self, input_shape):
                self.kernel = self.add_weight(shape=(self.input_dim, self.units))
                super().build(input_shape)

            def call(self, inputs):
                return keras.ops.matmul(inputs, self.kernel)
    """,
    "`@`, a local derived from the parameter, `from keras.layers import Layer`": """
        from keras.layers import Layer

        class Wide(Layer):
            def __init__(self, units, in_features, **kwargs):
                super().__init__(**kwargs)
                fan_in = in_features * 2
                self.w = self.add_weight(shape=(fan_in, units))

            def call(self, x):
                x = x * 2.0
                return x @ self.w
    """,
    "tf.Variable sized inside its initial value, tf.keras": """
        import tensorflow as tf

        class Linear(tf.keras.layers.Layer):
            def __init__(self, units=32, input_dim=32, **kwargs):
                super().__init__(**kwargs)
                w_init = tf.random_normal_initializer()
                self.w = tf.Variable(initial_value=w_init(shape=(input_dim, units)), trainable=True)

            def call(self, inputs):
                return tf.matmul(inputs, self.w)
    """,
    "einsum contracting the constructor's dimension, tf_keras": """
        import tensorflow as tf
        import tf_keras as keras

        class Proj(keras.layers.Layer):
            def __init__(self, units, input_dim, **kwargs):
                super().__init__(**kwargs)
                self.kernel = self.add_weight(shape=(input_dim, units), name="kernel")

            def call(self, inputs):
                return tf.einsum("bi,ij->bj", inputs, self.kernel)
    """,
    "a convolution kernel with the input channels from the constructor": """
        import tensorflow as tf
        from tensorflow import keras

        class Conv(keras.layers.Layer):
            def __init__(self, filters, in_channels, **kwargs):
                super().__init__(**kwargs)
                self.kernel = self.add_weight(shape=(3, 3, in_channels, filters), name="kernel")

            def call(self, images):
                return tf.nn.conv2d(images, self.kernel, strides=1, padding="SAME")
    """,
    "the multiplication in a helper method that call() passes the inputs to": """
        import tensorflow as tf
        from tensorflow import keras

        class GraphConv(keras.layers.Layer):
            def __init__(self, in_feat, out_feat, **kwargs):
                super().__init__(**kwargs)
                self.weight = self.add_weight(shape=(in_feat, out_feat))

            def project(self, features):
                return tf.matmul(features, self.weight)

            def call(self, features):
                return self.project(features)
    """,
    "K.dot and Keras 2's positional name": """
        from tensorflow.keras import backend as K
        from tensorflow.keras.layers import Layer

        class Linear(Layer):
            def __init__(self, units, input_dim, **kwargs):
                super().__init__(**kwargs)
                self.kernel = self.add_weight("kernel", (input_dim, units))

            def call(self, inputs):
                return K.dot(inputs, self.kernel)
    """,
    "a weight cast before the product": """
        import keras
        from keras import ops

        class Linear(keras.layers.Layer):
            def __init__(self, units, input_dim, **kwargs):
                super().__init__(**kwargs)
                self.kernel = self.add_weight(shape=(input_dim, units))

            def call(self, inputs):
                kernel = ops.cast(self.kernel, inputs.dtype)
                return ops.matmul(inputs, kernel)
    """,
}

VALID = {
    "sized from input_shape in build": """
        import keras

        class Linear(keras.layers.Layer):
            def __init__(self, units=32, **kwargs):
                super().__init__(**kwargs)
                self.units = units

            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], self.units))

            def call(self, inputs):
                return keras.ops.matmul(inputs, self.w)
    """,
    "an embedding table read with embedding_lookup": """
        import tensorflow as tf
        from tensorflow import keras

        class Embed(keras.layers.Layer):
            def __init__(self, input_dim, output_dim, **kwargs):
                super().__init__(**kwargs)
                self.embeddings = self.add_weight(shape=(input_dim, output_dim))

            def call(self, ids):
                return tf.nn.embedding_lookup(self.embeddings, ids)
    """,
    "a table read with take, then used for tied logits": """
        import keras
        from keras import ops

        class TiedEmbedding(keras.layers.Layer):
            def __init__(self, vocab_size, dim, **kwargs):
                super().__init__(**kwargs)
                self.table = self.add_weight(shape=(vocab_size, dim))

            def call(self, inputs, reverse=False):
                if reverse:
                    return ops.matmul(inputs, ops.transpose(self.table))
                return ops.take(self.table, inputs, axis=0)
    """,
    "a table read by indexing": """
        import keras

        class Lookup(keras.layers.Layer):
            def __init__(self, vocab, dim, **kwargs):
                super().__init__(**kwargs)
                self.table = keras.Variable(keras.ops.zeros((vocab, dim)))

            def call(self, ids):
                return self.table[ids]
    """,
    "a VQ-VAE codebook: one-hot products and distances are lookups": """
        import tensorflow as tf
        from tensorflow import keras

        class VectorQuantizer(keras.layers.Layer):
            def __init__(self, num_embeddings, embedding_dim, **kwargs):
                super().__init__(**kwargs)
                self.embedding_dim = embedding_dim
                self.num_embeddings = num_embeddings
                self.embeddings = self.add_weight(shape=(self.embedding_dim, self.num_embeddings))

            def call(self, x):
                flattened = tf.reshape(x, [-1, self.embedding_dim])
                indices = self.get_code_indices(flattened)
                encodings = tf.one_hot(indices, self.num_embeddings)
                return tf.matmul(encodings, self.embeddings, transpose_b=True)

            def get_code_indices(self, flattened_inputs):
                similarity = tf.matmul(flattened_inputs, self.embeddings)
                return tf.argmin(similarity, axis=1)
    """,
    "a position table added to the inputs, a scalar scale": """
        import keras

        class Positions(keras.layers.Layer):
            def __init__(self, max_len, dim, **kwargs):
                super().__init__(**kwargs)
                self.pos = self.add_weight(shape=(1, max_len, dim))
                self.scale = self.add_weight(shape=())

            def call(self, inputs):
                length = keras.ops.shape(inputs)[1]
                return inputs * self.scale + self.pos[:, :length, :]
    """,
    "an outer product (rotary frequencies)": """
        import keras

        class Rotary(keras.layers.Layer):
            def __init__(self, dim, **kwargs):
                super().__init__(**kwargs)
                self.dim = dim

            def build(self, input_shape):
                self.inv_freq = self.add_weight(shape=(self.dim // 2,), trainable=False)

            def call(self, positions):
                return keras.ops.einsum("i,j->ij", positions, self.inv_freq)
    """,
    "a width-preserving experts block: hidden_dim goes in and comes out": """
        import keras
        from keras import ops

        class Experts(keras.layers.Layer):
            def __init__(self, num_experts, hidden_dim, intermediate_dim, **kwargs):
                super().__init__(**kwargs)
                self.num_experts = num_experts
                self.hidden_dim = hidden_dim
                self.intermediate_dim = intermediate_dim

            def build(self, _):
                self.up = self.add_weight(shape=(self.num_experts, self.hidden_dim, self.intermediate_dim))
                self.down = self.add_weight(shape=(self.num_experts, self.intermediate_dim, self.hidden_dim))

            def call(self, hidden_states):
                hidden = ops.einsum("th,ehm->etm", hidden_states, self.up)
                return ops.einsum("etm,emh->eth", hidden, self.down)
    """,
    "a recurrent kernel multiplied by the state, not the inputs": """
        import keras

        class Cell(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.state_size = units

            def build(self, input_shape):
                self.kernel = self.add_weight(shape=(input_shape[-1], self.units))
                self.recurrent_kernel = self.add_weight(shape=(self.units, self.units))

            def call(self, inputs, states):
                h = states[0]
                out = inputs @ self.kernel + h @ self.recurrent_kernel
                return out, [out]
    """,
    "a weight applied after a sub-layer fixed the width": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, units, classes, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(units)
                self.out = self.add_weight(shape=(units, classes))

            def call(self, inputs):
                x = self.dense(inputs)
                return x @ self.out
    """,
    "an input width that is a literal, not a constructor argument": """
        import keras

        class Mnist(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.w = self.add_weight(shape=(784, units))

            def call(self, inputs):
                return inputs @ self.w
    """,
    "not a Keras class": """
        import tensorflow as tf

        class Linear(tf.Module):
            def __init__(self, units, input_dim):
                self.w = tf.Variable(tf.zeros((input_dim, units)))

            def call(self, inputs):
                return tf.matmul(inputs, self.w)
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC102", INVALID, VALID)


def test_reported_at_the_weight_with_its_parameter():
    found = assert_triggers("KC102", INVALID["the tutorial's Linear(units, input_dim), tf.matmul"], line=8)
    assert "`input_dim`" in found[0].message
    assert "sized by input_shape[-1]" in found[0].help
    assert found[0].severity.value == "warning"


def test_cross_file_base(project):
    """The rule applies to a class whose Keras base lives in another file."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                import keras

                class Base(keras.layers.Layer):
                    pass
            """,
            "pkg/linear.py": """
                import keras
                from pkg.base import Base

                class Linear(Base):
                    def __init__(self, units, input_dim, **kwargs):
                        super().__init__(**kwargs)
                        self.w = self.add_weight(shape=(input_dim, units))

                    def call(self, inputs):
                        return keras.ops.matmul(inputs, self.w)
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC102",)))
    assert [(f.code, f.path.endswith("linear.py"), f.line) for f in result.findings] == [("KC102", True, 8)]
