"""KC305 serializable-not-registered: positives and the traps that must stay quiet."""
import os
import textwrap

from lintutil import Invalid, assert_clean, assert_triggers, rule_tests

from kerascheck import check_paths
from kerascheck.config import Settings

_SCALE = """
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}
"""
_FUNCTIONAL = """
    inputs = keras.Input((3,))
    model = keras.Model(inputs, Scale()(inputs))
"""


def _script(head: str, tail: str, classes: str = _SCALE, build: str = _FUNCTIONAL) -> str:
    """A module: its imports, the classes, the model built and what it does with it."""
    return "\n".join(textwrap.dedent(part).strip("\n") + "\n" for part in (head, classes, build, tail) if part.strip())


INVALID = {
    "a layer in a functional model, .keras (`import keras`)": _script("import keras\n", """
    model.save("model.keras")
    restored = keras.models.load_model("model.keras")
    """),
    "a Sequential model to .h5 (`from tensorflow import keras`)": _script("from tensorflow import keras\n", """
    model = keras.Sequential([keras.Input((3,)), Scale()])
    model.save("model.h5")
    restored = keras.models.load_model("model.h5")
    """, build=""),
    "built by a builder function, saved and loaded in functions": _script("import keras\n", """
    def build():
        inputs = keras.Input((3,))
        return keras.Model(inputs, Scale()(inputs))

    def train(out_dir):
        model = build()
        model.save(f"{out_dir}/model.keras")

    def predict(path):
        return keras.models.load_model(path)
    """, build=""),
    "a subclassed Model (`from keras.models import Model`)": """
        import keras
        from keras.models import Model

        class Net(Model):
            def __init__(self, units=2, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(units)

            def call(self, x):
                return self.dense(x)

        net = Net()
        net.save("net.keras")
        net = keras.saving.load_model("net.keras")
    """,
    "a Loss given to compile()": """
        import keras

        class SquaredError(keras.losses.Loss):
            def call(self, y_true, y_pred):
                return (y_true - y_pred) ** 2

        def train(model, out):
            model.compile(optimizer="adam", loss=SquaredError())
            model.save(out + "/trained.keras")

        model = keras.models.load_model("runs/trained.keras")
    """,
    "a Metric, saved by a ModelCheckpoint to .h5 (tf.keras)": """
        import tensorflow as tf

        class Batches(tf.keras.metrics.Metric):
            def update_state(self, y_true, y_pred, sample_weight=None):
                pass

            def result(self):
                return 0.0

        def train(model, data):
            model.compile(optimizer="adam", loss="mse", metrics=[Batches()])
            checkpoint = tf.keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True)
            model.fit(data, callbacks=[checkpoint])

        best = tf.keras.models.load_model("best.h5")
    """,
    "custom_objects that name another class only": _script("import keras\nfrom other import Other\n", """
    model.save("model.keras")
    restored = keras.models.load_model("model.keras", custom_objects={"Other": Other})
    """),
    "a Model that saves itself": """
        import keras

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(2)

            def call(self, x):
                return self.dense(x)

            def checkpoint(self):
                self.save("net.keras")

        restored = keras.models.load_model("net.keras")
    """,
    "the path built with os.path.join, saved with save_model": _script("import os\n\nimport keras\n", """
    path = os.path.join("out", "model.h5")
    keras.models.save_model(model, path)
    restored = keras.models.load_model(path)
    """),
    "a registered parent does not register its subclass": """
        import keras

        @keras.saving.register_keras_serializable(package="demo")
        class Base(keras.layers.Layer):
            def call(self, x):
                return x

        class Child(Base):
            pass

        inputs = keras.Input((3,))
        model = keras.Model(inputs, Child()(inputs))
        model.save("model.keras")
        keras.models.load_model("model.keras")
    """,
    "a trainer class whose builder method constructs the layer": """
        import keras

        class Scale(keras.layers.Layer):
            def call(self, x):
                return x * 2

        class Trainer:
            def __init__(self):
                self.model = self.build_model()

            def build_model(self):
                inputs = keras.Input((3,))
                return keras.Model(inputs, Scale()(inputs))

            def export(self):
                self.model.save("exported.keras")

            def restore(self):
                self.model = keras.models.load_model("exported.keras")
    """,
    "a checkpoint given to fit through a callbacks list": _script("import keras\n", """
    callbacks = [keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True)]
    model.fit(data, callbacks=callbacks)
    best = keras.models.load_model("best.keras")
    """),
    "two custom layers, two findings": Invalid(_script("import keras\n", """
    class Shift(keras.layers.Layer):
        def call(self, x):
            return x + 1

    model = keras.Sequential([keras.Input((3,)), Scale(), Shift()])
    model.save("model.keras")
    keras.models.load_model("model.keras")
    """, build=""), count=2),
    "the message says what happens and where": Invalid(_script("import keras\n", """
    model.save("model.keras")
    restored = keras.models.load_model("model.keras")
    """), message_contains="saved by model.save to a .keras file (line 17) and loaded back (line 18)"),
}

