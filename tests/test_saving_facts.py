"""The first pass for KC305 (kerascheck.semantic.saving_facts, model_slice): what a module
saves, in which format and file, what the saved model was built from, what it loads, and
which class names it hands to Keras."""
import ast
import textwrap

import pytest

from kerascheck.semantic.saving_facts import MODULE_BODY, collect


def _facts(code: str):
    return collect(ast.parse(textwrap.dedent(code)))


def _saves(code: str) -> list:
    return [site for unit in _facts(code).units.values() for site in unit.saves]


@pytest.mark.parametrize("path, fmt, name", [
    ('"model.keras"', "keras", "model.keras"),
    ('"runs/best.h5"', "h5", "best.h5"),
    ('"weights.hdf5"', "h5", "weights.hdf5"),
    ('"saved_model/"', "savedmodel", "saved_model"),
    ('f"{out}/model.keras"', "keras", "model.keras"),
    ('f"{run}_best.keras"', "keras", None),  # the end of a longer name
    ('os.path.join(out, "m.h5")', "h5", "m.h5"),
    ('pathlib.Path(out) / "m.keras"', "keras", "m.keras"),
    ('out + "/m.keras"', "keras", "m.keras"),
    ('"ckpt/m_%d.h5" % epoch', "h5", None),
    ('"ckpt/m-{epoch:02d}.keras".format(epoch=1)', "keras", None),
    ("args.output", None, None),
    ('f"{out}/{name}"', None, None),
])
def test_the_format_and_the_file_name_come_from_the_known_end_of_the_path(path, fmt, name):
    [site] = _saves(f"model.save({path})\n")
    assert (site.format, site.name) == (fmt, name)


def test_a_path_through_names_and_tf_keras_save_format():
    code = """
        OUT = "exports/model.keras"

        def export(model):
            path = OUT
            model.save(path)
            model.save(somewhere, save_format="h5")
    """
    assert [(site.format, site.name) for site in _saves(code)] == [("keras", "model.keras"), ("h5", None)]


def test_what_is_not_a_model_save():
    code = """
        checkpoint.save(prefix)               # not named like a model, no model file
        tokenizer.save(vocab_dir)
        model.save_weights("w.weights.h5")
        cb = keras.callbacks.ModelCheckpoint("w.h5", save_weights_only=True)
        model.save()                          # no path
    """
    assert _saves(code) == []


def test_the_saved_model_is_what_the_code_before_the_save_built():
    code = """
        inputs = keras.Input((3,))
        x = Scale()(inputs)
        model = keras.Model(inputs, keras.layers.Dense(2)(x))
        model.compile(loss=SquaredError(), metrics=[Batches()])
        model.save("first.keras")
        model = keras.Sequential([Other()])
        model.add(Third())
        model.save("second.keras")
    """
    first, second = _saves(code)
    assert {"Scale", "SquaredError", "Batches", "keras.Model"} <= first.built
    assert "Other" not in first.built
    assert {"Other", "Third"} <= second.built and not {"Scale", "SquaredError"} & second.built


def test_a_checkpoint_saves_the_model_it_is_given_to_in_fit():
    code = """
        def train(data):
            model = build_model()
            callbacks = [keras.callbacks.ModelCheckpoint("best.keras"), keras.callbacks.EarlyStopping()]
            model.fit(data, callbacks=callbacks)
    """
    [site] = _saves(code)
    assert site.callee == "keras.callbacks.ModelCheckpoint" and "build_model" in site.built


def test_in_a_class_a_builder_method_stands_for_its_body():
    code = """
        class Trainer:
            def __init__(self):
                self.model = self.build()

            def build(self):
                return keras.Sequential([Scale()])

            def export(self):
                self.model.save("m.keras")
    """
    [site] = _saves(code)
    assert "Scale" in site.built


def test_loads_and_their_compile_flag():
    code = """
        a = keras.models.load_model("m.keras")
        def f(path):
            return tf.keras.models.load_model(path, compile=False)
    """
    first, second = _facts(code).loads
    assert (first.format, first.name, first.compiles, first.unit) == ("keras", "m.keras", True, MODULE_BODY)
    assert (second.format, second.compiles, second.unit, second.path) == (None, False, "f", "path")


@pytest.mark.parametrize("code, names, refs, unknown", [
    ('load_model(p, custom_objects={"Scale": Scale, "Shift": layers.Shift})', {"Scale", "Shift"},
     {"Scale", "layers.Shift"}, False),
    ("load_model(p, custom_objects=dict(Scale=Scale))", {"Scale"}, {"Scale"}, False),
    ("CUSTOM = {'Scale': Scale}\nCUSTOM['Extra'] = Extra\nload_model(p, custom_objects=CUSTOM)",
     {"Scale", "Extra"}, {"Scale", "Extra"}, False),
    ("load_model(p, custom_objects=objects_from_somewhere())", set(), set(), True),
    ('load_model(p, custom_objects={**BASE, "Scale": Scale})', {"Scale"}, {"Scale"}, True),
    ("load_model(p, **options)", set(), set(), True),
    ('with keras.utils.custom_object_scope({"Scale": Scale}):\n    load_model(p)', {"Scale"}, {"Scale"}, False),
    ('keras.saving.get_custom_objects()["Scale"] = Scale', {"Scale"}, {"Scale"}, False),
    ("keras.utils.get_custom_objects().update(Scale=Scale)", {"Scale"}, {"Scale"}, False),
    ('registry = get_custom_objects()\nregistry.update({"Scale": Scale})', {"Scale"}, {"Scale"}, False),
    ('keras.saving.register_keras_serializable("pkg")(Scale)', set(), {"Scale"}, False),
])
def test_the_class_names_a_module_hands_to_keras(code, names, refs, unknown):
    coverage = _facts(code).coverage
    assert (set(coverage.names), set(coverage.refs), coverage.unknown) == (names, refs, unknown)


def test_a_unit_that_saves_nothing_keeps_only_its_calls():
    facts = _facts("""
        def build():
            return keras.Sequential([Scale()])
    """)
    assert facts.units["build"].saves == () and "Scale" in facts.units["build"].callees
    assert facts.loads == ()
