"""`kerascheck --show-settings`: the resolved settings, then the Keras each file runs on
and why, exactly as the rules get it; nothing is linted.

Each project has a `.git` folder, where the search for pins stops, and the runs are
`--isolated` (or name their `--config`), so nothing outside the temporary project is read."""
import json
import os

import pytest
from click.testing import CliRunner

from cliutil import KC101_SOURCE, run_cli, write
from kerascheck import api, cli
from kerascheck.config import Settings
from kerascheck.semantic import target

HEADER = "# The Keras each file runs on, and why (every rule asks this)"
MODEL = "import tensorflow as tf\nlayer = tf.keras.layers.Dense(2)\n"


def project(root, files: dict) -> str:
    os.makedirs(os.path.join(str(root), ".git"), exist_ok=True)
    write(root, files)
    return str(root)


def show(root, monkeypatch, *args, stdin=None):
    """(exit code, the settings lines, the file lines, stderr) of `kerascheck --show-settings`."""
    monkeypatch.chdir(root)
    extra = [] if "--config" in args else ["--isolated"]
    run = CliRunner().invoke(cli.main, ["--show-settings", *extra, *args], input=stdin)
    settings, _, files = run.stdout.partition("\n" + HEADER + "\n")
    return run.exit_code, settings.splitlines(), files.splitlines(), run.stderr


def test_a_tensorflow_pin_gives_keras_2_and_says_where(tmp_path, monkeypatch):
    root = project(tmp_path, {"requirements.txt": "tensorflow==2.15.0\n", "model.py": MODEL})
    code, settings, files, stderr = show(root, monkeypatch)
    assert (code, files, stderr) == (0, ["model.py: keras 2 (requirements.txt: tensorflow==2.15.0)"], "")
    assert settings[0] == "# Settings"
    assert "config-file = none  # --isolated" in settings
    assert 'target-keras = "auto"  # default' in settings
    assert "select = default  # the rules on by default" in settings
    assert 'output-format = "full"' in settings
    assert any(line.startswith("enabled-rules = ") and "KC101" in line for line in settings)


def test_keras_3_pin(tmp_path, monkeypatch):
    root = project(tmp_path, {"requirements.txt": "keras>=3\n", "model.py": MODEL})
    assert show(root, monkeypatch)[2] == ["model.py: keras 3 (requirements.txt: keras>=3)"]


def test_unpinned_is_keras_3_assumed(tmp_path, monkeypatch):
    root = project(tmp_path, {"model.py": MODEL})
    assert show(root, monkeypatch)[2] == [
        "model.py: keras 3 assumed (no Keras or TensorFlow pin found: a fresh install gets Keras 3)"
    ]
    root = project(tmp_path / "loose", {"requirements.txt": "tensorflow>=2.4\n", "model.py": MODEL})
    assert show(root, monkeypatch)[2] == [
        "model.py: keras 3 assumed (requirements.txt: tensorflow>=2.4, unpinned: a fresh install gets Keras 3)"
    ]


def test_legacy_keras_set_in_a_package_module(tmp_path, monkeypatch):
    root = project(tmp_path, {
        "requirements.txt": "tensorflow>=2.16\n",
        "mypkg/__init__.py": "",
        "mypkg/env.py": 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\n',
        "mypkg/nets/__init__.py": "",
        "mypkg/nets/model.py": MODEL,
        "other.py": MODEL,
    })
    assert show(root, monkeypatch)[2] == [
        "mypkg/__init__.py: keras 2 (env.py sets TF_USE_LEGACY_KERAS)",
        "mypkg/env.py: keras 2 (the module sets TF_USE_LEGACY_KERAS)",
        "mypkg/nets/__init__.py: keras 2 (../env.py sets TF_USE_LEGACY_KERAS)",
        "mypkg/nets/model.py: keras 2 (../env.py sets TF_USE_LEGACY_KERAS)",
        "other.py: keras 3 (requirements.txt: tensorflow>=2.16)",
    ]


COMPAT = {
    "mypkg/__init__.py": "",
    "mypkg/compat.py": "import tf_keras as keras\n",
    "mypkg/model.py": "from mypkg.compat import keras\nlayer = keras.layers.Dense(2)\n",
    "mypkg/plain.py": "import keras\n",
}


def test_a_compat_module_hands_out_tf_keras(tmp_path, monkeypatch):
    root = project(tmp_path, COMPAT)
    assert show(root, monkeypatch)[2] == [
        "mypkg/__init__.py: keras 3 assumed (no Keras or TensorFlow pin found: a fresh install gets Keras 3)",
        "mypkg/compat.py: keras 2 (the module imports tf_keras)",
        "mypkg/model.py: keras 2 (the module gets tf_keras from compat.py)",
        "mypkg/plain.py: keras 3 assumed (no Keras or TensorFlow pin found: a fresh install gets Keras 3)",
    ]
    # Named alone, model.py still finds the compat module: the project files it imports
    # are read, as a run reads them.
    assert show(root, monkeypatch, "mypkg/model.py")[2] == [
        "mypkg/model.py: keras 2 (the module gets tf_keras from compat.py)"
    ]


