"""The Keras 2 fixture project (tests/migration_fixture/) becomes code that runs on the
installed Keras 3 through `kerascheck --select KC5 --target-keras 3 --fix` alone (the
model, the custom layer, the learning-rate callback, training), and through
`--unsafe-fixes` the whole training script, checkpoints and weights included."""
import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kerascheck.cli import main

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(os.path.dirname(HERE), "migration_fixture")
GOLDEN = os.path.join(HERE, "fixture_golden")
SOURCES = ("callbacks.py", "data.py", "layers.py", "model.py", "train.py")


def _codes(path, *args):
    result = CliRunner().invoke(main, ["check", path, "--select", "KC5", "--no-cache", "--output-format", "json", *args])
    return sorted(finding["code"] for finding in json.loads(result.stdout)), result.exit_code


def _copy(tmp_path):
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    return str(target)


def _run_keras3(directory, code):
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=directory)
    env.pop("TF_USE_LEGACY_KERAS", None)
    completed = subprocess.run([sys.executable, "-c", code], cwd=directory, env=env, capture_output=True, text=True,
                               timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


def test_the_pinned_keras2_project_is_left_alone():
    codes, exit_code = _codes(FIXTURE)
    assert codes == [] and exit_code == 0


def test_with_target_keras3_every_hazard_is_reported():
    codes, _ = _codes(FIXTURE, "--target-keras", "3")
    assert set(codes) == {"KC501", "KC502", "KC503", "KC504", "KC505", "KC506", "KC509"}


def test_the_original_fails_on_keras3(tmp_path):
    directory = _copy(tmp_path)
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=directory)
    completed = subprocess.run([sys.executable, "-c", "import model"], cwd=directory, env=env, capture_output=True,
                               text=True, timeout=600)
    assert completed.returncode != 0 and "keras.layers.core" in completed.stderr


def test_fix_alone_makes_the_model_and_callback_run_on_keras3(tmp_path):
    directory = _copy(tmp_path)
    result = CliRunner().invoke(main, ["check", directory, "--select", "KC5", "--target-keras", "3", "--fix",
                                       "--no-cache", "--output-format", "concise"])
    assert result.exit_code == 1  # two findings need --unsafe-fixes (file names change)
    for name in SOURCES:
        with open(os.path.join(directory, name), encoding="utf-8") as fixed, \
                open(os.path.join(GOLDEN, name + ".txt"), encoding="utf-8") as golden:
            assert fixed.read() == golden.read(), name
    codes, _ = _codes(directory, "--target-keras", "3")
    assert codes == ["KC505", "KC506"]
    out = _run_keras3(directory, """
import keras
from callbacks import StepDecay
from data import batches, toy_data
from model import build_model

x, y = toy_data()
model = build_model()
decay = StepDecay(every=1)
model.fit(batches(x, y), steps_per_epoch=4, epochs=2, callbacks=[decay], verbose=0)
assert keras.__version__.startswith("3"), keras.__version__
assert model.predict(x[:2], verbose=0).shape == (2, 3)
print(decay.history)
""")
    first, second = json.loads(out.strip().splitlines()[-1])
    assert abs(first - 0.005) < 1e-6 and abs(second - 0.0025) < 1e-6  # the schedule still applies


def test_unsafe_fixes_make_the_whole_training_script_run_on_keras3(tmp_path):
    directory = _copy(tmp_path)
    result = CliRunner().invoke(main, ["check", directory, "--select", "KC5", "--target-keras", "3", "--fix",
                                       "--unsafe-fixes", "--no-cache", "--output-format", "concise"])
    assert result.exit_code == 0, result.output
    with open(os.path.join(directory, "train.py"), encoding="utf-8") as handle:
        train = handle.read()
    assert '"weights.{epoch:02d}.keras"' in train and '"final_weights.weights.h5"' in train
    out_dir = str(tmp_path / "out")
    os.makedirs(out_dir)
    _run_keras3(directory, f"import train; train.main(epochs=2, out_dir={out_dir!r})")
    assert sorted(os.listdir(out_dir)) == ["final_weights.weights.h5", "weights.01.keras", "weights.02.keras"]


@pytest.mark.parametrize("name", SOURCES)
def test_golden_files_are_valid_python(name):
    with open(os.path.join(GOLDEN, name + ".txt"), encoding="utf-8") as handle:
        compile(handle.read(), name, "exec")
