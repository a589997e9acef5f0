"""The Keras semantic model: which classes are Keras classes, under every import spelling
and across files. KC101 (a tf.Variable stored on a Keras class) is the probe: it fires
exactly when the class holding the variable is recognised as a Keras class."""
import os
import textwrap

import pytest

from kerascheck import check_paths
from kerascheck.config import Settings
from kerascheck.engine import scan_file
from kerascheck.semantic.project import ClassKey, External, ProjectIndex
from lintutil import lint

# A method body that KC101 flags when (and only when) its class is a Keras class.
BODY = """
    def build(self, input_shape):
        self.w = tf.Variable(1.0)
"""


def klass(header: str, body: str = BODY) -> str:
    return header + textwrap.indent(textwrap.dedent(body), "    ")


def kc101(source: str) -> list[int]:
    """KC101's findings, as a probe of which classes are Keras classes: on Keras 3, where
    it reports every tf.Variable a Keras class stores (the spelling picks no target here)."""
    return [f.line for f in lint(source, ("KC101",), target_keras="3") if f.code == "KC101"]


# ---- one module: every spelling of the Keras base ---------------------------------------
SPELLINGS = {
    "import tensorflow as tf; tf.keras.layers.Layer": (
        "import tensorflow as tf\n" + klass("class L(tf.keras.layers.Layer):\n")
    ),
    "tf.keras.Model": "import tensorflow as tf\n" + klass("class M(tf.keras.Model):\n"),
    "import tensorflow; tensorflow.keras.layers.Layer": (
        "import tensorflow\nimport tensorflow as tf\n"
        + klass("class L(tensorflow.keras.layers.Layer):\n")
    ),
    "from tensorflow import keras": (
        "import tensorflow as tf\nfrom tensorflow import keras\n"
        + klass("class L(keras.layers.Layer):\n")
    ),
    "import tensorflow.keras as keras": (
        "import tensorflow as tf\nimport tensorflow.keras as keras\n"
        + klass("class L(keras.layers.Layer):\n")
    ),
    "from tensorflow.keras import layers as L": (
        "import tensorflow as tf\nfrom tensorflow.keras import layers as L\n"
        + klass("class Block(L.Layer):\n")
    ),
    "from tensorflow.keras.layers import Layer": (
        "import tensorflow as tf\nfrom tensorflow.keras.layers import Layer\n"
        + klass("class Block(Layer):\n")
    ),
    "import keras; keras.layers.Layer": (
        "import tensorflow as tf\nimport keras\n" + klass("class L(keras.layers.Layer):\n")
    ),
    "import keras; keras.Layer": "import tensorflow as tf\nimport keras\n" + klass("class L(keras.Layer):\n"),
    "import keras; keras.Model": "import tensorflow as tf\nimport keras\n" + klass("class M(keras.Model):\n"),
    "import keras; keras.Sequential": (
        "import tensorflow as tf\nimport keras\n" + klass("class S(keras.Sequential):\n")
    ),
    "from keras.layers import Layer": (
        "import tensorflow as tf\nfrom keras.layers import Layer, Dense\n" + klass("class L(Layer):\n")
    ),
    "from keras import Model as KModel": (
        "import tensorflow as tf\nfrom keras import Model as KModel\n" + klass("class M(KModel):\n")
    ),
    "import tf_keras as keras": (
        "import tensorflow as tf\nimport tf_keras as keras\n" + klass("class L(keras.layers.Layer):\n")
    ),
    "from tf_keras.layers import Layer": (
        "import tensorflow as tf\nfrom tf_keras.layers import Layer\n" + klass("class L(Layer):\n")
    ),
    "keras.src.layers.Layer": (
        "import tensorflow as tf\nimport keras\n" + klass("class L(keras.src.layers.Layer):\n")
    ),
    "from keras.src.layers.layer import Layer": (
        "import tensorflow as tf\nfrom keras.src.layers.layer import Layer\n" + klass("class L(Layer):\n")
    ),
    "from keras.layers import *": (
        "import tensorflow as tf\nfrom keras.layers import *\n" + klass("class L(Layer):\n")
    ),
    "from tensorflow.keras.layers import * (a built-in layer as base)": (
        "import tensorflow as tf\nfrom tensorflow.keras.layers import *\n" + klass("class D(Dense):\n")
    ),
    "tensorflow.python.keras layers": (
        "import tensorflow as tf\nfrom tensorflow.python.keras import layers\n"
        + klass("class L(layers.Layer):\n")
    ),
    "tensorflow.python.keras.engine.base_layer": (
        "import tensorflow as tf\nfrom tensorflow.python.keras.engine.base_layer import Layer\n"
        + klass("class L(Layer):\n")
    ),
    "keras.engine.base_layer (Keras 2)": (
        "import tensorflow as tf\nfrom keras.engine.base_layer import Layer\n" + klass("class L(Layer):\n")
    ),
    "a built-in layer as base": (
        "import tensorflow as tf\nfrom tensorflow import keras\n"
        + klass("class MyDense(keras.layers.Dense):\n")
    ),
    "a wrapper as base": (
        "import tensorflow as tf\nimport keras\n" + klass("class W(keras.layers.Wrapper):\n")
    ),
    "module-level alias Base = keras.layers.Layer": (
        "import tensorflow as tf\nimport keras\nBase = keras.layers.Layer\n" + klass("class L(Base):\n")
    ),
    "alias of an alias": (
        "import tensorflow as tf\nimport keras\nlayers = keras.layers\nBase = layers.Layer\n"
        + klass("class L(Base):\n")
    ),
    "import inside a function still tells what keras means": (
        "import tensorflow as tf\n\ndef make():\n    import keras\n    return keras\n\n"
        + "import keras\n" + klass("class L(keras.layers.Layer):\n")
    ),
    "mixin first, Keras base second": (
        "import tensorflow as tf\nimport keras\n\nclass Mixin:\n    pass\n\n"
        + klass("class L(Mixin, keras.layers.Layer):\n")
    ),
    "in-module inheritance": (
        "import tensorflow as tf\nimport keras\n\nclass Base(keras.layers.Layer):\n    pass\n\n"
        + klass("class L(Base):\n")
    ),
    "tf.Variable spelled as `from tensorflow import Variable`": (
        "from tensorflow import Variable\nimport keras\n"
        + klass("class L(keras.layers.Layer):\n", BODY.replace("tf.Variable", "Variable"))
    ),
    "tf.Variable through tf.compat.v1": (
        "import tensorflow as tf\nimport keras\n"
        + klass("class L(keras.layers.Layer):\n", BODY.replace("tf.Variable", "tf.compat.v1.Variable"))
    ),
    "tf.Variable through a module-level alias": (
        "import tensorflow as tf\nimport keras\nVar = tf.Variable\n"
        + klass("class L(keras.layers.Layer):\n", BODY.replace("tf.Variable", "Var"))
    ),
}

