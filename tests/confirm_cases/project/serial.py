"""KC3xx: construction and serialization, on Keras 3."""
import keras
from keras import layers


class Misspelled(layers.Layer):
    def __init__(self, units=4, **kwargs):
        super(Misspelled, self).__init(**kwargs)  # expect: KC301 confirmed "_Misspelled__init"
        self.units = units


class NoSuper(layers.Layer):
    def __init__(self, units=4):  # expect: KC301 confirmed "fails"
        self.units = units

    def call(self, inputs):
        return inputs


class SuperInHelper(layers.Layer):
    def __init__(self, units=4, **kwargs):  # expect: KC301 not-reproduced "constructs and calls fine"
        self._setup(**kwargs)
        self.units = units

    def _setup(self, **kwargs):
        super().__init__(**kwargs)

    def call(self, inputs):
        return inputs


class NoKwargs(layers.Layer):
    def __init__(self, units=4):  # expect: KC302 confirmed "unexpected keyword argument 'trainable'"
        super().__init__()
        self.units = units

    def call(self, inputs):
        return inputs


class KwargsDropped(layers.Layer):
    def __init__(self, units=4, **kwargs):  # expect: KC302 confirmed "is dropped"
        super().__init__()
        self.units = units

    def call(self, inputs):
        return inputs


class OwnFromConfig(layers.Layer):
    """No **kwargs, but its from_config keeps only what __init__ takes."""

    def __init__(self, units=4):  # expect: KC302 not-reproduced "rebuilds"
        super().__init__()
        self.units = units

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {**super().get_config(), "units": self.units}

    @classmethod
    def from_config(cls, config):
        return cls(units=config["units"])


class TakesFunction(layers.Layer):
    def __init__(self, activation=keras.activations.relu, **kwargs):  # expect: KC303 confirmed "NotImplementedError"
        super().__init__(**kwargs)
        self.activation = activation

    def call(self, inputs):
        return self.activation(inputs)


class OptionalInner(layers.Layer):
    def __init__(self, inner=None, **kwargs):  # expect: KC303 not-reproduced "work"
        super().__init__(**kwargs)
        self.inner = inner or layers.Dense(3)

    def call(self, inputs):
        return self.inner(inputs)


class ForgetfulConfig(layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def call(self, inputs):
        return inputs

    def get_config(self):  # expect: KC304 confirmed "has no 'name'"
        return {"units": self.units}


class SpelledOutConfig(layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def call(self, inputs):
        return inputs

    def get_config(self):  # expect: KC304 not-reproduced "keeps name"
        return {"name": self.name, "trainable": self.trainable, "dtype": self.dtype_policy.name, "units": self.units}


class ReturnsSelf(layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        return self  # expect: KC306 confirmed "should return None"

    def call(self, inputs):
        return inputs


class ReturnsOnlyWhenAsked(layers.Layer):
    def __init__(self, units=4, chain=False, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        if chain:
            return self  # expect: KC306 not-reproduced "returned None"

    def call(self, inputs):
        return inputs


class SwappedWindow(layers.Layer):
    def __init__(self, num_heads=2, window_size=7, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = num_heads
        self.window_size = window_size

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {**super().get_config(), "num_heads": self.num_heads,
                "window_size": self.num_heads}  # expect: KC307 confirmed "window_size=2 (built with 7)"


class KeptWindow(layers.Layer):
    def __init__(self, num_heads=2, window_size=7, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = num_heads
        self.window_size = window_size

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {**super().get_config(), "num_heads": self.num_heads,
                "window_size": self.window_size}  # expect: KC307 not-reproduced "as given"


class RateReplaced(layers.Layer):
    def __init__(self, units=3, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.rate = layers.Dropout(rate)
        self.dense = layers.Dense(units)

    def call(self, inputs, training=None):
        return self.dense(self.rate(inputs, training=training))

    def get_config(self):
        return {**super().get_config(), "units": self.units, "rate": self.rate}  # expect: KC308 confirmed "is a Dropout layer"


class RateKept(layers.Layer):
    def __init__(self, units=3, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.rate = rate
        self.dropout = layers.Dropout(rate)
        self.dense = layers.Dense(units)

    def call(self, inputs, training=None):
        return self.dense(self.dropout(inputs, training=training))

    def get_config(self):
        return {**super().get_config(), "units": self.units, "rate": self.rate}  # expect: KC308 not-reproduced "no layer object"
