"""KC002's fix: dead kerascheck codes leave their directive, a directive left with none
goes, and the traps stay as they are (only KC002 runs here, so every KC code of a
directive is one whose rule did not run)."""
import keras

dense = keras.layers.Dense(3)  # noqa: KC101
conv = keras.layers.Conv2D(3, 3)  # noqa: KC101, E501
pool = keras.layers.MaxPooling2D()  # noqa: KC104 -- a reason goes with its directive
norm = keras.layers.LayerNormalization()  # noqa: KC104  # type: ignore
flat = keras.layers.Flatten()  # type: ignore  # noqa: KC104, KC104
# noqa: KC209
drop = keras.layers.Dropout(  # noqa: KC999
    0.5,  # noqa: KC101, F401
)

# The traps.
blanket = keras.layers.Dense(3)  # noqa
foreign = keras.layers.Dense(3)  # noqa: E501, F401
itself = keras.layers.Dense(3)  # noqa: KC101, KC002
colonless = keras.layers.Dense(3)  # noqa KC101
note = "# noqa: KC101"
