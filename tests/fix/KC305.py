"""KC305: a custom class the project saves and loads back, never registered."""
import keras
from keras import layers


class Scale(layers.Layer):
    def call(self, x):
        return x * 2


# A comment above the class stays above the decorator.
@some_other_decorator
class Shift(layers.Layer):
    def call(self, x):
        return x + 1


@keras.saving.register_keras_serializable(package="demo")
class Registered(layers.Layer):
    def call(self, x):
        return x


inputs = keras.Input((3,))
model = keras.Model(inputs, Registered()(Shift()(Scale()(inputs))))
model.save("model.keras")
restored = keras.models.load_model("model.keras")
