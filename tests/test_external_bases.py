"""Base classes from installed third-party packages: read statically from sys.path.

A fake package `acme_nn` is written to a temporary "site-packages" folder put on
sys.path (or on a subprocess's PYTHONPATH). Its `__init__.py` leaves a marker file when
it is executed: kerascheck must never execute it."""
import os
import subprocess
import sys
import textwrap

import pytest

from kerascheck import check_paths
from kerascheck.config import Settings, settings_from_table
from kerascheck.semantic.external import ExternalResolver
from kerascheck.semantic.project import ClassKey, ProjectIndex
from kerascheck.engine import scan_file

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def write(root, files):
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(textwrap.dedent(text))


def package_files(marker):
    return {
        "acme_nn/__init__.py": f"""\
            from acme_nn.layers import Layer
            from .plain import Plain
            from . import blocks
            open({marker!r}, "w").close()  # executing the package leaves this file
            """,
        "acme_nn/layers.py": """\
            import tensorflow as tf

            class Layer(tf.keras.layers.Layer):
                def get_config(self):
                    return {}
            """,
        "acme_nn/plain.py": "class Plain:\n    pass\n",
        # keras_hub's layout: a public module re-exporting from a private src tree.
        "acme_nn/blocks/__init__.py": "from acme_nn.src.blocks.encoder import Encoder as TransformerEncoder\n",
        "acme_nn/src/__init__.py": "",
        "acme_nn/src/blocks/__init__.py": "",
        "acme_nn/src/blocks/encoder.py": """\
            from ..base import Base

            class Encoder(Base):
                def call(self, inputs, training=None):
                    return inputs
            """,
        "acme_nn/src/base.py": "from keras import layers\n\nBaseLayer = layers.Layer\n\nclass Base(BaseLayer):\n    pass\n",
        "acme_nn/models.py": "import keras\n\nclass TaskModel(keras.Model):\n    pass\n",
        "acme_nn/drop.py": "from tensorflow.keras.layers import *\n\nclass SafeDropout(Dropout):\n    pass\n",
    }


# KC301 (no super().__init__) fires on a Keras class only.
def user(import_line, base):
    return f"""\
        {import_line}

        class Mine({base}):
            def __init__(self, units):
                self.units = units
        """


@pytest.fixture
def site(tmp_path, monkeypatch):
    site = tmp_path / "site"
    marker = str(tmp_path / "executed")
    write(str(site), package_files(marker))
    monkeypatch.syspath_prepend(str(site))
    yield str(site), marker
    assert not os.path.exists(marker), "the third-party package was executed"


def kc301(root, settings=None, **kwargs):
    result = check_paths([root], settings or Settings(select=("KC301",), root=root), jobs=1, **kwargs)
    assert not result.errors
    return [(os.path.basename(f.path), f.line) for f in result.findings if f.code == "KC301"]


@pytest.mark.parametrize(
    "import_line, base",
    [
        ("import acme_nn", "acme_nn.Layer"),  # re-exported by the package's __init__
        ("from acme_nn.layers import Layer", "Layer"),
        ("from acme_nn import blocks", "blocks.TransformerEncoder"),  # src/ re-export, relative import, alias
        ("from acme_nn.models import TaskModel", "TaskModel"),
        ("from acme_nn import drop", "drop.SafeDropout"),  # star import of Keras in the package
    ],
)
def test_class_from_an_installed_keras_package(site, tmp_path, import_line, base):
    project = tmp_path / "project"
    write(str(project), {"model.py": user(import_line, base)})
    assert kc301(str(project)) == [("model.py", 4)]


@pytest.mark.parametrize(
    "import_line, base",
    [
        ("import acme_nn", "acme_nn.Plain"),
        ("from acme_nn.layers import Missing", "Missing"),
        ("import not_installed_anywhere", "not_installed_anywhere.Layer"),
        ("import collections", "collections.OrderedDict"),
    ],
)
def test_non_keras_third_party_class_stays_silent(site, tmp_path, import_line, base):
    project = tmp_path / "project"
    write(str(project), {"model.py": user(import_line, base)})
    assert kc301(str(project)) == []


def index_for(path, site_path):
    return ProjectIndex([scan_file(path).facts], external=ExternalResolver([site_path]))


def test_kind_methods_and_keras_ancestors(site, tmp_path):
    site_path, _ = site
    path = str(tmp_path / "m.py")
    write(str(tmp_path), {"m.py": """\
        import acme_nn
        from acme_nn import blocks, drop, models

        class A(acme_nn.Layer):
            pass

        class B(blocks.TransformerEncoder):
            pass

        class C(models.TaskModel):
            pass

        class D(drop.SafeDropout):
            pass
        """})
    index = index_for(path, site_path)
    kinds = {name: index.keras_kind(ClassKey(path, name)) for name in "ABCD"}
    assert kinds == {"A": "layer", "B": "layer", "C": "model", "D": "layer"}
    assert index.defines_in_ancestry(ClassKey(path, "A"), "get_config")
    assert index.defines_in_ancestry(ClassKey(path, "B"), "call")
    assert not index.defines_in_ancestry(ClassKey(path, "A"), "call")
    assert index.builtin_ancestors(ClassKey(path, "D")) == {"Dropout"}