NOT_KERAS = {
    "tf.Module": "import tensorflow as tf\n" + klass("class M(tf.Module):\n"),
    "object": "import tensorflow as tf\n" + klass("class M(object):\n"),
    "no base": "import tensorflow as tf\n" + klass("class M:\n"),
    "unresolvable third-party base": (
        "import tensorflow as tf\nfrom graphlib3 import Layer\n" + klass("class M(Layer):\n")
    ),
    "unknown star import does not invent a Keras base": (
        "import tensorflow as tf\nfrom mylib.layers import *\n" + klass("class M(Layer):\n")
    ),
    "undefined name": "import tensorflow as tf\n" + klass("class M(Layer):\n"),
    "a keras function is not a base class": (
        "import tensorflow as tf\nimport keras\n" + klass("class M(keras.ops.Operation):\n")
    ),
    "keras.callbacks.Callback is not a layer": (
        "import tensorflow as tf\nimport keras\n" + klass("class C(keras.callbacks.Callback):\n")
    ),
    "a class *named* Layer that is not keras": (
        "import tensorflow as tf\n\nclass Layer:\n    pass\n\n" + klass("class M(Layer):\n")
    ),
    "a keras.Variable is fine": (
        "import keras\n" + klass("class L(keras.layers.Layer):\n", BODY.replace("tf.Variable", "keras.Variable"))
    ),
}


