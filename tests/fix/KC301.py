"""KC301: the parent initializer misspelled or given `self` again."""
import keras
import tensorflow as tf


class MyModel(tf.keras.Model):
    def __init__(self, num_classes=10, **kwargs):
        super(MyModel, self).__init(**kwargs)
        self.dense = keras.layers.Dense(num_classes)


class Doubled(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(self, **kwargs)
        self.units = units


class Multiline(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(
            self,
            **kwargs,
        )
        self.units = units


class NeverRuns(keras.layers.Layer):
    def __int__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units


class TwoNearMisses(keras.layers.Layer):
    # which one was meant is not for a tool to say: no fix
    def __init_(self, units, **kwargs):
        super().__init__(**kwargs)

    def __inti__(self, units, **kwargs):
        super().__init__(**kwargs)
