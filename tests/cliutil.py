"""Run the installed `kerascheck` console script as a real subprocess."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from typing import Optional

import pytest

# The SARIF 2.1.0 JSON schema (OASIS, public), vendored so the tests read nothing outside
# the repository.
SARIF_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas", "sarif-schema-2.1.0.json")

# One KC101 finding, on line 6 column 18 (`tf.Variable(...)`).
KC101_SOURCE = textwrap.dedent(
    """\
    import tensorflow as tf
    from tensorflow import keras

    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.w = tf.Variable(1.0)
    """
)
CLEAN_SOURCE = textwrap.dedent(
    """\
    import keras

    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(), name="w")
    """
)


def executable() -> str:
    found = shutil.which("kerascheck")
    if found is None:
        pytest.fail("the `kerascheck` console script is not on PATH: pip install -e .")
    return found


def run_cli(args, cwd, env: Optional[dict] = None, tty=False) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "KERASCHECK_OUTPUT_FORMAT")}
    environment.update(env or {})
    return subprocess.run(
        [executable(), *args],
        cwd=str(cwd),
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_python(code: str, cwd, args=()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=str(cwd),
        capture_output=True,
        text=True,
        timeout=300,
    )


def write(root, files: dict) -> None:
    for relative, text in files.items():
        path = os.path.join(str(root), relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(path, mode, **({} if isinstance(text, bytes) else {"encoding": "utf-8"})) as handle:
            handle.write(text if isinstance(text, bytes) else textwrap.dedent(text))


def concise_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.strip()]
