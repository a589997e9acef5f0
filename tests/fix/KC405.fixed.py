"""KC405: a '/' in a layer, model, Input or weight name."""
import keras


def encoder(prefix, depth):
    inputs = keras.Input(shape=(32,), name="encoder_input")
    x = inputs
    for i in range(depth):
        x = keras.layers.Dense(32, name=f"{prefix}_block_{i}_dense")(x)  # a '/' in the text only
        x = keras.layers.LayerNormalization(name=prefix + "_norm_%d" % i)(x)
    head = keras.layers.Dense(8, name="{}_head".format(prefix))(x)
    return keras.Model(inputs, head, name="encoders_" "main")


class Scale(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(name="scales_scale", **kwargs)

    def build(self, input_shape):
        self.gamma = self.add_weight(name="scale_gamma", shape=(input_shape[-1],))


# Left alone: a name in a variable, a '/' in an f-string expression, metrics, name scopes.
scope = "head/dense"
dense = keras.layers.Dense(4, name=scope)
ratio = keras.layers.Dense(4, name=f"dense_{8 / 2:.0f}")
metric = keras.metrics.Mean(name="val/loss")