@pytest.mark.parametrize("source", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_keras_class_under_every_spelling(source):
    assert len(kc101(source)) == 1, source


@pytest.mark.parametrize("source", NOT_KERAS.values(), ids=NOT_KERAS.keys())
def test_not_a_keras_class(source):
    assert kc101(source) == [], source


def test_finding_is_on_the_variable_line():
    source = "import tensorflow as tf\n" + klass("class L(tf.keras.layers.Layer):\n")
    assert kc101(source) == [5]


# ---- across files -------------------------------------------------------------------------
BASE = """
    from tensorflow import keras

    class Base(keras.layers.Layer):
        pass
"""

MODEL_BASE = """
    import keras

    class BaseModel(keras.Model):
        pass
"""


def user(import_line: str, base: str = "Base") -> str:
    return f"""
        import tensorflow as tf
        {import_line}

        class Block({base}):
            def build(self, input_shape):
                self.w = tf.Variable(1.0)
    """


def run_kc101(root: str, paths=None, **settings) -> list[tuple[str, int]]:
    """(path relative to root, line) of each KC101 finding, linting `paths` (default: root)."""
    config = Settings(select=("KC101",), root=root, **settings)
    result = check_paths([os.path.join(root, p) for p in paths] if paths else [root], config, jobs=1)
    assert result.errors == []
    return sorted(
        (os.path.relpath(os.path.abspath(f.path), root).replace(os.sep, "/"), f.line)
        for f in result.findings
    )


CROSS_FILE = {
    "relative import": {
        "pkg/__init__.py": "",
        "pkg/base.py": BASE,
        "pkg/blocks.py": user("from .base import Base"),
    },
    "relative import with alias": {
        "pkg/__init__.py": "",
        "pkg/base.py": BASE,
        "pkg/blocks.py": user("from .base import Base as B", "B"),
    },
    "relative import of the module": {
        "pkg/__init__.py": "",
        "pkg/base.py": BASE,
        "pkg/blocks.py": user("from . import base", "base.Base"),
    },
    "parent-relative import (..)": {
        "pkg/__init__.py": "",
        "pkg/base.py": BASE,
        "pkg/sub/__init__.py": "",
        "pkg/blocks.py": "",
        "pkg/sub/blocks.py": user("from ..base import Base"),
    },
    "absolute import": {
        "pkg/__init__.py": "",
        "pkg/base.py": BASE,
        "pkg/blocks.py": user("from pkg.base import Base"),
    },
    "absolute `import pkg.base`": {
        "pkg/__init__.py": "",
        "pkg/base.py": BASE,
        "pkg/blocks.py": user("import pkg.base", "pkg.base.Base"),
    },
    "absolute `import pkg.base as b`": {
        "pkg/__init__.py": "",
        "pkg/base.py": BASE,
        "pkg/blocks.py": user("import pkg.base as b", "b.Base"),
    },
    "re-export through the package __init__": {
        "pkg/__init__.py": "from .base import Base\n",
        "pkg/base.py": BASE,
        "pkg/blocks.py": user("from pkg import Base"),
    },
    "re-export through a sub-package __init__, relative": {
        "pkg/__init__.py": "",
        "pkg/layers/__init__.py": "from pkg.layers.base import Base\n",
        "pkg/layers/base.py": BASE,
        "pkg/models/__init__.py": "",
        "pkg/models/blocks.py": user("from ..layers import Base"),
    },
    "re-export with a star import in __init__": {
        "pkg/__init__.py": "from .base import *\n",
        "pkg/base.py": BASE,
        "pkg/blocks.py": user("from pkg import Base"),
    },
    "module-level alias in another file": {
        "pkg/__init__.py": "",
        "pkg/compat.py": "from tensorflow import keras\nLayer = keras.layers.Layer\n",
        "pkg/blocks.py": user("from pkg.compat import Layer", "Layer"),
    },
    "a keras alias re-exported by an in-tree module": {
        "pkg/__init__.py": "",
        "pkg/backend.py": "import tensorflow.keras as keras\n",
        "pkg/blocks.py": user("from pkg.backend import keras", "keras.layers.Layer"),
    },
    "src/ layout": {
        "pyproject.toml": "[project]\nname = 'pkg'\n",
        "src/pkg/__init__.py": "",
        "src/pkg/base.py": BASE,
        "src/pkg/blocks.py": user("from pkg.base import Base"),
    },
    "src/ layout, used from tests/": {
        "src/pkg/__init__.py": "",
        "src/pkg/base.py": BASE,
        "tests/test_blocks.py": user("from pkg.base import Base"),
    },
    "namespace package (no __init__.py), absolute": {
        "ns/base.py": BASE,
        "ns/blocks.py": user("from ns.base import Base"),
    },
    "namespace package (no __init__.py), relative": {
        "ns/base.py": BASE,
        "ns/blocks.py": user("from .base import Base"),
    },
    "a script next to the module (script's folder is on sys.path)": {
        "scripts/base.py": BASE,
        "scripts/train.py": user("from base import Base"),
    },
    "a Model base in another file": {
        "pkg/__init__.py": "",
        "pkg/base.py": MODEL_BASE,
        "pkg/blocks.py": user("from .base import BaseModel", "BaseModel"),
    },
}


@pytest.mark.parametrize("files", CROSS_FILE.values(), ids=CROSS_FILE.keys())
def test_cross_file_base(project, files):
    root = project(files)
    user_file = next(path for path, text in files.items() if "tf.Variable" in text)
    assert run_kc101(root) == [(user_file, 7)]


def test_two_level_inheritance_across_three_files(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": BASE,
            "pkg/mid.py": """
                from pkg.base import Base

                class Mid(Base):
                    pass
            """,
            "pkg/leaf.py": user("from .mid import Mid", "Mid"),
        }
    )
    assert run_kc101(root) == [("pkg/leaf.py", 7)]


