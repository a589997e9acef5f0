"""KC402: a number where Keras needs a shape tuple."""
import keras
from keras import layers

FEATURES = 784

a = keras.Input(shape=3)
b = keras.Input((FEATURES))
c = layers.Dense(4, input_shape=len("abc"))
d = keras.Input(batch_shape=16)
e = keras.layers.InputLayer(784)
f = keras.Input(shape=(3,))
# a float: no tuple makes it valid, no fix
g = keras.Input(shape=3.0)
