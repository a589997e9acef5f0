"""KC203: trainable= where training= is meant."""
import keras


class Head(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.backbone = keras.applications.MobileNetV2(include_top=False)
        self.dense = keras.layers.Dense(4)

    def call(self, x, training=None):
        x = self.backbone(x, training=False)
        x = self.dense(x, training=training)
        # training= is already given: renaming would pass it twice, no fix
        return self.dense(x, training=training, trainable=False)
