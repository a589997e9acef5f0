"""KC302 and KC303 in test modules: a class defined in `test_*.py` exists for its tests.

When the test module never saves, reloads or serializes anything, the class is never
saved, so "saving fails" / "load_model fails" cannot happen there (an unseen repository
had 20 such findings on test fixture classes). When the module saves, or the same class
sits in a library module, the findings stay.
"""
import pytest

from lintutil import lint

# Each rule's class, and what a test module does with it (`{use}`).
CLASSES = {
    "KC302": """
        import keras

        class Scale(keras.layers.Layer):
            def __init__(self, factor):
                super().__init__()
                self.factor = factor

            def call(self, x):
                return x * self.factor

        def test_scale():
            model = keras.Sequential([keras.Input((2,)), Scale(2.0)])
            {use}
    """,
    "KC303": """
        import keras

        class Residual(keras.layers.Layer):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner

            def call(self, x):
                return x + self.inner(x)

        def test_residual():
            model = keras.Sequential([keras.Input((2,)), Residual(keras.layers.Dense(2))])
            {use}
    """,
}
NEVER_SAVED = "model.predict(np.copy(data), **DataConfig(batch_size=1).as_dict())"
SAVES = {
    "model.save": "model.save('m.keras')",
    "a reload": "keras.models.load_model(path)",
    "get_config": "layer_config = model.layers[0].get_config()",
    "a project's serialization helper": "self.run_serialization_test(model)",
    "pickle": "pickle.dumps(model)",
    "clone_model": "keras.models.clone_model(model)",
    "copy.deepcopy": "copy.deepcopy(model)",
}
TEST_MODULES = ("tests/test_layers.py", "layers_test.py", "tests/conftest.py")


def _findings(code, use, path):
    return [f for f in lint(CLASSES[code].replace("{use}", use), (code,), path=path) if f.code == code]


@pytest.mark.parametrize("path", TEST_MODULES)
@pytest.mark.parametrize("code", CLASSES)
def test_silent_in_a_test_module_that_never_saves(code, path):
    assert _findings(code, NEVER_SAVED, path) == []


@pytest.mark.parametrize("use", SAVES.values(), ids=SAVES.keys())
@pytest.mark.parametrize("code", CLASSES)
def test_reported_in_a_test_module_that_saves(code, use):
    assert len(_findings(code, use, "tests/test_layers.py")) == 1


@pytest.mark.parametrize("path", ("layers.py", "tests/helpers.py", "testing_utils.py", "contest.py"))
@pytest.mark.parametrize("code", CLASSES)
def test_reported_outside_test_modules_whatever_they_do(code, path):
    assert len(_findings(code, NEVER_SAVED, path)) == 1


@pytest.mark.parametrize("code", CLASSES)
def test_saving_only_weights_does_not_count(code):
    assert _findings(code, "model.save_weights('m.weights.h5')", "tests/test_layers.py") == []
