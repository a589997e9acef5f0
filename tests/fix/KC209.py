"""KC209: a near miss of a Keras layer attribute."""
import keras


class Scoring(keras.layers.Layer):
    support_masking = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.trainabe = False

    def build(self, input_shape):
        self.input_specs = keras.layers.InputSpec(ndim=2)
