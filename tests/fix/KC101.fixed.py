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
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer=w_init,
            trainable=True,
            name="w",
            dtype="float32",
        )
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True, name="bias")
        self.g = self.add_weight(shape=(self.units, self.units), initializer=keras.initializers.GlorotUniform(), name="g")
        self.noise = self.add_weight(shape=(self.units,), initializer=tf.random.normal, trainable=False, name="noise")

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b


class Counters(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False, name="steps", dtype="int32")
        self.alpha = self.add_weight(shape=(), initializer="ones", trainable=False, name="alpha", dtype=tf.float32)
        self.tau = self.add_weight(shape=(), initializer=tf.constant_initializer(0.5), name="tau")
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count", dtype=tf.int64)

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