VALID = {
    "registered with keras.saving": _script("import keras\n", """
    model.save("model.keras")
    keras.models.load_model("model.keras")
    """, classes='\n    @keras.saving.register_keras_serializable(package="demo")' + _SCALE),
    "registered with tf.keras.utils": _script("import tensorflow as tf\nkeras = tf.keras\n", """
    model.save("model.keras")
    tf.keras.models.load_model("model.keras")
    """, classes="\n    @tf.keras.utils.register_keras_serializable()" + _SCALE),
    "registered through an imported alias": _script(
        "import keras\nfrom keras.saving import register_keras_serializable as serializable\n", """
    model.save("model.keras")
    keras.models.load_model("model.keras")
    """, classes="\n    @serializable()" + _SCALE),
    "registered by a project decorator that calls it": _script("import keras\n", """
    model.save("model.keras")
    keras.models.load_model("model.keras")
    """, classes="""
    def export(cls):
        return keras.saving.register_keras_serializable(package="demo")(cls)

    @export""" + _SCALE),
    "custom_objects names it": _script("import keras\n", """
    model.save("model.keras")
    keras.models.load_model("model.keras", custom_objects={"Scale": Scale})
    """),
    "custom_objects from a module-level dict": _script("import keras\n", """
    CUSTOM = {"Scale": Scale}
    model.save("model.keras")
    keras.models.load_model("model.keras", custom_objects=CUSTOM)
    """),
    "custom_objects built elsewhere: it may name any class": _script("import keras\nfrom registry import OBJECTS\n", """
    model.save("model.keras")
    keras.models.load_model("model.keras", custom_objects=OBJECTS)
    """),
    "a custom_object_scope": _script("import keras\n", """
    model.save("model.keras")
    with keras.saving.custom_object_scope({"Scale": Scale}):
        keras.models.load_model("model.keras")
    """),
    "get_custom_objects() entry": _script("import keras\n", """
    keras.saving.get_custom_objects()["Scale"] = Scale
    model.save("model.keras")
    keras.models.load_model("model.keras")
    """),
    "get_custom_objects().update through a name": _script("import tensorflow as tf\nkeras = tf.keras\n", """
    registry = tf.keras.utils.get_custom_objects()
    registry.update({"Scale": Scale})
    model.save("model.h5")
    tf.keras.models.load_model("model.h5")
    """),
    "register_keras_serializable called on the class": _script("import keras\n", """
    keras.saving.register_keras_serializable(package="demo")(Scale)
    model.save("model.keras")
    keras.models.load_model("model.keras")
    """),
    "saved, never loaded": _script("import keras\n", """
    model.save("model.keras")
    """),
    "a loss, loaded with compile=False": """
        import keras

        class SquaredError(keras.losses.Loss):
            def call(self, y_true, y_pred):
                return (y_true - y_pred) ** 2

        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.compile(optimizer="adam", loss=SquaredError())
        model.save("model.keras")
        keras.models.load_model("model.keras", compile=False)
    """,
    "a layer built inside a registered model's body": _script("import keras\n", """
    @keras.saving.register_keras_serializable(package="demo")
    class Net(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.scale = Scale()

        def call(self, x):
            return self.scale(x)

    net = Net()
    net.save("net.keras")
    keras.models.load_model("net.keras")
    """, build=""),
    "weights only": _script("import keras\n", """
    model.save_weights("model.weights.h5")
    model.load_weights("model.weights.h5")
    checkpoint = keras.callbacks.ModelCheckpoint("best.weights.h5", save_weights_only=True)
    other = keras.models.load_model("pretrained.keras")
    """),
    "the saving code never builds it": _script("import keras\n", """
    def train():
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.save("model.keras")

    restored = keras.models.load_model("model.keras")
    """, build=""),
    "saved to .h5, only a .keras file is loaded": _script("import keras\n", """
    model.save("model.h5")
    keras.models.load_model("pretrained.keras")
    """),
    "np.save and tf.saved_model.save are not model saves": _script(
        "import keras\nimport numpy as np\nimport tensorflow as tf\n", """
    np.save("features.keras", model.predict(data))
    tf.saved_model.save(model, "exported")
    keras.models.load_model("pretrained.keras")
    """),
    "x.save(path) on something not named like a model": _script("import keras\nimport tensorflow as tf\n", """
    checkpoint = tf.train.Checkpoint(model=model)
    checkpoint.save(prefix)
    keras.models.load_model(path)
    """),
    "load_model(path, **options): the options may hold custom_objects": _script("import keras\n", """
    model.save("model.keras")
    keras.models.load_model("model.keras", **LOAD_OPTIONS)
    """),
    "a SavedModel directory on Keras 3 (KC507's finding)": _script("import keras\n", """
    model.save("saved_model")
    keras.models.load_model("saved_model")
    """),
    "a tutorial that saves another model than the one with the layer": _script("import keras\n", """
    other = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    other.save("plain.keras")
    restored = keras.models.load_model("plain.keras")
    """),
    "a load above the save in a script reads another file": _script("import keras\n", """
    pretrained = keras.models.load_model(path)
    model.save(path)
    """),
    "a path assigned the same directory twice (a SavedModel directory on Keras 3)": _script("import keras\n", """
    path = "/tmp/export"
    first = keras.Sequential([keras.layers.Dense(2)])
    first.save(path)
    path = "/tmp/export"
    model.save(path)
    restored = keras.models.load_model(path)
    """),
    "a project's own load_model that passes custom_objects": _script("import keras\n", """
    def load_model(path):
        return keras.models.load_model(path, custom_objects={"Scale": Scale})

    model.save("model.keras")
    restored = load_model("model.keras")
    """),
}

