"""KC211 numpy-in-call: positives and the traps that must stay quiet."""
from lintutil import Invalid, assert_triggers, rule_tests

INVALID = {
    "inputs.numpy(), `import keras`": """
        import keras

        class Scale(keras.layers.Layer):
            def call(self, inputs):
                return inputs * float(inputs.numpy().mean())
    """,
    "np.mean of the input, `from tensorflow import keras`": """
        import numpy as np
        from tensorflow import keras

        class Center(keras.layers.Layer):
            def call(self, x):
                return x - np.mean(x)
    """,
    "the output of a sub-layer, `import tf_keras`": """
        import tf_keras

        class Block(tf_keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = tf_keras.layers.Dense(4)

            def call(self, inputs):
                hidden = self.dense(inputs)
                return hidden * hidden.numpy().max()
    """,
    "a TensorFlow op's result, in a Model, `from keras.models import Model`": """
        import tensorflow as tf
        from keras.models import Model

        class Net(Model):
            def call(self, inputs, training=None):
                total = tf.reduce_sum(inputs).numpy()
                return inputs / total
    """,
    "a list of tensors given to numpy": """
        import keras
        import numpy as np

        class Join(keras.layers.Layer):
            def call(self, inputs):
                first, second = inputs
                return np.concatenate([first, second], axis=-1)
    """,
    "an indexed input and arithmetic, `import numpy`": """
        import keras
        import numpy

        class Pick(keras.layers.Layer):
            def call(self, inputs):
                return numpy.asarray(inputs[0] * 2.0)
    """,
    "the mask": """
        import keras

        class Masked(keras.layers.Layer):
            def call(self, inputs, mask=None):
                if mask is not None:
                    print(mask.numpy().sum())
                return inputs
    """,
    "a loop variable over a sub-layer list": """
        import keras
        import numpy as np

        class Stack(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.blocks = [keras.layers.Dense(4) for _ in range(2)]

            def call(self, x):
                for block in self.blocks:
                    x = block(x)
                return np.tanh(x)
    """,
    "two findings in one call()": Invalid("""
        import keras
        import numpy as np

        class Both(keras.layers.Layer):
            def call(self, inputs):
                values = inputs.numpy()
                return inputs * np.std(inputs)
    """, count=2),
}

VALID = {
    "numpy on the static shape": """
        import keras
        import numpy as np

        class Normalize(keras.layers.Layer):
            def call(self, inputs):
                return inputs / np.sqrt(inputs.shape[-1])
    """,
    "np.shape and np.ndim read the shape attribute (measured)": """
        import keras
        import numpy as np

        class Rank(keras.layers.Layer):
            def call(self, inputs):
                return inputs * np.ndim(inputs) * np.shape(inputs)[-1]
    """,
    "numpy on Python values derived from the shape": """
        import keras
        import numpy as np

        class Positions(keras.layers.Layer):
            def call(self, inputs):
                length = inputs.shape[1]
                table = np.arange(length) / np.float32(length)
                return inputs + keras.ops.convert_to_tensor(table)[None, :, None]
    """,
    "under tf.executing_eagerly()": """
        import keras
        import tensorflow as tf

        class Trace(keras.layers.Layer):
            def call(self, inputs):
                if tf.executing_eagerly():
                    print(inputs.numpy())
                return inputs
    """,
    "under a type test": """
        import keras
        import numpy as np

        class Either(keras.layers.Layer):
            def call(self, inputs):
                if isinstance(inputs, np.ndarray):
                    return np.log1p(inputs)
                return keras.ops.log1p(inputs)
    """,
    "in a try that catches the error": """
        import keras

        class Maybe(keras.layers.Layer):
            def call(self, inputs):
                try:
                    print(inputs.numpy())
                except AttributeError:
                    pass
                return inputs
    """,
    "inside tf.py_function's callback": """
        import keras
        import numpy as np
        import tensorflow as tf

        class Sort(keras.layers.Layer):
            def call(self, inputs):
                def sort(values):
                    return np.sort(values.numpy(), axis=-1)
                return tf.py_function(sort, [inputs], tf.float32)
    """,
    ".numpy() on a constant made in __init__": """
        import keras
        import tensorflow as tf

        class Lookup(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.table = tf.constant([1.0, 2.0])

            def call(self, inputs):
                return inputs * float(self.table.numpy().sum())
    """,
    "a module that trains eagerly": """
        import keras

        class Scale(keras.layers.Layer):
            def call(self, inputs):
                return inputs * float(inputs.numpy().mean())

        model = keras.Sequential([keras.Input((3,)), Scale()])
        model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    """,
    "a dynamic layer (Keras 2 runs it eagerly)": """
        import tf_keras

        class Scale(tf_keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(dynamic=True, **kwargs)

            def call(self, inputs):
                return inputs * float(inputs.numpy().mean())
    """,
    "numpy in another method": """
        import keras
        import numpy as np

        class Init(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
                print(np.prod(input_shape[1:]))

            def call(self, inputs):
                return inputs * self.w
    """,
    "not a Keras class": """
        import numpy as np

        class Callable:
            def call(self, inputs):
                return np.mean(inputs.numpy())
    """,
}

test_triggers, test_does_not_trigger = rule_tests("KC211", INVALID, VALID)


def test_the_message_names_the_expression_and_the_error():
    found = assert_triggers("KC211", """
        import keras

        class Scale(keras.layers.Layer):
            def call(self, inputs):
                return inputs * float(inputs.numpy().mean())
    """)
    assert "`inputs.numpy()` in `Scale.call()`" in found[0].message and "which have no value" in found[0].message
    assert "'SymbolicTensor' object has no attribute 'numpy'" in found[0].help
