"""KC1xx: weights and state, on Keras 3."""
import keras
import tensorflow as tf
from keras import layers, ops


class Linear(keras.layers.Layer):
    def __init__(self, units=4, input_dim=8, **kwargs):
        super().__init__(**kwargs)
        self.w = tf.Variable(tf.random.normal((input_dim, units)))  # expect: KC101 confirmed "'w' is not in layer.weights"
        self.b = tf.Variable(tf.zeros((units,)))  # expect: KC102 confirmed "fails on width 11"

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b


class SlicingLinear(keras.layers.Layer):
    """Sized by the constructor, but it only reads the first input_dim columns."""

    def __init__(self, units=4, input_dim=8, **kwargs):
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.w = self.add_weight(shape=(input_dim, units), name="w")  # expect: KC102 not-reproduced "and of width 11"

    def call(self, inputs):
        return ops.matmul(inputs[:, : self.input_dim], self.w)


class DenseInCall(keras.layers.Layer):
    def call(self, inputs):
        return layers.Dense(4)(inputs)  # expect: KC103 confirmed "fresh weights"


class ActivationInCall(keras.layers.Layer):
    def call(self, inputs):
        return layers.Activation("relu")(inputs)  # expect: KC103 not-reproduced "repeatable"


class PositionalName(keras.layers.Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=(input_shape[-1], 2))  # expect: KC104 confirmed "must be passed as a keyword"

    def call(self, inputs):
        return ops.matmul(inputs, self.kernel)


class MaskingBeforeSuper(keras.layers.Layer):
    def __init__(self, **kwargs):
        self.supports_masking = True  # expect: KC105 confirmed "reads back False"
        super().__init__(**kwargs)

    def call(self, inputs):
        return inputs


class UnitsBeforeSuper(keras.layers.Layer):
    def __init__(self, **kwargs):
        self.units = 3  # expect: KC105 not-reproduced "keeps the assigned 3"
        super().__init__(**kwargs)

    def call(self, inputs):
        return inputs
