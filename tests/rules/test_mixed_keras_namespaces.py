"""KC403 mixed-keras-namespaces: positives and the traps that must stay quiet.

Measured on TensorFlow 2.21 (tests/affects_cases.py): standalone keras and tf.keras are
one Keras 3 there, and their objects mix; tf_keras is another library, and so is tf.keras
under TF_USE_LEGACY_KERAS next to an installed Keras 3. The positives below are therefore
checked in a module that sets TF_USE_LEGACY_KERAS (or that uses tf_keras), and the same
code without it is one library."""
import textwrap

import pytest

from lintutil import assert_clean, assert_triggers, lint, rule_tests

INVALID = {
    "a tf.keras.Model subclass built from keras layers (the catalog's example)": """
        import keras
        import tensorflow as tf

        class Distiller(tf.keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.tracker = keras.metrics.Mean(name="loss")
    """,
    "keras.Sequential of tensorflow.keras layers": """
        import keras
        from tensorflow.keras import layers

        model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1)])
    """,
    "a keras model compiled with a tf.keras optimizer": """
        import keras
        import tensorflow as tf

        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(optimizer=tf.keras.optimizers.AdamW(1e-3), loss="mse")
    """,
    "tf_keras layers in a keras model": """
        import keras
        import tf_keras

        model = keras.Sequential([tf_keras.layers.Dense(1)])
    """,
    "names imported from both": """
        from keras.layers import Dense
        from tensorflow.keras.models import Sequential

        model = Sequential([Dense(1)])
    """,
    "a function-level import of the other Keras": """
        import keras

        def legacy_model():
            from tensorflow import keras as tfk
            return tfk.models.load_model("old.h5")

        model = keras.Sequential([keras.layers.Dense(1)])
    """,
    "a module that rebinds `keras` after using it": """
        import keras

        model = keras.Sequential([keras.layers.Dense(1)])

        from tensorflow import keras

        restored = keras.models.load_model("ckpt")
    """,
}

VALID = {
    "keras-io's norm: keras for models, tf for data and ops": """
        import keras
        from keras import layers
        import tensorflow as tf

        dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)
        model = keras.Sequential([layers.Dense(1, activation=tf.nn.relu)])
        model.fit(dataset)
        grads = tf.GradientTape()
    """,
    "tf.keras only": """
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        model = keras.Sequential([layers.Dense(1)])
        model.compile(optimizer=tf.keras.optimizers.Adam())
    """,
    "tf.keras and tf_keras (both Keras 2 under TF_USE_LEGACY_KERAS)": """
        import os
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        import tensorflow as tf
        import tf_keras

        model = tf_keras.Sequential([tf_keras.layers.Dense(1)])
        model.compile(optimizer=tf.keras.optimizers.Adam())
    """,
    "try/except import fallback": """
        try:
            import keras
        except ImportError:
            from tensorflow import keras
        import tensorflow as tf

        model = keras.Sequential([keras.layers.Dense(1)])
        ds = tf.data.Dataset.range(3)
    """,
    "try/except fallback of a sub-module, then tf.keras elsewhere": """
        try:
            from keras import layers
        except ImportError:
            from tensorflow.keras import layers
        import tensorflow as tf

        dense = layers.Dense(1)
        optimizer = tf.keras.optimizers.Adam()
    """,
    "if/else switch on the version": """
        import tensorflow as tf

        if tf.__version__ >= "2.16":
            import keras
        else:
            from tensorflow import keras

        model = keras.Sequential([keras.layers.Dense(1)])
    """,
    "uses under a version test": """
        import keras
        import tensorflow as tf

        if keras.__version__.startswith("2"):
            optimizer = tf.keras.optimizers.legacy.Adam()
        else:
            optimizer = keras.optimizers.Adam()
    """,
    "fallback uses in an except handler": """
        import keras
        import tensorflow as tf

        try:
            optimizer = keras.optimizers.AdamW()
        except AttributeError:
            optimizer = tf.keras.optimizers.experimental.AdamW()
    """,
    "type tests accepting both": """
        import keras
        import tensorflow as tf

        def is_layer(obj):
            return isinstance(obj, (keras.layers.Layer, tf.keras.layers.Layer))

        layer = keras.layers.Dense(1)
    """,
    "sys.modules aliasing switch": """
        import sys
        import tensorflow as tf

        sys.modules["keras"] = tf.keras
        import keras

        model = keras.Sequential([tf.keras.layers.Dense(1)])
    """,
    "data-only helpers from the other Keras": """
        import keras
        import tensorflow as tf

        path = tf.keras.utils.get_file("data.zip", origin="https://example.com/data.zip")
        (x, y), _ = tf.keras.datasets.mnist.load_data()
        y = tf.keras.utils.to_categorical(y)
        model = keras.Sequential([keras.layers.Dense(10)])
    """,
    "an unused import of the other Keras": """
        import keras
        from tensorflow import keras as tfk

        model = keras.Sequential([keras.layers.Dense(1)])
    """,
    "straight rebinding before any use (patch_convnet)": """
        from tensorflow import keras
        import keras
        from keras import layers

        model = keras.Sequential([layers.Dense(1)])
    """,
    "keras-hub and friends are not a Keras flavour": """
        import keras_hub
        import keras_cv
        from tensorflow import keras

        model = keras.Sequential([keras.layers.Dense(1)])
        backbone = keras_hub.models.Backbone.from_preset("bert_tiny_en_uncased")
    """,
    "tf.keras in strings and comments only": """
        import keras

        # tf.keras.Model would also do
        doc = "see tf.keras.layers.Dense"
        model = keras.Sequential([keras.layers.Dense(1)])
    """,
    "one function per Keras, each with its own local import (dual support)": """
        def with_keras(build):
            import keras

            def wrapper(*args):
                return build(*args, layers=keras.layers)
            return wrapper

        def with_tf_keras(build):
            import tensorflow.keras as tfkeras
            return lambda *args: build(*args, layers=tfkeras.layers)

        def detect_keras_3():
            try:
                from tensorflow import keras
                return keras.version().startswith("3.")
            except ImportError:
                return False
    """,
    "keras.src.engine (Keras 2.13-2.15 only) is tf.keras's own implementation": """
        import tensorflow as tf
        from keras.src.engine import base_layer

        SKIPPED = {base_layer.TensorFlowOpLayer: [], tf.keras.layers.Dense: ["kernel"]}
    """,
}


