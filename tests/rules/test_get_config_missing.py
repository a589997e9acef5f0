"""KC303 get-config-missing: positives and the traps that must stay quiet."""
from lintutil import Invalid, assert_triggers, rule_tests

INVALID = {
    "a sub-layer stored and called (`import keras`)": """
        import keras

        class Residual(keras.layers.Layer):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner

            def call(self, x):
                return x + self.inner(x)
    """,
    "sub-models of a GAN wrapper (`from tensorflow import keras`)": """
        from tensorflow import keras

        class GAN(keras.Model):
            def __init__(self, discriminator, generator, latent_dim, **kwargs):
                super().__init__(**kwargs)
                self.discriminator = discriminator
                self.generator = generator

            def call(self, x):
                return self.discriminator(self.generator(x))
    """,
    "a layer class called in __init__ (tf.keras)": """
        import tensorflow as tf

        class Stage(tf.keras.layers.Layer):
            def __init__(self, filters, norm_layer, **kwargs):
                super().__init__(**kwargs)
                self.norm = norm_layer(epsilon=1e-5)
    """,
    "default is a function (`from keras.layers import Layer`)": """
        from keras import ops
        from keras.layers import Layer

        class Mlp(Layer):
            def __init__(self, units, activation=ops.gelu, **kwargs):
                super().__init__(**kwargs)
                self.units = units
    """,
    "default is a layer instance": """
        import keras

        class Head(keras.layers.Layer):
            def __init__(self, pool=keras.layers.GlobalAveragePooling1D(), **kwargs):
                super().__init__(**kwargs)
                self.pool = pool
    """,
    "default is a lambda": """
        import keras

        class Gate(keras.layers.Layer):
            def __init__(self, fn=lambda x: x, **kwargs):
                super().__init__(**kwargs)
                self.fn = fn
    """,
    "annotated as a Layer": """
        import keras

        class Wrapper(keras.layers.Layer):
            def __init__(self, block: keras.layers.Layer, **kwargs):
                super().__init__(**kwargs)
                self.block = block
    """,
    "annotated as Callable": """
        from typing import Callable, Optional

        import keras

        class Mapper(keras.layers.Layer):
            def __init__(self, fn: Optional[Callable] = None, **kwargs):
                super().__init__(**kwargs)
                self.fn = fn
    """,
    "Model with plain constructor arguments (measured: Keras 3 records none)": """
        import keras

        class Classifier(keras.Model):
            def __init__(self, num_classes, **kwargs):
                super().__init__(**kwargs)
                self.head = keras.layers.Dense(num_classes)
    """,
    "a config object whose attributes __init__ reads (automl's efficientnet)": Invalid("""
        import tensorflow as tf

        class MBConvBlock(tf.keras.layers.Layer):
            def __init__(self, block_args, global_params, name=None):
                super().__init__(name=name)
                self._block_args = block_args
                self._expand = tf.keras.layers.Conv2D(block_args.filters, 1)
                self._momentum = global_params.batch_norm_momentum

            def call(self, inputs):
                return self._expand(inputs)
    """, message_contains="'block_args' is read as an object (and 1 more)"),
    "an object passed in only for its layers (a decoder helper)": """
        import keras

        class DecoderPerStep(keras.layers.Layer):
            def __init__(self, decoder):
                super().__init__()
                self.inner = decoder.layers

            def call(self, x):
                for layer in self.inner:
                    x = layer(x)
                return x
    """,
}

