"""Runs tests/affects_cases.py on real Keras: every case once on Keras 3 (`import keras`)
and once on Keras 2 (`import tf_keras as keras`), and checks each outcome against the
one recorded in the case.

All the cases of one Keras run in ONE subprocess (TensorFlow is imported once per
flavour); the two subprocesses run side by side. Each case is exec'd in a fresh
namespace, with a fresh temporary directory as its working directory, and its outcome
("Type: message" of what it raised, or None) comes back as JSON. A case's own import
statements of `keras` (`from keras.engine import base_layer`) import from the package the
flavour's `keras` comes from (`tf_keras.engine` for Keras 2), as they would in a program
whose `keras` is that Keras.

Run this file directly to see the outcomes: `python tests/test_affects.py keras3`
(or `keras2`, or `tf-keras` for `from tensorflow import keras`, e.g. on an old
TensorFlow in another environment).
"""
from __future__ import annotations

import contextlib
import io
import json
import linecache
import os
import shutil
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from affects_cases import CASES, Case  # noqa: E402

FLAVOURS = {
    "keras3": "import keras",
    "keras2": "import tf_keras as keras",
    "tf-keras": "from tensorflow import keras",  # only for `python tests/test_affects.py`
}
ENV = {"KERAS_BACKEND": "tensorflow", "CUDA_VISIBLE_DEVICES": "-1", "TF_CPP_MIN_LOG_LEVEL": "3"}
TIMEOUT = 600


def case_id(case: Case) -> str:
    return f"{case.code}:{case.variant}"


# ---- the child: runs every case on one Keras -----------------------------------------
def _where(error: BaseException, filename: str) -> str | None:
    """The line of the case's source that was running when `error` was raised."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == filename]
    return f"line {frames[-1].lineno}: {frames[-1].line.strip()}" if frames else None


def _builtins_for(keras) -> dict:
    """The builtins a case runs with: its `import keras...` statements import from the
    package `keras` is bound to (tf_keras for Keras 2; unchanged for Keras 3)."""
    import builtins

    home = keras.__name__.partition(".")[0]
    found = dict(vars(builtins))
    if home == "keras":
        return found
    real = builtins.__import__

    def __import__(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "keras" or name.startswith("keras.")):
            name = home + name[len("keras"):]
        return real(name, globals, locals, fromlist, level)

    found["__import__"] = __import__
    return found


def _reset(keras) -> None:
    keras.backend.clear_session()
    try:
        keras.mixed_precision.set_global_policy("float32")
    except Exception:  # pragma: no cover - a Keras without mixed precision
        pass


def run_all(flavour: str, only: list[str] | None = None) -> dict:
    for key, value in ENV.items():
        os.environ.setdefault(key, value)
    namespace: dict = {}
    exec(FLAVOURS[flavour], namespace)
    keras = namespace["keras"]
    import numpy as np  # noqa: F401  (imported once, before any case times its work)
    import tensorflow as tf

    results = {"keras_version": keras.__version__, "tf_version": tf.__version__, "outcomes": {}}
    case_builtins = _builtins_for(keras)
    home = os.getcwd()
    for case in CASES:
        key = case_id(case)
        if only and not any(key.startswith(prefix) for prefix in only):
            continue
        workdir = tempfile.mkdtemp(prefix="affects-")
        filename = f"<case {key}>"
        outcome = where = None
        output = io.StringIO()
        try:
            os.chdir(workdir)
            tf.random.set_seed(0)
            np.random.seed(0)
            linecache.cache[filename] = (len(case.source), None, case.source.splitlines(True), filename)
            code = compile(case.source, filename, "exec")
            with contextlib.redirect_stdout(output):
                exec(code, {"keras": keras, "__name__": "affects_case", "__builtins__": case_builtins})
        except Exception as error:  # noqa: BLE001 - the outcome is what was raised
            outcome = f"{type(error).__name__}: {error}"
            where = _where(error, filename)
        finally:
            os.chdir(home)
            shutil.rmtree(workdir, ignore_errors=True)
            _reset(keras)
        results["outcomes"][key] = {"outcome": outcome, "where": where}
    return results


def _child_main(argv: list[str]) -> None:
    flavour = argv[1]
    only = argv[3:] if len(argv) > 3 else None
    results = run_all(flavour, only)
    if len(argv) > 2 and argv[2] != "-":
        with open(argv[2], "w", encoding="utf-8") as handle:
            json.dump(results, handle)
    else:
        sys.stdout.write(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    _child_main(sys.argv)
    sys.exit(0)


# ---- the tests --------------------------------------------------------------------------
import pytest  # noqa: E402

_RUNS: dict = {}


def _start(flavour: str, tmp_dir: str) -> None:
    if flavour in _RUNS:
        return
    out = os.path.join(tmp_dir, f"{flavour}.json")
    env = dict(os.environ, **ENV)
    process = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), flavour, out],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    _RUNS[flavour] = (process, out)


def _finish(flavour: str) -> dict:
    process, out = _RUNS[flavour]
    try:
        _, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"{flavour}: the cases did not finish within {TIMEOUT} s")
    if process.returncode != 0 or not os.path.exists(out):
        pytest.fail(f"{flavour}: the runner failed (exit {process.returncode}):\n{stderr[-4000:]}")
    with open(out, encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def _both_started(tmp_path_factory):
    """Starts both flavours at once, so that they run side by side."""
    tmp_dir = str(tmp_path_factory.mktemp("affects"))
    for flavour in ("keras3", "keras2"):
        _start(flavour, tmp_dir)
    yield
    for process, _ in _RUNS.values():
        if process.poll() is None:
            process.kill()
    _RUNS.clear()


@pytest.fixture(scope="module")
def keras3_outcomes(_both_started):
    return _finish("keras3")


@pytest.fixture(scope="module")
def keras2_outcomes(_both_started):
    return _finish("keras2")


def _check(case: Case, expected, results: dict) -> None:
    got = results["outcomes"].get(case_id(case))
    assert got is not None, f"{case_id(case)} was not run"
    outcome = got["outcome"]
    label = f"{case_id(case)} on Keras {results['keras_version']}"
    if expected is None:
        assert outcome is None, f"{label}: expected no exception, got {outcome!r} at {got['where']}"
    else:
        assert outcome is not None, f"{label}: expected {expected!r}, ran clean"
        assert expected in outcome, f"{label}: expected {expected!r} in {outcome!r} at {got['where']}"


@pytest.mark.slow
def test_case_ids_unique():
    ids = [case_id(case) for case in CASES]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_keras3(case, keras3_outcomes):
    _check(case, case.keras3, keras3_outcomes)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_keras2(case, keras2_outcomes):
    _check(case, case.keras2, keras2_outcomes)
