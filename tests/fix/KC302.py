"""KC302: an __init__ that cannot take the config back, or drops what it is given."""
import keras


class Patches(keras.layers.Layer):
    def __init__(self, patch_size):
        super().__init__()
        self.patch_size = patch_size


class Multiline(keras.layers.Layer):
    def __init__(
        self,
        units,
        activation=None,
    ):
        super().__init__(
            autocast=False,
        )
        self.units = units


class Named(keras.layers.Layer):
    def __init__(self, units, name=None):
        # `name` is a parameter: the config's name binds to it, the rest goes to **kwargs
        super().__init__(name=name)
        self.units = units


class Typo(keras.Model):
    def __init__(self, num_classes=10, **kwargs):
        super().__init__(**kwrags)
        self.num_classes = num_classes


class Dropped(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__()
        self.units = units


class NamedLiteral(keras.layers.Layer):
    # the config's name would reach the call twice: no fix
    def __init__(self, units):
        super().__init__(name="block")
        self.units = units


class Used(keras.layers.Layer):
    # kwargs is read: forwarding it whole may pass keys the layer consumed: no fix
    def __init__(self, units, **kwargs):
        self.scale = kwargs.get("scale", 1.0)
        super().__init__()
