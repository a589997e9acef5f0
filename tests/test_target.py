"""Each file's Keras target (kerascheck.semantic.target): the Keras every rule's claim is
measured against. KC5xx-specific behaviour is in tests/migration/test_kc5xx_target.py."""
import os

import pytest

from kerascheck import engine
from kerascheck.rules.base import FileContext
from kerascheck.semantic import target
from kerascheck.semantic.module import ModuleModel
from kerascheck.semantic.project import ProjectIndex


def targets(root: str, setting: str = "auto") -> dict:
    """{relative path: Target} for every .py file under root, as a run computes them."""
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(root) for f in names if f.endswith(".py"))
    scans = [engine.scan_file(path) for path in files]
    index = ProjectIndex([scan.facts for scan in scans if scan.facts])
    options = engine.prepare_options(files, {target.OPTION_TARGET: setting})
    found = {}
    for path in files:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        context = FileContext(path, ModuleModel(path, index), options, text)
        found[os.path.relpath(path, root)] = context.target
    return found


MODEL = "import tensorflow as tf\nlayer = tf.keras.layers.Dense(2)\n"


@pytest.mark.parametrize(
    "files, keras, reason",
    [
        ({"requirements.txt": "tensorflow==2.15.0\n"}, "2", "requirements.txt: tensorflow==2.15.0"),
        ({"requirements.txt": "tensorflow==2.12.1\n"}, "2", "requirements.txt: tensorflow==2.12.1"),
        ({"requirements.txt": "tensorflow==2.4.1\n"}, "2.11", "requirements.txt: tensorflow==2.4.1"),
        ({"setup.py": "from setuptools import setup\nsetup(install_requires=['keras<=2.3.1'])\n"}, "2.11", "setup.py: keras<=2.3.1"),
        ({"requirements.txt": "tensorflow>=2.16\n"}, "3", "requirements.txt: tensorflow>=2.16"),
        # Optional and development dependencies count where the real ones say nothing ...
        ({"pyproject.toml": '[project]\nname = "p"\ndependencies = ["numpy"]\n'
                            '[project.optional-dependencies]\ntf = ["tensorflow<2.16"]\n'},
         "2", "pyproject.toml (optional): tensorflow<2.16"),
        ({"setup.py": "from setuptools import setup\nsetup(extras_require={'tf': ['tensorflow==2.11']})\n"},
         "2.11", "setup.py (optional): tensorflow==2.11"),
        ({"pyproject.toml": '[tool.poetry.group.dev.dependencies]\ntensorflow = "2.15.0"\n'},
         "2", "pyproject.toml (optional): tensorflow==2.15.0"),
        # ... and so does what CI installs.
        ({".travis.yml": "install:\n  - pip install tensorflow==1.14\n"}, "2.11", ".travis.yml: tensorflow==1.14"),
        # ... including a requirements file CI installs with -r (tensorflow/addons' CI).
        ({".github/workflows/ci.yml": "steps:\n  - run: pip install -r tools/deps/tensorflow-cpu.txt\n",
          "tools/deps/tensorflow-cpu.txt": "tensorflow-cpu~=2.15.0\n"},
         "2", ".github/workflows/ci.yml: tensorflow-cpu~=2.15.0"),
        # ... and the conda environment files it names (deepchem's CI merges
        # requirements/tensorflow/*.yml into the environment it tests on).
        ({".github/workflows/ci.yml": "steps:\n  - run: conda-merge requirements/env_common.yml "
                                      "requirements/tensorflow/env_tf.yml > env.yml\n",
          "requirements/env_common.yml": "dependencies:\n  - numpy\n",
          "requirements/tensorflow/env_tf.yml": "dependencies:\n  - pip:\n    - tensorflow<2.16\n"},
         "2", ".github/workflows/ci.yml: tensorflow<2.16"),
        ({".github/workflows/ci.yml": "steps:\n  - uses: conda-incubator/setup-miniconda@v3\n"
                                      "    with:\n      environment-file: ci/environment-tf.yml\n",
          "ci/environment-tf.yml": "name: tf\ndependencies:\n  - tensorflow=2.11\n"},
         "2.11", ".github/workflows/ci.yml: tensorflow==2.11.*"),
    ],
)
def test_pins_give_the_target(project, files, keras, reason):
    root = project({**files, "pkg/model.py": MODEL})
    found = targets(root)["pkg/model.py"]
    # The reason names the declaration relative to the file's folder.
    assert (found.keras, found.reason, found.assumed) == (keras, "../" + reason, False)