VALID = {
    "a basic value whose methods are called (not an object)": """
        import keras

        class Tag(keras.layers.Layer):
            def __init__(self, prefix, options=None, **kwargs):
                super().__init__(**kwargs)
                self.prefix = prefix.lower()
                self.scale = (options or {}).get("scale", 1.0)

            def call(self, x):
                return x * self.scale
    """,
    "a Model given an object with a default (measured on layers only)": """
        import keras

        class Net(keras.Model):
            def __init__(self, config=None, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(config.units if config else 4)

            def call(self, x):
                return self.dense(x)
    """,
    # Keras 2's auto-config records only the arguments a caller passed (measured on
    # tf_keras 2.21: the layer saves and reloads), so a callable default breaks nothing there.
    "callable default on Keras 2": """
        import tf_keras as keras

        class Gate(keras.layers.Layer):
            def __init__(self, fn=lambda x: x, **kwargs):
                super().__init__(**kwargs)
                self.fn = fn
    """,
    # tf_keras records a Model's plain constructor arguments too (measured).
    "model with a required argument on Keras 2": """
        import tf_keras as keras

        class Tower(keras.Model):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(units)

            def call(self, x):
                return self.dense(x)
    """,
    "plain ints and strings (Keras 3 records them)": """
        import keras

        class Linear(keras.layers.Layer):
            def __init__(self, units=32, activation="relu", **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.activation = keras.activations.get(activation)

            def call(self, x):
                return self.activation(x)
    """,
    "a layer with its own get_config": """
        import keras

        class Residual(keras.layers.Layer):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner

            def call(self, x):
                return x + self.inner(x)

            def get_config(self):
                config = super().get_config()
                config["inner"] = keras.saving.serialize_keras_object(self.inner)
                return config
    """,
    "an in-tree ancestor implements get_config": """
        import keras

        class Base(keras.layers.Layer):
            def get_config(self):
                return super().get_config()

        class Residual(Base):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner

            def call(self, x):
                return self.inner(x)
    """,
    "a built-in layer base brings its own get_config": """
        import keras

        class MaskedConv(keras.layers.Conv2D):
            def __init__(self, filters, mask_fn, **kwargs):
                super().__init__(filters, 3, **kwargs)
                self.mask_fn = mask_fn

            def call(self, x):
                return self.mask_fn(super().call(x))
    """,
    "a Sequential subclass": """
        import keras

        class Stack(keras.Sequential):
            def __init__(self, units, **kwargs):
                super().__init__([keras.layers.Dense(units)], **kwargs)
    """,
    "a Model with no constructor arguments but **kwargs": """
        import keras

        class Tiny(keras.Model):
            def __init__(self, name=None, **kwargs):
                super().__init__(name=name, **kwargs)
                self.head = keras.layers.Dense(1)
    """,
    "an argument stored but never called": """
        import keras

        class Lookup(keras.layers.Layer):
            def __init__(self, vocabulary, **kwargs):
                super().__init__(**kwargs)
                self.vocabulary = vocabulary
    """,
    "a Model whose arguments all have defaults (Keras 3 records the defaults)": """
        import keras

        class Classifier(keras.Model):
            def __init__(self, num_classes=10, **kwargs):
                super().__init__(**kwargs)
                self.head = keras.layers.Dense(num_classes)
    """,
    "a Model that overrides save() (it hands off to an inner model)": """
        import keras

        class Trainer(keras.Model):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner

            def call(self, x):
                return self.inner(x)

            def save(self, filepath, **kwargs):
                self.inner.save(filepath, **kwargs)
    """,
    "a throwaway layer inside a test": """
        import keras

        def test_wrapping(inner):
            class Wrap(keras.layers.Layer):
                def __init__(self, inner):
                    super().__init__()
                    self.inner = inner

                def call(self, x):
                    return self.inner(x)

            return Wrap(inner)
    """,
    "an abstract base (abstract methods): never instantiated, so never saved itself": """
        import abc
        import tensorflow as tf

        class Retriever(tf.keras.Model, abc.ABC):
            def __init__(self, k, **kwargs):
                super().__init__(**kwargs)
                self._k = k

            @abc.abstractmethod
            def index(self, candidates):
                raise NotImplementedError()
    """,
}


test_triggers, test_does_not_trigger = rule_tests("KC303", INVALID, VALID)


def test_reports_the_parameter():
    [finding] = assert_triggers("KC303", INVALID["sub-models of a GAN wrapper (`from tensorflow import keras`)"])
    assert finding.line == 5 and "'discriminator'" in finding.message and "(and 1 more)" in finding.message
    assert finding.help.startswith("'discriminator', 'generator' cannot be recorded: ")


def test_cross_file_ancestor_get_config(project):
    """An ancestor's get_config in another file satisfies KC303; without it, it triggers."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                from tensorflow import keras

                class Configured(keras.layers.Layer):
                    def get_config(self):
                        return super().get_config()

                class Bare(keras.layers.Layer):
                    pass
            """,
            "pkg/blocks.py": """
                from pkg.base import Bare, Configured

                class Quiet(Configured):
                    def __init__(self, inner, **kwargs):
                        super().__init__(**kwargs)
                        self.inner = inner

                    def call(self, x):
                        return self.inner(x)

                class Loud(Bare):
                    def __init__(self, inner, **kwargs):
                        super().__init__(**kwargs)
                        self.inner = inner

                    def call(self, x):
                        return self.inner(x)
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC303",)))
    assert [(f.code, f.path.endswith("blocks.py"), f.line) for f in result.findings] == [("KC303", True, 13)]


def test_a_model_given_a_sub_layer_says_what_keras_2_does():
    """tf_keras writes the .keras file (an empty config) and fails on reload; a SavedModel
    directory works (measured: KC303:model-sublayer-arg+no-get-config/*)."""
    code = """
        import tf_keras as keras

        class Trainer(keras.Model):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner

            def call(self, x):
                return self.inner(x)
    """
    [finding] = assert_triggers("KC303", code)
    assert finding.message.endswith("on Keras 2, its .keras file does not reload")
    assert "the file holds an empty config, and load_model fails" in finding.help
    assert "SavedModel directory still saves and reloads" in finding.help


def test_a_functional_model_subclass_saves_and_fails_to_reload_on_both_kerases():
    """keras-resnet's style: the config is the graph, without the constructor's arguments
    (measured: KC303:functional-model-arg/*). Not "saving fails", and not silent on Keras 2."""
    code = """
        import {keras}

        class ResNet({keras}.Model):
            def __init__(self, inputs, block, classes=10, **kwargs):
                x = block(inputs)
                super().__init__(inputs=inputs, outputs={keras}.layers.Dense(classes)(x), **kwargs)
    """
    for module in ("keras", "tf_keras"):
        [finding] = assert_triggers("KC303", code.replace("{keras}", module))
        assert finding.message.endswith("the model saves, but load_model fails"), finding.message
        assert finding.help.startswith("TypeError"), finding.help  # the message holds the headline