test_triggers, test_does_not_trigger = rule_tests("KC305", INVALID, VALID)

# Keras 2 (tf_keras, a project pinned to TensorFlow 2.15, TF_USE_LEGACY_KERAS): the same
# code where only some situations fail.
INVALID_KERAS2 = {
    "a layer in a .keras file (tf_keras)": _script("import tf_keras as keras\n", """
    model.save("model.keras")
    keras.models.load_model("model.keras")
    """),
    "a layer in .h5 (tf_keras)": _script("import tf_keras\nkeras = tf_keras\n", """
    model.save("model.h5")
    tf_keras.models.load_model("model.h5")
    """),
    "save_format=\"h5\" makes an .h5 file of any path": _script("import tf_keras as keras\n", """
    model.save(output_path, save_format="h5")
    keras.models.load_model(output_path)
    """),
    "a loss in a SavedModel directory": """
        import tensorflow as tf

        class SquaredError(tf.keras.losses.Loss):
            def call(self, y_true, y_pred):
                return (y_true - y_pred) ** 2

        model = tf.keras.Sequential([tf.keras.layers.Dense(2)])
        model.compile(optimizer="adam", loss=SquaredError())
        model.save("export/model")
        tf.keras.models.load_model("export/model")
    """,
}
VALID_KERAS2 = {
    "a subclassed model in a .keras file: tf_keras imports its module": """
        import tensorflow as tf

        class Net(tf.keras.Model):
            def call(self, x):
                return x

        net = Net()
        net.save("net.keras")
        tf.keras.models.load_model("net.keras")
    """,
    "a loss in a .keras file": """
        import tensorflow as tf

        class SquaredError(tf.keras.losses.Loss):
            def call(self, y_true, y_pred):
                return (y_true - y_pred) ** 2

        model = tf.keras.Sequential([tf.keras.layers.Dense(2)])
        model.compile(optimizer="adam", loss=SquaredError())
        model.save("model.keras")
        tf.keras.models.load_model("model.keras")
    """,
    "a layer in a SavedModel directory: revived from the graph": _script("import tensorflow as tf\nkeras = tf.keras\n", """
    model.save("saved_model")
    tf.keras.models.load_model("saved_model")
    """),
    "a path whose format is not known": _script("import tensorflow as tf\nkeras = tf.keras\n", """
    def save(model, path):
        model.save(path)

    tf.keras.models.load_model(path)
    """),
}
test_triggers_on_keras2, test_does_not_trigger_on_keras2 = rule_tests(
    "KC305", INVALID_KERAS2, VALID_KERAS2, target_keras="2")


