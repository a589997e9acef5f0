"""KC210's fix, proved on real Keras 3: the measured programs of its `not-in-training`
situation (tests/affects_cases.py), fixed with `--fix --unsafe-fixes`, run clean; the
originals still fail, so the check can tell the difference."""
import os
import subprocess
import sys

import pytest

from affects_cases import CASES
from kerascheck.api import fix_source
from kerascheck.config import Settings

MEASURED = [case for case in CASES if case.code == "KC210" and case.variant.startswith("not-in-training/")]


def _run_on_keras3(source: str, tmp_path) -> subprocess.CompletedProcess:
    script = tmp_path / "program.py"
    script.write_text(source, encoding="utf-8")
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("TF_USE_LEGACY_KERAS", None)
    return subprocess.run([sys.executable, str(script)], cwd=str(tmp_path), env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.parametrize("case", MEASURED, ids=[case.variant for case in MEASURED])
def test_the_fixed_program_trains_its_layers(case, tmp_path):
    original = "import keras\n" + case.source
    fixed, left, errors = fix_source(original, config=Settings(select=("KC210",), target_keras="3"), unsafe=True)
    assert errors == [] and left == [] and "def call(self, inputs, training=None):" in fixed
    assert "self.bn(inputs, training=training)" in fixed
    before = _run_on_keras3(original, tmp_path)
    assert before.returncode != 0 and "AssertionError" in before.stderr
    after = _run_on_keras3(fixed, tmp_path)
    assert after.returncode == 0, after.stderr[-3000:]
