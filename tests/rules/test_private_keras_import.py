"""KC404 private-keras-import: positives and the traps that must stay quiet, per target.

The rule reports a private import only where it fails (or its objects fail) on the file's
Keras; a `keras.src` module that exists there is not reported."""
from lintutil import lint, rule_tests

# Keras 3: the snippets' own target (no pin: Keras 3 assumed).
INVALID_KERAS3 = {
    "Keras 2 engine": """
        from keras.engine.base_layer import Layer
    """,
    "Keras 2 engine, plain import": """
        import keras.engine.topology
    """,
    "Keras 2 engine, module imported by name": """
        from keras import engine
    """,
    "Keras 2 engine reached through `import keras`": """
        import keras

        class Old(keras.engine.base_layer.Layer):
            pass
    """,
    "keras.src.engine (keras 2.13-2.15)": """
        from keras.src.engine import base_layer
    """,
    "a Keras 2 module imported as a name": """
        from keras.src.utils import generic_utils
    """,
    "a Keras 2 module among Keras 3 ones": """
        from keras.src.utils import file_utils, conv_utils
    """,
    "a Keras 2 module, import ... as": """
        import keras.src.utils.np_utils as np_utils
    """,
    "TensorFlow's legacy copy: layers": """
        from tensorflow.python.keras.layers import Dense
    """,
    "TensorFlow's legacy copy, imported as a name": """
        from tensorflow.python import keras
    """,
    "TensorFlow's legacy copy: the Layer base": """
        from tensorflow.python.keras.engine.base_layer import Layer
    """,
    "TensorFlow's legacy copy: models": """
        from tensorflow.python.keras.models import Sequential
    """,
    "TensorFlow's legacy copy: optimizers": """
        from tensorflow.python.keras.optimizer_v2.adam import Adam
    """,
    "TensorFlow's legacy copy reached through `import tensorflow as tf`": """
        import tensorflow as tf

        dense = tf.python.keras.layers.Dense(1)
    """,
    "TensorFlow's legacy copy in a try: the import works, its layers do not": """
        try:
            from tensorflow.python.keras import layers
        except ImportError:
            from keras import layers
    """,
    "a handler that re-raises lets the failure through": """
        try:
            from keras.engine.base_layer import Layer
        except ImportError as error:
            raise ImportError("needs Keras 2.12 or older") from error
    """,
    "a handler that exits lets the failure through": """
        import sys

        try:
            from keras.engine.base_layer import Layer
        except ImportError:
            print("install keras<2.13")
            sys.exit(1)
    """,
    "a try around a function does not run its import": """
        try:
            def build():
                from keras.engine.base_layer import Layer
                return Layer()
        except ImportError:
            build = None
    """,
    "an if that is not a version test": """
        import os

        if os.environ.get("OLD"):
            from keras.engine.base_layer import Layer
    """,
}

INVALID_KERAS2 = {
    "a Keras 3 module": """
        from keras.src.testing import TestCase
    """,
    "a Keras 3 module imported as a name": """
        from keras.src import ops
    """,
    "below a module that is a package only in Keras 3": """
        from keras.src.backend.common import keras_tensor
    """,
    "the package behind tf.keras in Keras 3": """
        from keras._tf_keras.keras import layers
    """,
    "Keras 2 engine, gone from 2.13": """
        from keras.engine import training
    """,
    "tf_keras.engine, which no tf_keras has": """
        import tf_keras

        class Old(tf_keras.engine.base_layer.Layer):
            pass
    """,
    "TensorFlow's legacy copy: layers": """
        from tensorflow.python.keras import layers
    """,
}

INVALID_KERAS2_OLD = {
    "keras.src, which Keras 2.12 and older do not have": """
        from keras.src.layers import Dense
    """,
    "a Keras 3 module": """
        from keras.src.testing import TestCase
    """,
}

VALID_KERAS3 = {
    "public API": """
        import keras
        from keras import layers, ops
        from keras.saving import register_keras_serializable
        from tensorflow import keras as tfk
        from tensorflow.keras.layers import Dense
        import tf_keras
    """,
    "keras.src modules Keras 3 has: no public equivalent, and they work": """
        from keras.src.applications.imagenet_utils import correct_pad, obtain_input_shape
        from keras.src.utils.argument_validation import standardize_tuple
        from keras.src.testing import TestCase
        from keras.src.saving import serialization_lib
        from keras.src import backend
        import keras.src.utils.file_utils as file_utils
        from keras import src
    """,
    "a keras.src path reached through `import keras`": """
        import keras

        store = keras.src.saving.saving_lib.H5IOStore("model.weights.h5", mode="w")
    """,
    "the package behind tf.keras exists in Keras 3": """
        from keras._tf_keras.keras import layers
    """,
    "tf_keras's own tree": """
        from tf_keras.src.engine import base_layer
    """,
    "TensorFlow's legacy copy: helpers measured to work": """
        from tensorflow.python.keras.utils import conv_utils
        from tensorflow.python.keras import backend as K
        from tensorflow.python.keras.callbacks import EarlyStopping
        from tensorflow.python.keras.losses import MeanSquaredError
        from tensorflow.python.keras.engine import data_adapter
    """,
    "the try of a fallback": """
        try:
            from keras.engine.base_layer import Layer
        except ImportError:
            from keras.layers import Layer
    """,
    "the try of a fallback that only passes": """
        try:
            from keras.src.engine import base_layer
        except (ImportError, AttributeError):
            base_layer = None
    """,
    "the fallback of a public import": """
        try:
            from keras.layers import Layer
        except ImportError:  # Keras 2.12 and older
            from keras.engine.base_layer import Layer
    """,
    "TensorFlow's legacy copy as the fallback": """
        try:
            from tensorflow.keras.layers import Dense
        except ImportError:
            from tensorflow.python.keras.layers import Dense
    """,
    "under a version test": """
        import tensorflow as tf

        if tf.__version__ < "2.13":
            from keras.engine import base_layer
        else:
            from keras import layers
    """,
    "under a test of a name assigned from the version": """
        import keras

        major, minor = (int(part) for part in keras.__version__.split(".")[:2])
        if (major, minor) < (2, 13):
            from keras.engine.base_layer import Layer
    """,
    "under hasattr": """
        import keras

        if hasattr(keras, "engine"):
            from keras.engine.base_layer import Layer
    """,
    "under TYPE_CHECKING": """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from keras.engine.base_layer import Layer
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

        with patch("keras.engine.base_layer.Layer"):
            pass
    """,
    "an attribute named src on something else": """
        import keras
        image = load()
        path = image.src
    """,
}

