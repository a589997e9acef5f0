"""KC202: call() defaults training=True."""
import keras


class StochasticDepth(keras.layers.Layer):
    def call(self, x, training=True):
        return x if training else x * 0.5


class Typed(keras.layers.Layer):
    def call(self, x, mask=None, training: bool = True):
        return x
