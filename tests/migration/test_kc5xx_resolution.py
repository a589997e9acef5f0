"""KC5xx rules that look past the call itself: names the project re-exports, a path held
by a local variable, classes and factories defined in another module. Each miss seen on
real code has a positive case and a near miss that must stay quiet (more in kc5_cases)."""
import os
import sys
import textwrap

sys.path.insert(0, os.path.dirname(__file__))

from kc5_fixutil import fix_source  # noqa: E402

from kerascheck import check_paths  # noqa: E402
from kerascheck.config import Settings  # noqa: E402


def _found(root, code, path=None):
    result = check_paths([root], Settings(select=(code,), root=root))
    return [(f.path.rpartition("/")[2] if "/" in f.path else f.path, f.line) for f in result.findings
            if f.code == code and (path is None or f.path.endswith(path))]


# ---- a Keras module the project re-exports (`from mypkg.backend import keras`) ------------
def test_symbols_through_a_project_reexport(project):
    root = project({
        "mypkg/__init__.py": "",
        "mypkg/backend.py": "from tensorflow import keras\n",
        "mypkg/standalone.py": "import keras\n",
        "train.py": """
            from mypkg.backend import keras
            from mypkg.standalone import keras as k3


            def schedule(model, lr):
                keras.backend.learning_phase()
                k3.backend.set_value(model.optimizer.learning_rate, lr)
                return keras.optimizers.Adam(lr=lr)
        """,
    })
    assert _found(root, "KC501") == [("train.py", 7), ("train.py", 8)]
    assert _found(root, "KC502") == [("train.py", 9)]


def test_a_project_name_that_is_not_keras_stays_quiet(project):
    root = project({
        "mypkg/__init__.py": "",
        "mypkg/backend.py": """
            class _Backend:
                def learning_phase(self):
                    return 0

            class _Namespace:
                backend = _Backend()

            keras = _Namespace()
        """,
        "train.py": """
            from mypkg.backend import keras


            def phase():
                return keras.backend.learning_phase()
        """,
    })
    assert _found(root, "KC501") == []


# ---- a path held by a local variable ---------------------------------------------------------------
def test_a_path_in_a_variable_is_reported_without_a_fix():
    source = """
        import keras

        def save(model, out_dir):
            path = out_dir + "/w.h5"
            model.save_weights(path)
            model.load_weights(path)
    """
    fixed, findings, errors = fix_source(source, ["KC505"], unsafe=True)
    assert errors == [] and [f.line for f in findings if f.code == "KC505"] == [6]
    # Renaming the file at the assignment would rename it for every other use too.
    assert [f for f in findings if f.fixable] == []
    assert fixed == textwrap.dedent(source)


# ---- a BatchNormalization subclass defined in another module -------------------------------------------
def test_fused_through_a_subclass_of_another_module(project):
    root = project({
        "nets/__init__.py": "",
        "nets/norms.py": """
            import keras


            class PlainNorm(keras.layers.BatchNormalization):
                pass


            class OwnNorm(keras.layers.BatchNormalization):
                def __init__(self, fused=False, **kwargs):
                    super().__init__(**kwargs)
                    self.prefers_fused = fused
        """,
        "train.py": """
            from nets.norms import OwnNorm, PlainNorm
            from nets import norms


            class TpuNorm(PlainNorm):
                def __init__(self, fused=False, **kwargs):
                    super().__init__(fused=fused, **kwargs)


            a = PlainNorm(fused=True)
            b = norms.PlainNorm(axis=1, fused=False)
            c = OwnNorm(fused=True)
        """,
    })
    assert _found(root, "KC534") == [("train.py", 8), ("train.py", 11), ("train.py", 12)]


# ---- a model returned by a function of another module --------------------------------------------------
def test_a_model_from_a_project_factory_of_another_module(project):
    root = project({
        "app/__init__.py": "",
        "app/models.py": """
            import keras


            class Tagger(keras.Model):
                def call(self, inputs):
                    return inputs


            def build_tagger():
                return Tagger()


            def build_any(name):
                if name == "tagger":
                    return Tagger()
                return registry_lookup(name)
        """,
        "app/factory.py": """
            from app.models import build_tagger as build


            def build_compiled():
                model = build()
                model.compile(loss="mse")
                return model
        """,
        "serve.py": """
            from app import factory
            from app.factory import build
            from app.models import build_any


            def export():
                model = build()
                model.save("exported")
                factory.build_compiled().save("exported")
                build_any("tagger").save("exported")
        """,
    })
    assert _found(root, "KC507") == [("serve.py", 9), ("serve.py", 10)]
    assert _found(root, "KC504") == []
