"""KC306: __init__ returns a value."""
import keras


class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        return self  # a builder habit


class Net(keras.Model):
    def __init__(self, units=1, **kwargs):
        super().__init__(**kwargs)
        if units == 0:
            return units
        self.dense = keras.layers.Dense(units)
        return self.dense


class Pair(keras.layers.Layer):
    # Not fixed: a tuple is not one plain value.
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.a, self.b = keras.layers.Dense(1), keras.layers.Dense(2)
        return self.a, self.b