def test_cross_file_base_when_only_the_user_file_is_named(project):
    """The first pass reads the whole tree named on the command line; linting one file of it
    still knows the others' classes when the directory is given too (as an editor does)."""
    root = project({"pkg/__init__.py": "", "pkg/base.py": BASE, "pkg/blocks.py": user("from .base import Base")})
    assert run_kc101(root, ["pkg"]) == [("pkg/blocks.py", 7)]


def test_non_keras_in_tree_base_is_not_keras(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": "import tensorflow as tf\n\nclass Base(tf.Module):\n    pass\n",
            "pkg/blocks.py": user("from .base import Base"),
        }
    )
    assert run_kc101(root) == []


def test_unresolvable_base_is_not_keras(project):
    root = project({"pkg/__init__.py": "", "pkg/blocks.py": user("from .missing import Base")})
    assert run_kc101(root) == []
    root = project({"app.py": user("from somelib.nn import Base")})
    assert run_kc101(root) == []


def test_import_cycle_terminates(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from .b import Thing\n",
            "pkg/b.py": "from .a import Thing\n",
            "pkg/blocks.py": user("from .a import Thing", "Thing"),
        }
    )
    assert run_kc101(root) == []


def test_class_inheriting_from_itself_by_name_terminates(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from .b import Block\n\nclass Block(Block):\n    pass\n",
            "pkg/b.py": "from .a import Block\n\nclass Block(Block):\n    pass\n",
        }
    )
    assert run_kc101(root) == []


def test_same_class_name_in_two_files_is_resolved_per_file(project):
    """`Base` is a Keras layer in one file and a plain class in another: each import
    resolves to its own file."""
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/keras_base.py": BASE,
            "pkg/plain_base.py": "class Base:\n    pass\n",
            "pkg/a.py": user("from .keras_base import Base"),
            "pkg/b.py": user("from .plain_base import Base"),
        }
    )
    assert run_kc101(root) == [("pkg/a.py", 7)]


def test_same_module_name_in_two_packages(project):
    root = project(
        {
            "one/__init__.py": "",
            "one/base.py": BASE,
            "one/blocks.py": user("from .base import Base"),
            "two/__init__.py": "",
            "two/base.py": "class Base:\n    pass\n",
            "two/blocks.py": user("from .base import Base"),
        }
    )
    assert run_kc101(root) == [("one/blocks.py", 7)]