def test_a_subclassed_model_in_a_keras_file_is_reported_on_keras_3_only():
    code = VALID_KERAS2["a subclassed model in a .keras file: tf_keras imports its module"]
    [finding] = assert_triggers("KC305", code, target_keras="3")
    assert finding.message.endswith("on Keras 3, load_model fails")
    assert finding.help.startswith("TypeError")
    assert_clean("KC305", code, target_keras="2")


def test_the_message_names_the_keras_where_only_one_fails():
    [finding] = assert_triggers("KC305", INVALID["a Loss given to compile()"])
    assert finding.message == (
        "loss 'SquaredError' is saved (line 10) and loaded back (line 12), unregistered: "
        "on Keras 3 (unpinned), load_model fails"
    )
    assert "saved by model.save to a .keras file (line 10) and loaded back (line 12)" in finding.help
    assert 'custom_objects={"SquaredError": SquaredError}' in finding.help


_PROJECT = {
    "pkg/__init__.py": "",
    "pkg/layers.py": """
        import keras

        class Scale(keras.layers.Layer):
            def call(self, x):
                return x * 2
    """,
    "pkg/model.py": """
        import keras
        from pkg.layers import Scale

        def build():
            inputs = keras.Input((3,))
            return keras.Model(inputs, Scale()(inputs))
    """,
    "train.py": """
        from pkg import model as models

        def main():
            model = models.build()
            model.save("out/model.keras")
    """,
    "pkg/data.py": """
        import numpy as np

        def batch():
            return np.ones((1, 3), "float32")
    """,
    "predict.py": """
        import keras
        from pkg.data import batch

        model = keras.models.load_model("out/model.keras")
        print(model.predict(batch()))
    """,
}


def _lint_project(root):
    return check_paths([root], Settings(select=("KC305",))).findings


def test_saved_through_a_builder_in_another_file_and_loaded_in_a_third(project):
    [finding] = _lint_project(project(_PROJECT))
    assert finding.path.endswith("layers.py") and finding.line == 4
    assert "is saved (train.py:6) and loaded back (predict.py:5)" in finding.message
    assert "saved by model.save to a .keras file (train.py:6) and loaded back (predict.py:5)" in finding.help
    assert 'package="pkg"' in finding.help


