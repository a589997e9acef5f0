"""KC204: sublayer.call(...) instead of sublayer(...)."""
import keras


class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(8)
        self.dropout = keras.layers.Dropout(0.5)
        self.stack = [keras.layers.Dense(8)]

    def call(self, x, training=None):
        x = self.dropout.call(self.dense.call(x))
        return self.stack[0].call(x)
