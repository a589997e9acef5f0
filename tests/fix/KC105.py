"""KC105: layer attributes set before super().__init__(), which resets them."""
import keras
from keras.layers import InputSpec


class Masking(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        # masks pass straight through
        self.supports_masking = True
        self.units = units
        self.input_spec = InputSpec(ndim=3)  # three dimensions
        super().__init__(**kwargs)
        self.built_once = False


class Frozen(keras.layers.Layer):
    def __init__(self, **kwargs):
        self.trainable = False
        super(Frozen, self).__init__(**kwargs)


class ReadsSelf(keras.layers.Layer):
    # setup() may read supports_masking: moving it past the call changes what it sees
    def __init__(self, **kwargs):
        self.supports_masking = True
        self.setup()
        super().__init__(**kwargs)

    def setup(self):
        pass


class SideEffect(keras.layers.Layer):
    # the value is computed by a call whose order may matter: no fix
    def __init__(self, **kwargs):
        self.supports_masking = compute_flag()
        super().__init__(**kwargs)


def compute_flag():
    return True
