"""KC305: a model holding the class, saved and loaded back without custom_objects (Keras 3)."""
import keras


class Doubled(keras.layers.Layer):  # expect: KC305 confirmed "does not load back"
    def call(self, inputs):
        return inputs * 2


@keras.saving.register_keras_serializable(package="confirm_cases")
class RegisteredDoubled(keras.layers.Layer):  # expect: KC305 not-reproduced "loads back from .keras and .h5"
    def call(self, inputs):
        return inputs * 2


class SquaredError(keras.losses.Loss):  # expect: KC305 confirmed "Could not locate class"
    def call(self, y_true, y_pred):
        return (y_true - y_pred) ** 2


class Head(keras.Model):  # expect: KC305 confirmed "the model saved to .keras does not load back"
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = keras.layers.Dense(units)

    def call(self, inputs):
        return self.dense(inputs)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class Forgetful(keras.layers.Layer):  # expect: KC305 skipped "with custom_objects too"
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return {}


def make_forgetful():
    return Forgetful(3.0)
