"""A training script: its top level trains and writes files. --confirm must build
the layer below without running any of it."""
import os

import numpy as np
import tensorflow as tf
from tensorflow import keras

HERE = os.path.dirname(os.path.abspath(__file__))
SCALE = 2.0


class Scale(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.factor = tf.Variable(SCALE)  # expect: KC101 confirmed "'factor' is not in layer.weights"

    def call(self, inputs):
        return inputs * self.factor


with open(os.path.join(HERE, "TRAINING_STARTED.txt"), "w") as handle:
    handle.write("the top level of train.py ran\n")

x = np.random.rand(64, 8).astype("float32")
model = keras.Sequential([keras.Input((8,)), Scale(), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
history = model.fit(x, x[:, :1], epochs=1, verbose=0)
model.save(os.path.join(HERE, "MODEL_SAVED.keras"))

if __name__ == "__main__":
    with open(os.path.join(HERE, "MAIN_RAN.txt"), "w") as handle:
        handle.write("the main block ran\n")
