"""KC211 and KC212: classes whose call() works eagerly and fails in a graph."""
import numpy as np
import tensorflow as tf
import keras


class EagerScale(keras.layers.Layer):
    def call(self, inputs):
        return inputs * float(inputs.numpy().mean())  # expect: KC211 confirmed "'SymbolicTensor' object has no attribute 'numpy'"


class EagerCenter(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)

    def call(self, inputs):
        return self.dense(inputs) - np.mean(inputs)  # expect: KC211 confirmed "Cannot convert a symbolic"


class ShapeOnly(keras.layers.Layer):
    def call(self, inputs):
        return inputs / np.sqrt(inputs.shape[-1])  # expect: KC211 not-reproduced "without error"


class TracedNet(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)

    @tf.function  # expect: KC212 confirmed "No gradients provided"
    def call(self, inputs):
        return self.dense(inputs)


class TracedBlock(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)

    @tf.function  # expect: KC212 confirmed "No gradients provided"
    def call(self, inputs):
        return self.dense(inputs)


class BuiltNet(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)

    def build(self, input_shape):
        self.dense.build(input_shape)

    @tf.function  # expect: KC212 not-reproduced "finds gradients"
    def call(self, inputs):
        return self.dense(inputs)