def test_ci_names_only_conda_environments_of_the_checkout(project):
    """A YAML file a CI file names counts only when it is in the checkout and is a conda
    environment (has `dependencies:`): not the workflow's own action files, not a path
    that leaves the project."""
    root = project({
        "proj/.github/workflows/ci.yml": "steps:\n  - run: conda env create -f ../env.yml\n"
                                         "  - run: python -m check --config tools/lint.yml\n",
        "proj/tools/lint.yml": "rules:\n  - tensorflow<2.16\n",
        "env.yml": "dependencies:\n  - tensorflow<2.16\n",
        "proj/model.py": MODEL,
    })
    found = targets(root)["proj/model.py"]
    assert (found.keras, found.assumed) == ("3", True)


def test_real_dependencies_beat_optional_ones(project):
    root = project({
        "pyproject.toml": '[project]\nname = "p"\ndependencies = ["keras>=3"]\n'
                          '[project.optional-dependencies]\nold = ["tensorflow==2.15"]\n',
        ".travis.yml": "install:\n  - pip install tensorflow==1.14\n",
        "model.py": MODEL,
    })
    assert targets(root)["model.py"].keras == "3"


def test_no_pin_is_keras3_assumed_and_says_so(project):
    root = project({"model.py": MODEL})
    found = targets(root)["model.py"]
    assert (found.keras, found.assumed) == ("3", True)
    assert found.describe() == "keras 3 assumed (no Keras or TensorFlow pin found: a fresh install gets Keras 3)"


def test_unbounded_mention_is_keras3_assumed(project):
    root = project({"requirements.txt": "tensorflow>=2.4\n", "model.py": MODEL})
    found = targets(root)["model.py"]
    assert (found.keras, found.assumed) == ("3", True)
    assert found.reason == "requirements.txt: tensorflow>=2.4, unpinned: a fresh install gets Keras 3"


def test_legacy_keras_set_anywhere_in_the_package(project):
    root = project({
        "pkg/__init__.py": "",
        "pkg/models/__init__.py": "",
        "pkg/models/net.py": MODEL,
        "pkg/utils/env.py": 'import os\nos.environ.setdefault("TF_USE_LEGACY_KERAS", "1")\n',
        "pkg/utils/__init__.py": "",
        "other/__init__.py": "",
        "other/net.py": MODEL,
    })
    found = targets(root)
    assert (found["pkg/models/net.py"].keras, found["pkg/models/net.py"].reason) == (
        "2", "../utils/env.py sets TF_USE_LEGACY_KERAS")
    assert found["other/net.py"].keras == "3"


def test_tf_keras_imported_directly_or_through_a_compat_module(project):
    root = project({
        "pkg/__init__.py": "",
        "pkg/compat.py": "try:\n    import tf_keras as keras\nexcept ImportError:\n    from tensorflow import keras\n",
        "pkg/layers.py": "from pkg.compat import keras\nclass L(keras.layers.Layer):\n    pass\n",
        "pkg/direct.py": "import tf_keras as keras\n",
        "pkg/plain.py": "import keras\n",
    })
    found = targets(root)
    assert (found["pkg/layers.py"].keras, found["pkg/layers.py"].reason) == ("2", "the module gets tf_keras from compat.py")
    assert (found["pkg/direct.py"].keras, found["pkg/direct.py"].reason) == ("2", "the module imports tf_keras")
    assert found["pkg/plain.py"].keras == "3"


@pytest.mark.parametrize("setting", ["3", "2", "2.11"])
def test_the_setting_overrides_everything(project, setting):
    root = project({"requirements.txt": "tensorflow==2.15\n", "a.py": "import tf_keras\n", "b.py": MODEL})
    assert {t.keras for t in targets(root, setting).values()} == {setting}
    assert targets(root, setting)["a.py"].reason == f"forced by target-keras = {setting}"