def test_places_that_do_not_fit_in_the_message_go_to_help(project):
    files = dict(_PROJECT)
    long_train, long_predict = "train_the_segmentation_model_on_all_shards.py", "predict_masks_for_the_validation_split.py"
    files[long_train], files[long_predict] = files.pop("train.py"), files.pop("predict.py")
    [finding] = _lint_project(project(files))
    assert finding.message == "layer 'Scale' is saved and loaded back, unregistered: on Keras 3 (unpinned), load_model fails"
    assert f"({long_train}:6) and loaded back ({long_predict}:5)" in finding.help


def test_custom_objects_in_another_file_cover_the_class(project):
    files = dict(_PROJECT, **{"predict.py": """
        import keras
        from pkg.data import batch
        from pkg.layers import Scale

        model = keras.models.load_model("out/model.keras", custom_objects={"Scale": Scale})
    """})
    assert _lint_project(project(files)) == []


def test_a_script_beside_the_training_script_counts(project):
    """train.py and predict.py side by side, predict.py importing nothing of the project."""
    files = dict(_PROJECT, **{"predict.py": """
        import keras

        model = keras.models.load_model("out/model.keras")
    """})
    [finding] = _lint_project(project(files))
    assert "loaded back (predict.py:4)" in finding.message


def test_unrelated_scripts_do_not_read_each_others_files(project):
    """A folder of independent examples (keras-io): a load in one script is not a reload
    of what another saved, unless the two sit side by side or reach a common module."""
    files = {name: text for name, text in _PROJECT.items() if name not in ("train.py", "predict.py")}
    files["examples/vision/train.py"] = _PROJECT["train.py"]
    files["examples/nlp/predict.py"] = """
        import keras

        model = keras.models.load_model("out/model.keras")
    """
    assert _lint_project(project(files)) == []
    files["examples/vision/predict.py"] = files.pop("examples/nlp/predict.py")
    assert len(_lint_project(project(files))) == 1  # side by side: the same program


def test_a_load_of_another_file_name_is_not_a_reload(project):
    files = dict(_PROJECT, **{"predict.py": _PROJECT["predict.py"].replace("out/model.keras", "out/other.keras")})
    assert _lint_project(project(files)) == []


def test_no_load_anywhere_in_the_project(project):
    files = {name: text for name, text in _PROJECT.items() if name != "predict.py"}
    assert _lint_project(project(files)) == []


def test_keras_3_finds_the_classes_of_the_keras_hub_package_by_import(project):
    files = {name.replace("pkg/", "keras_hub/").replace("from pkg", "from keras_hub"): text.replace("pkg", "keras_hub")
             for name, text in _PROJECT.items()}
    assert _lint_project(project(files)) == []


def test_every_snippet_is_python():
    """A snippet that does not parse would be silent for the wrong reason."""
    import ast

    for table in (INVALID, VALID, INVALID_KERAS2, VALID_KERAS2):
        for name, case in table.items():
            ast.parse(textwrap.dedent(case.code if isinstance(case, Invalid) else case), name)


def _fixed(code: str, target_keras: str = "auto") -> str:
    from kerascheck.api import fix_source

    fixed, _findings, errors = fix_source(
        textwrap.dedent(code), path="train.py", config=Settings(select=("KC305",), target_keras=target_keras), unsafe=True)
    assert errors == []
    return fixed


def test_the_fix_spells_keras_the_way_the_module_does():
    parts_only = _fixed("""
        from keras import layers, models

        class Scale(layers.Layer):
            def call(self, x):
                return x * 2

        model = models.Sequential([layers.Input((3,)), Scale()])
        model.save("model.keras")
        models.load_model("model.keras")
    """)
    assert "\nimport keras\n" in parts_only
    assert '@keras.saving.register_keras_serializable(package="train")\nclass Scale' in parts_only
    shim = _fixed(INVALID["a Metric, saved by a ModelCheckpoint to .h5 (tf.keras)"])
    assert '@tf.keras.utils.register_keras_serializable(package="train")\nclass Batches' in shim
    legacy = _fixed(INVALID_KERAS2["a layer in a .keras file (tf_keras)"], target_keras="2")
    assert '@keras.saving.register_keras_serializable(package="train")\nclass Scale' in legacy
    for fixed, target in ((parts_only, "auto"), (shim, "auto"), (legacy, "2")):
        assert_clean("KC305", fixed, target_keras=target)