def test_nearest_pin_above_the_file_wins(tmp_path, monkeypatch):
    root = project(tmp_path, {
        "requirements.txt": "tensorflow==2.15.0\n",
        "top.py": MODEL,
        "app/model.py": MODEL,
        "new/requirements.txt": "keras>=3\n",
        "new/model.py": MODEL,
        "new/deep/model.py": MODEL,
    })
    assert show(root, monkeypatch)[2] == [
        "app/model.py: keras 2 (../requirements.txt: tensorflow==2.15.0)",
        "new/deep/model.py: keras 3 (../requirements.txt: keras>=3)",
        "new/model.py: keras 3 (requirements.txt: keras>=3)",
        "top.py: keras 2 (requirements.txt: tensorflow==2.15.0)",
    ]


def test_target_keras_forces_the_target(tmp_path, monkeypatch):
    root = project(tmp_path, {"requirements.txt": "keras>=3\n", **COMPAT})
    code, settings, files, _ = show(root, monkeypatch, "--target-keras", "2")
    assert code == 0
    assert 'target-keras = "2"  # --target-keras' in settings
    assert files == [f"{name}: keras 2 (forced by --target-keras 2)" for name in sorted(COMPAT)]
    code, settings, files, _ = show(root, monkeypatch, "--target-keras", "3", "mypkg/compat.py")
    assert files == ["mypkg/compat.py: keras 3 (forced by --target-keras 3)"]


def test_target_keras_from_the_configuration(tmp_path, monkeypatch):
    root = project(tmp_path, {"kerascheck.toml": 'target-keras = "2.11"\nignore = ["KC1"]\n', "model.py": MODEL})
    code, settings, files, _ = show(root, monkeypatch, "--config", "kerascheck.toml")
    assert code == 0
    assert 'config-file = "kerascheck.toml"  # --config' in settings
    assert 'target-keras = "2.11"  # kerascheck.toml' in settings
    assert 'ignore = ["KC1"]' in settings
    assert files == ['model.py: keras 2.11 or older (forced by target-keras = "2.11" in kerascheck.toml)']


