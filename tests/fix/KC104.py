"""KC104: the name passed positionally to add_weight."""
import keras
import tensorflow as tf


class Dense(keras.layers.Layer):
    def build(self, input_shape):
        # the name alone, then keywords
        self.kernel = self.add_weight("kernel", shape=(input_shape[-1], 4))
        # Keras 2's positional order: name, shape, dtype, initializer
        self.bias = self.add_weight("bias", (4,), "float32", "zeros")
        self.scale = self.add_weight(
            f"scale_{4}",
            (1,),
            initializer="ones",
        )


class Untouched(tf.keras.layers.Layer):
    def build(self, input_shape, *args):
        # a *args splat: which parameters it fills is unknown
        self.a = self.add_weight("a", *args)
        # the shape would be given twice
        self.b = self.add_weight("b", (3,), shape=(3,))
