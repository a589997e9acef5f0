"""The errors KC5xx messages quote are the ones the flagged code raises on Keras 3.15.1:
the user's class where the receiver's construction tells it (never another class), and
the exception type that matches the spelling (import, `from ... import`, attribute)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from lintutil import lint  # noqa: E402


def _messages(code, snippet):
    return [f.message for f in lint(snippet, (code,)) if f.code == code]


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
    messages = _messages("KC509", snippet)
    assert len(messages) == 1, messages
    assert says in messages[0]
    if says.startswith("AttributeError"):
        assert "ModuleNotFoundError" not in messages[0]
