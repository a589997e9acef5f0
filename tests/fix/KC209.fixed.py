"""KC209: a near miss of a Keras layer attribute."""
import keras


class Scoring(keras.layers.Layer):
    supports_masking = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.trainable = False

    def build(self, input_shape):
        self.input_spec = keras.layers.InputSpec(ndim=2)