def test_a_notebook_and_stdin(tmp_path, monkeypatch):
    notebook = {"cells": [{"cell_type": "code", "source": ["%pip install tensorflow==2.15\n", "import keras\n"]}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    root = project(tmp_path, {"nb.ipynb": json.dumps(notebook), "sub/requirements.txt": "keras>=3\n"})
    assert show(root, monkeypatch)[2] == ["nb.ipynb: keras 2 (nb.ipynb: tensorflow==2.15)"]
    code, _, files, _ = show(root, monkeypatch, "--stdin-filename", "sub/x.py", stdin="import keras\n")
    assert (code, files) == (0, ["sub/x.py: keras 3 (requirements.txt: keras>=3)"])


def test_nothing_is_linted(tmp_path, monkeypatch):
    root = project(tmp_path, {"a.py": KC101_SOURCE})
    monkeypatch.chdir(root)
    run = CliRunner().invoke(cli.main, ["--show-settings", "--isolated", "."])
    assert run.exit_code == 0
    assert "KC101 " not in run.stdout and "KC101:" not in run.stdout and run.stderr == ""


def test_a_bad_path_is_exit_2_without_traceback(tmp_path, monkeypatch):
    root = project(tmp_path, {"a.py": MODEL})
    code, _, files, stderr = show(root, monkeypatch, "a.py", "missing.py")
    assert (code, files, stderr) == (2, [], "kerascheck: error: path does not exist: missing.py\n")
    os.symlink(os.path.join(root, "loop.py"), os.path.join(root, "loop.py"))
    code, _, files, stderr = show(root, monkeypatch, "a.py", "loop.py")
    assert code == 2
    assert files == ["a.py: keras 3 assumed (no Keras or TensorFlow pin found: a fresh install gets Keras 3)"]
    assert stderr.startswith("kerascheck: error: loop.py: cannot read file: ")
    code, _, _, stderr = show(root, monkeypatch, "--select", "KC999")
    assert (code, stderr) == (2, "kerascheck: error: unknown rule selector 'KC999'\n")


def test_json(tmp_path, monkeypatch):
    root = project(tmp_path, {"requirements.txt": "tensorflow==2.15.0\n", "model.py": MODEL})
    monkeypatch.chdir(root)
    run = CliRunner().invoke(cli.main, ["--show-settings", "--isolated", "--output-format", "json"])
    assert run.exit_code == 0
    document = json.loads(run.stdout)
    assert document["settings"]["target-keras"] == "auto"
    assert document["files"] == [{
        "path": "model.py", "keras": "2", "label": "Keras 2", "assumed": False,
        "reason": "requirements.txt: tensorflow==2.15.0",
    }]
    assert document["errors"] == []


def test_the_targets_shown_are_those_the_rules_get(tmp_path, monkeypatch):
    """--show-settings and a real run ask the same function, on the same index: record
    what the run's rules got (FileContext.target) and compare."""
    root = project(tmp_path, {
        "requirements.txt": "tensorflow==2.15.0\n",
        "new/requirements.txt": "keras>=3\n",
        "ops.py": "import keras\nx = keras.ops.ones(2)\n",
        **{f"new/{name}": text for name, text in COMPAT.items()},
        "old/__init__.py": "",
        "old/env.py": 'import os\nos.environ.setdefault("TF_USE_LEGACY_KERAS", "1")\n',
        "old/model.py": MODEL,
        "top.py": MODEL,
        "nb.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": "%pip install keras==2.11\nimport keras\n"}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
    })
    monkeypatch.chdir(root)
    got = {}
    original = target.file_target

    def recording(path, text, index, options, **kwargs):
        found = original(path, text, index, options, **kwargs)
        got[os.path.relpath(path, root)] = found
        return found

    monkeypatch.setattr(target, "file_target", recording)
    api.check_paths(["."], Settings(root=root), jobs=1)
    monkeypatch.setattr(target, "file_target", original)
    shown = dict(api.file_targets(["."], Settings(root=root), jobs=1))
    # The run skips the files that never mention Keras (empty __init__.py, env.py).
    assert set(got) == {"ops.py", "new/mypkg/compat.py", "new/mypkg/model.py", "new/mypkg/plain.py",
                        "old/model.py", "top.py", "nb.ipynb"}
    assert got == {path: shown[path] for path in got}
    assert shown["ops.py"].reason == "the module uses Keras 3 APIs although requirements.txt: tensorflow==2.15.0"
    assert shown["new/mypkg/model.py"].reason == "the module gets tf_keras from compat.py"
    assert shown["nb.ipynb"].keras == target.KERAS2_OLD


@pytest.mark.slow
def test_the_console_script(tmp_path):
    root = project(tmp_path, {"requirements.txt": "tensorflow==2.15.0\n", "model.py": MODEL})
    run = run_cli(["--show-settings", "--isolated"], cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "model.py: keras 2 (requirements.txt: tensorflow==2.15.0)"
    run = run_cli(["--show-settings", "--isolated", "nothere"], cwd=root)
    assert (run.returncode, run.stdout, run.stderr) == (2, "", "kerascheck: error: path does not exist: nothere\n")


def test_the_readme_example_is_what_it_prints(tmp_path, monkeypatch):
    """The example of README.md's "Which Keras your code runs on", run on the project it
    describes: the file lines are what --show-settings prints."""
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md"), encoding="utf-8") as handle:
        block = handle.read().split("```console\n$ kerascheck --show-settings\n", 1)[1].split("```", 1)[0]
    shown, _, forced = block.partition("\n$ kerascheck --show-settings --target-keras 3 train.py | tail -1\n")
    root = project(tmp_path, {
        "requirements.txt": "tensorflow==2.15.0\n",
        "train.py": "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n",
        "mypkg/__init__.py": "",
        "mypkg/compat.py": "try:\n    import tf_keras as keras\nexcept ImportError:\n    from tensorflow import keras\n",
        "mypkg/model.py": "from mypkg.compat import keras\n\nclass Block(keras.layers.Layer):\n    pass\n",
        "next/requirements.txt": "keras>=3\n",
        "next/model.py": "import keras\nx = keras.ops.ones(2)\n",
    })
    assert show(root, monkeypatch)[2] == shown.split(HEADER + "\n", 1)[1].splitlines()
    assert show(root, monkeypatch, "--target-keras", "3", "train.py")[2] == forced.splitlines()


def test_the_files_a_configuration_extends_are_shown(tmp_path, monkeypatch):
    root = project(tmp_path, {
        "base.toml": 'ignore = ["KC2"]\n',
        "sub/kerascheck.toml": 'extend = "../base.toml"\nextend-select = ["KC207"]\n',
        "sub/model.py": MODEL,
    })
    code, settings, _, _ = show(root, monkeypatch, "--config", "sub/kerascheck.toml")
    assert code == 0
    extended = [line for line in settings if line.startswith("extend = ")]
    assert len(extended) == 1 and extended[0].endswith('base.toml"]  # the files it extends, nearest first')
    assert 'ignore = ["KC2"]' in settings


def test_no_extend_shows_an_empty_list(tmp_path, monkeypatch):
    root = project(tmp_path, {"model.py": MODEL})
    assert "extend = []" in show(root, monkeypatch)[1]