LEGACY = 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\n'

test_triggers, test_does_not_trigger = rule_tests(
    "KC403", {name: LEGACY + textwrap.dedent(code) for name, code in INVALID.items()}, VALID
)


@pytest.mark.parametrize("code", [c for c in INVALID.values() if "tf_keras" not in c],
                         ids=[k for k, c in INVALID.items() if "tf_keras" not in c])
def test_one_library_without_the_legacy_switch(code):
    assert_clean("KC403", code)


def test_tf_keras_next_to_tf_keras_3():
    """tf_keras is a library of its own next to TensorFlow 2.16+'s tf.keras (Keras 3)."""
    assert_triggers("KC403", """
        import tensorflow as tf
        import tf_keras

        model = tf_keras.Sequential([tf_keras.layers.Dense(1)])
        model.compile(optimizer=tf.keras.optimizers.Adam())
    """)


def test_mutually_exclusive_branches_do_not_mix():
    assert_clean("KC403", LEGACY + textwrap.dedent("""
        import keras
        import tensorflow as tf

        def backend_name(is_tf_backend):
            if is_tf_backend:
                return tf.keras.backend.backend()
            else:
                return keras.backend.backend()
    """))


def test_once_per_module_at_the_first_use_of_the_second_keras():
    code = """\
import keras
import tensorflow as tf

model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer=tf.keras.optimizers.Adam())
callbacks = [tf.keras.callbacks.EarlyStopping()]
"""
    [finding] = lint(LEGACY + code, ("KC403",))
    assert (finding.line, finding.column) == (7, 25)
    assert "`keras.Sequential`" in finding.message and "`tf.keras.optimizers.Adam`" in finding.message


def test_cross_file_reexport(project):
    """A name re-exported by a module of the tree keeps its Keras flavour."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project(
        {
            ".env": "TF_USE_LEGACY_KERAS=1\n",
            "pkg/__init__.py": "",
            "pkg/compat.py": "from tensorflow.keras import layers as tf_layers\n",
            "pkg/model.py": """
                import keras
                from .compat import tf_layers

                model = keras.Sequential([tf_layers.Dense(1)])
            """,
        }
    )
    findings = check_paths([root], Settings(select=("KC403",))).findings
    assert [(f.code, f.path.endswith("model.py"), f.line) for f in findings] == [("KC403", True, 5)]


_KERAS_NEXT_TO_TF_KERAS = """
    import keras
    import tensorflow as tf

    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    parallel = keras.utils.multi_gpu_model(model, gpus=2)
