"""KC5xx rules across the files of a project: names the project re-exports, classes and
factories defined in another module. Each miss seen on real code has a positive case
and a near miss that must stay quiet."""
from kerascheck import check_paths
from kerascheck.config import Settings


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
