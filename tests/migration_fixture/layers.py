"""A custom layer written against Keras 2.x internals."""
from keras import backend as K
from keras.engine.topology import InputSpec, Layer


class L2Normalize(Layer):
    """Scales each sample to unit L2 norm, then by a learned per-feature gain."""

    def __init__(self, **kwargs):
        super(L2Normalize, self).__init__(**kwargs)
        self.input_spec = InputSpec(ndim=2)

    def build(self, input_shape):
        self.gain = self.add_weight(name="gain", shape=(input_shape[-1],), initializer="ones")
        super(L2Normalize, self).build(input_shape)

    def call(self, inputs):
        norm = K.sqrt(K.sum(K.square(inputs), axis=-1, keepdims=True) + K.epsilon())
        return inputs / norm * self.gain

    def compute_output_shape(self, input_shape):
        return input_shape