# ---- extra-bases --------------------------------------------------------------------------
GRAPH_LAYER = user("from spektral.layers import GCNConv", "GCNConv")


def test_extra_bases_declares_a_third_party_base(project):
    root = project({"gnn.py": GRAPH_LAYER})
    assert run_kc101(root) == []
    assert run_kc101(root, extra_bases=("spektral.layers.GCNConv",)) == [("gnn.py", 7)]


def test_extra_bases_wildcard(project):
    root = project({"gnn.py": GRAPH_LAYER})
    assert run_kc101(root, extra_bases=("spektral.layers.*",)) == [("gnn.py", 7)]
    assert run_kc101(root, extra_bases=("spektral.models.*",)) == []


def test_extra_bases_through_the_tree(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": "from spektral.layers import MessagePassing\n\nclass Base(MessagePassing):\n    pass\n",
            "pkg/blocks.py": user("from .base import Base"),
        }
    )
    assert run_kc101(root, extra_bases=("spektral.layers.MessagePassing",)) == [("pkg/blocks.py", 7)]


def test_extra_bases_from_the_config_file(project):
    root = project(
        {
            "pyproject.toml": '[tool.kerascheck]\nselect = ["KC101"]\nextra-bases = ["spektral.layers.GCNConv"]\n',
            "gnn.py": GRAPH_LAYER,
        }
    )
    from kerascheck.config import load_settings

    result = check_paths([root], load_settings(cwd=root), jobs=1)
    assert [(os.path.basename(f.path), f.line) for f in result.findings] == [("gnn.py", 7)]


# ---- the project index directly ----------------------------------------------------------
def index_of(root: str) -> ProjectIndex:
    modules = []
    for directory, _, files in os.walk(root):
        for name in files:
            if name.endswith(".py"):
                scan = scan_file(os.path.join(directory, name))
                if scan.facts is not None:
                    modules.append(scan.facts)
    return ProjectIndex(modules)


def test_index_kinds_through_the_tree(project):
    root = project(
        {
            "pkg/__init__.py": "from .layers import Block\n",
            "pkg/layers.py": """
                import tensorflow as tf

                class Block(tf.keras.layers.Layer):
                    def call(self, x, training=None):
                        return x if not training else x * 0.9
            """,
            "pkg/models.py": """
                from pkg import Block
                from tensorflow import keras

                class Net(keras.Model):
                    def __init__(self):
                        super().__init__()
                        self.block = Block()

                class Tower(Net):
                    pass

                class Helper:
                    pass
            """,
        }
    )
    index = index_of(root)
    models = os.path.join(root, "pkg", "models.py")
    layers = os.path.join(root, "pkg", "layers.py")
    assert index.keras_kind(ClassKey(layers, "Block")) == "layer"
    assert index.keras_kind(ClassKey(models, "Net")) == "model"
    assert index.keras_kind(ClassKey(models, "Tower")) == "model"
    assert index.keras_kind(ClassKey(models, "Helper")) is None
    assert index.resolve(models, "Block") == ClassKey(layers, "Block")
    assert index.resolve(models, "keras.layers.Dropout") == External("tensorflow.keras.layers.Dropout")
    assert index.call_takes_training(ClassKey(layers, "Block"))
    assert index.tree_ancestors(ClassKey(models, "Tower")) == [ClassKey(models, "Net")]
    # Net holds a Block whose call takes training: training-sensitive through the tree.
    assert index.is_training_sensitive(ClassKey(models, "Net"))
    assert index.is_training_sensitive(ClassKey(models, "Tower"))


# ---- one name, several classes ------------------------------------------------------------
def test_classes_of_the_same_name_in_test_functions_are_told_apart():
    source = """
        import tensorflow as tf
        import keras

        def test_keras_block():
            class Block(keras.layers.Layer):
                def call(self, x):
                    return x

        def test_module_block():
            class Block(tf.Module):
                def __init__(self):
                    self.v = tf.Variable(1.0)

        def test_later_keras_block():
            class Block(keras.layers.Layer):
                def build(self, input_shape):
                    self.v = tf.Variable(1.0)
    """
    assert kc101(source) == [18]


