"""The same code on Keras 2 (tf_keras): tracked variables, positional names accepted."""
import tensorflow as tf
import tf_keras


class Linear(tf_keras.layers.Layer):
    def __init__(self, units=4, input_dim=8, **kwargs):
        super().__init__(**kwargs)
        self.w = tf.Variable(tf.random.normal((input_dim, units)))  # expect: KC101 not-reproduced "tracked"

    def call(self, inputs):
        return tf.matmul(inputs, self.w)


class PositionalName(tf_keras.layers.Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=(input_shape[-1], 2))  # expect: KC104 not-reproduced "accepted"

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel)


class Classifier(tf_keras.Model):
    """Keras 2 passes training through the call context: fit() trains the Dropout."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = tf_keras.layers.Dense(8)
        self.norm = tf_keras.layers.BatchNormalization()
        self.dropout = tf_keras.layers.Dropout(0.5)
        self.head = tf_keras.layers.Dense(1)

    def call(self, inputs):  # expect: KC210 not-reproduced "training mode"
        return self.head(self.dropout(self.norm(self.hidden(inputs))))