VALID_KERAS2 = {
    "keras.src modules keras 2.13+ has": """
        from keras.src.engine.base_layer import Layer
        from keras.src.utils import generic_utils
        from keras.src.utils.conv_utils import normalize_tuple
        from keras.src.saving import serialization_lib
    """,
    "a name of a plain module that is a package on Keras 3": """
        from keras.src.backend import floatx
        from keras.src.callbacks import Callback
    """,
    "TensorFlow's legacy copy: helpers": """
        from tensorflow.python.keras.utils import conv_utils
    """,
}

VALID_KERAS2_OLD = {
    "keras.engine exists up to Keras 2.12": """
        from keras.engine.base_layer import Layer
        import keras.engine.training
    """,
    "TensorFlow's legacy copy: not measured there, no claim": """
        from tensorflow.python.keras import layers
    """,
}


def _found(code, target):
    return [f for f in lint(code, ("KC404",), target_keras=target) if f.code == "KC404"]


test_triggers_on_keras3, test_does_not_trigger_on_keras3 = rule_tests("KC404", INVALID_KERAS3, VALID_KERAS3)
test_triggers_on_keras2, test_does_not_trigger_on_keras2 = rule_tests(
    "KC404", INVALID_KERAS2, VALID_KERAS2, target_keras="2"
)
test_triggers_on_keras2_old, test_does_not_trigger_on_keras2_old = rule_tests(
    "KC404", INVALID_KERAS2_OLD, VALID_KERAS2_OLD, target_keras="2.11"
)


def test_a_tf_keras_file_is_a_keras2_file():
    """The module's own tf_keras import makes its target Keras 2: a Keras 3 module fails."""
    code = """
        import tf_keras
        from keras.src.testing import TestCase
    """
    [finding] = _found(code, "auto")
    assert "on Keras 2 (" not in finding.message and "on Keras 2," in finding.message


def test_reported_at_the_module_name_with_the_public_home():
    [finding] = _found("from keras.src.engine.base_layer import Layer, InputSpec\n", "auto")
    assert (finding.line, finding.column, finding.end_column) == (1, 6, 33)
    assert finding.message == (
        "'keras.src.engine.base_layer' is an internal module of Keras 2: on Keras 3 (unpinned), importing it fails"
    )
    assert finding.help == (
        "it is an internal module of Keras 2 (the keras.src of Keras 2.13 to 2.15): "
        "on Keras 3 (unpinned), importing it fails: Keras 3 has no such module (ModuleNotFoundError or "
        "ImportError); use keras.layers.Layer, keras.layers.InputSpec instead"
    )


def test_a_name_without_public_equivalent_is_said_so():
    [finding] = _found("from keras.src.testing import TestCase\n", "2")
    assert finding.help.endswith("; `TestCase` has no public equivalent on Keras 2")
    [finding] = _found("from keras.engine.base_layer import Layer, Node\n", "3")
    assert finding.help.endswith("; use keras.layers.Layer instead; `Node` has no public equivalent on Keras 3")


def test_the_home_is_the_targets_own():
    """KerasTensor is public on Keras 3 only; CustomObjectScope lives in saving / utils."""
    [keras3] = _found("from keras.engine.keras_tensor import KerasTensor\n", "3")
    [keras2] = _found("from keras.engine.keras_tensor import KerasTensor\n", "2")
    assert keras3.help.endswith("use keras.KerasTensor instead")
    assert keras2.help.endswith("`KerasTensor` has no public equivalent on Keras 2")


def test_an_unchecked_name_gets_no_invented_home():
    [finding] = _found("from keras.src.utils.generic_utils import to_list\n", "auto")
    assert finding.help.endswith("import `to_list` from the public API if it is there (kerascheck has not checked it)")


def test_the_legacy_copy_says_what_fails():
    [finding] = _found("from tensorflow.python.keras.layers import Dense\n", "auto")
    assert finding.message.endswith("its layers are not Keras 3 layers")
    assert "a Sequential model refuses them" in finding.help
    assert "importing it fails" not in finding.message + finding.help
    assert finding.help.endswith("take layers from the Keras your models use (`keras.layers`)")


def test_one_finding_per_private_import():
    code = """
        from keras.src.engine import base_layer
        from keras.src.engine.input_spec import InputSpec
        import keras
    """
    assert len(_found(code, "auto")) == 2


def test_a_tree_that_is_keras_itself_is_not_flagged(project):
    """Imports that resolve into the linted tree are the project's own modules."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            "keras/__init__.py": "",
            "keras/engine/__init__.py": "",
            "keras/engine/base_layer.py": "class Layer:\n    pass\n",
            "keras/layers.py": """
                from keras.engine import base_layer

                class Dense(base_layer.Layer):
                    pass
            """,
        }
    )
    result = check_paths([root], Settings(select=("KC404",)))
    assert result.findings == []
