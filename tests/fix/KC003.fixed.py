"""KC003's fix: the colon goes in, and what the directive names is then silenced."""
import keras

dense = keras.layers.Dense(3)  # noqa: KC101
conv = keras.layers.Conv2D(3, 3)  #noqa: KC101
pool = keras.layers.MaxPooling2D()  # NOQA: kc104, E501 -- kept as written

# The traps.
foreign = keras.layers.Dense(3)  # noqa E501
reason = keras.layers.Dense(3)  # noqa because it is built elsewhere
right = keras.layers.Dense(3)  # noqa: KC101