def test_a_redefined_module_level_class():
    """Tutorials redefine a class as they improve it: each definition is judged alone."""
    source = """
        import tensorflow as tf
        import keras

        class Linear(tf.Module):
            def __init__(self):
                self.w = tf.Variable(1.0)

        class Linear(keras.layers.Layer):
            def build(self, input_shape):
                self.w = tf.Variable(1.0)

        class Linear:
            def __init__(self):
                self.w = tf.Variable(1.0)
    """
    assert kc101(source) == [11]


def test_same_name_classes_keep_their_own_traits(project):
    root = project(
        {
            "models_test.py": """
                import keras

                def test_plain():
                    class Net(keras.Model):
                        def call(self, x):
                            return x

                def test_with_dropout():
                    class Net(keras.Model):
                        def __init__(self):
                            super().__init__()
                            self.dropout = keras.layers.Dropout(0.5)

                        def call(self, x, training=None):
                            return self.dropout(x, training=training)
            """
        }
    )
    index = index_of(root)
    path = os.path.join(root, "models_test.py")
    plain, with_dropout = ClassKey(path, "Net", 0), ClassKey(path, "Net", 1)
    assert index.keras_kind(plain) == index.keras_kind(with_dropout) == "model"
    assert not index.is_training_sensitive(plain)
    assert index.is_training_sensitive(with_dropout)
    assert index.call_takes_training(with_dropout) and not index.call_takes_training(plain)


def test_module_level_definition_is_the_one_a_name_resolves_to(project):
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                import keras

                def helper():
                    class Base:
                        pass
                    return Base

                class Base(keras.layers.Layer):
                    pass
            """,
            "pkg/blocks.py": user("from .base import Base"),
        }
    )
    assert run_kc101(root) == [("pkg/blocks.py", 7)]


def test_a_sibling_module_named_keras_does_not_shadow_keras(project):
    """`pkg/keras.py` (an integration module) is not what `import keras` in pkg/model.py
    imports: inside a package, imports are absolute."""
    root = project(
        {
            "pkg/__init__.py": "",
            "pkg/keras.py": "def callbacks():\n    return []\n",
            "pkg/tensorflow.py": "",
            "pkg/model.py": """
                import tensorflow as tf
                import keras

                class Scale(keras.layers.Layer):
                    def build(self, input_shape):
                        self.w = tf.Variable(1.0)
            """,
        }
    )
    assert run_kc101(root) == [("pkg/model.py", 7)]


def test_a_shared_lookup_memo_still_records_what_each_lookup_examined(tmp_path):
    """The engine's per-file recording indexes share one memo of module lookups (the
    cache-writing run redid them for every file). A memo hit must still tell the
    recording view every path the lookup examined: they are the file's dependencies."""
    from kerascheck.semantic.project import ModuleTable

    class Recording(ModuleTable):
        def __init__(self, table):
            super().__init__(table)
            self.asked = set()

        def __contains__(self, path):
            self.asked.add(path)
            return super().__contains__(path)

        def looked_up(self, paths):
            self.asked.update(paths)

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "base.py").write_text("import keras\nclass Base(keras.layers.Layer):\n    pass\n")
    (tmp_path / "app" / "a.py").write_text("from base import Base\n")
    (tmp_path / "app" / "b.py").write_text("from base import Base\n")
    shared = index_of(str(tmp_path))
    memo: dict = {}
    seen = []
    for name in ("a.py", "b.py"):
        index = ProjectIndex((), external=shared.external, located=memo)
        index.modules = Recording(shared.modules)
        path = str(tmp_path / "app" / name)
        assert index.locate(path, "", "base.Base") == (str(tmp_path / "app" / "base.py"), ["Base"])
        seen.append(index.modules.asked)
    assert len(memo) == 1  # b.py's lookup was a hit
    assert seen[0] == seen[1] and str(tmp_path / "app" / "base.py") in seen[1]
