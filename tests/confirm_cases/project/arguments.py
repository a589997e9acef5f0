"""Constructor arguments: from a call site (constants resolved), from the
configuration, or nowhere."""
import keras
import tensorflow as tf
from keras import layers

from pkg.constants import WIDTH

HIDDEN = 6


class Block(layers.Layer):
    """Required arguments; the call site below gives them through constants."""

    def __init__(self, units, input_dim, **kwargs):
        super().__init__(**kwargs)
        self.w = tf.Variable(tf.ones((input_dim, units)))  # expect: KC102 confirmed "works on inputs of width 10"

    def call(self, inputs):
        return tf.matmul(inputs, self.w)


class Tower(layers.Layer):
    def __init__(self, hidden=HIDDEN, **kwargs):
        super().__init__(**kwargs)
        self.block = Block(hidden, input_dim=WIDTH)


class Configured(layers.Layer):
    """`encoder_spec` is not a size: only the configuration can give it."""

    def __init__(self, encoder_spec, **kwargs):
        super().__init__(**kwargs)
        self.spec = encoder_spec
        self.w = tf.Variable(tf.ones((encoder_spec["width"], 2)))  # expect: KC101 confirmed "'w' is not in layer.weights"

    def call(self, inputs):
        return tf.matmul(inputs, self.w)


class Unbuildable(layers.Layer):
    def __init__(self, tokenizer, **kwargs):
        super().__init__(**kwargs)
        self.tokenizer = tokenizer
        self.w = tf.Variable(1.0)  # expect: KC101 skipped "needs constructor arguments (tokenizer)"

    def call(self, inputs):
        return inputs * self.w


class Guessed(layers.Layer):
    def __init__(self, num_items, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(num_items, 4, mask_zero=True)

    def call(self, inputs):
        return tf.reduce_mean(self.embedding(inputs), axis=1)  # expect: KC205 confirmed "guessed num_items=8"


def build():
    class Local(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = tf.Variable(1.0)  # expect: KC101 skipped "inside a function"

    return Local()