"""


@pytest.mark.parametrize("pin,meet", [
    ("keras<=2.3.1", True),  # multi-backend keras: a library of its own beside tf.keras
    ("keras==2.2.4", True),
    ("keras==2.4.3", False),  # keras 2.4+ is tf.keras
    ("tensorflow==2.3.0", False),
])
def test_standalone_multi_backend_keras_next_to_tf_keras(project, pin, meet):
    """A project pinned to keras < 2.4 runs multi-backend Keras, which is not tf.keras:
    the two meet (keras-retinanet in the unseen-code audit)."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project({"requirements.txt": pin + "\n", "train.py": _KERAS_NEXT_TO_TF_KERAS})
    findings = check_paths([root], Settings(select=("KC403",))).findings
    assert [f.code for f in findings] == (["KC403"] if meet else [])


_SESSION_FROM_TF_KERAS = """
    import tensorflow as tf
    from keras.callbacks import EarlyStopping

    config = tf.compat.v1.ConfigProto()
    config.gpu_options.allow_growth = True
    tf.compat.v1.keras.backend.set_session(tf.compat.v1.Session(config=config))
    stop = EarlyStopping(patience=3)
"""


def test_a_session_setter_hands_no_keras_object_over(project):
    """tf.keras's set_session next to multi-backend keras 2.3 objects: no Keras object
    crosses, and keras 2.3's TensorFlow backend takes its session from tf.keras's
    (keras-yolo3 in the held-out audit); a model from the other library still meets."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project({"requirements.txt": "keras==2.3.1\ntensorflow==1.15.0\n", "train.py": _SESSION_FROM_TF_KERAS})
    assert check_paths([root], Settings(select=("KC403",))).findings == []
    mixed = textwrap.dedent(_SESSION_FROM_TF_KERAS) + "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
    root = project({"train.py": mixed})
    assert [f.code for f in check_paths([root], Settings(select=("KC403",))).findings] == ["KC403"]


_PICKING_COMPAT = """
    import tensorflow as tf

    if tf.__version__ < "2.16":
        from keras.src.engine import input_layer
    else:
        from tf_keras.src.engine import input_layer

    keras_input_layer_module = input_layer
"""
_THROUGH_COMPAT = """
    import tensorflow as tf
    from pkg import compat

    input_layer = compat.keras_input_layer_module


    def build(x) -> tf.keras.Model:
        inp = input_layer.Input(shape=(3,))
        return tf.keras.Model(inp, x)
"""


@pytest.mark.parametrize("compat", [
    _PICKING_COMPAT,
    _PICKING_COMPAT.replace('< "2.16"', '>= "2.16"').replace("keras.src.engine", "KERAS_SRC")
    .replace("tf_keras.src.engine", "keras.src.engine").replace("KERAS_SRC", "tf_keras.src.engine"),
], ids=["tf_keras-in-the-else-branch", "tf_keras-in-the-if-branch"])
def test_a_keras_another_module_picks_by_version_is_a_switch_there_too(project, compat):
    """tensorflow_gnn's tf_internal: `input_layer` comes from tf_keras or keras.src by what
    is installed, and a module that takes it through an alias also uses tf.keras: no mix,
    whichever branch comes first (a held-out false finding)."""
    from kerascheck import check_paths
    from kerascheck.config import Settings

    root = project({"requirements.txt": "tensorflow==2.15.0\n", "pkg/__init__.py": "",
                    "pkg/compat.py": compat, "pkg/use.py": _THROUGH_COMPAT})
    assert check_paths([root], Settings(select=("KC403",))).findings == []
    # the same use of a compat module that always hands out tf_keras is a mix
    fixed = textwrap.dedent(compat).split("if ")[0] + "from tf_keras.src.engine import input_layer\n" \
        "keras_input_layer_module = input_layer\n"
    root = project({"pkg/compat.py": fixed})
    assert [f.code for f in check_paths([root], Settings(select=("KC403",))).findings] == ["KC403"]