def test_each_module_is_read_once_and_the_work_is_bounded(site, tmp_path):
    site_path, _ = site
    resolver = ExternalResolver([site_path])
    assert resolver.get("acme_nn.blocks.TransformerEncoder").kind == "layer"
    read = resolver.files_read
    assert read == 3  # acme_nn/blocks/__init__.py, src/blocks/encoder.py, src/base.py
    assert resolver.get("acme_nn.Layer").kind == "layer"
    assert resolver.files_read == read + 2  # acme_nn/__init__.py, acme_nn/layers.py
    assert resolver.get("acme_nn.layers.Layer") is resolver.get("acme_nn.Layer")
    assert resolver.get("acme_nn.Plain") is None
    assert resolver.files_read == read + 3  # acme_nn/plain.py; nothing read twice
    starved = ExternalResolver([site_path], max_files=1)
    assert starved.get("acme_nn.Layer") is None
    assert starved.files_read == 1


def test_result_cache_follows_the_installed_package(site, tmp_path):
    site_path, _ = site
    project = tmp_path / "project"
    write(str(project), {"model.py": user("import acme_nn", "acme_nn.Layer")})
    cache = str(tmp_path / "cache")
    assert kc301(str(project), cache_dir=cache) == [("model.py", 4)]
    assert kc301(str(project), cache_dir=cache) == [("model.py", 4)]
    # The package is upgraded and its Layer is no longer a Keras layer.
    write(site_path, {"acme_nn/layers.py": "class Layer:\n    pass\n"})
    assert kc301(str(project), cache_dir=cache) == []


# ---- extend-keras-bases: packages that are not installed --------------------------------------
def test_extend_keras_bases_layer_and_model_names(tmp_path):
    write(str(tmp_path), {
        "gnn.py": """\
            from graphlib_x.layers import GraphConv
            from graphlib_x.models import GraphModel

            class Conv(GraphConv):
                pass

            class Net(GraphModel):
                pass
            """,
    })
    path = str(tmp_path / "gnn.py")
    bases = ("graphlib_x.layers.GraphConv", "graphlib_x.models.*")
    index = ProjectIndex([scan_file(path).facts], bases, external=ExternalResolver([]))
    assert index.keras_kind(ClassKey(path, "Conv")) == "layer"
    assert index.keras_kind(ClassKey(path, "Net")) == "model"  # the name ends in Model


def test_extend_keras_bases_from_the_config_file_and_its_alias(tmp_path):
    settings = settings_from_table({
        "select": ["KC301"], "extend-keras-bases": ["graphlib_x.layers.GraphConv"],
        "extra-bases": ["other_x.Layer"],
    })
    assert settings.extra_bases == ("graphlib_x.layers.GraphConv", "other_x.Layer")
    write(str(tmp_path), {
        "pyproject.toml": '[tool.kerascheck]\nselect = ["KC301"]\nextend-keras-bases = ["graphlib_x.layers.GraphConv"]\n',
        "model.py": user("from graphlib_x.layers import GraphConv", "GraphConv"),
    })
    from kerascheck.config import load_settings

    assert kc301(str(tmp_path), load_settings(cwd=str(tmp_path))) == [("model.py", 4)]


# ---- through the command line ---------------------------------------------------------------
def test_cli_reads_the_package_on_the_interpreters_path(tmp_path):
    site = tmp_path / "site"
    marker = str(tmp_path / "executed")
    write(str(site), package_files(marker))
    project = tmp_path / "project"
    write(str(project), {
        "model.py": user("import acme_nn", "acme_nn.Layer"),
        "plain.py": user("import acme_nn", "acme_nn.Plain"),
    })

    def run(pythonpath):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(pythonpath)}
        return subprocess.run(
            [sys.executable, "-m", "kerascheck", "--no-cache", "--isolated", "--select", "KC301",
             "--output-format", "concise", "."],
            cwd=str(project), env=env, capture_output=True, text=True, timeout=120,
        )

    found = run([REPO, str(site)])
    assert found.returncode == 1, found.stderr
    assert "model.py:4" in found.stdout and "KC301" in found.stdout
    assert "plain.py" not in found.stdout
    missing = run([REPO])  # not installed: nothing known about acme_nn
    assert missing.returncode == 0, missing.stdout + missing.stderr
    assert not os.path.exists(marker)
