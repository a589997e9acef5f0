"""The errors KC5xx findings quote (the message names the exception, the help quotes the
error) are the ones the flagged code raises on Keras 3.15.1: the user's class where the
receiver's construction tells it (never another class), and the exception type that
matches the spelling (import, `from ... import`, attribute)."""
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from lintutil import lint  # noqa: E402


def _messages(code, snippet):
    return [f.message for f in lint(snippet, (code,)) if f.code == code]


def _helps(code, snippet):
    return [f.help for f in lint(snippet, (code,)) if f.code == code]


# ---- KC509: import -> ModuleNotFoundError / ImportError, attribute -> AttributeError ------------
@pytest.mark.parametrize("snippet,says", [
    ("import keras.engine.topology\n", "ModuleNotFoundError: No module named 'keras.engine'"),
    ("from keras.engine.topology import Layer\n", "ModuleNotFoundError: No module named 'keras.engine'"),
    ("from keras.layers.core import Dense\n", "ModuleNotFoundError: No module named 'keras.layers.core'"),
    ("from tensorflow.keras.engine import InputSpec\n",
     "ModuleNotFoundError: No module named 'tensorflow.keras.engine'"),
    ("from keras.layers import core\n", "ImportError: cannot import name 'core' from 'keras.layers'"),
    ("import keras\nbase = keras.engine.topology.Layer\n", "AttributeError: module 'keras' has no attribute 'engine'"),
    ("from keras import backend as K\nK.tensorflow_backend\n",
     "AttributeError: module 'keras.backend' has no attribute 'tensorflow_backend'"),
    ("import tensorflow as tf\nf = tf.keras.utils.np_utils.to_categorical\n",
     "AttributeError: ... has no attribute 'np_utils'"),
])
def test_kc509_error_follows_the_spelling(snippet, says):
    messages, helps = _messages("KC509", snippet), _helps("KC509", snippet)
    assert len(messages) == 1, messages
    assert f"({says.partition(':')[0]})" in messages[0]  # the message names the exception
    assert says in helps[0]  # the help quotes the error
    if says.startswith("AttributeError"):
        assert "ModuleNotFoundError" not in messages[0] + helps[0]


# ---- the receiver's class: the user's, or none -----------------------------------------------------
@pytest.mark.parametrize("code,snippet,says", [
    ("KC503", "import keras\nopt = keras.optimizers.SGD(0.1)\nrate = opt.lr\n", "'SGD' object has no attribute 'lr'"),
    ("KC503", "def rate(model):\n    return model.optimizer.lr\n", "AttributeError: ... object has no attribute 'lr';"),
    ("KC504", "import keras\n\ndef train(inputs, outputs, gen):\n    model = keras.Model(inputs, outputs)\n"
              "    model.fit_generator(gen)\n", "'Functional' object has no attribute 'fit_generator'"),
    ("KC504", "import keras\nmodel = keras.Sequential()\nmodel.fit_generator(gen)\n",
     "'Sequential' object has no attribute 'fit_generator'"),
    ("KC504", "import keras\n\nclass Net(keras.Model):\n    pass\n\nnet = Net()\nnet.fit_generator(gen)\n",
     "'Net' object has no attribute 'fit_generator'"),
    ("KC504", "import keras\n\ndef train(model: keras.Model, gen):\n    model.fit_generator(gen)\n",
     "AttributeError: ... object has no attribute 'fit_generator';"),
    ("KC515", "import keras\nconv = keras.layers.Conv2D(4, 3)\nshape = conv.output_shape\n",
     "'Conv2D' object has no attribute 'output_shape'"),
    ("KC515", "from keras import layers\npool = layers.MaxPool2D()\nshape = pool.output_shape\n",
     "'MaxPooling2D' object has no attribute 'output_shape'"),  # the alias's class
    ("KC515", "def shapes(model):\n    return [layer.output_shape for layer in model.layers]\n",
     "AttributeError: ... object has no attribute 'output_shape';"),
    ("KC526", "import keras\nopt = keras.optimizers.RMSprop()\nopt.minimize(loss, [v], tape=tape)\n",
     "'RMSprop' object has no attribute 'minimize'"),
    ("KC531", "import keras\nmean = keras.metrics.Mean()\nmean.reset_states()\n",
     "'Mean' object has no attribute 'reset_states'"),
    ("KC531", "import keras\n\ndef reset(inputs, outputs):\n    model = keras.Model(inputs, outputs)\n"
              "    model.reset_states()\n", "'Functional' object has no attribute 'reset_states'"),
])
def test_messages_name_the_receivers_class_or_none(code, snippet, says):
    messages, helps = _messages(code, snippet), _helps(code, snippet)
    assert len(messages) == 1, messages
    assert "(AttributeError)" in messages[0]
    assert says in helps[0]
    named = re.findall(r"'(\w+)' object", messages[0] + " " + helps[0])
    assert named == re.findall(r"'(\w+)' object", says)  # that class or none, never another


def test_kc531_override_message_says_keras3_zeroes_the_variables_instead():
    snippet = (
        "import keras\n\n"
        "class Best(keras.metrics.Metric):\n"
        "    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.best = self.add_variable(shape=(), initializer='ones', name='best')\n\n"
        "    def reset_states(self):\n"
        "        self.best.assign(1.0)\n"
    )
    messages = _messages("KC531", snippet)
    assert len(messages) == 1
    assert "Keras 3 zeroes the metric's variables instead" in messages[0]
    assert "keeps its state" not in messages[0]


def test_set_backend_points_at_keras_config():
    """keras.backend.set_backend is gone; Keras 3.15.1 has keras.config.set_backend
    (checked with hasattr), not a keras.ops function."""
    from kerascheck import check_source
    from kerascheck.config import Settings

    [finding] = check_source('import keras\nkeras.backend.set_backend("jax")\n', config=Settings(select=("KC501",)))
    assert finding.help.endswith("use keras.config.set_backend, or set KERAS_BACKEND before importing keras")


def test_a_legacy_optimizer_is_one_finding_not_also_decay():
    """tf.keras.optimizers.legacy raises ImportError on Keras 3 before `decay=` could be
    ignored: KC523 replaces KC522 on that line (tensorflow/addons' tests, held-out audit)."""
    from kerascheck import check_source
    from kerascheck.config import Settings

    code = "import tensorflow as tf\nopt = tf.keras.optimizers.legacy.SGD(learning_rate=0.1, decay=0.1)\n"
    assert [f.code for f in check_source(code, config=Settings(select=("KC5",)))] == ["KC523"]
    plain = "import tensorflow as tf\nopt = tf.keras.optimizers.SGD(learning_rate=0.1, decay=0.1)\n"
    assert [f.code for f in check_source(plain, config=Settings(select=("KC5",)))] == ["KC522"]
