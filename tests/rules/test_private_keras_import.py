"""KC404 private-keras-import: positives and the traps that must stay quiet."""
import pytest

from lintutil import assert_clean, assert_triggers, lint

INVALID = {
    "from keras.src (keras-hub's serialization_lib)": """
        from keras.src.saving import serialization_lib
    """,
    "from keras.src import a module": """
        from keras.src import backend
    """,
    "import keras.src...": """
        import keras.src.backend
    """,
    "import keras.src ... as": """
        import keras.src.utils.file_utils as file_utils
    """,
    "Keras 2 engine": """
        from keras.engine.base_layer import Layer
    """,
    "Keras 2 engine, plain import": """
        import keras.engine.topology
    """,
    "TensorFlow's legacy copy": """
        from tensorflow.python.keras.layers import Dense
    """,
    "TensorFlow's legacy copy, imported as a name": """
        from tensorflow.python import keras
    """,
    "from keras import src": """
        from keras import src
    """,
    "tf_keras internals": """
        from tf_keras.src.engine import base_layer
    """,
    "the package behind tf.keras": """
        from keras._tf_keras.keras import layers
    """,
    "private path reached through a public import": """
        import keras

        store = keras.src.saving.saving_lib.H5IOStore("model.weights.h5", mode="w")
    """,
    "Keras 2 engine reached through `from tensorflow import keras`-era code": """
        import keras

        class Old(keras.engine.base_layer.Layer):
            pass
    """,
}

VALID = {
    "public API": """
        import keras
        from keras import layers, ops
        from keras.saving import register_keras_serializable
        from tensorflow import keras as tfk
        from tensorflow.keras.layers import Dense
        import tf_keras
    """,
    "keras-hub's own src tree is not Keras-private": """
        from keras_hub.src.models.backbone import Backbone
        from keras_hub.src.api_export import keras_hub_export
    """,
    "relative imports name the linted tree": """
        from .src import utils
        from ..engine import base
    """,
    "other libraries' src": """
        from keras_cv.src.layers import RandAugment
        import tensorflow_hub.src
    """,
    "a string mentioning keras.src (mock.patch target)": """
        from unittest.mock import patch

        with patch("keras.src.backend.nn.dot_product_attention"):
            pass
    """,
    "an attribute named src on something else": """
        import keras
        image = load()
        path = image.src
    """,
}


@pytest.mark.parametrize("code", INVALID.values(), ids=INVALID.keys())
def test_triggers(code):
    assert_triggers("KC404", code)


@pytest.mark.parametrize("code", VALID.values(), ids=VALID.keys())
def test_does_not_trigger(code):
    assert_clean("KC404", code)


def test_reported_at_the_module_name():
    [finding] = [f for f in lint("from keras.src.saving import serialization_lib\n", ("KC404",))]
    assert (finding.line, finding.column, finding.end_column) == (1, 6, 22)
    assert "keras.saving" in finding.message


def test_one_finding_per_private_import():
    code = """
        from keras.src.backend import get_keras_mask
        from keras.src.backend import set_keras_mask
        import keras
    """
    assert_triggers("KC404", code, count=2)


def test_a_tree_that_is_keras_itself_is_not_flagged(project):
    """Imports that resolve into the linted tree are the project's own modules."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "keras/__init__.py": "",
            "keras/src/__init__.py": "",
            "keras/src/backend.py": "def get_keras_mask(x):\n    return None\n",
            "keras/src/layers.py": """
                from keras.src import backend

                class Layer:
                    pass
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC404",)))
    assert result.findings == []
