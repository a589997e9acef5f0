"""KC307: get_config() writes one argument's attribute under another argument's name."""
import keras


class WindowAttention(keras.layers.Layer):
    def __init__(self, num_heads=4, window_size=7, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = num_heads
        self.window_size = window_size

    def get_config(self):
        config = super().get_config()
        config.update({"num_heads": self.num_heads, "window_size": self.num_heads})
        return config


class Block(keras.layers.Layer):
    def __init__(self, units, scale, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.scale = scale

    def get_config(self):
        return {**super().get_config(), "units": self.scale, "scale": self.units}


class TwoCopies(keras.layers.Layer):
    # Not fixed: `depth` is kept in two attributes.
    def __init__(self, depth=2, width=8, **kwargs):
        super().__init__(**kwargs)
        self.depth = depth
        self.num_layers = depth
        self.width = width

    def get_config(self):
        config = super().get_config()
        config["depth"] = self.width
        config["width"] = self.width
        return config
