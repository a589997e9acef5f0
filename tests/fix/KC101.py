"""KC101: tf.Variable stored on a layer."""
import numpy as np
import tensorflow as tf
from tensorflow import keras


class Linear(keras.layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        w_init = tf.random_normal_initializer()
        self.w = tf.Variable(
            initial_value=w_init(shape=(input_shape[-1], self.units), dtype="float32"),
            trainable=True,
        )
        self.b = tf.Variable(tf.zeros((self.units,)), trainable=True, name="bias")
        self.g = tf.Variable(keras.initializers.GlorotUniform()((self.units, self.units)))
        self.noise = tf.Variable(tf.random.normal((self.units,)), trainable=False)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b


class Counters(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.steps = tf.Variable(0, trainable=False)
        self.alpha = tf.Variable(1.0, dtype=tf.float32, trainable=False, name="alpha")
        self.tau = tf.Variable(0.5)
        self.count = tf.Variable(0, dtype=tf.int64, trainable=False)

    def call(self, inputs):
        return inputs


class LeftAlone(keras.layers.Layer):
    def __init__(self, table, **kwargs):
        # before Layer.__init__: add_weight would raise there
        self.early = tf.Variable(0.0)
        super().__init__(**kwargs)
        # values from data, numpy arrays, arguments add_weight lacks: no fix
        self.table = tf.Variable(table)
        self.grid = tf.Variable(np.zeros((3, 3)))
        self.loose = tf.Variable(tf.zeros((3,)), validate_shape=False)
        self.scaled = tf.Variable(tf.random.normal((3,), stddev=0.1))

    def call(self, inputs):
        return inputs