def test_the_fix_files_the_class_under_its_top_level_package(project):
    """Fixed in a run over the project (the save and the load are in other files), the
    class is registered under its package, and the project is then clean."""
    from kerascheck.fix import FixMode

    root = project(_PROJECT)
    result = check_paths([root], Settings(select=("KC305",)), fix=FixMode(unsafe=True))
    assert result.findings == []
    with open(f"{root}/pkg/layers.py", encoding="utf-8") as handle:
        assert '@keras.saving.register_keras_serializable(package="pkg")\nclass Scale' in handle.read()


def test_a_shared_path_expression_links_two_scripts(project):
    """train.py and predict.py name the file through one setting, not a literal."""
    files = {name: text for name, text in _PROJECT.items() if name not in ("train.py", "predict.py")}
    files["config.py"] = 'MODEL_PATH = "out/" + "model.keras"\n'
    files["train.py"] = """
        import config
        from pkg import model as models

        model = models.build()
        model.save(config.MODEL_PATH)
    """
    files["predict.py"] = """
        import keras
        from config import MODEL_PATH

        model = keras.models.load_model(MODEL_PATH)
    """
    assert len(_lint_project(project(files))) == 0  # config.MODEL_PATH and MODEL_PATH: two spellings
    files["predict.py"] = files["predict.py"].replace("from config import MODEL_PATH", "import config").replace(
        "load_model(MODEL_PATH)", "load_model(config.MODEL_PATH)")
    [finding] = _lint_project(project(files))
    assert "loaded back (predict.py:5)" in finding.message


def test_the_cache_rechecks_the_class_when_the_loading_file_changes(project, tmp_path):
    """The finding on the class depends on another file: fixing the load there clears it."""
    root = project(_PROJECT)
    settings = Settings(select=("KC305",))
    cache = str(tmp_path / "cache")
    assert len(check_paths([root], settings, cache_dir=cache).findings) == 1
    (tmp_path / "predict.py").write_text(textwrap.dedent(_PROJECT["predict.py"]).replace(
        'load_model("out/model.keras")', 'load_model("out/model.keras", custom_objects={"Scale": Scale})'
    ).replace("import keras\n", "import keras\nfrom pkg.layers import Scale\n"), encoding="utf-8")
    assert check_paths([root], settings, cache_dir=cache).findings == []


def test_the_cache_rechecks_the_class_when_a_file_starts_loading(project, tmp_path, monkeypatch):
    """A new load elsewhere: the class's file is checked again; an edit that touches no
    save, load or custom object leaves it cached (its finding depends on the list of
    saving files, not on every file)."""
    from kerascheck import engine

    checked = []
    original = engine.Checker.check_recording
    monkeypatch.setattr(engine.Checker, "check_recording",
                        lambda self, scan: checked.append(os.path.basename(scan.path)) or original(self, scan))
    root = project({name: text for name, text in _PROJECT.items() if name != "predict.py"})
    settings = Settings(select=("KC305",))
    cache = str(tmp_path / "cache")
    assert check_paths([root], settings, cache_dir=cache).findings == []
    checked.clear()
    (tmp_path / "pkg" / "data.py").write_text("import numpy as np\n\n\ndef batch():\n    return np.zeros(3)\n")
    assert check_paths([root], settings, cache_dir=cache).findings == []
    assert checked == ["data.py"]
    (tmp_path / "predict.py").write_text(textwrap.dedent(_PROJECT["predict.py"]), encoding="utf-8")
    assert len(check_paths([root], settings, cache_dir=cache).findings) == 1
