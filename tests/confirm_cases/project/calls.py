"""KC2xx: the call() contract, on Keras 3."""
import keras
import tensorflow as tf
from keras import layers, ops


class NoisyAttention(layers.Layer):
    def __init__(self, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.dropout = dropout

    def call(self, inputs):
        return keras.random.dropout(inputs, self.dropout)  # expect: KC201 confirmed "(with dropout=0.5)"


class GatedNoise(layers.Layer):
    """Gated in a way the linter cannot see: the rate is zero unless training."""

    def __init__(self, rate=0.5, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs, training=None):
        return keras.random.dropout(inputs, self.rate * float(bool(training)))  # expect: KC201 not-reproduced "repeatable"


class AlwaysTraining(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dropout = layers.Dropout(0.5)

    def call(self, inputs, training=True):  # expect: KC202 confirmed "runs in training mode"
        return self.dropout(inputs, training=training)


class IgnoresTraining(layers.Layer):
    def call(self, inputs, training=True):  # expect: KC202 not-reproduced "same result"
        return inputs * 2.0


class FrozenCall(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(4)

    def call(self, inputs):
        return self.dense(inputs, trainable=False)  # expect: KC203 confirmed "unexpected keyword argument 'trainable'"


class FrozenSequential(layers.Layer):
    """A Sequential accepts trainable= and ignores it: the weights stay trainable."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.body = keras.Sequential([layers.Dense(4)])

    def call(self, inputs):
        return self.body(inputs, trainable=False)  # expect: KC203 confirmed "had no effect"


class FrozenDropoutOnly(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.body = keras.Sequential([layers.Dropout(0.1)])

    def call(self, inputs):
        return self.body(inputs, trainable=False)  # expect: KC203 not-reproduced "no trainable weights"


class BypassedDropout(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dropout = layers.Dropout(0.5)

    def call(self, inputs, training=None):
        return self.dropout.call(inputs)  # expect: KC204 confirmed "changes nothing"


class BypassedConv(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(4, 3)

    def call(self, inputs):
        return self.conv.call(inputs)  # expect: KC204 confirmed "You must build the layer"


class BypassedActivation(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.act = layers.Activation("relu")

    def call(self, inputs):
        return self.act.call(inputs)  # expect: KC204 not-reproduced "works"


class MeanOfMasked(layers.Layer):
    def __init__(self, vocab_size=20, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(vocab_size, 4, mask_zero=True)

    def call(self, inputs):
        return ops.mean(self.embedding(inputs), axis=1)  # expect: KC205 confirmed "padding steps"


class PooledMasked(layers.Layer):
    def __init__(self, vocab_size=20, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(vocab_size, 4, mask_zero=True)
        self.pool = layers.GlobalAveragePooling1D()

    def call(self, inputs):
        return self.pool(self.embedding(inputs))  # expect: KC205 not-reproduced "mask is honoured"


class OwnDunderCall(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(4)

    def __call__(self, inputs):  # expect: KC206 confirmed "built is still False"
        return self.dense(inputs)


class WrappedDunderCall(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(4)

    def __call__(self, *args, **kwargs):  # expect: KC206 not-reproduced "built"
        return super().__call__(*args, **kwargs)

    def call(self, inputs):
        return self.dense(inputs)


class Classifier(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(8)
        self.norm = layers.BatchNormalization()
        self.dropout = layers.Dropout(0.5)
        self.head = layers.Dense(1)

    def call(self, inputs):  # expect: KC210 confirmed "moving statistics unchanged"
        return self.head(self.dropout(self.norm(self.hidden(inputs))))


class TrainingClassifier(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.norm = layers.BatchNormalization()
        self.dropout = layers.Dropout(0.5)
        self.head = layers.Dense(1)

    def call(self, inputs, training=None):  # expect: KC210 not-reproduced "training mode"
        return self.head(self.dropout(self.norm(inputs, training=training), training=training))


frozen = keras.Sequential([layers.Dense(2)])
frozen(tf.ones((1, 3)), trainable=False)  # expect: KC203 skipped "not inside a class"
