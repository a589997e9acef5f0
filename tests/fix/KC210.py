"""KC210's fix (unsafe): `training=None` added to call(), and passed to the
training-sensitive sub-layer calls that pass none; the traps it must leave alone."""
import keras
from keras import layers


class Classifier(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(64, activation="relu")
        self.dropout = keras.layers.Dropout(0.5)
        self.bn = keras.layers.BatchNormalization()
        self.blocks = [layers.Dense(8), layers.Dropout(0.1)]
        self.head = keras.layers.Dense(10)

    def call(self, inputs):
        x = self.dense(inputs)
        x = self.bn(self.dropout(x))
        for block in self.blocks:
            x = block(x)
        x = layers.Dropout(0.2)(x)
        return self.head(x)


class Tower(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.norm = layers.BatchNormalization()
        self.out = layers.Dense(1)

    def call(
        self,
        inputs,
        *args,
        **kwargs,
    ):
        return self.out(self.norm(inputs, **kwargs))


# The traps: a call() that already uses the name `training` is left for a human.
class Shadowed(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dropout = layers.Dropout(0.5)

    def call(self, inputs):
        training = self.trainable
        x = self.dropout(inputs)
        return x if training else inputs
